"""Mô hình bố cục (the layout model): typed lines and zones of a normalized document.

A :class:`Layout` is what every extractor reads: the normalized ``text`` with its offset map
to the raw input, one :class:`Line` per line of ``text`` (its kind, heading number, bold cues,
page, table cells, and the part of the document it belongs to), and the document's
:class:`Zone`\\ s in order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..normalize import OffsetMap

LineKind = Literal["heading", "bullet", "row", "text"]
ZoneKind = Literal["chrome", "header", "title", "body", "closing", "appendix", "attached",
                   "footnotes"]
# What a line of the header or closing block is (empty elsewhere).
Role = Literal["", "issuer", "motto", "number", "place_date", "subject", "ornament", "type",
               "title", "recipients", "signature"]


@dataclass(slots=True)
class Line:
    """One line of the normalized text and what the layout stage knows of it."""

    start: int
    end: int
    kind: LineKind = "text"
    shape: str | None = None  # heading shape: roman, chapter, article, numbered, lettered
    number: str | None = None  # heading number as read ("II" for an OCR "Il")
    alternatives: tuple[str, ...] = ()  # other readings of an OCR-damaged numeral
    title_start: int = 0  # offset of the heading's title (after its number)
    bold: bool = False  # the whole line is bold (or a markdown heading)
    bold_end: int | None = None  # end of a bold run that opens the line but not all of it
    heading: int = 0  # markdown heading level
    page: int | None = None
    cells: tuple[tuple[int, int], ...] = ()  # spans of a table row's cells
    column: int = 0  # 1 for the right column of a two-column block
    block: int = -1  # id of the two-column block (header or closing) it belongs to
    blank_before: bool = False  # a blank line (or a paragraph break) before it
    zone: ZoneKind = "body"
    role: Role = ""
    caps: bool = False  # printed in capitals

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(frozen=True, slots=True)
class Zone:
    """A part of the document: lines ``first`` to ``last`` (inclusive)."""

    kind: ZoneKind
    first: int
    last: int
    start: int
    end: int


@dataclass
class Layout:
    """Normalized text, its offset map, its typed lines and its zones."""

    text: str
    offsets: OffsetMap
    lines: list[Line] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [line.start for line in self.lines]

    def reindex(self) -> None:
        self._starts = [line.start for line in self.lines]

    def to_raw_span(self, span: tuple[int, int]) -> tuple[int, int]:
        """The raw-input span of a span of ``text``."""
        start, end = span
        if end <= start:
            raw = self.offsets.to_raw(start)
            return raw, raw
        return self.offsets.to_raw(start), self.offsets.to_raw_end(end)

    def line_index(self, offset: int) -> int:
        """Index of the line holding ``offset`` (-1 before the first)."""
        return bisect_right(self._starts, offset) - 1

    def line_at(self, offset: int) -> Line | None:
        """The line holding ``offset``."""
        i = self.line_index(offset)
        return self.lines[i] if i >= 0 else None

    # The name the earlier model used: every line carries its layout cues.
    cue_at = line_at

    def line_text(self, line: Line) -> str:
        return self.text[line.start : line.end]

    def in_zone(self, *kinds: ZoneKind) -> Iterator[Line]:
        """The lines of the given zones, in order."""
        for line in self.lines:
            if line.zone in kinds:
                yield line

    def zone_spans(self, *kinds: ZoneKind) -> list[tuple[int, int]]:
        return [(z.start, z.end) for z in self.zones if z.kind in kinds]

    def page_starts(self) -> list[int]:
        """Offsets where each page starts (empty without pages)."""
        starts: list[int] = []
        for line in self.lines:
            if line.page is not None and line.page > len(starts):
                starts.extend([line.start] * (line.page - len(starts)))
        return starts
