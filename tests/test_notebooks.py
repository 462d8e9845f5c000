"""Every notebook runs headless against a temporary store, and is committed clean."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tappedin_widgets.demo import load_demo
from tappedin_widgets.store import Store

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook_for_every_step():
    names = [p.name for p in NOTEBOOKS]
    for prefix in ("00_start_here", "01_feedback", "02_follow_up", "03_self_reflection",
                   "04_job_reflection", "05_continue_search", "dashboard"):
        assert any(n.startswith(prefix) for n in names), prefix


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], path.name
            assert cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_stays_thin(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    lines = sum(len([ln for ln in c.source.splitlines() if ln.strip()]) for c in code)
    assert 1 <= lines <= 5, f"{path.name}: {lines} lines of code"


@pytest.mark.slow
@pytest.mark.parametrize("demo", [False, True], ids=["empty-store", "demo-store"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_headless_without_errors(path, demo, tmp_path, monkeypatch):
    db = tmp_path / "nb.db"
    monkeypatch.setenv("TAPPEDIN_DB", str(db))
    if demo:
        with Store(db) as s:
            load_demo(s)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            assert out.get("name") != "stderr" or "Traceback" not in out.get("text", "")
        if cell.cell_type == "code":
            kinds = {k for out in cell.outputs for k in out.get("data", {})}
            assert "application/vnd.jupyter.widget-view+json" in kinds, path.name
