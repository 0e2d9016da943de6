"""Từ vựng bố cục (layout vocabulary): the compiled patterns of ``data/layout.toml``.

Cue patterns are matched against the *folded* line (:func:`fold`: lower case, no diacritics,
``đ`` → ``d``), which has the length of the line, so that a match's offsets are offsets of
the line and one pattern reads text with diacritics, text without them and OCR that put a
tone mark on the wrong vowel.

>>> fold("Nơi nhận: ĐẢNG ỦY")
'noi nhan: dang uy'
>>> cues().recipients.match(fold("N(ri nhdn:^^")) is not None
True
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from .. import patterns
from ..data import load

# Code points below this are folded by the table; the rest are only lowered.
_TABLE_SIZE = 0x2000


def _fold_table() -> list[str]:
    """Each code point's folded form: its base letter in lower case when that is one
    character (every Latin, Greek and Cyrillic letter with marks, "Đ"/"đ" → "d"), else
    the character itself (a lone combining mark stays: the length is kept)."""
    table: list[str] = []
    for code in range(_TABLE_SIZE):
        char = chr(code)
        if not unicodedata.decomposition(char):  # most code points: only lowered
            lower = char.lower()
            table.append(lower if len(lower) == 1 else char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        if len(base) != 1:
            base = decomposed[0].lower()
        table.append(base if len(base) == 1 else char)
    table[ord("Đ")] = table[ord("đ")] = "d"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Chữ không dấu (the text folded for matching): same length, lower case, no marks.

    >>> fold("CỘNG HÒA XÃ HỘI"), fold("Tỉnh ủy Lào Cai")
    ('cong hoa xa hoi', 'tinh uy lao cai')
    """
    if text.isascii():
        return text.lower()
    if len(text) >= _BYTES_FROM:
        lower = text.lower()
        if len(lower) == len(text):
            try:
                encoded = codecs.charmap_encode(lower, "strict", _BYTE_OF)[0]
            except UnicodeEncodeError:  # a character of another script, a rare sign
                pass
            else:
                return codecs.charmap_decode(encoded.translate(_BYTE_FOLD), "strict",
                                             _BYTE_CHARS)[0]
    return _folded(text)


def _folded(text: str) -> str:
    # A table indexed by code point: str.translate reads it without hashing, about three
    # times faster than decomposing and dropping the marks, and the length never changes.
    out = text.translate(_FOLD)
    lower = out.lower()  # what the table does not cover ("Ａ" → "ａ"), if that keeps length
    return lower if len(lower) == len(out) else out


# A text of Vietnamese (lower case, ASCII, the Vietnamese letters and common signs) is
# folded in bytes, one byte a character: encoded by a charmap, each byte replaced by its
# folded character's (bytes.translate), decoded back. Every step runs at C speed, without
# str.translate's look-up of one Python object a character: about three times faster on a
# whole document. A text with any other character is folded by the table.
_BYTE_CHARS = "".join(map(chr, range(128))) + (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "“”‘’…•·°²³±×÷§«»‹›€£₫‰≤≥→←↑↓■□▪◦●○◆♦✓√½¼¾µ©®™¬¦¨´¸ªº¿¡¢¤†‡′″")
_BYTE_CHARS += "\ufffe" * (256 - len(_BYTE_CHARS))  # (undefined: never encoded)
_BYTE_OF = codecs.charmap_build(_BYTE_CHARS)
_BYTE_FOLD = bytes(_BYTE_CHARS.index(_folded(char)) if char != "\ufffe" else code
                   for code, char in enumerate(_BYTE_CHARS))
# Short texts (a line, a cell) are folded faster by the table than by three conversions.
_BYTES_FROM = 200


# Openings kept per pattern before the store is emptied (a document has a few hundred).
_OPENINGS = 1 << 16


class Opening:
    """Whether a line may match a pattern (matched at the line's start), told by its first
    two characters: the pattern matched partially against them (as if the line went on)
    says whether any line that opens with them can match, and that answer is kept for each
    opening seen. Most lines of text are turned away by a dictionary look-up, not a match of
    the pattern."""

    __slots__ = ("_known", "_pattern")

    def __init__(self, pattern: Any) -> None:
        self._pattern = pattern
        self._known: dict[str, bool] = {}

    def _learn(self, head: str) -> bool:
        if len(self._known) >= _OPENINGS:
            self._known.clear()
        found = self._known[head] = self._pattern.match(head, partial=True) is not None
        return found

    def match(self, text: str) -> Any:
        """``pattern.match(text)``, not run when the opening cannot match."""
        found = self._known.get(text[:2])
        if found is None:
            found = self._learn(text[:2])
        return self._pattern.match(text) if found else None


@dataclass(frozen=True)
class Shape:
    """A heading shape: its name and pattern (on the line itself)."""

    name: str
    pattern: Any


@dataclass(frozen=True)
class Cues:
    page_number: Any
    page_marker: Any
    rule: Any
    ocr_noise: Any
    motto: Any
    motto_line2: Any
    number: Any
    place_date: Any
    subject: Any
    ornament: Any
    body_start: Any
    issuer_head: Any
    recipients: Any
    authority: Any
    position: Any
    signed: Any
    appendix: Any
    attached: Any
    footnote: Any
    bullet: Any
    headings: tuple[Shape, ...]
    # The block cues in the order they are tried (:func:`block_cue`), behind their openings.
    block: tuple[tuple[str, Opening], ...]
    furniture: Any  # every furniture pattern in one
    inner_motto: Any  # a motto opening a word inside a line
    inner_cue: Any  # the motto's second line or a signature's capacity, matched inside a line
    types: dict[str, str]  # folded type name → code ("ke hoach" → "KH")
    issuing: frozenset[str]  # types that issue documents attached to them
    name_heads: frozenset[str]  # head words of body names (agencies.toml [[head]])
    type_re: Any
    # The patterns tried on most lines, behind their openings (:class:`Opening`).
    furniture_opening: Opening
    bullet_opening: Opening
    chapter_opening: Opening
    recipients_opening: Opening
    authority_opening: Opening
    page_marker_opening: Opening
    number_opening: Opening
    appendix_opening: Opening
    type_opening: Opening
    subject_opening: Opening
    ornament_opening: Opening


def _unanchored(pattern: str) -> str:
    """A pattern that opens its line (``^…``), to be searched for inside one."""
    if not pattern.startswith("^"):
        raise ValueError(f"layout.toml: a line-opening pattern must start with '^': {pattern}")
    return pattern[1:]


def _compile(entry: dict[str, Any]) -> Any:
    return patterns.compile(entry["pattern"])


def type_names() -> dict[str, str]:
    """Tên loại văn bản (type names, as printed on the type line) → code."""
    names = {t["name"]: t["code"] for t in load("doc_types")["types"]}
    names.update({t["name"]: t["code"] for t in load("metadata")["types"]})
    return names


@cache
def cues() -> Cues:
    """The layout vocabulary, compiled once per process."""
    data = load("layout")
    c, f, h = data["cues"], data["furniture"], data["headings"]
    types = {fold(name): code for name, code in type_names().items()}
    positions = "|".join(regex.escape(fold(p)).replace(r"\ ", r"\s+")
                         for p in patterns.longest_first(load("issuers")["positions"]["words"]))
    alternation = "|".join(regex.escape(name).replace(r"\ ", r"\s+")
                           for name in patterns.longest_first(types))
    # Each tried alone: a line is turned away by most of them at its opening, and a match
    # of the regex module costs about as much to start as to run on a short line.
    block = tuple((name, Opening(patterns.compile(pattern))) for name, pattern in (
        ("motto", f"{c['motto']['pattern']}|{c['motto_wrapped']['pattern']}"
                  f"|{c['motto_line2']['pattern']}"),
        ("number", c["number"]["pattern"]),
        ("recipients", rf"(?=n){c['recipients']['pattern']}"),
        ("authority", c["authority"]["pattern"]),
        ("position", rf"^(?:{positions})$"),
        ("place_date", c["place_date"]["pattern"])))
    furniture = "|".join(f"(?:{f[name]['pattern']})"
                         for name in ("rule", "page_number", "page_marker", "ocr_noise"))
    furniture_re = patterns.compile(furniture)
    bullet = _compile(data["shapes"]["bullet"])
    recipients = _compile(c["recipients"])
    authority = _compile(c["authority"])
    page_marker = _compile(f["page_marker"])
    number = _compile(c["number"])
    appendix = _compile(c["appendix"])
    type_re = patterns.compile(rf"^(?P<name>{alternation})(?=$|\s|:)")
    subject = _compile(c["subject"])
    ornament = _compile(c["ornament"])
    headings = tuple(Shape(name, _compile(h[name]))
                     for name in ("division", "roman", "chapter", "article", "numbered",
                                  "lettered"))
    return Cues(
        block=block,
        inner_motto=patterns.compile(rf"(?<= )(?:{_unanchored(c['motto']['pattern'])})"),
        inner_cue=patterns.compile(f"(?:{_unanchored(c['motto_line2']['pattern'])})"
                                f"|(?:{_unanchored(c['authority']['pattern'])})"),
        furniture=furniture_re,
        page_number=_compile(f["page_number"]),
        page_marker=page_marker,
        rule=_compile(f["rule"]),
        ocr_noise=_compile(f["ocr_noise"]),
        motto=_compile(c["motto"]),
        motto_line2=_compile(c["motto_line2"]),
        number=number,
        place_date=_compile(c["place_date"]),
        subject=subject,
        ornament=ornament,
        body_start=_compile(c["body_start"]),
        issuer_head=_compile(c["issuer_head"]),
        recipients=recipients,
        authority=authority,
        position=patterns.compile(rf"^(?:{positions})$"),
        signed=_compile(c["signed"]),
        appendix=appendix,
        attached=_compile(c["attached"]),
        footnote=_compile(c["footnote"]),
        bullet=bullet,
        headings=headings,
        types=types,
        issuing=frozenset(data["zones"]["issuing"]["types"]),
        name_heads=frozenset(h["word"] for h in load("agencies")["head"]),
        type_re=type_re,
        furniture_opening=Opening(furniture_re),
        bullet_opening=Opening(bullet),
        chapter_opening=Opening(next(shape.pattern for shape in headings
                                     if shape.name == "chapter")),
        recipients_opening=Opening(recipients),
        authority_opening=Opening(authority),
        page_marker_opening=Opening(page_marker),
        number_opening=Opening(number),
        appendix_opening=Opening(appendix),
        type_opening=Opening(type_re),
        subject_opening=Opening(subject),
        ornament_opening=Opening(ornament),
    )


# Where a word starts inside a line (a cue a flattened cell or an OCR line ran on into).
WORD_START_RE = patterns.compile(r"(?<= )\S")
_UPPER_RE = patterns.compile(r"\p{Lu}")
# Whether a line is printed in capitals shows in its opening: long lines are not read whole.
_CAPS_WINDOW = 120
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def is_caps(text: str, *, share: float = 0.8, least: int = 2) -> bool:
    """In capitals: at least ``least`` letters in the line's opening, ``share`` of them
    upper case ("KẾ HOẠCH", "UBND TỈNH LÀO CAI"; not "Kế hoạch").

    >>> is_caps("KẾ HOẠCH"), is_caps("Kế hoạch"), is_caps("2026 - 2030")
    (True, False, False)
    """
    head = text[:_CAPS_WINDOW]
    most = (1 - share) * len(head)
    # A line of ordinary text shows as one by its ASCII lower-case letters alone (some of
    # its lower-case letters), counted at C speed on its UTF-8 bytes.
    encoded = head.encode("utf-8", "surrogatepass")
    if len(encoded) - len(encoded.translate(None, _ASCII_LOWER)) > most:
        return False
    if head == head.upper():  # no lower case at all: the common answer, cheaply
        return len(_UPPER_RE.findall(head)) >= least
    # Else in its first words: counted there first.
    if sum(map(str.islower, head[:40])) > most:
        return False
    lower = sum(map(str.islower, head))
    if lower > most:
        return False  # a line of ordinary text
    upper = sum(map(str.isupper, head))
    return upper + lower >= least and upper >= share * (upper + lower)


def is_mixed(text: str, caps: bool | None = None) -> bool:
    """Letters in both cases (a line with no letters, "2026 - 2030", is neither); ``caps``:
    :func:`is_caps` of the text, when known."""
    head = text[:_CAPS_WINDOW]
    return head != head.upper() and head != head.lower() and not (
        is_caps(text) if caps is None else caps)


def is_furniture(folded: str) -> bool:
    """A line that is page furniture (page numbers, rules, OCR specks), not text."""
    return cues().furniture_opening.match(folded) is not None


# Lines read by block_cue, and their cue: the same line is asked about by several steps
# (joining, zones, tables), and each ask tries six patterns.
_BLOCK_READ: dict[str, str | None] = {}
_BLOCK_KEPT, _BLOCK_KEPT_CHARS = 4096, 200  # lines kept, and the longest kept


def block_cue(folded: str) -> str | None:
    """The header or closing part a line opens, if any: ``motto``, ``number``,
    ``place_date``, ``recipients``, ``authority``, ``position``; None otherwise."""
    try:
        return _BLOCK_READ[folded]
    except KeyError:
        pass
    found = next((name for name, cue in cues().block if cue.match(folded)), None)
    if len(folded) <= _BLOCK_KEPT_CHARS:
        if len(_BLOCK_READ) >= _BLOCK_KEPT:
            _BLOCK_READ.clear()
        _BLOCK_READ[folded] = found
    return found


def cue_starts(folded: str) -> list[int]:
    """Offsets inside a line where a header or closing line begins that a flattened cell
    ran on into ("CỘNG HÒA … VIỆT NAM Độc lập - Tự do - Hạnh phúc")."""
    k = cues()
    out: list[int] = []
    for m in WORD_START_RE.finditer(folded):
        at = m.start()  # matched in place: no copy of the rest of the line for each word
        if k.inner_cue.match(folded, at) or (
                k.place_date.match(folded, at) and k.number.match(folded, 0, at)):
            out.append(at)
    return out
