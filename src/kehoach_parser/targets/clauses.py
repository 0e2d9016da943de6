"""Clauses and list items: where a target's words start and end.

A segment (a line or a table cell) is cut into clauses at ';', ':' and sentence ends; a part
without any number joins the next one ("đăng tải trên báo chí thành phố; Trang thông tin …
ít nhất một tháng một lần"). A clause is cut into items, one per number that opens a list item
("60% A, 100% B"); a number inside the predicate of an item only describes it ("60% xã … tổ
chức được ít nhất là một hình thức").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from .. import patterns
from ..numbers import Quantity
from .rules import cue_at, rules

_SEPARATOR_RE = patterns.compile(r"[,;]\s*+|(?<!\s)\s++(?:và|hoặc)\s++")
_CLAUSE_END_RE = patterns.compile(r";|:(?=\s)|\.(?=\s+[\p{Lu}\d\-]|\s*$)")
_RESTATED_RE = patterns.compile(r"\s*\($")
# Existential "có" right before a number ("Đến năm 2030 có 70% cơ sở …") is no predicate.
_EXISTS_RE = patterns.compile(r"(?:^|\s)có\s*$", regex.IGNORECASE)


@dataclass
class Item:
    """One list item of a clause: the number that heads it and the words it spans."""

    hit: Quantity
    start: int
    end: int
    opens_with_number: bool = False
    heads: bool = True  # no verb before its number: it opens its own noun phrase
    extra: list[Quantity] = field(default_factory=list)  # numbers of its predicate
    in_predicate: bool = False  # a verb stands after its number: what follows describes it


@dataclass
class Clause:
    """A clause (cut at ';', ':' and sentence ends) and its numbers. ``sentence`` is where
    its sentence starts (a list carries on to its end); ``lead`` where the words that end
    with the ':' opening the clause start ("Phấn đấu đến năm 2025: 70% xã …"), else ``start``."""

    sentence: int
    lead: int
    start: int
    end: int
    hits: list[Quantity]


def split_clauses(text: str, start: int, end: int, hits: Sequence[Quantity]) -> list[Clause]:
    """The clauses of ``text[start:end]`` that hold numbers (``hits``, in order)."""
    out: list[Clause] = []
    begin = sentence = lead = start
    i = 0
    for m in _CLAUSE_END_RE.finditer(text, start, end):
        j = i
        while j < len(hits) and hits[j].start < m.start():
            j += 1
        inside = [h for h in hits[i:j] if h.start >= begin]
        i = j
        if inside:
            out.append(Clause(sentence, lead, begin, m.start(), inside))
        if inside or m.group() != ";":
            lead = begin if m.group() == ":" else m.end()
            begin = m.end()
        if m.group() not in ";:":
            sentence = begin
    inside = [h for h in hits[i:] if h.start >= begin]
    if inside:
        out.append(Clause(sentence, lead, begin, end, inside))
    return out


def _cue_only(words: str) -> bool:
    """Are ``words`` nothing but a comparator cue (", ít nhất ", " và trên ")?"""
    stripped = words.strip()
    if not stripped:
        return True
    cue = cue_at(stripped)
    return cue is not None and cue[0] == 0


def _heads(text: str, start: int, hit: Quantity) -> bool:
    """Does the number open its item's noun phrase (no verb before it but an existential
    "có": "Phấn đấu có trên 40/99 xã")? "Tỷ lệ A đạt 71%" does not."""
    prefix = text[start:hit.start]
    r = rules()
    cue = cue_at(prefix[-80:])
    if cue is not None:
        prefix = prefix[: len(prefix) - len(prefix[-80:]) + cue[0]]
    prefix = _EXISTS_RE.sub("", prefix)
    return not (r.predicate.search(prefix) or r.verbs.search(prefix))


def _reaches(text: str, start: int, item: Item, hit: Quantity, between: str) -> bool:
    """Is ``hit`` the level a rate reaches, its item's first number only part of what the rate
    counts ("Tỷ lệ phụ nữ … khám thai ít nhất 4 lần trong 3 thai kỳ đạt 90%")?"""
    r = rules()
    if (hit.unit != "percent" or item.hit.unit == "percent" or item.extra
            or not r.rate.match(text[start:item.hit.start])):
        return False
    words = between.rstrip()
    cue = cue_at(words)
    if cue is not None:
        words = words[:cue[0]].rstrip()
    return bool(r.tail.search(words))


def split_items(text: str, hits: Sequence[Quantity], start: int, end: int) -> list[Item]:
    """A clause's list items. A number starts an item when it follows a separator with only
    a cue between ("…, ít nhất 50% B"); it describes the item before it when it stands in that
    item's predicate ("60% xã … tổ chức được ít nhất một hình thức", "100% (10/10) huyện");
    after a complete item ("Tỷ lệ A đạt 71%, tỷ lệ B đạt 27%") the next separator starts the
    next item."""
    r = rules()
    items: list[Item] = []
    for hit in hits:
        if not items:
            items.append(Item(hit, start, end, heads=_heads(text, start, hit)))
            continue
        previous = items[-1]
        # the words since the previous number (linear: a long run of numbers is read once)
        after = (previous.extra[-1] if previous.extra else previous.hit).end
        between = text[after:hit.start]
        separators = list(_SEPARATOR_RE.finditer(between))
        last = separators[-1] if separators else None
        tail = between[last.end():] if last is not None else ""
        restarted = last is not None and bool(r.restart.match(tail))
        if last is not None and (restarted or _cue_only(tail) or r.part.match(tail)):
            cut = last
        elif _RESTATED_RE.match(between):
            previous.extra.append(hit)
            continue
        elif previous.heads:
            if (previous.in_predicate or r.predicate.search(between)
                    or r.verbs.search(between)):
                previous.in_predicate = True
                previous.extra.append(hit)
                continue
            cut = last
        elif separators:
            cut = separators[0]
        else:
            if _reaches(text, start, previous, hit, between):
                previous.extra.append(previous.hit)  # it only said what the rate counts
                previous.hit = hit
            else:
                previous.extra.append(hit)
            continue
        boundary = after + cut.end() if cut else hit.start
        previous.end = after + cut.start() if cut else hit.start
        # a restarted item ("…, lũy kế 74 xã") continues the list as one opening with its number
        items.append(Item(hit, boundary, end, restarted or not text[boundary:hit.start].strip(),
                          heads=_heads(text, boundary, hit)))
    return items


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the spaces and the punctuation around it."""
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    return start, end
