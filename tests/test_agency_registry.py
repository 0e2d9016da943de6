"""Agency registry (data/agencies.toml): every entry tested both ways, then name resolution
and the gazetteer on real wording."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import load_cases
from kehoach_parser.agency_registry import (
    Entry,
    entries,
    find_bodies,
    match_body,
    name_key,
    resolve,
    tail_of,
)
from kehoach_parser.data import load
from kehoach_parser.normalize import fold_tones

ENTRIES = list(entries())
CASES = load_cases("agencies_registry.toml")


def test_canonical_names_are_unique() -> None:
    canonicals = [e.canonical for e in ENTRIES]
    assert len(canonicals) == len(set(canonicals))
    keys = [name_key(c) for c in canonicals]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.canonical for e in ENTRIES])
def test_names_and_examples_resolve_to_their_entry(entry: Entry) -> None:
    assert entry.examples, "every entry needs real examples"
    for name in (entry.canonical, *entry.variants, *entry.examples):
        assert resolve(name, entry.level) is entry, name


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.canonical for e in ENTRIES])
def test_the_gazetteer_finds_each_example_whole(entry: Entry) -> None:
    for example in entry.examples:
        body = match_body(example)
        assert body is not None and body.end == len(example), example
        assert entry in body.entries, example


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.canonical for e in ENTRIES])
def test_a_body_at_a_position_is_the_one_the_whole_gazetteer_finds(entry: Entry) -> None:
    """match_body tries only the stems of the first two words at a position: it finds what
    the gazetteer of every stem finds there, written as the data has it, with spacing and
    case changed, "&" spaced out, and after a comma."""
    for example in (*entry.examples, entry.canonical, *entry.variants):
        for text in (example, example.upper(), example.lower(), example.replace(" ", "  "),
                     example.replace("&", " & "), f"{example}, Sở Y tế"):
            whole = [b for b in find_bodies(text) if b.start == 0][:1]
            body = match_body(text)
            assert ([body] if body else []) == whole, text


def test_successors_are_entries_with_a_date() -> None:
    canonicals = {e.canonical for e in ENTRIES}
    for entry in ENTRIES:
        assert (entry.successor is None) == (entry.successor_from is None), entry.canonical
        if entry.successor is not None and entry.successor_from is not None:
            assert entry.successor in canonicals, entry.successor
            assert date.fromisoformat(entry.successor_from).year == 2025


def _entry(name: str) -> Entry:
    entry = resolve(name)
    assert entry is not None, name
    return entry


def test_the_2025_reorganisation() -> None:
    assert _entry("Sở Lao động - Thương binh và Xã hội").successor == "Sở Nội vụ"
    assert _entry("Bộ Chỉ huy Bộ đội Biên phòng tỉnh").successor == (
        "Ban Chỉ huy Bộ đội Biên phòng tỉnh")
    assert _entry("Công an quận").successor == "Công an tỉnh"
    assert _entry("UBND các huyện, thị xã").successor == "Ủy ban nhân dân xã"
    assert _entry("Sở Y tế").successor is None
    # The social-evils work went to the Sở Y tế: said in the note, with its source.
    assert "Sở Y tế" in _entry("Sở LĐ-TB&XH").note


def test_level_words_have_examples() -> None:
    """The level words are read from their one home (data/issuers.toml [[levels]]) and the
    agency-only tail words ([[tail_word]]): each example's tail gives its levels."""
    words = [*load("issuers")["levels"], *load("agencies")["tail_word"]]
    assert "level_words" not in load("agencies")  # no copy of the levels
    for word in words:
        assert word["examples"], word["word"]
        # A Party committee's examples name the committee itself; its bodies end with it.
        examples = ([f"Ban Dân vận {form}" for form in (word["word"], *word.get("forms", []))]
                    if word.get("party") else word["examples"])
        for example in map(fold_tones, examples):  # as the normalized text writes it
            levels = {lv for b in find_bodies(example) if b.tail for lv in b.tail.levels}
            assert levels & set(word["levels"]), (word["word"], example)


def test_tail_data_both_ways() -> None:
    tails = load("agencies")["tails"]
    for example in tails["examples"]:  # a region closes the name, whole
        tail = tail_of(example)
        assert tail is not None and tail.region and example.endswith(tail.region), example
    # A compound that holds a level word names no level.
    assert tail_of("Liên minh Hợp tác xã") is None
    assert tail_of("Sở Lao động - Thương binh và Xã hội") is None
    tail = tail_of("Liên minh Hợp tác xã tỉnh")
    assert tail is not None and tail.words == "tỉnh"
    tail = tail_of("Ủy ban nhân dân địa bàn cấp xã")  # a filler before the level
    assert tail is not None and tail.levels == ("commune",)


@pytest.mark.parametrize("case", CASES["resolve"], ids=[c["name"] for c in CASES["resolve"]])
def test_resolve(case: dict[str, Any]) -> None:
    entry = resolve(case["name"], case.get("level"))
    assert entry is not None and entry.canonical == case["canonical"]


@pytest.mark.parametrize("case", CASES["unknown"], ids=[c["name"] for c in CASES["unknown"]])
def test_unknown_names_do_not_resolve(case: dict[str, Any]) -> None:
    assert resolve(case["name"]) is None


def test_bodies_inside_a_task() -> None:
    text = ("Phối hợp với Sở Lao động - Thương binh và Xã hội, Công an tỉnh, Ủy ban Mặt trận Tổ "
            "quốc Việt Nam tỉnh chỉ đạo, hướng dẫn các địa phương")
    found = [text[b.start:b.end] for b in find_bodies(text)]
    assert found == ["Sở Lao động - Thương binh và Xã hội", "Công an tỉnh",
                     "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]


@pytest.mark.parametrize(
    "text",
    [
        "phòng, chống mại dâm",  # "Phòng" is a head word, but not before a comma
        "báo cáo kết quả",
        "Thanh tra Sở Y tế",  # "Thanh tra" needs a level word; the Sở is found on its own
        "Bộ chỉ huy Bộ đội biên phòng tỉnh\nChủ trì",  # a tail never crosses a line
    ],
)
def test_the_gazetteer_does_not_overreach(text: str) -> None:
    for body in find_bodies(text):
        name = text[body.start:body.end]
        assert "\n" not in name and not name.casefold().startswith(("phòng", "báo")), name
    if text.startswith("Thanh tra"):
        assert [text[b.start:b.end] for b in find_bodies(text)] == ["Sở Y tế"]


def test_tail_of() -> None:
    tail = tail_of("Trung tâm Văn hóa - Thông tin và Thể thao các quận, huyện")
    assert tail is not None and tail.words == "các quận, huyện"
    assert tail.levels == ("district",) and tail.plural
    tail = tail_of("Công an tỉnh Lào Cai")
    assert tail is not None and (tail.words, tail.place) == ("tỉnh", "Lào Cai")
    assert tail_of("Cục Hóa chất") is None
    tail = tail_of("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương")
    assert tail is not None and tail.levels == ("province",)


def test_a_place_after_a_stem_must_be_known() -> None:
    body = match_body("Báo Lai Châu")
    assert body is not None and body.tail is not None and body.tail.place == "Lai Châu"
    assert match_body("Báo Nhân Dân") is None  # not a province, and "Báo" needs one
    body = match_body("Thành Đoàn Dương Kinh", places=["Dương Kinh"])
    assert body is not None and body.end == len("Thành Đoàn Dương Kinh")
