"""Cái được đo (what a target measures): a target's subject without the words that say how
much, by when or where, so that the targets of different plans can be lined up.

``measure_of(subject, text)`` takes out of the subject the numbers and units, the
comparator and period words of ``data/targets.toml``, the rate, counting and attaining words
and the horizon ("đến năm 2030") of ``data/measures.toml``, and the plan's own place (a
province of ``data/provinces.toml``, a level word of ``data/issuers.toml`` before a name or
after "trên địa bàn", "toàn" …). What is left is the ``wording`` a person reads and its
``tokens``, the syllables compared (without tone marks, without function words, a level
word as its level: "xã", "phường" and "thị trấn" are all ``@commune``). A subject too thin to
say what is measured ("xã, phường", "vào năm 2025") is measured on its clause instead.

>>> m = measure_of("xã, phường trên toàn thành phố không có ma túy",
...                "đến năm 2030 đạt ít nhất 50% số xã, phường trên toàn thành phố không có ma túy")
>>> m.wording, m.tokens, m.year
('xã, phường không có ma túy', ('@commune', 'khong', 'ma', 'tuy'), 2030)
>>> measure_of("vào năm 2025", "Tỷ lệ nữ giám đốc doanh nghiệp đạt 27% vào năm 2025").wording
'nữ giám đốc doanh nghiệp'
>>> family_of("nghìn tỷ đồng", "eq"), family_of("percent", "increase"), family_of("per_period",
...           "gte", "quarter")
(('đồng', 1000000000000.0), ('change percent', 1.0), ('per year', 4.0))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex

from . import patterns
from .data import load
from .layout import fold
from .localities import vocabulary as localities
from .models import Target
from .normalize import fold_tones
from .numbers import NUMBER_PATTERN, number_words

# Fewer content syllables than this: the subject does not say what is measured, its clause
# does ("xã, phường", "dân số", "vào năm 2025").
MIN_TOKENS = 3
PER_YEAR = {"day": 365, "week": 52, "month": 12, "quarter": 4, "half_year": 2, "year": 1}
_EDGES = " \t\n,;:.-–|/"
_SYLLABLE_RE = re.compile(r"[^\W_]+")
# A place's name: a few capitalized words (possessive, bounded: linear on any input).
_NAME_RE = patterns.compile(r"(?<![ \t])(?:[ \t]++\p{Lu}[\p{L}\p{M}\d]*+){1,4}")
_BASELINE_REACH = 30  # characters before a year where "so với" makes it a baseline
_SUFFIX_REACH = 20  # characters after a number where a bound ("trở lên") is looked for
_WORD_START = "(?<![^\\W_])"
_WORD_END = "(?![^\\W_])"

Pattern = Any  # the regex module ships without types


def extractor_data(key: str) -> Any:
    """A table of the target extractor's quantity vocabulary (``units``, ``percent``,
    ``everything``): in ``data/numbers.toml`` when the quantity grammar lives there, else in
    ``data/targets.toml``."""
    numbers = load("numbers")
    return numbers[key] if key in numbers else load("targets")[key]


def per_year(period: str | None) -> float | None:
    """Times a year of a period named by the target extractor; None when unknown.

    >>> per_year("quarter"), per_year("half_year"), per_year("2_months"), per_year("2_years")
    (4.0, 2.0, 6.0, 0.5)
    """
    if period in PER_YEAR:
        return float(PER_YEAR[period])
    several = re.fullmatch(r"(\d+)_(\w+?)s", period or "")
    if several and several[2] in PER_YEAR and int(several[1]):
        return PER_YEAR[several[2]] / int(several[1])
    return None


def family_of(unit: str, comparator: str, period: str | None = None
              ) -> tuple[str, float] | None:
    """(what a target is measured in, factor to it): a unit without its magnitude words
    ("tỷ đồng" is 10^9 "đồng"), frequencies per year, a change ("tăng 3%") apart from a level;
    None for a frequency of unknown period."""
    kind = "change " if comparator in ("increase", "decrease") else ""
    if unit == "per_period":
        times = per_year(period)
        return None if times is None else (f"{kind}per year", times)
    base, factor = _magnitude(unit)
    return f"{kind}{base}", factor


@cache
def _magnitude(unit: str) -> tuple[str, float]:
    words = {fold(w): float(v) for w, v in load("measures")["magnitudes"]["words"].items()}
    parts, factor = unit.split(), 1.0
    while len(parts) > 1 and fold(parts[0]) in words:
        factor *= words[fold(parts.pop(0))]
    return " ".join(parts), factor


@dataclass(frozen=True)
class Measure:
    """What a target measures: the words compared, the wording shown, by when."""

    tokens: tuple[str, ...]  # folded syllables, function words out, level words as @level
    wording: str  # the phrase as written, without the words taken out
    parts: tuple[str, ...]  # the stretches of the wording between the words taken out
    year: int | None  # a horizon year the subject or its clause names


# --- The vocabulary, compiled ------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    """A phrase, folded (same length: ``fold``), and whether it has no marks at all."""

    text: str
    folded: str
    plain: bool

    @classmethod
    def of(cls, text: str) -> _Text:
        folded = fold(text)
        return cls(text, folded, folded == text.lower())


@dataclass(frozen=True)
class _Words:
    """Words of one kind: a pattern over folded text, and the forms with marks each folded
    form stands for (a match counts where the text has these marks, or none at all; a form
    with no marks to check, a place's name, counts as it is)."""

    pattern: Pattern  # the words, each whole
    exact: Pattern  # the words, to match a stretch exactly
    forms: dict[str, set[str]]
    longest: int  # words in the longest form

    def _written(self, t: _Text, start: int, end: int) -> bool:
        forms = self.forms.get(_spaced(t.folded[start:end]), set())
        return t.plain or not forms or _spaced(fold_tones(t.text[start:end]).lower()) in forms

    def find(self, t: _Text, start: int = 0, end: int | None = None
             ) -> Iterator[tuple[int, int]]:
        """Spans of the words in ``t``, written with their marks (or without any when the
        whole text lost them)."""
        for m in self.pattern.finditer(t.folded, start, len(t.folded) if end is None else end):
            if self._written(t, *m.span()):
                yield m.span()

    def opening(self, t: _Text, start: int, end: int) -> int | None:
        """The end of the word that opens ``t[start:end]``, or None."""
        m = self.pattern.match(t.folded, start, end)
        return m.end() if m is not None and self._written(t, *m.span()) else None

    def closing(self, t: _Text, start: int, end: int) -> int | None:
        """The start of the word that closes ``t[start:end]``, or None: its last words
        only are looked at, so that stripping words one by one stays linear."""
        position, starts = end, []
        for _ in range(self.longest):
            while position > start and t.folded[position - 1].isspace():
                position -= 1
            while position > start and not t.folded[position - 1].isspace():
                position -= 1
            starts.append(position)
        for position in reversed(starts):  # the longest first: "ở mức", not "mức"
            if (self.exact.fullmatch(t.folded, position, end) is not None
                    and self._written(t, position, end)):
                return position
        return None


def _words(words: Iterable[str]) -> _Words:
    forms: dict[str, set[str]] = {}
    for word in words:
        forms.setdefault(_spaced(fold(word)), set()).add(_spaced(fold_tones(word).lower()))
    return _folded(forms)


def _folded(forms: dict[str, set[str]]) -> _Words:
    body = "|".join(regex.escape(f).replace(r"\ ", r"\s+")
                    for f in patterns.longest_first(forms))
    return _Words(patterns.compile(f"{_WORD_START}(?:{body}){_WORD_END}"),
                  patterns.compile(f"(?:{body})"), forms,
                  max((len(f.split()) for f in forms), default=1))


def _spaced(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class _Vocabulary:
    numbers: Pattern  # digits (with a percent sign or a unit after them), over folded text
    number_words: _Words
    horizon: Pattern  # over folded text; group "year" or "last"
    baseline: Pattern  # ends right before a baseline year
    cues: tuple[Pattern, ...]  # data/targets.toml comparators, openers, periods (marked text)
    suffixes: tuple[Pattern, ...]  # data/targets.toml bounds right after a number ("trở lên")
    rates: _Words
    opening: _Words
    ending: _Words
    fillers: _Words
    places: _Words  # province names and their variants
    levels: _Words  # level words
    level_of: dict[str, str]  # folded level word -> @level
    provincial: frozenset[str]  # folded level words of a province ("tinh", "thanh pho")
    not_levels: _Words
    before_place: _Words
    alone: _Words
    kept_after: Pattern  # ends right before a province's level word that stays


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(fold(w)).replace(r"\ ", r"\s+")
                    for w in patterns.longest_first(words))


@cache
def _vocabulary() -> _Vocabulary:
    data, targets = load("measures"), load("targets")
    horizon = data["horizon"]
    units = [w for u in extractor_data("units") for w in u["written"]]
    percent = extractor_data("percent")["pattern"]
    numbers = patterns.compile(
        rf"(?<![\w.,/])(?:\d+/\d+|{NUMBER_PATTERN})(?:\s*(?:-|den|toi)\s*(?:{NUMBER_PATTERN}))?"
        rf"(?:\s*(?:{fold(percent)}|(?:{_alternation(units)}){_WORD_END}))?{_WORD_END}")
    year = r"(?:19|20)\d\d"
    before = _alternation(horizon["before"])
    horizon_re = patterns.compile(
        rf"{_WORD_START}(?:(?:{before})\s+)?(?:{_alternation(horizon['year'])})\s+"
        rf"(?P<year>{year})(?:\s*[-–]\s*{year})?(?:\s+(?:{_alternation(horizon['after'])}))?"
        rf"{_WORD_END}"
        rf"|{_WORD_START}(?:(?:{before})\s+)?(?:{_alternation(horizon['period'])})\s+{year}"
        rf"\s*[-–]\s*(?P<last>{year}){_WORD_END}")
    cues = [entry["pattern"] for table in ("comparators", "openers", "periods")
            for entry in targets.get(table, ())]
    places = localities()
    # a level word is written with its own marks ("quận", not the "quan" of "cơ quan"); a
    # form without marks ("TP.") as it is
    level_forms = {key: {_spaced(fold_tones(word).lower())} | ({key} if fold(word) != key
                                                               else set())
                   for key, (word, _) in places.levels.items()}
    cue_words = [w for entry in data["cues"] for w in entry.get("words", ())]
    return _Vocabulary(
        numbers=numbers,
        number_words=_words([*number_words(), *extractor_data("everything")["words"]]),
        horizon=horizon_re,
        baseline=patterns.compile(rf"(?:{_alternation(horizon['baseline'])})\s+$"),
        # written to end a prefix ("…ít nhất" + a number): here they must end a word too
        cues=tuple(patterns.compile(f"(?:{p}){_WORD_END}", regex.IGNORECASE) for p in cues),
        suffixes=tuple(patterns.compile(entry["pattern"], regex.IGNORECASE)
                       for entry in targets.get("suffixes", ())),
        rates=_words(cue_words),
        opening=_words(w for entry in data["cues"] for w in entry.get("opening", ())),
        ending=_words(w for entry in data["cues"] for w in entry.get("ending", ())),
        fillers=_words(w for entry in data["fillers"] for w in entry["words"]),
        places=_folded({key: set() for key in places.provinces}),
        levels=_folded(level_forms),
        level_of={key: f"@{levels[-1]}" for key, (_, levels) in places.levels.items()},
        provincial=frozenset(key for key, (_, levels) in places.levels.items()
                             if "province" in levels),
        not_levels=_words(data["locality"]["not_levels"]),
        before_place=_words(data["locality"]["before"]),
        alone=_words(data["locality"]["alone"]),
        kept_after=patterns.compile(
            rf"{_WORD_START}(?:{_alternation(data['locality']['kept_after'])})\s+$"),
    )


def _levels(t: _Text, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Where level words are written ("xã", "thị trấn"), but not "xã hội"."""
    v = _vocabulary()
    inside = {i for s, e in v.not_levels.find(t, start, end) for i in range(s, e)}
    for span in v.levels.find(t, start, end):
        if span[0] not in inside:
            yield span


# --- Taking words out ----------------------------------------------------------------------


def _horizons(t: _Text, marks: bytearray) -> int | None:
    """Mark the horizons; the first year that is not a baseline."""
    v, found = _vocabulary(), None
    for m in v.horizon.finditer(t.folded):
        if v.baseline.search(t.folded, max(0, m.start() - _BASELINE_REACH), m.start()):
            continue
        _mark(marks, *m.span())
        if found is None:
            found = int(m["year"] or m["last"])
    return found


def _places(t: _Text, marks: bytearray) -> None:
    """Mark the plan's own place: "[before] level Name", "[before] Name", "before level",
    and "trên địa bàn" alone."""
    v = _vocabulary()
    starts: dict[int, int] = {}  # where the word after a before-word starts -> its start
    for start, end in v.before_place.find(t):
        while end < len(t.folded) and t.folded[end] in " \t":
            end += 1
        starts[end] = start
    for start, end in _levels(t):
        name = _NAME_RE.match(t.text, end)
        if name is not None:
            _mark(marks, starts.get(start, start), name.end())
        elif start in starts:
            _mark(marks, starts[start], end)
    for start, end in v.places.find(t):
        if t.text[start].isupper():
            _mark(marks, starts.get(start, start), end)
    for span in v.alone.find(t):
        _mark(marks, *span)


def _mark(marks: bytearray, start: int, end: int) -> None:
    marks[start:end] = b"\x01" * (end - start)


def _pieces(text: str, marks: bytearray) -> list[tuple[int, int]]:
    """The unmarked stretches of ``text``, without their edges' punctuation."""
    out, start = [], None
    for i, marked in enumerate([*marks, 1]):
        if not marked and start is None:
            start = i
        elif marked and start is not None:
            out.append(_trim(text, start, i))
            start = None
    return [(s, e) for s, e in out if s < e]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without punctuation at its edges (nor the half of a parenthesis
    whose other half was taken out: "(1) Tổng sản phẩm")."""
    while start < end and (text[start] in _EDGES or text[start] == ")"):
        start += 1
    while end > start and (text[end - 1] in _EDGES or text[end - 1] == "("):
        end -= 1
    return start, end


def _strip_edges(t: _Text, piece: tuple[int, int]) -> tuple[int, int]:
    """A piece without its opening counting words and its closing attaining words or
    province's level word ("GRDP tỉnh")."""
    v = _vocabulary()
    start, end = piece
    while start < end:
        opening = v.opening.opening(t, start, end)
        ending = v.ending.closing(t, start, end)
        if ending is None:
            level = v.levels.closing(t, start, end)
            if (level is not None and level > start
                    and _spaced(t.folded[level:end]) in v.provincial
                    and not v.kept_after.search(t.folded, max(start, level - 12), level)):
                ending = level
        if opening is None and ending is None:
            break
        start, end = _trim(t.text, opening or start, end if ending is None else ending)
    return start, end


def _tokens(t: _Text, pieces: list[tuple[int, int]]) -> tuple[str, ...]:
    """The compared syllables of the pieces: function words out, a level word (or a list
    of them: "xã, phường, thị trấn") as one @level."""
    v = _vocabulary()
    out: list[str] = []
    for start, end in pieces:
        skip = bytearray(end - start)
        levels: dict[int, tuple[int, str]] = {}
        for s, e in v.fillers.find(t, start, end):
            skip[s - start:e - start] = b"\x01" * (e - s)
        for s, e in _levels(t, start, end):
            levels[s] = (e, v.level_of[_spaced(t.folded[s:e])])
        position = start
        for m in _SYLLABLE_RE.finditer(t.folded, start, end):
            if m.start() < position or skip[m.start() - start]:
                continue
            if m.start() in levels:
                position, token = levels[m.start()]
                if not out or out[-1] != token:
                    out.append(token)
                continue
            if not m.group().isdigit():
                out.append(m.group())
    return tuple(out)


def _measure(text: str) -> Measure:
    v, t = _vocabulary(), _Text.of(text)
    marks = bytearray(len(text))
    for m in v.numbers.finditer(t.folded):
        _mark(marks, *m.span())
        after = text[m.end():m.end() + _SUFFIX_REACH]
        for suffix in v.suffixes:  # anchored ("^") at the number's end: "40% trở lên"
            if (bound := suffix.match(after)) is not None:
                _mark(marks, m.end(), m.end() + bound.end())
    for span in v.number_words.find(t):
        _mark(marks, *span)
    year = _horizons(t, marks)
    _places(t, marks)
    for pattern in v.cues:
        for m in pattern.finditer(text):
            _mark(marks, *m.span())
    for span in v.rates.find(t):
        _mark(marks, *span)
    pieces = [_strip_edges(t, p) for p in _pieces(text, marks)]
    pieces = [p for p in pieces if p[0] < p[1]]
    tokens = _tokens(t, pieces)
    parts = tuple(" ".join(text[s:e].split()) for s, e in pieces if _tokens(t, [(s, e)]))
    return Measure(tokens, " ".join(parts), parts, year)


def _cell(text: str) -> str:
    """The cell of a table row that states the target: the longest holding a number, else
    the longest."""
    cells = [c.strip() for c in text.split("|")]
    numbered = [c for c in cells if _vocabulary().numbers.search(fold(c))]
    return max(numbered or cells, key=len)


@lru_cache(maxsize=65536)
def measure_of(subject: str, text: str = "") -> Measure:
    """Cái được đo (what a target measures): its subject without the words of quantity, time
    and place; its clause's when the subject is too thin (see ``MIN_TOKENS``) or a table
    row's run-on."""
    own = _measure(subject)
    if (len(own.tokens) >= MIN_TOKENS and "|" not in subject) or not text:
        return own if own.year is not None or not text else Measure(
            own.tokens, own.wording, own.parts, _measure(text).year)
    clause = _measure(_cell(text) if "|" in text else text)
    year = own.year if own.year is not None else clause.year
    best = clause if len(clause.tokens) > len(own.tokens) else own
    return Measure(best.tokens, best.wording, best.parts, year)


def target_year(record: Mapping[str, Any], measure: Measure | None = None) -> int | None:
    """The year a target (a store row) is for: the extractor's ``target_year`` when the
    schema has ``Target.year``; else a horizon its words name (``measure``, or its subject's
    and clause's) that is not before its plan's own year ("theo chuẩn nghèo giai đoạn
    2021-2025" in a plan for 2026 names a standard, not a horizon)."""
    if "year" in Target.model_fields:
        value = record.get("target_year")
        return None if value is None else int(value)
    if measure is None:
        measure = measure_of(record["subject"] or "", record["text"] or "")
    found, plan_year = measure.year, record.get("plan_year")
    return found if found is not None and (plan_year is None or found >= plan_year) else None
