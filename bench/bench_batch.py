"""Batch speed and memory: ``kehoach batch`` over a synthetic folder built from the corpus.

Documents per second with ``--jobs 1`` and ``--jobs 2`` (wall clock of the whole command,
start-up included), the speed-up, the re-run that skips every unchanged file, and the peak
memory (resident set of the batch process alone, and of it with its workers). The peak of
the batch process for a quarter of the folder is printed too: streaming keeps it flat.

    python bench/bench_batch.py [--docs 2000] [--jobs 1,2] [--json bench/results-batch.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]


def make_folder(folder: Path, count: int) -> int:
    """``count`` documents, the corpus texts in turn, each made distinct by a closing line,
    100 to a subfolder; their total size in characters."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    chars = 0
    for number in range(count):
        text = f"{texts[number % len(texts)]}\nBản tổng hợp số {number}.\n"
        path = folder / f"part{number // 100:03}" / f"doc{number:05}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def run(folder: Path, out: Path, jobs: int) -> dict[str, float]:
    """One batch as a subprocess: seconds, and peak RSS (MiB) of the batch process and of
    the batch with its workers, sampled every 50 ms."""
    command = [sys.executable, "-m", "kehoach_parser", "batch", str(folder), "--out", str(out),
               "--jobs", str(jobs), "-q"]
    started = time.perf_counter()
    batch = subprocess.Popen(command)
    process = psutil.Process(batch.pid)
    main_peak = tree_peak = 0
    while batch.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            sizes = [p.memory_info().rss for p in tree]
        except psutil.Error:  # a process ended while being read
            continue
        main_peak, tree_peak = max(main_peak, sizes[0]), max(tree_peak, sum(sizes))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if batch.returncode != 0:
        raise SystemExit(f"batch failed with exit code {batch.returncode}")
    return {"seconds": seconds, "main_mib": main_peak / 2**20, "tree_mib": tree_peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    args = parser.parse_args()
    jobs = [int(j) for j in args.jobs.split(",")]
    results: dict[str, object] = {"docs": args.docs}
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as tmp:
        folder = Path(tmp) / "in"
        chars = make_folder(folder, args.docs)
        results["chars"] = chars
        print(f"{args.docs} documents, {chars / 1e6:.1f} M characters, in {folder}")
        print(f"{'run':<22} {'seconds':>8} {'docs/s':>8} {'batch MiB':>10} {'+workers MiB':>13}")
        rates: dict[int, float] = {}
        for count in jobs:
            out = Path(tmp) / f"out{count}"
            figures = run(folder, out, count)
            rates[count] = args.docs / figures["seconds"]
            results[f"jobs_{count}"] = figures | {"docs_per_s": rates[count]}
            print(f"{f'--jobs {count}':<22} {figures['seconds']:>8.1f} {rates[count]:>8.1f} "
                  f"{figures['main_mib']:>10.0f} {figures['tree_mib']:>13.0f}")
        last = jobs[-1]
        again = run(folder, Path(tmp) / f"out{last}", last)
        results["rerun_skip"] = again | {"docs_per_s": args.docs / again["seconds"]}
        print(f"{f're-run, skip (-j {last})':<22} {again['seconds']:>8.1f} "
              f"{args.docs / again['seconds']:>8.1f} {again['main_mib']:>10.0f} "
              f"{again['tree_mib']:>13.0f}")
        quarter = Path(tmp) / "quarter"
        make_folder(quarter, args.docs // 4)
        small = run(quarter, Path(tmp) / "out-quarter", last)
        results["quarter"] = small
        print(f"{f'{args.docs // 4} docs (-j {last})':<22} {small['seconds']:>8.1f} "
              f"{args.docs // 4 / small['seconds']:>8.1f} {small['main_mib']:>10.0f} "
              f"{small['tree_mib']:>13.0f}")
    if len(jobs) > 1:
        speedup = rates[jobs[-1]] / rates[jobs[0]]
        results["speedup"] = speedup
        print(f"speed-up --jobs {jobs[-1]} over --jobs {jobs[0]}: {speedup:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
