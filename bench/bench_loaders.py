"""Tốc độ đọc tệp (loader speed): pages/s for PDF, documents/s for DOCX and DOC.

Runs ``load_file`` (the loaders alone: text, layout, heading cues) and, with ``--pipeline``,
``parse_file`` (loaders + the whole parser) over the real files (shared/real/) and the
rendered seeds (corpus/), on one core. Files that cannot be read (scans without OCR) are
counted apart. Also times each PDF page count bucket, to show that the time per page does
not grow with the page count.

Usage: python bench/bench_loaders.py [--repeat N] [--pipeline] [--json FILE] [DIR ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from kehoach_parser import parse_file
from kehoach_parser.errors import KehoachError
from kehoach_parser.loaders import load_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = [ROOT.parent / "shared" / "real", ROOT / "corpus" / "pdf", ROOT / "corpus" / "docx"]
SUFFIXES = (".pdf", ".docx", ".doc")


def _time(path: Path, repeat: int, reader: Any) -> tuple[float, int | None] | None:
    """Best time of ``repeat`` reads and the page count; None when the file is refused."""
    best = float("inf")
    pages: int | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            result = reader(path)
        except KehoachError:
            return None
        best = min(best, time.perf_counter() - start)
        pages = getattr(result, "pages", None) or getattr(
            getattr(result, "source", None), "pages", None)
    return best, pages


def _scaling(sources: list[Path], repeat: int, figures: dict[str, float]) -> None:
    """ms/page of PDFs built from the corpus pages, 10 to 320 pages long."""
    import pypdfium2 as pdfium

    pdfs = [p for p in sources if p.suffix.lower() == ".pdf"]
    if not pdfs:
        return
    print("== scaling: PDFs made of corpus pages")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (10, 40, 160, 320):
            merged = pdfium.PdfDocument.new()
            k = 0
            while len(merged) < size:
                source = pdfium.PdfDocument(pdfs[k % len(pdfs)])
                merged.import_pages(source, list(range(min(len(source), size - len(merged)))))
                k += 1
            path = Path(tmp, f"merged{size}.pdf")
            merged.save(path)
            timed = _time(path, repeat, load_file)
            if timed is not None:
                print(f"{size:>5} pages: {timed[0] / size * 1000:.2f} ms/page")
                figures[f"pdf_{size}_pages_ms_per_page"] = timed[0] / size * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    parser.add_argument("--repeat", type=int, default=3, help="reads per file (best kept)")
    parser.add_argument("--pipeline", action="store_true",
                        help="also time parse_file (loader + the whole parser)")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    files = sorted(p for d in args.dirs for p in d.iterdir() if p.suffix.lower() in SUFFIXES)
    stages: list[tuple[str, Any]] = [("load_file", load_file)]
    if args.pipeline:
        stages.append(("parse_file", parse_file))
    for stage, reader in stages:
        seconds: dict[str, float] = defaultdict(float)
        counts: dict[str, int] = defaultdict(int)
        pages = 0
        per_page: dict[str, list[float]] = defaultdict(list)
        refused = 0
        for path in files:
            timed = _time(path, args.repeat, reader)
            if timed is None:
                refused += 1
                continue
            took, n_pages = timed
            kind = path.suffix.lower()[1:]
            seconds[kind] += took
            counts[kind] += 1
            if kind == "pdf" and n_pages:
                pages += n_pages
                bucket = "1-3" if n_pages <= 3 else "4-9" if n_pages < 10 else "10+"
                per_page[bucket].append(took / n_pages)
        print(f"== {stage} ({len(files)} files, {refused} refused: scans without OCR …)")
        if counts["pdf"]:
            print(f"PDF : {pages} pages in {seconds['pdf']:.3f} s = "
                  f"{pages / seconds['pdf']:.0f} pages/s ({counts['pdf']} files)")
            figures[f"{stage}_pdf_pages_per_s"] = pages / seconds["pdf"]
            for bucket in ("1-3", "4-9", "10+"):
                if per_page[bucket]:
                    ms = statistics.median(per_page[bucket]) * 1000
                    print(f"      {bucket:>4} pages: median {ms:.2f} ms/page "
                          f"({len(per_page[bucket])} files)")
        for kind in ("docx", "doc"):
            if counts[kind]:
                print(f"{kind.upper():4}: {counts[kind]} documents in {seconds[kind]:.3f} s = "
                      f"{counts[kind] / seconds[kind]:.1f} documents/s")
                figures[f"{stage}_{kind}_docs_per_s"] = counts[kind] / seconds[kind]
    _scaling(files, args.repeat, figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
