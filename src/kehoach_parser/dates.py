"""Ngày tháng (Vietnamese dates): ``28/9/2021``, ``28-9-2021``, ``ngày 28 tháng 9 năm 2021``.

Dates in administrative documents may have blank parts in drafts (``ngày   tháng 3 năm
2024``); each part is then ``None``.

>>> parse_date("ngày 28 tháng 9 năm 2021")
VnDate(year=2021, month=9, day=28)
>>> parse_date("28/9/2021").iso()
'2021-09-28'
>>> parse_date("ngày    tháng 3 năm 2024")
VnDate(year=2024, month=3, day=None)
>>> parse_date("31/02/2021") is None
True
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from . import patterns

# A numeric date needs a 4-digit year; a 2-part "28/9" is not a date here (too ambiguous
# with identifiers and fractions such as "10/10 huyện").
_NUMERIC = (
    r"(?<![\d/.-])(?P<d>\d{1,2})\s?(?P<sep>[/.-])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?"
    r"(?P<y>(?:19|20)\d{2})(?!\d)"
)
# "ngày 28 tháng 9 năm 2021"; every part may be blank (spaces or dots in drafts, a slash
# where OCR read the handwritten day of a signed scan: "ngày / tháng 6 năm 2026").
# Text that lost its diacritics writes "ngay 28 thang 9 nam 2021"; OCR of it "ngdy", "thdng".
_WORDS = (
    r"ng[àad]y[\s.…_/]{0,20}(?P<wd>\d{1,2})?[\s.…_/]{0,20}th[áad]ng[\s.…_/]{0,20}(?P<wm>\d{1,2})?"
    r"[\s.…_]{0,20}n[ăa]m[\s.…_]{0,5}(?P<wy>(?:19|20)\d{2})?(?!\d)"
)
DATE_RE = patterns.compile(rf"{_NUMERIC}|{_WORDS}", regex.IGNORECASE)


@dataclass(frozen=True, slots=True)
class VnDate:
    """A date whose parts may be unknown."""

    year: int | None
    month: int | None
    day: int | None

    def iso(self) -> str | None:
        """ISO form when all three parts are known."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        last = 31 if (year is None or month is None) else calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return False
    return True


def _from_match(match: regex.Match[str]) -> VnDate | None:
    groups = match.groupdict()
    if groups["y"] is not None:
        year: int | None = int(groups["y"])
        month: int | None = int(groups["m"])
        day: int | None = int(groups["d"])
    else:
        parts = [groups[k] for k in ("wy", "wm", "wd")]
        if all(p is None for p in parts):
            return None
        year, month, day = (None if p is None else int(p) for p in parts)
    return VnDate(year, month, day) if _valid(year, month, day) else None


def find_dates(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[
    tuple[tuple[int, int], VnDate]
]:
    """Every date in ``text[pos:endpos]`` with its span."""
    for match in DATE_RE.finditer(text, pos, len(text) if endpos is None else endpos):
        date = _from_match(match)
        if date is not None:
            yield match.span(), date


def parse_date(text: str) -> VnDate | None:
    """The first date written in ``text``, or None."""
    return next((date for _, date in find_dates(text)), None)
