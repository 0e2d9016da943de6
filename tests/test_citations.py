"""Văn bản được viện dẫn (cited documents): table-driven cases, negatives, whole documents,
the seeds against their gold annotations, and span properties."""

from __future__ import annotations

import doctest
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, SHARED, load_cases
from kehoach_parser import citations, parse_file
from kehoach_parser.citations import find_citations
from kehoach_parser.context import context_of
from kehoach_parser.models import Citation, Locality, Metadata

STRINGS = load_cases("citations.toml")
NEGATIVES: list[str] = load_cases("citations_negative.toml")["strings"]
DOCUMENTS = load_cases("citations_documents.toml")["documents"]
GOLD = SHARED / "gold"


def _metadata(case: dict[str, Any]) -> Metadata:
    return Metadata(locality=Locality(**case.get("locality", {})), issuer=case.get("issuer"),
                    identifier=case.get("identifier"), doc_type=case.get("doc_type"))


def _cite(case: dict[str, Any]) -> tuple[str, list[Citation]]:
    ctx = context_of(case["text"], metadata=_metadata(case))
    return ctx.text, find_citations(ctx).items


def _label(citation: Citation) -> str:
    return citation.identifier or citation.title or "?"


def _check(citations: list[Citation], expected: list[dict[str, Any]]) -> None:
    assert len(citations) == len(expected), [_label(c) for c in citations]
    for citation, expect in zip(citations, expected, strict=True):
        for key, value in expect.items():
            if key == "null":
                assert all(getattr(citation, name) is None for name in value), (key, citation)
            elif key == "mentions":
                assert len(citation.mentions) == value, citation.mentions
            elif key == "raws":
                assert [m.raw for m in citation.mentions] == value
            else:
                assert getattr(citation, key) == value, (key, _label(citation))


def _spans_hold(text: str, citations: list[Citation]) -> None:
    for citation in citations:
        for mention in citation.mentions:
            start, end = mention.span
            assert text[start:end] == mention.raw


def _short(case: dict[str, Any]) -> str:
    return str(case["text"])[:50]


def test_doctests() -> None:
    assert doctest.testmod(citations).failed == 0


def test_the_tables_are_large_enough() -> None:
    assert len(STRINGS["cases"]) >= 80
    assert len(NEGATIVES) >= 25


@pytest.mark.parametrize("case", STRINGS["cases"], ids=_short)
def test_citation_strings(case: dict[str, Any]) -> None:
    text, found = _cite(case)
    _check(found, case["expect"])
    _spans_hold(text, found)


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c["reason"]))
    for c in STRINGS["known_failures"]], ids=_short)
def test_known_failures(case: dict[str, Any]) -> None:
    _check(_cite(case)[1], case["expect"])


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative_strings_cite_nothing(text: str) -> None:
    assert find_citations(context_of(text, metadata=Metadata())).items == []


@pytest.mark.parametrize("case", DOCUMENTS, ids=lambda c: c["name"])
def test_documents(case: dict[str, Any]) -> None:
    text, found = _cite(case)
    _check(found, case["expect"])
    _spans_hold(text, found)


def _key(citation: dict[str, Any]) -> tuple[Any, ...]:
    return citation["doc_type"], int(citation["number"]), citation["year"]


@pytest.mark.parametrize("seed", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_seeds_match_their_gold(seed: Path) -> None:
    """Every numbered citation of the gold with its date and identifier, nothing more; every
    law named only, by its title."""
    gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))["citations"]
    found = [c.model_dump() for c in parse_file(seed).citations]
    numbered = {_key(c): c for c in found if c["number"]}
    assert sorted(numbered) == sorted(_key(c) for c in gold if c["number"])
    for want in (c for c in gold if c["number"]):
        got = numbered[_key(want)]
        assert (got["identifier"], got["date"]) == (want["identifier"], want["date"])
    named = sorted(c["title"].casefold() for c in found if not c["number"])
    assert named == sorted(c["title"].casefold() for c in gold if not c["number"])


FRAGMENTS = [c["text"] for c in STRINGS["cases"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS + NEGATIVES), min_size=1, max_size=6),
       st.sampled_from(["\n", " ", "; ", ", và "]))
def test_mentions_are_the_words_they_came_from(parts: list[str], glue: str) -> None:
    ctx = context_of(glue.join(parts), metadata=Metadata())
    text, found = ctx.text, find_citations(ctx).items
    _spans_hold(text, found)
    assert all(c.identifier or c.title for c in found)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(NEGATIVES), min_size=1, max_size=8),
       st.sampled_from(["\n", " ", "; "]))
def test_negatives_stay_negative_together(parts: list[str], glue: str) -> None:
    assert find_citations(context_of(glue.join(parts), metadata=Metadata())).items == []


@given(st.lists(st.sampled_from(["Quyết định", "các Nghị quyết", " của ", " cua ", "CỦA",
                                 "Bộ Y tế", ": số ", " và ", "Thông tư", ", "]), max_size=8))
def test_a_list_head_holds_the_word_before_its_issuer(pieces: list[str]) -> None:
    """A gap is searched for a list head only when it holds "của": every list head does."""
    gap = "".join(pieces)
    pats = citations._patterns()
    if pats.issuer_word.search(gap) is None:
        assert pats.list_head.search(gap) is None
