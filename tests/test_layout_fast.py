"""The layout stage's fast paths give what the general paths give."""

from __future__ import annotations

from dataclasses import astuple
from typing import Any

import regex
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kehoach_parser.layout import joining, markdown, read_layout
from kehoach_parser.layout.blocks import READ, Token, _block_parser, block_tokens, parser
from kehoach_parser.layout.cues import WORD_START_RE, cue_starts, cues, fold, is_caps
from kehoach_parser.layout.emphasis import inline_tokens
from kehoach_parser.layout.source import Piece, Src, physical_lines, trimmed
from kehoach_parser.normalize import normalize_chars

# Lines that exercise every block rule the layout keeps on, and the text between them.
_LINES = st.sampled_from([
    "", " ", "   ", "Ủy ban nhân dân", "  thụt đầu dòng", "      sâu hơn", "**I. MỤC ĐÍCH**",
    "# Tiêu đề", "## **II. NHIỆM VỤ** ##", "### a #", "#### #", "   ## ba khoảng", "    # bốn",
    "#không", "#", "##", "####### bảy", "# ", "## x ## y", "*nghiêng* cuối  ", "a\\", "\f# trang",
    "> trích", ">", " > lồng > hai", "| a | b |", "| --- | --- |", "a | b", "--- | ---",
    "```", "~~~", "  ```py", "`mã`", "x\ty", "\ty", "có \0 rỗng", "- gạch", "1. số", "+ cộng",
    "&amp; [1]", "<b>", "-------", "===", "## a##", "# #", "chữ\x85", "\x1ctrước", "\u3000rộng ",
])


def _markdown_it(texts: list[str]) -> list[Token]:
    return [Token(t.type, (t.map[0], t.map[1]) if t.map else None, t.content, t.markup)
            for t in _block_parser().parse("\n".join(texts)) if t.type in READ]


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=14))
@example(["Ủy ban", "    # bốn", "   ## ba", "## a##", "", "> trích", "b", "", "| a |", "| - |"])
def test_block_tokens_are_markdown_its(texts: list[str]) -> None:
    """Paragraphs and headings cut without markdown-it, and the parts read by it one at a
    time, give markdown-it's tokens of the whole run."""
    assert block_tokens(texts) == _markdown_it(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=" #>|`~*\tab\n", max_size=8), max_size=10))
def test_block_tokens_on_any_markup(texts: list[str]) -> None:
    lines = "\n".join(texts).split("\n")
    assert block_tokens(lines) == _markdown_it(lines)


def _layout_facts(raw: str) -> tuple[Any, ...]:
    """Everything the layout gives of ``raw``: text, lines (their blocks' ids, a counter's
    read for equality only, as the order they come in), zones, offsets."""
    lay = read_layout(raw)
    ids: dict[int, int] = {}
    for line in lay.lines:
        line.block = ids.setdefault(line.block, len(ids)) if line.block >= 0 else -1
    offsets = [(lay.offsets.to_raw(i), lay.offsets.to_raw_end(i)) for i in range(len(lay.text) + 1)]
    return lay.text, [astuple(line) for line in lay.lines], lay.zones, offsets


def _sources(raw: str) -> list[tuple[Any, ...]]:
    """The markdown source lines of ``raw`` (without their paragraph ids, a counter)."""
    phys = physical_lines(normalize_chars(raw)[0])
    return [(s.pieces, s.bold_into, s.emph_into, s.hard_before, s.heading, s.ends_para,
             s.para_lines, s.blank_before) for s in markdown.flow_lines(phys, phys.lines)]


def _fast_and_slow(raw: str, name: str, slow_path: Any) -> tuple[Any, Any]:
    """What the layout gives of ``raw``, and what it gives with ``markdown.<name>`` replaced
    by ``slow_path`` (a pattern that never matches, a reader that never answers): the fast
    path turned off, the general one taken."""
    fast = _sources(raw), _layout_facts(raw)
    saved = getattr(markdown, name)
    setattr(markdown, name, slow_path)
    try:
        return fast, (_sources(raw), _layout_facts(raw))
    finally:
        setattr(markdown, name, saved)


_WORDS = st.one_of(st.text(alphabet=st.sampled_from(list("aăđơ ÁẠ.,;()-")), min_size=1, max_size=8),
                   st.sampled_from(["\u3000x", "x\f", "a*b", "(1)", "-"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "## ", "> ", "* ", "   "]),
                          st.sampled_from(["*", "**", "***", "_"]),
                          st.lists(st.tuples(st.sampled_from(["", " ", "  "]), _WORDS,
                                             st.sampled_from(["", " ", "  ", "   "])),
                                   min_size=1, max_size=4)),
                min_size=1, max_size=4))
@example([("", "**", [("", "ab", "  "), (" ", "cd", " "), ("  ", "ef", "")]),
          ("", "*", [("", "gh", " "), ("", "ij", "")])])
def test_a_paragraph_in_bold_or_italics_reads_as_markdown_it_reads_it(
        paragraphs: list[tuple[str, str, list[tuple[str, str, str]]]]) -> None:
    """The fast path for a paragraph all in bold or in italics (over lines, hard breaks
    included) gives what markdown-it's tokens give."""
    raw = "\n\n".join(prefix + mark + "\n".join(a + words + b for a, words, b in lines) + mark
                      for prefix, mark, lines in paragraphs) + "\n\n*x*"
    fast, slow = _fast_and_slow(raw, "_WRAPPED_RE", regex.compile(r"(?!)"))
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_fold_is_one_character_at_a_time(a: str, b: str) -> None:
    """fold maps each character on its own: a slice of a folded text is the fold of the
    slice (the physical lines and cells read slices of the text folded once)."""
    assert fold(a + b) == fold(a) + fold(b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["doc lap - tu do", "tm. uy ban", "kt.chu tich", "t/m ban",
                                 "ha noi, ngay 5", "lao cai , ngay", "so: 12/kh-ubnd", "so:",
                                 "cong hoa", "viet nam", "q.", "tl", "- ", "x", "  "]),
                max_size=8))
def test_cue_starts_match_in_place_as_on_the_rest_of_the_line(words: list[str]) -> None:
    """Cues matched at each word's offset (no copy of the rest of the line) are the cues
    matched on the rest of the line cut off."""
    folded = " ".join(words)
    k = cues()
    expected = [m.start() for m in WORD_START_RE.finditer(folded)
                if k.motto_line2.match(folded[m.start():]) or k.authority.match(
                    folded[m.start():]) or (k.place_date.match(folded[m.start():])
                                            and k.number.match(folded[:m.start()]))]
    assert cue_starts(folded) == expected


def _caps_by_count(text: str, share: float = 0.8, least: int = 2) -> bool:
    """is_caps by its definition, without its early answers: letters counted one by one."""
    head = text[:120]
    if head == head.upper():
        return len(regex.findall(r"\p{Lu}", head)) >= least
    lower = sum(map(str.islower, head))
    if lower > (1 - share) * len(head):
        return False
    upper = sum(map(str.isupper, head))
    return upper + lower >= least and upper >= share * (upper + lower)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(list("aẠbĐđ ỦY BAN 12.-ß")), st.characters()),
               max_size=150), st.sampled_from([(0.8, 2), (1.0, 1), (1.0, 3)]))
@example("A\u01c5", (1.0, 1))
@example("UBND TỈNH LÀO CAI về việc", (0.8, 2))
def test_is_caps_counts_as_its_definition(text: str, args: tuple[float, int]) -> None:
    """The counts at C speed (ASCII lower-case letters first) decide as counting each
    letter does."""
    share, least = args
    assert is_caps(text, share=share, least=least) == _caps_by_count(text, share, least)


_CELLS = st.lists(st.sampled_from(["", " ", " TT ", "Nhiệm vụ", " Cục Biến đổi khí hậu ",
                                   " 2024 - 2025 ", "**đậm**", " *Hà Nội* ", "a\\|b", " 1. ",
                                   "x&y", "  hai  khoảng  "]), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=4), st.booleans())
def test_a_plain_table_cell_reads_as_markdown_it_reads_it(rows: list[list[str]],
                                                         outer: bool) -> None:
    """A pipe table's cells without markup, read without markdown-it's inline parser, give
    what its tokens give."""
    width = len(rows[0])
    lines = [" | ".join(["h"] * width), " | ".join(["---"] * width)]
    lines += [" | ".join((row * width)[:width]) for row in rows]
    raw = "\n".join(f"| {line} |" if outer else line for line in lines) + "\n\n**x**"
    fast, slow = _fast_and_slow(raw, "_PLAIN_CELL_RE", regex.compile(r"(?!)"))
    assert fast == slow


def test_what_the_patterns_take_for_white_space_python_strips() -> None:
    """The sentence end is looked for before the line's trailing white space as str.rstrip
    finds it: every character regex reads as white space is one str.rstrip strips."""
    space = regex.compile(r"\s")
    assert all(chr(c).isspace() for c in range(0x10000) if space.match(chr(c)))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .;:!?)\"”'’*/\u3000\x1c\n-")), max_size=30))
@example("a./")
@example("xong. ) ”*")
def test_a_sentence_end_is_found_near_the_end_as_along_the_line(text: str) -> None:
    src = Src([Piece(text, 0, len(text))]) if text else Src([])
    found = joining._Facts(src, text).ended
    assert found == (joining._SENTENCE_END_RE.search(text) is not None)


_EMPHASIS = st.lists(st.sampled_from(
    ["*", "**", "***", " ", "  ", "a", "Đ", ".", ",", "(", ")", "“", "”", "%", "-", ":", "1",
     "\n", "  \n", " \n", "\u3000", "\xa0", "\f", "\t", "$", "+", "=", "@", "&", "!",
     "]", "~", ">", "TN&MT", "R&D", "&#", "a!b"]),
    max_size=24).map("".join)


@settings(max_examples=600, deadline=None)
@given(_EMPHASIS)
@example("**1.** Các sở *(gọi\ntắt là Hội đồng).*")
@example("**6.****\n**Đẩy mạnh;")
@example("*a **b** c*  \nd***e*")
def test_emphasis_tokens_are_markdown_its(content: str) -> None:
    """The inline tokens of a text whose only markup is "*", made without markdown-it, are
    its tokens."""
    mine = inline_tokens(content)
    assume(mine is not None)  # what may be an entity is markdown-it's to read
    assert mine is not None
    theirs = parser().parseInline(content)[0].children or []
    assert [(t.type, t.content, t.markup) for t in mine] == [
        (t.type, t.content, t.markup) for t in theirs]


def test_emphasis_tokens_leave_other_markup_to_markdown_it() -> None:
    assert all(inline_tokens(f"a {mark} *b*") is None
               for mark in ["_", "\\", "`", "[", "<", "\0", "\r", "&amp;", "&#39;", "&x1;"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_EMPHASIS.filter(lambda text: text.strip()), min_size=1, max_size=4))
def test_paragraphs_with_emphasis_read_as_with_markdown_it(paragraphs: list[str]) -> None:
    raw = "\n\n".join("x " + text + " y" for text in paragraphs)
    fast, slow = _fast_and_slow(raw, "inline_tokens", lambda content: None)
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab  \t\u3000\f.")), max_size=12),
       st.integers(0, 5), st.booleans(), st.booleans(), st.booleans())
def test_one_piece_is_trimmed_as_in_a_line_of_pieces(text: str, start: int, copy: bool,
                                                     squeeze: bool, short: bool) -> None:
    """The shortcut for one piece with nothing to strip gives what the general trim gives
    (an empty piece after it sends the line down the general path)."""
    end = start + len(text) - (1 if short and text else 0)
    piece = Piece(text, start, end, copy=copy)
    assert trimmed([piece], squeeze=squeeze) == trimmed(
        [piece, Piece("", end, end)], squeeze=squeeze)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["KẾ HOẠCH", "Phòng, chống thiên tai", "**I. MỤC ĐÍCH**",
                                 "UBND TỈNH", "1 | Tỷ lệ | 70%", "|", "tỉnh chủ trì", "",
                                 "ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
                min_size=1, max_size=12))
def test_a_lines_capitals_are_read_off_its_text(lines: list[str]) -> None:
    """The capitals a line of one source line takes from it are the line's own."""
    lay = read_layout("\n".join(lines))
    assert [line.caps for line in lay.lines] == [is_caps(lay.line_text(line))
                                                 for line in lay.lines]
