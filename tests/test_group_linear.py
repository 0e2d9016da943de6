"""What a target measures is read in time linear in the length of its words, whatever they
are: adversarial subjects (long runs of level words, names, numbers, cue words) cost the
same per character as a quarter of them. Ratios measured in one run, never seconds."""

from __future__ import annotations

import pytest

from kehoach_parser.measures import _measure
from timing import growth

GROWTH = 2.5  # cost per character, whole over quarter: linear about 1, quadratic 4
ADVERSARIAL = [" ", "xã ", "xã hội ", "Tỉnh Lâm Đồng ", "trên địa bàn tỉnh ", "năm 2030 ",
               "so với năm 2020 ", "1 ", "1.", "60% trở lên ", "số ", "đạt ", "ở mức ",
               "A ", "(1) ", "ệ", "tỷ lệ ", "các ", "giai đoạn 2026 - 2030 ", "tp. "]


@pytest.mark.slow
@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_measuring_is_linear(unit: str) -> None:
    times = max(2000 // len(unit), 400)
    whole, quarter = f"người dân {unit * times}", f"người dân {unit * (times // 4)}"
    ratio = growth(_measure, quarter, whole, repeat=3)
    if ratio >= GROWTH:  # measured once more, so that a busy spell cannot fail it alone
        ratio = min(ratio, growth(_measure, quarter, whole))
    assert ratio < GROWTH, f"{unit!r}: a character costs {ratio:.1f} times a quarter's"
