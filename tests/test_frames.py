"""A document's frame in every form users hold (tests/cases/frames.toml): zones, metadata
and the Roman parts, on documents written with other names and numbers than the dev set."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import load_cases
from kehoach_parser import parse_text
from kehoach_parser.normalize import normalize

CASES = load_cases("frames.toml")["cases"]


def _value(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_frame(case: dict[str, Any]) -> None:
    doc = parse_text(case["text"])
    for path, want in case.get("metadata", {}).items():
        got = _value(doc.metadata, path)
        assert got == (None if want == "null" else want), (path, got)
    if "sections" in case:  # the Roman parts (a quyết định's articles are sections too)
        parts = [[s.number, s.kinds] for s in doc.sections if not s.number.startswith("Điều")]
        assert parts == case["sections"]
    if "zones" in case:
        kinds = [z.kind for z in normalize(case["text"]).zones]
        assert kinds == case["zones"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_frame_spans_map_to_the_raw_text(case: dict[str, Any]) -> None:
    """Every line's offsets lead back to its words in the input."""
    layout = normalize(case["text"])
    raw = case["text"]
    for line in layout.lines:
        s, e = layout.to_raw_span(line.span)
        assert 0 <= s <= e <= len(raw)
        first = layout.line_text(line).split(" ")[0].strip("*")
        if first and line.kind != "row":
            assert first[:1] in raw[s:e] or not first[:1].isalnum(), (first, raw[s:e])
