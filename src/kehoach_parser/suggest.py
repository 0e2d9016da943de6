"""Gợi ý bộ chỉ tiêu (a catalogue drafted from the plans): the inferred indicators of a
folder of plans, written as a catalogue file of the shipped shape for a person to edit.

``suggest_catalogue(source)`` groups the targets no catalogue indicator covers
(:func:`kehoach_parser.grouping.group_targets`) and writes each group that
``min_localities`` localities set as an indicator: its id and label, the units and year of
its targets, one cue per wording (the words its targets share with the measure, in parts
joined by "…", so that each of them maps back to it) and its targets' clauses as examples.
Passed back with ``catalogue=`` (``kehoach compare OUT --catalogue FILE``), its indicators
are catalogue indicators: their rows are no longer marked inferred, and a label, an id or a
cue edited in the file is the one used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .compare import references
from .grouping import Engine, Group, group_targets
from .indicators import Indicator, catalogue_toml
from .measures import MIN_TOKENS, measure_of
from .models import PlanDocument
from .normalize import fold_tones
from .plan_targets import read_targets
from .store import Store

_EXAMPLES = 5  # clauses kept as examples, per indicator
_KINDS = ("percent", "count", "per_period")  # a catalogue's units; the rest are measures
_HEADER = """Bộ chỉ tiêu gợi ý (a suggested catalogue): indicators inferred from {where} by
`kehoach indicators suggest`, each set by at least {least} localities. Edit it — ids, labels,
cues, and add `national = {{ value = …, comparator = "gte" }}` where a national target is
known; delete what is not one indicator — and pass it back: `kehoach compare OUT --catalogue
FILE`. The format: docs/indicators.md."""


def _cue(member: Mapping[str, Any]) -> tuple[str, ...]:
    """The parts of a target's measure, the first anchored ("^…") when it opens the subject
    ("^hồ sơ trực tuyến" does not catch "tỷ lệ người dân nộp hồ sơ trực tuyến"); a measure of
    fewer than ``MIN_TOKENS`` syllables, its whole subject ("^dịch vụ chiếm khoảng": "dịch
    vụ" alone would catch "dịch vụ công đủ điều kiện")."""
    subject = member["subject"] or ""
    measure = measure_of(subject, member["text"] or "")
    # the separator and the anchor are the catalogue's: never taken from the text
    parts = [part.replace("…", "...").lstrip("^ ") for part in measure.parts]
    if len(measure.tokens) < MIN_TOKENS:
        parts = [subject.replace("…", "...").strip(" ,;:.-^")]
    if parts and parts[0] and _fold(subject).startswith(_fold(parts[0])):
        parts[0] = f"^{parts[0]}"
    return tuple(part for part in parts if part.strip("^ "))


def _indicator(group: Group, members: Sequence[Mapping[str, Any]]) -> Indicator:
    units = Counter(str(m["unit"]) for m in members)
    periods = {m["period"] for m in members}
    found = list(dict.fromkeys(cue for m in members if (cue := _cue(m))))
    # an anchored cue adds nothing to the same cue unanchored
    cues = tuple(c for c in found if not (c[0].startswith("^") and (c[0][1:], *c[1:]) in found))
    ordered = sorted(units, key=lambda u: (-units[u], u))
    return Indicator(
        id=group.id, label=group.label,
        units=tuple(u for u in ordered if u in _KINDS),
        measures=tuple(u for u in ordered if u not in _KINDS),
        cues=cues, examples=tuple(dict.fromkeys(str(m["text"]) for m in members))[:_EXAMPLES],
        change=group.family.startswith("change "),
        period=next(iter(periods)) if len(periods) == 1 else None,
        year=group.year,
    )


def _fold(text: str) -> str:
    return " ".join(fold_tones(text).lower().split())


def _note(group: Group, members: Iterable[Mapping[str, Any]]) -> str:
    plans = sorted({f"{m['locality'] or '?'} {m['plan_year'] or ''}".strip() for m in members})
    return (f"{len(plans)} plans: {', '.join(plans)}; measured in {group.family}; "
            f"alike {group.score:.2f}")


def suggest_catalogue(source: Iterable[PlanDocument] | Store | str | Path, *,
                      catalogue: str | Path | None = None, min_localities: int = 2,
                      engine: Engine = "local", scheduler: str | None = None,
                      name: str | None = None) -> str | None:
    """Gợi ý (suggest) a catalogue: the TOML text of the indicators inferred from the plans
    of ``source`` that ``catalogue`` (default: the bundled one) does not cover, or None when
    no group of targets is set by ``min_localities`` localities."""
    known = references(catalogue)
    records = read_targets(source, catalogue=catalogue)
    free = [r for r in records if r["indicator"] is None]
    groups = group_targets(free, min_localities=min_localities, taken=known, engine=engine,
                           scheduler=scheduler)
    if not groups:
        return None
    members = {g.id: [free[i] for i in g.members] for g in groups}
    where = str(source) if isinstance(source, str | Path) else "the plans given"
    text = catalogue_toml(
        [_indicator(g, members[g.id]) for g in groups],
        name=name or f"Chỉ tiêu suy ra từ {where}",
        notes={g.id: _note(g, members[g.id]) for g in groups},
        header=_HEADER.format(where=where, least=min_localities))
    return text

