"""The foundation's data files, tested both ways: each example is recognised by its own
entry, and each entry has examples."""

from __future__ import annotations

import regex

from kehoach_parser.data import load
from kehoach_parser.layout import fold, read_layout
from kehoach_parser.layout.cues import cues, type_names
from kehoach_parser.localities import locality_of, province
from kehoach_parser.normalize import normalize_chars
from kehoach_parser.numbers import number_word
from kehoach_parser.sections import heading_kinds, split_sections


def test_layout_cues_recognise_their_examples() -> None:
    data = load("layout")
    for group in ("cues", "furniture"):
        for name, entry in data[group].items():
            assert entry["examples"], name
            pattern = regex.compile(entry["pattern"])
            for example in entry["examples"]:
                assert pattern.search(fold(normalize_chars(example)[0])), (name, example)
            for line in entry.get("counterexamples", []):
                assert not pattern.search(fold(normalize_chars(line)[0])), (name, line)


def test_positions_are_read_as_positions() -> None:
    for word in load("issuers")["positions"]["words"]:
        assert cues().position.match(fold(word.upper())), word


def test_heading_shapes_recognise_their_examples() -> None:
    for name, entry in load("layout")["headings"].items():
        assert entry["examples"], name
        pattern = regex.compile(entry["pattern"])
        for example in entry["examples"]:
            assert pattern.match(example), (name, example)
            if name == "division":  # no section: the Roman parts under it start over
                tree = split_sections(read_layout(
                    f"I. MỤC TIÊU\nII. NHIỆM VỤ\n**{example}**\nI. GIẢI PHÁP\nII. KINH PHÍ"))
                assert [s.number for s in tree] == ["I", "II", "I", "II"], example
                continue
            # and the splitter takes it as a heading when it opens a document
            tree = split_sections(read_layout(f"**{example}**"))
            assert tree and tree[0].level == 1, (name, example)
        for line in entry.get("counterexamples", []):
            assert not pattern.match(line), (name, line)


def test_type_lines_are_read_for_every_type() -> None:
    for name, code in type_names().items():
        assert cues().types[fold(name)] == code
        assert cues().type_re.match(fold(name.upper())), name


def test_section_kinds_recognise_their_examples() -> None:
    data = load("sections")
    for entry in data["kinds"]:
        assert entry["examples"], entry["kind"]
        for example in entry["examples"]:
            assert entry["kind"] in heading_kinds(example), (entry["kind"], example)
    for key in ("lead", "heads"):
        for example in data[key]["examples"]:
            assert regex.search(data[key]["pattern"], fold(example).split(". ", 1)[-1]), example


def test_metadata_patterns_recognise_their_examples() -> None:
    data = load("metadata")
    for key in ("number_line", "central_issuer", "issuer_in_body", "plan_year", "adopted_by"):
        entry = data[key]
        pattern = regex.compile(entry["pattern"], regex.IGNORECASE)
        assert entry["examples"], key
        for example in entry["examples"]:
            assert pattern.search(example), (key, example)
    for t in data["types"]:
        assert t["examples"] and all(cues().types[fold(e)] == t["code"] for e in t["examples"])


def test_plan_year_both_ways_and_without_diacritics() -> None:
    from kehoach_parser.metadata import _plan_year

    entry = load("metadata")["plan_year"]
    for example in entry["not_examples"]:
        assert _plan_year("KH", example, None) is None, example
    for example in entry["unmarked_examples"]:
        assert _plan_year("KH", example, None) is not None, example
        assert regex.search(entry["unmarked"], fold(example)), example
    for example in entry["unmarked_not_examples"]:
        assert _plan_year("KH", example, None) is None, example
    # a place named Nam in a marked title is no year
    assert _plan_year("KH", "Phát triển du lịch tỉnh Hà Nam 2026 - 2030", None) == 2026
    assert _plan_year("KH", "Hỗ trợ doanh nghiệp Quảng Nam 2025", None) is None


def test_central_issuers_have_no_locality() -> None:
    for example in load("metadata")["central_issuer"]["examples"]:
        assert locality_of(example, "Hà Nội").level == "central", example


def test_provinces_resolve_their_examples() -> None:
    for entry in load("provinces")["provinces"]:
        assert entry["examples"], entry["name"]
        issuer = entry["examples"][0]
        locality = locality_of(issuer, None)
        assert locality.name == entry["name"] and locality.level == "province", issuer
        for variant in entry["variants"]:
            known = province(variant)
            assert known is not None and known[0] == entry["name"]


def test_number_words_have_examples() -> None:
    for entry in load("numbers")["words"]:
        assert entry["examples"]
        assert number_word(entry["word"]) == entry["value"]
        assert all(entry["word"] in e.lower().split() for e in entry["examples"])
