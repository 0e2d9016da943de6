"""Chữ ký và nơi nhận (the closing block): who signed, in what capacity, and to whom.

The closing zone's lines in reading order (the layout stage has already put the
"Nơi nhận | signature" columns apart): authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ
TỊCH", "T/M BAN THƯỜNG VỤ"), the position ("PHÓ CHỦ TỊCH"), notes ("(Đã ký)"), the name.

>>> s = read_signer(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Hùng"])
>>> s.name, s.position, s.capacity, s.on_behalf_of
('Lê Văn Hùng', 'Phó Chủ tịch', 'KT. Chủ tịch', 'TM. Ủy ban nhân dân')
>>> read_signer(["KT. BỘ TRƯỞNG THỨ TRƯỞNG", "Trần Văn An"]).position
'Thứ trưởng'
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import regex

from . import patterns
from .data import load
from .layout import fold
from .layout.cues import cues
from .layout.zones import is_name
from .localities import restore, sentence_case
from .models import Signer

_PREFIX_RE = patterns.compile(r"^\s*(t\s*/\s*m|tm|kt|tl|tuq|q)\s*[.:]?\s*", regex.IGNORECASE)
# The mark that opens each item of a recipients list written on one line.
_ITEM_MARK_RE = patterns.compile(r"(?:^|\s)[-+•]\s+")
_WORD_AFTER_SPACE_RE = patterns.compile(r"(?<= )\S")


@cache
def _positions() -> dict[str, str]:
    """Folded position → as written ("pho chu tich" → "Phó Chủ tịch")."""
    return {fold(p): p for p in load("issuers")["positions"]["words"]}


def _position(text: str) -> str:
    return _positions().get(" ".join(fold(text).split())) or sentence_case(restore(text))


def _authority(line: str) -> tuple[str, str, str | None]:
    """(prefix, what it is for, a position written on the same line)."""
    m = _PREFIX_RE.match(line)
    assert m is not None
    prefix = m.group(1).upper().replace(" ", "")
    prefix = "TM" if prefix == "T/M" else prefix
    rest = line[m.end():].strip()
    folded = fold(rest)
    # "KT. BỘ TRƯỞNG THỨ TRƯỞNG": the capacity, then the signer's own position.
    for cut in _WORD_AFTER_SPACE_RE.finditer(folded):
        tail = folded[cut.start():]
        if cues().position.match(tail) and cues().position.match(folded[: cut.start()].strip()):
            return prefix, rest[: cut.start()].strip(), rest[cut.start():]
    return prefix, rest, None


def read_signer(lines: Sequence[str]) -> Signer:
    """The signer from the signature lines (name None when none is printed)."""
    k = cues()
    on_behalf_of = capacity = position = name = None
    for line in lines:
        text = line.strip()
        folded = fold(text)
        if not text or k.signed.match(folded):
            continue
        if k.authority.match(folded):
            prefix, rest, own = _authority(text)
            label = f"{prefix}. {sentence_case(restore(rest))}"
            if prefix == "TM":
                on_behalf_of = label
            else:
                capacity = label
            if own:
                position = _position(own)
            continue
        if k.position.match(folded) and position is None:
            position = _position(text)
            continue
        if (on_behalf_of or capacity or position) and is_name(text) and name is None:
            name = text.strip(" .")
    if position is None and capacity is None and on_behalf_of is None:
        return Signer()
    if position is None and capacity is None and on_behalf_of:
        position = None
    return Signer(name=name, position=position, capacity=capacity, on_behalf_of=on_behalf_of)


def read_recipients(lines: Sequence[str]) -> list[str]:
    """The items under "Nơi nhận" (and a "Kính gửi" list), without bullets and end marks."""
    k = cues()
    out: list[str] = []
    for line in lines:
        text = line.strip()
        heading = k.recipients.match(fold(text))
        if heading:
            text = text[heading.start("inline"):]
        for item in _ITEM_MARK_RE.split(text):
            item = item.strip(" -+•;.,|")  # "|": a DOCX table cell's edge
            if item:
                out.append(item)
    return out
