"""Danh mục cơ quan (agency registry): known bodies, their written forms and their fate in 2025.

The registry (``data/agencies.toml``) holds one entry per kind of body at one level: "Công an
tỉnh", "Công an huyện" and "Công an xã" are three entries sharing the stem "Công an". A body
is written as a stem plus an optional locality tail: level words ("tỉnh", "các huyện, thị
xã, thành phố", "cấp xã", "Tỉnh ủy", read from their one home ``data/issuers.toml``
``[[levels]]``, and "tối cao"), a place name ("Báo Lai Châu"), both ("Công an tỉnh Lai
Châu"), or the region of a central body's branch ("Chi cục Hải quan khu vực XIX"). The tail
says which level, and so which entry, is meant. Abbreviations are written out from
``data/abbreviations.toml`` (shared with the issuer names) before a name is looked up.

Two services:

* :func:`resolve` — the entry of a name as written (abbreviations, old tone marks, missing
  commas), by exact lookup on normalized variants, then by the gazetteer, then fuzzy;
* :func:`match_body` / :func:`find_bodies` — the gazetteer: known bodies inside a heading.

>>> resolve("Sở LĐ-TB&XH").canonical
'Sở Lao động - Thương binh và Xã hội'
>>> resolve("Sở Văn hoá Thể thao và Du lịch").canonical
'Sở Văn hóa, Thể thao và Du lịch'
>>> resolve("Công an quận").canonical
'Công an huyện'
>>> m = match_body("Đài Phát thanh và Truyền hình tỉnh, Báo Lai Châu", 36)
>>> m.entries[0].canonical, m.tail.place
('Báo tỉnh', 'Lai Châu')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex
from rapidfuzz import fuzz, process

from . import patterns
from .data import load
from .localities import expand
from .models import Level
from .normalize import fold_tones

# Words of a name are separated by spaces, or by commas and dashes that writers add or drop
# ("Sở Văn hóa, Thể thao" / "Sở Văn hoá Thể thao", "Lao động-Thương binh"); never by a line
# break. The head word is followed by a space only ("phòng, chống" is not "Phòng Chống").
_SEP = r"(?:[ ]*[-,][ ]*|[ ]+)"
_SPLIT_RE = patterns.compile(r"[\s,\-]+")
_WORD_RE = patterns.compile(r"\w+")
# The second word of a name after its first: after spaces, or inside "TB & XH" (possessive
# and after no space or "&": linear on a long run of either).
_SECOND_RE = patterns.compile(r"(?<![ &])(?:[ ]++&?+|&)[ ]*+(\w+)")
_KEY_RE = patterns.compile(r"[\s,\-&.:;()]+")
# A place name: up to four capitalised syllables ("Lai Châu", "Bà Rịa - Vũng Tàu").
_PLACE = r"(?-i:\p{Lu}\p{Ll}*(?:(?:[ ]|[ ]?-[ ]?)\p{Lu}\p{Ll}*){0,3})(?!\w)"
_FUZZY_CUTOFF = 90.0
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def _written(name: str) -> str:
    """A name as the normalized text would hold it: NFC, modern tones, one kind of dash."""
    return " ".join(fold_tones(unicodedata.normalize("NFC", name)).translate(_DASHES).split())


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Khóa so khớp (lookup key): NFC, modern tone marks, case and punctuation folded.

    >>> name_key("Sở Lao động – Thương binh và Xã hội")
    'sở lao động thương binh và xã hội'
    """
    return str(_KEY_RE.sub(" ", _written(name).casefold())).strip()


@dataclass(frozen=True, slots=True)
class Entry:
    """Một cơ quan trong danh mục (a registry entry): one kind of body at one level."""

    canonical: str
    level: Level
    kind: str
    base: str  # the canonical name without its level word: "Công an" for "Công an tỉnh"
    variants: tuple[str, ...]
    examples: tuple[str, ...]
    needs_tail: bool  # the stem alone is not a name ("Báo" needs "Lai Châu" or "tỉnh")
    successor: str | None
    successor_from: str | None  # ISO date the successor took over
    note: str


@dataclass(frozen=True, slots=True)
class Tail:
    """Phần địa danh (locality tail) of a name: level words and/or a place name."""

    start: int
    end: int
    words: str  # level words as written, without the place: "các huyện, thành phố"
    levels: tuple[Level, ...]  # candidate levels; two for "thành phố", none for a place only
    plural: bool  # "các huyện", "huyện, thị xã": a set of bodies, one level down
    place: str | None
    region: str | None = None  # "chi nhánh khu vực 10": a branch of a central body


@dataclass(frozen=True, slots=True)
class BodyMatch:
    """A known body found in a text: its stem, candidate entries and tail."""

    start: int
    end: int
    entries: tuple[Entry, ...]  # the entries sharing the stem, one per level
    tail: Tail | None


@dataclass(frozen=True, slots=True)
class _LevelWord:
    pattern: str
    levels: tuple[Level, ...]


@dataclass(frozen=True, slots=True)
class Registry:
    """The loaded registry with its lookup tables and compiled gazetteer."""

    entries: tuple[Entry, ...]
    by_key: dict[str, tuple[Entry, ...]]
    by_stem: dict[str, tuple[Entry, ...]]
    level_words: tuple[tuple[Any, tuple[Level, ...]], ...]
    places: frozenset[str]
    stems: tuple[str, ...]  # every stem, longest first
    tail_end: Any  # level words closing a variant, to find its stem
    name_tail: Any  # a locality tail closing any name
    by_head: dict[str, tuple[str, ...]]  # lookup keys by their first word, for fuzzy matching
    first_words: frozenset[str]  # casefolded first words of all stems: a cheap first check
    # stems by their first two words casefolded (one for a one-word stem), longest first
    stems_by_lead: dict[tuple[str, ...], tuple[str, ...]]
    tail: Any  # the locality tail after a stem


def _stem_pattern(stem: str) -> str:
    words = [regex.escape(w).replace("\\&", r"[ ]*&[ ]*") for w in _SPLIT_RE.split(stem) if w]
    body = words[0] + ("[ ]+" + _SEP.join(words[1:]) if len(words) > 1 else "")
    # Abbreviations in capitals ("CATP", "UBND") must keep their case; names need not.
    return body if stem == stem.upper() else f"(?i:{body})"


def _phrase(word: str) -> str:
    return r"[ ]+".join(regex.escape(w) for w in fold_tones(word).split())


def _guarded(word: str, compounds: list[str]) -> str:
    """A level word that is not part of a compound holding it ("xã" in "xã hội")."""
    pattern = _phrase(word)
    key = name_key(word)
    for compound in compounds:
        words = name_key(compound).split()
        if words[0] == key and len(words) > 1:
            pattern += rf"(?![ ]+(?i:{_phrase(' '.join(words[1:]))})(?!\w))"
        elif words[-1] == key and len(words) > 1:
            pattern = rf"(?<!(?i:{_phrase(' '.join(words[:-1]))})[ ]+)" + pattern
    return pattern


def _level_words() -> tuple[_LevelWord, ...]:
    """Level words: the administrative levels of data/issuers.toml [[levels]] (their one
    home), and the agency-only words of [[tail_word]] ("tối cao")."""
    data = load("agencies")
    compounds = data["tails"]["compounds"]
    raw = [*load("issuers")["levels"], *data["tail_word"]]
    words = [_LevelWord("|".join(_guarded(form, compounds)
                                 for form in (entry["word"], *entry.get("forms", []))),
                        tuple(entry["levels"]))
             for entry in raw]
    return tuple(sorted(words, key=lambda w: len(w.pattern), reverse=True))


def _tail_pattern(words: tuple[_LevelWord, ...], *, with_place: bool) -> str:
    word = "(?i:" + "|".join(w.pattern for w in words) + r")(?!\w)"
    # Further words of a list are lower case: "Hội LHPN tỉnh, Tỉnh Đoàn" is two bodies.
    more = "(?:" + "|".join(w.pattern for w in words) + r")(?!\w)"
    listed = rf"{word}(?:[ ]*,[ ]*{more})*(?:[ ]*,?[ ]+và[ ]+{more})?"
    central = r"(?:[ ]+(?i:trực[ ]+thuộc[ ]+(?:trung[ ]+ương|tỉnh)))?"
    tails = load("agencies")["tails"]
    filler = "|".join(_phrase(f) for f in tails["fillers"])
    levelled = (rf"(?:(?i:{filler})[ ]+)?(?i:cấp)[ ]+{word}|(?i:các[ ]+cấp)(?!\w)"
                rf"|(?P<plural>(?i:các)[ ]+)?{listed}{central}")
    if not with_place:
        return levelled
    region = rf"(?P<region>(?i:{tails['region']}))"
    return (rf"(?:{region}|(?P<words>{levelled})(?:[ ]+(?P<lplace>{_PLACE}))?"
            rf"|(?P<place>{_PLACE}))")


def _entry(raw: dict[str, Any], tail_end: Any) -> tuple[Entry, list[str]]:
    canonical = fold_tones(raw["canonical"])
    names = [canonical, *(fold_tones(v) for v in raw.get("variants", []))]
    stems = [_stem_of(name, tail_end) for name in names]
    entry = Entry(
        canonical=canonical,
        level=raw["level"],
        kind=raw["kind"],
        base=stems[0],
        variants=tuple(names[1:]),
        examples=tuple(raw.get("examples", [])),
        needs_tail=bool(raw.get("needs_tail", False)),
        successor=raw.get("successor"),
        successor_from=raw.get("successor_from"),
        note=raw.get("note", ""),
    )
    return entry, stems


def _stem_of(name: str, tail_end: Any) -> str:
    match = tail_end.search(name)
    return name[: match.start()] if match and match.start() > 0 else name


def _by_head(by_key: dict[str, tuple[Entry, ...]]) -> dict[str, tuple[str, ...]]:
    heads: dict[str, tuple[str, ...]] = {}
    for key in by_key:
        head = key.split(" ", 1)[0]
        heads[head] = (*heads.get(head, ()), key)
    return heads


def _add(table: dict[str, tuple[Entry, ...]], key: str, entry: Entry) -> None:
    if entry not in table.get(key, ()):
        table[key] = (*table.get(key, ()), entry)


@cache
def registry() -> Registry:
    """The registry, loaded and compiled once, at first use."""
    data = load("agencies")
    words = _level_words()
    tail_re = _tail_pattern(words, with_place=True)
    tail_end = patterns.compile(rf"(?<! )[ ]++(?:{_tail_pattern(words, with_place=False)})$")
    by_key: dict[str, tuple[Entry, ...]] = {}
    by_stem: dict[str, tuple[Entry, ...]] = {}
    stems: set[str] = set()
    entries = []
    for raw in data["body"]:
        entry, entry_stems = _entry(raw, tail_end)
        entries.append(entry)
        for name in (entry.canonical, *entry.variants):
            _add(by_key, name_key(name), entry)
        for stem in entry_stems:
            _add(by_stem, name_key(stem), entry)
            stems.add(stem)
    ordered = patterns.longest_first(stems)
    by_lead: dict[tuple[str, ...], tuple[str, ...]] = {}
    for stem in ordered:
        lead = _lead(stem)
        by_lead[lead] = (*by_lead.get(lead, ()), stem)
    places = frozenset(p for province in load("provinces")["provinces"]
                       for p in (province["name"], *province["variants"]))
    return Registry(
        entries=tuple(entries),
        by_key=by_key,
        by_stem=by_stem,
        level_words=tuple((patterns.compile(rf"(?i:{w.pattern})(?!\w)"), w.levels) for w in words),
        places=places,
        stems=tuple(ordered),
        tail_end=tail_end,
        name_tail=patterns.compile(rf"(?<! )[ ]++(?P<tail>{tail_re})$"),
        by_head=_by_head(by_key),
        first_words=frozenset(lead[0] for lead in by_lead),
        stems_by_lead=by_lead,
        tail=patterns.compile(rf"(?<![ ])[ ]++(?P<tail>{tail_re})"),
    )


@cache
def _gazetteer() -> Any:
    """Every stem in one pattern, to search a text (compiled at first search only: matching
    at a position uses the small pattern of its first word)."""
    alternatives = "|".join(_stem_pattern(s) for s in registry().stems)
    return patterns.compile(rf"(?<!\w)(?P<stem>{alternatives})(?!\w)")


@lru_cache(maxsize=2048)
def _gazetteer_for(lead: tuple[str, ...]) -> Any:
    """The gazetteer of the stems that may open a text whose first two words are ``lead``
    (casefolded; one word when no second follows): the one-word stems of its first word
    and the stems opening with both, in the order of the whole gazetteer, so the same stem
    wins. A handful of alternatives, where the whole gazetteer tries hundreds at every
    position; and compiled only for the leads a document has (compiling all the stems of a
    common head word, "Sở" or "Bộ", was most of the first parse)."""
    by_lead = registry().stems_by_lead
    stems = {*by_lead.get(lead[:1], ()), *by_lead.get(lead, ())}
    alternatives = "|".join(_stem_pattern(s) for s in registry().stems if s in stems)
    return patterns.compile(rf"(?<!\w)(?P<stem>{alternatives})(?!\w)")


@lru_cache(maxsize=1024)
def _levels_of(words: str, central: bool) -> tuple[Level, ...]:
    """Candidate levels of level words: the first unambiguous word decides."""
    if central:
        return ("province",)
    ordered = sorted(
        ((m.start(), levels) for pattern, levels in registry().level_words
         for m in pattern.finditer(words)),
        key=lambda pair: pair[0],
    )
    for _, levels in ordered:
        if len(levels) == 1:
            return levels
    return ordered[0][1] if ordered else ()


def _known_place(place: str, places: Collection[str]) -> str | None:
    """The longest leading run of words of ``place`` that is a known place name."""
    words = place.split(" ")
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n])
        if candidate in places or candidate in registry().places:
            return candidate
    return None


def _tail(match: Any, places: Collection[str]) -> Tail | None:
    if match is None or match.group("tail") is None:
        return None
    if match.group("region") is not None:
        return Tail(match.start("tail"), match.end("region"), "", (), False, None,
                    match.group("region"))
    if match.group("words") is not None:
        words = match.group("words")
        central = "trung ương" in words.casefold()
        plural = match.group("plural") is not None or "," in words or " và " in words
        end = match.end("lplace") if match.group("lplace") else match.end("words")
        return Tail(match.start("tail"), end, words, _levels_of(words, central), plural,
                    match.group("lplace"))
    known = _known_place(match.group("place"), places)
    if known is None:
        return None
    start = match.start("place")
    return Tail(start, start + len(known), "", (), False, known)


def _lead(stem: str) -> tuple[str, ...]:
    """The first two words of a stem, casefolded ("sở", "y" for "Sở Y tế"; "TB&XH" is two):
    what a text must open with for the stem to match there."""
    return tuple(w.casefold() for w in _WORD_RE.findall(stem)[:2])


def match_body(text: str, pos: int = 0, places: Collection[str] = ()) -> BodyMatch | None:
    """Tên cơ quan (a known body) starting exactly at ``pos``, or None.

    ``places`` adds place names (the document's locality) to the known provinces; a place
    right after a stem ("Báo Lai Châu") is part of the name only when it is known.
    """
    reg = registry()
    # Most positions open no body: their first word rules out the big gazetteer pattern.
    word = _WORD_RE.match(text, pos)
    if word is None or word.group().casefold() not in reg.first_words:
        return None
    second = _SECOND_RE.match(text, word.end())
    lead = (word.group().casefold(), *((second[1].casefold(),) if second else ()))
    match = _gazetteer_for(lead).match(text, pos)
    return _body(match, text, places) if match else None


def find_bodies(text: str, places: Collection[str] = ()) -> list[BodyMatch]:
    """Every known body in ``text``, left to right, without overlaps."""
    found = []
    pos = 0
    # Searched afresh after each body: a rejected tail ("Thanh tra Sở Y tế") may hide one.
    while (match := _gazetteer().search(text, pos)) is not None:
        body = _body(match, text, places)
        if body is not None:
            found.append(body)
        pos = body.end if body is not None else match.start() + 1
    return found


def _body(match: Any, text: str, places: Collection[str]) -> BodyMatch | None:
    reg = registry()
    entries = reg.by_stem[name_key(match.group("stem"))]
    tail = _tail(reg.tail.match(text, match.end()), places)
    if tail is None and all(e.needs_tail for e in entries):
        return None
    end = tail.end if tail else match.end("stem")
    return BodyMatch(match.start(), end, entries, tail)


def tail_of(name: str) -> Tail | None:
    """Phần địa danh (the locality tail) closing a name, with offsets into ``name``.

    >>> tail_of("Trung tâm Văn hóa - Thông tin và Thể thao các quận, huyện").words
    'các quận, huyện'
    """
    match = registry().name_tail.search(name)
    return _tail(match, ()) if match else None


def choose(entries: tuple[Entry, ...], level: Level | None) -> Entry:
    """The entry at ``level`` among those sharing a name, else the first."""
    return next((e for e in entries if e.level == level), entries[0])


@lru_cache(maxsize=8192)  # one name is resolved again and again (a list's members, a head)
def resolve(name: str, level: Level | None = None) -> Entry | None:
    """Entry of a body name as written: exact variant, then gazetteer, then fuzzy match.

    >>> resolve("UBMTTQ tỉnh").canonical
    'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh'
    >>> resolve("Sở Lao động Thương binh Xã hội").canonical
    'Sở Lao động - Thương binh và Xã hội'
    >>> resolve("Hợp tác xã Nông nghiệp") is None
    True
    """
    reg = registry()
    key = name_key(name)
    if key in reg.by_key:
        return choose(reg.by_key[key], level)
    # Abbreviations written out (data/abbreviations.toml): "Sở TN&MT tỉnh", "BQL các KCN".
    expanded = name_key(expand(name))
    if expanded in reg.by_key:
        return choose(reg.by_key[expanded], level)
    written = _written(name)
    body = match_body(written)
    if body is not None and body.end == len(written):
        levels = body.tail.levels if body.tail else ()
        return choose(body.entries, level or (levels[0] if levels else None))
    # Fuzzy only among names with the same head word: "Vụ Khoa học" is not "Sở Khoa học".
    head = key.split(" ", 1)[0]
    keys = reg.by_head.get(head, ())
    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    return choose(reg.by_key[best[0]], level) if best else None


def entries() -> Iterator[Entry]:
    """All registry entries, in file order."""
    return iter(registry().entries)
