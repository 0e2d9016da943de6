"""The PDF reader's stretches of one text object (loaders/pdf_text.py), found from a few
characters each, against the slow reading that asks every character for its object: the
same on pages written for the test (objects of a word, of several words, of part of a word,
with drawn and added spaces) and on the rendered seeds."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pdf_support as ps
from conftest import CORPUS
from kehoach_parser.loaders.pdf_text import PageReader, handle

Span = tuple[int, int, int]


def _slow_spans(reader: PageReader, textpage: int, text: str) -> list[Span]:
    """Every character asked for its object; stretches of one object holding more than
    spaces."""
    objects = [reader.c.text_object(textpage, k) or 0 for k in range(len(text))]
    out: list[Span] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end == len(text) or objects[end] != objects[start]:
            if objects[start] and text[start:end].strip():
                out.append((objects[start], start, end))
            start = end
    return out


def _pages(data: bytes) -> Iterator[tuple[PageReader, int, str]]:
    document = pdfium.PdfDocument(data)
    reader = PageReader(forms=False)
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        count = reader.chars(handle(textpage.raw))
        yield reader, handle(textpage.raw), reader._text(handle(textpage.raw), count)


def _assert_same(data: bytes) -> None:
    for reader, textpage, text in _pages(data):
        fast = list(zip(*reader._spans(textpage, text), strict=True))
        assert fast == _slow_spans(reader, textpage, text)


_WORD = st.text(alphabet="abcdeghiklmnopqrstuvxy.,:-", min_size=1, max_size=9)
# One object: its words, spaces drawn before and after, and a kerned gap inside (TJ), so
# that pdfium adds a space within the object.
_OBJECT = st.tuples(st.lists(_WORD, min_size=1, max_size=6), st.booleans(), st.booleans(),
                    st.booleans())
# A line: its objects and the gap after each (none, a little, a space's width, far).
_LINE = st.lists(st.tuples(_OBJECT, st.sampled_from([0.0, 1.0, 4.0, 40.0])), min_size=1,
                 max_size=8)


def _content(lines: list[list[tuple[tuple[list[str], bool, bool, bool], float]]]) -> bytes:
    out = []
    for row, line in enumerate(lines):
        x = 40.0
        for (words, lead, trail, kerned), gap in line:
            text = (" " if lead else "") + " ".join(words) + (" " if trail else "")
            escaped = ps._escape(text)
            if kerned and len(text) > 1:
                half = len(escaped) // 2
                shown = b"[(" + escaped[:half] + b") -2500 (" + escaped[half:] + b")] TJ"
            else:
                shown = b"(" + escaped + b") Tj"
            out.append(b"BT /F1 10 Tf %.2f %.2f Td " % (x, 800.0 - 14.0 * row) + shown
                       + b" ET\n")
            x += 5.0 * len(text) + (25.0 if kerned else 0.0) + gap
    return b"".join(out)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12))
def test_stretches_equal_the_slow_reading(lines: Any) -> None:
    _assert_same(ps.write_pdf([_content(lines)]))


def test_stretches_of_the_seeds_equal_the_slow_reading() -> None:
    for path in sorted((CORPUS / "pdf").glob("*.pdf")):
        _assert_same(path.read_bytes())


def test_a_page_of_one_long_object_is_one_stretch() -> None:
    """An object with no space and no line end to hint at its end: found by galloping."""
    data = ps.write_pdf([b"BT /F1 2 Tf 10 400 Td (" + b"x" * 3000 + b") Tj ET\n"])
    for reader, textpage, text in _pages(data):
        _, starts, ends = reader._spans(textpage, text)
        assert (starts, ends) == ([0], [3000])


def _letters_pdf(letters: int, word: int = 0) -> bytes:
    """One line of one-letter objects, each drawn where the last ends ('a' and the like
    are 556/1000 of the font size wide in Helvetica); with ``word``, a gap after every
    ``word`` letters (pdfium adds a space there)."""
    content = b"".join(b"BT /F1 10 Tf %.2f 400 Td (%s) Tj ET\n"
                       % (5.56 * k + (4.0 * (k // word) if word else 0.0),
                          b"abdeghnopqu"[k % 11:][:1]) for k in range(letters))
    return ps.write_pdf([content], size=(7.0 * letters + 100.0, 842.0))


class _Counted:
    """pdfium's object-of-a-character call, counted."""

    def __init__(self, ask: Any) -> None:
        self.ask, self.calls = ask, 0

    def __call__(self, textpage: int, index: int) -> Any:
        self.calls += 1
        return self.ask(textpage, index)


@pytest.mark.parametrize("word", [0, 5])
def test_one_letter_objects_cost_a_few_calls_each(word: int) -> None:
    """No line end hints at where a letter's object ends, nor (without gaps) a space:
    after the first, each letter is asked about from its start (galloping), a call or
    two a letter, not a halving from the line's far end."""
    data = _letters_pdf(2000, word)
    _assert_same(data)
    for reader, textpage, text in _pages(data):
        counted = _Counted(reader.c.text_object)
        reader.c = SimpleNamespace(**{**vars(reader.c), "text_object": counted})
        objects, _, _ = reader._spans(textpage, text)
        assert len(objects) == 2000
        assert counted.calls < 1.5 * 2000, counted.calls
