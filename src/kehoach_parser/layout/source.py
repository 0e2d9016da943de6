"""Dòng nguồn (source lines): the text after the character pass, read line by line.

Every later step works on :class:`Src` lines: the pieces of one printed line with the
offsets they came from, their bold state, and the facts the joining and zoning steps need
(indentation, width, blank line before, page, markdown paragraph, table cell, column of a
two-column block). Markdown is read by :mod:`.markdown`; this module reads the physical
lines, the page furniture, and the two-column header and closing blocks of text laid out
with spaces (``pdftotext -layout``, OCR).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import count
from typing import NamedTuple

from .. import patterns
from .cues import WORD_START_RE, block_cue, cues, fold, is_caps, is_furniture

# Ids of paragraphs, tables and bands, one sequence for the whole layout stage.
ids = count()

# Runs of spaces inside a line that separate two columns of a block.
# A column gap: three spaces or more (pdftotext -layout), or the " | " between the cells of a
# table row that a DOCX extraction wrote on one line ("V/v … | Hà Nội, ngày …").
_GAP_RE = patterns.compile(r" {3,}| ?\t?\| (?=\S)")
# What a number line's wide gaps separate: the number itself, or the "/symbol" after it.
_NUMBER_PART_RE = patterns.compile(r"^(?:\d{1,6}[a-z]?\s*(?:/\S*)?|[/-]\s*\S+)$")
_SPACE_RUN_RE = patterns.compile(r" {2,}")
# A right-column segment may start this many characters left of the block's right edge
# (centered lines of the right column start at different places).
_COLUMN_SLACK = 10
_NAME_RE = patterns.compile(r"^\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,4}$")
_FURNITURE_CHARS = 100
# Lines looked at for a header block, from the start of the document.
_HEADER_REACH = 40


class Piece(NamedTuple):
    """Text of one line: ``text`` came from ``[start, end)`` of the pass-1 text; ``copy``
    when it is that text as it is (else it replaces it, like ``-`` for a ``*`` bullet)."""

    text: str
    start: int
    end: int
    bold: bool = False
    copy: bool = True


@dataclass(slots=True)
class Src:
    """One source line (or one column segment of a printed line)."""

    pieces: list[Piece]
    indent: int = 0
    width: int = 0
    blank_before: bool = False
    page: int | None = None
    heading: int = 0
    para: int = -1  # id of the markdown paragraph (lines joined by soft breaks)
    bold_into: bool = False  # a bold run goes on from the line before into this one
    emph_into: bool = False  # some emphasis (bold or italic) goes on into this line
    hard_before: bool = False  # a markdown hard line break ends the line before
    cell: tuple[int, int, int] | None = None  # (table, row, column) of a table cell
    column: int = 0  # 1 in the right column of a two-column block
    band: int = -1  # id of the two-column block it belongs to
    layout_table: bool = False  # a cell of a header or signature table
    ends_para: bool = False  # the markdown paragraph ends with this line
    para_lines: int = 1  # how many printed lines its markdown paragraph has
    cell_breaks: list[int] = field(default_factory=list)  # first piece of each cell of a row
    # The pieces never change once the line is made: its text and bold state are kept once
    # read (each step after reads them several times).
    _content: str | None = field(default=None, init=False, repr=False, compare=False)
    _bold: bool | None = field(default=None, init=False, repr=False, compare=False)
    _caps: bool | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def content(self) -> str:
        if self._content is None:
            pieces = self.pieces
            self._content = (pieces[0].text if len(pieces) == 1  # most lines: one piece
                             else "".join([p.text for p in pieces]))
        return self._content

    @property
    def bold(self) -> bool:
        """The whole line is bold."""
        if self._bold is None:
            pieces = self.pieces
            if len(pieces) == 1:  # most lines: one piece, bold or not
                self._bold = pieces[0].bold and bool(pieces[0].text.strip())
            else:
                seen = [p.bold for p in pieces if p.text.strip()]
                self._bold = bool(seen) and all(seen)
        return self._bold

    @property
    def caps(self) -> bool:
        """The line is printed in capitals (:func:`~.cues.is_caps`)."""
        if self._caps is None:
            self._caps = is_caps(self.content)
        return self._caps

    @property
    def bold_len(self) -> int | None:
        """Length of a bold run that opens the line without covering it."""
        if self.bold:
            return None
        length = 0
        started = False
        for piece in self.pieces:
            if piece.text.strip():
                if not piece.bold:
                    return length if started else None
                started = True
            length += len(piece.text)
        return None


@dataclass(slots=True)
class Phys:
    """A printed line of the pass-1 text."""

    line_start: int
    line_end: int  # end of the printed line, trailing spaces included (a markdown hard break)
    start: int  # content start (after leading spaces)
    end: int  # content end (before trailing spaces)
    indent: int
    blank_before: bool
    page: int | None
    furniture: bool = False
    number: bool = False  # a lone number: a page number, or a table cell's STT
    pipe: bool = False  # a lone "|": a cell separator of a saved web page's table

    @property
    def width(self) -> int:
        return self.end - self.line_start


@dataclass
class Physical:
    """The printed lines of a text and what is known of them as a whole."""

    text: str
    lines: list[Phys] = field(default_factory=list)

    @cached_property
    def folded(self) -> str:
        """The text folded (fold keeps the length, one character at a time): its slices are
        the folded lines, cells and segments every step reads."""
        return fold(self.text)

    def content(self, line: Phys) -> str:
        return self.text[line.start : line.end]


def physical_lines(text: str, page_of: Sequence[int] | None = None) -> Physical:
    """The printed lines of ``text``; pages from form feeds, page markers ("===== TRANG 2
    =====") or ``page_of`` (raw offsets where pages start, through ``to_page``)."""
    out = Physical(text)
    page = 1 if ("\f" in text or page_of) else None
    blank = False
    pos = 0
    k = cues()
    furniture_at = k.furniture_opening.match  # is_furniture, once per line
    folded_text = out.folded
    lines = out.lines
    feeds = "\f" in text  # most texts have none: no line is looked at for one
    for raw_line in text.split("\n"):
        line_start = pos
        pos += len(raw_line) + 1
        feed = feeds and "\f" in raw_line
        if feed:
            page = (page or 1) + raw_line.count("\f")
            raw_line = raw_line.replace("\f", " ")
        unindented = raw_line.lstrip()
        stripped = unindented.rstrip()
        if not stripped:
            blank = True
            continue
        lead = len(raw_line) - len(unindented)
        start = line_start + lead
        end = start + len(stripped)
        # Furniture is short: longer lines are text. A page marker is furniture too.
        folded = ("" if end - start > _FURNITURE_CHARS else
                  fold(stripped) if feed else folded_text[start:end])
        furniture = bool(folded) and furniture_at(folded) is not None
        if furniture:
            marker = k.page_marker_opening.match(folded)
            if marker:
                page = int(marker.group("page"))
                continue
        line = Phys(line_start, line_start + len(raw_line), start, end, lead, blank, page)
        if stripped == "|":
            line.pipe = True
        elif furniture and not stripped.startswith("|"):
            line.furniture = True
            line.number = stripped.isdigit()
        lines.append(line)
        blank = False
    return out


def squeezed(text: str, start: int, end: int) -> list[Piece]:
    """Pieces of ``text[start:end]`` with runs of spaces squeezed to one."""
    if text.find("  ", start, end) < 0:  # most lines: no run of spaces
        return [Piece(text[start:end], start, end)] if start < end else []
    pieces: list[Piece] = []
    last = start
    for m in _SPACE_RUN_RE.finditer(text, start, end):
        pieces.append(Piece(text[last : m.start() + 1], last, m.start() + 1))
        last = m.end()
    if last < end:
        pieces.append(Piece(text[last:end], last, end))
    return pieces


def _segments(phys: Physical, line: Phys) -> list[tuple[int, int]]:
    """Column segments of a printed line: parts separated by runs of three spaces or more,
    and a motto or place-date written after a name with only one space (OCR)."""
    text, folded_text = phys.text, phys.folded
    start, end = line.start, line.end
    if text.find("   ", start, end) < 0 and text.find("| ", start, end) < 0:
        parts = [(start, end)]  # most lines: no gap (each gap holds one of these)
    else:
        parts = []
        last = start
        for m in _GAP_RE.finditer(text, start, end):
            parts.append((last, m.start()))
            last = m.end()
        parts.append((last, end))
        parts = _number_joined(folded_text, parts)
    k = cues()
    out: list[tuple[int, int]] = []
    for s, e in parts:
        cut = None
        if e - s < 200:
            folded = folded_text[s:e]
            motto = k.inner_motto.search(folded)  # the first word that opens a motto
            cut = motto.start() if motto else None
            if k.number_opening.match(folded):  # a place-date counts only after a number
                for m in WORD_START_RE.finditer(folded, 0, cut or len(folded)):
                    if k.place_date.match(folded, m.start()):
                        cut = m.start()
                        break
        if cut:
            out.extend([(s, s + cut - 1), (s + cut, e)])
        else:
            out.append((s, e))
    return out


def _label_split(phys: Physical, line: Phys) -> list[tuple[int, int]]:
    """A line outside the two-column blocks, or its two parts when OCR printed the Nơi nhận
    label and the signature's capacity on one line with one space between ("Nơi nhận: TM.
    BAN THƯỜNG VỤ"): the capacity opens the signature, not the recipients list."""
    k = cues()
    label = k.recipients_opening.match(phys.folded[line.start:line.end])
    if label and label.group("inline") and k.authority.match(label.group("inline")):
        cut = line.start + label.start("inline")
        return [(line.start, cut), (cut, line.end)]
    return [(line.start, line.end)]


def _number_joined(folded_text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of a number line spread with wide gaps ("Số:   4390     /UBND-NLN") joined back
    into one: the gaps are a clerk's blanks for the number, not a column break (a lone
    "4390" would otherwise be taken for a page number)."""
    k = cues()
    out: list[tuple[int, int]] = []
    joining = False
    for s, e in parts:
        piece = folded_text[s:e]
        if joining and block_cue(piece) is None and _NUMBER_PART_RE.match(piece):
            out[-1] = (out[-1][0], e)
            continue
        joining = bool(k.number_opening.match(piece)) and "/" not in piece and "-" not in piece
        out.append((s, e))
    return out


def _block_breaker(folded: str, caps: bool, lower_start: bool = False) -> bool:
    """A line that ends a header or closing block: a type line, the body's first words (not
    on a line that opens in lower case: that one wraps the line above, as a subject's
    "ngày 21/5/2026 của …" does), a heading, an appendix."""
    k = cues()
    if caps and k.type_re.match(folded):
        return True
    if k.body_start.match(folded) and not lower_start:
        return True
    if k.appendix.match(folded) or k.attached.match(folded):
        return True
    return any(shape.name in ("roman", "article", "chapter") and shape.pattern.match(folded.upper())
               for shape in k.headings)


@dataclass
class _Band:
    first: int
    last: int
    edge: int  # column where the right column starts
    kind: str  # "header" or "closing"


def _find_bands(phys: Physical) -> list[_Band]:
    """Two-column blocks laid out with spaces: the header (issuer | motto, number |
    place-date) and the closing block (Nơi nhận | signature)."""
    folded_text, lines = phys.folded, phys.lines
    bands: list[_Band] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.furniture or line.pipe:
            i += 1
            continue
        segs = _segments(phys, line)
        right = [(s, e) for s, e in segs[1:] if block_cue(folded_text[s:e]) is not None]
        lone_right = (len(segs) == 1 and line.indent >= 25
                      and block_cue(folded_text[line.start:line.end]) in ("motto", "place_date",
                                                                         "authority"))
        if not right and not lone_right:
            i += 1
            continue
        edge = (right[0][0] if right else line.start) - line.line_start
        folded = folded_text[line.start:line.end]
        kind = "closing" if (cues().recipients.match(folded) or any(
            block_cue(folded_text[s:e]) in ("authority", "position") for s, e in right)) else (
            "header")
        if kind == "header" and i > _HEADER_REACH and bands:
            kind = "closing"
        j = _extend(phys, i, edge, kind)
        bands.append(_Band(i, j, edge, kind))
        i = j + 1
    return bands


def _extend(phys: Physical, first: int, edge: int, kind: str) -> int:
    """The last line of a block that starts at ``first``."""
    text, folded_text, lines = phys.text, phys.folded, phys.lines
    last = first
    signed = False
    for j in range(first + 1, len(lines)):
        line = lines[j]
        if line.pipe:
            break
        if line.furniture:
            continue
        content = text[line.start:line.end]
        folded = folded_text[line.start:line.end]
        if _block_breaker(folded, is_caps(content), content[:1].islower()):
            break
        segs = [(s, e) for s, e in _segments(phys, line) if not is_furniture(folded_text[s:e])]
        if not segs:
            continue
        at_right = [s for s, _ in segs if s - line.line_start >= edge - _COLUMN_SLACK]
        if kind == "closing" and not at_right:
            # Left column: recipients items and their wrapped lines; anything else ends it.
            item = folded.startswith(("-", "+", "•")) or content[:1].islower()
            wide = len(segs) == 1 and segs[0][1] - line.line_start > edge + _COLUMN_SLACK
            if not item and (signed or wide):
                break
        if kind == "closing" and at_right and j > first:
            right_text = text[segs[-1][0]:segs[-1][1]]
            if not block_cue(folded_text[segs[-1][0]:segs[-1][1]]) and _NAME_RE.match(right_text):
                signed = True  # the signer's name
        last = j
    return last


def column_lines(phys: Physical) -> list[Src]:
    """Source lines of plain text: one per printed line, or per column segment inside a
    two-column block (left column first, then right)."""
    text, folded_text = phys.text, phys.folded
    bands = _find_bands(phys)
    out: list[Src] = []
    band_at = {}
    for b, band in enumerate(bands):
        for j in range(band.first, band.last + 1):
            band_at[j] = b
    i = 0
    while i < len(phys.lines):
        if i not in band_at:
            line = phys.lines[i]
            if not (line.furniture or line.pipe):
                for s, e in _label_split(phys, line):
                    out.append(Src(squeezed(text, s, e), line.indent, line.width,
                                   line.blank_before, line.page))
            i += 1
            continue
        b = band_at[i]
        band = bands[b]
        left: list[Src] = []
        right: list[Src] = []
        for j in range(band.first, band.last + 1):
            line = phys.lines[j]
            if line.furniture or line.pipe:
                continue
            for s, e in _segments(phys, line):
                if is_furniture(folded_text[s:e]):
                    continue
                column = 1 if s - line.line_start >= band.edge - _COLUMN_SLACK else 0
                if band.kind == "closing" and right and _NAME_RE.match(text[s:e].strip()):
                    column = 1  # the signer's name on a line of its own under the position
                src = Src(squeezed(text, s, e), s - line.line_start, e - line.line_start,
                          line.blank_before, line.page, column=column, band=b)
                (right if column else left).append(src)
        out.extend(left)
        out.extend(right)
        i = band.last + 1
    return out


def trimmed(pieces: list[Piece], *, squeeze: bool = True) -> list[Piece]:
    """Pieces with their outer spaces stripped and inner runs of spaces squeezed."""
    if len(pieces) == 1:
        piece = pieces[0]
        text = piece.text
        if (text == text.strip() and not (squeeze and piece.copy and "  " in text)
                and (not piece.copy or piece.end == piece.start + len(text))):
            return pieces if text else []  # one piece with nothing to strip or squeeze
    out: list[Piece] = []
    for piece in pieces:
        if squeeze and piece.copy and "  " in piece.text:
            out.extend(squeezed_text(piece))
        else:
            out.append(piece)
    first, end = 0, len(out)
    while first < end and not out[first].text.strip():
        first += 1
    while end > first and not out[end - 1].text.strip():
        end -= 1
    if first == end:
        return []
    out = out[first:end]
    piece = out[0]
    text = piece.text.lstrip()
    if text != piece.text:
        out[0] = Piece(text, piece.start + len(piece.text) - len(text), piece.end, piece.bold,
                       piece.copy)
    piece = out[-1]
    text = piece.text.rstrip()
    stop = piece.start + len(text) if piece.copy else piece.end
    if text != piece.text or stop != piece.end:
        out[-1] = Piece(text, piece.start, stop, piece.bold, piece.copy)
    if len(out) == 1:
        return out
    # A space that ends a piece and one that opens the next are one space.
    joined = [out[0]]
    for piece in out[1:]:
        if piece.text.startswith(" ") and joined[-1].text.endswith(" "):
            text = piece.text.lstrip()
            if not text:
                continue
            piece = Piece(text, piece.start + len(piece.text) - len(text), piece.end, piece.bold,
                          piece.copy)
        if piece.text:
            joined.append(piece)
    return joined


def squeezed_text(piece: Piece) -> list[Piece]:
    """A copied piece with its runs of spaces squeezed to one space."""
    if "  " not in piece.text:
        return [piece]
    parts = squeezed(piece.text, 0, len(piece.text))
    return [Piece(p.text, piece.start + p.start, piece.start + p.end, piece.bold) for p in parts]
