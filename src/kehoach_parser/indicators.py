"""Bộ chỉ tiêu (indicator catalogue): canonical indicators that targets are mapped to.

A catalogue is a TOML file (``data/indicators.toml`` is the bundled one, for the national
prostitution-prevention programme): each indicator has an id, a Vietnamese label, the units it
is measured in, its national target and cue phrases. A target maps to the indicator whose cue
phrases its subject (or, failing that, its clause) holds, found fuzzily with rapidfuzz; a
target of another domain maps to none. Users load their own file for another programme
(``docs/indicators.md``); :func:`catalogue_toml` writes one (``kehoach indicators suggest``
drafts one from the plans' inferred indicators, ``docs/compare.md``).

>>> catalogue = load_catalogue()
>>> catalogue.match("người lao động tại các khu công nghiệp", "50% người lao động tại các "
...                 "khu công nghiệp", unit="percent")
'propaganda_industrial_workers_pct'
>>> catalogue.match("hộ nghèo", "giảm 1,5% hộ nghèo", unit="percent") is None
True
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
from rapidfuzz import fuzz

from . import patterns
from .data import load
from .errors import FileMissingError, InputError
from .normalize import fold_tones

# A cue part found this well (rapidfuzz partial ratio) is present despite a typo.
FUZZY_THRESHOLD = 90
# Parts shorter than this must be found exactly: one wrong letter changes their meaning.
_FUZZY_MIN_LENGTH = 10
_PART_SEPARATOR = "…"
_UNITS = frozenset({"percent", "count", "per_period"})
_CHANGES = frozenset({"increase", "decrease"})


@dataclass(frozen=True)
class Indicator:
    """Một chỉ tiêu chuẩn (a canonical indicator)."""

    id: str
    label: str
    units: tuple[str, ...]
    cues: tuple[tuple[str, ...], ...]  # each cue: parts that must all be present
    examples: tuple[str, ...]
    change: bool = False
    period: str | None = None
    national: Mapping[str, Any] | None = None
    year: int | None = None  # the year it is for, when that tells it apart (2026 vs 2030)
    measures: tuple[str, ...] = ()  # units of measure ("tỷ đồng", "ha") it is counted in


_ANSWERS_KEPT = 4096  # look-ups remembered per catalogue (then forgotten at once)


@dataclass(frozen=True)
class _Found:
    """Where a cue was found in a haystack: its first position and its length."""

    position: int
    length: int


def _fold(text: str) -> str:
    return " ".join(fold_tones(text).lower().split())


def _exact(part: str, hay: str) -> int | None:
    """Position of ``part`` written as it is in ``hay``. A part written "^…" must open
    ``hay`` (the subject): "^cán bộ" counts people, not the classes held for them."""
    if part.startswith("^"):
        return 0 if hay.startswith(part[1:].lstrip()) else None
    found = hay.find(part)
    return found if found >= 0 else None


def _fuzzy(part: str, hay: str) -> int | None:
    """Position of a long ``part`` written a little differently in ``hay``, or None."""
    if len(part) < _FUZZY_MIN_LENGTH or part.startswith("^"):
        return None
    # A part 90% alike to some stretch of hay shares at least one of its longer words with
    # it; checking that first spares most fuzzy alignments (they dominated the time).
    if not any(word in hay for word in part.split() if len(word) >= 4):
        return None
    alignment = fuzz.partial_ratio_alignment(part, hay, score_cutoff=FUZZY_THRESHOLD)
    return None if alignment is None else alignment.dest_start


def _find_cue(cue: Sequence[str], hay: str, exact: Mapping[str, int | None],
              fuzzy: dict[str, int | None]) -> _Found | None:
    """Where every part of ``cue`` is in ``hay``: exact positions first (looked up once per
    hay), fuzzy ones only when the exact lookups leave nothing but long parts missing."""
    positions = [exact[part] for part in cue]
    for i, part in enumerate(cue):
        if positions[i] is None:
            if part not in fuzzy:
                fuzzy[part] = _fuzzy(part, hay)
            positions[i] = fuzzy[part]
            if positions[i] is None:
                return None
    return _Found(min(p for p in positions if p is not None), sum(map(len, cue)))


class Catalogue:
    """Bộ chỉ tiêu: a programme's indicators and the words that say a document is about it."""

    def __init__(self, name: str, indicators: Sequence[Indicator], domain: Sequence[str]) -> None:
        self.name = name
        self.indicators = tuple(indicators)
        self._by_id = {indicator.id: indicator for indicator in self.indicators}
        self._domain = tuple(patterns.compile(p, regex.IGNORECASE) for p in domain)
        # The answers of recent look-ups: a clause a document repeats (a table restating its
        # text, a list of alike items) is matched once.
        self._answers: dict[tuple[Any, ...], str | None] = {}

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def covers(self, text: str) -> bool:
        """Does ``text`` (a title, or a document's opening) belong to this programme?"""
        folded = fold_tones(text)
        return not self._domain or any(p.search(folded) for p in self._domain)

    def match(self, subject: str, text: str, *, unit: str | None = None,
              comparator: str | None = None, period: str | None = None,
              year: int | None = None) -> str | None:
        """Mã chỉ tiêu (indicator id) of a target, or None.

        ``subject`` is who or what is counted, ``text`` the clause; ``unit``, ``comparator``,
        ``period`` and ``year`` (when given) rule out indicators measured otherwise: a change
        (increase, decrease) maps only to a change indicator, an indicator counted over
        a period (annual) only to a target of that period or of none stated, and one for a
        year only to a target for that year or of none stated.
        """
        key = (subject, text, unit, comparator, period, year)
        if key in self._answers:
            return self._answers[key]
        if len(self._answers) >= _ANSWERS_KEPT:
            self._answers.clear()
        candidates = [i for i in self.indicators if self._fits(i, unit, comparator, period)
                      and not (i.year and year and i.year != year)]
        found = None
        for hay in (_fold(subject), _fold(f"{subject} | {text}")):
            found = self._best(candidates, hay, period)
            if found is not None:
                break
        self._answers[key] = found
        return found

    @staticmethod
    def _fits(indicator: Indicator, unit: str | None, comparator: str | None,
              period: str | None) -> bool:
        if unit is not None and unit not in indicator.units and unit not in indicator.measures:
            return False
        if comparator is not None and (comparator in _CHANGES) != indicator.change:
            return False
        return not (indicator.period and period and indicator.period != period)

    @staticmethod
    def _best(candidates: Sequence[Indicator], hay: str, period: str | None) -> str | None:
        # Rank: the indicator of the stated period, then the cue found earliest (the clause's
        # main predicate comes first), then the longest (most specific) cue, then the
        # catalogue's order.
        ranked: list[tuple[bool, int, int, int]] = []
        parts = {part for indicator in candidates for cue in indicator.cues for part in cue}
        exact = {part: _exact(part, hay) for part in parts}
        fuzzy: dict[str, int | None] = {}
        for order, indicator in enumerate(candidates):
            found = [f for cue in indicator.cues
                     if (f := _find_cue(cue, hay, exact, fuzzy)) is not None]
            if found:
                best = min(found, key=lambda f: (f.position, -f.length))
                same_period = bool(period and indicator.period == period)
                ranked.append((not same_period, best.position, -best.length, order))
        return candidates[min(ranked)[3]].id if ranked else None


def _indicator(entry: Mapping[str, Any], where: str) -> Indicator:
    try:
        units = tuple(entry.get("units", ()) if "measures" in entry else entry["units"])
        measures = tuple(str(m) for m in entry.get("measures", ()))
        cues = tuple(tuple(_fold(p) for p in c.split(_PART_SEPARATOR)) for c in entry["cues"])
        indicator = Indicator(
            id=str(entry["id"]), label=str(entry["label"]), units=units, cues=cues,
            examples=tuple(entry.get("examples", ())), change=bool(entry.get("change", False)),
            period=entry.get("period"), national=entry.get("national"),
            year=None if entry.get("year") is None else int(entry["year"]),
            measures=measures,
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise InputError(f"indicator {entry.get('id', '?')!r}: missing or bad field {error}",
                         path=where) from error
    if not set(units) <= _UNITS or not (units or measures):
        raise InputError(f"indicator {indicator.id!r}: units must be among {sorted(_UNITS)}",
                         path=where)
    unknown = sorted(set(measures) - _measures())
    if unknown:
        raise InputError(f"indicator {indicator.id!r}: {', '.join(unknown)} is no unit of "
                         "measure the targets carry (the units of data/numbers.toml)",
                         path=where)
    if not cues or not all(all(cue) for cue in cues):
        raise InputError(f"indicator {indicator.id!r}: needs non-empty cues", path=where)
    return indicator


@cache
def _measures() -> frozenset[str]:
    """The units of measure targets carry ("tỷ đồng", "ha")."""
    from .measures import extractor_data

    return frozenset(str(entry["unit"]) for entry in extractor_data("units"))


def _catalogue(data: Mapping[str, Any], where: str) -> Catalogue:
    programme = data.get("programme", {})
    indicators = [_indicator(entry, where) for entry in data.get("indicators", ())]
    if not indicators:
        raise InputError("a catalogue needs at least one [[indicators]] entry", path=where)
    ids = [indicator.id for indicator in indicators]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"duplicate indicator ids: {', '.join(duplicates)}", path=where)
    try:
        return Catalogue(str(programme.get("name", "")), indicators,
                         [str(p) for p in programme.get("domain", ())])
    except regex.error as error:
        raise InputError(f"bad domain pattern: {error}", path=where) from error


@cache
def _bundled() -> Catalogue:
    return _catalogue(load("indicators"), "data/indicators.toml")


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Đọc bộ chỉ tiêu (load a catalogue): the bundled one for None, else the TOML file."""
    if path is None:
        return _bundled()
    file = Path(path)
    if not file.is_file():
        raise FileMissingError("no such catalogue file", path=file)
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not a TOML catalogue: {error}", path=file) from error
    return _catalogue(data, str(file))


def _toml(value: Any) -> str:
    """A TOML value: JSON's strings, numbers, booleans and arrays are TOML's too."""
    import json

    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def catalogue_toml(indicators: Sequence[Indicator], *, name: str,
                   domain: Sequence[str] = (), notes: Mapping[str, str] | None = None,
                   header: str = "") -> str:
    """Viết bộ chỉ tiêu (write a catalogue): ``indicators`` as a TOML file of the shipped
    shape, which :func:`load_catalogue` reads back; ``notes`` (by id) and ``header`` become
    comments."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += ["", "[programme]", f"name = {_toml(name)}", f"domain = {_toml(list(domain))}"]
    for indicator in indicators:
        lines += ["", *(f"# {line}" for line in (notes or {}).get(indicator.id, "").splitlines()),
                  "[[indicators]]", f"id = {_toml(indicator.id)}",
                  f"label = {_toml(indicator.label)}"]
        if indicator.units:
            lines.append(f"units = {_toml(indicator.units)}")
        if indicator.measures:
            lines.append(f"measures = {_toml(indicator.measures)}")
        if indicator.change:
            lines.append("change = true")
        if indicator.period:
            lines.append(f"period = {_toml(indicator.period)}")
        if indicator.year:
            lines.append(f"year = {indicator.year}")
        cues = [f" {_PART_SEPARATOR} ".join(cue) for cue in indicator.cues]
        lines.append(f"cues = {_toml(cues)}")
        lines.append("examples = [")
        lines += [f"  {_toml(example)}," for example in indicator.examples]
        lines.append("]")
    return "\n".join(lines) + "\n"
