"""The layout stage's fast paths give what the general paths give."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kehoach_parser.layout.blocks import Token, _block_parser, block_tokens

# Lines that exercise every block rule the layout keeps on, and the text between them.
_LINES = st.sampled_from([
    "", " ", "   ", "Ủy ban nhân dân", "  thụt đầu dòng", "      sâu hơn", "**I. MỤC ĐÍCH**",
    "# Tiêu đề", "## **II. NHIỆM VỤ** ##", "### a #", "#### #", "   ## ba khoảng", "    # bốn",
    "#không", "#", "##", "####### bảy", "# ", "## x ## y", "*nghiêng* cuối  ", "a\\", "\f# trang",
    "> trích", ">", " > lồng > hai", "| a | b |", "| --- | --- |", "a | b", "--- | ---",
    "```", "~~~", "  ```py", "`mã`", "x\ty", "\ty", "có \0 rỗng", "- gạch", "1. số", "+ cộng",
    "&amp; [1]", "<b>", "-------", "===", "## a##", "# #", "chữ\x85", "\x1ctrước", "\u3000rộng ",
])


# The tokens whose lines the layout reads (a block quote's own span, which markdown-it
# runs on over the blank line after it, is not read).
_MAPPED = ("inline", "heading_open", "tr_open", "fence", "paragraph_open", "table_open")


def _read(tokens: list[Token]) -> list[Token]:
    return [t if t.type in _MAPPED else t._replace(map=None) for t in tokens]


def _markdown_it(texts: list[str]) -> list[Token]:
    return _read([Token(t.type, (t.map[0], t.map[1]) if t.map else None, t.content, t.markup)
                  for t in _block_parser().parse("\n".join(texts))])


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=14))
@example(["Ủy ban", "    # bốn", "   ## ba", "## a##", "", "> trích", "b", "", "| a |", "| - |"])
def test_block_tokens_are_markdown_its(texts: list[str]) -> None:
    """Paragraphs and headings cut without markdown-it, and the parts read by it one at a
    time, give markdown-it's tokens of the whole run."""
    assert _read(block_tokens(texts)) == _markdown_it(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=" #>|`~*\tab\n", max_size=8), max_size=10))
def test_block_tokens_on_any_markup(texts: list[str]) -> None:
    lines = "\n".join(texts).split("\n")
    assert _read(block_tokens(lines)) == _markdown_it(lines)
