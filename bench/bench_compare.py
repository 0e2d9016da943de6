"""Comparison at scale: ``compare_plans`` (catalogue rows and inferred indicators) over stores of
100 to 10,000 plans, and the grouping alone, on one machine and on a Dask cluster.

The plans are the seed and dev documents, parsed once, repeated under new names and new
localities ("Lào Cai 17") until there are enough; ``--reworded`` also changes the wording of
half of the targets of each copy (a word added or dropped), so that the distinct wordings
grow with the plans, as they do in real folders. For each size, in a fresh process (its own
peak memory): the seconds of ``compare_plans(store)`` end to end (read, match, group, rows)
and of ``group_targets`` alone, plans per second, and the peak resident memory; then how the
cost per plan grows from the smallest size to the largest (1.0 is linear).

    python bench/bench_compare.py [--sizes 100,1000,10000] [--dask] [--json FILE]
    python bench/bench_compare.py --update bench/results.json   # the "compare" key only
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "dev" / "docs"]
WORDS = ["nông thôn", "miền núi", "vùng sâu", "đồng bào", "dân tộc thiểu số", "biên giới",
         "ven biển", "đô thị", "khu dân cư", "hộ gia đình", "thanh niên", "phụ nữ"]


def _documents(cache: Path) -> list[Any]:
    """The seed and dev documents, parsed (once: kept as JSON in ``cache``)."""
    from kehoach_parser import parse_file
    from kehoach_parser.models import PlanDocument

    cache.mkdir(parents=True, exist_ok=True)
    documents = []
    for folder in SOURCES:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            kept = cache / f"{folder.name}-{path.name}.json"
            if not kept.exists():
                try:
                    kept.write_text(parse_file(path).model_dump_json(), encoding="utf-8")
                except Exception as error:  # a file the parser refuses is left out
                    print(f"left out {path.name}: {error}", file=sys.stderr)
                    continue
            documents.append(PlanDocument.model_validate_json(kept.read_bytes()))
    return documents


def _reworded(target: Any, rng: random.Random) -> Any:
    words = target.subject.split()
    if rng.random() < 0.5 or len(words) < 3:
        return target
    if rng.random() < 0.5:
        words.append(rng.choice(WORDS))
    else:
        words.pop(rng.randrange(1, len(words)))
    subject = " ".join(words)
    return target.model_copy(update={"subject": subject})


def _copy(document: Any, number: int, reworded: bool) -> Any:
    """The document as the plan of another locality, its targets reworded or not."""
    locality = document.metadata.locality
    metadata = document.metadata.model_copy(update={"locality": locality.model_copy(
        update={"name": f"{locality.name or 'Nơi'} {number}"})})
    update: dict[str, Any] = {"metadata": metadata}
    if reworded:
        rng = random.Random(number)
        update["targets"] = [_reworded(t, rng) for t in document.targets]
    return document.model_copy(update=update)


def build_store(path: Path, documents: list[Any], plans: int, reworded: bool) -> int:
    """A store of ``plans`` plans; the number of targets in it."""
    from kehoach_parser.store import Store, document_rows

    targets, pending = 0, {}
    with Store(path) as store:
        for number in range(plans):
            document = _copy(documents[number % len(documents)], number, reworded)
            name = f"plan{number:05}/{Path(document.source.path or 'doc').name}"
            pending[name] = document_rows(document, name, f"{name}.json")
            targets += len(document.targets)
            if len(pending) >= 500:
                store.replace(pending)
                pending = {}
        store.replace(pending)
    return targets


def measure(store: Path, engine: str, scheduler: str | None) -> dict[str, float]:
    """In this process: compare_plans end to end, then group_targets alone."""
    import pandas  # noqa: F401  (imported on first use: not part of the figure)

    from kehoach_parser.compare import compare_plans, references
    from kehoach_parser.grouping import group_targets
    from kehoach_parser.measures import measure_of
    from kehoach_parser.plan_targets import read_targets

    references(), measure_of("xã, phường")  # the vocabulary and the catalogue, loaded once
    started = time.perf_counter()
    frame = compare_plans(store, engine=engine, scheduler=scheduler)  # type: ignore[arg-type]
    compared = time.perf_counter() - started
    free = [r for r in read_targets(store) if r["indicator"] is None]
    started = time.perf_counter()
    groups = group_targets(free, engine=engine, scheduler=scheduler)  # type: ignore[arg-type]
    grouped = time.perf_counter() - started
    return {"compare_s": compared, "group_s": grouped, "rows": float(len(frame)),
            "inferred_rows": float(frame.inferred.sum()), "groups": float(len(groups)),
            "free_targets": float(len(free)),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _in_child(store: Path, engine: str = "local", scheduler: str | None = None,
              repeat: int = 2) -> dict[str, float]:
    """The figures of ``measure`` in fresh processes: the best times of ``repeat`` runs (the
    machine is shared), the highest peak."""
    command = [sys.executable, __file__, "--child", str(store), "--engine", engine]
    if scheduler:
        command += ["--scheduler", scheduler]
    runs = [json.loads(subprocess.run(command, capture_output=True, text=True, check=True)
                       .stdout.splitlines()[-1]) for _ in range(repeat)]
    best: dict[str, float] = min(runs, key=lambda r: r["compare_s"])
    return best | {"group_s": min(r["group_s"] for r in runs),
                   "peak_mib": max(r["peak_mib"] for r in runs)}


def _dask(store: Path) -> dict[str, float]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster:
        return _in_child(store, "dask", cluster.scheduler_address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,300,1000,3000,10000")
    parser.add_argument("--dask", action="store_true", help="also the largest on Dask")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    parser.add_argument("--update", metavar="FILE",
                        help="write the figures under the key 'compare' of FILE")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kehoach-bench"
                                                / "parsed"), help="parsed documents")
    parser.add_argument("--child", metavar="STORE", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--scheduler", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child), args.engine, args.scheduler)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    documents = _documents(Path(args.cache))
    print(f"{len(documents)} documents, {sum(len(d.targets) for d in documents)} targets")
    results: dict[str, Any] = {"documents": len(documents)}
    print(f"{'plans':>7} {'wording':>9} {'targets':>8} {'compare s':>10} {'group s':>8} "
          f"{'plans/s':>8} {'peak MiB':>9} {'groups':>7} {'inferred rows':>14}")
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-compare-") as tmp:
        runs = [(n, False) for n in sizes] + [(sizes[-1], True)]
        for plans, reworded in runs:
            store = Path(tmp) / f"{plans}-{'reworded' if reworded else 'repeated'}.duckdb"
            targets = build_store(store, documents, plans, reworded)
            figures = _in_child(store)
            figures |= {"plans": plans, "targets": targets,
                        "plans_per_s": plans / figures["compare_s"]}
            key = f"{'reworded' if reworded else 'plans'}_{plans}"
            results[key] = figures
            print(f"{plans:>7} {'reworded' if reworded else 'repeated':>9} {targets:>8} "
                  f"{figures['compare_s']:>10.2f} {figures['group_s']:>8.2f} "
                  f"{figures['plans_per_s']:>8.0f} {figures['peak_mib']:>9.0f} "
                  f"{figures['groups']:>7.0f} {figures['inferred_rows']:>14.0f}")
            if args.dask and reworded:
                remote = _dask(store)
                results[f"dask_{plans}"] = remote | {"plans_per_s": plans / remote["compare_s"]}
                print(f"{plans:>7} {'dask':>9} {targets:>8} {remote['compare_s']:>10.2f} "
                      f"{remote['group_s']:>8.2f} {plans / remote['compare_s']:>8.0f} "
                      f"{remote['peak_mib']:>9.0f} {remote['groups']:>7.0f}")
    large = results[f"plans_{sizes[-1]}"]
    for size in sizes[:-1]:
        small = results[f"plans_{size}"]
        growth = (large["compare_s"] / large["plans"]) / (small["compare_s"] / small["plans"])
        results[f"growth_{sizes[-1]}_vs_{size}"] = growth
        print(f"cost per plan, {sizes[-1]} plans over {size}: {growth:.2f} (1.0 is linear; "
              "below 1, a fixed cost spread over more plans)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.update:
        path = Path(args.update)
        everything = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        everything["compare"] = _flat(results)
        path.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")


def _flat(figures: dict[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = float(value)
    return out


if __name__ == "__main__":
    main()
