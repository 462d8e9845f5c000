"""The benchmark's hidden hook: absent by default, honest when asked for."""

from __future__ import annotations

import json
import os

import ipywidgets as w

from tappedin_widgets import probe
from tappedin_widgets.diagnostics import live_widgets


def test_the_hook_is_not_built_unless_asked_for(monkeypatch):
    monkeypatch.delenv(probe.ENV, raising=False)
    assert probe.probe_widget() is None
    monkeypatch.setenv(probe.ENV, "0")
    assert probe.probe_widget() is None


def test_a_click_reports_this_kernel_its_widgets_and_memory(monkeypatch):
    monkeypatch.setenv(probe.ENV, "1")
    box = probe.probe_widget()
    assert box is not None and box.layout.display == "none"
    ask, out = box.children
    extra = [w.Button() for _ in range(7)]
    ask.click()
    first = json.loads(out.value)
    assert first["n"] == 1 and first["pid"] == os.getpid()
    assert first["widgets"] == live_widgets() and first["rss_mb"] > 10
    for b in extra:
        b.close()
    ask.click()
    second = json.loads(out.value)
    assert second["n"] == 2 and second["widgets"] == first["widgets"] - 7
    box.close()
