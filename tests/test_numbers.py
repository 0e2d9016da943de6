"""The quantity grammar (numbers.find_quantities), table-driven, and data/numbers.toml tested
both ways: each example is read by its own entry, each entry has examples."""

from __future__ import annotations

import doctest
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ---------------------------------------------------------------------------------------------
# The index of a whole text (numbers.Quantities) reads any stretch as a scan of it would
# ---------------------------------------------------------------------------------------------

# Pieces that put numbers and number words at the edges of a stretch, inside other words
# ("khai", "bản"), after letters, marks and "_" (a word character that is no letter), and an
# "İ" that lower case lengthens.
_PIECES = ["60%", "05 kịch bản", "một", "Hai", "khai", "ba", "bảy", "tất cả", "Toàn bộ",
           "năm", "2025", "1.234,5", "lần", "một tháng một lần", "/", ".", ",", "%", " ", "\n",
           "xã", "người", "A3", "İ", "_", "ít nhất", "40/99 xã", "16 ca sinh/1.000 phụ nữ"]


def _scanned(text: str, start: int, end: int) -> list[Quantity]:
    """The reading the index replaces: one search for the places a quantity starts per
    stretch (the digits and the number words as one pattern)."""
    grammar = numbers._grammar()
    starts = regex.compile(f"{grammar.digit_start.pattern}|{grammar.word_start.pattern}")
    if (regex.search(r"\d", text[start:end]) is None
            and grammar.words.search(text, start, end) is None):
        return []
    times = list(regex.finditer(r"(?i)\blần\b", text, pos=start, endpos=end))
    found = numbers._frequencies(text, start, end, times)
    reached = start
    for m0 in starts.finditer(text, start, end):
        if m0.start() < reached:
            continue
        m = grammar.quantity.match(text, m0.start(), end)
        if m is not None:
            reached = m.end()
            if (quantity := numbers._quantity(text, m)) is not None:
                found.append(quantity)
    return numbers._in_order(found)  # the same order and overlaps as the index's reading


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.integers(0, 80), st.integers(0, 80))
def test_the_index_reads_a_stretch_as_a_scan(pieces: list[str], a: int, b: int) -> None:
    text = "".join(pieces)
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    index = numbers.Quantities(text)
    expected = _scanned(text, start, end)
    assert index.within(start, end) == expected
    assert numbers.Quantities(text, start, end).within(start, end) == expected
    assert find_quantities(text, start, end) == expected


def test_the_index_without_lower_case_offsets() -> None:
    """Lower case lengthens "İ": the words are then found by their own scan."""
    text = "İ tổ chức Hai lớp, ba buổi; tất cả xã"
    assert len(text.lower()) != len(text)
    assert numbers.Quantities(text).within(2, len(text)) == _scanned(text, 2, len(text))
    assert [q.value for q in numbers.Quantities(text).within(2, len(text))] == [3, 100]


@given(st.text(st.sampled_from("0123456789٣/.,%aẢ _-\n"), max_size=40))
def test_a_run_of_digits_starts_where_a_digit_alone_would(text: str) -> None:
    # The index matches a run of digits whole: the same starts as a test at each digit.
    each = [i for i, c in enumerate(text) if regex.match(r"\d", c)
            and (i == 0 or not regex.match(r"[\p{L}\d/.,%]", text[i - 1]))]
    assert [m.start() for m in numbers._grammar().digit_start.finditer(text)] == each
