"""Text parsing speed: chars/s end to end (text in, validated PlanDocument out, serialized),
on the corpus and on synthetic documents of 10 KB … 10 MB built from it; import and
``kehoach --help`` start-up times. Prints a table; ``--json FILE`` writes the figures.

    python bench/bench_parse.py [--sizes 10k,100k,1m,10m] [--json bench/results-parse.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def _corpus() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]


def synthetic(size: int, texts: list[str]) -> str:
    """A document of about ``size`` characters: the corpus documents repeated in turn."""
    parts: list[str] = []
    total = i = 0
    while total < size:
        chunk = texts[i % len(texts)]
        parts.append(chunk)
        total += len(chunk) + 2
        i += 1
    return "\n\n".join(parts)[:size]


def _rate(text: str, repeat: int) -> float:
    from kehoach_parser import parse_text

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_text(text).model_dump_json()
        times.append(time.perf_counter() - start)
    return len(text) / statistics.median(times)


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
    corpus_chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    for _ in range(5):
        for text in texts:
            parse_text(text).model_dump_json()
    figures["corpus_chars_per_s"] = 5 * corpus_chars / (time.perf_counter() - start)
    for name in args.sizes.split(","):
        size = SIZES[name]
        repeat = 5 if size <= 1_000_000 else 2
        figures[f"synthetic_{name}_chars_per_s"] = _rate(synthetic(size, texts), repeat)
    python = sys.executable
    figures["import_s"] = _startup([python, "-c", "import kehoach_parser"])
    figures["python_startup_s"] = _startup([python, "-c", "pass"])
    figures["cli_help_s"] = _startup([python, "-m", "kehoach_parser", "--help"])
    small, large = (figures.get(f"synthetic_{k}_chars_per_s") for k in ("10k", "10m"))
    if small and large:
        figures["linearity_10m_vs_10k"] = large / small

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
