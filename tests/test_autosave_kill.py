"""Autosave survives a killed kernel: what was typed reaches the store without a click."""

from __future__ import annotations

import os
import signal
import time

import pytest
from jupyter_client.manager import KernelManager

from tappedin_widgets.store import Store

SETUP = """
from tappedin_widgets.store import Store
from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.self_reflection import SelfReflectionView
view = SelfReflectionView(Workbook(Store()), debounce=0.3)
box = view.answers.fields["did_well"].widget
"""


def _run(client, code: str) -> None:
    reply = client.execute_interactive(code, timeout=60, output_hook=lambda _m: None)
    assert reply["content"]["status"] == "ok", reply["content"]


@pytest.mark.slow
def test_text_typed_then_a_killed_kernel_five_times_loses_nothing(db_path):
    with Store(db_path) as s:
        app = s.add("applications", company="Northwind", role="Analyst")
    for attempt in range(5):
        km = KernelManager(kernel_name="python3")
        km.start_kernel(env=dict(os.environ, TAPPEDIN_DB=str(db_path)))
        client = km.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            _run(client, SETUP)
            words = f"Attempt {attempt}: I kept calm and asked about the roadmap. ✨"
            # like a keystroke arriving from the browser: no click, no flush
            _run(client, f"box.value = {words!r}")
            deadline = time.time() + 10
            saved = None
            while time.time() < deadline:
                with Store(db_path) as s:
                    saved = (s.reflection(app) or {}).get("did_well")
                if saved == words:
                    break
                time.sleep(0.05)
            # the kernel dies the moment the autosave landed
            os.kill(km.provisioner.process.pid, signal.SIGKILL)
        finally:
            client.stop_channels()
            km.cleanup_resources() if not km.is_alive() else km.shutdown_kernel(now=True)
        with Store(db_path) as s:
            assert s.reflection(app)["did_well"] == words
            assert s.count("reflections") == 1
