"""The output contract: the committed JSON Schema is current, every JSON validates."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import ROOT
from kehoach_parser import KehoachError, PlanDocument, parse_text
from kehoach_parser.cli import main
from kehoach_parser.models import Section
from kehoach_parser.schema import SCHEMA_FILENAME, schema_text
from kehoach_parser.sections import walk

SCHEMA_PATH = ROOT / "schemas" / SCHEMA_FILENAME


def test_committed_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "schemas/ is stale: run `kehoach schema --out schemas/" + SCHEMA_FILENAME + "`"
    )


def test_written_json_validates(tmp_path: Path) -> None:
    files = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))
    assert main(["parse", *files, "--out", str(tmp_path), "-q"]) == 0
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    written = sorted(tmp_path.glob("*.json"))
    assert len(written) == len(files)
    for path in written:
        raw = path.read_text(encoding="utf-8")
        assert "\\u1" not in raw  # UTF-8, not ASCII-escaped
        jsonschema.validate(json.loads(raw), schema)
        PlanDocument.model_validate_json(raw)


def test_unknown_fields_are_rejected() -> None:
    doc = parse_text("KẾ HOẠCH\nTiêu đề")
    data: dict[str, Any] = json.loads(doc.model_dump_json())
    data["metadata"]["surprise"] = 1
    with pytest.raises(ValidationError):
        PlanDocument.model_validate(data)


def test_bad_span_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Section(number="I", path="I", level=1, title="x", span=(5, 2), heading_span=(5, 5))


def _spans(doc: PlanDocument) -> list[tuple[int, int]]:
    spans = [s.span for s in walk(doc.sections)]
    spans += [s.heading_span for s in walk(doc.sections)]
    spans += [t.span for t in doc.targets]
    spans += [a.span for a in doc.agencies]
    spans += [m.span for c in doc.citations for m in c.mentions]
    spans += [m.span for t in doc.targets for m in t.mentions]
    return spans


VIETNAMESE = st.lists(
    st.sampled_from(
        [*"abcdđeghiklmnopqrstuvxyàáảãạăâêôơưĐIVX0123456789 .,:;-/%()*#\n",
         "Số: ", "/KH-UBND", "ngày ", "tháng ", "năm ", "I. ", "1. ", "a) ", "- ", "**",
           "Quyết định số ", "Sở Y tế", "Đề nghị ", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN",
           "60%", "ít nhất ", "KẾ HOẠCH\n", "V/v "]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(VIETNAMESE)
def test_parse_never_fails_but_typed_and_spans_lie_in_text(text: str) -> None:
    try:
        doc = parse_text(text)
    except KehoachError:
        return
    for start, end in _spans(doc):
        assert 0 <= start <= end <= len(doc.text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_string_parses_or_raises_typed(text: str) -> None:
    with contextlib.suppress(KehoachError):
        parse_text(text)
