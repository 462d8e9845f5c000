"""Shared fixtures: a real SQLite store in a temporary folder for every test."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

from tappedin_widgets.store import Store  # noqa: E402


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "tappedin.db"
    monkeypatch.setenv("TAPPEDIN_DB", str(path))
    return path


@pytest.fixture
def store(db_path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def app_id(store):
    return store.add("applications", company="Northwind", role="Product Analyst",
                     applied_on="2026-03-02", stage="interview", outcome="rejected",
                     outcome_on="2026-03-20", source="referral")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
