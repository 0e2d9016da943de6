"""The HTML comparison report opened in headless Chromium: every chart has its bars.

Needs Debian's chromium: ``scripts/setup-system.sh browser`` installs it (run by ``make setup``).
"""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from batch_support import build_plan
from conftest import load_cases
from kehoach_parser.compare import compare_plans
from kehoach_parser.report import render

pytestmark = pytest.mark.slow  # a browser
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Charts(HTMLParser):
    """Per chart section (``data-indicator``): bars drawn inside its SVG, national lines,
    and whether it names plans left out of the chart."""

    def __init__(self) -> None:
        super().__init__()
        self.bars: dict[str, list[float]] = {}
        self.national: dict[str, int] = {}
        self._section: str | None = None
        self._in_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        indicator = found.get("data-indicator")
        if tag == "section" and indicator:
            self._section = indicator
            self.bars[indicator], self.national[indicator] = [], 0
        elif tag == "svg":
            self._in_svg = True
        elif self._in_svg and self._section and tag == "rect" and found.get("class") == "bar":
            self.bars[self._section].append(float(found.get("width") or 0))
        elif self._in_svg and self._section and tag == "line" and found.get("class") == "national":
            self.national[self._section] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False
        elif tag == "section":
            self._section = None


def test_every_chart_has_its_bars_in_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sudo bash scripts/setup-system.sh browser` "
                    "(installs Debian's chromium) to run the browser test")
    frame = compare_plans([build_plan(e) for e in load_cases("compare.toml")["plans"]])
    report = tmp_path / "report.html"
    report.write_text(render(frame, "html"), encoding="utf-8")
    shown = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         report.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert shown.returncode == 0 and "<svg" in shown.stdout, shown.stderr[-2000:]
    charts = _Charts()
    charts.feed(shown.stdout)
    indicators = list(dict.fromkeys(frame.indicator))
    assert list(charts.bars) == indicators
    for indicator in indicators:
        rows = frame[frame.indicator == indicator]
        # the plans in the national target's unit or, without one, in the most common unit
        expected = (int((rows.unit == rows.national_unit).sum()) if rows.national_unit.any()
                    else int(rows.unit.value_counts().iloc[0]))
        assert len(charts.bars[indicator]) == expected, indicator
        assert all(width > 0 for width in charts.bars[indicator])
        assert charts.national[indicator] == int(rows.national_value.notna().any())
