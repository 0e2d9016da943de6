"""Markdown (saved web pages, conversions): read with markdown-it-py, offsets kept.

markdown-it-py parses the blocks (paragraphs, headings, lists, pipe tables) and the inline
markup (emphasis across lines, escapes, entities, links); each text token is found again in
the source, so every piece keeps its offset. A saved web page often writes a table as cells
between lone ``|`` lines (the header block, the signature block, appendix tables): those are
read as rows of cells first (:func:`.tables.pipe_regions`).

Where markdown-it could only find plain text it is not run, and what it would give is made
here: the paragraphs and headings between blank lines (:mod:`.blocks`), a paragraph without
inline markup, or all in bold or italics, or marked with ``*`` alone (:mod:`.emphasis`), a
table cell of plain text. Tests hold each of these to markdown-it's own reading.

Lines of one markdown paragraph are kept apart here (one :class:`Src` per printed line, with
the paragraph's id); whether a soft break is a wrap or a paragraph break that the page lost
is decided by :mod:`.joining`, as for every other form.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import regex
from markdown_it.common.utils import MD_WHITESPACE

from .. import patterns
from .blocks import Token, block_tokens, parser
from .emphasis import inline_tokens
from .source import Phys, Physical, Piece, Src, ids, squeezed, squeezed_text, trimmed
from .tables import Cell, table_lines

_PREFIX_RE = patterns.compile(r"^\s*(?:>\s?)*")
_HEADING_RE = patterns.compile(r"#{1,6}(?:\s+|$)")
_CELL_PIPE_RE = patterns.compile(r"(?<!\\)\|")  # a pipe table's cell bound, unless escaped
# Lines with none of these hold no markdown at all (nor a "+ " bullet to rewrite).
_BLOCK_MARKUP_RE = patterns.compile(r"[*_\\`\[\]<>&!~#|]|^\+ ")
# What markdown-it's inline rules start at: a paragraph with none of them is plain text.
_MARKS = r"*_\\`\[\]<>&!~"
_MARKUP_CHARS_RE = patterns.compile(f"[{_MARKS}]")
# A table cell of plain text (NUL, which markdown-it replaces, is not).
_PLAIN_CELL_RE = patterns.compile(f"[^{_MARKS}\\0]*")
# A paragraph in bold or in italics and nothing else ("**II. NHIỆM VỤ**", "*Căn cứ …;*" over
# lines): markdown-it gives one run of text tokens and line breaks. Its text starts and ends
# with what markdown-it does not take for white space (else the marks would not pair).
_SPACE = "".join(map(chr, sorted(MD_WHITESPACE))) + "\u2000-\u200a"
_EDGE = f"[^{_MARKS}{_SPACE}]"
_WRAPPED_RE = patterns.compile(
    rf"(?P<mark>\*\*?)(?P<text>{_EDGE}(?:[^{_MARKS}]*{_EDGE})?)(?P=mark)")

_LOOSE_EMPHASIS_RE = patterns.compile(
    r"\*{2,3}|(?:(?<=^|\s)[*_](?=\S|$)|(?<=\S)[*_](?=\s|$))")
@dataclass
class _Source:
    """Lines handed to markdown-it, and the way back to pass-1 offsets."""

    texts: list[str]
    bases: list[int]  # pass-1 offset of each line's first character
    phys: list[Phys | None]

    def __post_init__(self) -> None:
        self.joined = "\n".join(self.texts)
        self.starts: list[int] = []
        pos = 0
        for text in self.texts:
            self.starts.append(pos)
            pos += len(text) + 1

    def line_of(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def to_pass1(self, pos: int) -> int:
        i = self.line_of(pos)
        return self.bases[i] + (pos - self.starts[i])


def _source(physical: Physical, lines: Sequence[Phys],
            breaks: frozenset[int] = frozenset()) -> _Source:
    """The lines handed to markdown-it; a blank line before the lines whose ``id`` is in
    ``breaks`` (the first line of each cell of a table read at once)."""
    texts: list[str] = []
    bases: list[int] = []
    phys: list[Phys | None] = []
    previous: Phys | None = None
    for line in lines:
        # A pipe table ends at the first line without a pipe (markdown-it would go on).
        ends_table = previous is not None and (physical.text[previous.start] == "|") != (
            physical.text[line.start] == "|")
        if (line.blank_before or ends_table or id(line) in breaks) and previous is not None:
            texts.append("")
            bases.append(line.line_start)
            phys.append(None)
        if line.furniture or line.pipe:
            texts.append("")
        else:
            texts.append(physical.text[line.line_start : line.line_end])
        bases.append(line.line_start)
        phys.append(None if (line.furniture or line.pipe) else line)
        previous = line
    return _Source(texts, bases, phys)


class _Inline:
    """Walks one inline token's children along the source, line by line."""

    def __init__(self, src: _Source, cursor: int) -> None:
        self.src = src
        self.cursor = cursor
        self.bold = 0
        self.emph = 0
        self.lines: dict[int, list[Piece]] = {}
        self.bold_at: dict[int, tuple[bool, bool, bool]] = {}  # bold, emphasis, hard break

    def _add(self, text: str, pos: int, end: int | None = None, copy: bool = True) -> None:
        if not text:
            return
        line = self.src.line_of(pos)
        start = self.src.to_pass1(pos)
        stop = start + len(text) if end is None else self.src.to_pass1(end)
        self.lines.setdefault(line, []).append(Piece(text, start, stop, self.bold > 0, copy))

    def _text(self, text: str, pos: int) -> None:
        # Emphasis marks the page left unmatched ("**ỦY BAN NHÂN DÂN" / "**" on the next
        # line) are markup, not text.
        last = 0
        for m in _LOOSE_EMPHASIS_RE.finditer(text):
            self._add(text[last : m.start()], pos + last)
            last = m.end()
        self._add(text[last:], pos + last)

    def _find(self, needle: str) -> int:
        found = self.src.joined.find(needle, self.cursor)
        return self.cursor if found < 0 else found

    def walk(self, children: Sequence[Any]) -> None:
        for tok in children:
            kind = tok.type
            if kind == "text" or kind == "code_inline":
                if kind == "code_inline":
                    self.cursor = self._find(tok.markup) + len(tok.markup)
                pos = self.src.joined.find(tok.content, self.cursor)
                if pos < 0:  # cannot happen for verbatim text; keep the words anyway
                    self._add(tok.content, self.cursor, self.cursor, copy=False)
                    continue
                self._text(tok.content, pos)
                self.cursor = pos + len(tok.content)
                if kind == "code_inline":
                    self.cursor = self._find(tok.markup) + len(tok.markup)
            elif kind == "text_special":
                pos = self._find(tok.markup)
                if tok.info == "escape":  # "\\*" → "*"; a backslash before a letter stays
                    self._add(tok.content, pos + len(tok.markup) - len(tok.content))
                else:  # an entity: its character replaces it
                    self._add(tok.content, pos, pos + len(tok.markup), copy=False)
                self.cursor = pos + len(tok.markup)
            elif kind in ("softbreak", "hardbreak"):
                self.cursor = self._find("\n") + 1
                self.bold_at[self.src.line_of(self.cursor)] = (
                    self.bold > 0, self.bold + self.emph > 0, kind == "hardbreak")
            elif kind in ("strong_open", "strong_close", "em_open", "em_close", "s_open",
                          "s_close"):
                self.cursor = self._find(tok.markup) + len(tok.markup)
                if kind == "strong_open":
                    self.bold += 1
                elif kind == "strong_close":
                    self.bold = max(self.bold - 1, 0)
                elif kind in ("em_open", "s_open"):
                    self.emph += 1
                else:
                    self.emph = max(self.emph - 1, 0)
            elif kind == "link_close":
                if tok.markup == "autolink":
                    self.cursor = self._find(">") + 1
                else:
                    close = self._find("](")
                    self.cursor = self._find_paren(close + 2)
            elif kind in ("image", "html_inline"):
                if kind == "html_inline":
                    self.cursor = self._find(tok.content) + len(tok.content)
                else:
                    close = self._find("](")
                    self.cursor = self._find_paren(close + 2)

    def _find_paren(self, pos: int) -> int:
        end = self.src.joined.find(")", pos)
        return pos if end < 0 else end + 1


def _inline_tokens(content: str) -> Sequence[Any]:
    """markdown-it's inline tokens of a paragraph's or a cell's text (made here when "*"
    is its only markup)."""
    tokens = inline_tokens(content)
    return tokens if tokens is not None else parser().parseInline(content)[0].children or []


def _prefix_end(text: str) -> int:
    """Where a line's text starts after its indentation and blockquote marks."""
    if text[:1].isalnum():  # most lines: neither a space nor ">" opens them
        return 0
    m = _PREFIX_RE.match(text)
    return m.end() if m else 0


def _plain_lines(src: _Source, first: int, last: int, col: int) -> dict[int, list[Piece]]:
    """The lines of a paragraph without any markup, as they are."""
    out: dict[int, list[Piece]] = {}
    for line in range(first, last):
        text = src.texts[line]
        if src.phys[line] is None or not text.strip():
            continue
        start = col if line == first else _prefix_end(text)
        base = src.bases[line]
        kept = text.rstrip()
        out[line] = squeezed_text(Piece(kept[start:], base + start, base + len(kept)))
    return out


def _wrapped_lines(src: _Source, first: int, at: int, wrapped: regex.Match[str]
                   ) -> tuple[dict[int, list[Piece]], dict[int, tuple[bool, bool, bool]]]:
    """The lines of a paragraph all in bold or all in italics (``wrapped`` by
    :data:`_WRAPPED_RE`) that starts at ``at`` of the source, as :class:`_Inline` reads
    markdown-it's tokens of it: each line's text (the spaces around it, which markdown-it
    drops, :func:`_trimmed` drops), a hard break after two spaces."""
    mark = wrapped.group("mark")
    bold = len(mark) == 2
    by_line: dict[int, list[Piece]] = {}
    bold_at: dict[int, tuple[bool, bool, bool]] = {}
    pos = at + len(mark)
    parts = wrapped.group("text").split("\n")
    for k, part in enumerate(parts):
        line = first + k
        if k:
            pos = src.starts[line]
            bold_at[line] = (bold, True, parts[k - 1].endswith("  "))
        start = src.bases[line] + pos - src.starts[line]
        by_line[line] = [Piece(part, start, start + len(part), bold)]
    return by_line, bold_at


def _block_lines(src: _Source, span: tuple[int, int], content: str, heading: int
                 ) -> list[Src]:
    """The source lines of one inline token (a paragraph, a heading): its lines, its text."""
    start_line = span[0]
    first_text = src.texts[start_line]
    col = _prefix_end(first_text)
    kept: list[Piece] = []
    base = src.starts[start_line]
    if heading:
        mark = _HEADING_RE.match(first_text, col)
        col = mark.end() if mark else col
    elif first_text.startswith(("* ", "+ "), col):  # one bullet mark for every list
        at = src.to_pass1(base + col)
        kept.append(Piece("- ", at, at + 1, copy=False))
        if content.startswith(first_text[col : col + 2]):
            # The mark is the paragraph's own text (lists are not read as lists): read on
            # after it, or its words would be looked for, and found, further on.
            content = content[2:]
        col += 2
    bold_at: dict[int, tuple[bool, bool, bool]] = {}
    wrapped = _WRAPPED_RE.fullmatch(content) if content.startswith("*") else None
    if wrapped and src.joined.startswith(content, base + col):
        # The commonest markup of a saved page: read as markdown-it reads it, without it.
        by_line, bold_at = _wrapped_lines(src, start_line, base + col, wrapped)
    elif _MARKUP_CHARS_RE.search(content):
        walker = _Inline(src, base + col)
        walker.walk(_inline_tokens(content))
        by_line, bold_at = walker.lines, walker.bold_at
    else:
        by_line = _plain_lines(src, start_line, span[1], col)
    para = next(ids)
    out: list[Src] = []
    lines = sorted(by_line)
    for k, line in enumerate(lines):
        pieces = by_line[line]
        if k == 0 and kept:
            pieces = kept + pieces
        phys = src.phys[line]
        if phys is None:
            continue
        bold, emph, hard = bold_at.get(line, (False, False, False))
        # (In the order of Src's fields: positional arguments are read faster.)
        out.append(Src(trimmed(pieces), phys.indent, phys.width,
                       phys.blank_before, phys.page, heading, para, bold, emph, hard))
    if out:
        out[-1].ends_para = True
        for line_src in out:
            line_src.para_lines = len(out)
    return [s for s in out if s.pieces]


def _table_rows(src: _Source, tokens: Sequence[Token], i: int) -> tuple[list[list[list[Src]]], int]:
    """Rows of a pipe table (``| a | b |`` with a delimiter row): cells of one line each."""
    rows: list[list[list[Src]]] = []
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open" and tok.map:
            rows.append(_pipe_row(src, tok.map[0]))
        i += 1
    return rows, i


def _pipe_row(src: _Source, line: int) -> list[list[Src]]:
    text = src.texts[line]
    bounds = [m.start() for m in _CELL_PIPE_RE.finditer(text)]
    if not text.lstrip().startswith("|"):
        bounds.insert(0, -1)
    if not text.rstrip().endswith("|"):
        bounds.append(len(text))
    phys = src.phys[line]
    base = src.starts[line]
    cells: list[list[Src]] = []
    for a, b in pairwise(bounds):
        cell = text[a + 1 : b]
        if _PLAIN_CELL_RE.fullmatch(cell):  # markdown-it gives it whole as one text token
            at = src.to_pass1(base + a + 1)
            found = [Piece(cell, at, at + len(cell))] if cell else []
        else:
            walker = _Inline(src, base + a + 1)
            walker.walk(_inline_tokens(cell))
            found = [p for ps in walker.lines.values() for p in ps]
        pieces = trimmed(found, squeeze=False)
        if phys is None:
            continue
        cells.append([Src(pieces, phys.indent, phys.width, phys.blank_before, phys.page)]
                     if pieces else [])
    return cells


def _plain_run(physical: Physical, lines: Sequence[Phys]) -> list[Src]:
    """Lines with no markdown in them, read as markdown-it would (paragraphs between blank
    lines and page furniture), without it: most cells of a saved page's tables."""
    out: list[Src] = []
    para: list[Src] = []

    def close() -> None:
        if para:
            para[-1].ends_para = True
            for line_src in para:
                line_src.para_lines = len(para)
            out.extend(para)
            para.clear()

    ident = next(ids)
    for line in lines:
        if line.furniture or line.pipe or line.blank_before:
            close()
            ident = next(ids)
            if line.furniture or line.pipe:
                continue
        para.append(Src(squeezed(physical.text, line.start, line.end), line.indent, line.width,
                        line.blank_before, line.page, para=ident))
    close()
    return out


def flow_lines(physical: Physical, lines: Sequence[Phys],
               breaks: frozenset[int] = frozenset()) -> list[Src]:
    """Source lines of a run of markdown lines (no cell lines inside); ``breaks``: ids of
    lines that open a paragraph whatever comes before."""
    if not breaks and not any(_BLOCK_MARKUP_RE.search(physical.text, line.start, line.end)
                              for line in lines if not line.furniture):
        return _plain_run(physical, lines)
    src = _source(physical, lines, breaks)
    tokens = block_tokens(src.texts)
    out: list[Src] = []
    heading = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            heading = len(tok.markup)
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type == "table_open":
            rows, i = _table_rows(src, tokens, i)
            out.extend(table_lines(rows))
        elif tok.type == "fence" and tok.map:
            for line in range(tok.map[0] + 1, max(tok.map[1] - 1, tok.map[0] + 1)):
                phys = src.phys[line]
                if phys is not None:
                    out.append(Src(squeezed(physical.text, phys.start, phys.end), phys.indent,
                                   phys.width, phys.blank_before, phys.page))
        elif tok.type == "inline" and tok.map:
            out.extend(_block_lines(src, tok.map, tok.content, heading))
        i += 1
    return out


def cell_lines(physical: Physical, cells: list[Cell]) -> list[Src]:
    """Source lines of a table written as cells between lone ``|`` lines."""
    # All the cells in one reading (a page has thousands: one markdown-it run each would
    # cost more than the rest of the document), each cell a paragraph of its own.
    lines = [line for cell in cells for line in cell.lines]
    firsts = frozenset(id(cell.lines[0]) for cell in cells)
    starts = [cell.lines[0].line_start for cell in cells]
    contents: list[list[Src]] = [[] for _ in cells]
    for src in flow_lines(physical, lines, firsts):
        contents[bisect_right(starts, src.pieces[0].start) - 1].append(src)
    rows: dict[int, list[list[Src]]] = {}
    for cell, content in zip(cells, contents, strict=True):
        rows.setdefault(cell.row, []).append(content)
    return table_lines([rows[r] for r in sorted(rows)])
