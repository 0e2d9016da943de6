"""Thăm dò đầu vào xấu (a probe of hostile inputs): each one parsed by ``kehoach parse`` in
a fresh process, with its wall time, peak memory (the child's ``ru_maxrss``) and how it
ended; then every SQL escape of the query tests tried on a store.

The inputs are written for the run (nothing large lives in the repository): text shapes
that make naive parsers quadratic (one 2 MB line, 200,000 bullets, a 1 MB run of pipes or
spaces, 10,000 nested headings, numbers of thousands of digits), a NUL-laden text, an image
named ``.pdf``, a DOCX whose numbering multiplies its text, a DOCX of many members, and a
file name that is not UTF-8. Prints a table and the worst figures; exits 0 whatever it finds.
Needs ``/usr/bin/time`` (Debian package ``time``) for the peak memory.

    python bench/probe_hostile.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the small DOCX writer and the escapes of the tests

_PLAN = "KẾ HOẠCH\nPhòng, chống mại dâm năm 2026\nI. MỤC TIÊU\n"


def _texts() -> dict[str, Callable[[Path], None]]:
    def text(content: str) -> Callable[[Path], None]:
        return lambda path: path.write_text(content, encoding="utf-8")

    return {
        "one_line_2mb.txt": text(_PLAN + "Đạt 70% số xã " * 150_000),
        "bullets_200k.txt": text(_PLAN + "- Đạt 70% số xã.\n" * 200_000),
        "pipes_1mb.md": text(_PLAN + "|" * 1_000_000 + "\n"),
        "spaces_1mb.txt": text(_PLAN + "a" + " " * 1_000_000 + "b\n"),
        "headings_10k.txt": text("".join(f"{'.'.join(['1'] * (k % 40 + 1))}. Mục {k}\n"
                                         for k in range(10_000))),
        "digits_20k.txt": text(_PLAN + "Đạt " + "9" * 20_000 + "% số xã.\n"),
        "citations_50k.txt": text(_PLAN + "Quyết định số 1/QĐ-UBND, " * 50_000),
        "nul_bytes.txt": lambda path: path.write_bytes(_PLAN.encode() + b"\x00" * 100_000),
        "image_named.pdf": lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 4096),
    }


def _docx_files() -> dict[str, Callable[[Path], None]]:
    from hostile_support import docx_with, list_definition, numbered

    def multiplying(path: Path) -> None:
        # ~37 KB: every list label repeats its number 100,000 times (~3 G characters)
        path.write_bytes(docx_with(numbered("Nội dung") * 2000,
                                   list_definition("upperRoman", "3888", "%1" * 100_000)))

    def many_members(path: Path) -> None:
        path.write_bytes(docx_with("<w:p><w:r><w:t>Kế hoạch</w:t></w:r></w:p>"))
        with zipfile.ZipFile(path, "a") as archive:
            for k in range(20_000):
                archive.writestr(f"word/media/x{k}.bin", b"")

    return {"numbering_multiplies.docx": multiplying, "members_20k.docx": many_members}


def _run(kehoach: str, path: Path, out: Path) -> tuple[float, float, int, str]:
    """(seconds, peak MiB of the child by ``/usr/bin/time``, exit code, its last line on
    stderr)."""
    peak_file = out.parent / "peak"
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", peak_file, kehoach, "parse",
                           os.fsencode(path), "--out", out], capture_output=True, timeout=600)
    seconds = time.perf_counter() - start
    peak = int(peak_file.read_text().split()[-1]) / 1024
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return seconds, peak, done.returncode, said[-1][:90] if said else ""


def _escapes(kehoach: str, tmp: Path) -> tuple[int, int]:
    """How many of the query tests' escapes were tried, and how many were refused."""
    from kehoach_parser.store import STORE_NAME, Store, document_rows
    from test_hostile_query import ESCAPES, PLAN

    store = tmp / "store"
    store.mkdir()
    with Store(store / STORE_NAME) as opened:
        opened.replace({"a.txt": document_rows(PLAN, "a.txt", "a.txt.json")})
    refused = 0
    for sql, _ in ESCAPES:
        done = subprocess.run([kehoach, "query", str(store), sql.format(out=store)],
                              capture_output=True, text=True, timeout=60)
        refused += done.returncode != 0 and not (store / "stolen.csv").exists()
    return len(ESCAPES), refused


def main() -> int:
    kehoach = str(Path(sys.executable).parent / "kehoach")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        inputs = tmp / "in"
        inputs.mkdir()
        for file_name, write in {**_texts(), **_docx_files()}.items():
            write(inputs / file_name)
        odd = inputs / os.fsdecode(b"t\xeap-kh\xf4ng-utf8.txt")
        odd.write_text(_PLAN + "Đạt 70% số xã.\n", encoding="utf-8")
        print(f"{'input':<28} {'bytes':>10} {'seconds':>8} {'peak MiB':>9} {'exit':>5}  said")
        rows = []
        for path in sorted(inputs.iterdir()):
            seconds, peak, code, said = _run(kehoach, path, tmp / "out")
            shown = os.fsencode(path.name).decode("utf-8", "backslashreplace")
            rows.append((shown, seconds, peak))
            print(f"{shown:<28} {path.stat().st_size:>10,} {seconds:>8.2f} {peak:>9.0f} "
                  f"{code:>5}  {said}")
        tried, refused = _escapes(kehoach, tmp)
    slowest = max(rows, key=lambda r: r[1])
    print(f"\nslowest input: {slowest[0]} {slowest[1]:.2f} s; peak memory of any child: "
          f"{max(r[2] for r in rows):.0f} MiB (ru_maxrss); SQL escapes refused: "
          f"{refused} of {tried}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
