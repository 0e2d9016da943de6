"""Tên cơ quan trong một dòng (the bodies a line names): the list of an assignment heading.

A heading, a table cell or the head of a line that assigns work names one body or several,
after an optional prefix ("Đề nghị", "Giao", "Trách nhiệm của"). Each item of the list is
found by knowing the bodies (the registry's gazetteer), by the shape of a name (a head word
such as "Cục", "Viện", "Trung tâm" and a capitalised word), as a class of bodies ("Các
doanh nghiệp viễn thông"), or as a generic group ("các sở, ngành", not an agency). An
office-holder stands for his body ("Giám đốc Sở Y tế" → Sở Y tế), and a head shared by
several names is given to each ("Giám đốc các Sở: Y tế, Công Thương" → two Sở). Lists are
never split on every comma or "và": only where another item starts.

>>> [b.name for b in split_heading("Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh")]
['Viện Kiểm sát nhân dân tỉnh', 'Tòa án nhân dân tỉnh']
>>> [b.name for b in split_heading("Mặt trận Tổ quốc tỉnh và các tổ chức thành viên")]
['Mặt trận Tổ quốc tỉnh']
>>> [b.canonical for b in split_heading("Giám đốc các Sở: Y tế, Nông nghiệp và Môi trường")]
['Sở Y tế', 'Sở Nông nghiệp và Môi trường']
>>> split_heading("Các sở, ngành thành viên khác")
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import regex

from . import patterns
from .agency_registry import (
    BodyMatch,
    Entry,
    Tail,
    choose,
    match_body,
    name_key,
    registry,
    resolve,
    tail_of,
)
from .data import load
from .localities import expand
from .models import Level, Metadata
from .normalize import fold_tones

# Runs of spaces are matched possessively and from their first space only, so that a
# long blank run costs linear time (tests/test_redos.py).
SEPARATOR_RE = patterns.compile(r"(?<!\s)\s*+[,;]\s*+(?:và\s++)?|(?<!\s)\s++và\s++")
ASIDE_RE = patterns.compile(r"\s*\([^()\n]{0,160}\)")
MEMBERS_RE = patterns.compile(r"[ ]*:[ ]*")


@dataclass(frozen=True, slots=True)
class Context:
    """Bối cảnh (document context): the issuer's locality, for the level of a body."""

    level: Level | None = None
    locality: str | None = None
    parent: str | None = None
    central_city: bool = False  # the locality is, or lies in, a thành phố trực thuộc TW

    @classmethod
    def of(cls, metadata: Metadata) -> Context:
        """The context of a document from its metadata."""
        place = metadata.locality
        cities = {p["name"] for p in load("provinces")["provinces"] if p["central_city"]}
        return cls(place.level, place.name, place.parent,
                   place.name in cities or place.parent in cities)

    @property
    def places(self) -> tuple[str, ...]:
        return tuple(p for p in (self.locality, self.parent) if p)


@dataclass(frozen=True, slots=True)
class Body:
    """Một cơ quan (a body named in a line), offsets local to the text read."""

    name: str
    start: int
    end: int
    canonical: str
    level: Level | None
    requested: bool
    entry: Entry | None
    plural: bool = False  # "Ủy ban nhân dân các huyện": a set of bodies of one kind
    place: str | None = None  # the locality of its name ("phường Yên Bái"), if any

    def moved(self, offset: int, requested: bool | None = None) -> Body:
        """The same body with offsets moved by ``offset`` (and ``requested`` set)."""
        return Body(self.name, self.start + offset, self.end + offset, self.canonical,
                    self.level, self.requested if requested is None else requested,
                    self.entry, self.plural, self.place)

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        """What makes two mentions one body: its registry entry (or canonical name), level
        and place: "UBND cấp xã" and "UBND các xã, phường" are one class of bodies, "UBND
        phường Yên Bái" one ward."""
        name = self.entry.canonical if self.entry is not None else self.canonical
        return name_key(name), self.level, self.place


ItemKind = Literal["known", "unknown", "generic", "class", "member"]


@dataclass(frozen=True, slots=True)
class _Item:
    start: int
    end: int
    kind: ItemKind
    body: BodyMatch | None = None
    head_level: Level | None = None
    name: str | None = None  # a member of a shared head: "Sở" + "Y tế"


@dataclass(frozen=True, slots=True)
class _Cues:
    prefix: Any
    generic: Any
    head: Any
    lower_head: Any  # a head and lower-case words closed by a Party committee
    head_levels: dict[str, Level | None]
    stop: Any
    class_stop: frozenset[str]  # verbs that close even a class's name
    class_start: Any  # one of them right after a class noun: no kind, a generic group
    holder: Any
    shared: Any  # "các Sở:", "Giám đốc các Sở Y tế, …": a head shared by a list
    member_end: Any
    klass: Any
    bare: frozenset[str]  # class nouns that open a class without "các"
    openers: frozenset[str]  # first words (casefolded) that can open an item
    starts: dict[str, frozenset[str]]  # first words that can open each kind of item
    prefix_openers: frozenset[str]  # first words that can open a prefix
    holder_openers: frozenset[str]
    of_group: Any  # "các" and a generic word after a body's stem


def _phrase(words: str) -> str:
    return r"[ ]+".join(regex.escape(w) for w in words.split())


def _alternation(words: list[str]) -> str:
    return "|".join(_phrase(w) for w in patterns.longest_first(words))


def _holders(heads: list[str]) -> list[str]:
    """Office-holder words; a position ending in a head word ("Chánh Văn phòng") leaves the
    head to the body ("Chánh" + "Văn phòng UBND tỉnh")."""
    folded = {h.casefold() for h in heads}
    words = []
    for position in [*load("issuers")["positions"]["words"], *load("agencies")["holders"]["words"]]:
        parts = position.split()
        for n in range(1, len(parts)):
            if " ".join(parts[n:]).casefold() in folded:
                position = " ".join(parts[:n])
                break
        words.append(position)
    return words


@cache
def cues() -> _Cues:
    data = load("agencies")
    requested = "|".join(p["pattern"] for p in data["prefix"] if p["requested"])
    commanded = "|".join(p["pattern"] for p in data["prefix"] if not p["requested"])
    heads = [h["word"] for h in data["head"]]
    head_words = _alternation(heads)
    verbs = _alternation(data["verbs"]["words"])
    compounds = _alternation(data["verbs"]["compounds"])
    nouns = _alternation(data["verbs"]["nouns"])
    party = _alternation([h["word"] for h in data["head"] if h.get("party")]
                         + [w for e in load("issuers")["levels"] if e.get("party")
                            for w in (e["word"], *e.get("forms", []))])
    classes = data["classes"]
    generic_words = _alternation(classes["generic_words"])
    return _Cues(
        prefix=patterns.compile(rf"(?i:(?P<requested>{requested})|{commanded})\s+"),
        generic=patterns.compile("|".join(f"(?:{g['pattern']})" for g in data["generic"]),
                              regex.IGNORECASE),
        # A head word in either case ("Giao phòng Quản lý …"), then a capitalised word.
        head=patterns.compile(rf"(?i:(?P<head>{head_words}))[ ](?=\p{{Lu}})"),
        # "Ban xây dựng đảng Đảng ủy": lower-case words, closed by a Party committee.
        lower_head=patterns.compile(
            rf"(?i:(?P<head>{head_words}))[ ](?=(?:\p{{Ll}}+[ ]){{1,5}}(?:{party})(?!\w))"),
        head_levels={h["word"].casefold(): h.get("level") for h in data["head"]},
        # A verb after a plural word is a noun: "các tổ chức phi chính phủ".
        stop=patterns.compile(rf"[:;(\n]|\.(?!\w)|(?<!\s)\s++(?<!(?:các|những)\s+)"
                           rf"(?<!(?i:{compounds})\s+)(?!(?i:{nouns})(?!\w))(?:{verbs})(?!\w)"
                           rf"|{SEPARATOR_RE.pattern}"),
        class_stop=frozenset(_head_key(w) for w in data["verbs"]["class_words"]),
        class_start=patterns.compile(rf"(?i:{_alternation(data['verbs']['class_words'])})(?!\w)"),
        holder=patterns.compile(rf"(?i:{_alternation(_holders(heads))})[ ]+(?=\w)"),
        shared=patterns.compile(
            rf"(?:(?P<cac>(?i:các)[ ]+)(?P<head>(?i:{head_words}))"
            rf"(?:(?:[ ]*,[ ]*(?i:ban[ ]*,[ ]*)?(?i:ngành))?[ ]*:[ ]*|[ ]+)"
            rf"|(?P<head2>(?i:{head_words}))[ ]*:[ ]*)(?=\p{{Lu}})"),
        member_end=patterns.compile(rf"[\n(]|\.(?!\w)|:|(?<![ ])[ ]++(?:{verbs})(?!\w)"),
        klass=patterns.compile(
            rf"(?:(?P<cac>(?i:các|những)[ ]+))?(?P<noun>(?i:{_alternation(classes['nouns'])}))"
            rf"(?![ ]*,[ ]*(?i:{generic_words})(?!\w))"
            rf"(?:[ ]+|[ ]*,[ ]*)(?!(?i:{_alternation(classes['qualifiers'])})(?!\w))(?=\w)"),
        bare=frozenset(_head_key(n) for n in classes["bare"]),
        prefix_openers=frozenset(f for p in data["prefix"] for f in p["first"]),
        holder_openers=frozenset(w.split()[0].casefold() for w in _holders(heads)),
        openers=frozenset(
            w.split()[0].casefold()
            for w in [*heads, *_holders(heads), *classes["nouns"], "các", "những",
                      *(f for g in data["generic"] for f in g["first"])]) | registry().first_words,
        starts={kind: frozenset(w.split()[0].casefold() for w in words) for kind, words in {
            "holder": _holders(heads),
            "shared": ["các", *heads],
            "class": ["các", "những", *classes["nouns"]],
            "generic": [f for g in data["generic"] for f in g["first"]],
            "head": heads,
        }.items()},
        of_group=patterns.compile(rf"(?<![ ])[ ]++(?i:các)[ ]+(?i:{generic_words})(?!\w)"),
    )


# --- one item of a list --------------------------------------------------------------------


_WORD_RE = patterns.compile(r"\w+")
_MEMBER_SEP_RE = patterns.compile(r"(?<![ ])[ ]*+[;,][ ]*+(?:và[ ]+)?|(?<![ ])[ ]++và[ ]+")


def _item_at(text: str, pos: int, context: Context, first: bool = False) -> list[_Item]:
    """The items opening at ``pos``: one body or group, or the members of a shared head.
    Each pattern is tried only when the first word can open it (most positions open
    nothing, and the cheap look-ups say so)."""
    k = cues()
    word = _WORD_RE.match(text, pos)
    if word is None or (first_word := word.group().casefold()) not in k.openers:
        return []
    holder = k.holder.match(text, pos) if first_word in k.starts["holder"] else None
    if holder is not None:
        pos = holder.end()
        word = _WORD_RE.match(text, pos)
        if word is None:
            return []
        first_word = word.group().casefold()
    shared = _shared(text, pos, context) if first_word in k.starts["shared"] else []
    if shared:
        return shared
    body = match_body(text, pos, context.places)
    if body is not None and body.tail is None and k.of_group.match(text, body.end):
        # "Công an các đơn vị, địa phương": the body of every unit, a generic group.
        return [_Item(pos, _extent(text, body.end, context), "generic")]
    if body is not None:
        return [_Item(pos, body.end, "known", body)]
    klass = k.klass.match(text, pos) if first_word in k.starts["class"] else None
    if klass is not None and k.class_start.match(text, klass.end()):
        klass = None  # "Các đơn vị chủ trì …": the noun alone says no kind, a generic group
    if (klass is not None and "," in text[klass.end("noun"):klass.end()]
            and _item_at(text, klass.end(), context)):
        klass = None  # "các cơ quan, UBND các xã": a group, then the list's next body
    if klass is not None and (klass.group("cac") or (
            first and text[pos].isupper() and _head_key(klass.group("noun")) in k.bare)):
        return [_Item(pos, _extent(text, klass.end(), context, strong=True), "class")]
    generic = k.generic.match(text, pos) if first_word in k.starts["generic"] else None
    if generic is not None:
        # "Thủ trưởng các cơ quan: Văn phòng UBND tỉnh, Sở Y tế": the group only introduces
        # the bodies named after its colon.
        end = _extent(text, generic.end(), context)
        colon = MEMBERS_RE.match(text, end)
        named = _item_at(text, colon.end(), context, first) if colon else []
        if named:
            return named
        return [_Item(pos, end, "generic")]
    if first_word not in k.starts["head"]:
        return []
    head = k.head.match(text, pos) or k.lower_head.match(text, pos)
    if head is not None:
        level = k.head_levels[_head_key(head.group("head"))]
        return [_Item(pos, _extent(text, head.end(), context), "unknown", head_level=level)]
    return []


def may_open(text: str, pos: int) -> bool:
    """Whether a list could start at ``pos`` (a prefix or an item's first word): the cheap
    check before reading one."""
    word = _WORD_RE.match(text, pos)
    if word is None:
        return False
    first = word.group().casefold()
    k = cues()
    return first in k.openers or first in k.prefix_openers


def _head_key(head: str) -> str:
    return " ".join(head.split()).casefold()


def _shared(text: str, pos: int, context: Context) -> list[_Item]:
    """Members of a head shared by a list: "các Sở: Y tế, Công Thương", "các Phòng: Kinh
    tế, Hạ tầng; Văn hóa - Xã hội" (a ';' inside the list separates its members)."""
    k = cues()
    match = k.shared.match(text, pos)
    if match is None:
        return []
    head = match.group("head") or match.group("head2")
    start = match.end()
    end = _shared_end(text, start, context)
    part = text[start:end]
    inner = ";" if ";" in part else ","
    pieces: list[tuple[int, str]] = []
    offset = start
    for piece in part.split(inner):
        lead = len(piece) - len(piece.lstrip(" "))
        piece_start = offset + lead
        offset += len(piece) + 1
        words = piece.strip()
        if words.startswith("và "):
            piece_start += 3
            words = words[3:]
        if not words or not words[0].isupper():
            break
        pieces.append((piece_start, words))
    items: list[_Item] = []
    index = 0
    while index < len(pieces):
        piece_start, words = pieces[index]
        whole = match_body(text, piece_start, context.places)
        if whole is not None and whole.end >= piece_start + len(words):
            # A body named whole among the members ("các Sở, ngành: Tài chính, Công an
            # tỉnh"): that body, not the head's.
            items.append(_Item(piece_start, whole.end, "known", whole))
            index += 1
            continue
        joined = _joined_member(text, pieces, index, head)
        if joined:
            last_start, last = pieces[index + joined - 1]
            name = " ".join(text[piece_start:last_start + len(last)].split())
            items.append(_Item(piece_start, last_start + len(last), "member",
                               name=f"{head[:1].upper()}{head[1:].lower()} {name}"))
            index += joined
            continue
        for sub_start, sub in _members(words, piece_start, head):
            name = f"{head[:1].upper()}{head[1:].lower()} {sub}"
            items.append(_Item(sub_start, sub_start + len(sub), "member", name=name))
        index += 1
    if not items or (match.group("cac") and len(items) < 2 and ":" not in match.group()):
        return []  # "các Sở Y tế" alone: one body, read as such
    return items


def _joined_member(text: str, pieces: list[tuple[int, str]], index: int, head: str) -> int:
    """How many pieces from ``index`` make one member whose name holds commas ("các Sở:
    Văn hóa, Thể thao và Du lịch, Y tế" → "Văn hóa, Thể thao và Du lịch"); 0 if none."""
    for count in (3, 2):
        if index + count > len(pieces):
            continue
        first, (last_start, last) = pieces[index][0], pieces[index + count - 1]
        name = f"{head} {' '.join(text[first:last_start + len(last)].split())}"
        if name_key(name) in registry().by_key:  # exactly a known name: fuzzy would take more
            return count
    return 0


def _members(words: str, start: int, head: str) -> list[tuple[int, str]]:
    """A member, or two joined by "và" when the joined name is not a body itself."""
    if " và " not in words or resolve(f"{head} {words}") is not None:
        return [(start, words)]
    left, right = words.split(" và ", 1)
    if resolve(f"{head} {left}") is None or resolve(f"{head} {right}") is None:
        return [(start, words)]
    return [(start, left), (start + len(left) + 4, right)]


def _shared_end(text: str, pos: int, context: Context) -> int:
    """Where the members of a shared head end: a stop, or a separator before the next item
    (another office-holder, a body, a group)."""
    k = cues()
    end = len(text)
    stop = k.member_end.search(text, pos)
    if stop is not None:
        end = int(stop.start())
    for sep in _MEMBER_SEP_RE.finditer(text, pos, end):
        after = sep.end()
        if k.holder.match(text, after) or _item_at(text, after, context):
            return int(sep.start())
    return end


def _extent(text: str, pos: int, context: Context, strong: bool = False) -> int:
    """End of a name the registry does not know: the first stop, verb, or separator that
    is followed by another item. ``strong``: a class of bodies ("Các cơ quan chuyên trách
    tham mưu, giúp việc …") runs past verbs, to a separator or a stop."""
    for stop in cues().stop.finditer(text, pos):
        separator = SEPARATOR_RE.match(text, stop.start())
        if separator is None:
            if (strong and stop.group()[-1:].isalpha()
                    and _head_key(stop.group()) not in cues().class_stop):
                continue
            return _trimmed(text, pos, stop.start())
        if _item_at(text, separator.end(), context):
            return _trimmed(text, pos, stop.start())
    return len(text.rstrip())


def _trimmed(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# --- the list ----------------------------------------------------------------------------------


def _scan(text: str, pos: int, context: Context) -> tuple[list[_Item], int]:
    """The items (bodies and groups) of the list opening at ``pos``, and where it ends."""
    items: list[_Item] = []
    end = pos
    found = _item_at(text, pos, context, True)
    while found:
        items.extend(found)
        aside = ASIDE_RE.match(text, found[-1].end)
        end = aside.end() if aside else found[-1].end
        separator = SEPARATOR_RE.match(text, end)
        # the item after the separator, read once: it goes on the list or ends it
        found = _item_at(text, separator.end(), context) if separator is not None else []
    return items, end


def _tail_level(tail: Tail | None, context: Context) -> Level | None:
    if tail is None:
        return None
    if len(tail.levels) == 1:
        return tail.levels[0]
    if tail.levels:
        # "thành phố" alone is the centrally-run city the document belongs to; "các huyện,
        # thành phố", or a city under a province, is district level.
        return "province" if context.central_city and not tail.plural else "district"
    if tail.place == context.locality:
        return context.level
    return "province" if tail.place else None


def _level_words(words: str) -> str:
    """Level words for a canonical name: "Thành phố" → "thành phố"; "Tỉnh ủy" and "trực
    thuộc Trung ương" keep their capitals."""
    words = " ".join(fold_tones(words).split())
    if "ủy" in words.casefold():
        return words.capitalize()
    words = words.lower() if words.isupper() else words
    return words[:1].lower() + words[1:]


def _own_place(tail: Tail | None, context: Context) -> str | None:
    """The place a name carries when it names one unit below the province that is not the
    document's own: "UBND phường Yên Bái" is one ward (and "UBND phường Lào Cai" one ward
    of the province Lào Cai); "Công an tỉnh Lào Cai" is the Công an tỉnh."""
    if tail is None or tail.place is None or not tail.words or tail.plural:
        return None
    level = _tail_level(tail, context)
    if level not in ("district", "commune"):
        return None
    own = tail.place in context.places and level == context.level
    return None if own else tail.place


def _known(item: _Item, text: str, shared: Level | None, requested: bool,
           context: Context) -> Body:
    assert item.body is not None
    tail, entries = item.body.tail, item.body.entries
    level = _tail_level(tail, context) or shared
    if level is None and len(entries) > 1:
        level = context.level  # "Hội Liên hiệp Phụ nữ" in a district plan is the district's
    entry = choose(entries, level)
    if tail and tail.region:
        canonical = f"{entry.base} {' '.join(tail.region.split())}"
    elif tail and tail.words and entry.base != entry.canonical:
        canonical = f"{entry.base} {_level_words(tail.words)}"
    else:
        canonical = entry.canonical
    return Body(text[item.start:item.end], item.start, item.end, canonical,
                level or entry.level, requested, entry, bool(tail and tail.plural),
                _own_place(tail, context))


def _written(name: str) -> str:
    """A canonical name for a body the registry does not know: abbreviations written out
    ("TN&MT" → "Tài nguyên và Môi trường", data/abbreviations.toml), one tone convention."""
    bare = " ".join(fold_tones(expand(name)).split())
    return bare[:1].upper() + bare[1:]


def _unknown(item: _Item, text: str, shared: Level | None, requested: bool,
             context: Context) -> Body:
    name = item.name or text[item.start:item.end]
    tail = tail_of(name)
    level = _tail_level(tail, context) or shared
    entry = resolve(name, level)
    plural = bool(tail and tail.plural) or item.kind == "class"
    if entry is not None:
        return Body(name, item.start, item.end, entry.canonical, level or entry.level,
                    requested, entry, plural, _own_place(tail, context))
    if tail and not tail.region and item.kind != "class":
        bare = name[: tail.start] if tail.words or not tail.place else name
    else:
        bare = name
    default = None if item.kind == "class" else context.level
    return Body(name, item.start, item.end, _written(bare),
                level or item.head_level or default, requested, None, plural,
                _own_place(tail, context))


def _bodies(text: str, items: list[_Item], requested: bool, context: Context) -> list[Body]:
    bodies: list[Body] = []
    shared: Level | None = None
    # A level word closing the list serves every body before it: "Ủy ban Mặt trận Tổ
    # quốc Việt Nam, Hội Liên hiệp Phụ nữ, Đoàn thanh niên cộng sản Hồ Chí Minh tỉnh".
    # Bodies that exist at one level only keep it ("Bộ Giao thông vận tải, Ủy ban nhân dân
    # cấp tỉnh").
    for item in reversed(items):
        if item.kind == "known":
            assert item.body is not None
            shared = _tail_level(item.body.tail, context) or shared
            multi = len(item.body.entries) > 1
            bodies.append(_known(item, text, shared if multi else None, requested, context))
        elif item.kind != "generic":
            level = None if item.head_level or item.kind == "member" else shared
            bodies.append(_unknown(item, text, level, requested, context))
    return bodies[::-1]


@dataclass(frozen=True, slots=True)
class BodyList:
    """The bodies a line names, where the list ends, and what it said besides."""

    bodies: list[Body]
    end: int  # where the list ends: the run-on task starts there
    generic: bool  # it named a generic group ("các sở, ngành")
    requested: bool  # under "Đề nghị"
    prefixed: bool  # opened by a prefix ("Giao", "Đề nghị", "Trách nhiệm của")


def read_list(text: str, pos: int, context: Context, requested: bool = False) -> BodyList:
    """The list of bodies at ``pos``, after an optional prefix; ``requested`` when a group
    heading above it was under "Đề nghị"."""
    k = cues()
    word = _WORD_RE.match(text, pos)
    prefix = (k.prefix.match(text, pos)
              if word is not None and word.group().casefold() in k.prefix_openers else None)
    requested = requested or bool(prefix and prefix.group("requested"))
    items, end = _scan(text, prefix.end() if prefix else pos, context)
    generic = any(item.kind == "generic" for item in items)
    return BodyList(_bodies(text, items, requested, context), end, generic, requested,
                    prefix is not None)


def split_heading(title: str, context: Context | None = None) -> list[Body]:
    """Các cơ quan trong tiêu đề (the bodies a heading names), in order.

    >>> [(b.name, b.canonical, b.level) for b in split_heading(
    ...     "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam, Hội Liên hiệp Phụ nữ, "
    ...     "Đoàn thanh niên cộng sản Hồ Chí Minh tỉnh")][1]
    ('Hội Liên hiệp Phụ nữ', 'Hội Liên hiệp Phụ nữ tỉnh', 'province')
    >>> [b.canonical for b in split_heading("UBND các huyện, thị xã")]
    ['Ủy ban nhân dân các huyện, thị xã']
    >>> [b.name for b in split_heading("Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các xã")]
    ['UBND các xã']
    """
    return read_list(title, 0, context or Context()).bodies
