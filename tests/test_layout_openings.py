"""Patterns behind their openings (:class:`~kehoach_parser.layout.cues.Opening`) and the
other pre-checks of the layout stage match as the patterns alone do."""

from __future__ import annotations

from typing import Any

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kehoach_parser import layout, patterns
from kehoach_parser.data import load
from kehoach_parser.layout import cues as cue
from kehoach_parser.layout import joining, shapes, source
from kehoach_parser.layout.cues import Opening, cues, fold
from kehoach_parser.layout.source import Piece, Src
from kehoach_parser.normalize import Builder


def _openings() -> list[Opening]:
    """Every opening of the layout stage: the cues', the block cues', the shapes'."""
    k = cues()
    found = [value for value in vars(k).values() if isinstance(value, Opening)]
    return [*found, *(opening for _, opening in k.block), shapes._OPENING,
            joining._LIST_NUMBER]


def _examples() -> list[str]:
    data = load("layout")
    lines = [e for part in data.values() for entry in part.values()
             if isinstance(entry, dict) for e in entry.get("examples", [])]
    return lines + [fold(line) for line in lines]


_TEXT = st.one_of(st.sampled_from(_examples()),
                  st.text(alphabet=st.sampled_from(list("aCcdhHkmnqstTuv:./- *•12I(Đ)=|Pi")),
                          max_size=12),
                  st.text(max_size=6))


@settings(max_examples=800, deadline=None)
@given(st.integers(0, 30), _TEXT)
@example(0, "trang 2")
@example(2, "Chương II")
def test_an_opening_turns_away_only_lines_that_cannot_match(which: int, text: str) -> None:
    openings = _openings()
    opening = openings[which % len(openings)]
    mine, theirs = opening.match(text), opening._pattern.match(text)
    assert (mine and mine.span()) == (theirs and theirs.span())


def test_every_example_line_passes_every_opening_it_matches() -> None:
    for opening in _openings():
        for text in _examples():
            mine, theirs = opening.match(text), opening._pattern.match(text)
            assert (mine and mine.span()) == (theirs and theirs.span())


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab -|\t:/")), max_size=20), st.integers(0, 3))
@example("a   b", 0)
@example("V/v x | Hà Nội", 1)
def test_a_column_gap_holds_three_spaces_or_a_pipe_and_a_space(text: str, start: int) -> None:
    """A line's segments are looked for only when one of these is in it."""
    end = max(start, len(text) - start)
    found = source._GAP_RE.search(text, start, end) is not None
    assert not found or text.find("   ", start, end) >= 0 or text.find("| ", start, end) >= 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB1-–\n .")), max_size=8))
def test_a_cut_identifier_ends_in_a_hyphen(before: str) -> None:
    found = joining._CUT_IDENTIFIER_RE.search(before, max(len(before) - 3, 0)) is not None
    assert not found or "-" in before[-2:]


_PIECES = st.lists(st.tuples(st.text(alphabet="aĐ -", max_size=6), st.booleans()), min_size=1,
                   max_size=4)


def _src(pieces: list[tuple[str, bool]]) -> Src:
    out: list[Piece] = []
    pos = 0
    for text, copied in pieces:
        out.append(Piece(text, pos, pos + len(text) + (0 if copied else 1), copy=copied))
        pos += len(text) + 1
    return Src(out)


@settings(max_examples=300, deadline=None)
@given(_PIECES)
def test_the_folded_opening_of_one_piece_is_that_of_its_pieces(pieces: list[tuple[str, bool]]
                                                                ) -> None:
    src = _src(pieces)
    text = " ".join(text for text, _ in pieces) * 30
    folded = fold(text)
    general = "".join([folded[p.start:p.end] if p.copy else fold(p.text)
                       for p in src.pieces])[:100]
    assert joining._Facts(src, folded).head == general


@settings(max_examples=300, deadline=None)
@given(_PIECES)
def test_a_line_of_one_source_line_is_put_as_a_group_of_one(pieces: list[tuple[str, bool]]
                                                             ) -> None:
    """The shortcut of ``_emit`` for a line of one source line, not a row."""
    src = _src(pieces)
    fast, slow = Builder(), Builder()
    fast.extend(src.pieces)
    assert layout._put_group([src], slow) == ()
    assert (fast.parts, fast.segments, fast.length) == (slow.parts, slow.segments, slow.length)


def _one_block_pattern() -> Any:
    """Every block cue in one pattern, a named group each (how they were matched once)."""
    c = load("layout")["cues"]
    positions = "|".join(regex.escape(fold(p)).replace(r"\ ", r"\s+") for p in
                         patterns.longest_first(load("issuers")["positions"]["words"]))
    return regex.compile("|".join(rf"(?P<{name}>{pattern})" for name, pattern in (
        ("motto", f"{c['motto']['pattern']}|{c['motto_wrapped']['pattern']}"
                  f"|{c['motto_line2']['pattern']}"),
        ("number", c["number"]["pattern"]), ("recipients", rf"(?=n){c['recipients']['pattern']}"),
        ("authority", c["authority"]["pattern"]), ("position", rf"^(?:{positions})$"),
        ("place_date", c["place_date"]["pattern"]))))


_NAMED = ("motto", "number", "recipients", "authority", "position", "place_date")


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6))
@example(["cong hoa xa hoi chu nghia viet nam", "cong hoa xa", "so: 12/kh-ubnd", "noi nhan:",
          "tm. uy ban",
          "chu tich", "lao cai, ngay 5 thang 3 nam 2026", "ha noi, ngay"])
def test_block_cues_tried_one_by_one_are_the_one_patterns(lines: list[str]) -> None:
    """The first cue that matches is the group the one pattern matches; read again, the
    line's cue is the one read first."""
    one = _one_block_pattern()
    for line in [*lines, *lines]:
        m = one.match(line)
        assert cue.block_cue(line) == (None if m is None else next(
            name for name in _NAMED if m.start(name) >= 0))


def _byte_folded() -> list[str]:
    """Every character that the fold in bytes takes (its lower case is one of the bytes')."""
    chars = set(cue._BYTE_CHARS) - {"\ufffe"}
    return [chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000
            and len(lower := chr(code).lower()) == 1 and lower in chars]


def test_the_fold_in_bytes_is_the_tables_for_each_character_it_takes() -> None:
    """Each character alone, and after others (the table's whole-text lower case applies to
    all or none: no character the bytes take changes length in it)."""
    for char in _byte_folded():
        out = char.translate(cue._FOLD)
        assert len(out.lower()) == 1
        long = "a" * cue._BYTES_FROM + char
        assert cue.fold(long) == cue._folded(long)
        assert cue.fold(char * cue._BYTES_FROM) == cue._folded(char * cue._BYTES_FROM)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(list("ẠạĐđÀàKK“…Σ ΣİAa")),
                                  st.characters()), max_size=40))
def test_a_long_text_is_folded_as_by_the_table(text: str) -> None:
    text = (text * (1 + cue._BYTES_FROM // max(len(text), 1)))[: cue._BYTES_FROM + 40]
    assert cue.fold(text) == cue._folded(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a1٣²05.,/ \n")), max_size=8))
def test_a_line_ending_in_a_number_ends_in_a_digit(before: str) -> None:
    found = joining._ENDS_NUMBER_RE.search(before, max(len(before) - 4, 0)) is not None
    assert not found or before[-1:].isdigit() or before.endswith("\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" a\u3000", max_size=3), st.booleans())
def test_a_line_of_one_piece_is_bold_as_a_line_of_pieces(text: str, bold: bool) -> None:
    """The shortcuts of ``Src.content`` and ``Src.bold`` for one piece."""
    one = Src([Piece(text, 0, len(text), bold)])
    two = Src([Piece(text, 0, len(text), bold), Piece("", len(text), len(text), bold)])
    assert (one.content, one.bold) == (two.content, two.bold)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" a\t", max_size=12), st.integers(0, 4), st.integers(0, 4))
def test_a_line_without_a_run_of_spaces_is_one_piece(text: str, lead: int, tail: int) -> None:
    """``squeezed`` as its general loop gives it, with or without a run of spaces."""
    start, end = min(lead, len(text)), max(min(lead, len(text)), len(text) - tail)
    pieces: list[Piece] = []
    last = start
    for m in source._SPACE_RUN_RE.finditer(text, start, end):
        pieces.append(Piece(text[last : m.start() + 1], last, m.start() + 1))
        last = m.end()
    if last < end:
        pieces.append(Piece(text[last:end], last, end))
    assert source.squeezed(text, start, end) == pieces
