"""What a document tells about its numbers: its parts, type and years, and the lines where a
list of targets is opened ("Phấn đấu đến năm 2030, đạt các chỉ tiêu sau:")."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from .. import patterns
from ..context import CONTENT, Context
from ..indicators import Catalogue
from ..layout.cues import cues, fold
from ..layout.model import Line
from ..models import Section
from ..numbers import Quantities
from .rules import rules

# How many lines back a lead-in ("Phấn đấu đến năm 2025:") is looked for.
_LEAD_LINES = 30
_CONTENT = frozenset(CONTENT) - {"title"}
_SENTENCE_END_RE = patterns.compile(r"[.;]\s+(?=\p{Lu})")


class Segment(NamedTuple):
    """A stretch of text read as one run of sentences: a line after its bullet or heading
    number, or one cell of a table row (a tuple: every line of a document is one, most of
    them read no further)."""

    start: int
    end: int
    line: int  # index into layout.lines
    cell: bool = False


@dataclass
class Document:
    """One document as the targets stage sees it."""

    context: Context
    catalogue: Catalogue | None
    text: str = field(init=False)
    tier: str = field(init=False)  # plan, report or other, of the document itself
    reference_year: int | None = field(init=False)
    _attached: list[tuple[int, str]] = field(default_factory=list, init=False)
    _lead_ins: dict[int, bool] = field(default_factory=dict, init=False)
    _years: dict[int, int | None] = field(default_factory=dict, init=False)
    # Every test on a number asks for the sections around it: each offset's, and whether a
    # section reports results, found once.
    _chains: dict[int, list[Section]] = field(default_factory=dict, init=False)
    _results: dict[int, bool] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.text = self.context.text
        metadata = self.context.metadata
        self.tier = _tier(metadata.doc_type or "")
        self.reference_year = metadata.plan_year or metadata.date.year
        # the type line of each document attached to this one ("Điều 1. Ban hành kèm theo
        # Quyết định này Kế hoạch …" and, after the signature, "KẾ HOẠCH")
        types = cues().types
        for line in self.lines:
            if line.zone == "attached":
                code = types.get(fold(self.text[line.start:line.end].strip(" *#")))
                if code is not None:
                    self._attached.append((line.end, code))

    def tier_at(self, offset: int) -> str:
        """The tier of the document ``offset`` belongs to: an attached plan is read as a
        plan, whatever the type of the decision that issues it."""
        i = bisect_right(self._attached, (offset, "")) - 1
        return _tier(self._attached[i][1]) if i >= 0 else self.tier

    @cached_property
    def quantities(self) -> Quantities:
        """The quantities of any stretch of the text (read line by line)."""
        return Quantities(self.text)

    @property
    def lines(self) -> list[Line]:
        return self.context.layout.lines

    def chain(self, offset: int) -> list[Section]:
        """Sections holding ``offset``, deepest first."""
        chain = self._chains.get(offset)
        if chain is None:
            chain = self._chains[offset] = self.context.locator.chain(offset)
        return chain

    def path_at(self, offset: int) -> str:
        chain = self.chain(offset)
        return chain[0].path if chain else ""

    def kinds(self, offset: int) -> set[str]:
        """Kinds of the nearest section that says more than 'other'."""
        for section in self.chain(offset):
            if section.kinds != ["other"]:
                return set(section.kinds)
        return set()

    def in_results(self, offset: int) -> bool:
        return any(self._reports(s) for s in self.chain(offset))

    def _reports(self, section: Section) -> bool:
        key = section.heading_span[0]
        if key not in self._results:
            self._results[key] = rules().results_section.search(section.title) is not None
        return self._results[key]

    @cached_property
    def title_year(self) -> int | None:
        """The (last) year the plan's title names: "năm 2026", "giai đoạn 2026 - 2030"."""
        return year_in(self.context.metadata.title or "")

    def heading_year(self, offset: int) -> int | None:
        """The year named by the nearest heading above ``offset`` that names one ("Các chỉ
        tiêu cụ thể đến năm 2030")."""
        for section in self.chain(offset):
            key = section.heading_span[0]
            if key not in self._years:
                self._years[key] = year_in(section.title)
            if self._years[key] is not None:
                return self._years[key]
        return None

    def lead_in(self, index: int, offset: int) -> bool:
        """Does an opener govern the list that line ``index`` is in: a heading above it
        ("1. Phấn đấu đến cuối năm 2025 đạt các chỉ tiêu sau:") or the line that opens its
        list, both ending with ':'?"""
        opener, text = rules().opener, self.text
        for section in self.chain(offset):
            heading = text[section.heading_span[0]:section.heading_span[1]].rstrip()
            if heading.endswith(":") and opener.search(_last_sentence(heading)):
                return True
        if index not in self._lead_ins:
            self._lead_ins[index] = self._list_opener(index)
        return self._lead_ins[index]

    def _list_opener(self, index: int) -> bool:
        lines, text = self.lines, self.text
        for back in range(index - 1, max(-1, index - 1 - _LEAD_LINES), -1):
            line = lines[back]
            if line.zone not in _CONTENT:
                return False
            content = text[line.start:line.end].strip()
            if content.endswith(":"):
                return rules().opener.search(_last_sentence(content)) is not None
            # the list goes on over bullets and lines that open with a number ("(2) …")
            if line.kind == "heading" or not (line.kind == "bullet" or _opens_unworded(content)):
                return False
        return False

    def segments(self) -> Iterator[Segment]:
        """The lines of the document's content (cells of table rows one by one), each after
        its bullet mark or heading number."""
        text, bullet = self.text, cues().bullet
        for index, line in enumerate(self.lines):
            if line.zone not in _CONTENT or line.end <= line.start:
                continue
            if line.kind == "row":
                for start, end in line.cells:
                    if end > start:
                        yield Segment(start, end, index, cell=True)
                continue
            start = line.start
            if line.kind == "heading" and line.title_start > start:
                start = line.title_start
            elif line.kind == "bullet":
                m = bullet.match(text[line.start:line.end])
                start += m.end() if m else 0
            yield Segment(start, line.end, index)


def _tier(doc_type: str) -> str:
    r = rules()
    if doc_type in r.plan_docs:
        return "plan"
    return "report" if doc_type in r.results_docs else "other"


def _last_sentence(content: str) -> str:
    """The last sentence of a line (the one a ':' ends)."""
    starts = [m.end() for m in _SENTENCE_END_RE.finditer(content)]
    return content[starts[-1]:] if starts else content


def _opens_unworded(content: str) -> bool:
    """Does a line open with a mark or a number before any word ("(2) Tỷ lệ …")?"""
    for char in content:
        if char.isalpha():
            return False
        if char.isdigit():
            return True
    return False


def year_in(words: str) -> int | None:
    """The year a phrase names as a target's year: "đến năm 2030", "giai đoạn 2026 - 2030"
    (its last year); a baseline ("so với năm 2020") is not one.

    >>> year_in("Các chỉ tiêu cụ thể đến năm 2030"), year_in("giai đoạn 2026 - 2030")
    (2030, 2030)
    >>> year_in("giảm 10% so với năm 2020") is None
    True
    """
    m = rules().year.search(words)
    if m is None:
        return None
    return int(m["last"] or m["year"])
