"""Chuẩn hóa văn bản (text normalization) with an offset map back to the raw input.

Two passes, each recording where its output came from:

1. characters: Unicode NFC, one tone-mark convention (``hoá`` → ``hóa``, ``Thuỷ`` →
   ``Thủy``, ``Uỷ`` → ``Ủy``: the tone sits on the first vowel of an open ``oa``, ``oe``,
   ``uy``), dash variants → ``-``, no-break and odd spaces → space, zero-width marks
   dropped;
2. structure: markdown left by a conversion (``**``, ``***``, ``##``, ``\\``-escapes, hard
   line breaks), blank lines dropped, and lines joined where a page or paragraph break cut a
   sentence in two. Bold and heading marks are not lost: they become :class:`LineCue`\\ s,
   which the section splitter uses as heading cues.

>>> n = normalize("## **I. MỤC ĐÍCH**\\n\\nHoà nhập cộng đồng, dịch\\n\\nvụ xã hội")
>>> n.text
'I. MỤC ĐÍCH\\nHòa nhập cộng đồng, dịch vụ xã hội'
>>> n.cues[0].bold, n.cues[0].heading
(True, 2)
>>> raw = "## **I. MỤC ĐÍCH**\\n\\nHoà nhập cộng đồng, dịch\\n\\nvụ xã hội"
>>> s, e = n.to_raw_span((12, 20))
>>> raw[s:e]
'Hoà nhập'
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

import regex

_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                 "\u2009\u200a\u202f\u205f\u3000\t\f\v"), " ")
_CHAR_TABLE = {**_DASHES, **_SPACES}
# Dropped characters: zero-width marks, soft hyphen, BOM, carriage return.
_DROP_RE = regex.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\r]+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# An open syllable ending in oa/oe/uy with the tone on its last vowel (old convention);
# "qu" + y keeps its tone on y in both conventions ("quý").
_OLD_TONE_RE = regex.compile(
    r"(?<![qQ])([oO])([áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸ])(?!\p{L})|(?<![qQ])([uU])([ýỳỷỹỵÝỲỶỸỴ])(?!\p{L})"
)
_ESCAPE_RE = regex.compile(r"\\([-.*_#+()\[\]!`>|])")
_HEADING_RE = regex.compile(r"^(#{1,6})[ ]+")
_EMPH_RE = regex.compile(r"\*{1,3}")
_BULLET_STAR_RE = regex.compile(r"^\*[ ]+(?=\S)")
# A line cut at an identifier's hyphen: "… số 178/2026/NĐ-" then "CP".
_CUT_IDENTIFIER_RE = regex.compile(r"[\p{L}\d]-$")
# Decorative rules under the header's names ("-------", "_____").
_RULE_LINE_RE = regex.compile(r"^[-_=.*~·]{3,}$")
_PAGE_NUMBER_RE = regex.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$")
_SPACE_RUN_RE = regex.compile(r" {2,}")
# Loaders write a table row as one line, its cells joined by this: rows are never run on.
_TABLE_CELL = " | "
# What makes a line need the full markup pass: emphasis, heading marks, escapes, a "* "
# bullet, runs of spaces, or spaces at its ends.
_MARKUP_RE = regex.compile(r"[*#\\]| {2}|^ | $")
_SENTENCE_END = ".:;!?"
# A numbered line shorter than this is a heading, which never runs on into the next line.
_SHORT_HEADING = 120
# A line that starts a new block: bullets, numbered or lettered items, Roman parts.
_BLOCK_START_RE = regex.compile(
    r"^(?:[-+•●▪◦–]\s|[IVXLC]+[.)]\s|\d+(?:\.\d+)*[.)]?\s+\p{Lu}|\p{Ll}\)\s|Điều\s+\d)"
)


@dataclass(frozen=True, slots=True)
class LineCue:
    """Layout facts about one line of the normalized text."""

    start: int
    end: int
    heading: int = 0  # markdown heading level (number of #), 0 for none
    bold: bool = False  # the whole line is bold (or a heading mark)
    bold_end: int | None = None  # end of a bold run that opens the line but not all of it
    page: int | None = None


class OffsetMap:
    """Maps offsets of a derived string back to its source, through nested passes."""

    __slots__ = ("_copy", "_inner", "_out", "_raw", "_raw_end")

    def __init__(self, inner: OffsetMap | None = None) -> None:
        self._out: list[int] = []
        self._raw: list[int] = []
        self._raw_end: list[int] = []
        self._copy: list[bool] = []
        self._inner = inner

    def add(self, out_start: int, raw_start: int, raw_end: int, copy: bool) -> None:
        self._out.append(out_start)
        self._raw.append(raw_start)
        self._raw_end.append(raw_end)
        self._copy.append(copy)

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


class _Builder:
    """Accumulates output pieces and their offset segments."""

    def __init__(self, inner: OffsetMap | None = None) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.map = OffsetMap(inner)

    def copy(self, text: str, raw_start: int) -> None:
        if text:
            self.map.add(self.length, raw_start, raw_start + len(text), True)
            self.parts.append(text)
            self.length += len(text)

    def put(self, text: str, raw_start: int, raw_end: int) -> None:
        if text:
            self.map.add(self.length, raw_start, raw_end, False)
            self.parts.append(text)
            self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


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
    folded: str = _OLD_TONE_RE.sub(_fix_tone, text)
    return folded


def normalize_chars(raw: str) -> tuple[str, OffsetMap]:
    """Pass 1: characters. Returns the text and its map to ``raw``."""
    out = _Builder()
    pos = 0
    for match in _DROP_RE.finditer(raw):
        out.copy(raw[pos : match.start()], pos)
        pos = match.end()
    out.copy(raw[pos:], pos)
    text = out.text()
    mapping = out.map
    if not unicodedata.is_normalized("NFC", text):
        composed = _Builder(mapping)
        # Compose one grapheme cluster at a time so each keeps its own offset.
        for match in regex.finditer(r"\X", text):
            cluster = match.group()
            nfc = unicodedata.normalize("NFC", cluster)
            if nfc == cluster:
                composed.copy(cluster, match.start())
            else:
                composed.put(nfc, match.start(), match.end())
        text, mapping = composed.text(), composed.map
    # Same-length replacements: the map stays valid.
    text = fold_tones(text.translate(_CHAR_TABLE))
    return text, mapping


@dataclass
class Normalized:
    """Normalized text, its offset map to the raw input, and per-line layout cues."""

    text: str
    offsets: OffsetMap
    cues: list[LineCue] = field(default_factory=list)

    def to_raw_span(self, span: tuple[int, int]) -> tuple[int, int]:
        """The raw-input span of a span of ``text``."""
        start, end = span
        if end <= start:
            raw = self.offsets.to_raw(start)
            return raw, raw
        return self.offsets.to_raw(start), self.offsets.to_raw_end(end)

    def cue_at(self, offset: int) -> LineCue | None:
        """The cue of the line holding ``offset``."""
        i = bisect_right(self.cues, offset, key=lambda cue: cue.start) - 1
        return self.cues[i] if i >= 0 else None


@dataclass
class _Line:
    pieces: list[tuple[str, int]]  # (text, offset in pass-1 text) copied pieces
    heading: int
    bold: bool
    bold_len: int | None  # length of the leading bold run in characters of the line
    page: int | None
    blank_before: bool

    @property
    def content(self) -> str:
        return "".join(p for p, _ in self.pieces)


def _strip_line(line: str, base: int, in_bold: bool) -> tuple[list[tuple[str, int]], int, bool,
                                                                int | None, bool]:
    """Remove markdown from one line. Returns pieces, heading level, whole-line bold,
    length of a leading bold run, and the bold state after the line."""
    heading = 0
    offset = 0
    m = _HEADING_RE.match(line)
    if m:
        heading = len(m.group(1))
        offset = m.end()
    star = _BULLET_STAR_RE.match(line, offset)
    pieces: list[tuple[str, int]] = []
    if star:
        pieces.append(("- ", base + offset))
        offset = star.end()
    bold_state = in_bold
    starts_bold = in_bold
    bold_len: int | None = None
    seen_text = False
    out_len = sum(len(p) for p, _ in pieces)
    pos = offset
    for em in _EMPH_RE.finditer(line, offset):
        chunk = line[pos : em.start()]
        if chunk:
            if chunk.strip() and not seen_text:
                seen_text = True
                starts_bold = bold_state
            pieces.append((chunk, base + pos))
            out_len += len(chunk)
        if len(em.group()) >= 2:
            if bold_state and starts_bold and bold_len is None and seen_text:
                bold_len = out_len
            bold_state = not bold_state
        pos = em.end()
    tail = line[pos:]
    if tail:
        if tail.strip() and not seen_text:
            seen_text = True
            starts_bold = bold_state
        pieces.append((tail, base + pos))
    content = "".join(p for p, _ in pieces)
    whole = False
    if seen_text and starts_bold:
        rest = content[bold_len:] if bold_len is not None else ""
        whole = bold_len is None or not rest.strip(" :.-")
    return pieces, heading, whole, (None if whole else bold_len), bold_state


def _trim(pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Strip leading/trailing spaces and squeeze inner runs of spaces to one."""
    out: list[tuple[str, int]] = []
    for text, off in pieces:
        last = 0
        for m in _SPACE_RUN_RE.finditer(text):
            out.append((text[last : m.start() + 1], off + last))
            last = m.end()
        out.append((text[last:], off + last))
    while out and not out[0][0].strip(" "):
        out.pop(0)
    while out and not out[-1][0].strip(" "):
        out.pop()
    if out:  # strip the line's ends
        text, off = out[0]
        stripped = text.lstrip(" ")
        out[0] = (stripped, off + len(text) - len(stripped))
        text, off = out[-1]
        out[-1] = (text.rstrip(" "), off)
    squeezed = [p for p in out if p[0]]
    # Pieces that met at a cut ("a " + " b") must not leave a double space behind.
    for i in range(1, len(squeezed)):
        prev, (text, off) = squeezed[i - 1][0], squeezed[i]
        if prev.endswith(" ") and text.startswith(" "):
            stripped = text.lstrip(" ")
            squeezed[i] = (stripped, off + len(text) - len(stripped))
    return [p for p in squeezed if p[0]]


def _ends_open(text: str) -> bool:
    stripped = text.rstrip(" )\"”'’*")
    return bool(stripped) and stripped[-1] not in _SENTENCE_END


def _continues(text: str) -> bool:
    if not text or _BLOCK_START_RE.match(text):
        return False
    first = text[0]
    return first.islower() or first.isdigit()


def _page(page_raw: list[int], offsets: OffsetMap, offset: int) -> int | None:
    return bisect_right(page_raw, offsets.to_raw(offset)) if page_raw else None


def normalize(raw: str, page_starts: list[int] | None = None) -> Normalized:
    """Normalize ``raw`` (plain text or markdown-ish text from a conversion).

    ``page_starts`` are raw offsets where pages begin (from a PDF loader); each line cue then
    carries its page number.
    """
    text1, map1 = normalize_chars(raw)
    # Unescape markdown backslash escapes in pass 1 coordinates by treating them as pieces.
    lines: list[_Line] = []
    in_bold = False
    blank = False
    pos = 0
    page_raw = sorted(page_starts or [])
    for raw_line in text1.split("\n"):
        base = pos
        pos += len(raw_line) + 1
        stripped = raw_line.strip()
        if not stripped or _PAGE_NUMBER_RE.match(stripped) or _RULE_LINE_RE.match(stripped):
            if not stripped:
                in_bold = False  # emphasis never crosses a paragraph
            blank = True
            continue
        if not in_bold and not _MARKUP_RE.search(raw_line):
            # Most lines carry no markup and no stray spaces: copied as they are.
            lines.append(_Line([(raw_line, base)], 0, False, None,
                               _page(page_raw, map1, base), blank))
            blank = False
            continue
        pieces, heading, bold, bold_len, in_bold = _strip_line(raw_line, base, in_bold)
        unescaped: list[tuple[str, int]] = []
        for text, off in pieces:
            last = 0
            for m in _ESCAPE_RE.finditer(text):
                unescaped.append((text[last : m.start()], off + last))
                unescaped.append((m.group(1), off + m.start() + 1))
                last = m.end()
            unescaped.append((text[last:], off + last))
        trimmed = _trim([p for p in unescaped if p[0]])
        if not trimmed:
            blank = True
            continue
        if bold_len is not None:
            # Re-measure the bold run after trimming leading spaces.
            joined = "".join(t for t, _ in unescaped)
            lead = len(joined) - len(joined.lstrip(" "))
            bold_len = max(bold_len - lead, 0)
        page = _page(page_raw, map1, trimmed[0][1])
        lines.append(_Line(trimmed, heading, bold or heading > 0, bold_len, page, blank))
        blank = False

    out = _Builder(map1)
    cues: list[LineCue] = []
    prev: _Line | None = None
    for line in lines:
        content = line.content
        join = False
        if prev is not None and not prev.heading and not prev.bold and not line.heading:
            prev_text = prev.content
            if _CUT_IDENTIFIER_RE.search(prev_text) and content[:1].isalnum():
                join = True  # identifier cut at its hyphen: "178/2026/NĐ-" + "CP"
            elif (_ends_open(prev_text) and _continues(content) and not line.bold
                  and _TABLE_CELL not in prev_text and _TABLE_CELL not in content
                  and not (len(prev_text) < _SHORT_HEADING and _BLOCK_START_RE.match(prev_text))):
                join = True  # a sentence cut by a page break or a hard line break
        if join and prev is not None:
            if not _CUT_IDENTIFIER_RE.search(prev.content):
                out.put(" ", line.pieces[0][1], line.pieces[0][1])
            for text, off in line.pieces:
                out.copy(text, off)
            old = cues[-1]
            cues[-1] = LineCue(old.start, out.length, old.heading, old.bold, old.bold_end, old.page)
            prev = _Line(prev.pieces + line.pieces, prev.heading, prev.bold, prev.bold_len,
                         prev.page, prev.blank_before)
            continue
        if cues:
            out.put("\n", line.pieces[0][1], line.pieces[0][1])
        start = out.length
        for text, off in line.pieces:
            out.copy(text, off)
        bold_end = None if line.bold_len is None else start + line.bold_len
        cues.append(LineCue(start, out.length, line.heading, line.bold, bold_end, line.page))
        prev = line
    return Normalized(out.text(), out.map, cues)
