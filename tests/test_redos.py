"""ReDoS audit: every regular expression the package compiles, run against adversarial
inputs (long runs of digits, dots, slashes, spaces, diacritics …) within a time bound.

The patterns are collected by recording every ``regex.compile`` / ``re.compile`` call made
from the package's own files while it parses the corpus in a fresh interpreter, so lazily
compiled patterns (data files, caches) are audited too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import regex

from conftest import CORPUS, ROOT

RECORDER = r"""
import json, re, sys
from pathlib import Path
import regex

package = str(Path(sys.argv[1]) / "src" / "kehoach_parser")
seen = {}

def recording(module):
    original = module.compile
    def compile(pattern, flags=0, *args, **kwargs):
        caller = sys._getframe(1).f_code.co_filename
        if caller.startswith(package) and isinstance(pattern, str):
            seen[(module.__name__, pattern, int(flags))] = caller
        return original(pattern, flags, *args, **kwargs)
    module.compile = compile

recording(regex)
recording(re)
from kehoach_parser import parse_text
for path in sorted(Path(sys.argv[2]).glob("*.txt")):
    parse_text(path.read_text(encoding="utf-8"))
json.dump([[m, p, f, c] for (m, p, f), c in seen.items()], sys.stdout)
"""

ADVERSARIAL = [
    "1" * 20000,
    "1." * 10000,
    "1/" * 10000,
    "1/1-" * 5000,
    " " * 20000,
    "\n" * 5000 + "x",
    "ệ" * 20000,
    "Ủy ban " * 3000,
    "ỦY BAN NHÂN DÂN " * 1500,
    "ngày " * 4000,
    "ngày tháng năm " * 1500,
    "Số: " + " " * 20000 + "/",
    "Quyết định số " + "1/" * 5000,
    "a" * 20000 + "!",
    "-" * 20000,
    "*" * 20000,
    "#" * 5000 + " x",
    "60% " * 5000,
    "ít nhất " * 3000,
    "Sở " * 6000,
    "1.1." * 5000 + " A",
    "I. " * 6000,
    "(" * 10000,
    "Đề nghị " * 3000,
    "QĐ-" * 6000,
    "- " * 10000,
    "A B " * 5000 + ",",
]
BOUND_S = 1.0


def _patterns() -> list[tuple[str, str, int, str]]:
    out = subprocess.run(
        [sys.executable, "-c", RECORDER, str(ROOT), str(CORPUS)],
        check=True, capture_output=True, text=True,
    )
    return [tuple(row) for row in json.loads(out.stdout)]  # type: ignore[misc]


PATTERNS = _patterns()


def test_patterns_were_collected() -> None:
    assert len(PATTERNS) >= 20


@pytest.mark.parametrize(("module", "pattern", "flags", "where"), PATTERNS,
                         ids=[f"{p[3].rsplit('/', 1)[-1]}:{i}" for i, p in enumerate(PATTERNS)])
def test_no_catastrophic_backtracking(module: str, pattern: str, flags: int, where: str) -> None:
    compiled = regex.compile(pattern, flags) if module == "regex" else None
    import re

    for text in ADVERSARIAL:
        start = time.perf_counter()
        if compiled is not None:
            try:
                for _ in compiled.finditer(text, timeout=BOUND_S):
                    pass
            except TimeoutError:
                pytest.fail(f"{where}: {pattern!r} timed out on {text[:30]!r}…")
        else:
            list(re.compile(pattern, flags).finditer(text))
        elapsed = time.perf_counter() - start
        assert elapsed < BOUND_S, f"{where}: {pattern!r} took {elapsed:.2f}s on {text[:30]!r}…"
