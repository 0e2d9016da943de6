"""Cây mục (section tree): Roman parts, numbered khoản, lettered điểm, articles.

A line is a heading when its shape matches (``data/sections.toml``) *and* its number
continues the numbering of its would-be siblings (``1.`` then ``2.``; ``a)`` then ``b)``),
or it carries a layout cue (bold, a markdown heading) and its number moves forward. The
sequence rule is what keeps a paragraph that happens to open with "10 huyện" from becoming
a section. Bullets (``-``, ``+``, ``•``) never match a heading shape.

>>> from kehoach_parser.normalize import normalize
>>> tree = split_sections(normalize("I. MỤC ĐÍCH, YÊU CẦU\\n1. Mục đích\\nTăng cường.\\n"
...                                 "2. Yêu cầu\\nII. TỔ CHỨC THỰC HIỆN\\n1. Sở Y tế: Tổ chức"))
>>> [(s.path, s.title, s.kinds) for s in walk(tree)]  # doctest: +NORMALIZE_WHITESPACE
[('I', 'MỤC ĐÍCH, YÊU CẦU', ['purpose', 'requirements']), ('I.1', 'Mục đích', ['purpose']),
 ('I.2', 'Yêu cầu', ['requirements']), ('II', 'TỔ CHỨC THỰC HIỆN', ['implementation']),
 ('II.1', 'Sở Y tế', ['other'])]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from . import patterns
from .data import load
from .layout import Layout, Line, fold
from .layout.cues import is_caps
from .layout.shapes import roman_value
from .models import Section, SectionKind

# Điểm letters: the Vietnamese alphabet has đ and no f, j, w, z.
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_SHAPE_RANK = {"article": 0, "roman": 0, "chapter": 0, "lettered": 10}
_MAX_TITLE = 200
# Headings are short; past this many words a title is a paragraph, read by its opening.
_HEADING_WORDS = 12
_OPENING_WORDS = 6
# A heading's own number, when a caller passes the whole line.
_NUMBER_RE = patterns.compile(
    r"^(?:(?:PHẦN|Phần|CHƯƠNG|Chương)\s+)?(?:[IVXLC]++|\d++(?:\.\d++)*+|[a-zđ])[.)]\s+")
_KIND_ORDER: list[SectionKind] = ["purpose", "requirements", "targets", "other", "tasks",
                                  "solutions", "funding", "implementation"]
# Zones whose headings are the document's sections (a quyết định's attached plan is body).
_DIGITS_RE = patterns.compile(r"\d+")
_NOT_LETTER_RE = patterns.compile(r"[^\p{L}\s]")
_TITLE_CUT_RE = patterns.compile(r"[.;](?=\s)")
# A heading's title cut into its phrases, each with its own kind ("mục đích, yêu cầu").
# (A break starts where a run of spaces starts: linear on a long run of spaces.)
_PHRASE_BREAK_RE = patterns.compile(r"(?<!\s)(?:\s*+[,;:]\s*+|\s++va\s++)")
_BODY = ("body",)


@dataclass(frozen=True)
class _Words:
    kind: Any  # every kind's pattern, in file order, each in its own group k0, k1, …
    kind_names: tuple[SectionKind, ...]
    words: tuple[tuple[SectionKind, str], ...]  # for OCR-damaged headings
    lead: Any
    heads: Any


@cache
def _words() -> _Words:
    data = load("sections")
    # One pattern for all kinds: the first that matches wins, as trying each in turn would
    # (a match ends with its branch), at one match per phrase.
    return _Words(
        kind=patterns.compile("|".join(f"(?P<k{i}>{entry['pattern']})"
                                    for i, entry in enumerate(data["kinds"]))),
        kind_names=tuple(entry["kind"] for entry in data["kinds"]),
        words=tuple((entry["kind"], word) for entry in data["kinds"] for word in entry["words"]),
        lead=patterns.compile(data["lead"]["pattern"]),
        heads=patterns.compile(data["heads"]["pattern"]),
    )


def _ordinal(shape: str, number: str) -> int:
    """Position of a heading number among its siblings (1-based)."""
    if shape in ("roman", "chapter"):
        return roman_value(number)
    if shape == "lettered":
        return _LETTERS.index(number) + 1 if number in _LETTERS else 99
    digits: list[str] = _DIGITS_RE.findall(number)
    return int(digits[-1])


def _rank(shape: str, number: str) -> int:
    if shape == "numbered":
        return 1 + number.count(".")
    return _SHAPE_RANK[shape]


def heading_kinds(title: str) -> list[SectionKind]:
    """Loại mục (section kinds) from the heading's words, read by head noun.

    >>> heading_kinds("I. MỤC ĐÍCH, YÊU CẦU VÀ CÁC CHỈ TIÊU CHỦ YẾU")
    ['purpose', 'requirements', 'targets']
    >>> heading_kinds("CHỨC NĂNG, NHIỆM VỤ, QUYỀN HẠN")
    ['other', 'tasks']
    >>> heading_kinds("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ NĂM 2025"), heading_kinds("Sở Y tế")
    (['other'], ['other'])

    A long title that is really a paragraph (a run-on "b) 10/10 huyện … xây dựng kế hoạch
    và tổ chức thực hiện …") is read by its opening words only:

    >>> heading_kinds("10/10 huyện, thành phố xây dựng kế hoạch và tổ chức thực hiện các "
    ...               "hoạt động phòng, chống mại dâm")
    ['other']
    """
    words = title.split()
    if len(words) > _HEADING_WORDS and not _is_caps(title):
        title = " ".join(words[:_OPENING_WORDS])
    w = _words()
    found: list[SectionKind] = []
    title = _NUMBER_RE.sub("", title)
    folded = fold(title)
    # No diacritics at all: text that lost them (to OCR or a keyboard), read leniently.
    ocr = folded == title.lower()
    for phrase in _PHRASE_BREAK_RE.split(folded.strip(" .")):
        phrase = w.lead.sub("", phrase.strip())
        kind = _kind(w, phrase)
        if kind is None and ocr:
            kind = _nearly(phrase, w.words)
        if kind is None and w.heads.match(phrase):
            kind = "other"
        if kind is not None and kind not in found:
            found.append(kind)
    if not found:
        return ["other"]
    return sorted(found, key=_KIND_ORDER.index)


def _kind(w: _Words, phrase: str) -> SectionKind | None:
    m = w.kind.match(phrase)
    if m is None:
        return None
    return next(k for i, k in enumerate(w.kind_names) if m.group(f"k{i}") is not None)


_OCR_RATIO = 85


def _nearly(phrase: str, words: Sequence[tuple[SectionKind, str]]) -> SectionKind | None:
    """The kind whose words open an OCR-damaged phrase, spelled nearly so."""
    letters = " ".join(_NOT_LETTER_RE.sub("", phrase).split())
    for kind, word in words:
        # (the cutoff lets rapidfuzz give up on a pair whose lengths alone rule it out)
        if fuzz.ratio(letters[: len(word) + 2], word, score_cutoff=_OCR_RATIO) >= _OCR_RATIO:
            return kind
    return None


@dataclass
class _Node:
    shape: str
    number: str
    rank: int
    path: str
    title: str
    start: int
    heading_end: int
    end: int = -1
    strong: bool = False  # set apart by its layout (bold, heading mark, capitals)
    children: list[_Node] = field(default_factory=list)

    def freeze(self, level: int) -> Section:
        return Section(
            number=self.number,
            path=self.path,
            level=level,
            title=self.title,
            kinds=heading_kinds(self.title),
            span=(self.start, self.end),
            heading_span=(self.start, self.heading_end),
            children=[child.freeze(level + 1) for child in self.children],
        )


def _title_bounds(line: str, title_start: int, cue: Line) -> int:
    """End (in the line) of a heading's title: the bold run, a short part before ':',
    or the first clause of a long plain paragraph."""
    if cue.bold_end is not None and cue.bold_end - cue.start > title_start:
        return cue.bold_end - cue.start
    rest = line[title_start:]
    colon = rest.find(":")
    if 0 < colon <= 150 and rest[colon + 1 :].strip():
        return title_start + colon
    if len(rest) > _MAX_TITLE:
        cut = _TITLE_CUT_RE.search(rest[:_MAX_TITLE])
        if cut:
            cut_at: int = cut.start()
            return title_start + cut_at
        space = rest.rfind(" ", 0, _MAX_TITLE)
        return title_start + (space if space > 0 else _MAX_TITLE)
    return len(line)


def _fits(shape: str, number: str, siblings: Sequence[_Node], parent: _Node | None,
          strong: bool, continued: bool = False) -> bool:
    """Does ``number`` continue the numbering of its siblings? One number skipped ("1."
    then "3.") is a slip of the source when the layout says heading (``strong``) or the
    next number follows later in the same part (``continued``: a "4." after the "3.")."""
    ordinal = _ordinal(shape, number)
    if shape == "numbered" and "." in number:
        prefix = number.rsplit(".", 1)[0]
        if parent is None or parent.number != prefix:
            return strong and (parent is None or parent.shape == "numbered")
    previous = [s for s in siblings if s.shape == shape]
    if not previous:
        return ordinal == 1 or strong
    last = _ordinal(shape, previous[-1].number)
    # A part printed with the number of the one before ("IV." twice) is a numbering slip
    # of the source, kept as printed, when its layout says it is a part.
    return ordinal == last + 1 or ((strong or continued) and last < ordinal <= last + 2) or (
        strong and shape == "roman" and ordinal == last)


def _path(parent: _Node | None, shape: str, number: str) -> str:
    """'I.3.1' for khoản '3.1' under 'I.3': a dotted number repeats its parent's."""
    if parent is None:
        return number
    if shape == "numbered" and "." in number and number.rsplit(".", 1)[0] == parent.number:
        return f"{parent.path}.{number.rsplit('.', 1)[1]}"
    return f"{parent.path}.{number}"


def _is_caps(title: str) -> bool:
    return is_caps(title[:60], share=1.0, least=3)


def _close(node: _Node, end: int, text: str) -> None:
    while end > node.heading_end and text[end - 1].isspace():
        end -= 1
    node.end = max(end, node.heading_end)


def _readings(line: Line, shape: str, siblings: Sequence[_Node], parent: _Node | None,
              strong: bool, continued: bool) -> str | None:
    """The number of a heading line that continues its siblings' numbering: the number as
    read, or another reading of an OCR-damaged numeral ("IH" after "I" is II)."""
    assert line.number is not None
    readings = (line.number, *line.alternatives)
    if len(readings) > 1:  # the reading that goes on with the numbering, first
        for number in readings:
            if _fits(shape, number, siblings, parent, False):
                return number
    for number in readings:
        if _fits(shape, number, siblings, parent, strong, continued):
            return number
    return None


def _continued(lines: Sequence[Line]) -> set[int]:
    """Starts of the body's heading lines whose next number follows later among their
    siblings: a heading of the same shape and rank numbered one more, before a heading of
    a higher rank closes the run (one pass, from the end)."""
    ahead: dict[tuple[str, int], set[int]] = {}  # (shape, rank) -> ordinals seen after
    found = set()
    for line in reversed(lines):
        if (line.zone not in _BODY or line.kind != "heading" or line.shape is None
                or line.number is None):
            continue
        if line.shape == "division":
            ahead.clear()  # the numbering before it is another run
            continue
        shape = "roman" if line.shape == "chapter" else line.shape
        rank, ordinal = _rank(shape, line.number), _ordinal(shape, line.number)
        for key in [key for key in ahead if key[1] > rank]:
            del ahead[key]  # runs of its own items, not of the headings before it
        seen = ahead.setdefault((shape, rank), set())
        if ordinal + 1 in seen:
            found.add(line.start)
        seen.add(ordinal)
    return found


def split_sections(layout: Layout) -> list[Section]:
    """Chia mục (split into sections): the section tree of a document's body."""
    text = layout.text
    roots: list[_Node] = []
    stack: list[_Node] = []
    body_end = 0
    # Is there a Roman part II? Without one, a plain "I." before "2." is OCR of "1.".
    second = any(line.shape == "roman" and line.number != "I" and line.zone in _BODY
                 for line in layout.lines)
    continued = _continued(layout.lines)
    run = 0  # where the roots of the current division start
    for line in layout.lines:
        if line.zone not in _BODY:
            if roots and line.zone in ("closing", "appendix", "attached", "footnotes", "chrome"):
                for node in stack:
                    _close(node, line.start, text)
                stack.clear()
            continue
        body_end = line.end
        if line.kind != "heading" or line.shape is None or line.number is None:
            continue
        if line.shape == "division":  # "PHẦN THỨ HAI": the Roman parts start over
            for node in stack:
                _close(node, line.start, text)
            stack.clear()
            run = len(roots)
            continue
        content = text[line.start : line.end]
        title_at = line.title_start - line.start
        # A chapter of an attached regulation is a Roman part like any other.
        shape = "roman" if line.shape == "chapter" else line.shape
        rank = _rank(shape, line.number)
        depth = len(stack)
        while depth and stack[depth - 1].rank >= rank:
            depth -= 1
        parent = stack[depth - 1] if depth else None
        siblings = parent.children if parent else roots
        numbered = siblings if parent or not run else roots[run:]  # the run it goes on
        # Layout cues, or the capitals a Roman part's title is printed in (NĐ 30/2020).
        strong = (line.bold or line.heading > 0 or line.bold_end is not None
                  or line.shape == "chapter"
                  or (shape == "roman" and _is_caps(content[title_at:])))
        number = _readings(line, shape, numbered, parent, strong, line.start in continued)
        if number is None and parent is not None and _ocr_one(parent, line, roots, second):
            parent.shape, parent.number, parent.rank, parent.path = (
                "numbered", "1", rank, "1")  # the "I." was OCR of "1."
            depth, parent, siblings = 0, None, roots
            numbered = roots[run:]
            number = _readings(line, shape, numbered, parent, strong, line.start in continued)
        if number is None:
            continue
        for node in stack[depth:]:
            _close(node, line.start, text)
        del stack[depth:]
        title_end = _title_bounds(content, title_at, line)
        title = content[title_at:title_end].strip().rstrip(":;.,- ").strip()
        node = _Node(
            shape=shape,
            number=number,
            rank=rank,
            path=_path(parent, shape, number),
            title=title,
            start=line.start,
            heading_end=line.start + len(content[:title_end].rstrip()),
            strong=strong,
        )
        siblings.append(node)
        stack.append(node)
    for node in stack:
        _close(node, body_end, text)
    return [node.freeze(1) for node in roots]



def _ocr_one(parent: _Node, line: Line, roots: Sequence[_Node], second: bool) -> bool:
    """OCR reads a khoản "1." as "I.": a lone Roman "I", printed like plain text (no
    capitals, no bold), with no items yet, and a khoản "2." that does not fit under it."""
    return (line.shape == "numbered" and line.number == "2" and not second
            and parent.shape == "roman" and parent.number == "I" and not parent.strong
            and not parent.children and len(roots) == 1 and roots[0] is parent)


def walk(sections: Sequence[Section]) -> Iterator[Section]:
    """Every section, depth first, in document order (a stack, not nested generators: a
    deep section is not passed up through every level above it)."""
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        yield section
        stack.extend(reversed(section.children))


class Locator:
    """Vị trí trong cây mục (where an offset lies in the tree), for many look-ups: the start
    offsets of every level are listed once, so a look-up costs a bisection per level.

    >>> from kehoach_parser.normalize import normalize
    >>> tree = split_sections(normalize("I. MỤC ĐÍCH\\n1. Mục đích\\nNội dung"))
    >>> [s.path for s in Locator(tree).chain(25)]
    ['I.1', 'I']
    """

    def __init__(self, sections: Sequence[Section]) -> None:
        self._starts: dict[int, list[int]] = {}
        self._index(sections)
        self._roots = sections

    def _index(self, sections: Sequence[Section]) -> None:
        self._starts[id(sections)] = [s.span[0] for s in sections]
        for section in sections:
            self._index(section.children)

    def chain(self, offset: int) -> list[Section]:
        """Sections holding ``offset``, deepest first."""
        found: list[Section] = []
        level: Sequence[Section] = self._roots
        while level:
            i = bisect_right(self._starts[id(level)], offset) - 1
            if i < 0:
                break
            start, end = level[i].span
            if not start <= offset < max(end, start + 1):
                break
            found.append(level[i])
            level = level[i].children
        return found[::-1]

    def path_at(self, offset: int) -> str:
        """The path of the deepest section holding ``offset``; "" outside every section."""
        chain = self.chain(offset)
        return chain[0].path if chain else ""


def section_at(sections: Sequence[Section], offset: int) -> Section | None:
    """The deepest section whose span holds ``offset`` (one look-up; for many, keep a
    :class:`Locator`)."""
    chain = Locator(sections).chain(offset)
    return chain[0] if chain else None


def path_at(sections: Sequence[Section], offset: int) -> str:
    """The path of the deepest section holding ``offset``; "" outside every section."""
    return Locator(sections).path_at(offset)
