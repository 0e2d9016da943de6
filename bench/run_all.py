"""Run every benchmark, print one table of figures and write them to ``bench/results.json``
(each benchmark under its own key; keys of benchmarks not run here are kept).

    python bench/run_all.py [--quick]

``--quick`` uses smaller inputs (no 10 MB document, 300 batch documents, one round of the
real files) for a fast look. The benchmarks are scripts, not tests: nothing here passes or
fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _flat(figures: dict[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)):
            out[f"{prefix}{key}"] = float(value)
    return out


def _run(script: str, *args: str) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, str(HERE / script), *args, "--json", out.name],
                       check=True, stdout=sys.stderr)
        return _flat(json.loads(Path(out.name).read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", default=str(HERE / "results.json"), metavar="FILE")
    args = parser.parse_args(argv)
    results = {
        "parse": _run("bench_parse.py", "--sizes", "10k,100k,1m" if args.quick else
                      "10k,100k,1m,10m"),
        "loaders": _run("bench_loaders.py", "--pipeline", "--repeat", "1" if args.quick else "3"),
        "batch": _run("bench_batch.py", "--docs", "300" if args.quick else "2000"),
        "real": _run("bench_real.py", "--repeat", "1" if args.quick else "5"),
        "compare": _run("bench_compare.py", "--dask", "--sizes",
                        "100,1000" if args.quick else "100,300,1000,3000,10000"),
    }
    print(f"{'benchmark':<10} {'measure':<44} {'value':>14}")
    for bench, figures in results.items():
        for key, value in figures.items():
            print(f"{bench:<10} {key:<44} {value:>14,.3f}")
    path = Path(args.json)
    kept = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    path.write_text(json.dumps({**kept, **results}, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
