"""The fields of a target: its comparator, subject and scope, period and year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import patterns
from ..models import Comparator
from ..numbers import Quantity
from .clauses import Item
from .document import Document, year_in
from .rules import Match, bound, cue_at, rules

_PARENTHESES_RE = patterns.compile(r"\([^()]*\)")
# Comparators a value cannot satisfy: more than all of a set.
_IMPOSSIBLE: dict[str, float] = {"gt": 100.0}


@dataclass
class ListState:
    """What a sentence's earlier items pass on: the comparator that opened the list, and the
    subject (for an item that only names a level: "và 50% ở cấp huyện, xã")."""

    comparator: Comparator | None = None
    subject: str | None = None
    accepted: bool = False


def _change(text: str, clause_start: int, item: Item) -> Comparator | None:
    """The change a clause opening with "Tăng tỷ lệ …", "Giảm số …" states for its first
    number (the words before the first word skipped: "(19) ")."""
    if item.start != clause_start:
        return None
    start = clause_start
    while start < item.hit.start and not text[start].isalpha():
        start += 1
    words = text[start:item.hit.start]
    return next((c for c, pattern in rules().changes if pattern.match(words)), None)


def comparator(text: str, item: Item, clause_start: int, opened: bool,
               inherited: Comparator | None, lead_in: Callable[[], bool]
               ) -> tuple[Comparator, bool]:
    """The comparator of an item's number, and whether a cue (not the default) set it.
    ``opened``: an opener ("phấn đấu") stands earlier in its sentence or before its ':';
    ``lead_in``: whether one ends the line or heading that opens its list (asked last)."""
    r, hit = rules(), item.hit
    change = _change(text, clause_start, item)
    if change is not None:
        return change, True
    cue = bound(text[item.start:hit.start])
    if cue in ("increase", "decrease"):
        return cue, True
    after = text[hit.end:hit.end + 20]
    for name, pattern in r.suffixes:
        if pattern.search(after):
            return name, True
    if hit.value_max is not None:
        return "range", True
    if cue is not None:
        return cue, True
    if hit.cue is not None:
        return hit.cue, True  # type: ignore[return-value]
    if opened:
        return "gte", True
    if inherited is not None and item.opens_with_number:
        if hit.unit == "percent" and hit.value >= _IMPOSSIBLE.get(inherited, float("inf")):
            return "eq", False
        return inherited, True
    if lead_in():
        return "gte", True
    return "eq", False


def _clean_subject(phrase: str) -> str:
    r = rules()
    phrase = r.tail.sub("", phrase.strip(" ,;:.-"))
    while (m := r.lead.match(phrase)) is not None and m.end() > 0:
        phrase = phrase[m.end():]
    phrase = phrase.strip(" ,;:.-")
    # a parenthesis the phrase's edge cut ("…KCN (đạt 100%)" → no ")" for a subject)
    while phrase and (phrase[0] == ")" or phrase[-1] == "(" or (
            phrase[-1] == ")" and phrase.count("(") < phrase.count(")"))):
        phrase = (phrase[1:] if phrase[0] == ")" else phrase[:-1]).strip(" ,;:.-")
    return phrase


def subject(text: str, item: Item, previous: str | None) -> tuple[str, str | None]:
    """Who or what is counted, and the level it is limited to. The noun phrase after the
    number; before it when there is none ("Tỷ lệ hộ nghèo giảm 1,5%") or when the noun only
    says "người" ("thành viên Hội đồng tối thiểu là 07 người"); the list's previous subject
    for an item that names only a level ("và 50% ở cấp huyện, xã")."""
    r, hit = rules(), item.hit
    if hit.kind == "frequency":
        after = _subject_after(text, hit.end, item.end)[0]
        return (_subject_before(text, item) or after or previous or "",
                scope_of(text[item.start:item.end]))
    phrase, scope, only_level = _subject_after(text, hit.body, item.end)
    if only_level:
        return previous or phrase, scope
    noun = text[hit.body:hit.end].lower() if hit.kind == "count" else ""
    # "tăng trưởng kinh tế trên 10% năm 2026": a year after the number is when, not what;
    # "đạt 85% (tăng 3 trường …)": an aside in parentheses is no subject either
    if (not phrase or (noun in r.generic and phrase.lower() == noun)
            or r.when.fullmatch(phrase) or phrase.startswith("(")):
        phrase = _subject_before(text, item) or previous or phrase
    return phrase, scope


def subject_of_cell(cell: str) -> str:
    """The subject of a table's chỉ tiêu cell: its noun phrase ("Tỷ lệ hộ nghèo" → "hộ
    nghèo")."""
    stop = rules().stop.search(cell)
    return _clean_subject(cell[:stop.start()] if stop else cell)


def _subject_after(text: str, start: int, end: int) -> tuple[str, str | None, bool]:
    """The noun phrase from ``start`` to the predicate, the level named in it, and whether
    the phrase opens with that level (its noun left out)."""
    stop = rules().stop.search(text, start, end)
    region = text[start:stop.start() if stop else end]
    scope = _scope_match(region)
    if scope is None:
        return _clean_subject(region), None, False
    if not region[:scope.start()].strip(" ,"):
        return _clean_subject(region[scope.end():]), scope["scope"], True
    return _clean_subject(region[:scope.start()]), scope["scope"], False


def _subject_before(text: str, item: Item) -> str:
    """The noun phrase before the number (frequencies, "Tỷ lệ hộ nghèo giảm 1,5%")."""
    r = rules()
    start, end = item.start, item.hit.start
    while start < end and not text[start].isalpha():
        start += 1
    # "Phấn đấu đến năm 2030, tỷ lệ … giảm xuống dưới 30%": the opener and its time are no
    # part of what is counted
    if r.opener.match(text, start) and (comma := text.find(",", start, end)) != -1:
        start = comma + 1
        while start < end and not text[start].isalpha():
            start += 1
    # "…, đảm bảo tỷ lệ chất thải được thu gom đạt 95%": what follows the last "đảm bảo"
    last = max((m.end() for m in r.ensure.finditer(text, start, end)), default=start)
    if last < end:
        start = last
    stop = r.stop.search(text, start + 1, end)
    phrase = text[start:stop.start() if stop else end]
    cue = cue_at(phrase)
    return _clean_subject(phrase[:cue[0]] if cue else phrase)


def _scope_match(region: str) -> Match | None:
    # A level named inside parentheses defines a word ("(gọi chung là cấp xã)"), no limit.
    masked = _PARENTHESES_RE.sub(lambda m: " " * len(m.group()), region)
    return rules().scope.search(masked)


def scope_of(region: str) -> str | None:
    m = _scope_match(region)
    return m["scope"] if m else None


def period(text: str, item: Item, sentence: int) -> str | None:
    """The period of a target: its frequency's, one named in its own words ("20%/năm",
    "kiểm tra hằng năm"), else that of an adverb opening its sentence ("Hằng năm, …")."""
    for hit in (item.hit, *item.extra):
        if hit.period:
            return hit.period
    periods = rules().periods
    found = next((name for name, p in periods if p.search(text, item.start, item.end)), None)
    if found:
        return found
    start = sentence
    while start < item.start and not text[start].isalpha():
        start += 1
    return next((name for name, p in periods if p.match(text, start)), None)


def year(doc: Document, item: Item, clause_year: int | None, line_start: int) -> int | None:
    """The year a target is for: named in its item, its clause (``clause_year``), the
    headings above it, else the plan's title ("Kế hoạch … năm 2026", "giai đoạn 2026 - 2030"
    → 2030)."""
    # a year of the clause before the plan's own names something else ("các địa bàn đã có
    # Quyết định công nhận năm 2025"), not the year the target is for
    floor = doc.reference_year or 0
    for found in (year_in(doc.text[item.start:item.end]), clause_year):
        if found is not None and found >= floor:
            return found
    return doc.heading_year(line_start) or doc.title_year


def quantity_unit(hit: Quantity, found_period: str | None) -> tuple[str, str | None]:
    """The unit and period of a target: a count of sessions held in a period is a frequency
    ("mỗi năm … tổ chức ít nhất 1 buổi")."""
    if hit.sessions and found_period and hit.kind in ("count", "word"):
        return "per_period", found_period
    return hit.unit, found_period
