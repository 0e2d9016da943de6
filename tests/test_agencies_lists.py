"""The lists of bodies the agency stage reads by rule (table-driven,
tests/cases/agencies_lists.toml), and the vocabulary behind them, tested both ways: holders,
shared heads, classes, prefixes, generic groups (their `first` words), the abbreviations
shared with the issuer names."""

from __future__ import annotations

from typing import Any

import pytest
import regex

from conftest import load_cases
from kehoach_parser.agency_names import Context, cues, split_heading
from kehoach_parser.agency_registry import resolve
from kehoach_parser.data import load
from kehoach_parser.layout import fold
from kehoach_parser.localities import expand
from kehoach_parser.normalize import normalize

LISTS = load_cases("agencies_lists.toml")
CONTEXTS = {name: Context(**values) for name, values in LISTS["contexts"].items()}


@pytest.mark.parametrize("case", LISTS["cases"], ids=[c["title"][:60] for c in LISTS["cases"]])
def test_lists(case: dict[str, Any]) -> None:
    title = normalize(case["title"]).text
    bodies = split_heading(title, CONTEXTS[case["context"]])
    assert [b.name for b in bodies] == case["bodies"]
    if "canonical" in case:
        assert [b.canonical for b in bodies] == case["canonical"]
    if "levels" in case:
        assert [b.level for b in bodies] == case["levels"]
    assert all(b.requested == case.get("requested", False) for b in bodies)
    for body in bodies:  # a span covers the name, or its member after a shared head
        assert body.name.endswith(title[body.start:body.end]), body


@pytest.mark.parametrize("case", LISTS["generic"], ids=[c["title"][:60] for c in LISTS["generic"]])
def test_generic_groups_are_not_agencies(case: dict[str, Any]) -> None:
    assert split_heading(normalize(case["title"]).text, CONTEXTS["nghe_an"]) == []


def test_enough_cases() -> None:
    assert len(LISTS["cases"]) >= 30 and len(LISTS["generic"]) >= 10


# --- the vocabulary, both ways --------------------------------------------------------------


def test_holders_stand_for_their_body() -> None:
    for example in load("agencies")["holders"]["examples"]:
        holder = cues().holder.match(example)
        assert holder is not None, example
        rest = example[holder.end():]
        assert [b.canonical for b in split_heading(example)] == [
            b.canonical for b in split_heading(rest)], example


def test_every_holder_word_is_read() -> None:
    for word in load("agencies")["holders"]["words"]:
        assert cues().holder.match(f"{word} Sở Xây dựng"), word
        (body,) = split_heading(f"{word} Sở Xây dựng")
        assert body.canonical == "Sở Xây dựng", word


def test_classes_examples_are_one_class() -> None:
    for example in load("agencies")["classes"]["examples"]:
        (body,) = split_heading(example)
        assert example.casefold().endswith(body.name.casefold()), example
        assert body.entry is None and body.plural, example


@pytest.mark.parametrize("table", ["prefix", "generic"])
def test_first_words_open_every_example(table: str) -> None:
    """The cheap first check never hides a match: each example opens with a `first` word."""
    for entry in load("agencies")[table]:
        assert entry["first"] and entry["examples"], entry["pattern"]
        pattern = regex.compile(entry["pattern"], regex.IGNORECASE)
        for example in entry["examples"]:
            assert pattern.match(example), (entry["pattern"], example)
            first = regex.match(r"\w+", example)  # the runtime's first word
            assert first is not None and first.group().casefold() in entry["first"], example


def test_prefixes_say_whether_they_request() -> None:
    for entry in load("agencies")["prefix"]:
        named = [split_heading(example, CONTEXTS["nghe_an"]) for example in entry["examples"]]
        assert any(named), entry["pattern"]
        assert all(b.requested == entry["requested"] for bodies in named for b in bodies)


def test_abbreviations_are_written_out() -> None:
    """data/abbreviations.toml: each abbreviation expands inside a name, and an abbreviated
    example of a registry body resolves to the body written out."""
    table = load("abbreviations")
    for short in table["expansions"]:
        assert fold(short) != fold(expand(f"Sở {short}")), short
    for example in table["examples"]:
        assert expand(example) != example, example
    for short_name, full in [("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
                             ("Sở NN&MT tỉnh", "Sở Nông nghiệp và Môi trường"),
                             ("Hội LHPN tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"),
                             ("BQL các KCN tỉnh", "Ban Quản lý các khu công nghiệp tỉnh")]:
        entry = resolve(short_name)
        assert entry is not None and entry.canonical == full, short_name


def test_verbs_after_compounds_stay_in_the_name() -> None:
    """ "… dự án đầu tư xây dựng các công trình …": a verb after a compound word is part of
    the name, which runs to its level word."""
    for example in load("agencies")["verbs"]["compounds_examples"]:
        (body,) = split_heading(f"{example} chủ trì thực hiện")
        assert body.name == example, example


def test_class_words_close_a_class() -> None:
    for example in load("agencies")["verbs"]["class_examples"]:
        (body,) = split_heading(example)
        assert body.plural and body.entry is None, example
        assert example.startswith(body.name), example
        assert not any(w in body.name for w in load("agencies")["verbs"]["class_words"]), (
            example, body.name)
