"""docs/compare.md quotes its speed figures from ``bench/results.json`` like the other docs
(``tests/test_docs.py``), and documents every option of the commands it is about."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kehoach_parser.cli import main
from test_docs import RESULTS, SHOWN, _quotes

PAGE = "docs/compare.md"


def test_quoted_figures_are_those_of_results_json() -> None:
    quotes = _quotes(PAGE)
    assert quotes, f"{PAGE} quotes no figure of bench/results.json"
    for shown, section, key in quotes:
        found = SHOWN.fullmatch(shown)
        assert found, f"{PAGE}: {shown!r} is not a figure"
        number, decimals, millions = found.groups()
        value = RESULTS[section][key] / (1e6 if millions else 1)
        assert round(value, len(decimals or "")) == float(number.replace(",", "")), \
            f"{PAGE}: {shown} for {section}/{key}, but bench/results.json has {value}"


@pytest.mark.parametrize("argv", [["compare"], ["indicators", "suggest"]])
def test_every_option_is_documented(argv: list[str], capsys: pytest.CaptureFixture[str]
                                    ) -> None:
    assert main([*argv, "--help"]) == 0
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", capsys.readouterr().out)) - {"--help"}
    text = (ROOT / PAGE).read_text(encoding="utf-8")
    assert options and {o for o in options if o not in text} == set()
