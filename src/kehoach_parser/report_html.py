"""Báo cáo HTML (the HTML comparison report): one self-contained page, no script, no network.

At the top an overview — a matrix of indicators × plans, each cell the plan's target, tinted
when weaker than the national target or than the parent's plan —, then one bar chart per
indicator: a bar per plan (a range as a lighter extension), the national target as a
dashed line, an axis from 0 to a round value fitted to that chart's own values, the value
labels in a column of their own so that no line runs through them. The charts are HTML and
CSS, so they reflow from a desktop to a phone. Every value is a link to its source sentence
under the chart (the document, the section path, the clause); a target's year stands beside
its value when it is not its plan's. Amounts of one family ("tỷ đồng", "nghìn tỷ đồng") are
drawn on one scale, the commonest unit's; an inferred indicator (no catalogue entry) is
marked ``≈`` with how alike its wordings are.

>>> axis(100), axis(70), axis(5), axis(12), axis(1.15), axis(0)
((100.0, 20.0), (80.0, 20.0), (5.0, 1.0), (15.0, 5.0), (1.5, 0.5), (1.0, 0.2))
>>> axis(1, whole=True), axis(3, whole=True), axis(240, whole=True)
((1.0, 1.0), (3.0, 1.0), (250.0, 50.0))
"""

from __future__ import annotations

import math
import re
from collections import Counter
from html import escape

from .compare import Commitment
from .measures import family_of
from .report import (
    INFERRED,
    INFERRED_LEGEND,
    Plan,
    Row,
    _flags,
    _legend,
    _note,
    _number,
    _plan,
    _plan_order,
    _plan_title,
    _sources,
    _stated,
    _target,
    describe,
)

_CSS = """
* { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; color: #222; line-height: 1.4;
       max-width: 1100px; margin: 1rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 0.2rem; }
.note { color: #555; font-size: 0.9rem; margin: 0.3rem 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
table.matrix th[scope=row] { font-weight: normal; min-width: 12rem; position: sticky;
                             left: 0; background: #fff; }
table.matrix td { white-space: nowrap; }
td.meets { background: #e3edf8; }
td.unknown { background: #f1f1f1; color: #555; }
td.weak-national { background: #f8d3ce; color: #8e1b10; font-weight: bold; }
td.weak-parent { background: #fbe2c8; color: #874709; font-weight: bold; }
.legend { font-size: 0.85rem; margin: 0.4rem 0 1rem; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em;
            vertical-align: -0.1em; border: 1px solid #999; }
details { margin: 0.3rem 0; font-size: 0.9rem; }
details ul { margin: 0.3rem 0; padding-left: 1.2rem; }
section.chart { margin: 1.6rem 0; break-inside: avoid; }
.bars { display: grid;
        grid-template-columns: minmax(6rem, 13rem) minmax(8rem, 1fr) minmax(7.5rem, max-content);
        column-gap: 0.6rem; font-size: 0.85rem; margin: 0.5rem 0; }
.who { grid-column: 1; text-align: right; align-self: center; }
.track { grid-column: 2; position: relative; height: 1.7rem; z-index: 1; }
.bar, .range { position: absolute; left: 0; top: 0.35rem; height: 1rem; min-width: 2px; }
.bar { background: #3b6ea8; }
.bar.weak-national { background: #c0392b; }
.bar.weak-parent { background: #e67e22; }
.range { background: #3b6ea8; opacity: 0.35; min-width: 0; }
.value { grid-column: 3; align-self: center; white-space: nowrap; }
.plot { grid-column: 2; position: relative; pointer-events: none; }
.grid { position: absolute; top: 0; bottom: 0; border-left: 1px solid #e2e2e2; z-index: 0; }
.national { position: absolute; top: -0.3rem; bottom: 0; border-left: 2px dashed #111;
            z-index: 2; }
.national-label, .axis { grid-column: 2; position: relative; height: 1.3rem; }
.national-label span { position: absolute; bottom: 0.1rem; white-space: nowrap;
                       font-size: 0.8rem; }
.axis { border-top: 1px solid #888; font-size: 0.75rem; color: #555; }
.axis span { position: absolute; top: 0.1rem; transform: translateX(-50%); }
.axis span.first { transform: none; }
.axis span.last { transform: translateX(-100%); }
.unit { grid-column: 3; font-size: 0.75rem; color: #555; }
.value a { color: inherit; }
.inferred { color: #5a3d8a; font-weight: bold; }
ol.statements { font-size: 0.85rem; margin: 0.3rem 0; padding-left: 1.6rem;
                overflow-wrap: anywhere; }
ol.statements li { margin: 0.2rem 0; }
ol.statements li:target { background: #fff4c2; }
.where { color: #555; }
@media (max-width: 600px) {
  body { padding: 0 0.6rem; }
  h1 { font-size: 1.3rem; }
  .bars { grid-template-columns: minmax(4.5rem, 30%) minmax(5rem, 1fr) max-content;
          column-gap: 0.4rem; font-size: 0.8rem; }
  .axis span.tick { display: none; }
  table.matrix { font-size: 0.75rem; }
  table.matrix th[scope=row] { min-width: 8.5rem; }
}
"""
_STATUS_WORDS = {
    "weak-national": "yếu hơn chỉ tiêu quốc gia / weaker than the national target",
    "weak-parent": "yếu hơn kế hoạch cấp trên / weaker than the parent's plan",
    "meets": "không yếu hơn / not weaker",
    "unknown": "không so sánh được / not comparable (no national target, or another unit)",
}
_UNITS = {"percent": "%", "count": "", "per year": "per year", "change percent": "% change",
          "change count": "change", "change per year": "change per year"}


def axis(top: float, whole: bool = False) -> tuple[float, float]:
    """(end, step) of an axis from 0 holding ``top``: a round step (1, 2 or 5 times a power
    of ten, at least 1 when ``whole``) of which the end is a whole number, in at most five
    steps."""
    if top <= 0:
        return (1.0, 1.0) if whole else (1.0, 0.2)
    raw = max(top / 5, 1.0) if whole else top / 5
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    return round(math.ceil(top / step - 1e-9) * step, 10), round(step, 10)


def _status(row: Row) -> str:
    if row["weaker_than_national"] is True:
        return "weak-national"
    if row["weaker_than_parent"] is True:
        return "weak-parent"
    if row["weaker_than_national"] is False or row["weaker_than_parent"] is False:
        return "meets"
    return "unknown"


def _commitment(row: Row, prefix: str = "") -> Commitment | None:
    if row[f"{prefix}comparator"] is None:
        return None
    return Commitment(row[f"{prefix}comparator"], row[f"{prefix}value"],
                      row[f"{prefix}value_max"], row[f"{prefix}unit"], row[f"{prefix}period"])


def _anchor(indicator: str) -> str:
    return "i-" + "".join(c if c.isalnum() else "-" for c in indicator)


# --- The overview -----------------------------------------------------------------------------

def _overview(frame: list[Row], plans: list[Plan]) -> list[str]:
    cells: dict[tuple[str, Plan], Row] = {(row["indicator"], _plan(row)): row for row in frame}
    indicators = list(dict.fromkeys(row["indicator"] for row in frame))
    first = {indicator: next(r for r in frame if r["indicator"] == indicator)
             for indicator in indicators}
    out = ['<section class="overview"><h2>Tổng quan / Overview</h2>',
           f'<p class="note">{len(indicators)} chỉ tiêu × {len(plans)} kế hoạch / indicators × '
           "plans. Mỗi ô là chỉ tiêu của kế hoạch; ô tô màu là yếu hơn. Each cell is the plan's "
           "target; tinted cells are weaker.</p>",
           '<div class="scroll"><table class="matrix"><thead><tr><th>chỉ tiêu / indicator</th>'
           "<th>quốc gia / national</th>",
           *(f"<th>{escape(_plan_title(plan))}</th>" for plan in plans), "</tr></thead><tbody>"]
    for indicator in indicators:
        row = first[indicator]
        mark = (f' <span class="inferred" title="{escape(INFERRED_LEGEND)}">{INFERRED}</span>'
                if row.get("inferred") else "")
        out.append(f'<tr><th scope="row"><a href="#{_anchor(indicator)}">'
                   f"{escape(str(row['label']))}</a>{mark}</th>"
                   f"<td>{escape(_target(row, 'national_') or '-')}</td>")
        for plan in plans:
            cell = cells.get((indicator, plan))
            if cell is None:
                out.append("<td></td>")
                continue
            status = _status(cell)
            out.append(f'<td class="{status}" title="{escape(_STATUS_WORDS[status])}">'
                       f"{escape(f'{_stated(cell)} {_flags(cell)}'.strip())}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    out.append('<p class="legend">' + "".join(
        f'<span><i class="{status}" style="background:{color}"></i>{escape(words)}</span>'
        for status, color, words in (
            ("weak-national", "#f8d3ce", _STATUS_WORDS["weak-national"]),
            ("weak-parent", "#fbe2c8", _STATUS_WORDS["weak-parent"]),
            ("meets", "#e3edf8", _STATUS_WORDS["meets"]),
            ("unknown", "#f1f1f1", _STATUS_WORDS["unknown"])))
        + "</p>")
    notes = [_note(row, _plan(row)) for row in frame if _flags(row)]
    if notes:
        out += [f"<details><summary>Vì sao / Why flagged ({len(notes)})</summary><ul>",
                *(f"<li>{escape(note)}</li>" for note in notes), "</ul></details>"]
    sources = _sources(frame)
    out += [f"<details><summary>Nguồn / Sources ({len(sources)})</summary><ul>",
            *(f"<li>{escape(source)}</li>" for source in sources), "</ul></details></section>"]
    return out


# --- One chart per indicator ------------------------------------------------------------------

def _percent(value: float, end: float) -> str:
    return f"{100 * value / end:.2f}%"


def _scale(bars: list[tuple[Row, float, float | None]], wanted: str) -> tuple[float, str]:
    """(divisor, unit label) of a chart: amounts in their commonest unit ("tỷ đồng" rather
    than 10^9 "đồng"), frequencies per year, percentages and counts as they are."""
    if wanted in _UNITS:
        return 1.0, _UNITS[wanted]
    units = Counter(row["unit"] for row, _, _ in bars)
    unit = min(units, key=lambda u: (-units[u], u))
    found = family_of(unit, "eq")
    kind = "change " if wanted.startswith("change ") else ""
    return (found[1] if found else 1.0), f"{kind}{unit}"


def _statement_id(indicator: str, number: int) -> str:
    return f"{_anchor(indicator)}-{number}"


def _chart(rows: list[Row]) -> tuple[str, list[str]]:
    """The bar chart of one indicator's rows, and the titles of plans left out of it (in
    another unit than the national target or, without one, than the most common unit).
    Frequencies are drawn per year; each value links to its statement below the chart."""
    national = _commitment(rows[0], "national_")
    national_measure = national.measure() if national else None
    measured = [(row, m) for row in rows
                if (c := _commitment(row)) is not None and (m := c.measure()) is not None]
    units = Counter(m[0] for _, m in measured)
    if not units:
        return "", [_plan_title(_plan(row)) for row in rows]
    wanted = national_measure[0] if national_measure else units.most_common(1)[0][0]
    bars = [(row, row["value"] * factor,
             None if row["value_max"] is None else row["value_max"] * factor)
            for row, (unit, factor) in measured if unit == wanted]
    charted = {id(row) for row, _, _ in bars}
    left_out = [_plan_title(_plan(row)) for row in rows if id(row) not in charted]
    if not bars:
        return "", left_out
    divisor, unit_label = _scale(bars, wanted)
    bars = [(row, low / divisor, None if high is None else high / divisor)
            for row, low, high in bars]
    national_value = (national.value * national_measure[1] / divisor
                      if national and national_measure and national_measure[0] == wanted
                      else None)
    top = max([high if high is not None else low for _, low, high in bars]
              + [national_value or 0.0])
    end, step = axis(top, whole=wanted.endswith("count"))
    last = len(bars) + 2  # grid rows: the national label, the bars, the axis
    out = ['<div class="bars">']
    if national_value is not None and national is not None:
        said = describe(national.comparator, national.value, national.value_max, national.unit,
                        national.period)
        at = national_value / end
        side = f"left: calc({_percent(national_value, end)} + 4px)" if at < 0.5 else \
            f"right: calc({_percent(end - national_value, end)} + 4px)"
        out.append(f'<div class="national-label" style="grid-row: 1"><span style="{side}">'
                   f"quốc gia / national {escape(said)}</span></div>")
    numbers = {id(row): n for n, row in enumerate(rows)}
    for number, (row, low, high) in enumerate(bars, start=2):
        status = _status(row)
        tip = escape(f"{_plan_title(_plan(row))}: {_target(row)} — {row['document']} "
                     f"[{row['span_start']}, {row['span_end']})")
        extent = ""
        if high is not None and high > low:
            extent = (f'<span class="range" style="left: {_percent(low, end)}; '
                      f'width: {_percent(high - low, end)}"></span>')
        out += [
            f'<div class="who" style="grid-row: {number}">'
            f"{escape(str(row['locality'] or '?'))} {row['plan_year'] or ''}</div>",
            f'<div class="track" style="grid-row: {number}">{extent}'
            f'<span class="bar {status}" style="width: {_percent(low, end)}" title="{tip}">'
            "</span></div>",
            f'<div class="value" style="grid-row: {number}"><a href="#'
            f'{_statement_id(str(row["indicator"]), numbers[id(row)])}" title="{tip}">'
            f"{escape(f'{_stated(row)} {_flags(row)}'.strip())}</a></div>",
        ]
    ticks = [step * n for n in range(round(end / step) + 1)]
    out.append(f'<div class="plot" style="grid-row: 2 / {last}">'
               + "".join(f'<span class="grid" style="left: {_percent(t, end)}"></span>'
                         for t in ticks[1:]))
    if national_value is not None:
        out.append(f'<span class="national" style="left: {_percent(national_value, end)}" '
                   f'title="quốc gia / national"></span>')
    out.append("</div>")
    out.append(f'<div class="axis" style="grid-row: {last}">' + "".join(
        f'<span class="{"first" if n == 0 else "last" if n == len(ticks) - 1 else "tick"}" '
        f'style="left: {_percent(t, end)}">{_number(round(t, 10))}</span>'
        for n, t in enumerate(ticks)) + "</div>")
    out.append(f'<div class="unit" style="grid-row: {last}">'
               f"{escape(unit_label)}</div></div>")
    return "".join(out), left_out


def _section(indicator: str, rows: list[Row]) -> list[str]:
    chart, left_out = _chart(rows)
    first = rows[0]
    if first.get("inferred"):
        about = (f'<span class="inferred">{INFERRED}</span> suy ra từ văn bản / inferred from '
                 f"the plans' words (no catalogue entry), alike {first['score']:.2f}")
    else:
        about = f"quốc gia / national: {escape(_target(first, 'national_') or '-')}"
    out = [f'<section class="chart" id="{_anchor(indicator)}" '
           f'data-indicator="{escape(indicator)}"><h2>{escape(str(first["label"]))}</h2>',
           f'<p class="note"><code>{escape(indicator)}</code> · {about}</p>', chart]
    if left_out:
        out.append('<p class="note">Không vẽ (đơn vị khác) / not charted (another unit): '
                   f"{escape(', '.join(left_out))}</p>")
    out.append(f'<p class="note">Câu nêu chỉ tiêu / Statements ({len(rows)})</p>'
               '<ol class="statements">')
    for number, row in enumerate(rows):
        where = " · ".join(str(part) for part in (
            row["document"], f"mục {row['section_path']}" if row.get("section_path") else None,
            f"[{row['span_start']}, {row['span_end']})") if part)
        out.append(f'<li id="{_statement_id(indicator, number)}"><b>'
                   f"{escape(_plan_title(_plan(row)))}</b>: "
                   f"{escape(f'{_stated(row)} {_flags(row)}'.strip())} — "
                   f"«{escape(str(row['text']))}» <span class=\"where\">{escape(where)}</span>"
                   "</li>")
    out.append("</ol></section>")
    return out


def _page(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>", *body, "</body></html>"]) + "\n"


def html_page(frame: list[Row], title: str) -> str:
    """The report of the rows of a comparison frame."""
    plans: list[Plan] = sorted(dict.fromkeys(_plan(row) for row in frame), key=_plan_order)
    legend = _legend(frame)
    body = ['<p class="note">Mỗi cột là kế hoạch của một địa phương trong một năm; "quốc gia" '
            "là chỉ tiêu quốc gia. Each column is one locality's plan for one year; "
            f'"national" is the national target. {escape(legend)}</p>',
            *_overview(frame, plans)]
    groups: dict[str, list[Row]] = {}
    for row in frame:
        groups.setdefault(str(row["indicator"]), []).append(row)
    for indicator, group in groups.items():
        body += _section(indicator, sorted(group, key=lambda row: _plan_order(_plan(row))))
    return _page(title, body)


def empty_page(title: str, why: str) -> str:
    """A page that says why there is nothing to compare (`commands` in ``why`` as code)."""
    said = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(why))
    return _page(title, [f'<p class="empty"><strong>Không có gì để so sánh / Nothing to '
                         f"compare</strong>: {said}</p>"])
