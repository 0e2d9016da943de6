"""The HTML report: an overview matrix, one chart per indicator scaled to its own values on a
round axis, value labels in a column the national line never enters, a page for nothing."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from batch_support import build_plan
from conftest import load_cases
from kehoach_parser.cli import main
from kehoach_parser.compare import compare_plans
from kehoach_parser.report import render
from kehoach_parser.report_html import axis


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return compare_plans([build_plan(e) for e in load_cases("compare.toml")["plans"]])


class _Page(HTMLParser):
    """Per chart (``data-indicator``): bar and national-line positions (percent of the
    axis), tick labels, and the grid column of every label; the overview's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict[str, Any]] = {}
        self.cells: list[str] = []
        self._chart: dict[str, Any] | None = None
        self._tick = False
        self._in_matrix = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        classes = found.get("class", "").split()
        left = re.search(r"(?:width|left): ([\d.]+)%", found.get("style", ""))
        if tag == "section" and "data-indicator" in found:
            self._chart = self.charts[found["data-indicator"]] = {
                "bars": [], "national": [], "ticks": [], "labels": set()}
        elif tag == "table" and "matrix" in classes:
            self._in_matrix = True
        elif self._in_matrix and tag == "td":
            self.cells.append(found.get("class", ""))
        elif self._chart is not None:
            if "bar" in classes and left:
                self._chart["bars"].append(float(left[1]))
            elif "national" in classes and left:
                self._chart["national"].append(float(left[1]))
            elif tag == "span" and self._chart["ticks"] is not None and {"first", "tick",
                                                                        "last"} & set(classes):
                self._tick = True
            if {"who", "value", "unit"} & set(classes):
                self._chart["labels"].add(classes[0])

    def handle_data(self, data: str) -> None:
        if self._tick and self._chart is not None:
            self._chart["ticks"].append(float(data))
            self._tick = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._chart = None
        elif tag == "table":
            self._in_matrix = False


def _page(frame: pd.DataFrame) -> _Page:
    page = _Page()
    page.feed(render(frame, "html"))
    return page


def test_round_axis_ends() -> None:
    assert axis(100) == (100, 20) and axis(13.8) == (15, 5) and axis(1.15) == (1.5, 0.5)
    assert axis(4.2) == (5, 1) and axis(0.7) == (0.8, 0.2) and axis(60, whole=True) == (60, 20)
    for top in (0.3, 1, 2.5, 7, 12, 13.8, 99, 101, 240, 1e6):
        end, step = axis(top)
        steps = end / step
        assert end >= top and steps == pytest.approx(round(steps)) and steps <= 5
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-9, (top, step)


def test_each_chart_is_scaled_to_its_own_values(frame: pd.DataFrame) -> None:
    page = _page(frame)
    growth = page.charts["crime_detection_growth_pct"]
    assert growth["ticks"][-1] == 5  # "+3-5%": 0 to 5, not 0 to 100
    assert growth["national"] == [60.0]  # the national +3 % at 3/5 of the axis
    coverage = page.charts["propaganda_commune_coverage_pct"]
    rows = frame[frame.indicator == "propaganda_commune_coverage_pct"]
    end = coverage["ticks"][-1]
    assert end == axis(max(rows.value.max(), rows.national_value.max()))[0]
    assert sorted(coverage["bars"]) == pytest.approx(sorted(100 * v / end for v in rows.value),
                                                     abs=0.01)


def test_labels_are_outside_the_plot(frame: pd.DataFrame) -> None:
    """Locality and value labels sit in grid columns 1 and 3; the bars, the grid lines and
    the national line in column 2, so that no line runs through a label."""
    html = render(frame, "html")
    for label in ("who", "value", "unit"):
        assert html.count(f'class="{label}"') > 0
    assert re.search(r"\.who \{ grid-column: 1;", html)
    assert re.search(r"\.value \{ grid-column: 3;", html)
    assert re.search(r"\.plot \{ grid-column: 2;", html)
    assert re.search(r"\.track \{ grid-column: 2;", html)


def test_overview_marks_the_weaker_targets(frame: pd.DataFrame) -> None:
    page = _page(frame)
    plans = frame.groupby(["locality", "level", "plan_year"], dropna=False).ngroups
    indicators = frame.indicator.nunique()
    assert len(page.cells) == indicators * (plans + 1)  # and the national column
    assert page.cells.count("weak-national") == int(frame.weaker_than_national.sum())
    weak_parent_only = frame.weaker_than_parent.fillna(False) & ~frame.weaker_than_national \
        .fillna(False)
    assert page.cells.count("weak-parent") == int(weak_parent_only.sum())


def test_nothing_to_compare_is_a_page_that_says_why(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    assert main(["compare", str(tmp_path), "--html", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "Nothing to compare" in html and "<code>kehoach batch FOLDER --out OUT</code>" in html
    assert f"no plan in {tmp_path}" in html


def test_nothing_for_a_selection_says_which(frame: pd.DataFrame, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(tmp_path), "--year", "1999", "--format", "md"]) == 0
    assert capsys.readouterr().out == (
        f"nothing to compare: no plan in {tmp_path} sets a target for --year 1999; without "
        "the selection, `kehoach compare` shows what there is\n")
