"""ReDoS audit: every regular expression the package compiles, run against adversarial
inputs (long runs of digits, dots, slashes, spaces, diacritics …): time linear in the length.

The patterns are collected by recording every ``regex.compile`` / ``re.compile`` call made
from the package's own files while it parses the corpus in a fresh interpreter, so lazily
compiled patterns (data files, caches) are audited too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from functools import cache
from typing import Any

import pytest
import regex

from conftest import CORPUS, ROOT
from timing import best_time, growth

RECORDER = r"""
import json, re, sys
from pathlib import Path
import regex

package = str(Path(sys.argv[1]) / "src" / "kehoach_parser")
seen = {}

def recording(module):
    original = module.compile
    def compile(pattern, flags=0, *args, **kwargs):
        frame = sys._getframe(1)
        if frame.f_code.co_filename == str(Path(package) / "patterns.py"):
            frame = frame.f_back
        caller = frame.f_code.co_filename
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

# (head, unit, times, tail): head + unit * times + tail, built again at a quarter of the
# times to measure how the cost grows.
ADVERSARIAL = [
    ("", "1", 20000, ""),
    ("", "1.", 10000, ""),
    ("", "1/", 10000, ""),
    ("", "1/1-", 5000, ""),
    ("", " ", 20000, ""),
    ("", "\n", 5000, "x"),
    ("", "ệ", 20000, ""),
    ("", "Ủy ban ", 3000, ""),
    ("", "ỦY BAN NHÂN DÂN ", 1500, ""),
    ("", "ngày ", 4000, ""),
    ("", "ngày tháng năm ", 1500, ""),
    ("Số: ", " ", 20000, "/"),
    ("Quyết định số ", "1/", 5000, ""),
    ("", "a", 20000, "!"),
    ("", "-", 20000, ""),
    ("", "*", 20000, ""),
    ("", "#", 5000, " x"),
    ("", "60% ", 5000, ""),
    ("", "ít nhất ", 3000, ""),
    ("", "Sở ", 6000, ""),
    ("", "1.1.", 5000, " A"),
    ("", "I. ", 6000, ""),
    ("", "(", 10000, ""),
    ("", "Đề nghị ", 3000, ""),
    ("", "QĐ-", 6000, ""),
    ("", "- ", 10000, ""),
    ("", "A B ", 5000, ","),
]
HANG_S = 30.0  # regex's own time limit: only a catastrophic pattern comes near it
GROWTH = 2.5  # cost per character, whole text over quarter: linear about 1, quadratic 4
TRIVIAL = regex.compile(r"\w+|\W+")  # a linear scan of every character, the yardstick


def _patterns() -> list[tuple[str, str, int, str]]:
    out = subprocess.run(
        [sys.executable, "-c", RECORDER, str(ROOT), str(CORPUS)],
        check=True, capture_output=True, text=True,
        env={**os.environ, "KEHOACH_PARSER_CACHE_DIR": ""},
    )
    return [tuple(row) for row in json.loads(out.stdout)]  # type: ignore[misc]


PATTERNS = _patterns()


def test_patterns_were_collected() -> None:
    assert len(PATTERNS) >= 20


def _scan(compiled: Any, text: str) -> None:
    if isinstance(compiled, regex.Pattern):
        for _ in compiled.finditer(text, timeout=HANG_S):
            pass
    else:
        for _ in compiled.finditer(text):
            pass


def _once(compiled: Any, text: str) -> float:
    started = time.perf_counter()
    _scan(compiled, text)
    return time.perf_counter() - started


@cache
def _trivial(text: str) -> float:
    """Seconds for the yardstick scan of ``text`` on this machine now."""
    return best_time(lambda: _scan(TRIVIAL, text))


def _growth(compiled: Any, head: str, unit: str, times: int, tail: str) -> float:
    """Cost per character of the text over that of its quarter-length version, best of a
    few timings taken in turn; a high figure is measured once more, so that a busy spell
    cannot fail a pattern alone."""
    text, quarter = (head + unit * n + tail for n in (times, times // 4))
    ratio = growth(lambda part: _scan(compiled, part), quarter, text, repeat=3)
    if ratio >= GROWTH:
        ratio = min(ratio, growth(lambda part: _scan(compiled, part), quarter, text))
    return ratio


@pytest.mark.slow
@pytest.mark.parametrize(("module", "pattern", "flags", "where"), PATTERNS,
                         ids=[f"{p[3].rsplit('/', 1)[-1]}:{i}" for i, p in enumerate(PATTERNS)])
def test_no_catastrophic_backtracking(module: str, pattern: str, flags: int, where: str) -> None:
    """Each adversarial text and its quarter-length version are scanned once. A pattern
    that costs more than a trivial scan of every character (the yardstick, timed in the same
    run) and whose cost per character looks higher on the whole text than on the quarter is
    measured again, with the best of a few timings taken in turn: it fails when a character
    costs GROWTH times as much in the whole text, or when it runs into regex's own limit.
    Nothing depends on how fast the machine is, only on ratios measured in one run."""
    compiled = regex.compile(pattern, flags) if module == "regex" else re.compile(pattern, flags)
    for head, unit, times, tail in ADVERSARIAL:
        text, quarter = (head + unit * n + tail for n in (times, times // 4))
        try:
            whole, part = _once(compiled, text), _once(compiled, quarter)
        except TimeoutError:
            pytest.fail(f"{where}: {pattern!r} ran over {HANG_S:g} s on {text[:30]!r}…")
        cheap = whole < _trivial(text)
        if cheap or whole / len(text) < GROWTH * part / len(quarter):
            continue
        ratio = _growth(compiled, head, unit, times, tail)
        assert ratio < GROWTH, f"{where}: {pattern!r} is superlinear on {text[:30]!r}… " \
            f"(a character of it costs {ratio:.1f} times one of its quarter-length version)"
