"""The dev documents rewritten into other forms a user may hold, each scored on the dev gold.

A rule written for one form of a document must hold on the others. Each variant rewrites the
dev documents it applies to, parses them, and scores them with the dev gold beside the same
documents as they are (the scorer matches values, not offsets):

- ``md_as_txt``: a saved page (``.md``) under a ``.txt`` name (the markup read from the text);
- ``md_plain``: a saved page copied as plain text: no emphasis marks, no lone ``|`` cell
  separators (the header's cells stacked a line each, headings wrapped where the page did);
- ``md_no_blank``: a saved page with its blank lines dropped;
- ``crlf_nbsp``: Windows line ends and no-break spaces;
- ``txt_tabs``: the wide gaps of a ``pdftotext -layout`` dump written as tabs.

    python scripts/dev_variants.py [VARIANT ...]     (from the project's folder)
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev"
SCORE = ROOT.parent / "shared" / "tools" / "score.py"
_EMPHASIS_RE = re.compile(r"\\\*|\*(?=\S)|(?<=\S)\*")
_WIDE_GAP_RE = re.compile(r" {4,}")


def _md_plain(text: str) -> str:
    text = text.replace("**", "")
    text = _EMPHASIS_RE.sub(lambda m: "*" if m.group() == "\\*" else "", text)
    return "\n".join(line for line in text.split("\n") if line.strip() != "|")


def _no_blank(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip())


def _crlf_nbsp(text: str) -> str:
    return text.replace("\n", "\r\n").replace(" năm ", "\u00a0năm ")


def _tabs(text: str) -> str:
    return _WIDE_GAP_RE.sub("\t\t", text)


def _same(text: str) -> str:
    return text


# name → (suffixes it applies to, rewrite, suffix of the rewritten file or None: the same)
VARIANTS: dict[str, tuple[tuple[str, ...], Callable[[str], str], str | None]] = {
    "md_as_txt": ((".md",), _same, ".txt"),
    "md_plain": ((".md",), _md_plain, ".txt"),
    "md_no_blank": ((".md",), _no_blank, ".md"),
    "crlf_nbsp": ((".md", ".txt"), _crlf_nbsp, None),
    "txt_tabs": ((".txt",), _tabs, ".txt"),
}


def _parse_and_score(docs: list[Path], gold: Path, out: Path) -> list[str]:
    subprocess.run([sys.executable, "-m", "kehoach_parser", "parse", *map(str, docs),
                    "--out", str(out), "--quiet"], cwd=ROOT, check=False,
                   env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    scored = subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--pred",
                             str(out)], capture_output=True, text=True, check=True)
    return scored.stdout.strip().split("\n")[-5:]


def run(name: str) -> None:
    suffixes, rewrite, suffix = VARIANTS[name]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "docs").mkdir()
        (folder / "gold").mkdir()
        originals = [p for p in sorted((DEV / "docs").iterdir()) if p.suffix in suffixes]
        rewritten = []
        for path in originals:
            target = folder / "docs" / (path.stem + (suffix or path.suffix))
            target.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")
            rewritten.append(target)
            gold = DEV / "gold" / f"{path.stem}.json"
            (folder / "gold" / gold.name).write_text(gold.read_text(encoding="utf-8"),
                                                     encoding="utf-8")
        variant = _parse_and_score(rewritten, folder / "gold", folder / "variant")
        original = _parse_and_score(originals, folder / "gold", folder / "original")
    print(f"== {name} ({len(originals)} documents): the variant | the documents as they are")
    for mine, theirs in zip(variant, original, strict=True):
        label, figures = mine.split(":", 1)
        print(f"   {label:<10}{figures.strip():<58}| {theirs.split(':', 1)[1].strip()}")


def main(argv: list[str]) -> int:
    for name in argv or list(VARIANTS):
        if name not in VARIANTS:
            print(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}", file=sys.stderr)
            return 2
        run(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
