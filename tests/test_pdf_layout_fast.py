"""The PDF layout's one-pass steps (loaders/pdf_layout.py) against their plain readings:
a line measured in one pass over its runs against each measure taken on its own
(``max``, ``min``, a median, the runs joined, the segments split), and a paragraph's runs
built from parts joined once against joining each piece to the run before it as it comes
(spaces, hyphens cut at a line's end, both boldnesses, page starts)."""

from __future__ import annotations

import itertools
import statistics
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_parser.loaders.blocks import Para
from kehoach_parser.loaders.pdf_layout import (
    _COLUMN_GAP,
    _PAGE_MARK,
    _SPACES,
    Line,
    _para_runs,
    make_line,
)
from kehoach_parser.loaders.pdf_text import Run


def _plain_line(runs: list[Run]) -> tuple[Any, ...]:
    """A line's measures, each taken on its own (runs left to right)."""
    def height(run: Run) -> float:
        return run.top - run.bottom

    def needs_space(prev: Run, run: Run) -> bool:
        if prev.text.endswith(" ") or run.text.startswith(" "):
            return False
        return run.x0 - prev.x1 > 0.15 * max(min(height(prev), height(run)), 1.0)

    pieces = [(runs[0].text, runs[0].bold)]
    segments = [[runs[0]]]
    for prev, run in itertools.pairwise(runs):
        if needs_space(prev, run):
            pieces.append((" ", run.bold))
        pieces.append((run.text, run.bold))
        if run.x0 - prev.x1 > _COLUMN_GAP * max(height(prev), height(run)):
            segments.append([run])
        else:
            segments[-1].append(run)
    return (segments, runs[0].x0, max(r.x1 for r in runs), max(r.top for r in runs),
            min(r.bottom for r in runs), statistics.median([height(r) for r in runs]),
            "".join(t for t, _ in pieces), all(r.bold for r in runs if r.text.strip()), pieces)


# Places and sizes such that gaps land on the thresholds (0.15 and twice a height of 10:
# gaps of 1.5 and 20) as well as off them.
_COORDS = st.sampled_from([0.0, -0.0, 1.0, 2.5, 5.0, 10.0, 11.0, 20.0, 38.5, 60.0])
# Runs of few distinct places and sizes: ties, touching and overlapping runs, wide gaps.
_RUN = st.builds(lambda x0, w, b, h, t, bold: Run(x0, b, x0 + w, b + h, t, bold),
                 _COORDS, _COORDS, _COORDS, _COORDS,
                 st.sampled_from(["a", "b ", " c", " ", "dd"]), st.booleans())
_RUNS = st.lists(_RUN, min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(_RUNS)
def test_a_line_measured_in_one_pass_equals_each_measure(runs: list[Run]) -> None:
    line = make_line(list(runs), 1)
    assert (line.segments, line.x0, line.x1, line.top, line.bottom, line.height, line.text,
            line.bold, line.pieces) == _plain_line(line.runs)


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
