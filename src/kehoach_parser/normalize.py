"""Chuẩn hóa ký tự (character normalization) with an offset map back to the raw input.

The character pass: Unicode NFC, one tone-mark convention (``hoá`` → ``hóa``, ``Thuỷ`` →
``Thủy``, ``Uỷ`` → ``Ủy``: the tone sits on the first vowel of an open ``oa``, ``oe``,
``uy``), dash variants → ``-``, no-break and odd spaces → space, zero-width marks dropped.
Structure (markdown, wrapped lines, header and closing blocks, zones) is the layout stage's
(:mod:`kehoach_parser.layout`); :func:`normalize` runs both.

>>> n = normalize("## **I. MỤC ĐÍCH**\\n\\nHoà nhập cộng đồng, dịch\\nvụ xã hội")
>>> n.text
'I. MỤC ĐÍCH\\nHòa nhập cộng đồng, dịch vụ xã hội'
>>> n.lines[0].bold, n.lines[0].heading
(True, 2)
>>> raw = "## **I. MỤC ĐÍCH**\\n\\nHoà nhập cộng đồng, dịch\\nvụ xã hội"
>>> s, e = n.to_raw_span((12, 20))
>>> raw[s:e]
'Hoà nhập'
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, cast

import regex

from . import patterns

_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)
# Form feeds stay: they mark page breaks (pdftotext), read by the layout stage.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                 "\u2009\u200a\u202f\u205f\u3000\t\v"), " ")
# PDFs typeset with legacy Vietnamese fonts map ư/Ư to the look-alike ƣ/Ƣ (U+01A3/U+01A2,
# Latin "oi", never Vietnamese): pdftotext gives "Bộ Công Thƣơng", "hƣớng dẫn".
_LOOKALIKES = {0x01A3: "ư", 0x01A2: "Ư"}
_CHAR_TABLE = {**_DASHES, **_SPACES, **_LOOKALIKES}
_REPLACED = [(chr(code), char) for code, char in _CHAR_TABLE.items()]
# A tab between two parts of a line is a gap between columns: Word's "save as text" writes
# a header table's cells with tabs ("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI …"). It is written as
# the gap the layout reads between two columns (three spaces). A tab opening a line, ending
# it, or after a list or heading mark ("1.\tMục tiêu", "-\tTăng cường") is one space.
_TAB_RUN_RE = patterns.compile(r"[ \t]*\t[ \t]*")
_COLUMN_GAP = "   "
_MARK_LENGTH = 16  # no list or heading mark is longer ("Điều 125.", "1.2.3.4.")
# A letter with its combining marks (or marks alone): what NFC may compose.
_MARKED_RE = patterns.compile(r"\P{M}?\p{M}+")
_CLUSTER_RE = patterns.compile(r"\X")
# Dropped characters: zero-width marks, soft hyphen, BOM, carriage return.
_DROPPED = "\u200b\u200c\u200d\u2060\ufeff\u00ad\r"
_DROP_RE = patterns.compile(f"[{_DROPPED}]+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# An open syllable ending in oa/oe/uy with the tone on its last vowel (old convention);
# "qu" + y keeps its tone on y in both conventions ("quý").
_OLD_TONE_RE = patterns.compile(
    r"(?<![qQ])([oO])([áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸ])(?!\p{L})|(?<![qQ])([uU])([ýỳỷỹỵÝỲỶỸỴ])(?!\p{L})"
)
class OffsetMap:
    """Maps offsets of a derived string back to its source, through nested passes."""

    __slots__ = ("_copy", "_inner", "_out", "_raw", "_raw_end")

    def __init__(self, inner: OffsetMap | None = None) -> None:
        self._out: list[int] = []
        self._raw: list[int] = []
        self._raw_end: list[int] = []
        self._copy: list[bool] = []
        self._inner = inner

    def _local(self, pos: int, end: bool) -> int:
        if not self._out:
            return pos
        i = max(bisect_right(self._out, pos - 1 if end else pos) - 1, 0)
        if self._copy[i]:
            return self._raw[i] + (pos - self._out[i])
        return self._raw_end[i] if end else self._raw[i]

    def to_raw(self, pos: int) -> int:
        """The raw offset of output offset ``pos``."""
        local = self._local(pos, end=False)
        return local if self._inner is None else self._inner.to_raw(local)

    def to_raw_end(self, pos: int) -> int:
        """The raw offset of an exclusive end ``pos``."""
        local = self._local(pos, end=True)
        return local if self._inner is None else self._inner.to_raw_end(local)


class Span(Protocol):
    """A piece of output: ``text`` from ``[start, end)`` of the source, ``copy`` when it is
    that text as it is."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def copy(self) -> bool: ...


class Builder:
    """Accumulates output pieces and their offset segments: four numbers a piece (out, raw,
    raw end, copied) in one flat list, cut into the map's lists once, by :meth:`finish` (a
    piece costs one call, not one append per list)."""

    def __init__(self, inner: OffsetMap | None = None) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.segments: list[int] = []
        self._inner = inner

    def copy(self, text: str, raw_start: int) -> None:
        if text:
            self.segments.extend((self.length, raw_start, raw_start + len(text), True))
            self.parts.append(text)
            self.length += len(text)

    def put(self, text: str, raw_start: int, raw_end: int) -> None:
        if text:
            self.segments.extend((self.length, raw_start, raw_end, False))
            self.parts.append(text)
            self.length += len(text)

    def extend(self, pieces: Iterable[Span]) -> None:
        """:meth:`copy` or :meth:`put` each of ``pieces`` (one call for a line's pieces)."""
        add, parts, length = self.segments.extend, self.parts, self.length
        for piece in pieces:
            text = piece.text
            if text:
                start = piece.start
                copied = piece.copy
                add((length, start, start + len(text) if copied else piece.end, copied))
                parts.append(text)
                length += len(text)
        self.length = length

    def text(self) -> str:
        return "".join(self.parts)

    def finish(self) -> OffsetMap:
        """The map of the output to the source (the pieces are all in)."""
        mapping = OffsetMap(self._inner)
        segments = self.segments
        mapping._out, mapping._raw, mapping._raw_end = (segments[0::4], segments[1::4],
                                                        segments[2::4])
        mapping._copy = cast(list[bool], segments[3::4])  # the flags, as they were put
        return mapping

    def text_in(self, source: str, convert: Callable[[str], str]) -> str:
        """The output as it reads in ``source``, a transform of the raw text that keeps its
        length: copied pieces are read from it, the others converted."""
        segments = self.segments
        return "".join([source[start:end] if copied else convert(part)
                        for part, start, end, copied
                        in zip(self.parts, segments[1::4], segments[2::4], segments[3::4],
                               strict=True)])


def _fix_tone(match: regex.Match[str]) -> str:
    first, second = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    decomposed = unicodedata.normalize("NFD", second)
    tone = "".join(c for c in decomposed if c in _TONES)
    base = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", first + tone) + unicodedata.normalize("NFC", base)


def fold_tones(text: str) -> str:
    """Move tone marks to the modern position (``hoá`` → ``hóa``); length is unchanged.

    >>> fold_tones("Uỷ ban, Thuỷ, hoá, khoẻ, quý, hoàn")
    'Ủy ban, Thủy, hóa, khỏe, quý, hoàn'
    """
    first = _OLD_TONE_RE.search(text)  # most texts have none: one scan, no copy
    if first is None:
        return text
    folded: str = _OLD_TONE_RE.sub(_fix_tone, text, pos=first.start())
    return folded


def normalize_chars(raw: str) -> tuple[str, OffsetMap]:
    """Pass 1: characters. Returns the text and its map to ``raw``.

    Each step touches only what changes: a text with nothing to drop keeps its offsets
    (an empty map), an NFC text is not composed again, and only the characters present
    are replaced; all of it found by C-level scans (``in``, ``is_normalized``).
    """
    if any(char in raw for char in _DROPPED):
        text, mapping = _dropped(raw)
    else:
        text, mapping = raw, OffsetMap()
    if not unicodedata.is_normalized("NFC", text):
        text, mapping = _compose(text, mapping, _MARKED_RE)
        if not unicodedata.is_normalized("NFC", text):  # Hangul, singletons: every cluster
            text, mapping = _compose(text, mapping, _CLUSTER_RE)
    if "\t" in text:
        text, mapping = _tabs(text, mapping)
    # Same-length replacements: the map stays valid. Only the few characters present are
    # replaced, each by one str.replace (translate with a dict walks every character).
    for char, replacement in _REPLACED:
        if char in text:
            text = text.replace(char, replacement)
    return fold_tones(text), mapping


def _tabs(text: str, mapping: OffsetMap) -> tuple[str, OffsetMap]:
    """Each run of blanks with a tab between two parts of a line as a column gap (the
    other tabs are left to become spaces). Linear: each stretch of the text is looked at
    for a line end once, and only a short opening for a mark."""
    from .layout.shapes import is_bullet, read_shape  # (the layout imports this module)

    out = Builder(mapping)
    last = line_start = seen = 0
    for match in _TAB_RUN_RE.finditer(text):
        start, end = match.span()
        newline = text.rfind("\n", seen, start)
        seen = end
        if newline >= 0:
            line_start = newline + 1
        if end == len(text) or text[end] in "\n\f":
            continue  # a tab ending its line
        if start - line_start <= _MARK_LENGTH:
            mark = text[line_start:start].strip()
            shape = read_shape(mark + " X")  # (a heading's shape wants a title after it)
            if not mark or is_bullet(mark + " x") or (shape is not None
                                                      and shape[3] > len(mark)):
                continue  # a tab opening its line, or after a list or heading mark
        out.copy(text[last:start], last)
        out.put(_COLUMN_GAP, start, end)
        last = end
    out.copy(text[last:], last)
    return out.text(), out.finish()


def _dropped(raw: str) -> tuple[str, OffsetMap]:
    """``raw`` without the dropped characters, and its map to ``raw``."""
    out = Builder()
    pos = 0
    for match in _DROP_RE.finditer(raw):
        out.copy(raw[pos : match.start()], pos)
        pos = match.end()
    out.copy(raw[pos:], pos)
    return out.text(), out.finish()


def _compose(text: str, mapping: OffsetMap, clusters: regex.Pattern[str]
             ) -> tuple[str, OffsetMap]:
    """NFC, one cluster at a time so each keeps its own offset; only the clusters that
    change are touched (a text with a few combining marks costs about a copy)."""
    composed = Builder(mapping)
    last = 0
    for match in clusters.finditer(text):
        cluster = match.group()
        nfc = unicodedata.normalize("NFC", cluster)
        if nfc != cluster:
            composed.copy(text[last : match.start()], last)
            composed.put(nfc, match.start(), match.end())
            last = match.end()
    composed.copy(text[last:], last)
    return composed.text(), composed.finish()


def normalize(raw: str, page_starts: list[int] | None = None, *,
              markdown: bool | None = None) -> Layout:
    """Normalize ``raw`` (plain text, markdown, a loader's rendering) and read its layout.

    ``page_starts`` are raw offsets where pages begin (from a PDF loader); each line then
    carries its page number. The result is the document's :class:`~kehoach_parser.layout.
    Layout` (text, offset map, typed lines, zones).
    """
    from .layout import read_layout

    return read_layout(raw, page_starts, markdown=markdown)


if TYPE_CHECKING:
    from .layout import Layout
