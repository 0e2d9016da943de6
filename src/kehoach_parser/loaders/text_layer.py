"""Chất lượng lớp chữ (text-layer quality): is a PDF page's text layer Vietnamese text?

"Has text" is not enough: a scan may carry the text layer of an OCR engine that does not
know Vietnamese ("So cong ]'htjong | cqng hoa xa hqi"), or a font may map glyphs to codes
that are not letters. :func:`judge` measures a page's text: the share of its words that can
be Vietnamese syllables, the share of its letters with Vietnamese marks, and its odd
characters. The vocabulary (initials, vowel clusters, finals), the thresholds and the
examples live in ``data/loader_cues.toml`` (``[text_layer]``).

>>> judge("Ủy ban nhân dân tỉnh ban hành kế hoạch phòng, chống thiên tai " * 3).poor
False
>>> judge("S0 CQNG ]'htjong Kinh gfri Chf tfch nh6n d6n huyfn NQi dung trinh K6t " * 3).poor
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import data, patterns

# The measures run on every page read, so they work on the page's text as ASCII bytes with
# the marks set aside (all of Vietnamese is then a-z), with the standard library's ``re``,
# and each distinct word is judged once.
_SAMPLE = 4_000  # characters of a page looked at
_LETTERS = bytes(range(ord("a"), ord("z") + 1))
_WORDS_ONLY = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))
_MARKS_RE = re.compile("[\u0300-\u036f]+")


@dataclass(frozen=True)
class _Rules:
    min_letters: int
    min_syllable_share: float
    max_odd_share: float
    syllable: re.Pattern[bytes]  # one whole word, marks set aside, lower case
    odd: re.Pattern[str]
    known: dict[bytes, int]  # word → 1 syllable, 0 not one, -1 a number (not a word)


@cache
def rules() -> _Rules:
    entry: dict[str, Any] = data.load("loader_cues")["text_layer"]

    def alternatives(key: str) -> str:
        return "|".join(patterns.longest_first(entry[key]))

    syllable = (f"(?:{alternatives('initials')})?(?:{alternatives('vowels')})"
                f"(?:{alternatives('finals')})?")
    return _Rules(
        min_letters=entry["min_letters"],
        min_syllable_share=entry["min_syllable_share"],
        max_odd_share=entry["max_odd_share"],
        syllable=re.compile(syllable.encode("ascii")),
        odd=re.compile(f"[^{entry['characters']}]"),
        known={},
    )


def _flat(text: str) -> bytes:
    """Lower-case ASCII with the marks set aside; other letters are dropped."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").lower()


def bare(text: str) -> str:
    """Lower case with the tone and vowel marks set aside ("Nghiêng" → "nghieng")."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _MARKS_RE.sub("", text).lower()


def is_syllable(word: str) -> bool:
    """A word that can be one Vietnamese syllable ("quyết" yes, "cqng" no)."""
    return rules().syllable.fullmatch(_flat(word)) is not None


def _words(flat: bytes) -> tuple[int, int]:
    """(words, of which syllables) of a flat text; numbers are not words."""
    r = rules()
    known = r.known
    words = syllables = 0
    for word in flat.translate(_WORDS_ONLY).split():
        kind = known.get(word)
        if kind is None:
            kind = -1 if word.isdigit() else int(r.syllable.fullmatch(word) is not None)
            if len(known) > 100_000:  # a flood of odd words: forget, stay bounded
                known.clear()
            known[word] = kind
        if kind >= 0:
            words += 1
            syllables += kind
    return words, syllables


@dataclass(frozen=True)
class Quality:
    """Measures of a text layer (a page, or several pages added up)."""

    letters: int = 0
    visible: int = 0  # characters other than spaces
    marked: int = 0  # letters with Vietnamese marks
    words: int = 0
    syllables: int = 0  # words that can be Vietnamese syllables
    odd: int = 0  # characters no Vietnamese text layer holds

    def __add__(self, other: Quality) -> Quality:
        return Quality(self.letters + other.letters, self.visible + other.visible,
                       self.marked + other.marked, self.words + other.words,
                       self.syllables + other.syllables, self.odd + other.odd)

    @property
    def syllable_share(self) -> float:
        return self.syllables / self.words if self.words else 1.0

    @property
    def odd_share(self) -> float:
        return self.odd / self.visible if self.visible else 0.0

    @property
    def poor(self) -> bool:
        """Not Vietnamese text: enough of it to judge, and too few of its words are
        Vietnamese syllables or too many of its characters are odd."""
        r = rules()
        if self.visible < r.min_letters:
            return False
        return self.unreadable or (self.letters >= r.min_letters
                                   and self.syllable_share < r.min_syllable_share)

    @property
    def unreadable(self) -> bool:
        """Too many odd characters: fonts that map glyphs to no letters."""
        return self.odd_share > rules().max_odd_share

    def describe(self) -> str:
        marked = self.marked / self.letters if self.letters else 0.0
        return (f"{self.syllable_share:.0%} of its words are Vietnamese syllables, "
                f"{marked:.0%} of its letters carry Vietnamese marks")


def judge(text: str) -> Quality:
    """Đánh giá (measure) the text layer of one page (its first few thousand characters)."""
    sample = unicodedata.normalize("NFC", text[:_SAMPLE])
    flat = _flat(sample)
    words, syllables = _words(flat)
    spaces = sample.count(" ") + sample.count("\n") + sample.count("\r") + sample.count("\t")
    return Quality(
        letters=len(flat) - len(flat.translate(None, _LETTERS)),
        visible=len(sample) - spaces,
        # Vietnamese letters with marks are the text's non-ASCII characters, near enough.
        marked=len(sample) - len(sample.encode("ascii", "ignore")),
        words=words,
        syllables=syllables,
        odd=len(rules().odd.findall(sample)),
    )
