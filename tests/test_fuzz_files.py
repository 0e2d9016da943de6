"""Fuzzing the file loaders: PDF and DOCX bytes mutated from real files.

``parse_file`` must raise nothing but a ``KehoachError`` on any of them. Bounded here; run
longer on demand: ``FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_files.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from kehoach_parser import KehoachError, parse_file

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
pytestmark = pytest.mark.slow
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PDFS = [p.read_bytes() for p in sorted((CORPUS / "pdf").glob("*.pdf"))[:2]]
DOCXS = [p.read_bytes() for p in sorted((CORPUS / "docx").glob("*.docx"))[:2]]


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """Flip, cut, insert and duplicate byte ranges of a real file."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "duplicate", "zero"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[i] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[i:]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=64))
        elif op == "duplicate":
            data[i:i] = data[i : i + draw(st.integers(1, 512))]
        elif op == "zero":
            data[i : i + draw(st.integers(1, 256))] = bytes(min(256, len(data) - i))
    return bytes(data)


@st.composite
def mutated_docx(draw: st.DrawFn) -> bytes:
    """A DOCX whose XML members are garbled but whose zip is valid (structure-aware)."""
    source = zipfile.ZipFile(io.BytesIO(draw(st.sampled_from(DOCXS))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = bytearray(source.read(info))
            if info.filename.endswith(".xml") and draw(st.booleans()):
                for _ in range(draw(st.integers(1, 5))):
                    i = draw(st.integers(0, max(len(content) - 1, 0)))
                    cut = draw(st.integers(0, 200))
                    content[i : i + cut] = draw(st.sampled_from(
                        [b"", b"<", b"</w:p>", b"<w:numPr><w:ilvl w:val=\"99\"/></w:numPr>",
                         b"&#0;", b"\xff\xfe", b"<w:tbl><w:tr>"]))
            if draw(st.integers(0, 20)) != 0:  # now and then a member goes missing
                archive.writestr(info.filename, bytes(content))
    return out.getvalue()


WORKDIR = Path(tempfile.mkdtemp(prefix="kehoach-fuzz-"))


def _parse(name: str, data: bytes) -> None:
    path = WORKDIR / name
    path.write_bytes(data)
    with contextlib.suppress(KehoachError):
        parse_file(path)


@FUZZ
@given(mutated_bytes(PDFS))
def test_mutated_pdf(data: bytes) -> None:
    _parse("fuzz.pdf", data)


@FUZZ
@given(mutated_bytes(DOCXS))
def test_mutated_docx_bytes(data: bytes) -> None:
    _parse("fuzz.docx", data)


@FUZZ
@given(mutated_docx())
def test_mutated_docx_xml(data: bytes) -> None:
    _parse("fuzz-xml.docx", data)
