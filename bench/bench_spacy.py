"""spaCy integration speed (needs ``pip install kehoach-parser[spacy]``).

1. chars/s of the components in blank "xx" and "vi" pipelines against ``parse_text`` alone on
   the same texts (the corpus), and of the tokenizers alone: what spaCy adds;
2. start-up: importing the integration and making the blank pipelines;
3. the agency gazetteer: ``agency_registry.find_bodies`` against spaCy's ``PhraseMatcher`` over
   the registry's names and variants, on the normalized texts: speed, and recall of the gold
   agencies (``../shared/gold``) that each one finds as written.

Prints a table; ``--json FILE`` writes the figures.

    python bench/bench_spacy.py [--repeat 5] [--json bench/results-spacy.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"
COMPONENTS = ("kehoach_sections", "kehoach_citations", "kehoach_targets", "kehoach_agencies")


def _corpus() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))}


def _rates(texts: list[str], runners: dict[str, Callable[[str], object]],
           repeat: int) -> dict[str, float]:
    """chars/s of each runner over ``texts``: passes interleaved (the machine is shared, so
    every runner sees the same load), the fastest of ``repeat`` + 1 (a warm-up) kept."""
    best = dict.fromkeys(runners, float("inf"))
    for _ in range(repeat + 1):
        for name, run in runners.items():
            best[name] = min(best[name], _timed(partial(_each, run, texts)))
    chars = sum(map(len, texts))
    return {f"{name}_chars_per_s": chars / seconds for name, seconds in best.items()}


def _each(run: Callable[[str], object], texts: list[str]) -> None:
    for text in texts:
        run(text)


def _timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _startup(code: str, repeat: int = 3) -> float:
    return min(_timed(lambda: subprocess.run([sys.executable, "-c", code], check=True,
                                             capture_output=True)) for _ in range(repeat))


def speed(texts: list[str], repeat: int) -> dict[str, float]:
    import spacy

    import kehoach_parser.spacy_components  # noqa: F401  (registers the factories)
    from kehoach_parser import parse_text

    runners: dict[str, Callable[[str], object]] = {"parse_text": parse_text}
    for lang in ("xx", "vi"):
        runners[f"tokenizer_{lang}"] = spacy.blank(lang).make_doc
        runners[f"kehoach_{lang}"] = _pipeline(lang, "kehoach")
    runners["four_components_xx"] = _pipeline("xx", *COMPONENTS)
    return _rates(texts, runners, repeat)


def _pipeline(lang: str, *names: str) -> Callable[[str], object]:
    import spacy

    nlp = spacy.blank(lang)
    for name in names:
        nlp.add_pipe(name)
    return nlp


def startup() -> dict[str, float]:
    return {
        "python_s": _startup("pass"),
        "import_kehoach_parser_s": _startup("import kehoach_parser"),
        "import_spacy_components_s": _startup("import kehoach_parser.spacy_components"),
        "blank_xx_with_kehoach_s": _startup(
            "import spacy, kehoach_parser.spacy_components\n"
            "spacy.blank('xx').add_pipe('kehoach')"),
        "blank_vi_with_kehoach_s": _startup(
            "import spacy, kehoach_parser.spacy_components\n"
            "spacy.blank('vi').add_pipe('kehoach')"),
    }


def _gold_names(stem: str) -> list[set[str]]:
    """Each gold agency of a document as the set of its fair names' lookup keys."""
    from kehoach_parser.agency_registry import name_key

    path = GOLD / f"{stem}.json"
    if not path.is_file():
        return []
    agencies = json.loads(path.read_text(encoding="utf-8")).get("agencies", [])
    return [{name_key(n) for n in (a["name"], *a.get("aliases", []))} for a in agencies]


def gazetteer(corpus: dict[str, str], repeat: int) -> dict[str, float]:
    """find_bodies (regex stems + locality tails) against PhraseMatcher (LOWER) over names."""
    import spacy
    from spacy.matcher import PhraseMatcher

    from kehoach_parser.agency_registry import entries, find_bodies, name_key, registry
    from kehoach_parser.normalize import normalize

    texts = {stem: normalize(raw).text for stem, raw in corpus.items()}
    registry()  # compiled once, at first use, like the PhraseMatcher below
    nlp = spacy.blank("xx")
    names = sorted({n for e in entries() for n in (e.canonical, *e.variants)})
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    figures: dict[str, float] = {
        "phrasematcher_build_s": _timed(
            lambda: matcher.add("AGENCY", [nlp.make_doc(name) for name in names])),
        "phrasematcher_patterns": len(names),
    }

    def phrase(text: str) -> list[str]:
        doc = nlp.make_doc(text)
        return [doc[s:e].text for _, s, e in matcher(doc)]

    docs = [nlp.make_doc(t) for t in texts.values()]
    figures.update(_rates(list(texts.values()), {
        "find_bodies": find_bodies,
        "phrasematcher_with_tokenizer": phrase,
    }, repeat))
    match_time = min(_timed(lambda: [matcher(d) for d in docs]) for _ in range(repeat))
    figures["phrasematcher_match_only_chars_per_s"] = sum(map(len, texts.values())) / match_time

    found: dict[str, list[int]] = {"find_bodies": [0, 0], "phrasematcher": [0, 0]}
    for stem, text in texts.items():
        by = {"find_bodies": {name_key(text[b.start:b.end]) for b in find_bodies(text)},
              "phrasematcher": {name_key(n) for n in phrase(text)}}
        figures[f"find_bodies_matches_{stem[:3]}"] = len(find_bodies(text))
        figures[f"phrasematcher_matches_{stem[:3]}"] = len(phrase(text))
        for gold in _gold_names(stem):
            for name, keys in by.items():
                found[name][0] += bool(gold & keys)
                found[name][1] += 1
    for name, (hit, total) in found.items():
        if total:
            figures[f"{name}_gold_recall"] = hit / total
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args(argv)

    corpus = _corpus()
    figures = {**speed(list(corpus.values()), args.repeat), **startup(),
               **gazetteer(corpus, args.repeat)}
    base = figures["parse_text_chars_per_s"]
    for lang in ("xx", "vi"):
        figures[f"kehoach_{lang}_vs_parse_text"] = figures[f"kehoach_{lang}_chars_per_s"] / base

    print(f"{'measure':<44} {'value':>12}")
    for key, value in figures.items():
        if key.endswith("chars_per_s"):
            print(f"{key:<44} {value / 1e6:>12.3f} M chars/s")
        elif key.endswith("_s"):
            print(f"{key:<44} {value:>12.3f} s")
        else:
            print(f"{key:<44} {value:>12.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
