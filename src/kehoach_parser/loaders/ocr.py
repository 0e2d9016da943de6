"""Nhận dạng ký tự (OCR) for scanned PDFs: pages rendered by pypdfium2, read by Tesseract.

Tesseract with Vietnamese data comes from Debian (``tesseract-ocr``, ``tesseract-ocr-vie``;
``scripts/setup-system.sh`` installs them). It runs in a subprocess per page, with the time
limit of ``LoadOptions.timeout``. Its page segmentation reads a two-column header block
column by column, the order the metadata reader expects.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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


def ocr_pdf(document: Any, *, path: Path, options: LoadOptions) -> list[list[Word]]:
    """Word boxes of every page, read by OCR."""
    tesseract = _tesseract(path, options)
    scale = _DPI / 72
    pages: list[list[Word]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(len(document)):
            page = document[index]
            image = Path(tmp, f"page{index + 1}.png")
            page.render(scale=scale).to_pil().save(image)
            try:
                done = subprocess.run(
                    [tesseract, str(image), "-", "-l", options.ocr_language, "--psm", "3", "tsv"],
                    capture_output=True, timeout=options.timeout, check=False)
            except subprocess.TimeoutExpired as exc:
                raise LimitExceededError(f"OCR of page {index + 1} ran over "
                                         f"{options.timeout:.0f} s (LoadOptions.timeout)",
                                         path=path) from exc
            pages.append(_words(done.stdout.decode("utf-8", "replace"), scale,
                                page.get_height()))
    return pages
