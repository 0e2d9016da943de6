"""The PDF layout's paragraph runs (loaders/pdf_layout.py ``_para_runs``), built from
parts joined once, against the plain reading that joins each piece to the run before it
as it comes: the same runs for paragraphs of any pieces (spaces, hyphens cut at a line's
end, both boldnesses, page starts)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_parser.loaders.blocks import Para
from kehoach_parser.loaders.pdf_layout import _PAGE_MARK, _SPACES, Line, _para_runs


def _plain_para_runs(para: list[Line], page_marks: set[int]) -> Para:
    """Each piece joined to the last run as it comes (the reading the parts replace)."""
    runs: list[tuple[str, bool]] = []
    for k, line in enumerate(para):
        pieces = line.pieces.copy()
        if k and runs:
            last = runs[-1][0].rstrip()
            cut = last.endswith("-") and len(last) > 1 and last[-2].isalnum()
            if not cut or not line.text.lstrip()[:1].isalnum():
                pieces.insert(0, (" ", line.bold))
            runs[-1] = (last if cut else runs[-1][0], runs[-1][1])
        if line.page in page_marks:
            page_marks.discard(line.page)
            pieces.insert(0, (_PAGE_MARK, line.bold))
        for text, bold in pieces:
            last = runs[-1][0] if runs else ""
            if (runs and runs[-1][1] == bold and text.strip() and last.strip()
                    and not (last[-1] in _SPACES and text[0] in _SPACES)):
                runs[-1] = (last + text, bold)
            else:
                runs.append((text, bold))
    return Para(runs)


_TEXTS = st.sampled_from(["Kế", "hoạch ", " ", "  ", "QĐ-", "-", "a-", "- ", "UBND",
                          "\u00a0số", "12/KH ", "\t", "1.", ""])
_PIECES = st.lists(st.tuples(_TEXTS, st.booleans()), min_size=1, max_size=6)
_LINES = st.lists(st.tuples(_PIECES, st.integers(1, 3)), min_size=1, max_size=8)


def _line(pieces: list[tuple[str, bool]], page: int) -> Line:
    text = "".join(piece for piece, _ in pieces)
    bold = all(b for t, b in pieces if t.strip())
    return Line([], page, [], 0.0, 0.0, 0.0, 0.0, 1.0, text, bold, pieces)


@settings(max_examples=400, deadline=None)
@given(_LINES, st.sets(st.integers(1, 3)))
def test_paragraph_runs_equal_the_plain_reading(lines: Any, marks: set[int]) -> None:
    para = [_line(pieces, page) for pieces, page in sorted(lines, key=lambda x: x[1])]
    assert _para_runs(para, set(marks)) == _plain_para_runs(para, set(marks))
