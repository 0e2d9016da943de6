"""So sánh chỉ tiêu (comparison of targets) between localities, and with the national target.

``compare_plans(source)`` gives one row per indicator × plan (a locality in a plan year):
the target as the plan states it (comparator, value, unit, source document and span), the
national target of the indicator catalogue (``data/indicators.toml``) and, for a district or
commune, the target of its parent's plan (``metadata.locality.parent``) for the same or the
nearest year. Two flags say whether the plan's target is *weaker* than each.

Weaker (yếu hơn) means that the plan commits to less. Each target is reduced to the level it
guarantees in the good direction of its indicator — ``"higher"`` (the default when the
catalogue entry's ``national`` table has no ``direction``: coverage percentages, counts
reached) or ``"lower"`` —: for higher-is-better, "≥ 70", "= 70", "70-80" and "> 70" all guarantee at
least 70 (the strict ">" a little more), "≤ 70" guarantees nothing; for lower-is-better the
other way round. A change ("tăng 3-5%") is only compared with a change. Frequencies
("ít nhất một quý một lần") are compared per year. Targets in different units (a count and a
percentage) are not comparable: the flag is then null, never a guess.

>>> from kehoach_parser.compare import weaker
>>> weaker(Commitment("gte", 60, None, "percent"), Commitment("gte", 70, None, "percent"))
True
>>> weaker(Commitment("eq", 100, None, "percent"), Commitment("gte", 100, None, "percent"))
False
>>> weaker(Commitment("gte", 1, None, "per_period", "quarter"),
...        Commitment("gte", 1, None, "per_period", "month"))
True
>>> print(weaker(Commitment("gte", 60, None, "count"), Commitment("gte", 70, None, "percent")))
None
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .models import PlanDocument
from .normalize import fold_tones
from .store import STORE_NAME, TABLES, Store, document_rows

if TYPE_CHECKING:
    import pandas as pd

Direction = Literal["higher", "lower"]
CHANGES = frozenset({"increase", "decrease"})
PER_YEAR = {"day": 365, "week": 52, "month": 12, "quarter": 4, "half_year": 2, "year": 1}
LEVEL_ORDER = {"central": 0, "province": 1, "district": 2, "commune": 3}

COLUMNS = [
    "indicator", "label", "locality", "level", "parent", "plan_year", "comparator", "value",
    "value_max", "unit", "period", "document", "span_start", "span_end", "text",
    "national_comparator", "national_value", "national_value_max", "national_unit",
    "national_period", "weaker_than_national", "parent_plan_year", "parent_document",
    "parent_comparator", "parent_value", "parent_value_max", "parent_unit", "parent_period",
    "weaker_than_parent",
]


def per_year(period: str | None) -> float | None:
    """Times a year of a period named by the target extractor; None when unknown.

    >>> per_year("quarter"), per_year("half_year"), per_year("2_months"), per_year("2_years")
    (4.0, 2.0, 6.0, 0.5)
    """
    if period in PER_YEAR:
        return float(PER_YEAR[period])
    several = re.fullmatch(r"(\d+)_(\w+?)s", period or "")
    if several and several[2] in PER_YEAR and int(several[1]):
        return PER_YEAR[several[2]] / int(several[1])
    return None


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
        kind = "change " if self.comparator in CHANGES else ""
        if self.unit == "per_period":
            times = per_year(self.period)
            return None if times is None else (f"{kind}per year", times)
        return f"{kind}{self.unit}", 1.0

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
                national.get("unit", indicator.units[0]),
                national.get("period", indicator.period),
            ),
        )
    return found


# --- Reading targets ------------------------------------------------------------------------

_TARGET_COLUMNS = [name for name, _ in TABLES["targets"]]
_DOCUMENT_COLUMNS = [name for name, _ in TABLES["documents"]]


def _records_of(document: PlanDocument, name: str) -> Iterator[dict[str, Any]]:
    rows = document_rows(document, name, f"{name}.json")
    issued = dict(zip(_DOCUMENT_COLUMNS, rows["documents"][0], strict=True))
    for row in rows["targets"]:
        record = dict(zip(_TARGET_COLUMNS, row, strict=True))
        if record["indicator"] is not None:
            yield record | {key: issued[key] for key in ("year", "month", "day")}


def _from_documents(documents: Iterable[PlanDocument]) -> Iterator[dict[str, Any]]:
    for number, document in enumerate(documents):
        yield from _records_of(document, document.source.path or f"document {number + 1}")


def _from_folder(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.rglob("*.json")):
        document = PlanDocument.model_validate_json(path.read_bytes())
        yield from _records_of(document, path.relative_to(folder).as_posix()[: -len(".json")])


def _from_store(store: Store) -> Iterator[dict[str, Any]]:
    result = store.query(
        "SELECT t.*, d.year, d.month, d.day FROM targets t JOIN documents d USING (document) "
        "WHERE t.indicator IS NOT NULL ORDER BY t.document, t.span_start")
    for row in result.rows:
        yield dict(zip(result.columns, row, strict=True))


def _records(source: Iterable[PlanDocument] | Store | str | Path) -> list[dict[str, Any]]:
    if isinstance(source, Store):
        return list(_from_store(source))
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir() and not (path / STORE_NAME).exists():
            return list(_from_folder(path))
        with Store(path / STORE_NAME if path.is_dir() else path, read_only=True) as store:
            return list(_from_store(store))
    return list(_from_documents(source))


# --- Comparing --------------------------------------------------------------------------------

def _key(name: str | None) -> str:
    return " ".join(fold_tones(name or "").casefold().split())


def _commitment(record: dict[str, Any]) -> Commitment:
    return Commitment(record["comparator"], record["value"], record["value_max"],
                      record["unit"], record["period"])


def _one_per_plan(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One plan per locality and year (the latest issued), one target per indicator in it
    (the first stated)."""
    def issued(r: dict[str, Any]) -> tuple[int, int, int]:
        return (r["year"] or 0, r["month"] or 0, r["day"] or 0)

    latest: dict[tuple[str, str | None, int | None], dict[str, Any]] = {}
    for record in records:
        plan = (_key(record["locality"]), record["level"], record["plan_year"])
        best = latest.get(plan)
        if best is None or (issued(record), record["document"]) > (issued(best),
                                                                   best["document"]):
            latest[plan] = record
    chosen = {r["document"] for r in latest.values()}
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for record in sorted(records, key=lambda r: (r["document"], r["span_start"])):
        if record["document"] in chosen:
            first.setdefault((record["document"], record["indicator"]), record)
    return list(first.values())


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
            "value_max", "unit", "period", "document", "span_start", "span_end", "text")},
        "label": indicator.label if indicator else record["indicator"],
        "national_comparator": national.comparator if national else None,
        "national_value": national.value if national else None,
        "national_value_max": national.value_max if national else None,
        "national_unit": national.unit if national else None,
        "national_period": national.period if national else None,
        "weaker_than_national": weaker(own, national, direction) if national else None,
        **{f"parent_{name}": parent[name] if parent else None for name in (
            "plan_year", "document", "comparator", "value", "value_max", "unit", "period")},
        "weaker_than_parent": weaker(own, _commitment(parent), direction) if parent else None,
    }


def compare_plans(source: Iterable[PlanDocument] | Store | str | Path, *,
                  indicators: Sequence[str] | None = None, year: int | None = None,
                  catalogue: str | Path | None = None) -> pd.DataFrame:
    """So sánh (compare) the targets of plans: one row per indicator × plan, see ``COLUMNS``.

    ``source``: PlanDocument objects, a folder of JSON outputs, a batch output folder (its
    ``plans.duckdb``), a store file, or an open :class:`~kehoach_parser.store.Store`.
    ``indicators`` and ``year`` (the plan year) select rows; a parent's plan is looked up
    among all years whatever ``year`` says. ``catalogue`` is a TOML indicator catalogue
    (default: the bundled one) for labels and national targets.
    """
    import pandas as pd

    known = references(catalogue)
    unknown = sorted(set(indicators or ()) - set(known))
    if unknown:
        raise ValueError(f"unknown indicator(s): {', '.join(unknown)}")
    cells = _one_per_plan(_records(source))
    plans: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for cell in cells:
        plans.setdefault((_key(cell["locality"]), cell["indicator"]), []).append(cell)
    order = {name: number for number, name in enumerate(known)}
    rows = [
        _row(cell, known.get(cell["indicator"]), _parent_plan(cell, plans))
        for cell in cells
        if (not indicators or cell["indicator"] in indicators)
        and (year is None or cell["plan_year"] == year)
    ]
    rows.sort(key=lambda r: (order.get(r["indicator"], len(order)), r["indicator"],
                             LEVEL_ORDER.get(r["level"] or "", 9), _key(r["locality"]),
                             r["plan_year"] or 0))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for flag in ("weaker_than_national", "weaker_than_parent"):
        frame[flag] = frame[flag].astype("boolean")
    return frame
