"""Blocs markdown (markdown blocks): the paragraphs and headings of a run of lines.

markdown-it-py reads a run of lines into block tokens; with the rules the layout keeps on
(:func:`parser`: paragraphs, ATX headings, pipe tables, fences, block quotes), the parts of a
run between blank lines that hold no ``|``, no ``>``, ``` ` ``` or ``~`` at a line's start
(and no tab, NUL or carriage return, which markdown-it reads specially) can only be
paragraphs and headings. Those are cut here, as markdown-it cuts them, without running it
(it costs about as much per line as the rest of the layout stage); the other parts are
handed to it. The tokens are the few facts the layout reads of markdown-it's.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_CHARS

from .. import patterns

# What another block rule may read: a table's pipe, a block quote or a fence at a line's
# start; characters markdown-it rewrites or counts apart (tabs, NUL, CR).
_OTHER_RE = patterns.compile(r"[|\t\0\r]|\n *[>`~]")
_FENCE_RE = patterns.compile(r"\n *[`~]")
# An ATX heading line: up to six "#", then a space or the end (any indentation: the "code"
# rule is off).
_HEADING_RE = patterns.compile(r"[ ]*(#{1,6})(?: |$)")


class Token(NamedTuple):
    """What the layout reads of a markdown-it block token."""

    type: str
    map: tuple[int, int] | None = None  # the lines it covers, [first, end)
    content: str = ""  # an inline token's text
    markup: str = ""  # a heading's "#"s


@cache
def parser() -> MarkdownIt:
    """markdown-it with the rules administrative documents need, inline pass included.

    Indented code, setext headings, rules, HTML blocks and link definitions are not how
    administrative documents use these characters: a "-------" under the issuer is a rule
    of the header block, "[1] …" a footnote. Lists are read as lines ("- …", "1. …" keep
    their marks as text: the numbering is the section tree's).
    """
    md = MarkdownIt("commonmark").enable("table")
    md.disable(["code", "lheading", "hr", "html_block", "reference", "list", "text_join"])
    return md


@cache
def _block_parser() -> MarkdownIt:
    """:func:`parser` without the inline pass (inline content is read apart)."""
    md = MarkdownIt("commonmark").enable("table")
    md.disable(["code", "lheading", "hr", "html_block", "reference", "list", "text_join",
                "inline"])
    return md


# The tokens the layout reads (not the paragraphs' or block quotes' own).
READ = frozenset({"heading_open", "heading_close", "inline", "table_open", "table_close",
                  "tr_open", "fence"})


def _markdown_it(texts: list[str], first: int, end: int) -> list[Token]:
    """markdown-it's tokens of lines ``[first, end)`` (their maps in the run's lines)."""
    out: list[Token] = []
    for tok in _block_parser().parse("\n".join(texts[first:end])):
        if tok.type in READ:
            span = (tok.map[0] + first, tok.map[1] + first) if tok.map else None
            out.append(Token(tok.type, span, tok.content, tok.markup))
    return out


def _heading(line: str, at: int) -> list[Token]:
    """The tokens of the heading line ``at`` (markdown-it's ``heading`` rule)."""
    m = _HEADING_RE.match(line)
    assert m is not None
    level = len(m.group(1))
    body = line[m.end(1):].rstrip(" ")
    # A closing run of "#" goes when a space is before it.
    closing = body.rstrip("#")
    if closing != body and closing.endswith(" "):
        body = closing
    span = (at, at + 1)
    mark = "#" * level
    return [Token("heading_open", span, markup=mark),
            Token("inline", span, body.strip(MD_TRIM_CHARS)), Token("heading_close", markup=mark)]


def _plain_blocks(texts: list[str], first: int, end: int, chunk: str) -> list[Token]:
    """Paragraphs and headings of lines ``[first, end)`` (``chunk``, joined): none blank,
    none that another block rule reads. A paragraph goes on until a heading line indented at
    most three spaces (deeper, markdown-it takes any line for the paragraph's lazy
    continuation)."""
    if "#" not in chunk:
        return _paragraph(first, end, chunk)
    out: list[Token] = []
    i = first
    while i < end:
        if _HEADING_RE.match(texts[i]):
            out.extend(_heading(texts[i], i))
            i += 1
            continue
        j = i + 1
        while j < end and not (_HEADING_RE.match(texts[j])
                               and len(texts[j]) - len(texts[j].lstrip(" ")) <= 3):
            j += 1
        out.extend(_paragraph(i, j, "\n".join(texts[i:j])))
        i = j
    return out


def _paragraph(first: int, end: int, text: str) -> list[Token]:
    return [Token("inline", (first, end), text.strip(MD_TRIM_CHARS))]


def block_tokens(texts: list[str]) -> list[Token]:
    """markdown-it's block tokens of the lines ``texts`` that the layout reads (:data:`READ`),
    each part between blank lines read alone."""
    out: list[Token] = []
    i, n = 0, len(texts)
    while i < n:
        if not texts[i].strip(" \t"):  # markdown-it's blank line
            i += 1
            continue
        j = i + 1
        while j < n and texts[j].strip(" \t"):
            j += 1
        chunk = "\n".join(texts[i:j])
        if _OTHER_RE.search("\n" + chunk):
            if _FENCE_RE.search("\n" + chunk):
                # A fence may hold blank lines: markdown-it reads the rest of the run.
                out.extend(_markdown_it(texts, i, n))
                break
            out.extend(_markdown_it(texts, i, j))
        else:
            out.extend(_plain_blocks(texts, i, j, chunk))
        i = j
    return out
