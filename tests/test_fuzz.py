"""Fuzzing: mutated seed documents and random Vietnamese-like text.

Parsing must never raise anything but a ``KehoachError``, every span must lie in ``text``,
and the output must validate against the committed schema. Bounded here; longer on demand:
``FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py -p no:randomly``.
"""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, ROOT
from kehoach_parser import KehoachError, PlanDocument, parse_text
from kehoach_parser.schema import SCHEMA_FILENAME
from kehoach_parser.sections import walk

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SEED_LINES = [p.read_text(encoding="utf-8").splitlines() for p in sorted(CORPUS.glob("*.txt"))]
SCHEMA = json.loads((ROOT / "schemas" / SCHEMA_FILENAME).read_text(encoding="utf-8"))
pytestmark = pytest.mark.slow
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    """A seed document with lines dropped, duplicated, swapped, cut or garbled."""
    lines = list(draw(st.sampled_from(SEED_LINES)))
    for _ in range(draw(st.integers(0, 12))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "swap", "cut", "noise", "join"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            line = lines[i]
            k = draw(st.integers(0, len(line)))
            lines[i] = line[:k]
        elif op == "noise":
            lines[i] += draw(st.text(max_size=20))
        elif i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
    return "\n".join(lines)


def _check(text: str) -> None:
    try:
        doc = parse_text(text)
    except KehoachError:
        return
    n = len(doc.text)
    spans = [s.span for s in walk(doc.sections)] + [s.heading_span for s in walk(doc.sections)]
    spans += [t.span for t in doc.targets] + [a.span for a in doc.agencies]
    spans += [m.span for c in doc.citations for m in c.mentions]
    for start, end in spans:
        assert 0 <= start <= end <= n
    data = json.loads(doc.model_dump_json())
    jsonschema.validate(data, SCHEMA)
    PlanDocument.model_validate(data)


@FUZZ
@given(mutated_seed())
def test_mutated_seeds(text: str) -> None:
    _check(text)


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_random_unicode(text: str) -> None:
    _check(text)
