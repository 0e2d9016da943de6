"""Số và đại lượng (Vietnamese numbers and quantities).

The number grammar: ``5.300`` (dot = thousands), ``78,4`` (comma = decimal), ``01``. The
common quantity libraries read ``5.300`` as five point three; in Vietnamese administrative
writing it is five thousand three hundred.

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

The quantity grammar (:func:`find_quantities`): a number with what it measures — a percentage
(``60%``, ``3% - 5%``, ``60-70%``), a count with its noun (``01 địa bàn``, ``5.300 người``,
``05 kịch bản`` where the clause bounds it), a share or a rate per N (``40/99 xã``, ``18 ca
sinh/1.000 phụ nữ``: the value as printed, unit count), a measure (``500ha``, ``155.000 tỷ
đồng``), a frequency (``ít nhất một tháng một lần``) or "all of" (``tất cả các xã``). Every
word of it lives in ``data/numbers.toml``.

>>> [(q.value, q.value_max, q.unit, q.kind) for q in find_quantities(
...     "Trồng mới 500ha rừng, 60-70% hộ dân, 40/99 xã và 16 ca sinh/1.000 phụ nữ")]
... # doctest: +NORMALIZE_WHITESPACE
[(500, None, 'ha', 'measure'), (60, 70, 'percent', 'percent'), (40, None, 'count', 'ratio'),
 (16, None, 'count', 'rate')]
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from . import patterns
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
NUMBER_RE = patterns.compile(NUMBER_PATTERN)
_GROUPED_RE = patterns.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
# How far (characters) from "lần" a frequency may start or end.
_FREQUENCY_REACH = 60
# A stretch this short after a digit may be one number and nothing after it (a table's
# cell): told by the number alone, which is cheaper than the whole quantity grammar.
_LAST_NUMBER = 24
# How far back (characters) the condition of a conditional unit is looked for.
_UNIT_CONDITION = 24
_TIMES_RE = patterns.compile(r"\blần\b", regex.IGNORECASE)
_TIMES_OPENING_RE = patterns.compile(r"\blần", regex.IGNORECASE)
_DIGIT_RE = patterns.compile(r"\d")


def parse_number(text: str) -> int | float:
    """The value of a number written the Vietnamese way; ``ValueError`` if it is not one."""
    s = text.strip()
    if not NUMBER_RE.fullmatch(s):
        raise ValueError(f"not a number: {text!r}")
    if _GROUPED_RE.fullmatch(s):
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
    return tuple(patterns.longest_first(_words()))


# ---------------------------------------------------------------------------------------------
# Quantities
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with what it measures (the candidate for one target).

    ``kind`` is how it is written: percent, measure, count (a known noun), bare (a number
    before some other noun: a count only where its clause bounds or repeats it), ratio (x/y),
    rate (N per M), frequency, word (a number word), all ("tất cả"). ``body`` is where the
    counted noun phrase starts; ``cue`` a comparator written inside it ("hằng quý ít nhất 01
    lần"); ``sessions`` whether its noun counts events held ("buổi", "lớp").
    """

    start: int
    end: int
    value: int | float
    unit: str
    kind: str
    value_max: int | float | None = None
    period: str | None = None
    body: int = -1
    cue: str | None = None
    sessions: bool = False


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any run of spaces."""
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+")
                    for w in patterns.longest_first(words))


@dataclass(frozen=True)
class _Grammar:
    """``data/numbers.toml``, compiled once."""

    quantity: Any
    digit_start: Any  # a run of digits where a quantity may start
    word_start: Any  # a number word or "tất cả" where a quantity may start
    word_opening: Any  # the same words, whatever follows them (when lower case moves offsets)
    words: Any  # a number word or "tất cả" opening a word (the fast check)
    openings: tuple[Any, ...]  # the first syllable of each word, lower case
    percent: Any  # the percent sign, written or spelled
    frequencies: tuple[Any, ...]
    units: dict[str, str]  # as written (folded case) → unit
    conditional: dict[str, tuple[str, Any]]  # word → (unit, the words that must come before)
    period_words: dict[str, tuple[str, dict[int, str]]]  # word → (period, multiples)
    sessions: frozenset[str]
    nouns: frozenset[str]


def _unit_pattern(data: dict[str, Any]) -> str:
    """The percent sign or a unit, longest spelling first, each unit unless the word after
    it makes another noun ("05 đồng chí" counts people, not money)."""
    spellings = []
    for entry in data["units"]:
        if "after" in entry:
            continue  # conditional: read after the noun branch
        unless = entry.get("unless")
        guard = rf"(?!\s+(?:{alternation(unless)})(?!\p{{L}}))" if unless else ""
        spellings += [(w, alternation([w]) + guard) for w in entry["written"]]
    spellings.sort(key=lambda pair: len(pair[0]), reverse=True)
    alternatives = "|".join(pattern for _, pattern in spellings)
    return rf"\s?(?:{data['percent']['pattern']}|{alternatives})(?!\p{{L}})"


def _quantity_pattern(data: dict[str, Any]) -> Any:
    """Shares, numbers with a percent sign, a unit or a noun (and a rate tail), and number
    words with a noun. Case-sensitive: a counted noun is lower case ("3 Bộ chỉ huy" is a
    heading); a known noun capitalized as a name ("ít nhất 02 Khu công nghiệp") is read as a
    bare number, a count only where its clause bounds it."""
    nouns = alternation(n for group in data["nouns"] for n in group["nouns"])
    capitalized = alternation(n[0].upper() + n[1:] for g in data["nouns"] for n in g["nouns"])
    conditional = alternation(w for u in data["units"] if "after" in u for w in u["written"])
    not_counted = alternation(data["bare"]["not_counted"])
    words = data["everything"]["words"]
    everything = alternation([*words, *(w.capitalize() for w in words)])
    unit = _unit_pattern(data)
    magnitude = alternation(data["magnitudes"]["words"])
    measured = alternation([*(w for u in data["units"] for w in u["written"]),
                            *(n for group in data["nouns"] for n in group["nouns"])])
    word = r"\p{Ll}[\p{Ll}\p{Mn}]*+"
    number = rf"(?P<num>{NUMBER_PATTERN})(?!\d)(?P<u1>{unit})?"
    upper = rf"(?P<num2>{NUMBER_PATTERN})(?!\d)(?P<u2>{unit})?"
    per = rf"(?:{data['rate']['pattern']})\s*+(?:{NUMBER_PATTERN})(?!\d)"
    rate = rf"(?P<rate>(?:\s++{word}){{0,4}}?\s*+{per})?"
    return patterns.compile(
        rf"(?<![\p{{L}}\d/.,%])(?:"
        rf"(?P<fa>{INTEGER_PATTERN})/(?P<fb>{NUMBER_PATTERN})(?![\d/%]|\p{{L}})"
        rf"\s+(?!(?:{not_counted})(?!\p{{L}}))(?P<fnoun>\p{{Ll}}+)"
        rf"|{number}(?:\s*(?:{data['range']['pattern']})\s*{upper})?"
        rf"(?:\s+(?P<mag>{magnitude})\s+(?P<mword>{measured}|(?!(?:{not_counted})(?!\p{{L}})){word})"
        rf"(?!\p{{L}})"
        rf"|\s+(?P<cu>{conditional})(?!\p{{L}})"
        rf"|\s+(?P<noun>{nouns})(?!\p{{L}}){rate}"
        rf"|\s+(?P<cnoun>{capitalized})(?!\p{{L}})"
        rf"|\s+(?!(?:{not_counted})(?!\p{{L}}))(?P<bare>{word}){rate})?"
        rf"|(?<!\p{{L}})(?P<word>{alternation(number_words())})\s+(?P<wnoun>{nouns})(?!\p{{L}})"
        rf"|(?<!\p{{L}})(?P<all>{everything})\s+(?:các\s+)?(?P<anoun>{nouns})(?!\p{{L}}))"
    )


def _quantity_starts(data: dict[str, Any]) -> tuple[Any, Any, Any, Any, tuple[Any, ...]]:
    """Where a quantity can start: a digit, or a number word or "tất cả" opening a word;
    the words with anything after them; the words alone (the fast check); and the first
    syllable of each word, in lower case, each a literal (a scan for one literal is fast, one
    for the words' alternation is not: it was most of the extractor's time)."""
    words = [*number_words(), *data["everything"]["words"]]
    written = alternation([*words, *(w.capitalize() for w in words)])
    openings = sorted({w.split()[0].lower() for w in words})
    # A run of digits is matched whole: its later digits, which follow a digit, are no start
    # either, and one match for the run is about twice as fast as a test at each digit.
    return (patterns.compile(r"(?<![\p{L}\d/.,%])\d+"),
            patterns.compile(rf"(?<!\p{{L}})(?:{written})(?!\p{{L}})"),
            patterns.compile(rf"(?<!\p{{L}})(?:{written})"),
            patterns.compile(rf"\b(?:{written})\b"),
            tuple(patterns.compile(regex.escape(w)) for w in openings))


@cache
def _grammar() -> _Grammar:
    data = load("numbers")
    period_words = {
        p["word"]: (p["period"], {int(k): v for k, v in p.get("every", {}).items()})
        for p in data["period_words"]
    }
    number = rf"(?:{NUMBER_PATTERN}|(?<!\p{{L}})(?:{alternation(number_words())})(?!\p{{L}}))"
    period = alternation(period_words)
    frequencies = tuple(
        patterns.compile(f["pattern"].replace("{n}", number).replace("{p}", period), regex.I)
        for f in data["frequencies"])
    digit_start, word_start, word_opening, words, openings = _quantity_starts(data)
    return _Grammar(
        quantity=_quantity_pattern(data),
        digit_start=digit_start,
        word_start=word_start,
        word_opening=word_opening,
        words=words,
        openings=openings,
        percent=patterns.compile(data["percent"]["pattern"]),
        frequencies=frequencies,
        units={w.lower(): u["unit"] for u in data["units"] for w in u["written"]},
        conditional={w: (u["unit"], patterns.compile(u["after"], regex.I))
                     for u in data["units"] if "after" in u for w in u["written"]},
        period_words=period_words,
        sessions=frozenset(n for g in data["nouns"] if g.get("sessions") for n in g["nouns"]),
        nouns=frozenset(n for g in data["nouns"] for n in g["nouns"]),
    )


def unit_of(written: str) -> str | None:
    """The unit a spelling names (a table's unit column: "Tỷ đồng", "%"), or None.

    >>> unit_of("Tỷ đồng"), unit_of("%"), unit_of("Ha"), unit_of("Người")
    ('tỷ đồng', 'percent', 'ha', None)
    """
    folded = " ".join(written.split()).lower()
    grammar = _grammar()
    if grammar.percent.fullmatch(folded):
        return "percent"
    return grammar.units.get(folded) or grammar.conditional.get(folded, (None,))[0]


def is_counted_noun(written: str) -> bool:
    """Is ``written`` a noun a count is attached to ("Người", "doanh nghiệp")?"""
    return " ".join(written.split()).lower() in _grammar().nouns


def _value(written: str) -> int | float | None:
    value = number_word(written)
    if value is not None:
        return value
    number = parse_number(written)
    return number if math.isfinite(number) else None


def _period_name(word: str, every: int) -> str:
    period, multiples = _grammar().period_words[" ".join(word.lower().split())]
    if every == 1:
        return period
    return multiples.get(every, f"{every}_{period}s")


def _frequencies(text: str, start: int, end: int, times: Iterable[Any]) -> list[Quantity]:
    """Frequencies, looked for only around the word "lần" (its matches ``times``) that every
    one of them holds."""
    found: dict[tuple[int, int], Quantity] = {}
    for lan in times:
        window = (max(start, lan.start() - _FREQUENCY_REACH),
                  min(end, lan.end() + _FREQUENCY_REACH))
        for pattern in _grammar().frequencies:
            for m in pattern.finditer(text, *window):
                if m.span() in found:
                    continue
                groups = m.groupdict()
                every = _value(groups["every"]) if groups.get("every") else 1
                value = _value(m["n"])
                if value is None or every is None:
                    continue
                found[m.span()] = Quantity(
                    m.start(), m.end(), value, "per_period", "frequency",
                    period=_period_name(m["p"], int(every)), body=m.start(),
                    cue="gte" if groups.get("cue") else None,
                )
    return list(found.values())


def _share(m: Any) -> Quantity | None:
    part, whole = int(m["fa"]), parse_number(m["fb"])
    if not 0 < part <= whole:
        return None
    return Quantity(m.start(), m.end(), part, "count", "ratio", body=m.start("fnoun"))


def _measure(text: str, m: Any) -> Quantity | None:
    if not (m["u1"] or m["u2"] or m["mag"] or m["cu"] or m["noun"] or m["bare"] or m["cnoun"]):
        return None  # a bare number: a heading, an article, a year, a day
    value = _value(m["num"])
    value_max = _value(m["num2"]) if m["num2"] else None
    if value is None or (m["num2"] and value_max is None):
        return None
    written = [" ".join(m[g].split()) for g in ("u2", "u1") if m[g]]
    if written:
        end = max(m.end(g) for g in ("num", "u1", "num2", "u2") if m[g])  # the noun is the body
        unit = _grammar().units.get(written[0].lower())
        if unit is None:  # the percent sign, written or spelled
            return Quantity(m.start(), end, value, "percent", "percent", value_max, body=end)
        return Quantity(m.start(), end, value, unit, "measure", value_max, body=end)
    if m["mag"]:  # "3,5 triệu kWh", "2 triệu người": a measure of its own
        measured = " ".join(m["mword"].split())
        unit = f"{m['mag']} {_grammar().units.get(measured.lower(), measured)}"
        return Quantity(m.start(), m.end(), value, unit, "measure", value_max, body=m.end())
    if m["cu"]:
        unit, after = _grammar().conditional[m["cu"].lower()]
        if after.search(text, max(0, m.start() - _UNIT_CONDITION), m.start()):
            return Quantity(m.start(), m.end("cu"), value, unit, "measure", value_max,
                            body=m.end("cu"))
        if m["cu"].lower() not in _grammar().nouns:
            return None
        return Quantity(m.start(), m.end("cu"), value, "count", "count", value_max,
                        body=m.start("cu"), sessions=m["cu"].lower() in _grammar().sessions)
    noun = "noun" if m["noun"] else "cnoun" if m["cnoun"] else "bare"
    kind = "rate" if m["rate"] else "count" if noun == "noun" else "bare"
    end = m.end("rate") if m["rate"] else m.end(noun)
    sessions = bool(m["noun"]) and " ".join(m["noun"].split()) in _grammar().sessions
    return Quantity(m.start(), end, value, "count", kind, value_max,
                    body=m.start(noun), sessions=sessions)


def _quantity(text: str, m: Any) -> Quantity | None:
    if m["fa"]:
        return _share(m)
    if m["word"]:
        value = number_word(m["word"])
        assert value is not None
        noun = " ".join(m["wnoun"].split())
        return Quantity(m.start(), m.end(), value, "count", "word", body=m.start("wnoun"),
                        sessions=noun in _grammar().sessions)
    if m["all"]:
        return Quantity(m.start(), m.end(), 100, "percent", "all", body=m.start("anoun"))
    return _measure(text, m)


def _within(at: list[int], start: int, end: int) -> list[int]:
    i = bisect_left(at, start)
    if i == len(at) or at[i] >= end:
        return []  # most stretches: one bisection says so
    return at[i:bisect_left(at, end, i)]


class Quantities:
    """The quantities of any stretch of one text (:meth:`within`), as :func:`find_quantities`
    reads that stretch. Where one may start (a digit no letter or number runs into, a number
    word's first syllable, the "lần" of a frequency) is found in one scan of
    ``text[start:end]``: a document is read line by line, and scanning each line for the
    number words cost more than reading its numbers.

    The places listed hold every one a scan of the stretch would find (a lookbehind reads
    the text before the stretch either way; a syllable is listed whatever stands around it
    in the lower-cased text), and each is checked where it is read.
    """

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        stop = len(text) if end is None else end
        grammar = _grammar()
        self._text = text
        self._starts = [m.start() for m in grammar.digit_start.finditer(text, start, stop)]
        self._times = [m.start() for m in _TIMES_OPENING_RE.finditer(text, start, stop)]
        lower = text[start:stop].lower()
        if len(lower) == stop - start:
            words = [start + m.start() for opening in grammar.openings
                     for m in opening.finditer(lower)]
        else:  # lower case moved the offsets ("İ"): the words' own scan
            words = [m.start() for m in grammar.word_opening.finditer(
                text, start, stop, overlapped=True)]
        # Digits and words merged once (a digit is never a word's first letter): a stretch
        # is read in one bisection and no sort.
        self._at = sorted(self._starts + words) if words else self._starts

    def within(self, start: int, end: int) -> list[Quantity]:
        """Tìm đại lượng (find quantities): every number of ``text[start:end]`` with a unit,
        a noun or a period, in order; a frequency wins an overlap. Linear in the length."""
        text, grammar = self._text, _grammar()
        at_list = _within(self._at, start, end)
        times_at = _within(self._times, start, end)
        if not at_list and not times_at:
            return []  # most lines: nothing where a quantity or a frequency may start
        # the fast check: no digit and no number word (a frequency's may follow a letter)
        if not _within(self._starts, start, end) and _DIGIT_RE.search(
                text, start, end) is None and not any(
                grammar.words.match(text, at, end) for at in at_list):
            return []
        times = [m for at in times_at if (m := _TIMES_RE.match(text, at, end)) is not None]
        found = _frequencies(text, start, end, times) if times else []
        reached = scanned = start
        for at in at_list:
            if at < scanned:
                continue  # inside the previous start, as a scan for starts would skip it
            if text[at].isdigit():  # a digit start (every word opens with a letter)
                scanned = at + 1
            else:
                word = grammar.word_start.match(text, at, end)
                if word is None:
                    continue
                scanned = word.end()
            if at < reached:
                continue  # inside the previous quantity
            if end - at <= _LAST_NUMBER and (n := NUMBER_RE.match(text, at, end)) is not None \
                    and n.end() == end:
                continue  # a number that ends the stretch (a table's cell) has nothing after it
            m = grammar.quantity.match(text, at, end)
            if m is not None:
                reached = m.end()
                # a number with nothing after it (a heading's, a year, a day) is none: the
                # cheap form of what _measure says of it
                if reached != m.end("num") and (quantity := _quantity(text, m)) is not None:
                    found.append(quantity)
        return _in_order(found)


def _in_order(found: list[Quantity]) -> list[Quantity]:
    """The quantities in order, none overlapping: a frequency wins over the number it holds,
    else the first."""
    if len(found) < 2:
        return found
    found.sort(key=lambda q: (q.start, q.kind != "frequency"))
    unique: list[Quantity] = []
    for quantity in found:
        if not unique or quantity.start >= unique[-1].end:
            unique.append(quantity)
    return unique


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Tìm đại lượng (find quantities): every number of ``text[start:end]`` with a unit, a
    noun or a period, in order; a frequency wins an overlap. Linear in the length."""
    stop = len(text) if end is None else end
    return Quantities(text, start, stop).within(start, stop)
