"""The docs hold: speed figures are quoted from one source, ``bench/results.json`` (a quote
is a link to it titled with the figure's key: ``[38.7](bench/results.json
"batch/jobs_1.docs_per_s")``), and the documented examples run."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT

RESULTS = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
QUOTING = ["README.md", "bench/README.md", "docs/batch.md"]
QUOTE = re.compile(r'\[([^\]]+)\]\((?:\.\./)*(?:bench/)?results\.json "([\w.]+)/([\w.]+)"\)')
SHOWN = re.compile(r"(\d[\d,]*(?:\.(\d+))?)( M)?")


def _quotes(name: str) -> list[tuple[str, str, str]]:
    return QUOTE.findall((ROOT / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", QUOTING)
def test_quoted_figures_are_those_of_results_json(name: str) -> None:
    quotes = _quotes(name)
    assert quotes, f"{name} quotes no figure of bench/results.json"
    for shown, section, key in quotes:
        value = RESULTS[section][key]
        found = SHOWN.fullmatch(shown)
        assert found, f"{name}: {shown!r} is not a figure"
        number, decimals, millions = found.groups()
        scaled = value / 1e6 if millions else value
        assert round(scaled, len(decimals or "")) == float(number.replace(",", "")), \
            f"{name}: {shown} for {section}/{key}, but bench/results.json has {value}"


def test_one_figure_is_quoted_alike_everywhere() -> None:
    """The same key shown with the same digits wherever it is quoted (a check on the check:
    'the docs disagree' was the bug)."""
    shown: dict[str, set[str]] = {}
    for name in QUOTING:
        for text, section, key in _quotes(name):
            shown.setdefault(f"{section}/{key}", set()).add(text)
    assert {key: texts for key, texts in shown.items() if len(texts) > 1} == {}


def _python_block(name: str, holding: str) -> str:
    text = (ROOT / name).read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if holding in b]
    assert len(blocks) == 1, f"{name}: {len(blocks)} python blocks hold {holding!r}"
    return blocks[0]


@pytest.mark.parametrize("log", [None, "", '{"file": "a.txt", "error": "EmptyInputError", '
                                            '"message": "a.txt: no text", "run": "1"}\n'],
                         ids=["absent", "empty", "one-failure"])
def test_the_errors_example_runs_whatever_the_log(log: str | None, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code = _python_block("docs/batch.md", "errors.jsonl")
    (tmp_path / "out").mkdir()
    if log is not None:
        (tmp_path / "out" / "errors.jsonl").write_text(log, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "docs/batch.md", "exec"), {})
    assert ("EmptyInputError" in printed.getvalue()) == bool(log)
