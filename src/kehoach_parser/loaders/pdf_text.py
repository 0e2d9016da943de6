"""Chữ trên trang (a page's text layer): pdfium's characters grouped into runs, in one pass.

pdfium's text page lists the page's characters in drawing order, each with the text object
(a run of one font, usually on one line) that drew it. Asking for each object's text
(``FPDFTextObj_GetText``) scans the whole list every time, so a page would cost objects ×
characters; asking every character for its object costs a call a character. Instead the
page's text is taken in one call, and the stretches of characters of one object are found
from a few characters each (an object's characters come one after another): where the text
says a stretch likely ends is asked first. Per run, a few calls more: the object's box,
the first character's angle (turned text, stamps and margin notes, is left out) and the
object's font (bold or not, looked up once per font). In a document with form XObjects, an
object's box may be in the space of the form that draws it: the first character's box (in
page space) tells, and the characters' boxes are used then.

pdfium's functions are re-declared with plain pointer types (``c_void_p``) so that a call
costs no ctypes object, and as keeping the GIL (``PYFUNCTYPE``): each call takes well under
a microsecond, so releasing and taking back the GIL around it would only add to its cost
(about a sixth); the reader makes a few calls per run, a few hundred a page.
"""

from __future__ import annotations

import ctypes
import itertools
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from .. import patterns

_BOLD_RE = patterns.compile(r"bold|black|heavy|semibold|demi|,b$", regex.IGNORECASE)
_VOID = ctypes.c_void_p
_INT = ctypes.c_int
_TILT = 1e-3  # radians: text turned further is a stamp or a margin note, not body text
# The angles (radians in [0, 2π)) of turned text: between these two pairs.
_TURNED = (_TILT, math.pi - _TILT, math.pi + _TILT, 2 * math.pi - _TILT)
_FORM_OBJECT = 5  # FPDF_PAGEOBJ_FORM
# How a page's text objects end, as its last stretch did (what to ask first for the next).
_LINES, _WORDS, _LETTERS = "lines", "words", "letters"


@dataclass(slots=True)
class Run:
    """A stretch of text drawn by one text object: its box (PDF points) and boldness."""

    x0: float
    bottom: float
    x1: float
    top: float
    text: str
    bold: bool


class _Pdfium:
    """The few pdfium functions the reader calls, typed for speed."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        def bind(name: str, result: Any, *args: Any) -> Any:
            address = ctypes.cast(getattr(raw, name), _VOID).value or 0
            return ctypes.PYFUNCTYPE(result, *args)(address)

        self.count_chars = bind("FPDFText_CountChars", _INT, _VOID)
        self.get_text = bind("FPDFText_GetText", _INT, _VOID, _INT, _INT, _VOID)
        self.get_unicode = bind("FPDFText_GetUnicode", ctypes.c_uint, _VOID, _INT)
        self.text_object = bind("FPDFText_GetTextObject", _VOID, _VOID, _INT)
        self.loose_box = bind("FPDFText_GetLooseCharBox", _INT, _VOID, _INT, _VOID)
        self.char_angle = bind("FPDFText_GetCharAngle", ctypes.c_float, _VOID, _INT)
        self.font = bind("FPDFTextObj_GetFont", _VOID, _VOID)
        self.font_name = bind("FPDFFont_GetBaseFontName", ctypes.c_ulong, _VOID, _VOID,
                              ctypes.c_ulong)
        self.font_weight = bind("FPDFFont_GetWeight", _INT, _VOID)
        self.bounds = bind("FPDFPageObj_GetBounds", _INT, _VOID, _VOID, _VOID, _VOID, _VOID)
        self.count_objects = bind("FPDFPage_CountObjects", _INT, _VOID)
        self.page_object = bind("FPDFPage_GetObject", _VOID, _VOID, _INT)
        self.object_type = bind("FPDFPageObj_GetType", _INT, _VOID)
        self.rect_type = raw.FS_RECTF


@cache
def _pdfium() -> _Pdfium:
    return _Pdfium()


def handle(pdfium_object: Any) -> int:
    """The address behind a pypdfium2 raw handle (what the typed functions take)."""
    return ctypes.cast(pdfium_object, _VOID).value or 0


class PageReader:
    """Runs of text of the pages of one document (fonts are remembered across pages).
    ``forms``: the document holds form XObjects, whose objects' boxes are in the form's
    space (without any, the check is saved)."""

    def __init__(self, *, forms: bool = True) -> None:
        self.forms = forms
        self.c = _pdfium()
        self.fonts: dict[int, bool] = {}  # font handle → bold
        self.name = ctypes.create_string_buffer(256)
        self.rect = self.c.rect_type()
        self.rect_at = ctypes.addressof(self.rect)

    def chars(self, textpage: int) -> int:
        return max(int(self.c.count_chars(textpage)), 0)

    def runs(self, textpage: int, page: int = 0) -> list[Run]:
        """The page's runs in drawing order; linear in its characters. With ``page`` (its
        handle), the characters' boxes are asked for only if the page draws forms."""
        count = self.chars(textpage)
        if not count:
            return []
        # pdfium marks a hyphen at a line end (\x02, \ufffe): Vietnamese never hyphenates
        # words, so it is a real hyphen cut from what follows ("QĐ-" / "UBND").
        text = self._text(textpage, count).replace("\x02", "-").replace("\ufffe", "-")
        in_forms = self.forms and (not page or self._draws_forms(page))
        objects, starts, ends = self._spans(textpage, text)
        # Each run's angle (radians in [0, 2π); -1: unknown), font and box asked through
        # ``map`` (no Python step per call); the boxes land in one array, four floats a run.
        c, n = self.c, len(objects)
        angles = list(map(c.char_angle, itertools.repeat(textpage, n), starts))
        fonts = [font or 0 for font in map(c.font, objects)]
        for font in set(fonts).difference(self.fonts):
            self._bold(font)
        bolds = list(map(self.fonts.__getitem__, fonts))
        array = (ctypes.c_float * (4 * n))()
        at = ctypes.addressof(array)
        boxed = list(map(c.bounds, objects, *(range(at + 4 * k, at + 16 * n, 16)
                                               for k in range(4))))
        values = array[:]
        boxes = zip(values[0::4], values[1::4], values[2::4], values[3::4], strict=True)
        out: list[Run] = []
        for angle, start, end, bold, found, box in zip(angles, starts, ends, bolds, boxed, boxes,
                                                       strict=True):
            if _TURNED[0] < angle < _TURNED[1] or _TURNED[2] < angle < _TURNED[3]:
                continue  # turned text: stamps and margin notes
            piece = text[start:end]
            if "\r" in piece or "\n" in piece:
                piece = piece.replace("\r", "").replace("\n", " ")
            if end < count and text[end] == " " and piece[-1] != " ":
                piece += " "  # the space that ends the run, drawn or generated
            if not found:
                box = (0.0, 0.0, 0.0, 0.0)
            if in_forms:
                out.append(self._in_page(textpage, start, end, box, piece, bold))
            else:
                out.append(Run(box[0], box[1], box[2], box[3], piece, bold))
        return out

    def _draws_forms(self, page: int) -> bool:
        """Whether one of the page's objects is a form (the calls chained by ``map``: no
        Python step per object)."""
        c = self.c
        count = c.count_objects(page)
        objects = map(c.page_object, itertools.repeat(page, count), range(count))
        return _FORM_OBJECT in map(c.object_type, objects)

    def _spans(self, textpage: int, text: str) -> tuple[list[int], list[int], list[int]]:
        """The text object, first character and end of each stretch of characters of one
        object that holds more than spaces, in order (three lists); linear in the page's
        characters.

        An object's characters come one after another (pdfium never interleaves them), so
        a stretch is known from a few of its characters. Where the text says it likely
        ends is asked first, as the page's last stretch ended: at the line end pdfium adds
        (an object a line), or before or after the next space (an object a word); objects
        of a letter or two are read by galloping from each stretch's start. The rest is
        found by galloping and halving. An object a line costs about three calls a line,
        an object a word two or three a word, an object a letter about one a letter; at a
        few hundred nanoseconds a call, asking for every character's object would cost
        more than the rest of the reading. Spaces are asked about only around a stretch,
        to know whether its object drew them; characters of no object (the spaces and
        line ends pdfium adds) make no stretch."""
        object_at = self.c.text_object
        find = text.find
        count = len(text)
        objects: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        # The last character asked about past a stretch, and its object (None: none).
        known, known_obj = -1, None
        end_obj: int | None
        pos = 0  # the characters before ``pos`` are placed
        # The next line end pdfium adds (\r\n) and the next space from ``pos`` on: each
        # looked for again only once passed, so the page's text is scanned once.
        line_end = word_end = -1
        shape = _WORDS  # how the last stretch ended, what to ask first for the next one
        while pos < count:
            first = pos
            while text[first].isspace():
                first += 1
                if first == count:
                    return objects, starts, ends
            obj = known_obj if first == known else object_at(textpage, first)
            if not obj:
                pos = first + 1  # a character of no object
                continue
            start = first
            if first > pos:  # spaces before it: which of them its object drew (halving)
                other = pos
                if (known_obj if pos == known else object_at(textpage, pos)) == obj:
                    start = other = pos
                while start - other > 1:
                    middle = (other + start) // 2
                    if object_at(textpage, middle) == obj:
                        start = middle
                    else:
                        other = middle
            if line_end < first:
                line_end = find("\r", first)
                if line_end < 0:
                    line_end = count
            if word_end < first:
                word_end = find(" ", first, line_end)
                if word_end < 0:
                    word_end = line_end
            # Probed in turn, each within what the earlier ones left open.
            hints = ((line_end - 1, line_end, word_end, word_end - 1, word_end + 1)
                     if shape is _LINES else
                     (word_end, word_end - 1, word_end + 1, line_end - 1, line_end)
                     if shape is _WORDS else ())
            same, end, end_obj = first, count, -1  # ``same``: of obj; ``end``: not
            for at in hints:
                if same < at < end:
                    found_obj = object_at(textpage, at)
                    if found_obj == obj:
                        same = at
                    else:
                        end, end_obj = at, found_obj
            if end - same > 1:
                end, end_obj = self._end(textpage, obj, same, end, end_obj)
            # A whole word or line (from its start) tells the next; a letter or two of a
            # word, letters; a longer part of a line, most likely the rest of it.
            whole = first == 0 or text[first - 1].isspace()
            shape = (_LINES if whole and end == line_end else
                     _WORDS if whole and word_end <= end <= word_end + 1 else
                     _LETTERS if end - first <= 2 else _WORDS)
            objects.append(obj)
            starts.append(start)
            ends.append(end)
            pos, known, known_obj = end, end, end_obj
        return objects, starts, ends

    def _end(self, textpage: int, obj: int, same: int, other: int,
             other_obj: int | None) -> tuple[int, int | None]:
        """The first character after ``same`` (of ``obj``) that is not of it, up to
        ``other`` (not of it, or the page's end), with its object: by galloping from
        ``same`` and halving once past the end, calls in the log of the stretch's length
        however far ``other`` is."""
        object_at = self.c.text_object
        step = 1
        while other - same > 1:
            at = same + step
            if at >= other:
                at = (same + other) // 2
            found = object_at(textpage, at)
            if found == obj:
                same, step = at, step * 2
            else:
                other, other_obj = at, found
        return other, other_obj

    def _text(self, textpage: int, count: int) -> str:
        """All the page's characters, one per index."""
        buffer = (ctypes.c_ushort * (count + 1))()
        written = self.c.get_text(textpage, 0, count, ctypes.addressof(buffer))
        text = ctypes.string_at(buffer, max(written - 1, 0) * 2).decode("utf-16-le", "replace")
        if len(text) != count:  # characters beyond the BMP take two units: one by one
            text = "".join(chr(self.c.get_unicode(textpage, k) or 0xFFFD) for k in range(count))
        return text

    def _in_page(self, textpage: int, start: int, end: int,
                 box: tuple[float, float, float, float], text: str, bold: bool) -> Run:
        """A run whose object may be drawn by a form, whose box is then in the form's
        space: the first character's box (in page space) tells, and the characters' boxes
        are used then."""
        x0, bottom, x1, top = box
        first = self._char_box(textpage, start)
        middle_x, middle_y = (first[0] + first[2]) / 2, (first[1] + first[3]) / 2
        slack = max(top - bottom, first[3] - first[1], 1.0)
        if not (x0 - slack <= middle_x <= x1 + slack and bottom - slack <= middle_y <= top + slack):
            boxes = [first, *(self._char_box(textpage, k) for k in range(start + 1, end))]
            x0, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
        return Run(x0, bottom, x1, top, text, bold)

    def _char_box(self, textpage: int, index: int) -> tuple[float, float, float, float]:
        rect = self.rect
        if not self.c.loose_box(textpage, index, self.rect_at):
            return (0.0, 0.0, 0.0, 0.0)
        return (rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top))

    def _bold(self, font: int) -> bool:
        """Whether a font (handle) is bold, by its name or weight; remembered."""
        size = self.c.font_name(font, ctypes.addressof(self.name), 256) if font else 0
        name = self.name.value.decode("latin-1") if size else ""
        bold = self.fonts[font] = bool(_BOLD_RE.search(name)) or (
            bool(font) and self.c.font_weight(font) >= 700)
        return bold
