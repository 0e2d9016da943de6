"""The comparison of targets between localities: ``compare_plans`` and ``kehoach compare``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from batch_support import build_plan, write_outputs
from conftest import CORPUS, load_cases
from kehoach_parser.batch import run_batch
from kehoach_parser.cli import main
from kehoach_parser.compare import COLUMNS, Commitment, compare_plans, weaker
from kehoach_parser.models import PlanDocument
from kehoach_parser.report import FORMATS
from kehoach_parser.store import Store, document_rows

CASES = load_cases("compare.toml")
FLAG = {"yes": True, "no": False, "none": None}


@cache
def plans() -> tuple[PlanDocument, ...]:
    return tuple(build_plan(entry) for entry in CASES["plans"])


def _commitment(entry: dict[str, Any]) -> Commitment:
    return Commitment(entry["comparator"], entry["value"], entry.get("value_max"),
                      entry["unit"], entry.get("period"))


@pytest.mark.parametrize("case", CASES["weaker"], ids=lambda c: str(c["target"]))
def test_weaker(case: dict[str, Any]) -> None:
    found = weaker(_commitment(case["target"]), _commitment(case["reference"]),
                   case.get("direction", "higher"))
    assert found is FLAG[case["expected"]]


def _flag(value: Any) -> bool | None:
    return None if value is pd.NA else bool(value)


@pytest.mark.parametrize("case", CASES["expected"],
                         ids=lambda c: f"{c['locality']}-{c['plan_year']}-{c['indicator']}")
def test_compare_plans_flags(case: dict[str, Any]) -> None:
    frame = compare_plans(plans())
    row = frame[(frame.locality == case["locality"]) & (frame.plan_year == case["plan_year"])
                & (frame.indicator == case["indicator"])]
    assert len(row) == 1
    found = row.iloc[0]
    assert found["value"] == case["value"]
    assert _flag(found["weaker_than_national"]) is FLAG[case["weaker_than_national"]]
    assert _flag(found["weaker_than_parent"]) is FLAG[case["weaker_than_parent"]]
    parent_year = found["parent_plan_year"]
    assert (0 if pd.isna(parent_year) else parent_year) == case["parent_plan_year"]


def test_one_row_per_indicator_and_plan_with_its_source() -> None:
    frame = compare_plans(plans())
    assert list(frame.columns) == COLUMNS
    assert not frame.duplicated(["indicator", "locality", "plan_year"]).any()
    assert frame.indicator.notna().all()  # targets without an indicator are left out
    documents = {plan.source.path: plan for plan in plans()}
    for row in frame.to_dict("records"):
        text = documents[str(row["document"])].text
        assert text[int(row["span_start"]):int(row["span_end"])] == row["text"]


def test_filters_keep_parent_lookup_across_years() -> None:
    frame = compare_plans(plans(), indicators=["propaganda_commune_coverage_pct"], year=2023)
    assert list(frame.locality) == ["Đông Hà"]
    assert frame.iloc[0]["parent_plan_year"] == 2022
    with pytest.raises(ValueError, match="unknown indicator"):
        compare_plans(plans(), indicators=["no_such_indicator"])


def test_every_source_gives_the_same_frame(tmp_path: Path) -> None:
    folder = write_outputs(tmp_path / "json", plans())
    with Store(tmp_path / "plans.duckdb") as store:
        store.replace({p.source.path: document_rows(p, p.source.path, "")
                       for p in plans() if p.source.path})
        from_store = compare_plans(store)
    expected = compare_plans(plans())
    for other in (compare_plans(folder), compare_plans(tmp_path / "plans.duckdb"), from_store):
        pd.testing.assert_frame_equal(other, expected, check_dtype=False)


@pytest.fixture(scope="module")
def plan_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_outputs(tmp_path_factory.mktemp("plans"), plans())


@pytest.mark.parametrize("format", FORMATS)
def test_cli_formats(format: str, plan_folder: Path, capsys: pytest.CaptureFixture[str]
                     ) -> None:
    assert main(["compare", str(plan_folder), "--format", format]) == 0
    out = capsys.readouterr().out
    if format == "json":
        rows = json.loads(out)
        assert {row["locality"] for row in rows} == {"Bắc Sơn", "Đông Hà", "Nam Giang"}
    elif format == "csv":
        assert out.splitlines()[0] == ",".join(COLUMNS)
    else:
        assert "Đông Hà 2023" in out and "▼P" in out and "≥ 70%" in out


def test_cli_html_file_and_errors(plan_folder: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.html"
    assert main(["compare", str(plan_folder), "--html", str(report)]) == 0
    assert report.read_text(encoding="utf-8").count('<section class="chart"') == 5
    assert main(["compare", str(plan_folder), "--indicator", "nope"]) == 2  # bad usage
    assert "unknown indicator" in capsys.readouterr().err
    assert main(["compare", str(tmp_path / "missing.duckdb")]) == 2


@pytest.mark.slow  # a batch run
def test_seed_plans_share_indicators_and_the_district_meets_its_parent(tmp_path: Path) -> None:
    """The bundled plans through batch, store and comparison: the four plans set at least
    five indicators in common, and the district's parent is the city's plan."""
    summary = run_batch(CORPUS, tmp_path, jobs=1, include=["*.txt"])
    assert summary.failed == 0
    frame = compare_plans(tmp_path)
    plans_per_indicator = frame.groupby("indicator")["document"].nunique()
    assert (plans_per_indicator >= 4).sum() >= 5
    districts = frame[frame.level == "district"]
    assert not districts.empty and districts.parent_document.notna().all()
    parents = frame[frame.locality.isin(districts.parent)]
    assert set(districts.parent_document) <= set(parents.document)
