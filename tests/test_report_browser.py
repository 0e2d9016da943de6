"""The HTML comparison report laid out by headless Chromium, on a desktop and on a phone:
every chart has its bars, no label is crossed by a national line, nothing spills out of the
page sideways (the overview matrix scrolls in its own box).

Needs Debian's chromium: ``scripts/setup-system.sh browser`` installs it (run by ``make
setup``). A headless window is at least 500 px wide, so the page is laid out in an iframe of
the width under test; a script added to a copy of the page measures it and posts the
figures to the host page, which Chromium prints (``--dump-dom``).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from batch_support import build_plan
from conftest import load_cases
from kehoach_parser.compare import compare_plans
from kehoach_parser.report import render

pytestmark = pytest.mark.slow  # a browser
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=10000"]
MEASURE = """<script>
addEventListener("load", () => {
  const box = (el) => el.getBoundingClientRect();
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom
    && b.top < a.bottom && a.width > 0 && b.width > 0;
  const out = {width: innerWidth, page: document.documentElement.scrollWidth, spill: [],
               charts: {}};
  for (const el of document.body.querySelectorAll("*"))
    if (box(el).right > innerWidth + 0.5 && !el.closest(".scroll"))
      out.spill.push(el.className + ": " + el.textContent.slice(0, 40));
  for (const chart of document.querySelectorAll("section.chart")) {
    const lines = [...chart.querySelectorAll(".national")].map(box);
    const labels = [...chart.querySelectorAll(
      ".who, .value, .unit, .axis span, .national-label span")].filter(l => box(l).width > 0);
    out.charts[chart.dataset.indicator] = {
      bars: [...chart.querySelectorAll(".bar")].map(b => box(b).width / box(b.parentNode).width),
      national: lines.length,
      crossed: labels.filter(l => lines.some(line => meets(line, box(l)))).map(l => l.textContent),
    };
  }
  parent.postMessage(JSON.stringify(out), "*");
});
</script>"""
HOST = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="report.html" style="border:0; width:{width}px; height:900px"></iframe>
<script>addEventListener("message", (e) => {{
  const pre = document.createElement("pre"); pre.id = "measured"; pre.textContent = e.data;
  document.body.appendChild(pre); }});</script></body></html>"""


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return compare_plans([build_plan(e) for e in load_cases("compare.toml")["plans"]])


def _measure(page: str, width: int, tmp_path: Path) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sudo bash scripts/setup-system.sh browser` "
                    "(installs Debian's chromium) to run the browser test")
    (tmp_path / "report.html").write_text(page.replace("</head>", MEASURE + "</head>"),
                                          encoding="utf-8")
    host = tmp_path / "host.html"
    host.write_text(HOST.format(width=width), encoding="utf-8")
    shown = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         f"--window-size={max(width, 500) + 40},1000", "--dump-dom", host.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    found = re.search(r'<pre id="measured">(.*?)</pre>', shown.stdout, re.S)
    assert shown.returncode == 0 and found, shown.stderr[-2000:]
    measured: dict[str, Any] = json.loads(html.unescape(found[1]))
    assert measured["width"] == width
    return measured


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_charts_in_chromium(frame: pd.DataFrame, width: int, tmp_path: Path) -> None:
    measured = _measure(render(frame, "html"), width, tmp_path)
    assert measured["spill"] == [] and measured["page"] <= width
    charts = measured["charts"]
    indicators = list(dict.fromkeys(frame.indicator))
    assert list(charts) == indicators
    for indicator in indicators:
        rows = frame[frame.indicator == indicator]
        # the plans in the national target's unit or, without one, in the most common unit
        expected = (int((rows.unit == rows.national_unit).sum()) if rows.national_unit.any()
                    else int(rows.unit.value_counts().iloc[0]))
        chart = charts[indicator]
        assert len(chart["bars"]) == expected, indicator
        assert all(0 < share <= 1.001 for share in chart["bars"]), (indicator, chart["bars"])
        assert chart["national"] == int(rows.national_value.notna().any()), indicator
        assert chart["crossed"] == [], (indicator, chart["crossed"])


def test_bars_are_drawn_to_scale(frame: pd.DataFrame, tmp_path: Path) -> None:
    """The rendered bar of each plan, as a share of its track, is its value over the
    chart's axis end: the longest bar of a chart reaches at least half the axis."""
    charts = _measure(render(frame, "html"), 1280, tmp_path)["charts"]
    for indicator, chart in charts.items():
        assert max(chart["bars"]) > 0.5, (indicator, chart["bars"])
