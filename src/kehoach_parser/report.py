"""Báo cáo so sánh (comparison report): the frame of :func:`compare_plans` as text or HTML.

``render(frame, "table" | "md" | "csv" | "json" | "html")``. ``table`` and ``md`` are the
wide view (one row per indicator, one column per plan, the national target beside; an
inferred indicator marked ``≈``, a target's year beside it when it is not its plan's);
``csv`` and ``json`` the long one (a row per indicator × plan, with source document, section
and span);
``html`` a self-contained page with an overview and one bar chart per indicator
(:mod:`kehoach_parser.report_html`). An empty frame renders as the reason there is nothing
to compare.

>>> describe("gte", 70, None, "percent"), describe("range", 3, 5, "percent")
('≥ 70%', '3-5%')
>>> describe("gte", 1, None, "per_period", "quarter"), describe("increase", 3, 5, "percent")
('≥ 1/quarter', '+3-5%')
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any, Literal

from .compare import LEVEL_ORDER
from .normalize import fold_tones

if TYPE_CHECKING:
    import pandas as pd

Format = Literal["table", "md", "csv", "json", "html"]
FORMATS: tuple[Format, ...] = ("table", "md", "csv", "json", "html")
_SIGNS = {"gte": "≥ ", "gt": "> ", "eq": "= ", "lte": "≤ ", "lt": "< ", "range": "",
          "increase": "+", "decrease": "-"}
WEAK_NATIONAL, WEAK_PARENT, INFERRED = "▼N", "▼P", "≈"
LEGEND = (f"{WEAK_NATIONAL}: weaker than the national target (yếu hơn chỉ tiêu quốc gia); "
          f"{WEAK_PARENT}: weaker than the parent's plan (yếu hơn kế hoạch cấp trên)")
INFERRED_LEGEND = (f"{INFERRED}: inferred from the plans' own words, no catalogue entry (chỉ "
                   "tiêu suy ra từ văn bản); its id is made of its label")


def _key(name: str) -> str:
    return fold_tones(name).casefold()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(comparator: str, value: float, value_max: float | None, unit: str,
             period: str | None = None) -> str:
    """A target as a person writes it: ``≥ 70%``, ``3-5%``, ``≥ 1/quarter``."""
    amount = _number(value)
    if value_max is not None and comparator in ("range", "increase", "decrease", "eq"):
        amount += f"-{_number(value_max)}"
    suffix = {"percent": "%", "count": "", "per_period": f"/{period or 'period'}"}.get(
        unit, f" {unit}")
    return f"{_SIGNS.get(comparator, comparator + ' ')}{amount}{suffix}"


Row = dict[str, Any]
_WHOLE = ("plan_year", "parent_plan_year", "span_start", "span_end", "year")


def _rows(frame: pd.DataFrame) -> list[Row]:
    """The frame as plain dicts: missing values (NaN, NA) as None, years as int."""
    import pandas as pd

    rows = []
    for record in frame.to_dict("records"):
        row = {str(k): None if pd.isna(v) else v for k, v in record.items()}
        rows.append(row | {k: int(v) for k in _WHOLE if (v := row.get(k)) is not None})
    return rows


def _target(row: Row, prefix: str = "") -> str:
    comparator = row[f"{prefix}comparator"]
    if comparator is None:
        return ""
    return describe(comparator, row[f"{prefix}value"], row[f"{prefix}value_max"],
                    row[f"{prefix}unit"], row[f"{prefix}period"])


def _stated(row: Row) -> str:
    """The target with its year when that is not its plan's: "≥ 50% (2030)"."""
    year = row.get("year")
    said = _target(row)
    return f"{said} ({year})" if year and year != row["plan_year"] else said


def _name(row: Row) -> str:
    return f"{INFERRED} {row['indicator']}" if row.get("inferred") else str(row["indicator"])


def _legend(frame: list[Row]) -> str:
    inferred = any(row.get("inferred") for row in frame)
    return f"{LEGEND}; {INFERRED_LEGEND}" if inferred else LEGEND


def _flags(row: Row) -> str:
    return " ".join(flag for flag, column in ((WEAK_NATIONAL, "weaker_than_national"),
                                              (WEAK_PARENT, "weaker_than_parent"))
                    if row[column] is True)


# --- The wide view ----------------------------------------------------------------------------

Plan = tuple[str, str, str, int | None]  # locality, level, parent, plan year


def _plan(row: Row) -> Plan:
    return (row["locality"] or "?", row["level"] or "", row["parent"] or "",
            row["plan_year"])


def _plan_order(plan: Plan) -> tuple[str, int, str, int]:
    """A district right after its parent: by the province (or city), then level, then name."""
    locality, level, parent, year = plan
    return (_key(parent or locality), LEVEL_ORDER.get(level, 9), _key(locality), year or 0)


def _plan_title(plan: Plan) -> str:
    locality, level, parent, year = plan
    where = f"{level} of {parent}" if parent else level
    return f"{locality} {year or ''}".strip() + (f" ({where})" if where else "")


def _wide(frame: list[Row]) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, rows and the list of flags (one sentence each) of the wide view."""
    plans: list[Plan] = sorted(dict.fromkeys(_plan(row) for row in frame), key=_plan_order)
    cells: dict[tuple[str, Plan], str] = {}
    national: dict[str, str] = {}
    notes: list[str] = []
    for row in frame:
        plan, flags = _plan(row), _flags(row)
        cells[(row["indicator"], plan)] = f"{_stated(row)} {flags}".strip()
        national[row["indicator"]] = _target(row, "national_") or "-"
        if flags:
            notes.append(_note(row, plan))
    header = ["indicator", "national", *(_plan_title(plan) for plan in plans)]
    names = {row["indicator"]: _name(row) for row in frame}
    rows = [[names[indicator], national[indicator],
             *(cells.get((indicator, plan), "") for plan in plans)]
            for indicator in dict.fromkeys(row["indicator"] for row in frame)]
    return header, rows, notes


def _note(row: Row, plan: Plan) -> str:
    said = f"{_plan_title(plan)}: {row['indicator']} {_target(row)}"
    parts = []
    if row["weaker_than_national"] is True:
        parts.append(f"weaker than the national {_target(row, 'national_')}")
    if row["weaker_than_parent"] is True:
        parts.append(f"weaker than {row['parent']} {int(row['parent_plan_year'])} "
                     f"({_target(row, 'parent_')})")
    return f"{said} is {' and '.join(parts)}"


def _sources(frame: list[Row]) -> list[str]:
    pairs = dict.fromkeys((_plan(row), row["document"]) for row in frame)
    return [f"{_plan_title(plan)}: {document}"
            for plan, document in sorted(pairs, key=lambda pair: _plan_order(pair[0]))]


def _markdown(frame: list[Row]) -> str:
    header, rows, notes = _wide(frame)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = [line(header), line(["---"] * len(header)), *(line(row) for row in rows), "",
           _legend(frame), ""]
    out += [f"- {note}" for note in notes] + ([""] if notes else [])
    out += ["Sources:", *(f"- {source}" for source in _sources(frame))]
    return "\n".join(out) + "\n"


def _table(frame: list[Row], width: int) -> str:
    from rich.console import Console
    from rich.table import Table

    header, rows, notes = _wide(frame)
    table = Table(show_lines=False)
    for number, title in enumerate(header):
        # "Dương Kinh 2023 (district of Hải Phòng)" on two lines keeps the columns narrow
        table.add_column(title.replace(" (", "\n("), no_wrap=number == 0)
    for row in rows:
        table.add_row(*row)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, soft_wrap=False)
    console.print(table)
    console.print(_legend(frame), markup=False)
    for note in notes:
        console.print(f"- {note}", markup=False)
    console.print("Sources:", markup=False)
    for source in _sources(frame):
        console.print(f"- {source}", markup=False)
    return buffer.getvalue()


NOTHING = ("no plan sets a target mapped to an indicator of the catalogue, nor one that "
           "several localities set")


def render(frame: pd.DataFrame, format: Format = "table", *, width: int = 160,
           title: str = "So sánh chỉ tiêu giữa các địa phương / Targets by locality",
           nothing: str = NOTHING) -> str:
    """Viết (render) a comparison frame in ``format``; an empty frame as the sentence
    ``nothing`` (why there is nothing to compare), in HTML a page that says it."""
    if format == "csv":
        return frame.to_csv(index=False)
    if format == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if format == "html":
        from .report_html import empty_page, html_page

        return empty_page(title, nothing) if frame.empty else html_page(_rows(frame), title)
    if frame.empty:
        return f"nothing to compare: {nothing}\n"
    rows = _rows(frame)
    return _markdown(rows) if format == "md" else _table(rows, width)
