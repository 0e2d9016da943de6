"""Chỉ tiêu (numeric targets): every quantified commitment of a plan, wherever it stands.

A candidate is a percentage (``60%``, ``3% - 5%``, ``60-70%``), a count with its noun
(``01 địa bàn``, ``5.300 người``), a fraction (``10/10 huyện`` → 100 percent), a measure
(``500ha``, ``155.000 tỷ đồng``) or a frequency (``ít nhất một tháng một lần``). Its clause
(cut at ``;``, ``:`` and sentence ends) is split into items, one per number that opens a list
item ("60% A, 100% B"); a number inside the predicate of an item only describes it ("60% xã …
tổ chức được ít nhất là một hình thức"). The words before a number give its comparator, and
a comparator that opens a list governs the list. A number is a commitment inside a targets
section, after a comparator or a commitment word, or at the head of a sentence; it is not one
when it names something (Đội 178), is a year, a reporting schedule, money of the funding
part, a fee or fine, or a past result. All words live in ``data/targets.toml``.

>>> from kehoach_parser.context import context_of
>>> [(t.value, t.unit, t.comparator, t.subject) for t in find_targets(context_of(
...     "Ít nhất 60% người lao động tại các cơ sở kinh doanh dịch vụ, 50% người lao động tại "
...     "các khu công nghiệp được tuyên truyền.", metadata=Metadata(doc_type="KH"))).items]
... # doctest: +NORMALIZE_WHITESPACE
[(60, 'percent', 'gte', 'người lao động tại các cơ sở kinh doanh dịch vụ'),
 (50, 'percent', 'gte', 'người lao động tại các khu công nghiệp')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

import regex
from rapidfuzz import fuzz

from .context import Context, Found
from .data import load
from .indicators import Catalogue, load_catalogue
from .models import Comparator, Mention, Metadata, Section, Target
from .numbers import INTEGER_PATTERN, NUMBER_PATTERN, number_word, number_words, parse_number
from .sections import Locator, walk

# The regex module ships without type information: its patterns and matches are Any.
Pattern = Any
Match = Any

# How far back (characters) a comparator cue or a naming word is looked for.
_CUE_WINDOW = 80
# How many lines back a lead-in ("Phấn đấu đến năm 2025:") is looked for.
_LEAD_LINES = 30
# Restatements: subjects this similar (rapidfuzz token sort ratio: extra words count against)
# state one commitment.
_SAME_SUBJECT = 85
_BULLETS = " -+•●▪◦*"
# Possessive runs, and no start inside a run of digits or spaces: linear on any input
# (tests/test_redos.py).
_BULLET_RE = regex.compile(r"[\s\-+•●▪◦*]*+(?:(?:(?<![\d.])\d++(?:\.\d++)*+|\p{Ll})[.)]\s++)?")
_SEPARATOR_RE = regex.compile(r"[,;]\s*+|(?<!\s)\s++(?:và|hoặc)\s++")
_CLAUSE_END_RE = regex.compile(r";|:(?=\s)|\.(?=\s+[\p{Lu}\d\-]|\s*$)")
_YEAR_RANGE = range(1900, 2101)
_PARENTHESES_RE = regex.compile(r"\([^()]*\)")
_ITEM_LINE_RE = regex.compile(r"[\-+•●▪◦*]|\d")
# Candidates written in words: "một" and "tất cả" are everywhere, numbers only sometimes.
_WORDY = ("word", "all")
_TIMES_RE = regex.compile(r"\blần\b", regex.IGNORECASE)
# How far (characters) from "lần" a frequency may start or end.
_FREQUENCY_REACH = 60
_RESTATED_RE = regex.compile(r"\s*\($")
_YEAR_RE = regex.compile(r"\bnăm\s+(\d{4})\b", regex.IGNORECASE)


@dataclass(frozen=True)
class _Rules:
    """``data/targets.toml``, compiled once."""

    quantity: Pattern
    quantity_starts: Pattern
    frequencies: tuple[Pattern, ...]
    units: dict[str, str]  # as written → unit
    period_words: dict[str, tuple[str, dict[int, str]]]  # word → (period, multiples)
    periods: tuple[tuple[str, Pattern], ...]
    bound: Pattern
    bound_names: tuple[Comparator, ...]
    opener: Pattern
    suffixes: tuple[tuple[Comparator, Pattern], ...]
    predicate: Pattern
    stop: Pattern
    lead: Pattern
    tail: Pattern
    generic: frozenset[str]
    scope: Pattern
    no_targets: frozenset[str]
    results_docs: frozenset[str]
    plan_docs: frozenset[str]
    strong: Pattern
    weak: Pattern
    naming: Pattern
    year_before: Pattern
    past: Pattern
    baseline: Pattern
    fees: Pattern
    reporting: Pattern
    results_section: Pattern


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(set(words), key=len, reverse=True))


def _compile(pattern: str, case: bool = False) -> Pattern:
    return regex.compile(pattern, 0 if case else regex.IGNORECASE)


def _unit_pattern(data: dict[str, Any]) -> str:
    """The percent sign or a unit, longest spelling first, each unit unless the word after
    it makes another noun ("05 đồng chí" counts people, not money)."""
    spellings = []
    for entry in data["units"]:
        unless = entry.get("unless")
        guard = rf"(?!\s+(?:{_alternation(unless)})(?!\p{{L}}))" if unless else ""
        spellings += [(w, _alternation([w]) + guard) for w in entry["written"]]
    spellings.sort(key=lambda pair: len(pair[0]), reverse=True)
    alternatives = "|".join(pattern for _, pattern in spellings)
    return rf"\s?(?:{data['percent']['pattern']}|{alternatives})(?!\p{{L}})"


def _quantity_pattern(data: dict[str, Any]) -> Pattern:
    """Fractions, numbers with a percent sign, a unit or a noun, and number words with a
    noun. Case-sensitive: a counted noun is lower case ("3 Bộ chỉ huy" is a heading)."""
    nouns = _alternation(n for group in data["nouns"] for n in group["nouns"])
    words = data["everything"]["words"]
    everything = _alternation([*words, *(w.capitalize() for w in words)])
    unit = _unit_pattern(data)
    number = rf"(?P<num>{NUMBER_PATTERN})(?!\d)(?P<u1>{unit})?"
    upper = rf"(?P<num2>{NUMBER_PATTERN})(?!\d)(?P<u2>{unit})?"
    return regex.compile(
        rf"(?<![\p{{L}}\d/.,%])(?:"
        rf"(?P<fa>{INTEGER_PATTERN})/(?P<fb>{INTEGER_PATTERN})(?![\d/%]|\p{{L}})\s+(?P<fnoun>\p{{Ll}}+)"
        rf"|{number}(?:\s*(?:{data['range']['pattern']})\s*{upper})?"
        rf"(?:\s+(?P<noun>{nouns})(?!\p{{L}}))?"
        rf"|(?<!\p{{L}})(?P<word>{_alternation(number_words())})\s+(?P<wnoun>{nouns})(?!\p{{L}})"
        rf"|(?<!\p{{L}})(?P<all>{everything})\s+(?:các\s+)?(?P<anoun>{nouns})(?!\p{{L}}))"
    )


def _quantity_starts(data: dict[str, Any]) -> Pattern:
    """Where a quantity can start: a digit, or a number word or "tất cả" opening a word. The
    quantity pattern is tried only there: scanning with its word branches at every position
    was most of the extractor's time."""
    words = [*number_words(), *data["everything"]["words"]]
    written = _alternation([*words, *(w.capitalize() for w in words)])
    return regex.compile(rf"(?<![\p{{L}}\d/.,%])\d|(?<!\p{{L}})(?:{written})(?!\p{{L}})")


def _frequency_patterns(data: dict[str, Any], period_words: Iterable[str]) -> tuple[Pattern, ...]:
    number = rf"(?:{NUMBER_PATTERN}|(?<!\p{{L}})(?:{_alternation(number_words())})(?!\p{{L}}))"
    period = _alternation(period_words)
    return tuple(_compile(f["pattern"].replace("{n}", number).replace("{p}", period))
                 for f in data["frequencies"])


@cache
def _rules() -> _Rules:
    data = load("targets")
    units = {w: u["unit"] for u in data["units"] for w in u["written"]}
    period_words = {
        p["word"]: (p["period"], {int(k): v for k, v in p.get("every", {}).items()})
        for p in data["period_words"]
    }
    comparators = data["comparators"]
    bound = _compile("(?:" + "|".join(f"(?P<c{i}>{c['pattern']})" for i, c in
                                      enumerate(comparators)) + r")\s*$")
    subject = data["subject"]
    return _Rules(
        quantity=_quantity_pattern(data),
        quantity_starts=_quantity_starts(data),
        frequencies=_frequency_patterns(data, period_words),
        units=units,
        period_words=period_words,
        periods=tuple((p["period"], _compile(p["pattern"])) for p in data["periods"]),
        bound=bound,
        bound_names=tuple(cast(Comparator, c["comparator"]) for c in comparators),
        opener=_compile("|".join(o["pattern"] for o in data["openers"])),
        suffixes=tuple((cast(Comparator, s["comparator"]), _compile(s["pattern"]))
                       for s in data["suffixes"]),
        predicate=_compile(subject["predicate"]),
        stop=_compile(f"{subject['predicate']}|{subject['adjunct']}"),
        lead=_compile(subject["lead"]),
        tail=_compile(subject["tail"]),
        generic=frozenset(subject["generic"]),
        scope=_compile(data["scope"]["pattern"]),
        no_targets=frozenset(data["documents"]["no_targets"]),
        results_docs=frozenset(data["documents"]["results"]),
        plan_docs=frozenset(data["documents"]["plans"]),
        strong=_compile(data["commitment"]["strong"]),
        weak=_compile(data["commitment"]["weak"]),
        naming=_compile(data["naming"]["pattern"], case=data["naming"].get("case", False)),
        year_before=_compile(data["years"]["before"]),
        past=_compile(data["past"]["pattern"]),
        baseline=_compile(data["past"]["baseline"]),
        fees=_compile(data["rules"]["pattern"]),
        reporting=_compile(data["reporting"]["pattern"]),
        results_section=_compile(data["results_section"]["pattern"]),
    )


# ---------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    """A number with what it counts: the candidate for one target."""

    start: int
    end: int
    value: int | float
    unit: str
    kind: str  # percent, count, measure, fraction, frequency, word, all
    value_max: int | float | None = None
    period: str | None = None
    body: int = -1  # where the counted noun phrase starts (after a percent or a unit)
    cue: Comparator | None = None  # a comparator inside the match ("hằng quý ít nhất 01 lần")


@cache
def _number(written: str) -> int | float:
    value = number_word(written)
    return value if value is not None else parse_number(written)


def _period_name(word: str, every: int) -> str:
    period, multiples = _rules().period_words[word.lower()]
    if every == 1:
        return period
    return multiples.get(every, f"{every}_{period}s")


def _frequencies(text: str) -> list[_Hit]:
    """Frequencies, looked for only around the word "lần" that every one of them holds."""
    hits: dict[tuple[int, int], _Hit] = {}
    for times in _TIMES_RE.finditer(text):
        window = (max(0, times.start() - _FREQUENCY_REACH), times.end() + _FREQUENCY_REACH)
        for pattern in _rules().frequencies:
            for m in pattern.finditer(text, *window):
                groups = m.groupdict()
                every = _number(groups["every"]) if groups.get("every") else 1
                hits[m.span()] = _Hit(
                    m.start(), m.end(), _number(m["n"]), "per_period", "frequency",
                    period=_period_name(m["p"], int(every)), body=m.start(),
                    cue="gte" if groups.get("cue") else None,
                )
    return list(hits.values())


def _fraction(m: Match) -> _Hit | None:
    part, whole = int(m["fa"]), int(m["fb"])
    if not 0 < part <= whole:
        return None
    share = round(100 * part / whole, 2)
    value = int(share) if share.is_integer() else share
    return _Hit(m.start(), m.end(), value, "percent", "fraction", body=m.start("fnoun"))


def _measure(m: Match) -> _Hit | None:
    written = [" ".join(m[g].split()) for g in ("u2", "u1") if m[g]]
    if not written and not m["noun"]:
        return None  # a bare number: a heading, an article, a year, a day
    value = _number(m["num"])
    value_max = _number(m["num2"]) if m["num2"] else None
    if not written:
        return _Hit(m.start(), m.end(), value, "count", "count", value_max,
                    body=m.start("noun"))
    end = max(m.end(g) for g in ("num", "u1", "num2", "u2") if m[g])  # the noun is the body
    unit = _rules().units.get(written[0])
    if unit is None:  # the percent sign, written or spelled
        return _Hit(m.start(), end, value, "percent", "percent", value_max, body=end)
    return _Hit(m.start(), end, value, unit, "measure", value_max, body=end)


def _quantity(m: Match) -> _Hit | None:
    if m["fa"]:
        return _fraction(m)
    if m["word"]:
        return _Hit(m.start(), m.end(), _number(m["word"]), "count", "word",
                    body=m.start("wnoun"))
    if m["all"]:
        return _Hit(m.start(), m.end(), 100, "percent", "all", body=m.start("anoun"))
    return _measure(m)


def _candidates(text: str) -> list[_Hit]:
    """All numbers with a unit, a noun or a period, in order; a frequency wins an overlap."""
    hits = _frequencies(text)
    rules = _rules()
    end = 0
    for start in rules.quantity_starts.finditer(text):
        if start.start() < end:
            continue  # inside the previous quantity, as finditer would skip it
        m = rules.quantity.match(text, start.start())
        if m is not None:
            end = m.end()
            if (hit := _quantity(m)) is not None:
                hits.append(hit)
    hits.sort(key=lambda h: (h.start, h.kind != "frequency"))
    unique: list[_Hit] = []
    for hit in hits:
        if not unique or hit.start >= unique[-1].end:
            unique.append(hit)
    return unique


# ---------------------------------------------------------------------------------------------
# Document context: sections, doc type, lead-ins
# ---------------------------------------------------------------------------------------------


@dataclass
class _Context:
    """What the document tells about its numbers: its sections, type and year."""

    text: str
    sections: Sequence[Section]
    metadata: Metadata
    catalogue: Catalogue | None
    headings: set[int] = field(init=False)
    locator: Locator = field(init=False)
    reference_year: int | None = field(init=False)
    tier: str = field(init=False)  # plan, report or other

    def __post_init__(self) -> None:
        self.headings = {s.heading_span[0] for s in walk(self.sections)}
        self.locator = Locator(self.sections)
        self.reference_year = self.metadata.plan_year or self.metadata.date.year
        doc_type, rules = self.metadata.doc_type or "", _rules()
        self.tier = ("plan" if doc_type in rules.plan_docs
                     else "report" if doc_type in rules.results_docs else "other")

    def chain(self, offset: int) -> list[Section]:
        """Sections holding ``offset``, deepest first."""
        return self.locator.chain(offset)

    def kinds(self, offset: int) -> set[str]:
        """Kinds of the nearest section that says more than 'other'."""
        for section in self.chain(offset):
            if section.kinds != ["other"]:
                return set(section.kinds)
        return set()

    def in_results(self, offset: int) -> bool:
        pattern = _rules().results_section
        return any(pattern.search(s.title) for s in self.chain(offset))


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    """The line (paragraph) of the normalized text holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _lead_in(context: _Context, line_start: int) -> bool:
    """Does a lead-in line with an opener ("Phấn đấu …:") govern the list this line is in?"""
    text, rules = context.text, _rules()
    end = line_start - 1
    for _ in range(_LEAD_LINES):
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line.endswith(":"):
            return bool(rules.opener.search(line))
        if start in context.headings or not _ITEM_LINE_RE.match(line):  # the list's start
            return False
        end = start - 1
    return False


# ---------------------------------------------------------------------------------------------
# Clauses and items
# ---------------------------------------------------------------------------------------------


@dataclass
class _Item:
    """One list item of a clause: the number that heads it and the words it spans."""

    hit: _Hit
    start: int
    end: int
    opens_with_number: bool
    extra: list[_Hit] = field(default_factory=list)  # numbers of its predicate


@dataclass
class _Clause:
    """A clause (cut at ';', ':' and sentence ends) and its candidates. ``sentence`` is where
    its sentence starts (a list carries on to its end); ``lead`` where the words that end
    with the ':' opening the clause start ("Phấn đấu đến năm 2025: 70% xã …"), else ``start``."""

    sentence: int
    lead: int
    start: int
    end: int
    hits: list[_Hit]


def _clauses(text: str, line: tuple[int, int], hits: Sequence[_Hit]) -> list[_Clause]:
    """The clauses of a line that hold candidates. A part without any joins the next one:
    "đăng tải trên báo chí thành phố; Trang thông tin … ít nhất một tháng một lần"."""
    out: list[_Clause] = []
    start = sentence = lead = line[0]
    for m in _CLAUSE_END_RE.finditer(text, line[0], line[1]):
        inside = [h for h in hits if start <= h.start < m.start()]
        if inside:
            out.append(_Clause(sentence, lead, start, m.start(), inside))
        if inside or m.group() != ";":
            lead = start if m.group() == ":" else m.end()
            start = m.end()
        if m.group() not in ";:":
            sentence = start
    inside = [h for h in hits if start <= h.start]
    if inside:
        out.append(_Clause(sentence, lead, start, line[1], inside))
    return out


def _items(text: str, hits: Sequence[_Hit], start: int, end: int) -> list[_Item]:
    """A clause's list items: a number starts one unless the words since the previous number
    hold a predicate (it then describes that item); items part at the last separator."""
    rules = _rules()
    items: list[_Item] = []
    for hit in hits:
        if not items:
            items.append(_Item(hit, start, end, False))
            continue
        previous = items[-1]
        between = text[previous.hit.end:hit.start]
        # in the predicate, or restating the number in parentheses: "100% (10/10) huyện"
        if rules.predicate.search(between) or _RESTATED_RE.match(between):
            previous.extra.append(hit)
            continue
        separators = list(_SEPARATOR_RE.finditer(between))
        boundary = previous.hit.end + separators[-1].end() if separators else hit.start
        cut = previous.hit.end + separators[-1].start() if separators else hit.start
        previous.end = cut
        items.append(_Item(hit, boundary, end, not text[boundary:hit.start].strip()))
    return items


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    start = _BULLET_RE.match(text, start, end).end()
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    return start, end


# ---------------------------------------------------------------------------------------------
# Fields of a target
# ---------------------------------------------------------------------------------------------


def _bound(prefix: str) -> Comparator | None:
    """The comparator whose cue ends ``prefix`` (the words right before a number)."""
    rules = _rules()
    m = rules.bound.search(prefix[-_CUE_WINDOW:])
    if m is None:
        return None
    index = next(i for i, value in enumerate(m.groups()) if value is not None)
    return rules.bound_names[index]


def _comparator(text: str, item: _Item, lead: str, inherited: Comparator | None,
                lead_in: bool) -> tuple[Comparator, bool]:
    """The comparator of an item's number, and whether a cue (not the default) set it."""
    rules, hit = _rules(), item.hit
    prefix = text[item.start:hit.start]
    bound = _bound(prefix)
    if bound in ("increase", "decrease"):
        return bound, True
    after = text[hit.end:hit.end + 20]
    for comparator, pattern in rules.suffixes:
        if pattern.search(after):
            return comparator, True
    if hit.value_max is not None:
        return "range", True
    if bound is not None:
        return bound, True
    if hit.cue is not None:
        return hit.cue, True
    if rules.opener.search(lead + " " + prefix):
        return "gte", True
    if inherited is not None and item.opens_with_number:
        return inherited, True
    if lead_in:
        return "gte", True
    return "eq", False


def _clean_subject(phrase: str) -> str:
    rules = _rules()
    phrase = rules.tail.sub("", phrase.strip(" ,;:.-"))
    while (m := rules.lead.match(phrase)) is not None:
        phrase = phrase[m.end():]
    return phrase.strip(" ,;:.-")


def _subject(text: str, item: _Item, previous: str | None) -> tuple[str, str | None]:
    """Who or what is counted, and the level it is limited to. The noun phrase after the
    number; before it when there is none ("Tỷ lệ hộ nghèo giảm 1,5%") or when the noun only
    says "người" ("thành viên Hội đồng tối thiểu là 07 người"); the list's previous subject
    for an item that names only a level ("và 50% ở cấp huyện, xã")."""
    rules, hit = _rules(), item.hit
    if hit.kind == "frequency":
        after = _subject_after(text, hit.end, item.end)[0]
        return (_subject_before(text, item) or after or previous or "",
                _scope(text[item.start:item.end]))
    phrase, scope, only_level = _subject_after(text, hit.body, item.end)
    if only_level:
        return previous or phrase, scope
    noun = text[hit.body:hit.end].lower() if hit.kind == "count" else ""
    if not phrase or (noun in rules.generic and phrase.lower() == noun):
        phrase = _subject_before(text, item) or previous or phrase
    return phrase, scope


def _subject_after(text: str, start: int, end: int) -> tuple[str, str | None, bool]:
    """The noun phrase from ``start`` to the predicate, the level named in it, and whether
    the phrase opens with that level (its noun left out)."""
    stop = _rules().stop.search(text, start, end)
    region = text[start:stop.start() if stop else end]
    scope = _scope_match(region)
    if scope is None:
        return _clean_subject(region), None, False
    if not region[:scope.start()].strip(" ,"):
        return _clean_subject(region[scope.end():]), scope["scope"], True
    return _clean_subject(region[:scope.start()]), scope["scope"], False


def _subject_before(text: str, item: _Item) -> str:
    """The noun phrase before the number (frequencies, "Tỷ lệ hộ nghèo giảm 1,5%")."""
    rules = _rules()
    start, end = _trimmed(text, item.start, item.hit.start)
    stop = rules.stop.search(text, start + 1, end)
    phrase = text[start:stop.start() if stop else end]
    cue = rules.bound.search(phrase)
    return _clean_subject(phrase[:cue.start()] if cue else phrase)


def _scope_match(region: str) -> Match | None:
    # A level named inside parentheses defines a word ("(gọi chung là cấp xã)"), no limit.
    masked = _PARENTHESES_RE.sub(lambda m: " " * len(m.group()), region)
    return _rules().scope.search(masked)


def _scope(region: str) -> str | None:
    m = _scope_match(region)
    return m["scope"] if m else None


def _period(text: str, item: _Item, opening: str | None) -> str | None:
    """The period of a target: its frequency's, one named in its own words ("20%/năm",
    "kiểm tra hằng năm"), else that of an adverb opening its sentence ("Hằng năm, …")."""
    for hit in (item.hit, *item.extra):
        if hit.period:
            return hit.period
    window = text[item.start:item.end]
    found = next((name for name, p in _rules().periods if p.search(window)), None)
    return found or opening


def _opening_period(text: str, sentence: int) -> str | None:
    """The period named by the words that open a sentence ("Hằng năm, tăng từ 3% - 5% …")."""
    start = _BULLET_RE.match(text, sentence).end()
    return next((name for name, p in _rules().periods if p.match(text, start)), None)


# ---------------------------------------------------------------------------------------------
# Is it a commitment?
# ---------------------------------------------------------------------------------------------


def _names_something(text: str, hit: _Hit, clause_start: int) -> bool:
    """A number naming a body, an article, a day or a year, not counting anything."""
    if hit.kind in ("percent", "frequency"):
        return False
    rules = _rules()
    before = text[max(clause_start, hit.start - _CUE_WINDOW):hit.start]
    if rules.naming.search(before):
        return True
    value = hit.value
    return (isinstance(value, int) and value in _YEAR_RANGE and hit.unit == "count"
            and bool(rules.year_before.search(before)))


def _is_past(context: _Context, sentence: str) -> bool:
    """Words before the number that report a result: "đã", or an earlier year; unless a
    commitment word comes first ("mục tiêu phấn đấu đạt được là: 100% …")."""
    rules = _rules()
    if rules.strong.search(sentence):
        return False
    if rules.past.search(sentence):
        return True
    if context.reference_year is None:
        return False
    for m in _YEAR_RE.finditer(sentence):
        if (int(m[1]) < context.reference_year
                and not rules.baseline.search(sentence[:m.start()] + "năm")):
            return True
    return False


def _is_frequency(text: str, hit: _Hit) -> bool:
    """A frequency, or a count of times ("báo cáo ít nhất một lần")."""
    return hit.kind == "frequency" or (hit.unit == "count"
                                       and text[hit.body:hit.end].lower() == "lần")


def _wordy_excluded(context: _Context, item: _Item, lead: str) -> bool:
    """A number word counts only after a lower bound ("ít nhất một địa bàn", not "một số"),
    "tất cả" only in a targets section or after a strong commitment word."""
    text, hit = context.text, item.hit
    prefix = text[item.start:hit.start]
    if hit.kind == "word":
        return _bound(prefix) not in ("gte", "gt")
    if hit.kind == "all":
        return not ("targets" in context.kinds(hit.start)
                    or _rules().strong.search(f"{lead} {prefix}"))
    return False


def _excluded(context: _Context, item: _Item, lead: str, sentence_start: int,
              clause_end: int) -> bool:
    """Is the number no target: a name, a past result, a fee, a reporting schedule, money
    of the funding part, a statistic of a results section, or a stray number word?"""
    rules, text, hit = _rules(), context.text, item.hit
    before = text[sentence_start:hit.start]
    clause = text[sentence_start:clause_end]
    kinds = context.kinds(hit.start)
    return (
        _names_something(text, hit, item.start)
        or _is_past(context, before)
        or bool(rules.fees.search(clause))
        or (_is_frequency(text, hit) and bool(rules.reporting.search(clause)))
        or ("funding" in kinds and "targets" not in kinds)
        or context.in_results(hit.start)
        or _wordy_excluded(context, item, lead)
    )


def _committed(context: _Context, item: _Item, cued: bool, lead: str, sentence: int) -> bool:
    """Is the number stated as a commitment? Inside a targets section always; elsewhere a
    plan commits with a cue or a commitment word, any document with a strong commitment word
    (phấn đấu, chỉ tiêu) or a percentage that opens its sentence, a report only with a strong
    word."""
    rules, text, hit = _rules(), context.text, item.hit
    if "targets" in context.kinds(hit.start):
        return True
    words = lead + " " + text[item.start:item.end]
    if rules.strong.search(words):
        return True
    if context.tier == "report":
        return False
    heads_sentence = not text[sentence:hit.start].strip(_BULLETS)
    if heads_sentence and hit.unit == "percent":
        return True
    # a frequency a plan sets ("giao ban 6 tháng một lần") is a commitment by its shape
    return context.tier == "plan" and (cued or hit.kind == "frequency"
                                       or bool(rules.weak.search(words)))


# ---------------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------------


@dataclass
class _ListState:
    """What a sentence's earlier items pass on: the comparator that opened the list, and the
    subject (for an item that only names a level: "và 50% ở cấp huyện, xã")."""

    comparator: Comparator | None = None
    subject: str | None = None
    accepted: bool = False


def _targets_of_clause(context: _Context, clause: _Clause, line: tuple[int, int],
                       state: _ListState) -> list[Target]:
    """The targets of one clause, each item judged for its comparator and commitment."""
    text = context.text
    # a number word or "tất cả" counts only alone in its clause: "ít nhất một địa bàn"
    hits = [h for h in clause.hits if h.kind not in _WORDY] or clause.hits
    lead = text[clause.lead:clause.start]
    lead_in = _lead_in(context, line[0])
    targets: list[Target] = []
    for index, item in enumerate(_items(text, hits, clause.start, clause.end)):
        if index == 0:
            item.opens_with_number = not text[item.start:item.hit.start].strip(_BULLETS)
        comparator, cued = _comparator(text, item, lead, state.comparator,
                                       lead_in and index == 0)
        state.comparator = comparator if cued and comparator != "range" else None
        # An item that continues an accepted list ("…, 50% B") is a commitment too.
        listed = state.accepted and item.opens_with_number
        state.accepted = not _excluded(context, item, lead, clause.sentence, clause.end) and (
            listed or _committed(context, item, cued, lead, clause.sentence))
        if state.accepted:
            targets.append(_target(context, item, comparator, clause.sentence, state))
    return targets


def _target(context: _Context, item: _Item, comparator: Comparator, sentence: int,
            state: _ListState) -> Target:
    text, hit = context.text, item.hit
    span = _trimmed(text, item.start, item.end)
    subject, scope = _subject(text, item, state.subject)
    state.subject = subject
    period = _period(text, item, _opening_period(text, sentence))
    clause = text[span[0]:span[1]]
    indicator = None
    if context.catalogue is not None:
        indicator = context.catalogue.match(subject, clause, unit=hit.unit,
                                            comparator=comparator, period=period)
    return Target(
        text=clause, value=hit.value, value_max=hit.value_max, unit=hit.unit, period=period,
        comparator=comparator, subject=subject, scope=scope, indicator=indicator,
        section_path=context.locator.path_at(span[0]), span=span,
        mentions=[Mention(span=span, raw=clause)],
    )


def _same(a: Target, b: Target) -> bool:
    """Do two targets state one commitment (a restatement)?"""
    return (a.value == b.value and a.value_max == b.value_max and a.unit == b.unit
            and a.scope == b.scope and a.period == b.period
            and (a.indicator is None or b.indicator is None or a.indicator == b.indicator)
            and fuzz.token_sort_ratio(a.subject.lower(), b.subject.lower()) >= _SAME_SUBJECT)


def _merge(targets: Iterable[Target]) -> list[Target]:
    """One target per commitment: a restatement becomes a mention of the first statement."""
    merged: list[Target] = []
    # Only targets of one value, unit, scope and period can be one commitment: comparing
    # within those groups keeps merging near linear on long documents.
    groups: dict[tuple[object, ...], list[Target]] = {}
    for target in targets:
        key = (target.value, target.value_max, target.unit, target.scope, target.period)
        group = groups.setdefault(key, [])
        first = next((m for m in group if _same(m, target)), None)
        if first is None:
            merged.append(target)
            group.append(target)
        else:
            first.mentions.extend(target.mentions)
    return merged


def find_targets(context: Context, *, catalogue: Catalogue | None = None) -> Found[Target]:
    """Tìm chỉ tiêu (find targets): one entry per quantified commitment, restatements merged
    into ``mentions``; ``catalogue`` maps them to indicators (the bundled one by default)."""
    text, sections, metadata = context.visible(), context.sections, context.metadata
    rules = _rules()
    if (metadata.doc_type or "") in rules.no_targets:
        return Found()
    chosen = catalogue if catalogue is not None else load_catalogue()
    about = metadata.title or text[:3000]
    state_of = _Context(text, sections, metadata, chosen if chosen.covers(about) else None)
    by_line: dict[tuple[int, int], list[_Hit]] = {}
    for hit in _candidates(text):
        by_line.setdefault(_line_bounds(text, hit.start), []).append(hit)
    found: list[Target] = []
    for line, hits in by_line.items():
        states: dict[int, _ListState] = {}
        for clause in _clauses(text, line, hits):
            state = states.setdefault(clause.sentence, _ListState())
            found.extend(_targets_of_clause(state_of, clause, line, state))
    return Found(_merge(found))
