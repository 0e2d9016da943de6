"""Bố cục (layout): the one stage that reads lines and zones, run once per document.

:func:`read_layout` turns the raw text of any input (plain text, ``pdftotext -layout``
dumps, OCR, saved web pages in markdown, the renderings of the PDF/DOCX/DOC loaders) into a
:class:`Layout`: the normalized text with its offset map, typed lines with wrapped lines
joined, and the document's zones. Every extractor reads it.

>>> lay = read_layout("ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
...                   "  TỈNH LÀO CAI            Độc lập - Tự do - Hạnh phúc\\n"
...                   "Số: 12 /KH-UBND          Lào Cai, ngày 05 tháng 3 năm 2026\\n"
...                   "KẾ HOẠCH\\nPhòng, chống thiên tai năm 2026\\nI. MỤC ĐÍCH\\n1. Công an\\n"
...                   "tỉnh chủ trì")
>>> [(lay.line_text(line), line.role) for line in lay.lines][:4]  # doctest: +NORMALIZE_WHITESPACE
[('ỦY BAN NHÂN DÂN', 'issuer'), ('TỈNH LÀO CAI', 'issuer'), ('Số: 12 /KH-UBND', 'number'),
 ('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'motto')]
>>> lay.line_text(lay.lines[-1]), lay.lines[-1].shape
('1. Công an tỉnh chủ trì', 'numbered')
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ..normalize import Builder, normalize_chars
from .cues import fold, is_caps
from .joining import join_lines
from .model import Layout, Line, Zone
from .shapes import is_bullet, read_shape
from .source import Physical, Src, column_lines, physical_lines
from .tables import looks_markdown, pipe_regions
from .zones import assign

__all__ = ["Layout", "Line", "Zone", "fold", "read_layout"]

_ROW = " | "


def _sources(phys: Physical, markdown: bool) -> list[Src]:
    if not markdown:
        return column_lines(phys)
    from .markdown import cell_lines, flow_lines  # markdown-it: ~50 ms to import, for markdown only

    out: list[Src] = []
    for kind, part in pipe_regions(phys):
        if kind == "cells":
            out.extend(cell_lines(phys, part))  # type: ignore[arg-type]
        else:
            out.extend(flow_lines(phys, part))  # type: ignore[arg-type]
    return out


def _put_group(group: Sequence[Src], builder: Builder) -> tuple[tuple[int, int], ...]:
    """The pieces of a logical line of several source lines, or of a table row; the spans of
    its cells."""
    put, copy = builder.put, builder.copy
    cells: list[tuple[int, int]] = []
    cell_start = builder.length
    previous = None
    for src in group:
        if previous is not None and not (previous.endswith("-")
                                         and previous[-2:-1].isalnum()):
            at = src.pieces[0].start
            put(" ", at, at)
        previous = src.content
        breaks = src.cell_breaks
        if not breaks:
            builder.extend(src.pieces)
            continue
        for p, piece in enumerate(src.pieces):
            if p in breaks:
                if p:
                    cells.append((cell_start, builder.length))
                    put(_ROW, piece.start, piece.start)
                cell_start = builder.length
            if piece.copy:
                copy(piece.text, piece.start)
            else:
                put(piece.text, piece.start, piece.end)
        cells.append((cell_start, builder.length))
    return tuple(cells)


def _emit(groups: Sequence[Sequence[Src]], builder: Builder) -> list[Line]:
    lines: list[Line] = []
    put = builder.put
    for group in groups:
        first = group[0]
        if lines:
            at = first.pieces[0].start
            put("\n", at, at)
        start = builder.length
        single = len(group) == 1
        cells: tuple[tuple[int, int], ...] = ()
        if single and not first.cell_breaks:  # most lines: one source line, not a row
            builder.extend(first.pieces)
        else:
            cells = _put_group(group, builder)
        end = builder.length
        bold = first.bold if single else all([src.bold for src in group])
        bold_end = None
        if not bold:
            lead = first.bold_len
            if lead is not None:
                bold_end = start + lead
            elif first.bold and not single:
                bold_end = start + len(first.content)
        lines.append(Line(start, end, bold=bold or first.heading > 0, bold_end=bold_end,
                          heading=first.heading, page=first.page, cells=cells,
                          column=first.column, block=first.band,
                          blank_before=first.blank_before or first.ends_para))
    return lines


def _classify(lines: Sequence[Line], groups: Sequence[Sequence[Src]], text: str) -> None:
    for line, group in zip(lines, groups, strict=True):
        content = text[line.start : line.end]
        # A line of one source line (not a table row) is that line's text, read already.
        line.caps = (group[0].caps if len(group) == 1 and not group[0].cell_breaks
                     else is_caps(content))
        if not line.cells and _ROW in content:
            cells: list[tuple[int, int]] = []
            pos = line.start
            for part in content.split(_ROW):
                cells.append((pos, pos + len(part)))
                pos += len(part) + len(_ROW)
            line.cells = tuple(cells)
        if line.cells:
            line.kind = "row"
            continue
        if is_bullet(content):
            line.kind = "bullet"
            continue
        shape = read_shape(content)
        if shape is not None:
            line.kind = "heading"
            line.shape, line.number, line.alternatives, title = shape
            line.title_start = line.start + title


def _fix_blank_flags(lines: list[Line], groups: Sequence[Sequence[Src]]) -> None:
    # A line opens a paragraph when a blank line or the end of a markdown paragraph is
    # before it (the flag was set on the line that ends the paragraph).
    ends = [group[-1].ends_para for group in groups]
    for i, line in enumerate(lines):
        line.blank_before = groups[i][0].blank_before or (i > 0 and ends[i - 1])


def read_layout(raw: str, page_starts: Sequence[int] | None = None, *,
                markdown: bool | None = None) -> Layout:
    """Đọc bố cục (read the layout) of ``raw``.

    ``page_starts`` are raw offsets where pages begin (from a PDF loader); ``markdown``
    forces or forbids reading markup (by default: when the text carries any).
    """
    text1, map1 = normalize_chars(raw)
    phys = physical_lines(text1)
    if page_starts:
        pages = sorted(page_starts)
        for line in phys.lines:
            line.page = bisect_right(pages, map1.to_raw(line.start)) or 1
    md = looks_markdown(text1) if markdown is None else markdown
    groups = join_lines([s for s in _sources(phys, md) if s.pieces], phys.folded)
    builder = Builder(map1)
    lines = _emit(groups, builder)
    _fix_blank_flags(lines, groups)
    text = builder.text()
    _classify(lines, groups, text)
    zones = assign(lines, text, builder.text_in(phys.folded, fold))
    return Layout(text, builder.finish(), lines, zones)
