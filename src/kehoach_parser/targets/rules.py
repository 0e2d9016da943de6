"""The words of ``data/targets.toml``, compiled once (the targets stage's vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, cast

import regex

from .. import patterns
from ..data import load
from ..models import Comparator

# The regex module ships without type information: its patterns and matches are Any.
Pattern = Any
Match = Any

# How far back (characters) a comparator cue is looked for.
CUE_WINDOW = 80


def _compile(pattern: str, case: bool = False) -> Pattern:
    return patterns.compile(pattern, 0 if case else regex.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """``data/targets.toml``, compiled."""

    periods: tuple[tuple[str, Pattern], ...]
    bound: Pattern  # a comparator cue ending the words before a number
    bound_names: tuple[Comparator, ...]
    changes: tuple[tuple[Comparator, Pattern], ...]
    opener: Pattern
    suffixes: tuple[tuple[Comparator, Pattern], ...]
    predicate: Pattern
    verbs: Pattern
    stop: Pattern  # the end of a counted noun phrase
    lead: Pattern
    tail: Pattern
    ensure: Pattern
    rate: Pattern
    generic: frozenset[str]
    scope: Pattern
    year: Pattern
    when: Pattern  # a phrase that only says when ("năm 2026")
    no_targets: frozenset[str]
    results_docs: frozenset[str]
    plan_docs: frozenset[str]
    strong: Pattern
    weak: Pattern
    pledge: Pattern
    naming: Pattern
    year_before: Pattern
    past: Pattern
    baseline: Pattern
    state: Pattern
    baseline_start: Pattern
    baseline_goal: Pattern
    denominator_before: Pattern
    denominator_after: Pattern
    fees: Pattern
    awards: Pattern
    forecast: Pattern
    condition_before: Pattern
    condition_after: Pattern
    dimension: Pattern
    reporting: Pattern
    results_section: Pattern
    restart: Pattern  # opens a new item after a separator, whatever came before
    part: Pattern  # a part of the total with its own level ("trong đó … đạt")
    table_subject: Pattern
    table_unit: Pattern
    table_plan: Pattern
    table_past: Pattern
    caption: Pattern
    not_caption: Pattern
    table_signs: dict[str, Comparator]


@cache
def rules() -> Rules:
    data = load("targets")
    comparators = data["comparators"]
    bound = _compile("(?:" + "|".join(f"(?P<c{i}>{c['pattern']})" for i, c in
                                      enumerate(comparators)) + r")\s*$")
    subject, past, tables = data["subject"], data["past"], data["tables"]
    return Rules(
        periods=tuple((p["period"], _compile(p["pattern"])) for p in data["periods"]),
        bound=bound,
        bound_names=tuple(cast(Comparator, c["comparator"]) for c in comparators),
        changes=tuple((cast(Comparator, c["comparator"]), _compile(c["pattern"]))
                      for c in data["changes"]),
        opener=_compile("|".join(o["pattern"] for o in data["openers"])),
        suffixes=tuple((cast(Comparator, s["comparator"]), _compile(s["pattern"]))
                       for s in data["suffixes"]),
        predicate=_compile(subject["predicate"]),
        verbs=_compile(subject["verbs"]),
        stop=_compile(f"{subject['predicate']}|{subject['adjunct']}"),
        lead=_compile(subject["lead"]),
        tail=_compile(subject["tail"]),
        ensure=_compile(subject["ensure"]),
        rate=_compile(subject["rate"]),
        generic=frozenset(subject["generic"]),
        scope=_compile(data["scope"]["pattern"]),
        year=_compile(data["year"]["pattern"]),
        when=_compile(data["year"]["when"]),
        no_targets=frozenset(data["documents"]["no_targets"]),
        results_docs=frozenset(data["documents"]["results"]),
        plan_docs=frozenset(data["documents"]["plans"]),
        strong=_compile(data["commitment"]["strong"]),
        weak=_compile(data["commitment"]["weak"]),
        pledge=_compile(data["commitment"]["pledge"]),
        naming=_compile(data["naming"]["pattern"], case=data["naming"].get("case", False)),
        year_before=_compile(data["years"]["before"]),
        past=_compile(past["pattern"]),
        baseline=_compile(past["baseline"]),
        state=_compile(past["state"]),
        baseline_start=_compile(data["baselines"]["start"]),
        baseline_goal=_compile(data["baselines"]["goal"]),
        denominator_before=_compile(data["denominators"]["before"]),
        denominator_after=_compile(data["denominators"]["after"]),
        fees=_compile(data["rules"]["pattern"]),
        awards=_compile(data["awards"]["pattern"]),
        forecast=_compile(data["forecast"]["pattern"]),
        condition_before=_compile(data["conditions"]["before"]),
        condition_after=_compile(data["conditions"]["after"]),
        dimension=_compile(data["conditions"]["dimension"]),
        reporting=_compile(data["reporting"]["pattern"]),
        results_section=_compile(data["results_section"]["pattern"]),
        restart=_compile(data["restart"]["pattern"]),
        part=_compile(data["part"]["pattern"]),
        table_subject=_compile(tables["subject"]),
        table_unit=_compile(tables["unit"]),
        table_plan=_compile(tables["plan"]),
        table_past=_compile(tables["past"]),
        caption=_compile(tables["caption"]),
        not_caption=_compile(tables["not_caption"]),
        table_signs={sign: cast(Comparator, name) for sign, name in tables["signs"].items()},
    )


@lru_cache(maxsize=4096)
def cue_at(words: str) -> tuple[int, Comparator] | None:
    """Where the comparator cue that ends ``words`` starts, and its comparator. One item's
    words are asked about from several places (its comparator, its subject, its statement):
    each string is searched once.

    >>> cue_at("Phấn đấu ít nhất "), cue_at("tốc độ tăng bình quân ")
    ((9, 'gte'), None)
    """
    r = rules()
    m = r.bound.search(words)
    if m is None:
        return None
    return m.start(), next(name for i, name in enumerate(r.bound_names)
                           if m.group(f"c{i}") is not None)


def bound(prefix: str) -> Comparator | None:
    """The comparator whose cue ends ``prefix`` (the words right before a number).

    >>> bound("Phấn đấu ít nhất "), bound("tốc độ tăng bình quân "), bound("giảm hàng năm ")
    ('gte', None, 'decrease')
    """
    found = cue_at(prefix[-CUE_WINDOW:])
    return None if found is None else found[1]
