"""Hình dạng dòng (line shapes): bullets and the numbers of headings.

The one place where a line is recognized as a bullet or as a heading of some shape (Roman
part, chapter, article, numbered khoản, lettered điểm). Whether a heading-shaped line is a
heading is decided by :mod:`kehoach_parser.sections` from the numbering sequence.

>>> read_shape("IH. MỤC TIÊU")
('roman', 'III', ('II',), 4)
>>> read_shape("1.2. Nhiệm vụ cụ thể")[:2]
('numbered', '1.2')
>>> read_shape("- Tăng cường") is None
True
"""

from __future__ import annotations

from functools import lru_cache

from .. import patterns
from .cues import Opening, cues

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SPACES_RE = patterns.compile(r"\s+")
_VALID_ROMAN = patterns.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


def roman_value(numeral: str) -> int:
    """Giá trị số La Mã (the value of a Roman numeral).

    >>> roman_value("XIV")
    14
    """
    total = 0
    for a, b in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN[a]
        total += -value if b and _ROMAN[b] > value else value
    return total


def roman_readings(raw: str) -> tuple[str, ...]:
    """Valid Roman numerals an OCR-damaged one may be ("Il" → II; "IH" → III or II, an H
    being two I's run together or one I and a stroke)."""
    base = raw.replace("l", "I").replace("1", "I").replace("|", "I")
    readings = [base.replace("H", "II"), base.replace("H", "I")]
    out: list[str] = []
    for reading in readings:
        if _VALID_ROMAN.match(reading) and reading not in out:
            out.append(reading)
    return tuple(out)


# What a heading can open with: most lines of text are rejected by this one test.
_OPENING = Opening(patterns.compile(
    r"^(?:[IVXL]|\d|[a-zđ]\)|[A-E][.:]|Điều|ĐIỀU|Dieu|DIEU|Ch|CH|PH|Ph)"))


def read_shape(text: str) -> tuple[str, str, tuple[str, ...], int] | None:
    """(shape, number, other readings, title offset) of a heading-shaped line; None for any
    other line (bullets included)."""
    if not _OPENING.match(text):
        return None
    return _shape(text[:_SHAPE_WINDOW])


_SHAPE_WINDOW = 200


@lru_cache(maxsize=8192)
def _shape(text: str) -> tuple[str, str, tuple[str, ...], int] | None:
    k = cues()
    if k.bullet_opening.match(text):
        return None
    for shape in k.headings:
        m = shape.pattern.match(text)
        if m is None:
            continue
        number = _SPACES_RE.sub(" ", m.group("number"))
        others: tuple[str, ...] = ()
        if shape.name in ("roman", "chapter"):
            readings = roman_readings(number)
            if not readings:
                continue
            number, others = readings[0], readings[1:]
        elif shape.name == "article":
            number = "Điều " + number.split()[-1]
        return shape.name, number, others, m.start("title")
    return None


def is_bullet(text: str) -> bool:
    return cues().bullet_opening.match(text) is not None
