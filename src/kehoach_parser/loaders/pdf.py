"""Tệp PDF: the text layer read with pypdfium2, judged, put back into reading order.

Each page is read in one pass over its characters (:mod:`.pdf_text`), its text layer judged
(:mod:`.text_layer`: is it Vietnamese?), and the pages laid out as markup
(:mod:`.pdf_layout`: lines, columns, bold, page numbers dropped).

A PDF without text (a scan), or whose text layer is unreadable (fonts without a Unicode
map), raises :class:`NoTextLayer` unless OCR is asked for (``--ocr``,
``LoadOptions.ocr``) and installed. Pages whose text layer looks like a poor OCR layer (an
English OCR over a Vietnamese scan) are warned about, and read by OCR instead when it is
asked for; with OCR, pages without text are read by it too.

Bounds, all in :class:`LoadOptions` and checked while the file is read: pages
(``max_pages``), characters (``max_chars``), text objects on a page
(``max_page_objects``), forms drawn by forms (``max_form_draws``, before pdfium loads the
pages: :mod:`.pdf_forms`), pixels of a page rendered for OCR (``max_ocr_pixels``) and
seconds for the whole file (``max_seconds``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..errors import CorruptFileError, EncryptedFileError, LimitExceededError, NoTextLayer
from . import Loaded, LoadOptions, _too_long, legacy, sha256
from .pdf_forms import check_forms
from .pdf_layout import Line, layout, page_lines
from .pdf_text import PageReader, Run, handle
from .text_layer import Quality, judge

_MIN_CHARS_PER_PAGE = 16  # fewer visible characters on average: a scan
_OCR_HINT = "--ocr on the command line, LoadOptions(ocr=True) in Python; needs tesseract-ocr-vie"


def _open(data: bytes, path: Path) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower() or "security" in message.lower():
            raise EncryptedFileError("password-protected PDF", path=path) from exc
        raise CorruptFileError(f"damaged or truncated PDF ({message})", path=path) from exc


def _check_time(deadline: float, index: int, path: Path, options: LoadOptions) -> None:
    if time.monotonic() >= deadline:
        raise LimitExceededError(f"reading took more than {options.max_seconds:g} s, at "
                                 f"page {index + 1} (LoadOptions.max_seconds)", path=path)


def _text_objects(page: Any, path: Path, index: int, options: LoadOptions) -> None:
    """Refuse a page with more text objects than ``options.max_page_objects``."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPage_CountObjects(page)
    if count <= options.max_page_objects:
        return
    kind = pdfium_c.FPDFPageObj_GetType
    get = pdfium_c.FPDFPage_GetObject
    texts = sum(kind(get(page, k)) == pdfium_c.FPDF_PAGEOBJ_TEXT for k in range(count))
    if texts > options.max_page_objects:
        raise LimitExceededError(f"page {index + 1} holds {texts:,} text objects, over the "
                                 f"limit of {options.max_page_objects:,} "
                                 "(LoadOptions.max_page_objects)", path=path)


def _read_runs(document: Any, reader: PageReader, path: Path, options: LoadOptions,
               deadline: float) -> list[list[Run]]:
    """Every page's runs, within the bounds. Pages and text pages are opened with pdfium's
    own calls: pypdfium2's wrappers (finalizers, weak references) cost more than reading a
    short page's runs."""
    import pypdfium2.raw as pdfium_c

    pages: list[list[Run]] = []
    chars = 0
    for index in range(len(document)):
        _check_time(deadline, index, path, options)
        page = pdfium_c.FPDF_LoadPage(document.raw, index)
        if not page:  # a broken page tree
            raise CorruptFileError(f"page {index + 1} cannot be read (Failed to load page.)",
                                   path=path)
        try:
            _text_objects(page, path, index, options)
            textpage = pdfium_c.FPDFText_LoadPage(page)
            if not textpage:
                raise CorruptFileError(f"page {index + 1}: its text cannot be read", path=path)
            try:
                textpage_handle = handle(textpage)
                chars += reader.chars(textpage_handle)
                if chars > options.max_chars:
                    raise LimitExceededError(_too_long(chars, options), path=path)
                pages.append(reader.runs(textpage_handle, handle(page)))
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
        finally:
            pdfium_c.FPDF_ClosePage(page)
    return pages


def _page_list(indexes: list[int]) -> str:
    """'page 3', 'pages 1–4, 7' for 0-based page indexes."""
    spans: list[list[int]] = []
    for index in indexes:
        if spans and index == spans[-1][1] + 1:
            spans[-1][1] = index
        else:
            spans.append([index, index])
    text = ", ".join(f"{a + 1}" if a == b else f"{a + 1}–{b + 1}" for a, b in spans)
    return f"page{'s' if len(indexes) > 1 else ''} {text}"


def _unusable(quality: Quality, pages: int) -> str | None:
    """Why the whole text layer cannot be used, or None when it can."""
    if quality.visible < _MIN_CHARS_PER_PAGE * max(pages, 1):
        return "no text layer (a scanned image)"
    if quality.unreadable:
        return "the text layer is unreadable (fonts without a Unicode map)"
    return None


def _judged(pages: list[list[Run]], path: Path,
            options: LoadOptions) -> tuple[list[int], list[str]]:
    """The pages to read by OCR (when it is asked for) and the warnings about the text
    layer; :class:`NoTextLayer` when the whole layer is unusable and OCR is not asked."""
    qualities = [judge(" ".join([run.text for run in runs])) for runs in pages]
    reason = _unusable(sum(qualities, Quality()), len(pages))
    engine = f"Tesseract, {options.ocr_language}"
    if reason is not None:
        if not options.ocr:
            raise NoTextLayer(f"{reason}; read it by OCR ({_OCR_HINT})", path=path)
        return list(range(len(pages))), [f"{reason}: text read by OCR ({engine}); expect "
                                         "recognition errors"]
    poor = [i for i, q in enumerate(qualities) if q.poor]
    warnings = []
    if poor:
        figures = sum((qualities[i] for i in poor), Quality()).describe()
        then = (f"read by OCR ({engine}) instead; expect recognition errors" if options.ocr
                else f"read it by OCR: {_OCR_HINT}")
        warnings.append(f"{_page_list(poor)}: the text layer looks like a poor OCR layer "
                        f"({figures}); {then}")
    if not options.ocr:
        return [], warnings
    return sorted(poor + [i for i, runs in enumerate(pages) if not runs]), warnings


def _read_by_ocr(document: Any, todo: list[int], whole: bool, path: Path,
                 options: LoadOptions, deadline: float) -> tuple[dict[int, list[Run]], list[str]]:
    """Runs of the pages ``todo`` read by OCR. When some pages keep their text layer
    (not ``whole``), a missing Tesseract is a warning, not an error."""
    from .ocr import ocr_pages

    try:
        result = ocr_pages(document, todo, path=path, options=options, deadline=deadline)
    except NoTextLayer as exc:
        if whole:
            raise
        return {}, [f"{_page_list(todo)}: not read by OCR ({exc.problem})"]
    return {index: [Run(*word, bold=False) for word in words]
            for index, words in result.pages.items()}, result.warnings


def load_pdf(data: bytes, *, path: Path, options: LoadOptions) -> Loaded:
    """Đọc PDF (read a PDF) into light markdown with page offsets."""
    deadline = time.monotonic() + options.max_seconds
    forms = check_forms(data, path=path, options=options, deadline=deadline)
    document = _open(data, path)
    try:
        count = len(document)
        if count > options.max_pages:
            raise LimitExceededError(f"{count} pages, over the limit of {options.max_pages} "
                                     "(LoadOptions.max_pages)", path=path)
        pages = _read_runs(document, PageReader(forms=forms), path, options, deadline)
        todo, warnings = _judged(pages, path, options)
        replaced: dict[int, list[Run]] = {}
        if todo:
            replaced, more = _read_by_ocr(document, todo, len(todo) == count, path, options,
                                          deadline)
            warnings += more
    finally:
        document.close()
    lines: list[list[Line]] = []
    for index, runs in enumerate(pages):
        runs = replaced.get(index, runs)
        lines.append(page_lines(runs, index + 1) if runs else [])
    raw, starts = layout(lines)
    raw, repaired = legacy.repair(raw)
    warnings += repaired
    empty = [i for i, page in enumerate(lines) if not page]
    if empty:
        warnings.append(f"{_page_list(empty)} hold{'s' if len(empty) == 1 else ''} no text "
                        "(images only?)")
    return Loaded(raw=raw, format="pdf", sha256=sha256(data), pages=count,
                  page_starts=starts, warnings=warnings)

