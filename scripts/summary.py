"""Print a one-line-per-document summary of a folder of kehoach JSON outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(folder: str) -> int:
    paths = sorted(Path(folder).glob("*.json"))
    if not paths:
        print(f"no JSON documents in {folder}", file=sys.stderr)
        return 1
    print(f"{'document':<24} {'type':<4} {'issuer':<38} {'year':<5} "
          f"{'sections':>8} {'targets':>7} {'agencies':>8} {'citations':>9}")
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        m = doc["metadata"]
        print(f"{path.stem[:24]:<24} {m['doc_type'] or '-':<4} {(m['issuer'] or '-')[:38]:<38} "
              f"{m['plan_year'] or m['date']['year'] or '-'!s:<5} {len(doc['sections']):>8} "
              f"{len(doc['targets']):>7} {len(doc['agencies']):>8} {len(doc['citations']):>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out"))
