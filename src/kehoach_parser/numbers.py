"""Số (Vietnamese numbers): ``5.300`` (dot = thousands), ``78,4`` (comma = decimal), ``01``.

The common quantity libraries read ``5.300`` as five point three; in Vietnamese
administrative writing it is five thousand three hundred.

>>> parse_number("5.300")
5300
>>> parse_number("78,4")
78.4
>>> parse_number("01")
1
>>> parse_number("155.000")
155000
>>> parse_number("1.234.567,5")
1234567.5
>>> parse_number("3.5")
3.5
>>> NUMBER_RE.search("mã số " + "9" * 400) is None  # too long to be a quantity
True
>>> number_word("mười")
10
"""

from __future__ import annotations

from functools import cache

import regex

from .data import load

# At most 15 digits before the decimal mark (999 nghìn tỷ): exact as a float and far from
# overflowing it; a longer run of digits is a code or noise, never read as a number (it
# would become inf, or an int too long for Python to convert).
MAX_DIGITS = 15
INTEGER_PATTERN = rf"\d{{1,{MAX_DIGITS}}}"
# Digits with Vietnamese grouping: 1.234.567,89 | 1234,5 | 60 | 3.5 (a stray English decimal).
# A number never starts or ends inside a longer run of digits (or of digit groups).
NUMBER_PATTERN = (
    rf"(?<!\d)(?<!\d[.,])(?:\d{{1,3}}(?:\.\d{{3}}){{1,{(MAX_DIGITS - 3) // 3}}}(?:,\d+)?"
    rf"|{INTEGER_PATTERN}(?:,\d+)?|{INTEGER_PATTERN}\.\d{{1,2}})(?!\d|\.\d{{3}})"
)
NUMBER_RE = regex.compile(NUMBER_PATTERN)


def parse_number(text: str) -> int | float:
    """The value of a number written the Vietnamese way; ``ValueError`` if it is not one."""
    s = text.strip()
    if not regex.fullmatch(NUMBER_PATTERN, s):
        raise ValueError(f"not a number: {text!r}")
    if regex.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "")
    s = s.replace(",", ".")
    value = float(s)
    return int(value) if value.is_integer() and "." not in s else value


@cache
def _words() -> dict[str, int]:
    return {entry["word"]: int(entry["value"]) for entry in load("numbers")["words"]}


def number_word(word: str) -> int | None:
    """The value of a number word (một … mười), or None."""
    return _words().get(word.lower())


def number_words() -> tuple[str, ...]:
    """All known number words, longest first (for building patterns)."""
    return tuple(sorted(_words(), key=len, reverse=True))
