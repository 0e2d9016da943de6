"""Hold the extraction figures on the seed gold set (used by .ci/run).

Runs ``../shared/tools/score.py --json`` on a prediction folder and checks thresholds on the
overall F1s and on the shares the scorer reports per document (pooled over the matched
items): ``citations.identifier_ok``, ``citations.date_ok``, ``citations.named``,
``targets.comparator_ok``, ``agencies.requested_ok``.

    python scripts/check_scores.py --gold G --pred P citations=0.98 citations.date_ok=1.0
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def figures(result: dict[str, Any]) -> dict[str, float]:
    overall = result["overall"]
    out = {fam: overall[fam]["f1"] for fam in ("citations", "targets", "agencies", "sections")}
    out["metadata"] = overall["metadata"]["share"]
    docs = result["documents"].values()
    for fam, share in (("citations", "identifier_ok"), ("citations", "date_ok"),
                       ("targets", "comparator_ok"), ("agencies", "requested_ok")):
        tp = sum(d[fam]["tp"] for d in docs if not d[fam].get("skipped"))
        ok = sum(d[fam][share] * d[fam]["tp"] for d in docs
                 if not d[fam].get("skipped") and d[fam].get(share) is not None)
        out[f"{fam}.{share}"] = ok / tp if tp else 0.0
    named = [d["citations"]["named"] for d in docs if not d["citations"].get("skipped")]
    tp, pred, gold = (sum(n[k] for n in named) for k in ("tp", "pred", "gold"))
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    out["citations.named"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--pred", type=Path, required=True)
    parser.add_argument("--scorer", type=Path, default=None)
    parser.add_argument("require", nargs="*", metavar="NAME=MIN")
    args = parser.parse_args(argv)
    # The scorer beside the gold set, or beside its parent (../shared/dev/gold → ../shared).
    scorer = args.scorer or next(
        (d / "tools" / "score.py" for d in args.gold.resolve().parents
         if (d / "tools" / "score.py").is_file()), args.gold.parent / "tools" / "score.py")
    run = subprocess.run([sys.executable, str(scorer), "--gold", str(args.gold), "--pred",
                          str(args.pred), "--json"], check=True, capture_output=True, text=True)
    got = figures(json.loads(run.stdout))
    failed = []
    for name, value in got.items():
        print(f"{name:<26} {value:.3f}")
    for requirement in args.require:
        name, _, minimum = requirement.partition("=")
        if got[name] < float(minimum):
            failed.append(f"{name} {got[name]:.3f} < {float(minimum):.3f}")
    if failed:
        print("below requirement: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
