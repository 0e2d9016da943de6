"""Bảng mã cũ (legacy encodings): TCVN3 (ABC) and VNI-Windows text turned into Unicode.

Offices still keep documents typed in the 8-bit fonts of the 1990s (.VnTime, VNI-Times).
Read as cp1252 or latin-1 their bytes show mojibake ("Uû ban nh©n d©n"); the tables in
``data/legacy_encodings.toml`` map it back.

>>> to_unicode("Uû ban nh©n d©n", "tcvn3")
'Uỷ ban nhân dân'
>>> to_unicode("UÛy ban nhaân daân", "vni")
'Ủy ban nhân dân'
>>> detect("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
'tcvn3'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import regex

from .. import data, patterns

ENCODINGS = ("tcvn3", "vni")
_SAMPLE = 20_000  # characters looked at to detect an encoding
_MIN_SIGNATURE_SHARE = 0.01  # of the letters: below it a few © or ñ are just symbols
_MIN_SIGNATURE = 4
_BEYOND_LATIN1 = patterns.compile("[\u0100-\u01b0\u1ea0-\u1ef9]+")
_TCVN3_SHARE_OF_VNI = 0.2  # TCVN3 text holds its own marks far more often than VNI's
_NO_DIACRITICS_MIN_LETTERS = 400  # shorter texts say too little
_NO_DIACRITICS_SHARE = 0.01  # Vietnamese prose has ~25% letters with marks


@dataclass(frozen=True)
class _Table:
    name: str
    pattern: regex.Pattern[str]  # the table's keys, longest first
    mapping: dict[str, str]
    signature: regex.Pattern[str]
    fonts: tuple[regex.Pattern[str], ...]
    upper_fonts: tuple[regex.Pattern[str], ...]


@cache
def _table(encoding: str) -> _Table:
    entry = data.load("legacy_encodings")[encoding]
    mapping: dict[str, str] = entry["map"]
    keys = patterns.longest_first(mapping)
    return _Table(
        name=entry["name"],
        pattern=patterns.compile("|".join(regex.escape(k) for k in keys)),
        mapping=mapping,
        signature=patterns.compile(entry["signature"]),
        fonts=tuple(patterns.compile(p) for p in entry["fonts"]),
        upper_fonts=tuple(patterns.compile(p) for p in entry["upper_fonts"]),
    )


def name_of(encoding: str) -> str:
    """The display name of an encoding key ('tcvn3' → 'TCVN3 (ABC, …)')."""
    return _table(encoding).name


def to_unicode(text: str, encoding: str, *, upper: bool = False) -> str:
    """Chuyển mã (convert) legacy-encoded text to NFC Unicode; ``upper`` for capital fonts."""
    table = _table(encoding)
    out = table.pattern.sub(lambda m: table.mapping[m.group()], text)
    out = unicodedata.normalize("NFC", out)
    return out.upper() if upper else out


@cache
def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """The legacy encoding a font name implies, and whether it draws capitals only.

    >>> font_encoding(".VnTimeH"), font_encoding("VNI-Times"), font_encoding("Times New Roman")
    (('tcvn3', True), ('vni', False), None)
    """
    if not font:
        return None
    for encoding in ENCODINGS:
        table = _table(encoding)
        if any(p.search(font) for p in table.fonts):
            return encoding, any(p.search(font) for p in table.upper_fonts)
    return None


def convert_run(text: str, font: str | None) -> tuple[str, str | None]:
    """Convert a run drawn in a legacy font; (text, encoding used or None).

    A run whose text already holds characters beyond latin-1 is Unicode typed in an old
    font name and is left alone.
    """
    found = font_encoding(font)
    if found is None or not text or max(text) > "\u00ff":
        return text, None
    encoding, upper = found
    return to_unicode(text, encoding, upper=upper), encoding


def detect(text: str) -> str | None:
    """Nhận dạng (detect) TCVN3 or VNI mojibake in ``text``; None for ordinary text.

    TCVN3's signature (latin-1 A1-BE: ©, ¬, µ …) never occurs in VNI text, while VNI's
    (ñ, ö, ø …) also occurs in TCVN3 text; so any real share of TCVN3 marks means TCVN3.
    """
    sample = text[:_SAMPLE]
    # Real Unicode Vietnamese (ư, ơ, đ, ạ …): legacy bytes never give these. There are
    # never more letters than characters, so enough of them settle it uncounted; the most
    # frequent alone settle most texts without a pass of the pattern.
    floor = _MIN_SIGNATURE_SHARE * max(len(sample), 1)
    if _frequent_marked_over(sample, floor):
        return None
    beyond = len(sample) - len(_BEYOND_LATIN1.sub("", sample))
    if beyond > floor:
        return None
    letters = _count_letters(sample) or 1
    if beyond > _MIN_SIGNATURE_SHARE * letters:
        return None
    tcvn3, vni = (len(_table(e).signature.findall(sample)) for e in ENCODINGS)
    hits = tcvn3 + vni
    if hits < _MIN_SIGNATURE or hits < _MIN_SIGNATURE_SHARE * letters:
        return None
    return "tcvn3" if tcvn3 >= max(1, vni * _TCVN3_SHARE_OF_VNI) else "vni"


_MARKED_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
# Both cases spelled out for the standard library's ``re``: four times faster than a
# case-blind ``regex`` on every text loaded.
_VIETNAMESE_MARKED = re.compile(f"[{_MARKED_LETTERS}{_MARKED_LETTERS.upper()}]")
# Marked letters that legacy bytes never give (in _BEYOND_LATIN1's ranges), the most
# frequent in Vietnamese text first: a count of some of them is a floor under both the
# marked letters and the letters beyond latin-1.
_FREQUENT_MARKED = "đạưệộốịơềếựờĐ"


def _frequent_marked_over(sample: str, floor: float) -> bool:
    """True when the frequent marked letters alone occur more than ``floor`` times: each
    counted with ``str.count`` (no pattern pass), stopping once past it."""
    count = 0
    for letter in _FREQUENT_MARKED:
        count += sample.count(letter)
        if count > floor:
            return True
    return False


def lacks_diacritics(text: str) -> bool:
    """True for long text with almost no Vietnamese diacritics ("UY BAN NHAN DAN").

    >>> lacks_diacritics("UY BAN NHAN DAN TINH LAI CHAU " * 30)
    True
    >>> lacks_diacritics("Ủy ban nhân dân tỉnh Lai Châu " * 30)
    False
    """
    sample = text[:_SAMPLE]
    if _frequent_marked_over(sample, _NO_DIACRITICS_SHARE * len(sample)):
        return False  # marks enough for any letter count, counted without a pattern pass
    marked = len(sample) - len(_VIETNAMESE_MARKED.sub("", sample))
    if marked >= _NO_DIACRITICS_SHARE * len(sample):
        return False
    letters = _count_letters(sample)
    if letters < _NO_DIACRITICS_MIN_LETTERS:
        return False
    return marked < _NO_DIACRITICS_SHARE * letters


def _count_letters(text: str) -> int:
    return sum(map(str.isalpha, text))  # \p{L}, twice as fast as a regex


def repair(text: str) -> tuple[str, list[str]]:
    """Detect and convert legacy mojibake in a whole text; warn about missing diacritics."""
    warnings: list[str] = []
    encoding = detect(text)
    if encoding is not None:
        text = to_unicode(text, encoding)
        warnings.append(f"text was in the legacy {name_of(encoding)} encoding; "
                        "converted to Unicode")
    if lacks_diacritics(text):
        warnings.append("text has almost no Vietnamese diacritics (typed without them or "
                        "lost in conversion); names and titles may be inexact")
    return text, warnings
