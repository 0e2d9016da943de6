"""``notebooks/compare_localities.ipynb`` runs from top to bottom (nbclient), so it never rots."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "compare_localities.ipynb"


def _text(output: nbformat.NotebookNode) -> str:
    if output.output_type == "stream":
        return str(output.text)
    return "".join(str(value) for value in output.get("data", {}).values())


def test_compare_localities_notebook_runs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "\n".join(_text(o) for o in outputs)
    assert "0 failed" in shown  # the batch
    assert "| indicator | national |" in shown and "Dương Kinh" in shown  # the table
    assert shown.count('<rect class="bar"') >= 5  # the charts
