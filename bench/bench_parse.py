"""Text parsing speed: chars/s end to end (text in, validated PlanDocument out, serialized),
on the corpus and on synthetic documents of 10 KB … 10 MB built from it (for each size,
about 2 MB of text cut into documents of that size, so every size parses the same mix);
import and ``kehoach --help`` start-up times. Prints a table; ``--json FILE`` writes the
figures.

    python bench/bench_parse.py [--sizes 10k,100k,1m,10m] [--json bench/results-parse.json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def _corpus() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]


_ROMAN = re.compile(r"^([#*\s]*)([IVX]{1,4})\.", re.MULTILINE)
_CLOSING = re.compile(r"^[#*_\s]*Nơi nhận", re.MULTILINE)
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}


def roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out


def synthetic(size: int, texts: list[str]) -> str:
    """A document of about ``size`` characters made of the corpus documents in turn, shaped
    like one long real plan: the recipients and signature of each copy cut off (a plan
    has one, at its end), its Roman parts numbered on (I … V, VI … X, …) so that every
    part is found, and each copy's percentages changed so that it states new targets
    instead of restating the same ones."""
    parts: list[str] = []
    total = i = parts_so_far = 0
    while total < size:
        copy = i // len(texts)

        def shift(m: re.Match[str], copy: int = copy) -> str:
            return f"{(int(m.group(1)) + copy) % 100}%"

        def renumber(m: re.Match[str], base: int = parts_so_far) -> str:
            return f"{m.group(1)}{roman(base + _ROMAN_VALUES.get(m.group(2), 1))}."

        chunk = _CLOSING.split(texts[i % len(texts)], maxsplit=1)[0]
        chunk = re.sub(r"(?<![\d.,])(\d{1,2})%", shift, chunk)
        found = [_ROMAN_VALUES.get(m.group(2), 0) for m in _ROMAN.finditer(chunk)]
        chunk = _ROMAN.sub(renumber, chunk)
        parts_so_far += max(found, default=0)
        parts.append(chunk)
        total += len(chunk) + 2
        i += 1
    return "\n\n".join(parts)[:size]


def documents(size: int, texts: list[str], total: int = 2_000_000) -> list[str]:
    """Documents of ``size`` characters cut, at line ends, from a stream of about ``total``
    characters of the synthetic text, so that every size sees the same mix of contents
    (the dense targets part of a plan as much as its long task lists)."""
    stream = synthetic(max(total, size), texts)
    docs: list[str] = []
    start = 0
    while start < len(stream):
        end = stream.find("\n", start + size)
        end = len(stream) if end < 0 else end
        docs.append(stream[start:end])
        start = end + 1
    return docs


def _rate(docs: list[str], repeat: int) -> float:
    from kehoach_parser import parse_text

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in docs:
            parse_text(text).model_dump_json()
        times.append(time.perf_counter() - start)
    return sum(len(t) for t in docs) / min(times)


def _startup(argv: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1m,10m")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args(argv)

    texts = _corpus()
    figures: dict[str, float] = {}
    from kehoach_parser import parse_text

    parse_text(texts[0])  # warm the lazy data loads, as a long-running batch would be
    figures["corpus_chars_per_s"] = _rate(texts, 5)
    for name in args.sizes.split(","):
        size = SIZES[name]
        figures[f"synthetic_{name}_chars_per_s"] = _rate(documents(size, texts), 3)
    python = sys.executable
    figures["import_s"] = _startup([python, "-c", "import kehoach_parser"])
    figures["python_startup_s"] = _startup([python, "-c", "pass"])
    figures["cli_help_s"] = _startup([python, "-m", "kehoach_parser", "--help"])
    for small_name in ("10k", "100k"):
        small = figures.get(f"synthetic_{small_name}_chars_per_s")
        large = figures.get("synthetic_10m_chars_per_s")
        if small and large:  # 1.0 = linear; below 1 = superlinear cost
            figures[f"linearity_10m_vs_{small_name}"] = large / small

    print(f"{'measure':<34} {'value':>14}")
    for key, value in figures.items():
        unit = "M chars/s" if key.endswith("chars_per_s") else ("s" if key.endswith("_s") else "")
        shown = value / 1e6 if unit == "M chars/s" else value
        print(f"{key:<34} {shown:>12.3f} {unit}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
