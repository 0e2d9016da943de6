"""Cơ quan thực hiện (responsible agencies): who is assigned work in the implementation part.

The bodies come from the headings of the implementation part ("Tổ chức thực hiện") or, in a
công văn, of its numbered points; from bullets naming the members of a group heading; and
from plain lines that open with a body ("Giao phòng Quản lý Công nghiệp …"). A heading that
names several bodies is split by knowing the bodies (the registry's gazetteer, then head
words such as "Cục", "Sở"), never by splitting on every comma or "và".

>>> [b.name for b in split_heading("Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh")]
['Viện Kiểm sát nhân dân tỉnh', 'Tòa án nhân dân tỉnh']
>>> [b.name for b in split_heading("Sở Giáo dục và Đào tạo")]
['Sở Giáo dục và Đào tạo']
>>> [b.name for b in split_heading("Mặt trận Tổ quốc tỉnh và các tổ chức thành viên")]
['Mặt trận Tổ quốc tỉnh']
>>> split_heading("Các sở, ngành thành viên khác")
[]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Literal

import regex

from .agency_registry import BodyMatch, Entry, Tail, choose, match_body, resolve, tail_of
from .context import Context as DocContext
from .context import Found
from .data import load
from .models import Agency, DateParts, Level, Metadata, Section
from .normalize import fold_tones
from .sections import Locator

# Runs of spaces are matched possessively and from their first space only, so that a
# long blank run costs linear time (tests/test_redos.py).
_SEPARATOR_RE = regex.compile(r"(?<!\s)\s*+[,;]\s*+(?:và\s++)?|(?<!\s)\s++và\s++")
_ASIDE_RE = regex.compile(r"\s*\([^()\n]{0,120}\)")
_BULLET_RE = regex.compile(r"^[-+•*]\s*")
_NUMBER_RE = regex.compile(
    r"(?<![\w.\s])\s*+(?:[IVXLC]++|\d++(?:\.\d++)*+|\p{Ll})(?:\s*+[.):])?\s++"
)
_TASK_TRIM = " \t:;,.-"


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
    """Một cơ quan trong tiêu đề (a body named in a heading), offsets local to the text."""

    name: str
    start: int
    end: int
    canonical: str
    level: Level | None
    requested: bool
    entry: Entry | None
    plural: bool = False  # "Ủy ban nhân dân các huyện": a set of bodies of one kind


@dataclass(frozen=True, slots=True)
class _Item:
    start: int
    end: int
    kind: Literal["known", "unknown", "generic"]
    body: BodyMatch | None = None
    head_level: Level | None = None


@dataclass(frozen=True, slots=True)
class _Cues:
    prefix: Any
    generic: Any
    head: Any
    head_levels: dict[str, Level | None]
    stop: Any
    leads: Any
    coordinates: Any
    closing: Any


@cache
def _cues() -> _Cues:
    data = load("agencies")
    requested = "|".join(p["pattern"] for p in data["prefix"] if p["requested"])
    commanded = "|".join(p["pattern"] for p in data["prefix"] if not p["requested"])
    heads = sorted(data["head"], key=lambda h: len(h["word"]), reverse=True)
    head_words = "|".join(regex.escape(h["word"]) for h in heads)
    verbs = "|".join(regex.escape(v) for v in data["verbs"]["words"])
    relations = {r["kind"]: r["pattern"] for r in data["relation"]}
    return _Cues(
        prefix=regex.compile(rf"(?i:(?P<requested>{requested})|{commanded})\s+"),
        generic=regex.compile("|".join(f"(?:{g['pattern']})" for g in data["generic"]),
                              regex.IGNORECASE),
        # A head word in either case ("Giao phòng Quản lý …"), then a capitalised word.
        head=regex.compile(rf"(?i:(?P<head>{head_words}))[ ](?=\p{{Lu}})"),
        head_levels={h["word"].casefold(): h.get("level") for h in heads},
        # A verb after a plural word is a noun: "các tổ chức phi chính phủ".
        stop=regex.compile(rf"[:;(\n]|\.(?!\w)|(?<!\s)\s++(?<!(?:các|những)\s+)(?:{verbs})(?!\w)"
                           rf"|{_SEPARATOR_RE.pattern}"),
        leads=regex.compile(rf"(?:{relations['leads']})\s+", regex.IGNORECASE),
        coordinates=regex.compile(rf"(?:{relations['coordinates']})\s+", regex.IGNORECASE),
        closing=regex.compile(data["closing"]["pattern"]),
    )


# --- splitting a heading -------------------------------------------------------------------


def _item_at(text: str, pos: int, context: Context) -> _Item | None:
    body = match_body(text, pos, context.places)
    if body is not None:
        return _Item(body.start, body.end, "known", body)
    cues = _cues()
    generic = cues.generic.match(text, pos)
    if generic is not None:
        return _Item(pos, _extent(text, generic.end(), context), "generic")
    head = cues.head.match(text, pos)
    if head is not None:
        level = cues.head_levels[head.group("head").casefold()]
        return _Item(pos, _extent(text, head.end(), context), "unknown", head_level=level)
    return None


def _extent(text: str, pos: int, context: Context) -> int:
    """End of a name the registry does not know: the first stop, verb, or separator that
    is followed by another item."""
    for stop in _cues().stop.finditer(text, pos):
        separator = _SEPARATOR_RE.fullmatch(stop.group())
        if separator is None or _item_at(text, stop.end(), context) is not None:
            return int(stop.start())
    return len(text.rstrip())


def _scan(text: str, pos: int, context: Context) -> tuple[list[_Item], int]:
    """The list of items (bodies and generic groups) opening at ``pos``, and where it ends."""
    items: list[_Item] = []
    end = pos
    while (item := _item_at(text, pos, context)) is not None:
        items.append(item)
        aside = _ASIDE_RE.match(text, item.end)
        end = aside.end() if aside else item.end
        separator = _SEPARATOR_RE.match(text, end)
        if separator is None or _item_at(text, separator.end(), context) is None:
            break
        pos = separator.end()
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


def _known(item: _Item, text: str, shared: Level | None, requested: bool,
           context: Context) -> Body:
    assert item.body is not None
    tail, entries = item.body.tail, item.body.entries
    level = _tail_level(tail, context) or shared
    if level is None and len(entries) > 1:
        level = context.level  # "Hội Liên hiệp Phụ nữ" in a district plan is the district's
    entry = choose(entries, level)
    if tail and tail.words and entry.base != entry.canonical:
        canonical = f"{entry.base} {_level_words(tail.words)}"
    else:
        canonical = entry.canonical
    return Body(text[item.start:item.end], item.start, item.end, canonical,
                level or entry.level, requested, entry, bool(tail and tail.plural))


def _unknown(item: _Item, text: str, shared: Level | None, requested: bool,
             context: Context) -> Body:
    name = text[item.start:item.end]
    tail = tail_of(name)
    level = _tail_level(tail, context) or shared
    entry = resolve(name, level)
    plural = bool(tail and tail.plural)
    if entry is not None:
        return Body(name, item.start, item.end, entry.canonical, level or entry.level,
                    requested, entry, plural)
    bare = " ".join(fold_tones(name[: tail.start] if tail else name).split())
    return Body(name, item.start, item.end, bare[:1].upper() + bare[1:],
                level or item.head_level or context.level, requested, None, plural)


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
        elif item.kind == "unknown":
            level = None if item.head_level else shared
            bodies.append(_unknown(item, text, level, requested, context))
    return bodies[::-1]


@dataclass(frozen=True, slots=True)
class _List:
    bodies: list[Body]
    end: int  # where the list ends: the run-on task starts there
    generic: bool  # it named a generic group ("các sở, ngành")
    requested: bool  # under "Đề nghị"


def _split(text: str, pos: int, context: Context, requested: bool = False) -> _List:
    """The list of bodies at ``pos``, after an optional prefix; ``requested`` when a group
    heading above it was under "Đề nghị"."""
    prefix = _cues().prefix.match(text, pos)
    requested = requested or bool(prefix and prefix.group("requested"))
    items, end = _scan(text, prefix.end() if prefix else pos, context)
    generic = any(item.kind == "generic" for item in items)
    return _List(_bodies(text, items, requested, context), end, generic, requested)


def split_heading(title: str, context: Context | None = None) -> list[Body]:
    """Các cơ quan trong tiêu đề (the bodies a heading names), in order.

    >>> [(b.name, b.canonical, b.level) for b in split_heading(
    ...     "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam, Hội Liên hiệp Phụ nữ, "
    ...     "Đoàn thanh niên cộng sản Hồ Chí Minh tỉnh")][1]
    ('Hội Liên hiệp Phụ nữ', 'Hội Liên hiệp Phụ nữ tỉnh', 'province')
    >>> [b.canonical for b in split_heading("UBND các huyện, thị xã")]
    ['Ủy ban nhân dân các huyện, thị xã']
    """
    return _split(title, 0, context or Context()).bodies


# --- the implementation part -------------------------------------------------------------


@dataclass
class _Found:
    body: Body  # offsets into the document text
    tasks: list[str]
    path: str


@dataclass
class _Reader:
    """Reads points, group members and plain lines of the part that assigns the work."""

    text: str
    sections: Sequence[Section]
    context: Context
    issuer: Entry | None
    found: list[_Found] = field(default_factory=list)
    locator: Locator = field(init=False)

    def __post_init__(self) -> None:
        self.locator = Locator(self.sections)

    def part(self, section: Section, requested: bool = False) -> None:
        """A part or group heading: its points first, then its own lines."""
        named = [c.span for c in section.children if self.point(c, True, requested)]
        self.lines(section, named, requested)

    def point(self, section: Section, in_part: bool, requested: bool = False) -> bool:
        """One numbered point; whether it, or anything under it, named a body."""
        before = len(self.found)
        line_start, title_start, line_end = self._heading_line(section)
        found = self._split_line(line_start, line_end, title_start, requested)
        if found.bodies:
            rest = self.text[found.end:line_end].strip(_TASK_TRIM)
            tasks = [rest] if rest else []
            tasks += self._tasks(line_end, section.span[1])
            self._add(found.bodies, tasks, section.path)
        elif in_part or found.generic:
            self.part(section, found.requested)
        return len(self.found) > before

    def lines(self, section: Section, skip: list[tuple[int, int]], requested: bool) -> None:
        """Bullets and plain lines that open with bodies ("- Sở Công Thương: …", "Giao
        phòng Quản lý Công nghiệp …:"); lines after one ending in a colon are its tasks."""
        current: list[_Found] = []
        line_end = self._heading_line(section)[2]
        for start, line in _lines(self.text, line_end, section.span[1]):
            if _cues().closing.match(line):
                break
            if any(s <= start < e for s, e in skip):
                current = []
                continue
            bullet = _BULLET_RE.match(line)
            end = start + len(line)
            found = self._split_line(start, end, start + (bullet.end() if bullet else 0),
                                     requested)
            if found.bodies:
                rest = self.text[found.end:end].strip(_TASK_TRIM)
                added = self._add(found.bodies, [rest] if rest else [],
                                  self.locator.path_at(start))
                current = added if not rest or line.rstrip().endswith(":") else []
            else:
                for member in current:
                    member.tasks.append(_task(line))

    def _heading_line(self, section: Section) -> tuple[int, int, int]:
        """Start of the heading line, where its title starts, and the line's end."""
        start = section.heading_span[0]
        line_end = self.text.find("\n", section.heading_span[1])
        line_end = len(self.text) if line_end < 0 else line_end
        title = self.text.find(section.title, start, line_end) if section.title else -1
        if title < 0:
            number = _NUMBER_RE.match(self.text, start, line_end)
            title = number.end() if number else start
        return start, title, line_end

    def _split_line(self, start: int, end: int, pos: int, requested: bool) -> _List:
        """The list at ``pos`` in the line ``start:end``, in document offsets."""
        found = _split(self.text[start:end], pos - start, self.context, requested)
        shifted = [replace(b, start=b.start + start, end=b.end + start) for b in found.bodies]
        bodies = [b for b in shifted if not self._is_issuer(b)]
        return replace(found, bodies=bodies, end=found.end + start)

    def _tasks(self, start: int, end: int) -> list[str]:
        tasks = []
        for _, line in _lines(self.text, start, end):
            if _cues().closing.match(line):
                break
            tasks.append(_task(line))
        return [t for t in tasks if t]

    def _is_issuer(self, body: Body) -> bool:
        # The issuer does not assign work to itself ("UBND tỉnh giao …" is not an agency).
        return body.entry is not None and body.entry == self.issuer and not body.plural

    def _add(self, bodies: list[Body], tasks: list[str], path: str) -> list[_Found]:
        added = [_Found(b, [t for t in tasks if _addressed(t, b, bodies, self.context)], path)
                 for b in bodies]
        self.found.extend(added)
        return added


def _addressed(task: str, body: Body, bodies: list[Body], context: Context) -> bool:
    """Whether a task of a shared heading is for ``body``: all of them, unless the task
    opens by naming some of the heading's bodies."""
    if len(bodies) == 1:
        return True
    canon = {b.canonical for b in bodies}
    named_here = [b for b in _split(task, 0, context).bodies if b.canonical in canon]
    return not named_here or any(b.canonical == body.canonical for b in named_here)


def _task(line: str) -> str:
    return str(_BULLET_RE.sub("", line)).strip()


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """Non-empty whole lines starting after ``start`` and before ``end``."""
    pos = text.find("\n", start)
    while 0 <= pos < end:
        nxt = text.find("\n", pos + 1)
        stop = min(end, len(text) if nxt < 0 else nxt)
        if text[pos + 1 : stop].strip():
            yield pos + 1, text[pos + 1 : stop]
        pos = nxt


def _relations(body: Body, tasks: list[str], context: Context) -> tuple[list[str], list[str]]:
    """Canonical names it leads (Chủ trì, phối hợp với …) and supports (Phối hợp với …)."""
    cues = _cues()
    leads: list[str] = []
    coordinates: list[str] = []
    for task in tasks:
        lead_spans = []
        for m in cues.leads.finditer(task):
            lead_spans.append(m.span())
            leads.extend(b.canonical for b in _split(task, m.end(), context).bodies)
        for m in cues.coordinates.finditer(task):
            if not any(s <= m.start() < e for s, e in lead_spans):
                coordinates.extend(b.canonical for b in _split(task, m.end(), context).bodies)
    return _unique(leads, body.canonical), _unique(coordinates, body.canonical)


def _unique(names: list[str], own: str) -> list[str]:
    return [n for n in dict.fromkeys(names) if n != own]


def _scope(sections: Sequence[Section]) -> tuple[list[Section], bool]:
    """The implementation parts (the outermost, normally the Roman part "Tổ chức thực
    hiện") and True; else, as in a công văn, the top-level points and False."""
    parts = list(_outermost(sections))
    return (parts, True) if parts else (list(sections), False)


def _outermost(sections: Sequence[Section]) -> Iterator[Section]:
    for section in sections:
        # "Giải pháp về tổ chức thực hiện" is a solution, not the part that assigns work.
        if "implementation" in section.kinds and "solutions" not in section.kinds:
            yield section
        else:
            yield from _outermost(section.children)


def _successor(entry: Entry | None, date: DateParts) -> str | None:
    if entry is None or entry.successor is None or entry.successor_from is None:
        return None
    if date.year is None:
        return entry.successor
    written = (date.year, date.month or 1, date.day or 1)
    year, month, day = (int(part) for part in entry.successor_from.split("-"))
    return entry.successor if written < (year, month, day) else None


def _merge(found: list[_Found]) -> list[_Found]:
    """One entry per body: a body named twice keeps its first place and all its tasks."""
    merged: dict[tuple[str, str | None], _Found] = {}
    for f in found:
        key = (f.body.canonical, f.body.level)
        if key in merged:
            merged[key].tasks.extend(t for t in f.tasks if t not in merged[key].tasks)
        else:
            merged[key] = _Found(f.body, list(f.tasks), f.path)
    return list(merged.values())


def find_agencies(found_in: DocContext) -> Found[Agency]:
    """Cơ quan được giao nhiệm vụ (agencies assigned work), one entry per body.

    >>> from kehoach_parser.context import context_of
    >>> ctx = context_of("V. TỔ CHỨC THỰC HIỆN\\n1. Công an tỉnh\\n- Chủ trì, phối hợp với "
    ...                  "Sở Y tế kiểm tra.\\n2. Đề nghị Tòa án nhân dân tỉnh\\nXét xử.",
    ...                  metadata=Metadata())
    >>> [(a.name, a.requested, a.leads) for a in find_agencies(ctx).items]
    [('Công an tỉnh', False, ['Sở Y tế']), ('Tòa án nhân dân tỉnh', True, [])]
    """
    text, sections, metadata = found_in.visible(), found_in.sections, found_in.metadata
    context = Context.of(metadata)
    issuer = resolve(metadata.issuer) if metadata.issuer else None
    reader = _Reader(text, sections, context, issuer)
    scope, in_part = _scope(sections)
    for section in scope:
        if in_part:
            reader.part(section)
        else:
            reader.point(section, False)
    agencies = []
    for f in _merge(reader.found):
        leads, coordinates = _relations(f.body, f.tasks, context)
        agencies.append(Agency(
            name=f.body.name,
            canonical=f.body.canonical,
            level=f.body.level,
            requested=f.body.requested,
            tasks=f.tasks,
            leads=leads,
            coordinates_with=coordinates,
            successor=_successor(f.body.entry, metadata.date),
            section_path=f.path,
            span=(f.body.start, f.body.end),
        ))
    return Found(agencies)
