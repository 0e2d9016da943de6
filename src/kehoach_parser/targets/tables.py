"""Bảng chỉ tiêu (tables of targets): "| Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2026 |".

A table is a run of table rows (the layout's ``row`` lines, their cells as spans). It lists
targets when its header names a chỉ tiêu column and a column of what the plan sets (a plan,
a target, a year ahead: not what was done or estimated), and it stands in a targets section
or under a caption that names targets and no forecast or orientation. Each row then gives a
target: the value from the plan's column (the last one when there are several years), the
unit from the unit column (or the value's own "%"), the subject from the chỉ tiêu column.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .. import patterns
from ..layout.model import Line
from ..models import Comparator, Mention, Target
from ..numbers import NUMBER_PATTERN, is_counted_noun, parse_number, unit_of
from .document import Document
from .fields import scope_of, subject_of_cell
from .rules import bound, rules

# How many lines above a table its caption is looked for.
_CAPTION_LINES = 4
_VALUE_RE = patterns.compile(
    rf"^(?P<pre>\D{{0,40}}+)(?P<num>{NUMBER_PATTERN})(?!\d)"
    rf"(?:\s*(?:-|–|đến)\s*(?P<num2>{NUMBER_PATTERN})(?!\d))?\s*(?P<pct>%)?\s*$")
_MARKUP = " *_\t"


@dataclass(frozen=True)
class _Columns:
    """Where a target table keeps its subject, unit and plan values."""

    subject: int
    unit: int | None
    plan: int
    year: int | None
    width: int


@dataclass(frozen=True)
class Row:
    """A target read from a table row, with its statement (subject and value cells)."""

    target: Target
    statement: str


def _cell(text: str, span: tuple[int, int]) -> str:
    return " ".join(text[span[0]:span[1]].strip(_MARKUP).split())


def _runs(lines: Sequence[Line]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive table rows: (first, last) line indexes."""
    first = None
    for index, line in enumerate(lines):
        if line.kind == "row":
            first = index if first is None else first
            continue
        if first is not None:
            yield first, index - 1
            first = None
    if first is not None:
        yield first, len(lines) - 1


def _columns(text: str, header: Line) -> _Columns | None:
    r = rules()
    cells = [_cell(text, span) for span in header.cells]
    subject = next((i for i, c in enumerate(cells) if r.table_subject.fullmatch(c)), None)
    if subject is None:
        return None
    unit = next((i for i, c in enumerate(cells) if r.table_unit.fullmatch(c)), None)
    plans = [(i, m) for i, c in enumerate(cells)
             if c and i not in (subject, unit) and not r.table_past.search(c)
             and (m := r.table_plan.fullmatch(c)) is not None]
    if not plans:
        return None
    plan, m = plans[-1]
    year = int(m["last"] or m["year"]) if (m["last"] or m["year"]) else None
    return _Columns(subject, unit, plan, year, len(cells))


def _accepted(doc: Document, first: int, header: Line) -> bool:
    """Does the table state what the plan commits to: in a targets section of the body, or
    under a caption naming targets, and not a forecast, an orientation or an assignment?"""
    r, lines, text = rules(), doc.lines, doc.text
    caption_lines = [lines[i] for i in range(max(0, first - _CAPTION_LINES), first)
                     if lines[i].kind != "row" and lines[i].zone == header.zone]
    caption = " ".join(text[line.start:line.end] for line in caption_lines)
    if r.not_caption.search(caption):
        return False
    in_targets = header.zone == "body" and "targets" in doc.kinds(header.start)
    return in_targets or r.caption.search(caption) is not None


def _unit(value_cell: str, unit_cell: str) -> str:
    """The unit of a row: the value's own "%", the unit column's unit, a counted noun (count),
    else the unit as written."""
    if "%" in value_cell:
        return "percent"
    if not unit_cell:
        return "count"
    known = unit_of(unit_cell)
    if known is not None:
        return known
    if is_counted_noun(unit_cell) or len(unit_cell.split()) == 1:
        return "count"
    return unit_cell.lower()


def _comparator(subject_cell: str, pre: str, has_max: bool) -> Comparator:
    for pattern_name, pattern in rules().changes:
        if pattern.match(subject_cell):
            return pattern_name
    sign = rules().table_signs.get(pre.strip())
    if sign is not None:
        return sign
    if has_max:
        return "range"
    return bound(pre + " ") or "eq"


def _row(doc: Document, line: Line, columns: _Columns) -> Row | None:
    text = doc.text
    if len(line.cells) != columns.width:
        return None
    cells = [_cell(text, span) for span in line.cells]
    subject_cell, value_cell = cells[columns.subject], cells[columns.plan]
    m = _VALUE_RE.fullmatch(value_cell)
    if not subject_cell or m is None:  # "pre" holds no digit (\D)
        return None
    value = parse_number(m["num"])
    value_max = parse_number(m["num2"]) if m["num2"] else None
    unit_cell = cells[columns.unit] if columns.unit is not None else ""
    unit = _unit(value_cell, unit_cell)
    comparator = _comparator(subject_cell, m["pre"], value_max is not None)
    span = (line.start, line.end)
    raw = text[line.start:line.end]
    subject = subject_of_cell(subject_cell)
    indicator = None
    if doc.catalogue is not None:
        indicator = doc.catalogue.match(subject, subject_cell, unit=unit, comparator=comparator)
    found = Target(
        text=raw, value=value, value_max=value_max, unit=unit, comparator=comparator,
        subject=subject, scope=scope_of(subject_cell), indicator=indicator,
        year=columns.year or doc.heading_year(line.start) or doc.title_year,
        section_path=doc.path_at(line.start), span=span, mentions=[Mention(span=span, raw=raw)],
    )
    return Row(found, f"{subject_cell} {value_cell}")


def read_tables(doc: Document) -> tuple[list[Row], set[int]]:
    """The targets of the document's tables of targets, and the indexes of the lines those
    tables hold (their cells are not read again as clauses), scoring tables ("TIÊU CHÍ |
    ĐIỂM CHUẨN") included."""
    lines, text = doc.lines, doc.text
    rows: list[Row] = []
    taken: set[int] = set()
    for first, last in _runs(lines):
        header = lines[first]
        if rules().awards.search(text[header.start:header.end]):
            taken.update(range(first, last + 1))  # a scoring table grades, it sets nothing
            continue
        columns = _columns(text, header)
        if columns is None or not _accepted(doc, first, header):
            continue
        taken.update(range(first, last + 1))
        for index in range(first + 1, last + 1):
            if (row := _row(doc, lines[index], columns)) is not None:
                rows.append(row)
    return rows, taken
