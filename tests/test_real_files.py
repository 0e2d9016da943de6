"""Every real file (shared/real/) loads and parses, or fails with the typed error that names
its cause (cases/real_files.toml); header lines come out in metadata order; the metadata
reader finds the identifier and date every file prints. The seeds rendered as PDF and DOCX
(corpus/) score within 0.02 of their text versions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, SHARED, load_cases
from kehoach_parser import errors, parse_file
from kehoach_parser.loaders import Loaded, LoadOptions, load_file
from kehoach_parser.models import PlanDocument
from kehoach_parser.normalize import normalize

pytestmark = pytest.mark.slow  # 64 real PDF, DOCX and DOC files: most of a minute of parsing
REAL = SHARED / "real"
FILES: list[dict[str, Any]] = load_cases("real_files.toml")["file"]
PARSES = [f for f in FILES if f["outcome"] == "parses"]
FAILS = [f for f in FILES if f["outcome"] != "parses"]
HEADERS = [f for f in PARSES if "number_line" in f or "date_line" in f]
METADATA = [f for f in PARSES if "date" in f or "identifier" in f or "symbol" in f]


def _id(case: dict[str, Any]) -> str:
    return str(case["name"]).split("_")[0]


@cache
def _loaded(name: str) -> Loaded:
    return load_file(REAL / name)


@cache
def _parsed(name: str) -> PlanDocument:
    return parse_file(REAL / name)


def test_every_real_file_is_listed() -> None:
    on_disk = {p.name for p in REAL.iterdir() if p.suffix.lower() in (".pdf", ".docx", ".doc")}
    assert on_disk == {f["name"] for f in FILES}


@pytest.mark.parametrize("case", PARSES, ids=_id)
def test_real_file_parses(case: dict[str, Any]) -> None:
    loaded = _loaded(case["name"])
    assert loaded.raw.strip() and loaded.format == Path(case["name"]).suffix[1:]
    document = _parsed(case["name"])
    assert document.text.strip()
    if "warning" in case:
        assert any(case["warning"] in w for w in loaded.warnings)


@pytest.mark.parametrize("case", FAILS, ids=_id)
def test_real_file_fails_typed(case: dict[str, Any]) -> None:
    error = getattr(errors, case["outcome"])
    with pytest.raises(error) as caught:
        load_file(REAL / case["name"])
    assert case["why"] in caught.value.problem
    assert case["name"] in str(caught.value)


@pytest.mark.parametrize("case", HEADERS, ids=_id)
def test_header_lines_in_metadata_order(case: dict[str, Any]) -> None:
    """Left column first (Số line), then the right (national motto, place-date line)."""
    lines = normalize(_loaded(case["name"]).raw).text.split("\n")
    order = [lines.index(case[key]) for key in ("number_line", "motto_line", "date_line")
             if key in case]
    assert order == sorted(order)


def _metadata_params() -> list[Any]:
    marks = {f["name"]: pytest.mark.xfail(reason=f["pipeline_xfail"], strict=True)
             for f in METADATA if "pipeline_xfail" in f}
    return [pytest.param(f, id=_id(f), marks=marks.get(f["name"], ())) for f in METADATA]


@pytest.mark.parametrize("case", _metadata_params())
def test_metadata_identifier_and_date(case: dict[str, Any]) -> None:
    metadata = _parsed(case["name"]).metadata
    assert metadata.identifier == case.get("identifier")
    if "identifier" not in case and "symbol" in case:
        assert metadata.symbol == case["symbol"]
    want = case.get("date", {})
    got = metadata.date
    assert got is not None
    assert (got.year, got.month, got.day) == (want.get("year"), want.get("month"),
                                              want.get("day"))


OCR_CASES = [f for f in FILES if "ocr" in f]


@pytest.mark.parametrize("case", OCR_CASES, ids=_id)
def test_scan_read_by_ocr(case: dict[str, Any]) -> None:
    assert shutil.which("tesseract"), "tesseract is missing: run scripts/setup-system.sh"
    loaded = load_file(REAL / case["name"], LoadOptions(ocr=True))
    assert any("OCR" in w for w in loaded.warnings)
    text = normalize(loaded.raw).text
    assert all(phrase in text for phrase in case["ocr"])


# The seeds rendered as PDF and DOCX score like their text versions. ------------------------

FAMILIES = ("citations", "targets", "agencies", "sections", "metadata")


@cache
def _scores(kind: str, out: Path) -> dict[str, float]:
    """Overall F1 (metadata: share right) per family for the seeds read from ``kind``."""
    out.mkdir(parents=True, exist_ok=True)
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        source = seed if kind == "txt" else CORPUS / kind / f"{seed.stem}.{kind}"
        (out / f"{seed.stem}.json").write_text(parse_file(source).model_dump_json(),
                                               encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(SHARED / "gold"),
         "--pred", str(out), "--json"], capture_output=True, check=True, text=True)
    overall = json.loads(done.stdout)["overall"]
    return {fam: overall[fam].get("f1", overall[fam].get("share")) for fam in FAMILIES}


@pytest.mark.parametrize(("kind", "family"),
                         [(kind, fam) for kind in ("pdf", "docx") for fam in FAMILIES])
def test_renderings_score_like_text(kind: str, family: str,
                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.getbasetemp()
    text = _scores("txt", base / "scores-txt")[family]
    rendered = _scores(kind, base / f"scores-{kind}")[family]
    assert abs(rendered - text) <= 0.02, (kind, family, rendered, text)
