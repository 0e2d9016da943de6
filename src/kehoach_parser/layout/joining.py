"""Nối dòng (joining wrapped lines): which line breaks of the source are only wraps.

Text extracted from PDFs, OCR and saved web pages wraps sentences and headings at the width
of the page ("1. Công an" / "thành phố"); DOCX and most conversions write a paragraph per
line. One rule serves all forms, from what the lines show:

- never across cells, columns of a two-column block, headings or row lines;
- an emphasis run that goes on into the next line, or an identifier cut at its hyphen
  ("178/2026/NĐ-" / "CP"), always joins;
- inside a paragraph of wrapped text (a markdown paragraph, or plain text wrapped at a fixed
  width with no blank line between), lines join unless the next one opens a block (a bullet,
  a numbered heading), or the line ends a sentence and the next starts a new one — and in
  text laid out with indented paragraphs, a line at the margin continues, an indented one
  starts a paragraph;
- elsewhere (one paragraph per line, or a blank line between), only a line cut in the
  middle of a sentence joins the next when that one starts in lower case (a page break).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .. import patterns
from .cues import Opening, block_cue, cues, fold, is_caps, is_mixed
from .shapes import is_bullet, read_shape
from .source import Src

# A number that opens a list item even with its words on the next line ("**1.**").
_LIST_NUMBER = Opening(patterns.compile(
    r"(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5}|[a-zđ])[.)](?:\s|$)"))
_CUT_IDENTIFIER_RE = patterns.compile(r"[\p{L}\d]-$")
# A range cut at its dash by the wrap: a line ends in a number, the next opens "- 06%".
_ENDS_NUMBER_RE = patterns.compile(r"(?<![\d.,/])\d{1,3}$")
_DASH_NUMBER_RE = patterns.compile(r"[-–] ?\d{1,3}(?:[,.]\d+)?(?:%|\s|$)")
# What a number line's number and symbol open with ("2820/QĐ-UBND", "/KH-UBND", "26-NQ/TU",
# "87/2025/QĐ-UBND" with the year of a legal document).
_IDENTIFIER_START_RE = patterns.compile(
    r"(?:\d{1,6}(?:\.\d{1,3})?\s*)?(?:/\s*(?:19|20)\d\d\s*)?[/-]\s*\p{L}")
_SENTENCE_END_RE = patterns.compile(r"[.;:!?](?:[\s)\"”'’*]|\./)*$|\./\.?$")
# What may follow a sentence's stop in _SENTENCE_END_RE (besides white space): the stop is
# looked for only before them, not along the whole line.
_AFTER_STOP = ")\"”'’*./"
# The last characters a line that ends a sentence can have (besides white space).
_ENDINGS = frozenset(".;:!?" + _AFTER_STOP)
# A numbered line shorter than this is a heading, which never runs on into the next line
# unless that line goes on in lower case.
_SHORT_HEADING = 120
# What read_shape gives: shape, number, other readings, title offset.
_ShapeRead = tuple[str, str, tuple[str, ...], int]
# Loaders write a table row as one line, its cells joined by this: rows are never run on.
_ROW = " | "


@dataclass(frozen=True)
class Measure:
    """How the document's lines are laid out."""

    width: int  # the width at which text wraps (90th percentile of line widths)
    wrapped: bool  # lines are wrapped at a fixed width
    margin: int  # indentation of a paragraph's following lines
    indented: bool  # paragraphs open with an indented line (text laid out with spaces)


class _Facts:
    """What the joining rules read of one source line: each line is read twice (as the
    line before and as the line after), so each fact is found once."""

    __slots__ = ("_opens", "_shape", "bold", "caps_type", "ended", "head", "row", "src", "text")

    def __init__(self, src: Src, folded: str) -> None:
        self.src = src
        self.text = text = src.content
        # Cues open their line: the folded opening is enough, read off the folded text.
        pieces = src.pieces
        if len(pieces) == 1 and pieces[0].copy:  # most lines: one slice, no list to join
            first = pieces[0]
            self.head = folded[first.start:min(first.end, first.start + 100)]
        else:
            self.head = "".join([folded[p.start:p.end] if p.copy else fold(p.text)
                                 for p in pieces])[:100]
        self.row = _ROW in text
        # Most lines end in a letter or a digit: no stop to look for.
        if text[-1:] in _ENDINGS or text[-1:].isspace():
            tail = text
            while (bare := tail.rstrip().rstrip(_AFTER_STOP)) != tail:
                tail = bare
            self.ended = _SENTENCE_END_RE.search(text, max(len(tail) - 1, 0)) is not None
        else:
            self.ended = False
        self.caps_type = (len(text) <= 60 and cues().type_opening.match(self.head) is not None
                          and is_caps(text, share=1.0, least=1))
        self.bold = src.bold
        self._opens: bool | None = None
        self._shape: _ShapeRead | bool | None = False  # False: not read yet

    @property
    def caps(self) -> bool:
        return self.src.caps

    @property
    def mixed(self) -> bool:
        return is_mixed(self.text, self.caps)

    @property
    def opens_block(self) -> bool:
        """A bullet or a numbered heading with its dot or parenthesis."""
        if self._opens is None:
            self._opens = _opens_block(self)
        return self._opens

    @property
    def shape(self) -> _ShapeRead | None:
        """:func:`~.shapes.read_shape` of the line (read as the line after, then before)."""
        if self._shape is False:
            self._shape = read_shape(self.text)
        return self._shape  # type: ignore[return-value]


def measure(lines: Sequence[_Facts]) -> Measure:
    body = [f for f in lines if f.src.band < 0 and not f.src.cell_breaks and f.src.cell is None]
    widths = sorted(f.src.width for f in body)
    if len(widths) < 8:
        return Measure(0, False, 0, False)
    width = widths[int(0.9 * (len(widths) - 1))]
    full = [f for f in body if f.src.width >= 0.75 * width]
    # Wrapped at a fixed width: many lines of about the same width, most of which stop in
    # the middle of a sentence (a paragraph per line mostly ends with its punctuation).
    open_ended = sum(1 for f in full if not f.ended)
    wrapped = (40 <= width <= 160 and len(body) >= 12 and len(full) >= 0.3 * len(body)
               and open_ended >= 0.5 * len(full))
    # The margin: the least indentation that many full lines share (paragraphs' following
    # lines), whether or not their first lines, indented, are as many.
    indents = Counter(f.src.indent for f in full)
    common = [i for i, k in indents.items() if k >= 0.15 * len(full)]
    margin = min(common) if common else (indents.most_common(1)[0][0] if indents else 0)
    deeper = sum(1 for f in body if f.src.indent >= margin + 3)
    indented = wrapped and deeper >= 0.1 * len(body)
    return Measure(width, wrapped, margin, indented)


def _opens_block(line: _Facts) -> bool:
    text = line.text
    if is_bullet(text) or _LIST_NUMBER.match(text):
        return True
    shape = line.shape
    if shape is None:
        return False
    if shape[0] == "numbered":
        number = shape[1]
        return text[len(number) : len(number) + 1] in (".", ")") or "." in number
    return True


def _starts_new(text: str) -> bool:
    first = text[:1]
    return first.isupper() or first.isdigit() or first in "\"“(['‘"


def _bare_chapter(text: str) -> bool:
    m = cues().chapter_opening.match(text)
    return m is not None and not m.group("title").strip()


def _number_alone(text: str) -> bool:
    """The line is only a list item's number ("1.", "2.3.", "b)")."""
    number = text.rstrip()
    found = _LIST_NUMBER.match(number + " ")
    return found is not None and found.end() == len(number) + 1


def _head_length(words: list[str]) -> int:
    """How many of the last ``words`` are the head word of a body's name (0: none)."""
    heads = cues().name_heads
    return next((n for n in (2, 1) if len(words) >= n and " ".join(words[-n:]) in heads), 0)


def _ends_in_name_head(text: str) -> bool:
    """The line ends with the head word of a body's name, as printed ("… Sở", "… Ủy
    ban"): the name is still to come. Not a head after a head ("Văn phòng Sở", the office
    of the Sở, is a whole name) nor a word that only looks like one ("cơ sở", "hồ sơ",
    "châu Đại")."""
    words = text[-40:].split()
    n = _head_length(words)
    return n > 0 and _head_length(words[:-n]) == 0


def _joins(p: _Facts, c: _Facts, m: Measure) -> bool:
    """Does line ``c`` continue line ``p`` (a wrap), rather than start a line of its own?"""
    prev, cur = p.src, c.src
    if (prev.cell != cur.cell or prev.band != cur.band or prev.column != cur.column
            or prev.cell_breaks or cur.cell_breaks or prev.heading or cur.heading):
        return False
    text, before = c.text, p.text
    if not text or not before or c.row or p.row:
        return False
    if cur.hard_before:  # a line broken on purpose: only a phrase going on in lower case
        return text[:1].islower() and not p.ended
    if prev.band >= 0 and cur.emph_into and prev.para == cur.para:
        return True  # one italic or bold run over two lines of a header cell
    head = c.head
    if p.caps_type or c.caps_type or (
            text[:1].isupper() and (block_cue(head) is not None or (
                cues().body_start.match(head) and c.mixed))):
        return False
    if _bare_chapter(before) and c.caps:
        return True  # "Chương II" / "QUY ĐỊNH CHUNG": the chapter's title on its own line
    if cur.bold_into and prev.para == cur.para:
        return not c.opens_block
    # (The end patterns are looked for where they can start, a few characters from the end.)
    if ("-" in before[-2:] and _CUT_IDENTIFIER_RE.search(before, max(len(before) - 3, 0))
            and text[:1].isalnum()
            and not cur.blank_before):
        return True
    ended = p.ended
    if prev.band >= 0:  # inside a header or closing column: only clear wraps
        if cues().subject.match(head):
            return False
        if (cues().number.match(fold(before)) and not any(ch.isdigit() for ch in before)
                and _IDENTIFIER_START_RE.match(text)):
            return True  # "Số:" alone, its number and symbol on the cell's next line
        return not ended and (text[:1].islower() or text[:1].isdigit())
    if (m.wrapped and prev.width >= 0.8 * m.width
            and (before[-1:].isdigit() or before.endswith("\n"))  # the pattern's end
            and _ENDS_NUMBER_RE.search(before, max(len(before) - 4, 0))
            and _DASH_NUMBER_RE.match(text)):
        return True  # "tăng bình quân 05" / "- 06%/năm": no bullet, the range goes on
    if not cur.blank_before and not c.opens_block and p.opens_block and (
            (p.caps and c.caps and not ended and len(before) < _SHORT_HEADING
             and p.bold == c.bold) or _number_alone(before)):
        # A heading a narrow page or table cell wrapped inside its words, its title going
        # on in capitals ("II. PHẠM" / "VI, ĐỐI TƯỢNG"), or a list item's number alone on
        # its line ("1." / "Công tác tham mưu"): no blank line between, the item goes on.
        return True
    if (not cur.blank_before and p.opens_block and text[:1].isupper() and len(text) <= 80
            and not c.opens_block and _ends_in_name_head(before)):
        return True  # "2. Sở" / "Tài chính": a heading naming a body, cut after its head
    soft = (prev.para == cur.para and cur.para >= 0) or (
        cur.para < 0 and m.wrapped and not cur.blank_before)
    if soft:
        if c.opens_block or (p.bold and not c.bold and not cur.bold_into):
            return False
        if c.bold and not p.bold and not cur.bold_into and c.caps:
            return False  # a title, then the authority line in bold capitals under it
        if _starts_new(text) and p.caps and c.mixed:  # (the cheapest test first)
            return False  # a title or heading in capitals, then the text under it
        if m.indented and cur.para < 0:
            if cur.indent >= m.margin + 2:
                return text[:1].islower() and not ended
            return not (ended and prev.width < 0.8 * m.width)
        if (len(before) < _SHORT_HEADING and p.shape is not None
                and _starts_new(text)):
            return False
        return not (ended and _starts_new(text))
    # A bold heading a saved page split into two bold paragraphs ("… Hội Liên hiệp" / "Phụ
    # nữ Thành phố …"): the first was wrapped and stops in the middle of a name.
    if (p.bold and c.bold and prev.para >= 0 and prev.para_lines > 1 and not ended
            and not p.caps and not c.opens_block):
        return True
    # One paragraph per line: only a sentence cut by a page break or a hard line break.
    if ended or not (text[:1].islower() or text[:1].isdigit()) or c.opens_block:
        return False
    if c.bold and not p.bold:
        return False
    if len(before) < _SHORT_HEADING and p.opens_block:
        # A short heading goes on only with a phrase in lower case ("1. Công an" / "tỉnh
        # chủ trì"), never under a heading in capitals ("I. MỤC ĐÍCH" / "nội dung").
        return text[:1].islower() and not p.caps
    return True


# A place's name cut by a narrow header cell: a few words, no digits or punctuation.
_NAME_PART_RE = patterns.compile(r"\p{Lu}\p{L}*(?: \p{L}+){0,3}")


def _place_cut(facts: Sequence[_Facts], k: int) -> bool:
    """Line ``k`` is the header's place and date, and the line before it the first words
    of the place that a narrow cell wrapped ("Số: 218/KH-UBND" / "Thành phố Hồ" / "Chí
    Minh, ngày 18 tháng 11 năm 2025"): the line under the number or the motto, a few words
    of a name in lower and upper case, nothing else."""
    if k < 2 or len(facts[k - 1].text) > 30:  # (most lines are longer: the cheap test first)
        return False
    before, part, line = facts[k - 2], facts[k - 1], facts[k]
    if (line.src.blank_before or part.src.blank_before or part.row
            or line.src.cell != part.src.cell or line.src.band != part.src.band
            or _NAME_PART_RE.fullmatch(part.text) is None or part.caps):
        return False
    return (block_cue(line.head) == "place_date" and block_cue(part.head) is None
            and block_cue(before.head) in ("number", "motto"))


def join_lines(lines: Sequence[Src], folded: str) -> list[list[Src]]:
    """The source lines grouped into logical lines; ``folded``: the folded text their
    pieces' offsets point into."""
    facts = [_Facts(src, folded) for src in lines]
    m = measure(facts)
    out: list[list[Src]] = []
    for k, line in enumerate(facts):
        if out and (_joins(facts[k - 1], line, m) or _place_cut(facts, k)):
            out[-1].append(line.src)
        else:
            out.append([line.src])
    return out
