"""Bảng (tables) of saved pages: rows of cells as source lines.

:func:`looks_markdown` tells a saved page (markdown) from other text, before markdown-it is
imported at all (:mod:`.markdown` imports it: a plain text never pays for it).

A saved web page often writes a table as cells between lone ``|`` lines (the header block,
the signature block, appendix tables): :func:`pipe_regions` cuts the document into such
cells and the flowing text around them. :func:`table_lines` makes the rows of a table,
written either way, into source lines: a header or signature row (at most two cells, one
holding a line of those blocks) column by column as a two-column band, a data row as one
line of its cells in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from .. import patterns
from .cues import block_cue, cue_starts, cues, fold, is_caps
from .source import Phys, Physical, Piece, Src, ids, trimmed

# A chunk between two lone "|" lines longer than this is not a cell but text.
_MAX_CELL_LINES = 20
_MAX_CELL_CHARS = 1500
# Inside a flattened layout cell: a rule, a wide gap, or a bullet after ":" or ";".
_CELL_BREAK_RE = patterns.compile(r"\s*[-_=]{4,}\s*|\s{2,}|(?<=[:;])\s+(?=[-+•]\s)")

_MARKDOWN_RE = patterns.compile(
    r"\*\*\S|^#{1,6} |^\|[ \t]*$|^\|.*\|[ \t]*$|^[ \t]*\* \S|\\[-.*_#+()\[\]!`>|]", regex.MULTILINE)


def looks_markdown(text: str) -> bool:
    """Does the text carry markdown (emphasis, heading marks, pipe tables, cell lines)?"""
    return _MARKDOWN_RE.search(text) is not None


@dataclass
class Cell:
    """A cell between lone ``|`` lines: its lines, its row and its column."""

    lines: list[Phys]
    row: int
    column: int


def pipe_regions(physical: Physical) -> Iterator[tuple[str, list[Phys] | list[Cell]]]:
    """The document cut into ``("flow", lines)`` and ``("cells", cells)`` parts."""
    lines = physical.lines
    i = 0
    n = len(lines)
    flow: list[Phys] = []
    while i < n:
        if not lines[i].pipe:
            flow.append(lines[i])
            i += 1
            continue
        cells, j = _cells_from(physical, i)
        if not cells:
            i += 1
            continue
        if flow:
            yield "flow", flow
            flow = []
        yield "cells", cells
        i = j
    if flow:
        yield "flow", flow


def _cells_from(physical: Physical, i: int) -> tuple[list[Cell], int]:
    """Cells from the pipe line ``i``: chunks that start right after a pipe and end right
    before one; runs of two or more pipes end a row. A chunk that opens an appendix in
    capitals ("**PHỤ LỤC**" right after the signature's cell) ends them: the next table is
    the appendix's own."""
    lines = physical.lines
    cells: list[Cell] = []
    row = column = 0
    n = len(lines)
    j = i
    while j < n and lines[j].pipe:
        pipes = 0
        while j < n and lines[j].pipe:
            pipes += 1
            j += 1
        if pipes >= 2 and cells:
            row += 1
            column = 0
        k = j
        chars = 0
        parted = heading = False  # a blank line inside the chunk, a markdown heading in it
        while k < n and not lines[k].pipe:
            line = lines[k]
            chars += line.end - line.start
            parted = parted or (k > j and line.blank_before)
            heading = heading or (physical.text[line.start] == "#"  # most lines: no mark
                                  and _ATX_RE.match(physical.text, line.start) is not None)
            if line.number:  # "1" alone in a cell is its row's number, not a page number
                line.furniture = False
            k += 1
        chunk = lines[j:k]
        closed = k < n
        if (not chunk or not closed or chunk[0].blank_before or len(chunk) > _MAX_CELL_LINES
                or chars > _MAX_CELL_CHARS or parted
                or (cells and _opens_appendix(physical, chunk[0])) or heading):
            return cells, j  # no cell holds a markdown heading: the page goes on after
        cells.append(Cell(chunk, row, column))
        column += 1
        j = k
    return cells, j


_ATX_RE = patterns.compile(r"#{1,6} ")


def _opens_appendix(physical: Physical, line: Phys) -> bool:
    words = physical.text[line.start:line.end].strip("*_# ")
    # (The pattern first: it turns most chunks away, and costs less than counting capitals.)
    return (cues().appendix_opening.match(fold(words)) is not None
            and is_caps(words, share=1.0, least=3))


def _opens_body(src: Src) -> bool:
    folded = fold(src.content)
    return bool(cues().body_start.match(folded)) and not folded.startswith("nam ")


def _layout_row(row: list[list[Src]]) -> bool:
    """A row of a header or signature table: at most two cells, one holding a line of the
    header or closing block, and not the opening of the body ("Kính gửi: …")."""
    filled = [cell for cell in row if cell]
    if not filled or len(filled) > 2:
        return False
    # An issuer cell beside a motto cell passes by the motto: issuer names alone do not
    # make a row layout ("Sở Tài chính" in an assignment table's lead column).
    return any(block_cue(fold(part.content)) is not None
               for cell in filled for src in cell for part in split_layout_cell(src))


def table_lines(rows: list[list[list[Src]]]) -> list[Src]:
    """A table's rows as source lines: layout rows (header, signature) column by column as a
    two-column block; data rows as one row line each, its cells in order."""
    table = next(ids)
    out: list[Src] = []
    block: list[list[list[Src]]] = []

    def flush() -> None:
        band = next(ids)
        width = max((len(r) for r in block), default=0)
        for column in range(width):
            for row in block:
                if column >= len(row):
                    continue
                for src in row[column]:
                    for part in split_layout_cell(src):
                        part.column = min(column, 1)
                        part.band = band
                        part.layout_table = True
                        out.append(part)
        block.clear()

    for number, row in enumerate(rows):
        # A page that lost a row boundary runs the header's last row on into "Kính gửi:"
        # and its list: from there on, cells are text of their own.
        k = next((c for c, cell in enumerate(row) if cell and _opens_body(cell[0])), len(row))
        head, rest = row[:k], row[k:]
        if head and _layout_row(head):
            block.append(head)
        elif head:
            if block:
                flush()
            data = _data_row(head, table, number)
            if data.pieces:
                out.append(data)
        if rest:
            if block:
                flush()
            out.extend(src for cell in rest for src in cell)
    if block:
        flush()
    return out


def _data_row(row: list[list[Src]], table: int, number: int) -> Src:
    pieces: list[Piece] = []
    breaks: list[int] = []
    anchor: Src | None = None
    for cell in row:
        content: list[Piece] = []
        for src in cell:
            anchor = anchor or src
            if content and src.pieces:
                at = src.pieces[0].start
                content.append(Piece(" ", at, at, copy=False))
            content.extend(src.pieces)
        if content:
            breaks.append(len(pieces))
            pieces.extend(content)
    if anchor is None:
        return Src([])
    return Src(pieces, anchor.indent, anchor.width, anchor.blank_before, anchor.page,
               cell=(table, number, 0), cell_breaks=breaks)


def split_layout_cell(src: Src) -> list[Src]:
    """A header or signature cell flattened onto one line ("BỘ Y TẾ  -------",
    "Nơi nhận: - A; - B;") cut back into its lines."""
    text = src.content
    cuts = [(m.start(), m.end()) for m in _CELL_BREAK_RE.finditer(text)]
    cuts += [(p, p) for p in cue_starts(fold(text))]
    if not cuts:
        return [src]
    out: list[Src] = []
    pos = 0
    for a, b in [*sorted(cuts), (len(text), len(text))]:
        if a < pos:
            continue
        part = _slice(src.pieces, pos, a)
        if part:
            out.append(Src(part, src.indent, src.width, src.blank_before, src.page,
                           column=src.column, band=src.band, layout_table=True))
        pos = b
    return out or [src]


def _slice(pieces: list[Piece], start: int, end: int) -> list[Piece]:
    """The pieces covering characters ``[start, end)`` of their joined text."""
    out: list[Piece] = []
    pos = 0
    for piece in pieces:
        a, b = pos, pos + len(piece.text)
        pos = b
        lo, hi = max(a, start), min(b, end)
        if lo >= hi:
            continue
        if piece.copy:
            out.append(Piece(piece.text[lo - a : hi - a], piece.start + lo - a,
                             piece.start + hi - a, piece.bold))
        else:
            out.append(piece._replace(text=piece.text[lo - a : hi - a]))
    return trimmed(out)
