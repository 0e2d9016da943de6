"""So sánh chỉ tiêu (comparison of targets) between localities, and with the national target.

``compare_plans(source)`` gives one row per indicator × plan (a locality in a plan year):
the target as the plan states it (comparator, value, unit, year, source document, section and
span), the national target of the indicator catalogue (``data/indicators.toml``, or the one
given) and, for a district or commune, the target of its parent's plan
(``metadata.locality.parent``) for the same or the nearest year. Two flags say whether the
plan's target is *weaker* than each. Targets no catalogue indicator covers are grouped by
what they measure (:func:`kehoach_parser.grouping.group_targets`): each group set by at least
``min_localities`` localities is an *inferred* indicator, with rows of its own (``inferred``
true, ``score`` how alike its wordings are).

Weaker (yếu hơn) means that the plan commits to less. Each target is reduced to the level it
guarantees in the good direction of its indicator — ``"higher"`` (the default when the
catalogue entry's ``national`` table has no ``direction``: coverage percentages, counts
reached) or ``"lower"`` —: for higher-is-better, "≥ 70", "= 70", "70-80" and "> 70" all guarantee at
least 70 (the strict ">" a little more), "≤ 70" guarantees nothing; for lower-is-better the
other way round. A change ("tăng 3-5%") is only compared with a change. Frequencies
("ít nhất một quý một lần") are compared per year, amounts on one scale ("12 nghìn tỷ đồng" is
12,000 "tỷ đồng"). Targets in different units (a count and a percentage) are not comparable:
the flag is then null, never a guess.

>>> from kehoach_parser.compare import weaker
>>> weaker(Commitment("gte", 60, None, "percent"), Commitment("gte", 70, None, "percent"))
True
>>> weaker(Commitment("eq", 100, None, "percent"), Commitment("gte", 100, None, "percent"))
False
>>> weaker(Commitment("gte", 1, None, "per_period", "quarter"),
...        Commitment("gte", 1, None, "per_period", "month"))
True
>>> weaker(Commitment("eq", 12, None, "nghìn tỷ đồng"), Commitment("eq", 15000, None, "tỷ đồng"))
True
>>> print(weaker(Commitment("gte", 60, None, "count"), Commitment("gte", 70, None, "percent")))
None
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .grouping import Engine, group_targets
from .measures import family_of, target_year
from .models import PlanDocument
from .normalize import fold_tones
from .plan_targets import read_targets
from .store import Store

if TYPE_CHECKING:
    import pandas as pd

Direction = Literal["higher", "lower"]
LEVEL_ORDER = {"central": 0, "province": 1, "district": 2, "commune": 3}

COLUMNS = [
    "indicator", "label", "locality", "level", "parent", "plan_year", "comparator", "value",
    "value_max", "unit", "period", "document", "span_start", "span_end", "text",
    "national_comparator", "national_value", "national_value_max", "national_unit",
    "national_period", "weaker_than_national", "parent_plan_year", "parent_document",
    "parent_comparator", "parent_value", "parent_value_max", "parent_unit", "parent_period",
    "weaker_than_parent", "year", "section_path", "subject", "inferred", "score",
]


@dataclass(frozen=True)
class Commitment:
    """A target reduced to what comparison needs (mức cam kết)."""

    comparator: str
    value: float
    value_max: float | None
    unit: str
    period: str | None = None

    def measure(self) -> tuple[str, float] | None:
        """(what is measured, factor to a common scale); None when it has no scale."""
        return family_of(self.unit, self.comparator, self.period)

    def guaranteed(self, direction: Direction = "higher") -> tuple[str, float, bool] | None:
        """(measure, level guaranteed in the good direction as a higher-is-better score,
        strict); None when the target guarantees nothing in that direction."""
        measure = self.measure()
        if measure is None:
            return None
        unit, factor = measure
        low = self.value * factor
        high = (self.value_max if self.value_max is not None else self.value) * factor
        if direction == "higher":
            scores = {"gte": low, "gt": low, "eq": low, "range": low, "increase": low,
                      "decrease": -high}
        else:
            scores = {"lte": -high, "lt": -high, "eq": -high, "range": -high,
                      "decrease": low, "increase": -high}
        score = scores.get(self.comparator)
        strict = self.comparator == ("gt" if direction == "higher" else "lt")
        return None if score is None else (unit, score, strict)


def weaker(target: Commitment, reference: Commitment, direction: Direction = "higher"
           ) -> bool | None:
    """Whether ``target`` commits to less than ``reference``; None when not comparable."""
    mine, theirs = target.guaranteed(direction), reference.guaranteed(direction)
    if mine is None or theirs is None or mine[0] != theirs[0]:
        return None
    return mine[1:] < theirs[1:]


# --- The indicator catalogue ------------------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    """What the comparison needs of a catalogue indicator: label, direction, national target.

    The direction is read from the indicator's ``national`` table (``direction = "lower"``);
    without it an indicator is higher-is-better.
    """

    label: str
    direction: Direction
    national: Commitment | None


def references(catalogue: str | Path | None = None) -> dict[str, Reference]:
    """The indicators of ``catalogue`` (default: the bundled one), in catalogue order."""
    from .indicators import load_catalogue

    found: dict[str, Reference] = {}
    for indicator in load_catalogue(catalogue):
        national = indicator.national
        found[indicator.id] = Reference(
            indicator.label, national.get("direction", "higher") if national else "higher",
            None if national is None else Commitment(
                national["comparator"], national["value"], national.get("value_max"),
                national.get("unit", (*indicator.units, *indicator.measures)[0]),
                national.get("period", indicator.period),
            ),
        )
    return found



# --- Comparing --------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 16)
def _key(name: str | None) -> str:
    return " ".join(fold_tones(name or "").casefold().split())


def _commitment(record: dict[str, Any]) -> Commitment:
    return Commitment(record["comparator"], record["value"], record["value_max"],
                      record["unit"], record["period"])


def _one_per_plan(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One target per indicator and plan (a locality, level and plan year): from the document
    issued last that sets one (then the last by path), the first it states."""
    def rank(r: dict[str, Any]) -> tuple[int, int, int, str, int]:
        return (r["issued_year"] or 0, r["issued_month"] or 0, r["issued_day"] or 0,
                r["document"], -(r["span_start"] or 0))

    best: dict[tuple[str, str, str | None, int | None], dict[str, Any]] = {}
    for record in records:
        plan = (record["indicator"], _key(record["locality"]), record["level"],
                record["plan_year"])
        if plan not in best or rank(record) > rank(best[plan]):
            best[plan] = record
    return list(best.values())


def _parent_plan(record: dict[str, Any], plans: dict[tuple[str, str], list[dict[str, Any]]]
                 ) -> dict[str, Any] | None:
    """The parent's target for the same indicator, from its plan for the nearest year
    (an earlier year before a later one at the same distance); the parent is a unit of a
    higher level, so a district never takes a same-named commune for its parent."""
    rank = LEVEL_ORDER.get(record["level"] or "", 9)
    candidates = [r for r in plans.get((_key(record["parent"]), record["indicator"]), [])
                  if LEVEL_ORDER.get(r["level"] or "", 9) < rank]
    year = record["plan_year"]
    if not candidates or not record["parent"]:
        return None
    if year is None:
        return max(candidates, key=lambda r: r["plan_year"] or 0)
    return min(candidates, key=lambda r: (abs((r["plan_year"] or 0) - year),
                                          (r["plan_year"] or 0) > year))


def _row(record: dict[str, Any], indicator: Reference | None,
         parent: dict[str, Any] | None) -> dict[str, Any]:
    direction: Direction = indicator.direction if indicator else "higher"
    national = indicator.national if indicator else None
    own = _commitment(record)
    return {
        **{name: record[name] for name in (
            "indicator", "locality", "level", "parent", "plan_year", "comparator", "value",
            "value_max", "unit", "period", "document", "span_start", "span_end", "text",
            "section_path", "subject")},
        "label": indicator.label if indicator else record.get("label", record["indicator"]),
        "national_comparator": national.comparator if national else None,
        "national_value": national.value if national else None,
        "national_value_max": national.value_max if national else None,
        "national_unit": national.unit if national else None,
        "national_period": national.period if national else None,
        "weaker_than_national": weaker(own, national, direction) if national else None,
        **{f"parent_{name}": parent[name] if parent else None for name in (
            "plan_year", "document", "comparator", "value", "value_max", "unit", "period")},
        "weaker_than_parent": weaker(own, _commitment(parent), direction) if parent else None,
        # The member's own year first: a group may join an annual plan's target with a
        # horizon stated elsewhere, and the row must not lend it that horizon.
        "year": target_year(record) or record.get("group_year"),
        "inferred": indicator is None,
        "score": record.get("score", 1.0),
    }


def _inferred(records: list[dict[str, Any]], taken: Iterable[str], min_localities: int,
              engine: Engine, scheduler: str | None) -> list[dict[str, Any]]:
    """The targets no catalogue indicator covers, grouped (``group_targets``): the members of
    the groups that ``min_localities`` localities set, as rows of an inferred indicator."""
    free = [r for r in records if r["indicator"] is None]
    groups = group_targets(free, min_localities=min_localities, taken=taken, engine=engine,
                           scheduler=scheduler)
    return [free[i] | {"indicator": group.id, "label": group.label, "score": group.score,
                       "group_year": group.year}
            for group in groups for i in group.members]


def compare_plans(source: Iterable[PlanDocument] | Store | str | Path, *,
                  indicators: Sequence[str] | None = None, year: int | None = None,
                  catalogue: str | Path | None = None, min_localities: int = 2,
                  inferred: bool = True, engine: Engine = "local",
                  scheduler: str | None = None) -> pd.DataFrame:
    """So sánh (compare) the targets of plans: one row per indicator × plan, see ``COLUMNS``.

    ``source``: PlanDocument objects, a folder of JSON outputs, a batch output folder (its
    ``plans.duckdb``), a store file, or an open :class:`~kehoach_parser.store.Store`.
    ``indicators`` and ``year`` (the plan year) select rows; a parent's plan is looked up
    among all years whatever ``year`` says. ``catalogue`` is a TOML indicator catalogue
    (default: the bundled one) for the indicators, labels and national targets. The targets
    it does not cover are grouped into inferred indicators, each kept when at least
    ``min_localities`` localities set it (``inferred=False``: none); ``engine="dask"`` and
    ``scheduler`` group them on a Dask cluster.
    """
    import pandas as pd

    known = references(catalogue)
    records = read_targets(source, catalogue=catalogue)
    chosen = [r for r in records if r["indicator"] is not None]
    if inferred:
        chosen += _inferred(records, known, min_localities, engine, scheduler)
    order = {name: number for number, name in enumerate(
        dict.fromkeys([*known, *(r["indicator"] for r in chosen)]))}
    unknown = [name for name in indicators or () if name not in order]
    if unknown:
        close = difflib.get_close_matches(unknown[0], order, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ValueError(f"unknown indicator {unknown[0]!r}{hint} ({len(known)} in the "
                         f"catalogue {catalogue or 'data/indicators.toml'}, "
                         f"{len(order) - len(known)} inferred)")
    cells = _one_per_plan(chosen)
    plans: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for cell in cells:
        plans.setdefault((_key(cell["locality"]), cell["indicator"]), []).append(cell)
    rows = [
        _row(cell, known.get(cell["indicator"]), _parent_plan(cell, plans))
        for cell in cells
        if (not indicators or cell["indicator"] in indicators)
        and (year is None or cell["plan_year"] == year)
    ]
    rows.sort(key=lambda r: (order[r["indicator"]], LEVEL_ORDER.get(r["level"] or "", 9),
                             _key(r["locality"]), r["plan_year"] or 0))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for flag in ("weaker_than_national", "weaker_than_parent"):
        frame[flag] = frame[flag].astype("boolean")
    frame["inferred"] = frame["inferred"].astype(bool)
    frame["year"] = frame["year"].astype("Int64")
    return frame
