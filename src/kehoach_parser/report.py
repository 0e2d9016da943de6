"""Báo cáo so sánh (comparison report): the frame of :func:`compare_plans` as text or HTML.

``render(frame, "table" | "md" | "csv" | "json" | "html")``. ``table`` and ``md`` are the
wide view (one row per indicator, one column per plan, the national target beside); ``csv``
and ``json`` the long one (a row per indicator × plan, with source document and span);
``html`` a self-contained page — no script, no network — with the wide table and one inline
SVG bar chart per indicator (plans as bars, the national target as a dashed line).

>>> describe("gte", 70, None, "percent"), describe("range", 3, 5, "percent")
('≥ 70%', '3-5%')
>>> describe("gte", 1, None, "per_period", "quarter"), describe("increase", 3, 5, "percent")
('≥ 1/quarter', '+3-5%')
"""

from __future__ import annotations

import io
import json
from collections import Counter
from html import escape
from typing import TYPE_CHECKING, Any, Literal

from .compare import LEVEL_ORDER, Commitment
from .normalize import fold_tones

if TYPE_CHECKING:
    import pandas as pd

Format = Literal["table", "md", "csv", "json", "html"]
FORMATS: tuple[Format, ...] = ("table", "md", "csv", "json", "html")
_SIGNS = {"gte": "≥ ", "gt": "> ", "eq": "= ", "lte": "≤ ", "lt": "< ", "range": "",
          "increase": "+", "decrease": "-"}
WEAK_NATIONAL, WEAK_PARENT = "▼N", "▼P"
LEGEND = (f"{WEAK_NATIONAL}: weaker than the national target (yếu hơn chỉ tiêu quốc gia); "
          f"{WEAK_PARENT}: weaker than the parent's plan (yếu hơn kế hoạch cấp trên)")


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
_WHOLE = ("plan_year", "parent_plan_year", "span_start", "span_end")


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
        cells[(row["indicator"], plan)] = f"{_target(row)} {flags}".strip()
        national[row["indicator"]] = _target(row, "national_") or "-"
        if flags:
            notes.append(_note(row, plan))
    header = ["indicator", "national", *(_plan_title(plan) for plan in plans)]
    rows = [[indicator, national[indicator],
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
           LEGEND, ""]
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
    console.print(LEGEND, markup=False)
    for note in notes:
        console.print(f"- {note}", markup=False)
    console.print("Sources:", markup=False)
    for source in _sources(frame):
        console.print(f"- {source}", markup=False)
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1100px; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.weak { color: #b00020; font-weight: bold; }
section.chart { margin: 2rem 0; page-break-inside: avoid; }
svg text { font-size: 12px; font-family: system-ui, sans-serif; }
.note { color: #555; font-size: 0.9rem; }
"""
_BAR, _WEAK_NATIONAL, _WEAK_PARENT = "#3b6ea8", "#c0392b", "#e67e22"


def _chart(rows: list[Row]) -> tuple[str, list[str]]:
    """An SVG bar chart of the rows of one indicator, and the titles of rows left out
    (in another unit than the national target or, without one, the most common unit).
    Frequencies are drawn per year."""
    first = rows[0]
    national = None if first["national_comparator"] is None else Commitment(
        first["national_comparator"], first["national_value"], first["national_value_max"],
        first["national_unit"], first["national_period"])
    national_measure = national.measure() if national else None
    measured = [(row, _commitment(row).measure()) for row in rows]
    units = Counter(m[0] for _, m in measured if m)
    if not units:
        return "", [_plan_title(_plan(row)) for row in rows]
    wanted = national_measure[0] if national_measure else units.most_common(1)[0][0]
    bars = [(row, row["value"] * m[1]) for row, m in measured if m and m[0] == wanted]
    left_out = [_plan_title(_plan(row)) for row, m in measured if not (m and m[0] == wanted)]
    if not bars:
        return "", left_out
    national_value = (national.value * national_measure[1]
                      if national and national_measure else None)
    top = max([value for _, value in bars] + [national_value or 0.0])
    scale_max = 100.0 if wanted.endswith("percent") and top <= 100 else (top * 1.15 or 1.0)
    label_w, bar_w, bar_h, gap, head = 230, 430, 22, 10, 28
    height = head + len(bars) * (bar_h + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 120}" '
             f'height="{height}" role="img">']
    for number, (row, value) in enumerate(bars):
        y = head + number * (bar_h + gap)
        width = max(1.0, bar_w * value / scale_max)
        color = (_WEAK_NATIONAL if row["weaker_than_national"] is True else
                 _WEAK_PARENT if row["weaker_than_parent"] is True else _BAR)
        title = escape(f"{_plan_title(_plan(row))}: {_target(row)} — {row['document']} "
                       f"[{row['span_start']}, {row['span_end']})")
        parts += [
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(row['locality'] or '?')} {row['plan_year'] or ''}</text>",
            f'<rect class="bar" x="{label_w}" y="{y}" width="{width:.1f}" height="{bar_h}" '
            f'fill="{color}"><title>{title}</title></rect>',
            f'<text x="{label_w + width + 6:.1f}" y="{y + 15}">'
            f"{escape(_target(row))} {escape(_flags(row))}</text>",
        ]
    axis_y = head + len(bars) * (bar_h + gap)
    parts.append(f'<line x1="{label_w}" y1="{head - 4}" x2="{label_w}" y2="{axis_y}" '
                 'stroke="#888"/>')
    parts.append(f'<text x="{label_w}" y="{axis_y + 16}">0</text>'
                 f'<text x="{label_w + bar_w}" y="{axis_y + 16}" text-anchor="end">'
                 f"{_number(round(scale_max, 2))} ({escape(wanted)})</text>")
    if national_value is not None and national is not None:
        x = label_w + bar_w * national_value / scale_max
        said = describe(national.comparator, national.value, national.value_max, national.unit,
                        national.period)
        parts.append(f'<line class="national" x1="{x:.1f}" y1="{head - 8}" x2="{x:.1f}" '
                     f'y2="{axis_y}" stroke="#111" stroke-width="2" stroke-dasharray="6 4">'
                     f"<title>national target {escape(said)}</title></line>")
        parts.append(f'<text x="{x:.1f}" y="{head - 12}" text-anchor="middle">'
                     f"quốc gia / national {escape(said)}</text>")
    parts.append("</svg>")
    return "".join(parts), left_out


def _commitment(row: Row) -> Commitment:
    return Commitment(row["comparator"], row["value"], row["value_max"], row["unit"],
                      row["period"])


def _html(frame: list[Row], title: str) -> str:
    header, table, notes = _wide(frame)
    out = [
        "<!DOCTYPE html>", '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        '<p class="note">Mỗi cột là kế hoạch của một địa phương trong một năm; cột '
        '"national" là chỉ tiêu quốc gia. Each column is one locality\'s plan for one year; '
        f'"national" is the national target. {escape(LEGEND)}</p>',
        "<table><thead><tr>", *(f"<th>{escape(cell)}</th>" for cell in header),
        "</tr></thead><tbody>",
    ]
    for cells in table:
        out.append("<tr>" + "".join(
            f'<td class="weak">{escape(cell)}</td>' if "▼" in cell else f"<td>{escape(cell)}</td>"
            for cell in cells) + "</tr>")
    out.append("</tbody></table>")
    if notes:
        out += ["<ul>", *(f"<li>{escape(note)}</li>" for note in notes), "</ul>"]
    groups: dict[str, list[Row]] = {}
    for row in frame:
        groups.setdefault(row["indicator"], []).append(row)
    for indicator, group in groups.items():
        group_rows = sorted(group, key=lambda row: _plan_order(_plan(row)))
        svg, left_out = _chart(group_rows)
        out.append(f'<section class="chart" data-indicator="{escape(str(indicator))}">'
                   f"<h2>{escape(str(group_rows[0]['label']))}</h2>"
                   f'<p class="note"><code>{escape(str(indicator))}</code></p>{svg}')
        if left_out:
            out.append(f'<p class="note">Not charted (another unit): '
                       f"{escape(', '.join(left_out))}</p>")
        out.append("<table><tr><th>plan</th><th>target</th><th>document</th><th>span</th>"
                   "<th>text</th></tr>")
        for row in group_rows:
            out.append(f"<tr><td>{escape(_plan_title(_plan(row)))}</td>"
                       f"<td>{escape(_target(row))} {escape(_flags(row))}</td>"
                       f"<td>{escape(str(row['document']))}</td>"
                       f"<td>[{row['span_start']}, {row['span_end']})</td>"
                       f"<td>{escape(str(row['text']))}</td></tr>")
        out.append("</table></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(frame: pd.DataFrame, format: Format = "table", *, width: int = 160,
           title: str = "So sánh chỉ tiêu giữa các địa phương / Targets by locality") -> str:
    """Viết (render) a comparison frame in ``format``."""
    if format == "csv":
        return frame.to_csv(index=False)
    if format == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if frame.empty:
        return "no targets with an indicator to compare\n"
    rows = _rows(frame)
    if format == "md":
        return _markdown(rows)
    if format == "html":
        return _html(rows, title)
    return _table(rows, width)
