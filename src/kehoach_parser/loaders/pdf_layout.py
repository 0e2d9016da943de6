"""Bố cục trang (page layout): a PDF's text runs put back into reading order as markup.

Runs (see :mod:`.pdf_text`) are grouped into lines by their vertical band, lines into
paragraphs by indentation, spacing and line ends, and bold fonts mark ``**bold**`` runs.
Page numbers and lines repeated at the top or bottom of the pages are dropped. The header
block and the signature block, printed as two columns, are read column by column (left
first) so that their lines come out in metadata order; other two-column bands (tables)
come out row by row with cells joined by `` | ``.

Every step is linear in the runs (or n log n where it sorts): no line is rebuilt each time
another is joined to it.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import patterns
from ..layout.cues import cues, fold
from .blocks import Para, is_layout_line, para_lines
from .pdf_text import Run

_BLOCK_START_RE = patterns.compile(
    r"^(?:[-+•●▪◦–]\s|[IVXLC]+[.)]\s|\d+(?:\.\d+)*[.)]\s|\p{Ll}\)\s)")
_DIGITS_RE = patterns.compile(r"\d+")
_SENTENCE_END = tuple(".;:!?")
_SPACES = " \t\u00a0"  # what the markup collapses within a run
_PAGE_MARK = "\x00"  # placed where a page starts while paragraphs are written
_FULL = 0.85  # a line this share of the text width long is full (wrapped, not ended)
_COLUMN_GAP = 2.0  # a gap wider than this many line heights separates two columns
# A column's alignment is judged on its last lines: a band of thousands of rows (a long
# two-column table) is then read in linear time.
_ALIGNMENT_WINDOW = 8
_OPENING = 32  # characters of a line's start that tell a bullet or a number
_X0 = operator.attrgetter("x0")  # a sort key without a Python call per run


@dataclass(slots=True)
class Line:
    """Runs on one baseline, left to right; the measures are computed once. ``pieces``:
    the runs' texts and boldness with a space between two runs that need one."""

    runs: list[Run]
    page: int
    segments: list[list[Run]]
    x0: float
    x1: float
    top: float
    bottom: float
    height: float
    text: str
    bold: bool
    pieces: list[tuple[str, bool]]


def make_line(runs: list[Run], page: int, *, ordered: bool = False) -> Line:
    """The line of ``runs`` (put left to right unless ``ordered``), measured in one pass:
    its box, median height, boldness (of the runs with text), text and segments (runs
    split where a gap is wide enough to be between two columns). Two runs need a space
    between them when neither brings one and the gap between them is wider than a sliver
    of the smaller height."""
    if not ordered and len(runs) > 1:
        runs.sort(key=_X0)
    prev = runs[0]
    prev_height = prev.top - prev.bottom
    x1, top, bottom = prev.x1, prev.top, prev.bottom
    heights = [prev_height]
    pieces = [(prev.text, prev.bold)]
    segment = [prev]
    segments = [segment]
    bold = prev.bold or not prev.text.strip()
    for k in range(1, len(runs)):
        run = runs[k]
        height = run.top - run.bottom
        gap = run.x0 - prev.x1
        # The comparisons spelled as max() and min() would (ties and all), without a call.
        if gap > _COLUMN_GAP * (height if height > prev_height else prev_height):
            segment = [run]
            segments.append(segment)
        else:
            segment.append(run)
        if not (prev.text.endswith(" ") or run.text.startswith(" ")):
            low = height if height < prev_height else prev_height
            if gap > 0.15 * (1.0 if low < 1.0 else low):
                pieces.append((" ", run.bold))
        pieces.append((run.text, run.bold))
        if run.x1 > x1:
            x1 = run.x1
        if run.top > top:
            top = run.top
        if run.bottom < bottom:
            bottom = run.bottom
        if bold and not run.bold and run.text.strip():
            bold = False
        heights.append(height)
        prev, prev_height = run, height
    text = pieces[0][0] if len(pieces) == 1 else "".join([piece for piece, _ in pieces])
    return Line(runs, page, segments, runs[0].x0, x1, top, bottom, _median(heights), text,
                bold, pieces)


def _median(values: list[float]) -> float:
    """statistics.median, without its generality (it is called for every line)."""
    if len(values) == 1:
        return values[0]
    values.sort()
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


@dataclass
class _Geometry:
    left: float  # the body's left margin
    right: float  # the body's right margin
    indent: float  # where the first line of a paragraph starts
    pitch: float  # typical distance between the baselines of two lines of a paragraph





# Lines ----------------------------------------------------------------------------------


def page_lines(runs: list[Run], page: int) -> list[Line]:
    """Group runs into lines by their vertical bands, top to bottom, left to right."""
    keys = [-(run.top + run.bottom) for run in runs]
    groups: list[list[Run]] = []
    group: list[Run] = []
    low = high = 0.0  # the band of the current line
    # Sorted by index with the keys' own lookup (no Python call per key); stable, so runs
    # at one height keep their drawing order.
    for k in sorted(range(len(runs)), key=keys.__getitem__):
        run = runs[k]
        middle = (run.top + run.bottom) / 2
        if groups and low <= middle <= high:
            group.append(run)
            if run.bottom < low:
                low = run.bottom
            if run.top > high:
                high = run.top
        else:
            group = [run]
            groups.append(group)
            low, high = run.bottom, run.top
    return [make_line(group, page) for group in groups]


def _artifacts(pages: list[list[Line]]) -> set[int]:
    """ids of page numbers and of lines repeated at the top or bottom of most pages."""
    drop: set[int] = set()
    number = cues().page_number
    seen: Counter[str] = Counter()
    edges: list[list[tuple[Line, str]]] = []
    for lines in pages:
        ends = [*lines[:2], *lines[-2:]] if len(lines) > 4 else list(lines)
        keyed = [(line, f"{k < 2}:" + _DIGITS_RE.sub("#", line.text.strip()))
                 for k, line in enumerate(ends)]
        edges.append(keyed)
        seen.update({key for _, key in keyed})
    for keyed in edges:
        for line, key in keyed:
            repeated = len(pages) >= 3 and seen[key] >= max(3, len(pages) // 2)
            if repeated or number.match(fold(line.text.strip())):
                drop.add(id(line))
    return drop


def _geometry(lines: list[Line]) -> _Geometry:
    lefts = Counter(round(line.x0) for line in lines)
    common = [float(x) for x, _ in lefts.most_common(2)] or [0.0]
    left = common[0]
    indent = max(common) if len(common) > 1 and max(common) - left < 80 else left
    rights = sorted(line.x1 for line in lines)
    right = rights[int(len(rights) * 0.9)] if rights else 0.0
    pitches = [a.bottom - b.bottom for a, b in itertools.pairwise(lines)
               if a.page == b.page and 0 < a.bottom - b.bottom < 3 * a.height]
    pitch = _median(pitches) if pitches else 16.0
    return _Geometry(left, right, indent, pitch)


# Two-column bands (header block, signature block, tables) --------------------------------


@dataclass
class _Band:
    """A run of lines in two columns: the left column ends before ``right_edge``, the
    right one starts after ``left_edge``; ``columns`` hold the (x0, x1) of their lines."""

    start: int
    end: int
    left_edge: float
    right_edge: float
    columns: tuple[list[tuple[float, float]], list[tuple[float, float]]] = field(
        default_factory=lambda: ([], []))

    def side(self, x0: float, x1: float) -> int | None:
        """0 for the left column, 1 for the right, None for a line across both."""
        if x1 <= self.right_edge:
            return 0
        return 1 if x0 >= self.left_edge else None

    def _aligned(self, side: int, line: Line) -> bool:
        """The line is aligned like the column's lines: centred under a centred column (the
        issuer), starting at its left edge under a left-aligned one (Nơi nhận)."""
        column = self.columns[side][-_ALIGNMENT_WINDOW:]
        starts = [a for a, _ in column]
        centres = [(a + b) / 2 for a, b in column]
        at_start = min(abs(line.x0 - a) for a in starts) <= 0.4 * line.height
        at_centre = min(abs((line.x0 + line.x1) / 2 - c) for c in centres) <= 0.75 * line.height
        if len(column) < 2:
            return at_start or at_centre
        centred = max(centres) - min(centres) < max(starts) - min(starts)
        return at_centre if centred else at_start

    def take(self, line: Line, page: int) -> bool:
        """Add ``line`` when it fits the columns; narrows the gap between them."""
        if line.page != page or len(line.segments) > 2:
            return False
        if len(line.segments) == 1:
            side = self.side(line.x0, line.x1)
            if side is None or not self._aligned(side, line):
                return False
            self.columns[side].append((line.x0, line.x1))
            return True
        left, right = line.segments[0][-1].x1, line.segments[1][0].x0
        if left > self.right_edge or right < self.left_edge:
            return False
        self.left_edge = max(self.left_edge, left)
        self.right_edge = min(self.right_edge, right)
        for side, segment in enumerate(line.segments):
            self.columns[side].append((segment[0].x0, segment[-1].x1))
        return True


def _bands(lines: list[Line]) -> Iterator[_Band]:
    """Runs of lines laid out in two columns, each seeded by a line with a column gap; a
    band grows back no further than where the previous one ended."""
    i = floor = 0
    while i < len(lines):
        line = lines[i]
        if len(line.segments) != 2:
            i += 1
            continue
        band = _Band(i, i + 1, line.segments[0][-1].x1, line.segments[1][0].x0)
        band.take(line, line.page)
        while band.start > floor and band.take(lines[band.start - 1], line.page):
            band.start -= 1
        while band.end < len(lines) and band.take(lines[band.end], line.page):
            band.end += 1
        yield band
        i = floor = band.end


def _reorder(lines: list[Line]) -> list[Line]:
    """Two-column bands: layout bands column by column; others as ``a | b`` rows."""
    out: list[Line] = []
    pos = 0
    for band in list(_bands(lines)):
        out.extend(lines[pos : band.start])
        rows = lines[band.start : band.end]
        # Each row's segments as lines (a line of one segment is its own).
        cells = [[line] if len(line.segments) == 1 else
                 [make_line(segment, line.page) for segment in line.segments]
                 for line in rows]
        halves: list[list[Line]] = [[], []]
        for row in cells:
            for cell in row:
                halves[band.side(cell.x0, cell.runs[-1].x1) or 0].append(cell)
        if any(is_layout_line(line.text) for half in halves for line in half):
            out.extend(_unwrap(halves[0]) + _unwrap(halves[1]))
        else:
            for line, row in zip(rows, cells, strict=True):
                merged = Run(line.x0, line.bottom, line.x1, line.top,
                             " | ".join(cell.text for cell in row), line.bold)
                out.append(make_line([merged], line.page))
        pos = band.end
    out.extend(lines[pos:])
    return out


def _unwrap(column: list[Line]) -> list[Line]:
    """Lines of one column with wrapped lines joined: after a line left open, a line in
    lower case, or one without a dash under a dashed item ("- Ủy ban Quốc gia …" /
    "phòng, chống …"), continues it. Each joined line is built once, from its parts."""
    groups: list[list[Line]] = []
    opening = ""  # the start of the current joined line's text, enough for a bullet
    for line in column:
        head, tail = (groups[-1][0], groups[-1][-1]) if groups else (None, None)
        item = head is not None and _BLOCK_START_RE.match(opening) is not None \
            and _BLOCK_START_RE.match(line.text) is None
        if (tail is not None and head is not None and head.bold == line.bold
                and (line.text[:1].islower() or item)
                and tail.text.rstrip()[-1:] not in _SENTENCE_END):
            groups[-1].append(line)
            if len(opening) < _OPENING:
                opening = f"{opening} {line.text}"[:_OPENING]
        else:
            groups.append([line])
            opening = line.text[:_OPENING]
    out: list[Line] = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        runs: list[Run] = list(group[0].runs)
        for prev, line in itertools.pairwise(group):
            runs.append(Run(prev.x1, prev.bottom, prev.x1, prev.top, " ", group[0].bold))
            runs.extend(line.runs)
        out.append(make_line(runs, group[0].page, ordered=True))
    return out


# Paragraphs -----------------------------------------------------------------------------


def _centered(line: Line, geo: _Geometry) -> bool:
    """Centred between the margins (titles), not merely indented like a paragraph."""
    left_gap, right_gap = line.x0 - geo.left, geo.right - line.x1
    tolerance = max(line.height, 0.02 * (geo.right - geo.left))
    return (abs(left_gap - right_gap) <= tolerance and left_gap > 2 * line.height
            and abs(line.x0 - geo.indent) > 2.0)


def _starts_paragraph(prev: Line, line: Line, geo: _Geometry, prev_centred: bool,
                      centred: bool) -> bool:
    """Whether ``line`` starts a paragraph after ``prev`` (``prev_centred``, ``centred``:
    whether each is centred, judged once per line)."""
    if prev.page == line.page and prev.bottom - line.bottom > 1.6 * geo.pitch:
        return True  # vertical space
    if prev.bold != line.bold:
        return True
    if prev_centred or centred:
        # A centred title wrapped over lines: the lines before the last fill the width.
        wrapped = prev.x1 - prev.x0 > _FULL * (geo.right - geo.left)
        return not (wrapped and centred and prev.text.rstrip()[-1:] not in _SENTENCE_END)
    if line.x0 > geo.left + 0.6 * line.height or prev.x1 < geo.right - 2.5 * line.height:
        return True  # first-line indent, or the previous line ended short
    # A bullet or number at the margin after a finished sentence; "- " after an open one
    # is a dash cut to the next line ("Sở Lao động" / "- Thương binh và Xã hội").
    return prev.text.rstrip()[-1:] in _SENTENCE_END and bool(_BLOCK_START_RE.match(line.text))


def _paragraphs(lines: list[Line], geo: _Geometry) -> Iterator[list[Line]]:
    centred = [_centered(line, geo) for line in lines]
    para: list[Line] = []
    for k, line in enumerate(lines):
        if para and _starts_paragraph(para[-1], line, geo, centred[k - 1], centred[k]):
            yield para
            para = []
        para.append(line)
    if para:
        yield para


def _para_runs(para: list[Line], page_marks: set[int]) -> Para:
    """One paragraph's runs; words cut at a line-end hyphen are joined without a space.
    Pieces of one boldness are joined into one run (less to mark up): the open run is
    kept as parts, with whether it holds more than spaces, and joined once when it
    closes, so that a long paragraph costs its length."""
    runs: list[tuple[str, bool]] = []
    parts: list[str] = []  # the open run's text
    bold = inked = False  # the open run's boldness; whether it holds more than spaces
    for k, line in enumerate(para):
        lead: list[tuple[str, bool]] = []
        if k:
            cut = False
            if inked:  # so is each of its parts: only the last has spaces to drop
                tail = parts[-1].rstrip()
                before = tail[-2] if len(tail) > 1 else parts[-2][-1] if len(parts) > 1 else ""
                cut = tail.endswith("-") and before.isalnum()
                if cut:
                    parts[-1] = tail
            if not cut or not line.text.lstrip()[:1].isalnum():
                lead.append((" ", line.bold))
        if line.page in page_marks:
            page_marks.discard(line.page)
            lead.insert(0, (_PAGE_MARK, line.bold))
        for text, text_bold in itertools.chain(lead, line.pieces):
            if (parts and text_bold == bold and inked and text.strip()
                    and not (parts[-1][-1] in _SPACES and text[0] in _SPACES)):
                parts.append(text)
            else:
                if parts:
                    runs.append(("".join(parts), bold))
                parts, bold, inked = [text], text_bold, bool(text.strip())
    if parts:
        runs.append(("".join(parts), bold))
    return Para(runs)


def _write(paragraphs: Iterator[list[Line]], page_count: int) -> tuple[str, list[int]]:
    """Raw markdown and the offsets where pages start."""
    marks = set(range(1, page_count + 1))
    text = "\n\n".join(line for para in paragraphs
                       for line in para_lines(_para_runs(para, marks)))
    starts: list[int] = []
    pieces = text.split(_PAGE_MARK)
    offset = 0
    for piece in pieces[:-1]:
        offset += len(piece)
        starts.append(offset)
    return "".join(pieces), starts


def layout(pages: list[list[Line]]) -> tuple[str, list[int]]:
    """Bố cục (lay out) the lines of every page: raw markup and the offsets where pages
    start (a page without text starts where the next one does)."""
    drop = _artifacts(pages)
    kept = [line for page in pages
            for line in _reorder([line for line in page if id(line) not in drop])]
    return _write(_paragraphs(kept, _geometry(kept)), len(pages))
