"""``data/measures.toml`` tested both ways: each example comes out as the file says, each word
of an entry is in one of its examples, and the phrases an entry must leave alone are left
alone; the unit families cover every unit the target extractor knows."""

from __future__ import annotations

from typing import Any

import pytest

from kehoach_parser.data import load
from kehoach_parser.layout import fold
from kehoach_parser.measures import extractor_data, family_of, measure_of

DATA = load("measures")
WORDED = [(table, entry) for table in ("fillers", "cues") for entry in DATA[table]]


def _syllables(text: str) -> tuple[str, ...]:
    return tuple("".join(c if c.isalnum() else " " for c in fold(text)).split())


def _ids(value: Any) -> str:
    return str(value[1]["name"]) if isinstance(value, tuple) else str(value)


@pytest.mark.parametrize(("table", "entry"), WORDED, ids=_ids)
def test_every_word_has_an_example(table: str, entry: dict[str, Any]) -> None:
    said = " ".join(fold(written) for written, _ in entry["examples"])
    for kind in ("words", "opening", "ending"):
        for word in entry.get(kind, ()):
            assert f" {fold(word)} " in f" {said} ", (table, word)


@pytest.mark.parametrize("entry", DATA["fillers"], ids=_ids)
def test_fillers_are_not_compared(entry: dict[str, Any]) -> None:
    for written, compared in entry["examples"]:
        assert measure_of(written).tokens == _syllables(compared), written
    for kept in entry["keeps"]:  # a word with other marks is another word
        assert measure_of(kept).tokens == _syllables(kept), kept


@pytest.mark.parametrize("entry", DATA["cues"], ids=_ids)
def test_cue_words_are_taken_out(entry: dict[str, Any]) -> None:
    for written, left in entry["examples"]:
        assert measure_of(written).wording == left, written
    for kept in entry["keeps"]:
        assert measure_of(kept).wording == kept, kept


def test_horizons_are_taken_out_and_give_the_year() -> None:
    horizon = DATA["horizon"]
    assert len(horizon["examples"]) == len(horizon["years"])
    said = " ".join(fold(written) for written, _ in horizon["examples"])
    for key in ("before", "year", "period", "after"):
        for word in horizon[key]:
            assert f" {fold(word)} " in f" {said} ", (key, word)
    for (written, left), year in zip(horizon["examples"], horizon["years"], strict=True):
        measure = measure_of(written)
        assert (measure.wording, measure.year) == (left, year), written
    for baseline in horizon["not_years"]:
        assert measure_of(baseline).year is None, baseline
    assert all(fold(b) in fold(" ".join(horizon["not_years"])) for b in horizon["baseline"])


def test_the_plans_own_place_is_taken_out() -> None:
    locality = DATA["locality"]
    said = " ".join(fold(written) for written, _ in locality["examples"])
    for key in ("before", "alone"):
        for word in locality[key]:
            assert f" {fold(word)} " in f" {said} ", (key, word)
    for written, left in locality["examples"]:
        assert measure_of(written).wording == left, written
    for kept in locality["keeps"]:
        assert measure_of(kept).wording == kept, kept
    for phrase in locality["not_levels"]:  # "xã hội" is no commune
        assert "@commune" not in measure_of(f"trợ giúp {phrase} công lập").tokens, phrase


def test_a_level_word_or_a_list_of_them_is_its_level() -> None:
    assert measure_of("xã, phường, thị trấn").tokens == ("@commune",)
    assert measure_of("huyện, thị xã, thành phố").tokens == ("@district",)
    assert measure_of("cơ quan liên quan").tokens == ("co", "quan", "lien", "quan")  # not quận


def test_magnitudes_scale_units_of_one_family() -> None:
    magnitudes = DATA["magnitudes"]
    units = {entry["unit"] for entry in extractor_data("units")}
    said = " ".join(unit for unit, _, _ in magnitudes["examples"])
    for word in magnitudes["words"]:
        assert word in said.split(), word
    for unit, base, factor in magnitudes["examples"]:
        assert unit in units, unit  # the examples are the extractor's units
        assert family_of(unit, "eq") == (base, factor), unit


def test_every_unit_of_the_extractor_has_a_family() -> None:
    for entry in extractor_data("units"):
        found = family_of(entry["unit"], "eq")
        assert found is not None and found[0] and found[1] > 0, entry["unit"]
    assert family_of("percent", "increase") == ("change percent", 1.0)
    assert family_of("per_period", "gte", "month") == ("per year", 12.0)
    assert family_of("per_period", "gte", None) is None
