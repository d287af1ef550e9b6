"""Runs ``examples/notebooks/tour.ipynb`` cell by cell in a real kernel
(nbclient), so the shipped notebook cannot drift from the API, and checks
the figures it shows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, List

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "tour.ipynb"


def outputs(cell: Any) -> List[str]:
    texts = []
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        texts.append(data.get("text/plain") or o.get("text") or "")
    return texts


def test_the_tour_notebook_runs_and_shows_the_sample_figures() -> None:
    nb: Any = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    env = dict(os.environ)
    os.environ["MPLBACKEND"] = "Agg"  # no display in a test run
    try:
        nbclient.NotebookClient(
            nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(env)
    code = [c for c in nb.cells if c.cell_type == "code"]
    shown = [outputs(c) for c in code]
    # 25 events from the sample tables; an aging shown as an HTML table.
    assert shown[0] == ["25"]
    html = code[1]["outputs"][0]["data"]["text/html"]
    assert html.startswith("<table class='ar-aging'>")
    assert "Aging as of 2026-11-23: USD" in shown[2][0]
    # The provision of the USD totals and the matched receipt, exact.
    assert shown[5] == ["Decimal('70.22')"]
    summary = shown[6][0]
    assert "auto      USD         1  402.19" in summary
    assert "unmatched      USD         1   77.77" in summary
