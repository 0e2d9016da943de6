"""Every place of assignment, on small whole documents (table-driven,
tests/cases/agencies_places.toml): what must be an agency, what is requested, what must not
be one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import load_cases
from kehoach_parser import parse_text
from kehoach_parser.layout import fold
from kehoach_parser.models import Agency

PLACES = load_cases("agencies_places.toml")["cases"]


def _by_name(agencies: list[Agency]) -> dict[str, Agency]:
    return {a.name: a for a in agencies}


@pytest.mark.parametrize("case", PLACES, ids=[c["place"][:70] for c in PLACES])
def test_place(case: dict[str, Any]) -> None:
    document = parse_text(case["text"])
    found = _by_name(document.agencies)
    assert sorted(found) == sorted(case["agencies"])
    requested = {name for name, agency in found.items() if agency.requested}
    assert requested == set(case.get("requested", []))
    names = {n.casefold() for a in document.agencies for n in (a.name, a.canonical)}
    for name in case.get("absent", []):
        assert name.casefold() not in names, name
    for name, partners in case.get("coordinates", {}).items():
        assert found[name].coordinates_with == partners, name
    for name, partners in case.get("leads", {}).items():
        assert found[name].leads == partners, name
    for name, tasks in case.get("tasks", {}).items():
        assert found[name].tasks == tasks, name
    for agency in document.agencies:  # every name keeps its span into the text
        start, end = agency.span
        written = " ".join(document.text[start:end].split())
        # As written; a text without marks is read with them ("Sb Tai chinh" → Sở Tài chính).
        assert fold(agency.name).endswith(fold(written)) or (
            written.isascii() and len(agency.name) == len(written)), (agency.name, written)


def test_every_place_of_issue_14_has_a_case() -> None:
    places = " ".join(c["place"] for c in PLACES)
    for words in ["implementation part", "divides the tasks", "công văn", "Cơ quan thực hiện",
                  "table", "quyết định", "recipient", "ends with who", "Giao", "Party",
                  "coordinators only", "class", "without diacritics"]:
        assert words in places, words


# Letters with marks in both cases, "Đ", and what folds otherwise: "İ" (its lower case is
# longer), a final "Σ" (lowered by its context), full-width and combining characters.
_FOLDED = st.text(st.sampled_from("aAàẢđĐưƯỗỖİΣσςßＡａ\u0301 ,-\nxyz") | st.characters(),
                  max_size=40)


@given(_FOLDED, st.integers(0, 40), st.integers(0, 40))
def test_the_folded_text_sliced_is_the_slice_folded(text: str, a: int, b: int) -> None:
    """The places reader folds a document once and reads slices of it: that must be what
    folding each slice gives."""
    assert fold(text)[a:b] == fold(text[a:b])
