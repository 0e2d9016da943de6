"""The citation registries (``data/doc_types.toml``, ``data/issuers.toml``) tested both ways:
every entry has examples, and every example is resolved to its own entry."""

from __future__ import annotations

from typing import Any

import pytest

from kehoach_parser.citations import _fold, _patterns, _registry, find_citations
from kehoach_parser.context import context_of
from kehoach_parser.data import load
from kehoach_parser.models import Citation, Metadata
from kehoach_parser.normalize import fold_tones

TYPES = load("doc_types")
ISSUERS = load("issuers")


def _cite(text: str) -> list[Citation]:
    return find_citations(context_of(text, metadata=Metadata())).items


def _only(text: str) -> Citation:
    found = _cite(text)
    assert len(found) == 1, (text, [c.identifier or c.title for c in found])
    return found[0]


def _is_identifier(example: str) -> bool:
    return any(ch.isdigit() for ch in example)


def _entries(table: list[dict[str, Any]], key: str) -> list[Any]:
    return [pytest.param(entry, id=entry[key]) for entry in table]


@pytest.mark.parametrize("entry", _entries(TYPES["types"], "code"))
def test_each_type_resolves_its_examples(entry: dict[str, Any]) -> None:
    assert entry["examples"] and entry["words"]
    for example in entry["examples"]:
        assert _only(example).doc_type == entry["code"], example


@pytest.mark.parametrize("entry", _entries(ISSUERS["issuers"], "code"))
def test_each_issuer_resolves_its_examples(entry: dict[str, Any]) -> None:
    assert entry["examples"] and entry["level"] in ("central", "province", "district")
    for example in entry["examples"]:
        if _is_identifier(example):
            assert _only(example).issuer == fold_tones(entry["name"]), example
        else:
            assert entry["code"] in [i.code for i in _registry().named(example)], example


@pytest.mark.parametrize("entry", _entries(ISSUERS["units"], "code"))
def test_each_unit_is_kept_in_its_examples(entry: dict[str, Any]) -> None:
    assert entry["examples"]
    for example in entry["examples"]:
        identifier = _only(example).identifier or ""
        assert identifier.split("-")[-1].rstrip("0123456789") == entry["code"], example


def test_codes_resolve_through_their_aliases() -> None:
    registry = _registry()
    for entry in TYPES["types"]:
        for alias in entry["aliases"]:
            hit = registry.types.get(alias)
            assert hit is not None and hit.code == entry["code"], alias
    for entry in ISSUERS["issuers"]:
        for alias in entry.get("aliases", []):
            issuer = registry.issuers.get(alias)
            assert issuer is not None and issuer.code == entry["code"], alias
        for name in entry.get("names", []):
            assert entry["code"] in [i.code for i in registry.named(name)], name


def test_positions_stand_before_the_issuer() -> None:
    table = ISSUERS["positions"]
    assert table["examples"]
    for example in table["examples"]:
        match = _patterns().issuer.match(example, example.index("của ") + 4)
        assert match and _fold(match.group("pos")) in {_fold(w) for w in table["words"]}


def test_level_words_are_read_after_a_local_body() -> None:
    levels = {_fold(f): e["word"] for e in ISSUERS["levels"]
              for f in (e["word"], *e.get("forms", []))}
    for entry in ISSUERS["levels"]:
        assert entry["examples"], entry["word"]
        if entry.get("party"):
            continue  # a Party committee named by its level: read by the locality reader
        for example in entry["examples"]:
            match = _patterns().issuer.match(example)
            assert match and levels[_fold(match.group("lvl"))] == entry["word"], example


def test_an_unknown_issuer_ends_where_the_sentence_goes_on() -> None:
    table = ISSUERS["issuer_end"]
    assert table["examples"]
    for example in table["examples"]:
        match = _patterns().generic_issuer.match(example, example.index("của ") + 4)
        assert match, example
        rest = example[match.end():].split()
        assert rest and any(" ".join(rest).startswith(w) for w in table["words"]), example


@pytest.mark.parametrize("name", ["number", "date", "issuer"])
def test_cue_words_lead_to_their_field(name: str) -> None:
    table = TYPES["cues"][name]
    assert table["examples"]
    for example in table["examples"]:
        assert any(_fold(w) in _fold(example) for w in table["words"]), example
        assert getattr(_only(example), name), example


@pytest.mark.parametrize("name", ["title", "title_end"])
def test_title_cues_open_and_close_their_examples(name: str) -> None:
    table = TYPES["cues"][name]
    assert table["examples"] and table["words"]
    for text, title in table["examples"]:
        assert _only(text).title == title


def test_not_before_words_stop_a_citation() -> None:
    table = TYPES["cues"]["not_before"]
    assert table["examples"]
    for example in table["examples"]:
        assert any(_fold(w) in _fold(example) for w in table["words"]), example
        assert _cite(example) == [], example


def test_law_names_end_where_their_examples_say() -> None:
    table = TYPES["named"]
    assert table["examples"]
    for text, name in table["examples"]:
        named = [c for c in _cite(text) if c.doc_type in ("L", "PL")]
        assert [c.title for c in named] == [name], text


def test_every_type_word_and_code_is_distinct() -> None:
    words = [_fold(w) for e in TYPES["types"] for w in e["words"]]
    codes = [c for e in TYPES["types"] for c in (e["code"], *e["aliases"])]
    assert len(words) == len(set(words)) and len(codes) == len(set(codes))
    issuer_codes = [c for e in ISSUERS["issuers"] for c in (e["code"], *e.get("aliases", []))]
    assert len(issuer_codes) == len(set(issuer_codes))


def test_an_amending_law_over_a_list_of_laws_takes_the_date_after_the_list() -> None:
    found = _cite("Căn cứ Luật Thương mại ngày 14 tháng 6 năm 2005 được sửa đổi, bổ sung tại Luật "
                  "sửa đổi, bổ sung một số điều của Luật Chứng khoán, Luật Kế toán, Luật Thống kê "
                  "và Luật Kiểm toán độc lập ngày 29 tháng 11 năm 2024;")
    assert [(c.doc_type, c.identifier, c.date) for c in found] == [
        ("L", None, "2005-06-14"), ("L", None, "2024-11-29")]
    assert found[1].title is not None
    assert found[1].title.endswith("Luật Thống kê và Luật Kiểm toán độc lập")


def test_a_law_listed_after_an_amending_law_of_one_law_stays_its_own() -> None:
    found = _cite("Luật sửa đổi, bổ sung một số điều của Luật Kế toán; Luật Thống kê ngày "
                  "23 tháng 11 năm 2015;")
    assert [(c.title, c.date) for c in found] == [
        ("Luật sửa đổi, bổ sung một số điều của Luật Kế toán", None),
        ("Luật Thống kê", "2015-11-23")]


def test_a_lower_case_word_after_luat_goes_on_in_the_sentence() -> None:
    assert _cite("các quy định của Luật các văn bản hướng dẫn thi hành") == []
