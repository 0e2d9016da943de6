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
_NAME_RE = regex.compile(r"(?:[ \t]+\p{Lu}[\p{L}\p{M}\d]*)+")
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
class _Words:
    """Words of one kind: a pattern over folded text, and the forms with marks each folded
    form stands for (a match counts where the text has these marks, or none at all; a form
    with no marks to check, a place's name, counts as it is)."""

    pattern: Pattern
    forms: dict[str, set[str]]

    def find(self, folded: str, text: str, start: int = 0, end: int | None = None
             ) -> Iterator[tuple[int, int]]:
        """Spans of the words in ``text`` (``folded`` is ``fold(text)``), written with their
        marks, or without any when the whole text lost them."""
        plain = folded == text.lower()
        for m in self.pattern.finditer(folded, start, len(folded) if end is None else end):
            forms = self.forms.get(_spaced(m.group()), set())
            if plain or not forms or _spaced(fold_tones(text[m.start():m.end()]).lower()) in forms:
                yield m.span()


def _words(words: Iterable[str]) -> _Words:
    forms: dict[str, set[str]] = {}
    for word in words:
        forms.setdefault(_spaced(fold(word)), set()).add(_spaced(fold_tones(word).lower()))
    return _folded(forms)


def _folded(forms: dict[str, set[str]]) -> _Words:
    body = "|".join(regex.escape(f).replace(r"\ ", r"\s+")
                    for f in sorted(forms, key=len, reverse=True))
    return _Words(regex.compile(f"{_WORD_START}(?:{body}){_WORD_END}"), forms)


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
                    for w in sorted(set(words), key=len, reverse=True))


@cache
def _vocabulary() -> _Vocabulary:
    data, targets = load("measures"), load("targets")
    horizon = data["horizon"]
    units = [w for u in extractor_data("units") for w in u["written"]]
    percent = extractor_data("percent")["pattern"]
    numbers = regex.compile(
        rf"(?<![\w.,/])(?:\d+/\d+|{NUMBER_PATTERN})(?:\s*(?:-|den|toi)\s*(?:{NUMBER_PATTERN}))?"
        rf"(?:\s*(?:{fold(percent)}|(?:{_alternation(units)}){_WORD_END}))?{_WORD_END}")
    year = r"(?:19|20)\d\d"
    before = _alternation(horizon["before"])
    horizon_re = regex.compile(
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
        baseline=regex.compile(rf"(?:{_alternation(horizon['baseline'])})\s+$"),
        # written to end a prefix ("…ít nhất" + a number): here they must end a word too
        cues=tuple(regex.compile(f"(?:{p}){_WORD_END}", regex.IGNORECASE) for p in cues),
        suffixes=tuple(regex.compile(entry["pattern"], regex.IGNORECASE)
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
        kept_after=regex.compile(
            rf"{_WORD_START}(?:{_alternation(data['locality']['kept_after'])})\s+$"),
    )


def _levels(folded: str, text: str, start: int = 0, end: int | None = None
            ) -> Iterator[tuple[int, int]]:
    """Where level words are written ("xã", "thị trấn"), but not "xã hội"."""
    v = _vocabulary()
    not_levels = list(v.not_levels.find(folded, text, start, end))
    for span in v.levels.find(folded, text, start, end):
        if not any(s <= span[0] < e for s, e in not_levels):
            yield span


# --- Taking words out ----------------------------------------------------------------------


def _horizons(folded: str, marks: bytearray) -> int | None:
    """Mark the horizons; the first year that is not a baseline."""
    v, found = _vocabulary(), None
    for m in v.horizon.finditer(folded):
        if v.baseline.search(folded, 0, m.start()):
            continue
        _mark(marks, *m.span())
        if found is None:
            found = int(m["year"] or m["last"])
    return found


def _places(folded: str, text: str, marks: bytearray) -> None:
    """Mark the plan's own place: "[before] level Name", "[before] Name", "before level",
    and "trên địa bàn" alone."""
    v = _vocabulary()
    starts: dict[int, int] = {}  # where the word after a before-word starts -> its start
    for start, end in v.before_place.find(folded, text):
        while end < len(folded) and folded[end] in " \t":
            end += 1
        starts[end] = start
    for start, end in _levels(folded, text):
        name = _NAME_RE.match(text, end)
        if name is not None:
            _mark(marks, starts.get(start, start), name.end())
        elif start in starts:
            _mark(marks, starts[start], end)
    for start, end in v.places.find(folded, text):
        if text[start].isupper():
            _mark(marks, starts.get(start, start), end)
    for span in v.alone.find(folded, text):
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


def _strip_edges(folded: str, text: str, piece: tuple[int, int]) -> tuple[int, int]:
    """A piece without its opening counting words and its closing attaining words or
    province's level word ("GRDP tỉnh")."""
    v = _vocabulary()
    start, end = piece
    while start < end:
        opening = next((e for s, e in v.opening.find(folded, text, start, end) if s == start),
                       None)
        ending = next((s for s, e in v.ending.find(folded, text, start, end) if e == end), None)
        if ending is None:
            ending = next((s for s, e in _levels(folded, text, start, end)
                           if e == end and s > start and _spaced(folded[s:e]) in v.provincial
                           and not v.kept_after.search(folded, start, s)), None)
        if opening is None and ending is None:
            break
        start, end = _trim(text, opening or start, end if ending is None else ending)
    return start, end


def _tokens(folded: str, text: str, pieces: list[tuple[int, int]]) -> tuple[str, ...]:
    """The compared syllables of the pieces: function words out, a level word (or a list
    of them: "xã, phường, thị trấn") as one @level."""
    v = _vocabulary()
    out: list[str] = []
    for start, end in pieces:
        skip = bytearray(end - start)
        levels: dict[int, tuple[int, str]] = {}
        for s, e in v.fillers.find(folded, text, start, end):
            skip[s - start:e - start] = b"\x01" * (e - s)
        for s, e in _levels(folded, text, start, end):
            levels[s] = (e, v.level_of[_spaced(folded[s:e])])
        position = start
        for m in _SYLLABLE_RE.finditer(folded, start, end):
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
    v = _vocabulary()
    folded = fold(text)
    marks = bytearray(len(text))
    for m in v.numbers.finditer(folded):
        _mark(marks, *m.span())
        after = text[m.end():]
        for suffix in v.suffixes:  # anchored ("^") at the number's end: "40% trở lên"
            if (bound := suffix.match(after)) is not None:
                _mark(marks, m.end(), m.end() + bound.end())
    for span in v.number_words.find(folded, text):
        _mark(marks, *span)
    year = _horizons(folded, marks)
    _places(folded, text, marks)
    for pattern in v.cues:
        for m in pattern.finditer(text):
            _mark(marks, *m.span())
    for span in v.rates.find(folded, text):
        _mark(marks, *span)
    pieces = [_strip_edges(folded, text, p) for p in _pieces(text, marks)]
    pieces = [p for p in pieces if p[0] < p[1]]
    tokens = _tokens(folded, text, pieces)
    parts = tuple(" ".join(text[s:e].split()) for s, e in pieces
                  if _tokens(folded, text, [(s, e)]))
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
