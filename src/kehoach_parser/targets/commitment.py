"""Is a number a commitment? The part of the plan, the document's type and the tense of the
clause decide.

A number is a commitment inside a targets section, after a comparator or a commitment word,
or at the head of its sentence; it is not one when it names something (Đội 178), is a year,
a reporting schedule, money of the funding part, a fee, a score or an award quota, a
forecast, a baseline ("giảm từ 23 … xuống 18"), or a past result or the current state.

Every test on the words of a sentence is answered from the positions of its cue words, found
once per segment (:class:`Marks`): a sentence with thousands of numbers is read in linear
time.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from ..numbers import Quantity
from .clauses import Item
from .document import Document
from .rules import CUE_WINDOW, Pattern, bound, rules

_YEAR_RANGE = range(1900, 2101)


class Marks:
    """Where the cue words of one segment stand: for each kind, the sorted starts of its
    matches (and for past years, of the years before the plan's that are no baseline), found
    the first time a kind is asked for."""

    def __init__(self, text: str, start: int, end: int, reference_year: int | None) -> None:
        self._text, self._start, self._end = text, start, end
        self._reference_year = reference_year
        self._at: dict[str, list[int]] = {}
        self._first_word: dict[int, int] = {}

    def _positions(self, name: str) -> list[int]:
        found = self._at.get(name)
        if found is None:
            r, text, start, end = rules(), self._text, self._start, self._end
            if name in ("past_year", "state_year"):
                self._years()
                return self._at[name]
            pattern: Pattern = getattr(r, name)
            found = self._at[name] = [m.start() for m in pattern.finditer(text, start, end)]
        return found

    def _years(self) -> None:
        r, text, start, end = rules(), self._text, self._start, self._end
        years: list[int] = []
        states: list[int] = []
        if self._reference_year is not None:
            for m in r.state.finditer(text, start, end):
                if int(m["year"]) < self._reference_year:
                    states.append(m.start())
                    if not r.baseline.search(text, max(start, m.start() - 40), m.start() + 4):
                        years.append(m.start())
        self._at["past_year"], self._at["state_year"] = years, states

    def any(self, name: str, start: int, end: int) -> bool:
        """Is there a mark of ``name`` starting in ``[start, end)``?"""
        at = self._at.get(name)
        if at is None:
            at = self._positions(name)
        i = bisect_left(at, start)
        return i < len(at) and at[i] < end

    def first_word(self, sentence: int) -> int:
        """Where the first word of the sentence starting at ``sentence`` begins (marks and
        numbering before it: "- ", "(1) ")."""
        if sentence not in self._first_word:
            text, i = self._text, sentence
            while i < len(text) and not text[i].isalpha():
                i += 1
            self._first_word[sentence] = i
        return self._first_word[sentence]

    def first(self, name: str, start: int) -> int | None:
        at = self._positions(name)
        i = bisect_left(at, start)
        return at[i] if i < len(at) else None


@dataclass(frozen=True)
class Where:
    """The words around an item: its clause and sentence (offsets into the text)."""

    sentence: int
    lead: int  # start of the words before the ':' that opens the clause
    clause_start: int
    clause_end: int


def _names_something(text: str, hit: Quantity, clause_start: int) -> bool:
    """A number naming a body, an article, a day or a year, not counting anything."""
    if hit.kind in ("percent", "frequency"):
        return False
    r = rules()
    before = text[max(clause_start, hit.start - CUE_WINDOW):hit.start]
    if r.naming.search(before):
        return True
    return (isinstance(hit.value, int) and hit.value in _YEAR_RANGE and hit.unit == "count"
            and bool(r.year_before.search(before)))


def _is_past(doc: Document, marks: Marks, item: Item, where: Where) -> bool:
    """Words before the number that report a result ("đã", "hiện có", an earlier year),
    unless a strong commitment word comes first ("mục tiêu phấn đấu đạt được là: 100% …");
    a count whose clause names an earlier year after it is a state of things ("Đối với 31 xã
    có Quyết định công nhận năm 2024")."""
    hit = item.hit
    strong = marks.first("strong", where.sentence)
    if strong is not None and strong < hit.start:
        return False
    if marks.any("past", where.sentence, hit.start) or marks.any("past_year", where.sentence,
                                                                   hit.start):
        return True
    return (hit.unit == "count" and bound(doc.text[item.start:hit.start]) is None
            and marks.any("state_year", hit.end, where.clause_end))


def _is_frequency(text: str, hit: Quantity) -> bool:
    """A frequency, or a count of times ("báo cáo ít nhất một lần")."""
    return hit.kind == "frequency" or (hit.unit == "count"
                                       and text[hit.body:hit.end].lower() == "lần")


def _wordy_excluded(doc: Document, marks: Marks, item: Item, where: Where) -> bool:
    """A number word counts only after a lower bound ("ít nhất một địa bàn", not "một số")
    or in a sentence that "phấn đấu" opens ("Phấn đấu có thêm hai xã đạt chuẩn"), "tất cả"
    only in a targets section or after a strong commitment word."""
    hit = item.hit
    if hit.kind == "word":
        return (bound(doc.text[item.start:hit.start]) not in ("gte", "gt")
                and not marks.any("opener", where.sentence, hit.start))
    if hit.kind == "all":
        return not ("targets" in doc.kinds(hit.start)
                    or marks.any("strong", where.lead, where.clause_start)
                    or marks.any("strong", item.start, hit.start))
    return False


def excluded(doc: Document, marks: Marks, item: Item, where: Where) -> bool:
    """Is the number no target: a name, a past result, a fee, a score or an award, a
    reporting schedule, a forecast, a condition, money of the funding part, a statistic of a results
    section (unless "phấn đấu" stands before it: "các chỉ tiêu … được cải thiện, tỷ lệ … đạt
    95,3%" reports), or a stray number word?"""
    text, hit = doc.text, item.hit
    kinds = doc.kinds(hit.start)
    in_clause = (where.sentence, where.clause_end)
    # Every test is pure: the cheap ones of the part first, so that a number of a funding
    # or a results part is told without the scans of its segment for the cue words.
    return (
        ("funding" in kinds and "targets" not in kinds)
        or (doc.in_results(hit.start) and not marks.any("opener", where.sentence, hit.start))
        or _names_something(text, hit, item.start)
        or _is_past(doc, marks, item, where)
        or marks.any("fees", *in_clause)
        or marks.any("awards", *in_clause)
        or (_is_frequency(text, hit) and marks.any("reporting", *in_clause))
        or ("targets" not in kinds and marks.any("forecast", where.sentence, hit.start))
        or marks.any("condition_before", where.sentence, hit.start)
        or marks.any("condition_after", hit.end, where.clause_end)
        or rules().dimension.search(text[max(item.start, hit.start - CUE_WINDOW):hit.start])
        or _wordy_excluded(doc, marks, item, where)
    )


def committed(doc: Document, marks: Marks, item: Item, where: Where, cued: bool,
              periodic: bool = False) -> bool:
    """Is the number stated as a commitment? Inside a targets section always; elsewhere a
    plan commits with a cue or a commitment word, any document with a strong commitment word
    (phấn đấu, chỉ tiêu) or a share that opens its sentence, other documents also with a
    share after a verb of what must be done (hoàn thành, bảo đảm, cắt giảm), a report only
    with a strong word."""
    hit = item.hit
    if "targets" in doc.kinds(hit.start):
        return True
    spans = ((where.lead, where.clause_start), (item.start, item.end))
    if any(marks.any("strong", *span) for span in spans):
        return True
    tier = doc.tier_at(hit.start)
    if tier == "report":
        return False
    share = hit.unit == "percent" or hit.kind == "ratio"  # "60% xã", "40/99 xã"
    if share and marks.first_word(where.sentence) > hit.start:
        return True
    weak = any(marks.any("weak", *span) for span in spans)
    if tier == "plan":
        # a frequency a plan sets ("giao ban 6 tháng một lần", "04 đợt cao điểm trong năm":
        # ``periodic``) is a commitment by its shape, and so is the share a task reaches ("tổ
        # chức cho 100% cấp xã ký cam kết")
        task = share and bool(doc.kinds(hit.start) & {"tasks", "solutions"})
        return cued or hit.kind == "frequency" or periodic or weak or task
    return share and any(marks.any("pledge", *span) for span in spans)


def baselines(text: str, hits: Sequence[Quantity]) -> set[int]:
    """Indexes of the numbers that only say where a change starts ("giảm từ 23 … xuống
    18": "từ" right before, "xuống / lên / còn" and a number soon after) or what a rate is
    per ("Số bác sĩ trên 10.000 dân đạt 12 bác sĩ")."""
    r = rules()
    out: set[int] = set()
    for i, hit in enumerate(hits[:-1]):
        before = text[max(0, hit.start - 8):hit.start]
        after = text[hit.end:hits[i + 1].end]
        if ((r.baseline_start.search(before) and r.baseline_goal.match(after))
                or (hit.unit == "count" and r.denominator_before.search(before)
                    and r.denominator_after.match(after))):
            out.add(i)
    return out
