"""Cơ quan thực hiện (responsible agencies): every body the document gives work of its own.

The places are read by :mod:`kehoach_parser.agency_places` (the implementation part, parts
that divide tasks among bodies, a công văn's points, assigning lines, assignment tables, the
article that charges office-holders, recipients with a task); the names by
:mod:`kehoach_parser.agency_names` and the registry (:mod:`kehoach_parser.agency_registry`).
This stage makes one agency of each body, whatever the number of places that name it, with
its tasks, whom it leads and coordinates with, whether the document can only request, and its
successor after the 2025 reorganisation.

>>> from kehoach_parser.context import context_of
>>> ctx = context_of("V. TỔ CHỨC THỰC HIỆN\\n1. Công an tỉnh\\n- Chủ trì, phối hợp với "
...                  "Sở Y tế kiểm tra.\\n2. Đề nghị Tòa án nhân dân tỉnh\\nXét xử.",
...                  metadata=Metadata())
>>> [(a.name, a.requested, a.leads) for a in find_agencies(ctx).items]
[('Công an tỉnh', False, ['Sở Y tế']), ('Tòa án nhân dân tỉnh', True, [])]
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from . import patterns
from .agency_names import Body, Context, read_list
from .agency_places import Assignment, Reader
from .agency_registry import Entry
from .agency_restore import restore
from .context import Context as DocContext
from .context import Found
from .data import load
from .layout import fold
from .models import Agency, DateParts, Metadata

__all__ = ["Context", "find_agencies"]


@cache
def _relations() -> tuple[Any, Any]:
    """The relation patterns, matched on the lower-cased task (quicker than ignoring case)."""
    relations = {r["kind"]: r["pattern"] for r in load("agencies")["relation"]}
    return (patterns.compile(rf"(?:{relations['leads']})\s+"),
            patterns.compile(rf"(?:{relations['coordinates']})\s+"))


def _partners(body: Body, tasks: list[str], context: Context) -> tuple[list[str], list[str]]:
    """Canonical names it leads (Chủ trì, phối hợp với …) and supports (Phối hợp với …)."""
    leads_re, coordinates_re = _relations()
    leads: list[str] = []
    coordinates: list[str] = []
    for task in tasks:
        lower = task.lower()
        if "hợp" not in lower or len(lower) != len(task):
            continue  # no "phối hợp": the cheap check first
        lead_spans = []
        for m in leads_re.finditer(lower):
            lead_spans.append(m.span())
            leads.extend(_named(task, m.end(), context))
        for m in coordinates_re.finditer(lower):
            if not any(s <= m.start() < e for s, e in lead_spans):
                coordinates.extend(_named(task, m.end(), context))
    return _unique(leads, body.canonical), _unique(coordinates, body.canonical)


@lru_cache(maxsize=2048)
def _named(task: str, pos: int, context: Context) -> tuple[str, ...]:
    """Canonical names of the bodies listed at ``pos`` (a task shared by several bodies is
    read once)."""
    return tuple(b.canonical for b in read_list(task, pos, context).bodies)


def _unique(names: list[str], own: str) -> list[str]:
    return [n for n in dict.fromkeys(names) if n != own]


def _successor(entry: Entry | None, date: DateParts) -> str | None:
    if entry is None or entry.successor is None or entry.successor_from is None:
        return None
    if date.year is None:
        return entry.successor
    written = (date.year, date.month or 1, date.day or 1)
    year, month, day = (int(part) for part in entry.successor_from.split("-"))
    return entry.successor if written < (year, month, day) else None


def _merge(found: list[Assignment]) -> list[Assignment]:
    """One entry per body: a body named in several places keeps its first place and all
    its tasks; it is requested when any place only requests it."""
    merged: dict[tuple[str, str | None, str | None], Assignment] = {}
    for f in sorted(found, key=lambda a: a.body.start):
        key = f.body.key
        if key in merged:
            kept = merged[key]
            kept.tasks.extend(t for t in f.tasks if t not in kept.tasks)
            kept.coordinates.extend(c for c in f.coordinates if c not in kept.coordinates)
            if not kept.path and f.path:
                # Named first before any part (a lead-in sentence): its point is its place.
                kept.body = f.body.moved(0, requested=kept.body.requested or None)
                kept.path = f.path
            if f.body.requested and not kept.body.requested:
                kept.body = kept.body.moved(0, requested=True)
        else:
            merged[key] = Assignment(f.body, list(f.tasks), f.path, list(f.coordinates))
    return sorted(merged.values(), key=lambda a: a.body.start)


def _commands_committees(metadata: Metadata) -> bool:
    """Whether the issuer can command a people's committee (Ủy ban nhân dân): a people's
    committee above it, the Government and the ministries can; a Party committee, a Sở or a
    school can only request it ("Sở GDĐT đề nghị Ủy ban nhân dân cấp xã …")."""
    issuer = metadata.issuer
    if issuer is None or metadata.locality.level == "central":
        return True
    return fold(issuer).startswith(("uy ban nhan dan", "ubnd"))


def find_agencies(found_in: DocContext) -> Found[Agency]:
    """Cơ quan được giao nhiệm vụ (agencies assigned work), one entry per body."""
    metadata = found_in.metadata
    context = Context.of(metadata)
    text = restore(found_in.visible())
    reader = Reader(found_in, context, text)
    committees = _commands_committees(metadata)
    agencies = []
    for f in _merge(reader.read()):
        body = f.body
        requested = body.requested or (
            not committees and body.entry is not None and body.entry.kind == "UBND"
            and body.canonical.startswith("Ủy ban nhân dân"))
        leads, coordinates = _partners(body, f.tasks, context)
        agencies.append(Agency(
            name=body.name,
            canonical=body.canonical,
            level=body.level,
            requested=requested,
            tasks=f.tasks,
            leads=leads,
            coordinates_with=_unique([*coordinates, *f.coordinates], body.canonical),
            successor=_successor(body.entry, metadata.date),
            section_path=f.path,
            span=(body.start, body.end),
        ))
    return Found(agencies)
