"""The notebooks run from top to bottom (nbclient), so they never rot."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # a kernel per notebook

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOK = NOTEBOOKS / "compare_localities.ipynb"


def _text(output: nbformat.NotebookNode) -> str:
    if output.output_type == "stream":
        return str(output.text)
    return "".join(str(value) for value in output.get("data", {}).values())


def _run(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return "\n".join(_text(o) for o in outputs)


def test_compare_localities_notebook_runs() -> None:
    shown = _run(NOTEBOOK)
    assert "0 failed" in shown  # the batch
    assert "| indicator | national |" in shown and "Dương Kinh" in shown  # the table
    assert shown.count('<span class="bar ') >= 5  # the charts


def test_spacy_notebook_renders_spans() -> None:
    shown = _run(NOTEBOOKS / "spacy_components.ipynb")
    assert "kehoach_citations" in shown and "29/QĐ-BLĐTBXH" in shown
    assert shown.count("span") > 20  # displaCy's span markup
    words = html.unescape(re.sub(r"<[^>]+>", " ", shown))
    assert "Sở Lao động - Thương binh và Xã hội" in words  # the agency view
    assert not re.search(r"(?<!\S)[#*](?!\S)", words)  # drawn on the normalized text: no
    # markdown marks left between the spans as tokens of their own
