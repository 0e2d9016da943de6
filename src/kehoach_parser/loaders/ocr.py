"""Nhận dạng ký tự (OCR) for scanned PDFs: pages rendered by pypdfium2, read by Tesseract.

Tesseract with Vietnamese data comes from Debian (``tesseract-ocr``, ``tesseract-ocr-vie``;
``scripts/setup-system.sh`` installs them). It runs in a subprocess per page, with the time
limit of ``LoadOptions.timeout`` (and what is left of ``LoadOptions.max_seconds``); the
page image goes to it through a pipe, so no file is left behind if it is interrupted. Its
page segmentation reads a two-column header block column by column, the order the
metadata reader expects.

A page is rendered at 300 dpi in grey, unless that would take more than
``LoadOptions.max_ocr_pixels`` pixels (a poster-sized page: 14,400 pt square would be
60,000 × 60,000 px): then at the resolution that fits, with a warning.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import LimitExceededError, NoTextLayer
from . import LoadOptions

_DPI = 300
# Tesseract reads the slash of "1105/KH-ĐKT" as a fraction slash at times.
_OCR_LOOKALIKES = str.maketrans({"\u2044": "/", "\u2215": "/"})
_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie (scripts/setup-system.sh)"


@cache
def _languages(tesseract: str) -> frozenset[str]:
    done = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=30,
                          check=False)
    lines = (done.stdout + done.stderr).decode("utf-8", "replace").split()
    return frozenset(lines)


def _tesseract(path: Path, options: LoadOptions) -> str:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise NoTextLayer(f"OCR was asked for but Tesseract is not installed: {_INSTALL}",
                          path=path)
    if options.ocr_language not in _languages(tesseract):
        raise NoTextLayer(f"OCR was asked for but Tesseract has no '{options.ocr_language}' "
                          f"data: {_INSTALL}", path=path)
    return tesseract


Word = tuple[float, float, float, float, str]  # x0, bottom, x1, top (PDF points), text


def _words(tsv: str, scale: float, height: float) -> list[Word]:
    """Word boxes from Tesseract's TSV, in PDF coordinates (origin bottom left)."""
    words: list[Word] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, high = (int(v) / scale for v in cols[6:10])
        text = cols[11].translate(_OCR_LOOKALIKES)
        words.append((left, height - top - high, left + width, height - top, text + " "))
    return words


def render_scale(width: float, height: float, max_pixels: int) -> float:
    """Pixels per point: 300 dpi, or less so that the page fits in ``max_pixels``.

    >>> render_scale(595, 842, 40_000_000) == 300 / 72
    True
    >>> round(render_scale(14_400, 14_400, 40_000_000) * 72)  # dpi of a 200-inch page
    32
    """
    scale = _DPI / 72
    area = max(width, 1.0) * max(height, 1.0)
    if area * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / area)
    return scale


@dataclass
class OcrResult:
    """Word boxes of the pages read (by page index) and the doubts about them."""

    pages: dict[int, list[Word]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def ocr_pages(document: Any, indexes: Iterable[int], *, path: Path, options: LoadOptions,
              deadline: float) -> OcrResult:
    """Read the pages ``indexes`` (0-based) of an open pypdfium2 document by OCR, before
    ``deadline`` (a ``time.monotonic()`` value)."""
    tesseract = _tesseract(path, options)
    result = OcrResult()
    for index in indexes:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LimitExceededError(f"reading took more than {options.max_seconds:g} s, at "
                                     f"page {index + 1} (LoadOptions.max_seconds)", path=path)
        page = document[index]
        try:
            width, height = page.get_size()
            scale = render_scale(width, height, options.max_ocr_pixels)
            if scale < _DPI / 72:
                result.warnings.append(
                    f"page {index + 1} is {width:,.0f} × {height:,.0f} pt: rendered for OCR "
                    f"at {scale * 72:.0f} dpi to stay within LoadOptions.max_ocr_pixels "
                    f"({options.max_ocr_pixels:,}); small print may be lost")
            image = io.BytesIO()
            page.render(scale=scale, grayscale=True).to_pil().save(image, "PPM")
            result.pages[index] = _read(tesseract, image.getvalue(), index, path, options,
                                        min(options.timeout, left), scale, height)
        finally:
            page.close()
    return result


def _read(tesseract: str, image: bytes, index: int, path: Path, options: LoadOptions,
          timeout: float, scale: float, height: float) -> list[Word]:
    command = [tesseract, "stdin", "stdout", "-l", options.ocr_language, "--psm", "3", "tsv"]
    try:
        done = subprocess.run(command, input=image, capture_output=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise LimitExceededError(f"OCR of page {index + 1} ran over {timeout:.0f} s "
                                 "(LoadOptions.timeout, LoadOptions.max_seconds)",
                                 path=path) from exc
    return _words(done.stdout.decode("utf-8", "replace"), scale, height)
