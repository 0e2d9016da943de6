"""Địa phương (localities): level words, provinces, and the names of issuing bodies.

Vocabulary: provinces and their written forms in ``data/provinces.toml``; the level words
("tỉnh", "thành phố", "xã", "Tỉnh ủy" …) in ``data/issuers.toml`` ``[[levels]]``; the
abbreviations of names in ``data/abbreviations.toml`` ``[expansions]``.

>>> locality_of("Ủy ban nhân dân phường Cam Đường")
Locality(name='Cam Đường', level='commune', parent=None)
>>> locality_of("Tỉnh ủy Lào Cai").level, locality_of("Bộ Y tế").level
('province', 'central')
>>> locality_of("Ủy ban nhân dân thành phố Cần Thơ").level
'province'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex

from . import patterns
from .data import load
from .layout import fold
from .models import Level, Locality


@dataclass(frozen=True)
class _Vocabulary:
    provinces: dict[str, tuple[str, bool]]  # folded written form → (name, central city)
    levels: dict[str, tuple[str, tuple[Level, ...]]]  # folded form → (word, levels)
    level_re: Any  # a level word and the name after it, at the end of a body's name
    province_re: Any  # "tinh lao cai", "thanh pho can tho" anywhere in a folded text
    central: Any  # the names of central bodies (data/metadata.toml [central_issuer])
    expansions: tuple[tuple[Any, str], ...]
    expansion_names: tuple[str, ...]
    phrases: dict[str, str]  # folded phrase → as written with diacritics


def _alternation(forms: list[str]) -> str:
    return "|".join(regex.escape(f).replace(r"\ ", r"\s+")
                    for f in patterns.longest_first(forms))


@cache
def vocabulary() -> _Vocabulary:
    """The locality vocabulary, loaded once."""
    provinces: dict[str, tuple[str, bool]] = {}
    for p in load("provinces")["provinces"]:
        for form in [p["name"], *p["variants"]]:
            provinces[fold(form)] = (p["name"], bool(p["central_city"]))
    levels: dict[str, tuple[str, tuple[Level, ...]]] = {}
    for entry in load("issuers")["levels"]:
        for form in [entry["word"], *entry.get("forms", [])]:
            levels[fold(form)] = (entry["word"], tuple(entry["levels"]))
    level_words = _alternation([form for entry in load("issuers")["levels"]
                                for form in [entry["word"], *entry.get("forms", [])]])
    names = _alternation(list(provinces))
    meta = load("metadata")
    expansions = load("abbreviations")["expansions"]
    phrases: dict[str, str] = {}
    for entry in load("issuers")["levels"]:
        phrases[fold(entry["word"])] = entry["word"]
    for p in load("provinces")["provinces"]:
        phrases[fold(p["name"])] = p["name"]
    for full in expansions.values():
        phrases[fold(full)] = full
    for word in meta["restore"]["words"]:
        phrases.setdefault(fold(word), word)
    return _Vocabulary(
        provinces=provinces,
        levels=levels,
        level_re=patterns.compile(
            rf"(?<!\w)(?P<word>{level_words})\s+(?P<name>\p{{Lu}}.*?)\s*$", regex.IGNORECASE),
        province_re=patterns.compile(rf"(?<!\w)(?:tinh|thanh\s+pho|tp\.?)\s+(?P<name>{names})(?!\w)"),
        central=patterns.compile(meta["central_issuer"]["pattern"]),
        expansions=tuple((patterns.compile(rf"(?<!\w){regex.escape(k)}(?!\w)"), v)
                         for k, v in expansions.items()),
        expansion_names=tuple(expansions.values()),
        phrases=phrases,
    )


def province(name: str) -> tuple[str, bool] | None:
    """(name, centrally-run city) of a province written in any known form."""
    return vocabulary().provinces.get(fold(name).strip())


def sentence_case(text: str) -> str:
    """Viết hoa chữ đầu (sentence case) for lines printed in capitals.

    >>> sentence_case("PHÓ CHỦ TỊCH")
    'Phó Chủ tịch'
    >>> sentence_case("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU")
    'Ủy ban nhân dân tỉnh Lai Châu'
    """
    words = text.strip().lower().split()
    if not words:
        return ""
    if words[0] == "phó" and len(words) > 1:  # "Phó Chủ tịch", "Phó Giám đốc"
        words[1] = words[1].capitalize()
    words[0] = words[0].capitalize()
    out = " ".join(words)
    match = vocabulary().level_re.search(out)
    if match:  # a place name after its level word: title case
        out = out[: match.start("name")] + match.group("name").title()
    return out


@lru_cache(maxsize=8192)  # a body's name is written out again at each of its mentions
def expand(name: str) -> str:
    """Abbreviations written out ("UBND" → "Ủy ban nhân dân")."""
    for pattern, full in vocabulary().expansions:
        name = pattern.sub(full, name)
    return " ".join(name.split())


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def restore(text: str, *, always: bool = False) -> str:
    """Known words given back their diacritics in text that lost them ("UY BAN NHAN DAN
    TINH LAO CAI" → "Ủy ban nhân dân tỉnh Lào Cai"); OCR's "l" for "i" is read as "i".
    With ``always``, known words are written in their one form in any text (OCR's "Tính
    ủy" → "Tỉnh ủy"; "ủy ban nhân dân" → "Ủy ban nhân dân").

    >>> restore("Uy ban nhan dan tlnh Lao Cai")
    'Ủy ban nhân dân tỉnh Lào Cai'
    >>> restore("Tính ủy lào cai", always=True)
    'Tỉnh ủy Lào Cai'
    """
    if has_diacritics(text) and not always:
        return text
    phrases = vocabulary().phrases
    words = text.split()
    keys = [fold(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(6, len(words) - i), 0, -1):
            key = " ".join(keys[i : i + n])
            hit = phrases.get(key) or phrases.get(key.replace("l", "i"))
            if hit:
                out.append(hit)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def split_level(name: str) -> tuple[str, str, str] | None:
    """(body, level word, place) of a name ending in a level word and a place."""
    match = vocabulary().level_re.search(name)
    if match is None:
        return None
    return name[: match.start()].strip(), match.group("word"), match.group("name").strip()


def locality_of(issuer: str | None, place: str | None = None,
                superior: str | None = None) -> Locality:
    """The locality an issuing body belongs to, from its name, its superior's name (a Sở
    under "UBND TỈNH ĐỒNG THÁP") and the place of the place-date line."""
    v = vocabulary()
    for name in (issuer, superior):
        if not name:
            continue
        match = v.level_re.search(name)
        if match:
            _word, levels = v.levels.get(fold(match.group("word")), (match.group("word"),
                                                                     ("province",)))
            place_name = match.group("name").strip()
            known = province(place_name)
            level: Level = levels[0]
            if "province" in levels and len(levels) > 1:  # "thành phố": a city of a province?
                level = "province" if known and known[1] else levels[-1]
            if known and level != "commune":
                place_name = known[0]
            return Locality(name=place_name, level=level, parent=None)
        if v.central.match(name):
            return Locality(name=None, level="central", parent=None)
    if place:
        known = province(place)
        if known:
            return Locality(name=known[0], level="province", parent=None)
        return Locality(name=place, level=None, parent=None)
    return Locality()


def parent_of(text: str, locality: Locality) -> str | None:
    """The province a district or commune belongs to: the one the document names most."""
    if locality.level not in ("district", "commune"):
        return None
    own = fold(locality.name or "")
    counts = Counter(known[0] for m in vocabulary().province_re.finditer(fold(text))
                     if (known := province(m.group("name"))) and fold(known[0]) != own)
    return counts.most_common(1)[0][0] if counts else None
