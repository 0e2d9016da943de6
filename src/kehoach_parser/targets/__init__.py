"""Chỉ tiêu (numeric targets): every quantified commitment of a plan, wherever it stands.

The document is read line by line from its layout (a table row cell by cell): each line's
numbers with what they measure come from the quantity grammar (:mod:`kehoach_parser.numbers`),
its clauses and list items from :mod:`.clauses`. The words before a number give its
comparator, a comparator that opens a list governs the list, and an opener ("Phấn đấu …")
governs its sentence or, ending a lead-in line or a heading with ':', the list under it
(:mod:`.fields`). Whether a number is a commitment depends on the part of the plan, the
document's type and the tense of its clause (:mod:`.commitment`); tables of targets are read
by their columns (:mod:`.tables`); a restated commitment is one target with several mentions
(:mod:`.merge`). A target's ``text`` and ``span`` are its whole clause (to the end of its
sentence or list item: "…, 50% B" shares the clause of "Ít nhất 60% A"), its ``mentions`` the
item's own words at each place it is stated. All words live in ``data/targets.toml`` and
``data/numbers.toml``.

>>> from kehoach_parser.context import context_of
>>> from kehoach_parser.models import Metadata
>>> [(t.value, t.unit, t.comparator, t.subject) for t in find_targets(context_of(
...     "Ít nhất 60% người lao động tại các cơ sở kinh doanh dịch vụ, 50% người lao động tại "
...     "các khu công nghiệp được tuyên truyền.", metadata=Metadata(doc_type="KH"))).items]
... # doctest: +NORMALIZE_WHITESPACE
[(60, 'percent', 'gte', 'người lao động tại các cơ sở kinh doanh dịch vụ'),
 (50, 'percent', 'gte', 'người lao động tại các khu công nghiệp')]
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from .. import patterns
from ..context import Context, Found
from ..indicators import Catalogue, load_catalogue
from ..models import Comparator, Mention, Target
from ..numbers import Quantity
from .clauses import Clause, Item, split_clauses, split_items, trimmed
from .commitment import Marks, Where, baselines, committed, excluded
from .document import Document, Segment, year_in
from .fields import ListState, comparator, period, quantity_unit, subject, year
from .merge import merge
from .rules import CUE_WINDOW, bound, cue_at
from .rules import rules as _rules
from .tables import read_tables

__all__ = ["find_targets"]

# Numbers written in words ("một", "tất cả") count only alone in their clause.
_WORDY = ("word", "all")
# A clause holding more items than this, or longer, gives each item its own words as text.
_MAX_ITEMS = 8
_MAX_CLAUSE = 2000
# "Số bác sĩ … đạt 11 bác sĩ": the noun a count repeats.
_COUNTED_RE = patterns.compile(r"\bsố\s+(\p{L}+)", regex.IGNORECASE)
# How many characters after a number its statement runs (for telling restatements apart).
_STATEMENT_AFTER = 80


def _eligible(text: str, hits: Sequence[Quantity], clause: Clause) -> list[Quantity]:
    """The clause's numbers that can be targets: not the start of a change ("giảm từ 23 …
    xuống 18"); a number before some other noun only when the clause bounds it ("tối thiểu 05
    kịch bản") or repeats its noun ("Số bác sĩ … đạt 11 bác sĩ"); number words only alone."""
    starts = baselines(text, hits)
    counted: dict[str, int] | None = None  # the nouns of "số <noun>" in the clause, first seen
    kept: list[Quantity] = []
    for i, hit in enumerate(hits):
        if i in starts:
            continue
        if hit.kind == "bare":
            cue = bound(text[max(clause.start, hit.start - CUE_WINDOW):hit.start])
            if counted is None:
                counted = {}
                for m in _COUNTED_RE.finditer(text, clause.start, clause.end):
                    counted.setdefault(m[1].lower(), m.start())
            seen = counted.get(text[hit.body:hit.end].lower())
            if cue not in ("gte", "gt", "lte", "lt") and (seen is None or seen > hit.start):
                continue
        kept.append(hit)
    return [h for h in kept if h.kind not in _WORDY] or kept


def _not_led() -> bool:
    """The lead-in of an item that is not the first of its clause: none."""
    return False


def _statement(text: str, item: Item) -> str:
    """The words that state an item's commitment: its number with the cue before it and the
    words after it (what a restatement repeats), not the sentence around it."""
    hit = item.hit
    prefix = text[max(item.start, hit.start - CUE_WINDOW):hit.start]
    cue = cue_at(prefix)
    start = hit.start - (len(prefix) - cue[0]) if cue else hit.start
    return text[start:min(item.end, hit.end + _STATEMENT_AFTER)]


def _target(doc: Document, item: Item, chosen: Comparator, where: Where, state: ListState,
            span: tuple[int, int], clause_year: int | None, segment: Segment
            ) -> tuple[Target, str]:
    text, hit = doc.text, item.hit
    own = trimmed(text, item.start, item.end)
    words = _statement(text, item)
    found_subject, scope = subject(text, item, state.subject)
    state.subject = found_subject
    unit, found_period = quantity_unit(hit, period(text, item, where.sentence))
    indicator = None
    if doc.catalogue is not None:
        indicator = doc.catalogue.match(found_subject, text[own[0]:own[1]], unit=unit,
                                        comparator=chosen, period=found_period)
    raw = text[span[0]:span[1]]
    found = Target(
        text=raw, value=hit.value, value_max=hit.value_max, unit=unit, period=found_period,
        comparator=chosen, subject=found_subject, scope=scope, indicator=indicator,
        year=year(doc, item, clause_year, segment.start), section_path=doc.path_at(own[0]),
        span=span, mentions=[Mention(span=own, raw=text[own[0]:own[1]])],
    )
    return found, words


def _targets_of_clause(doc: Document, marks: Marks, clause: Clause, segment: Segment,
                       state: ListState) -> list[tuple[Target, str]]:
    """The targets of one clause, each item judged for its comparator and commitment."""
    text = doc.text
    hits = _eligible(text, clause.hits, clause)
    if not hits:
        return []
    items = split_items(text, hits, clause.start, clause.end)
    whole = trimmed(text, clause.lead, clause.end)
    keep_whole = len(items) <= _MAX_ITEMS and whole[1] - whole[0] <= _MAX_CLAUSE
    clause_year = year_in(text[whole[0]:whole[1]]) if keep_whole else None
    where = Where(clause.sentence, clause.lead, clause.start, clause.end)
    opened_lead = marks.any("opener", clause.lead, clause.start)
    out: list[tuple[Target, str]] = []
    for index, item in enumerate(items):
        hit = item.hit
        if index == 0:
            item.opens_with_number = not any(c.isalpha() for c in text[item.start:hit.start])
        # an opener governs its own item, and the items of its list that open with a number
        opened = (opened_lead or marks.any("opener", item.start, hit.start)
                  or (item.opens_with_number and marks.any("opener", clause.sentence, hit.start)))
        # whether a lead-in governs the list, asked only when nothing nearer sets the
        # comparator (its headings and lines above are read)
        lead_in = (lambda: doc.lead_in(segment.line, segment.start)) if index == 0 else _not_led
        chosen, cued = comparator(text, item, clause.start, opened, state.comparator, lead_in)
        state.comparator = chosen if cued and chosen != "range" else None
        # An item that continues an accepted list ("…, 50% B") is a commitment too.
        listed = state.accepted and item.opens_with_number
        # sessions held in a period ("tổ chức 04 đợt … trong năm") are a frequency
        periodic = hit.sessions and period(text, item, where.sentence) is not None
        state.accepted = not excluded(doc, marks, item, where) and (
            listed or committed(doc, marks, item, where, cued, periodic))
        if state.accepted:
            span = whole if keep_whole else trimmed(text, item.start, item.end)
            out.append(_target(doc, item, chosen, where, state, span, clause_year, segment))
    return out


def _read_segment(doc: Document, segment: Segment, hits: list[Quantity]
                  ) -> list[tuple[Target, str]]:
    text = doc.text
    marks = Marks(text, segment.start, segment.end, doc.reference_year)
    states: dict[int, ListState] = {}
    out: list[tuple[Target, str]] = []
    for clause in split_clauses(text, segment.start, segment.end, hits):
        state = states.setdefault(clause.sentence, ListState())
        out.extend(_targets_of_clause(doc, marks, clause, segment, state))
    return out


def find_targets(context: Context, *, catalogue: Catalogue | None = None) -> Found[Target]:
    """Tìm chỉ tiêu (find targets): one entry per quantified commitment, restatements merged
    into ``mentions``; ``catalogue`` maps them to indicators (the bundled one by default)."""
    metadata = context.metadata
    if (metadata.doc_type or "") in _rules().no_targets:
        return Found()
    chosen = catalogue if catalogue is not None else load_catalogue()
    about = metadata.title or context.text[:3000]
    doc = Document(context, chosen if chosen.covers(about) else None)
    rows, taken = read_tables(doc)
    found: list[tuple[Target, str]] = []
    quantities = doc.quantities
    for segment in doc.segments():
        if segment.line not in taken and (hits := quantities.within(segment.start,
                                                                    segment.end)):
            found.extend(_read_segment(doc, segment, hits))
    found.extend((row.target, row.statement) for row in rows)
    found.sort(key=lambda pair: pair[0].span[0])
    return Found(merge(found))
