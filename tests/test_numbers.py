"""The quantity grammar (numbers.find_quantities), table-driven, and data/numbers.toml tested
both ways: each example is read by its own entry, each entry has examples."""

from __future__ import annotations

import doctest
from typing import Any

import pytest
import regex

from conftest import load_cases
from kehoach_parser import numbers
from kehoach_parser.data import load
from kehoach_parser.normalize import normalize
from kehoach_parser.numbers import Quantity, find_quantities, number_word, unit_of

CASES = load_cases("targets_quantities.toml")
DATA = load("numbers")


def _read(text: str) -> tuple[str, list[Quantity]]:
    normalized = normalize(text).text
    return normalized, find_quantities(normalized)


def test_doctests() -> None:
    assert doctest.testmod(numbers).failed == 0


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["text"][:40])
def test_quantities(case: dict[str, Any]) -> None:
    text, found = _read(case["text"])
    got = [[text[q.start:q.end], q.value, "" if q.value_max is None else q.value_max, q.unit,
            q.kind] for q in found]
    assert got == case["quantities"]


@pytest.mark.parametrize("case", CASES["negatives"], ids=lambda c: c["reason"])
def test_not_quantities(case: dict[str, Any]) -> None:
    text, found = _read(case["text"])
    assert [text[q.start:q.end] for q in found] == []


def test_a_window_is_read_alone() -> None:
    text = "60% xã; 70% phường"
    assert [q.value for q in find_quantities(text, 8)] == [70]
    assert [q.value for q in find_quantities(text, 0, 7)] == [60]


# ---------------------------------------------------------------------------------------------
# data/numbers.toml, both ways
# ---------------------------------------------------------------------------------------------


ENTRIES = [(key, entry) for key, value in DATA.items()
           for entry in (value if isinstance(value, list) else [value])]


@pytest.mark.parametrize(("key", "entry"), ENTRIES, ids=lambda v: str(v)[:30])
def test_every_entry_has_examples(key: str, entry: dict[str, Any]) -> None:
    assert entry["examples"], key


def test_number_words_read_their_examples() -> None:
    for entry in DATA["words"]:
        assert number_word(entry["word"]) == entry["value"]
        assert all(entry["word"] in e.lower().split() for e in entry["examples"])


def test_counted_nouns_read_their_examples() -> None:
    for group in DATA["nouns"]:
        for example in group["examples"]:
            text, found = _read(example)
            nouns = [" ".join(text[q.body:q.end].split()) for q in found if q.kind == "count"]
            assert nouns and set(nouns) <= set(group["nouns"]), (group["group"], example)
            assert all(q.sessions == bool(group.get("sessions")) for q in found
                       if q.kind == "count"), example


def test_units_read_their_examples() -> None:
    for unit in DATA["units"]:
        for example in unit["examples"]:
            _, found = _read(example)
            assert unit["unit"] in [q.unit for q in found], example
        for written in unit["written"]:
            assert unit_of(written.upper() if written.islower() else written) == unit["unit"]


def test_percent_range_rate_and_everything_read_their_examples() -> None:
    for example in DATA["percent"]["examples"]:
        assert any(q.unit == "percent" for q in _read(example)[1]), example
    for example in DATA["range"]["examples"]:
        assert any(q.value_max is not None for q in _read(example)[1]), example
    for example in DATA["rate"]["examples"]:
        assert any(q.kind in ("rate", "ratio") for q in _read(example)[1]), example
    for example in DATA["everything"]["examples"]:
        assert any(q.kind == "all" and q.value == 100 for q in _read(example)[1]), example


def test_magnitudes_make_measures_of_their_own() -> None:
    words = tuple(DATA["magnitudes"]["words"])
    for example in DATA["magnitudes"]["examples"]:
        found = _read(example)[1]
        assert any(q.kind == "measure" and q.unit.startswith(words) for q in found), example


def test_bare_counts_read_their_examples_and_not_the_words_they_exclude() -> None:
    for example in DATA["bare"]["examples"]:
        assert any(q.kind == "bare" for q in _read(example)[1]), example
    for example in DATA["bare"]["not_counted_examples"]["examples"]:
        assert not any(q.kind == "bare" for q in _read(example)[1]), example
    words = set(DATA["bare"]["not_counted"])
    for example in DATA["bare"]["not_counted_examples"]["examples"]:
        assert any(regex.search(rf"\d\s+{w}\b", example) for w in words), example


def test_frequencies_and_period_words_read_their_examples() -> None:
    for word in DATA["period_words"]:
        for example in word["examples"]:
            assert any(q.unit == "per_period" for q in _read(example)[1]), example
    for entry in DATA["frequencies"]:
        for example in entry["examples"]:
            assert any(q.kind == "frequency" for q in _read(example)[1]), example
