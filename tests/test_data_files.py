"""The foundation's data files, tested both ways: each example is recognised by its own
entry, and each entry has examples."""

from __future__ import annotations

import regex

from kehoach_parser.data import load
from kehoach_parser.metadata import _locality_of, _rules
from kehoach_parser.normalize import normalize
from kehoach_parser.numbers import number_word
from kehoach_parser.sections import heading_kinds, split_sections


def test_heading_shapes_recognise_their_examples() -> None:
    shapes = load("sections")["headings"]
    for name, entry in shapes.items():
        assert entry["examples"], name
        pattern = regex.compile(entry["pattern"])
        for example in entry["examples"]:
            assert pattern.match(example), (name, example)
            # and the splitter takes it as a heading when it opens a document
            tree = split_sections(normalize(f"**{example}**"))
            assert tree and tree[0].number.split(".")[0] in example, (name, example)


def test_section_kinds_recognise_their_examples() -> None:
    for entry in load("sections")["kinds"]:
        assert entry["examples"], entry["kind"]
        for example in entry["examples"]:
            assert entry["kind"] in heading_kinds(example), (entry["kind"], example)


def test_body_end_examples() -> None:
    entry = load("sections")["end"]
    assert all(regex.match(entry["pattern"], e) for e in entry["examples"])


def test_metadata_patterns_recognise_their_examples() -> None:
    data = load("metadata")
    for key in ("number_line", "place_date", "subject_line", "body_start", "header_skip",
                "issuer_body", "motto", "central_issuer",
                "issuer_in_body", "recipients"):
        entry = data[key]
        pattern = regex.compile(entry.get("pattern") or entry["heading"])
        assert entry["examples"], key
        for example in entry["examples"]:
            assert pattern.search(example), (key, example)
    rules = _rules()
    for t in data["types"]:
        assert t["examples"] and all(rules.types[e] == t["code"] for e in t["examples"])
    for t in load("doc_types")["types"]:  # every cited type is read in a type-name line too
        assert rules.types[t["name"].upper()] == t["code"]
    signature = data["signature"]
    authority, position, name = (regex.compile(signature[k]) for k in
                                 ("authority", "position", "name"))
    a, b, c, d = signature["examples"]
    assert authority.match(a) and authority.match(b) and position.match(c) and name.match(d)


def test_central_issuers_have_no_locality() -> None:
    for example in load("metadata")["central_issuer"]["examples"]:
        assert _locality_of(example, "Hà Nội").level == "central", example


def test_provinces_resolve_their_examples() -> None:
    for province in load("provinces")["provinces"]:
        assert province["examples"], province["name"]
        issuer = province["examples"][0]
        locality = _locality_of(issuer, None)
        assert locality.name == province["name"] and locality.level == "province", issuer
        for variant in province["variants"]:
            assert _rules().provinces[variant.casefold()][0] == province["name"]


def test_number_words_have_examples() -> None:
    for entry in load("numbers")["words"]:
        assert entry["examples"]
        assert number_word(entry["word"]) == entry["value"]
        assert all(entry["word"] in e.lower().split() for e in entry["examples"])
