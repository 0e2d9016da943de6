"""Tệp thật (real files) side by side with plain readers, in one process.

- PDF: ``parse_file`` (and ``load_file``, the loader alone) against a plain pypdfium2 read
  of the same pages (``PdfDocument(path)``, then ``page.get_textpage().get_text_range()``
  for each page), on the real text-layer PDFs (``../shared/real``, ``../shared/dev/docs``)
  and on the rendered seeds (``corpus/pdf``): pages/s of each and the ratios (plain time /
  our time). They are timed in turn, file by file, and the median of ``--repeat`` rounds is
  kept, so a busy machine slows all of them.
- Per-page cost against characters per page: the PDF loader alone on pages of 1 to 16 thousand
  characters (written for the run, one text object a word), in µs per character; flat
  when the cost is linear.
- DOCX: ``parse_file`` against python-docx reading the paragraphs and the tables' cells.
- Text: ``parse_text`` with its JSON dump against a floor (NFC, ``splitlines``, three anchor
  scans — Roman parts, cited numbers, percentages — and a JSON dump of the text) on the real
  texts (``.txt``, ``.md``), in CPU chars/s; and the same texts with every 50th marked letter
  decomposed (not NFC), as a time ratio to the NFC text.
- First document: in a fresh process, the import and the first ``parse_text`` timed apart;
  wall time of a fresh ``python -c 'from kehoach_parser import parse_text; parse_text(…)'``,
  of ``kehoach parse`` of one seed, and of a bare python; each warm (the patterns read from
  the machine's cache, :mod:`kehoach_parser.patterns`) and cold (``cold_``: an empty cache,
  every pattern compiled, as on the first run on a new machine).

Prints a table; writes the figures into ``bench/results.json`` under ``"real"`` (other keys
are kept). ``--json FILE`` writes them to FILE alone instead.

    python bench/bench_real.py [--repeat 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL_DIRS = [SHARED / "real", SHARED / "dev" / "docs"]
RESULTS = ROOT / "bench" / "results.json"
sys.path.insert(0, str(ROOT / "tests"))  # the small PDF writer of the tests


def _median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _plain_pdf(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    chars = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return chars


def _open_pdf(path: Path) -> int:
    """What any reader of a PDF's characters pays: the document, and each page with its
    text page (pdfium's analysis of the characters) opened and closed, no text asked."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(path)
    count = len(document)
    for index in range(count):
        page = pdfium_c.FPDF_LoadPage(document.raw, index)
        pdfium_c.FPDFText_ClosePage(pdfium_c.FPDFText_LoadPage(page))
        pdfium_c.FPDF_ClosePage(page)
    document.close()
    return count


def _parses(path: Path) -> bool:
    from kehoach_parser import parse_file
    from kehoach_parser.errors import KehoachError

    try:
        parse_file(path)
    except KehoachError:
        return False
    return True


def _pdf_side_by_side(files: list[Path], repeat: int) -> dict[str, Any]:
    """pages/s of a plain read, of ``load_file`` (the loader alone) and of ``parse_file``,
    over the files with a text layer that parse_file reads; and of the two parts of
    ``parse_file`` that no loader can avoid: opening the pages (``open``) and parsing the
    loaded text (``text``: ``parse_text`` of ``load_file``'s text). ``ceiling_ratio``: the
    ratio of a ``parse_file`` whose loader cost nothing but the opening."""
    import pypdfium2 as pdfium

    from kehoach_parser import parse_file, parse_text
    from kehoach_parser.loaders import load_file

    totals = {"plain": 0.0, "load_file": 0.0, "parse_file": 0.0, "open": 0.0, "text": 0.0}
    pages = chars = compared = refused = 0
    for path in files:
        count = len(pdfium.PdfDocument(path))
        if _plain_pdf(path) < 16 * count:
            continue  # no text layer: nothing to compare
        if not _parses(path):
            refused += 1
            continue
        raw = load_file(path).raw

        def parse_loaded(_path: Path, text: str = raw) -> object:
            return parse_text(text)

        readers: dict[str, Callable[[Path], object]] = {
            "plain": _plain_pdf, "load_file": load_file, "parse_file": parse_file,
            "open": _open_pdf, "text": parse_loaded}
        rounds: dict[str, list[float]] = {name: [] for name in readers}
        for _ in range(repeat):  # in turn, so that a busy spell slows them all
            for name, reader in readers.items():
                rounds[name].append(_median_time(lambda r=reader, p=path: r(p), 1))
        for name in readers:
            totals[name] += statistics.median(rounds[name])
        pages += count
        chars += _plain_pdf(path)
        compared += 1
    if not pages:
        return {"files": 0}
    return {"files": compared, "refused": refused, "pages": pages,
            "chars_per_page": chars / pages,
            **{f"{name}_pages_per_s": pages / seconds for name, seconds in totals.items()},
            "load_file_ratio": totals["plain"] / totals["load_file"],
            "ratio": totals["plain"] / totals["parse_file"],
            "open_share_of_plain": totals["open"] / totals["plain"],
            "text_share_of_plain": totals["text"] / totals["plain"],
            "ceiling_ratio": totals["plain"] / (totals["open"] + totals["text"])}


def _per_char(repeat: int) -> dict[str, float]:
    """µs per character of the PDF loader on one page of n words (one text object each)."""
    import pdf_support
    from kehoach_parser.loaders import load_file

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for thousands in (1, 2, 4, 8, 16):
            words = thousands * 200  # 5 characters a word with its space
            lines = [(40.0 + 52.0 * (k % 10), 20.0 + 12.0 * (k // 10), f"ch{k % 97:02d} ")
                     for k in range(words)]
            size = (595.0, 40.0 + 12.0 * (words // 10))
            path = Path(tmp, f"page{thousands}k.pdf")
            path.write_bytes(pdf_support.write_pdf([pdf_support.text_content(lines, 9.0)],
                                                   size=size))
            seconds = _median_time(lambda p=path: load_file(p), repeat)
            out[f"{thousands}k_chars_us_per_char"] = seconds / (words * 5) * 1e6
    return out


def _plain_docx(path: Path) -> int:
    import docx

    document = docx.Document(str(path))
    chars = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            chars += sum(len(cell.text) for cell in row.cells)
    return chars


def _docx_side_by_side(files: list[Path], repeat: int) -> dict[str, Any]:
    from kehoach_parser import parse_file

    plain = parsed = 0.0
    count = 0
    for path in files:
        if not _parses(path):
            continue
        plain += _median_time(lambda p=path: _plain_docx(p), repeat)
        parsed += _median_time(lambda p=path: parse_file(p), repeat)
        count += 1
    return {"files": count, "plain_docs_per_s": count / plain,
            "parse_file_docs_per_s": count / parsed, "ratio": plain / parsed}


_ANCHORS = [re.compile(r"^\s*[IVX]{1,4}\.", re.MULTILINE),  # the Roman parts
            re.compile(r"số\s+\d+[/-]", re.IGNORECASE),  # cited numbers
            re.compile(r"\d+(?:[.,]\d+)?\s*%")]  # percentages


def _floor(text: str) -> str:
    """The least any parser of these texts does: NFC, lines, three anchor scans, JSON out."""
    text = unicodedata.normalize("NFC", text)
    lines = text.splitlines()
    found = [[m.start() for m in anchor.finditer(text)] for anchor in _ANCHORS]
    return json.dumps({"text": text, "lines": len(lines), "anchors": found}, ensure_ascii=False)


def _cpu_rate(action: Callable[[str], object], texts: list[str], repeat: int) -> float:
    """chars/s of CPU time over the texts, the best of ``repeat`` rounds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in texts:
            action(text)
        best = min(best, time.process_time() - start)
    return sum(map(len, texts)) / best


def _text_side_by_side(files: list[Path], repeat: int) -> dict[str, Any]:
    """parse_text (with the JSON dump) against the floor on real texts, and the same texts
    with every 50th marked letter decomposed (not NFC, as some editors save them)."""
    from kehoach_parser import parse_text

    texts = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in files]

    def parse(text: str) -> str:
        return parse_text(text).model_dump_json()

    for text in texts:  # patterns compiled, caches warm
        parse(text)
    twins = [_decomposed(text) for text in texts]
    parsed, floor = _cpu_rate(parse, texts, repeat), _cpu_rate(_floor, texts, repeat)
    twin = _cpu_rate(parse, twins, repeat)
    return {"files": len(texts), "chars": sum(map(len, texts)),
            "parse_text_chars_per_s": parsed, "floor_chars_per_s": floor,
            "ratio": parsed / floor, "not_nfc_chars_per_s": twin,
            "not_nfc_time_ratio": (sum(map(len, twins)) / twin) / (sum(map(len, texts)) / parsed)}


def _decomposed(text: str) -> str:
    out: list[str] = []
    marked = 0
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        if len(decomposed) > 1:
            marked += 1
            if marked % 50 == 0:
                char = decomposed
        out.append(char)
    return "".join(out)


def _first_document(repeat: int) -> dict[str, float]:
    """In fresh processes: the import and the first ``parse_text`` timed apart, the whole
    ``python -c`` and ``kehoach parse`` of one seed; warm (the machine's cache of compiled
    patterns written by an earlier run, as on every run but the first) and cold (an empty
    cache folder each time: every pattern compiled, as on a new machine)."""
    seed = sorted((ROOT / "corpus").glob("*.txt"))[0]
    bin_dir = Path(sys.executable).parent
    kehoach = str(bin_dir / "kehoach")
    code = ("from pathlib import Path; from kehoach_parser import parse_text; "
            f"parse_text(Path({str(seed)!r}).read_text(encoding='utf-8'))")
    inside = ("import time; t = time.perf_counter(); from kehoach_parser import parse_text; "
              "from pathlib import Path; u = time.perf_counter(); "
              f"parse_text(Path({str(seed)!r}).read_text(encoding='utf-8')); "
              "print(u - t, time.perf_counter() - u)")

    def run(argv: list[str], cache: str | None) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        if cache is None:  # cold: a new empty folder for this run alone
            with tempfile.TemporaryDirectory() as empty:
                env["KEHOACH_PARSER_CACHE_DIR"] = empty
                return subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
        env["KEHOACH_PARSER_CACHE_DIR"] = cache
        return subprocess.run(argv, check=True, capture_output=True, text=True, env=env)

    def split(cache: str | None) -> tuple[float, float]:
        runs = [run([sys.executable, "-c", inside], cache).stdout.split() for _ in range(repeat)]
        return (statistics.median(float(r[0]) for r in runs),
                statistics.median(float(r[1]) for r in runs))

    def wall(argv: list[str], cache: str | None) -> float:
        return _median_time(lambda: run(argv, cache), repeat)

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as warm, tempfile.TemporaryDirectory() as tmp:
        run([sys.executable, "-c", code], warm)  # writes the warm cache
        parse_seed = [kehoach, "parse", str(seed), "--out", tmp]
        out["python_s"] = wall([sys.executable, "-c", "pass"], warm)
        for name, cache in (("", warm), ("cold_", None)):
            out[f"{name}import_s"], out[f"{name}first_parse_text_s"] = split(cache)
            out[f"{name}process_with_first_parse_s"] = wall([sys.executable, "-c", code], cache)
            out[f"{name}kehoach_parse_s"] = wall(parse_seed, cache)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE alone")
    args = parser.parse_args(argv)
    real = sorted(p for d in REAL_DIRS if d.is_dir() for p in d.iterdir())
    figures: dict[str, Any] = {
        "pdf_real": _pdf_side_by_side([p for p in real if p.suffix.lower() == ".pdf"],
                                      args.repeat),
        "pdf_corpus": _pdf_side_by_side(sorted((ROOT / "corpus" / "pdf").glob("*.pdf")),
                                        args.repeat),
        "pdf_per_char": _per_char(args.repeat),
        "docx_real": _docx_side_by_side([p for p in real if p.suffix.lower() == ".docx"],
                                        max(1, args.repeat // 2)),
        "text_real": _text_side_by_side(
            [p for d in REAL_DIRS if d.is_dir() for p in sorted(d.iterdir())
             if p.suffix.lower() in (".txt", ".md")], args.repeat),
        "first_document": _first_document(args.repeat),
    }
    flat = {f"{group}.{key}": value for group, values in figures.items()
            for key, value in values.items()}
    print(f"{'measure':<44} {'value':>12}")
    for key, value in flat.items():
        print(f"{key:<44} {value:>12,.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(flat, indent=2) + "\n", encoding="utf-8")
    else:
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        results["real"] = flat
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {RESULTS} (key 'real')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
