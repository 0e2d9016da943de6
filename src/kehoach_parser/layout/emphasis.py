"""Nhấn mạnh (emphasis): markdown-it's inline tokens of a paragraph whose only markup is ``*``.

A saved page marks bold and italics with ``*`` in the middle of its paragraphs ("**1.** Các
sở", "… *(gọi tắt là Hội đồng thi đua).*"): without any other markup character, markdown-it
reads such a paragraph with three of its inline rules only (text, line breaks, emphasis) and
its delimiter pairing. They are followed here step by step, the same tokens made without
building its parser state for each paragraph (which costs more than the rest of the layout
of that paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

from .. import patterns
from .blocks import Token

# Any of these and markdown-it reads more than text, breaks and "*" (or replaces a NUL): an
# underscore, an escape, code, a link or an image (both open with "["), an autolink or HTML,
# what may be an entity ("TN&MT" is text). "!", "]", "~" and ">" alone are text to it.
_OTHER_MARKUP_RE = patterns.compile(r"[_\\`\[<\0\r]|&(?=#|[A-Za-z][A-Za-z0-9]*;)")
_PLAIN_RUN_RE = patterns.compile(r"[^*\n]+")


@dataclass(slots=True)
class _Delimiter:
    """One "*" of a run (markdown-it's ``Delimiter``)."""

    token: int
    length: int
    open: bool
    close: bool
    end: int = -1


@dataclass(slots=True)
class _Tok:
    type: str
    content: str = ""
    markup: str = ""


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _delimiters(content: str, pos: int, tokens: list[_Tok], out: list[_Delimiter]) -> int:
    """The run of "*" at ``pos`` as text tokens and delimiters (``scanDelims``); its end."""
    end = pos
    while end < len(content) and content[end] == "*":
        end += 1
    before = content[pos - 1] if pos > 0 else " "
    after = content[end] if end < len(content) else " "
    left = not (isWhiteSpace(ord(after))
                or (_punct(after) and not (isWhiteSpace(ord(before)) or _punct(before))))
    right = not (isWhiteSpace(ord(before))
                 or (_punct(before) and not (isWhiteSpace(ord(after)) or _punct(after))))
    for _ in range(end - pos):
        tokens.append(_Tok("text", "*"))
        out.append(_Delimiter(len(tokens) - 1, end - pos, left, right))
    return end


def _pair(delims: list[_Delimiter]) -> None:
    """markdown-it's ``processDelimiters`` for one marker."""
    bottoms = [-1] * 6
    header = 0
    last_token = -2
    jumps: list[int] = []
    for closer_at, closer in enumerate(delims):
        jumps.append(0)
        if last_token != closer.token - 1:
            header = closer_at
        last_token = closer.token
        if not closer.close:
            continue
        bottom = (3 if closer.open else 0) + closer.length % 3
        opener_at = header - jumps[header] - 1
        new_bottom = opener_at
        while opener_at > bottoms[bottom]:
            opener = delims[opener_at]
            if opener.open and opener.end < 0 and not (
                    (opener.close or closer.open) and (opener.length + closer.length) % 3 == 0
                    and (opener.length % 3 != 0 or closer.length % 3 != 0)):
                jump = (jumps[opener_at - 1] + 1
                        if opener_at > 0 and not delims[opener_at - 1].open else 0)
                jumps[closer_at] = closer_at - opener_at + jump
                jumps[opener_at] = jump
                closer.open = False
                opener.end = closer_at
                opener.close = False
                new_bottom = -1
                last_token = -2
                break
            opener_at -= jumps[opener_at] + 1
        if new_bottom != -1:
            bottoms[bottom] = new_bottom


def _tag(tokens: list[_Tok], delims: list[_Delimiter]) -> None:
    """markdown-it's emphasis ``postProcess``: paired markers become tags."""
    i = len(delims) - 1
    while i >= 0:
        start = delims[i]
        if start.end == -1:
            i -= 1
            continue
        end = delims[start.end]
        strong = (i > 0 and delims[i - 1].end == start.end + 1
                  and delims[i - 1].token == start.token - 1
                  and delims[start.end + 1].token == end.token + 1)
        kind, mark = ("strong", "**") if strong else ("em", "*")
        tokens[start.token] = _Tok(kind + "_open", markup=mark)
        tokens[end.token] = _Tok(kind + "_close", markup=mark)
        if strong:
            tokens[delims[i - 1].token].content = ""
            tokens[delims[start.end + 1].token].content = ""
            i -= 1
        i -= 1


def inline_tokens(content: str) -> list[Token] | None:
    """markdown-it's inline tokens of ``content`` (the types, text and markup the layout
    reads), or None when it holds markup other than "*"."""
    if _OTHER_MARKUP_RE.search(content):
        return None
    tokens: list[_Tok] = []
    delims: list[_Delimiter] = []
    pending = ""
    pos, n = 0, len(content)
    while pos < n:
        char = content[pos]
        if char == "*":
            if pending:
                tokens.append(_Tok("text", pending))
                pending = ""
            pos = _delimiters(content, pos, tokens, delims)
        elif char == "\n":  # markdown-it's newline rule
            kind = "softbreak"
            if pending.endswith("  "):
                pending, kind = pending.rstrip(" "), "hardbreak"
            elif pending.endswith(" "):
                pending = pending[:-1]
            if pending:
                tokens.append(_Tok("text", pending))
                pending = ""
            tokens.append(_Tok(kind))
            pos += 1
            while pos < n and content[pos] in " \t":
                pos += 1
        else:
            run = _PLAIN_RUN_RE.match(content, pos)
            assert run is not None
            pending += run.group()
            pos = run.end()
    if pending:
        tokens.append(_Tok("text", pending))
    _pair(delims)
    _tag(tokens, delims)
    out: list[Token] = []
    for tok in tokens:  # fragments_join: adjacent text tokens are one
        if tok.type == "text" and out and out[-1].type == "text":
            out[-1] = out[-1]._replace(content=out[-1].content + tok.content)
        else:
            out.append(Token(tok.type, content=tok.content, markup=tok.markup))
    return out
