"""Tệp PDF: the text layer read with pypdfium2, put back into reading order.

pypdfium2 gives each text object (a run of one font on one line) with its box and font,
so the layout is known without a per-character loop: runs are grouped into lines by their
vertical band, lines into paragraphs by indentation, spacing and line ends, and bold fonts
(``…Bold…``) mark ``**bold**`` runs. Page numbers and lines repeated at the top or bottom
of the pages are dropped. The header block and the signature block, printed as two
columns, are read column by column (left first) so that their lines come out in metadata
order; other two-column bands (tables) come out row by row with cells joined by `` | ``.

A PDF without text (a scan), or whose text layer is garbage (fonts without a Unicode map),
raises :class:`NoTextLayer` unless OCR is asked for (``LoadOptions.ocr``) and installed.
"""

from __future__ import annotations

import ctypes
import itertools
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import regex

from .. import data
from ..errors import CorruptFileError, EncryptedFileError, LimitExceededError, NoTextLayer
from . import Loaded, LoadOptions, legacy, sha256
from .blocks import Para, is_layout_line, para_lines

_BOLD_RE = regex.compile(r"bold|black|heavy|semibold|demi|,b$", regex.IGNORECASE)
_BLOCK_START_RE = regex.compile(r"^(?:[-+•●▪◦–]\s|[IVXLC]+[.)]\s|\d+(?:\.\d+)*[.)]\s|\p{Ll}\)\s)")
# Characters a Vietnamese text layer can hold; anything else in bulk means broken fonts.
_ODD_RE = regex.compile(
    "[^\t-~\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u22ff\u2500-\u25ff\uf000-\uf0ff]+")
_SENTENCE_END = tuple(".;:!?")
_PAGE_MARK = "\x00"  # placed where a page starts while paragraphs are written
_MIN_CHARS_PER_PAGE = 16  # fewer visible characters on average: a scan
_MAX_ODD_SHARE = 0.05
_SAMPLE = 20_000  # characters looked at to judge a text layer
_FULL = 0.85  # a line this share of the text width long is full (wrapped, not ended)
_COLUMN_GAP = 2.0  # a gap wider than this many line heights separates two columns


@dataclass
class _Run:
    x0: float
    bottom: float
    x1: float
    top: float
    text: str
    bold: bool

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass
class _Line:
    """Runs on one baseline, left to right; the measures are computed once."""

    runs: list[_Run]
    page: int
    segments: list[list[_Run]]
    x0: float
    x1: float
    top: float
    bottom: float
    height: float
    text: str
    bold: bool


def _line(runs: list[_Run], page: int, *, ordered: bool = False) -> _Line:
    if not ordered:
        runs.sort(key=lambda r: r.x0)
    return _Line(
        runs=runs, page=page, segments=_segments(runs), x0=runs[0].x0,
        x1=max(r.x1 for r in runs), top=max(r.top for r in runs),
        bottom=min(r.bottom for r in runs), height=statistics.median(r.height for r in runs),
        text=_join_runs(runs), bold=all(r.bold for r in runs if r.text.strip()),
    )


@dataclass
class _Geometry:
    left: float  # the body's left margin
    right: float  # the body's right margin
    indent: float  # where the first line of a paragraph starts
    pitch: float  # typical distance between the baselines of two lines of a paragraph


@cache
def _page_number_re() -> regex.Pattern[str]:
    patterns = [e["pattern"] for e in data.load("loader_cues")["page_number"]]
    return regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE)


# Reading the text objects -------------------------------------------------------------


class _PageReader:
    """Text runs of one page, straight from pdfium's text objects."""

    def __init__(self, pdfium_c: Any) -> None:
        self.c = pdfium_c
        self.fonts: dict[int, bool] = {}  # font handle → bold
        self.buffer = (ctypes.c_ushort * 4096)()
        self.name = ctypes.create_string_buffer(256)
        self.box = [ctypes.c_float() for _ in range(4)]
        self.matrix = pdfium_c.FS_MATRIX()

    def _bold(self, obj: Any) -> bool:
        font = self.c.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in self.fonts:
            size = self.c.FPDFFont_GetBaseFontName(font, self.name, 256)
            name = self.name.value.decode("latin-1") if size else ""
            self.fonts[key] = bool(_BOLD_RE.search(name)) or self.c.FPDFFont_GetWeight(font) >= 700
        return self.fonts[key]

    def _text(self, obj: Any, textpage: Any) -> str:
        size = self.c.FPDFTextObj_GetText(obj, textpage, None, 0)
        if size <= 2:
            return ""
        units = size // 2
        buffer = self.buffer if units <= len(self.buffer) else (ctypes.c_ushort * units)()
        self.c.FPDFTextObj_GetText(obj, textpage, buffer, size)
        text = ctypes.string_at(buffer, size - 2).decode("utf-16-le", "replace")
        # pdfium marks a hyphen at a line end as \x02; Vietnamese never hyphenates words,
        # so it is a real hyphen cut from what follows ("QĐ-" / "UBND").
        return text.replace("\x02", "-")

    def _objects(self, page: Any, form: Any = None, depth: int = 0) -> Iterator[tuple[Any, Any]]:
        """(text object, matrix of its form or None) over the page, into forms."""
        c = self.c
        count = c.FPDFFormObj_CountObjects(form) if form else c.FPDFPage_CountObjects(page)
        for i in range(count):
            obj = c.FPDFFormObj_GetObject(form, i) if form else c.FPDFPage_GetObject(page, i)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_TEXT:
                yield obj, form
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < 8:
                yield from self._objects(page, obj, depth + 1)

    def runs(self, page: Any, textpage: Any) -> list[_Run]:
        c = self.c
        out: list[_Run] = []
        left, bottom, right, top = self.box
        for obj, form in self._objects(page):
            c.FPDFPageObj_GetMatrix(obj, ctypes.byref(self.matrix))
            if abs(self.matrix.b) > 1e-3 or abs(self.matrix.c) > 1e-3:
                continue  # rotated text: stamps and margin notes
            text = self._text(obj, textpage)
            if not text.strip():
                continue
            c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom),
                                    ctypes.byref(right), ctypes.byref(top))
            x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
            if form is not None:
                x0, y0, x1, y1 = self._in_page(form, x0, y0, x1, y1)
            out.append(_Run(x0, y0, x1, y1, text.replace("\r", "").replace("\n", " "),
                            self._bold(obj)))
        return out

    def _in_page(self, form: Any, x0: float, y0: float, x1: float,
                 y1: float) -> tuple[float, float, float, float]:
        m = self.c.FS_MATRIX()
        self.c.FPDFPageObj_GetMatrix(form, ctypes.byref(m))
        return (m.a * x0 + m.e, m.d * y0 + m.f, m.a * x1 + m.e, m.d * y1 + m.f)


# Lines ----------------------------------------------------------------------------------


def _join_runs(runs: list[_Run]) -> str:
    parts: list[str] = []
    prev: _Run | None = None
    for run in runs:
        if prev is not None and _needs_space(prev, run):
            parts.append(" ")
        parts.append(run.text)
        prev = run
    return "".join(parts)


def _needs_space(prev: _Run, run: _Run) -> bool:
    if prev.text.endswith(" ") or run.text.startswith(" "):
        return False
    return run.x0 - prev.x1 > 0.15 * max(min(prev.height, run.height), 1.0)


def _lines(runs: list[_Run], page: int) -> list[_Line]:
    """Group runs into lines by their vertical bands, top to bottom, left to right."""
    groups: list[list[_Run]] = []
    band = (0.0, 0.0)
    for run in sorted(runs, key=lambda r: -(r.top + r.bottom)):
        middle = (run.top + run.bottom) / 2
        if groups and band[0] <= middle <= band[1]:
            groups[-1].append(run)
            band = (min(band[0], run.bottom), max(band[1], run.top))
        else:
            groups.append([run])
            band = (run.bottom, run.top)
    return [_line(group, page) for group in groups]


def _segments(runs: list[_Run]) -> list[list[_Run]]:
    """Runs split where a gap is wide enough to be between two columns."""
    segments: list[list[_Run]] = [[runs[0]]]
    for prev, run in itertools.pairwise(runs):
        if run.x0 - prev.x1 > _COLUMN_GAP * max(prev.height, run.height):
            segments.append([run])
        else:
            segments[-1].append(run)
    return segments


def _artifacts(pages: list[list[_Line]]) -> set[int]:
    """ids of page numbers and of lines repeated at the top or bottom of most pages."""
    drop: set[int] = set()
    number = _page_number_re()
    seen: Counter[str] = Counter()
    edges: list[list[tuple[_Line, str]]] = []
    for lines in pages:
        ends = [*lines[:2], *lines[-2:]] if len(lines) > 4 else list(lines)
        keyed = [(line, f"{k < 2}:" + regex.sub(r"\d+", "#", line.text.strip()))
                 for k, line in enumerate(ends)]
        edges.append(keyed)
        seen.update({key for _, key in keyed})
    for keyed in edges:
        for line, key in keyed:
            repeated = len(pages) >= 3 and seen[key] >= max(3, len(pages) // 2)
            if repeated or number.match(line.text.strip()):
                drop.add(id(line))
    return drop


def _geometry(lines: list[_Line]) -> _Geometry:
    lefts = Counter(round(line.x0) for line in lines)
    common = [float(x) for x, _ in lefts.most_common(2)] or [0.0]
    left = common[0]
    indent = max(common) if len(common) > 1 and max(common) - left < 80 else left
    rights = sorted(line.x1 for line in lines)
    right = rights[int(len(rights) * 0.9)] if rights else 0.0
    pitches = [a.bottom - b.bottom for a, b in itertools.pairwise(lines)
               if a.page == b.page and 0 < a.bottom - b.bottom < 3 * a.height]
    pitch = statistics.median(pitches) if pitches else 16.0
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

    def _aligned(self, side: int, line: _Line) -> bool:
        """The line is aligned like the column's lines: centred under a centred column (the
        issuer), starting at its left edge under a left-aligned one (Nơi nhận)."""
        column = self.columns[side]
        starts = [a for a, _ in column]
        centres = [(a + b) / 2 for a, b in column]
        at_start = min(abs(line.x0 - a) for a in starts) <= 0.4 * line.height
        at_centre = min(abs((line.x0 + line.x1) / 2 - c) for c in centres) <= 0.75 * line.height
        if len(column) < 2:
            return at_start or at_centre
        centred = max(centres) - min(centres) < max(starts) - min(starts)
        return at_centre if centred else at_start

    def take(self, line: _Line, page: int) -> bool:
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


def _bands(lines: list[_Line]) -> Iterator[_Band]:
    """Runs of lines laid out in two columns, each seeded by a line with a column gap."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if len(line.segments) != 2:
            i += 1
            continue
        band = _Band(i, i + 1, line.segments[0][-1].x1, line.segments[1][0].x0)
        band.take(line, line.page)
        while band.start > 0 and band.take(lines[band.start - 1], line.page):
            band.start -= 1
        while band.end < len(lines) and band.take(lines[band.end], line.page):
            band.end += 1
        yield band
        i = band.end


def _reorder(lines: list[_Line]) -> list[_Line]:
    """Two-column bands: layout bands column by column; others as ``a | b`` rows."""
    out: list[_Line] = []
    pos = 0
    for band in list(_bands(lines)):
        out.extend(lines[pos : band.start])
        rows = lines[band.start : band.end]
        halves: list[list[_Line]] = [[], []]
        for line in rows:
            for segment in line.segments:
                side = band.side(segment[0].x0, segment[-1].x1)
                halves[side or 0].append(_line(segment, line.page))
        if any(is_layout_line(line.text) for half in halves for line in half):
            out.extend(_unwrap(halves[0]) + _unwrap(halves[1]))
        else:
            for line in rows:
                cells = [_join_runs(s) for s in line.segments]
                merged = _Run(line.x0, line.bottom, line.x1, line.top, " | ".join(cells),
                              line.bold)
                out.append(_line([merged], line.page))
        pos = band.end
    out.extend(lines[pos:])
    return out


def _unwrap(column: list[_Line]) -> list[_Line]:
    """Lines of one column with wrapped lines joined: after a line left open, a line in
    lower case, or one without a dash under a dashed item ("- Ủy ban Quốc gia …" /
    "phòng, chống …"), continues it."""
    out: list[_Line] = []
    for line in column:
        prev = out[-1] if out else None
        item = prev is not None and _BLOCK_START_RE.match(prev.text) is not None \
            and _BLOCK_START_RE.match(line.text) is None
        if (prev is not None and prev.bold == line.bold
                and (line.text[:1].islower() or item)
                and prev.text.rstrip()[-1:] not in _SENTENCE_END):
            space = _Run(prev.x1, prev.bottom, prev.x1, prev.top, " ", prev.bold)
            out[-1] = _line([*prev.runs, space, *line.runs], prev.page, ordered=True)
        else:
            out.append(line)
    return out


# Paragraphs -----------------------------------------------------------------------------


def _centered(line: _Line, geo: _Geometry) -> bool:
    """Centred between the margins (titles), not merely indented like a paragraph."""
    left_gap, right_gap = line.x0 - geo.left, geo.right - line.x1
    tolerance = max(line.height, 0.02 * (geo.right - geo.left))
    return (abs(left_gap - right_gap) <= tolerance and left_gap > 2 * line.height
            and abs(line.x0 - geo.indent) > 2.0)


def _starts_paragraph(prev: _Line, line: _Line, geo: _Geometry) -> bool:
    if prev.page == line.page and prev.bottom - line.bottom > 1.6 * geo.pitch:
        return True  # vertical space
    if prev.bold != line.bold:
        return True
    if _centered(prev, geo) or _centered(line, geo):
        # A centred title wrapped over lines: the lines before the last fill the width.
        wrapped = prev.x1 - prev.x0 > _FULL * (geo.right - geo.left)
        return not (wrapped and _centered(line, geo) and prev.text.rstrip()[-1:] not in
                    _SENTENCE_END)
    if line.x0 > geo.left + 0.6 * line.height or prev.x1 < geo.right - 2.5 * line.height:
        return True  # first-line indent, or the previous line ended short
    # A bullet or number at the margin after a finished sentence; "- " after an open one
    # is a dash cut to the next line ("Sở Lao động" / "- Thương binh và Xã hội").
    return prev.text.rstrip()[-1:] in _SENTENCE_END and bool(_BLOCK_START_RE.match(line.text))


def _paragraphs(lines: list[_Line], geo: _Geometry) -> Iterator[list[_Line]]:
    para: list[_Line] = []
    for line in lines:
        if para and _starts_paragraph(para[-1], line, geo):
            yield para
            para = []
        para.append(line)
    if para:
        yield para


def _para_runs(para: list[_Line], page_marks: set[int]) -> Para:
    """One paragraph's runs; words cut at a line-end hyphen are joined without a space."""
    runs: list[tuple[str, bool]] = []
    for k, line in enumerate(para):
        text_runs = [(r.text, r.bold) for r in _spaced(line.runs)]
        if k and runs:
            last = runs[-1][0].rstrip()
            cut = last.endswith("-") and len(last) > 1 and last[-2].isalnum()
            if not cut or not line.text.lstrip()[:1].isalnum():
                text_runs.insert(0, (" ", line.bold))
            runs[-1] = (last if cut else runs[-1][0], runs[-1][1])
        if line.page in page_marks:
            page_marks.discard(line.page)
            text_runs.insert(0, (_PAGE_MARK, line.bold))
        runs.extend(text_runs)
    return Para(runs)


def _spaced(runs: list[_Run]) -> list[_Run]:
    out: list[_Run] = []
    for run in runs:
        if out and _needs_space(out[-1], run):
            out.append(_Run(run.x0, run.bottom, run.x0, run.top, " ", run.bold))
        out.append(run)
    return out


def _write(paragraphs: Iterator[list[_Line]], page_count: int) -> tuple[str, list[int]]:
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


# Loading --------------------------------------------------------------------------------


def _open(data: bytes, path: Path) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower() or "security" in message.lower():
            raise EncryptedFileError("password-protected PDF", path=path) from exc
        raise CorruptFileError(f"damaged or truncated PDF ({message})", path=path) from exc


def _read_lines(document: Any, path: Path) -> list[list[_Line]]:
    import pypdfium2.raw as pdfium_c

    reader = _PageReader(pdfium_c)
    pages: list[list[_Line]] = []
    for index in range(len(document)):
        try:
            page = document[index]
            textpage = page.get_textpage()
        except Exception as exc:  # pdfium raises its own error for a broken page tree
            raise CorruptFileError(f"page {index + 1} cannot be read ({exc})", path=path) \
                from exc
        runs = reader.runs(page.raw, textpage.raw)
        pages.append(_lines(runs, index + 1) if runs else [])
        textpage.close()
        page.close()
    return pages


def _unusable(pages: list[list[_Line]]) -> str | None:
    """Why the text layer cannot be used, or None when it can."""
    visible = sum(len(line.text) - line.text.count(" ") for lines in pages for line in lines)
    if visible < _MIN_CHARS_PER_PAGE * max(len(pages), 1):
        return "no text layer (a scanned image)"
    sample = "".join(line.text for lines in pages for line in lines)[:_SAMPLE]
    odd = len(sample) - len(_ODD_RE.sub("", sample))
    if odd > _MAX_ODD_SHARE * len(sample.replace(" ", "")):
        return "the text layer is unreadable (fonts without a Unicode map)"
    return None


def load_pdf(data: bytes, *, path: Path, options: LoadOptions) -> Loaded:
    """Đọc PDF (read a PDF) into light markdown with page offsets."""
    document = _open(data, path)
    warnings: list[str] = []
    try:
        count = len(document)
        if count > options.max_pages:
            raise LimitExceededError(f"{count} pages, over the limit of {options.max_pages} "
                                     "(LoadOptions.max_pages)", path=path)
        pages = _read_lines(document, path)
        reason = _unusable(pages)
        if reason is not None:
            pages = _ocr_lines(document, reason, path, options)
            warnings.append(f"{reason}: text read by OCR (Tesseract, {options.ocr_language}); "
                            "expect recognition errors")
    finally:
        document.close()
    drop = _artifacts(pages)
    kept = [line for page in pages
            for line in _reorder([line for line in page if id(line) not in drop])]
    raw, starts = _write(_paragraphs(kept, _geometry(kept)), count)
    raw, repaired = legacy.repair(raw)
    warnings += repaired
    empty = [str(i + 1) for i, lines in enumerate(pages) if not lines]
    if empty:
        warnings.append(f"page(s) {', '.join(empty)} hold no text (images only?)")
    return Loaded(raw=raw, format="pdf", sha256=sha256(data), pages=count,
                  page_starts=starts, warnings=warnings)


def _ocr_lines(document: Any, reason: str, path: Path, options: LoadOptions) -> list[list[_Line]]:
    from .ocr import ocr_pdf

    if not options.ocr:
        raise NoTextLayer(f"{reason}; read it with OCR (LoadOptions(ocr=True), needs "
                          "tesseract-ocr-vie)", path=path)
    return [_lines([_Run(*word, bold=False) for word in words], index + 1) if words else []
            for index, words in enumerate(ocr_pdf(document, path=path, options=options))]
