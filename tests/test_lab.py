"""`tappedin lab`: JupyterLab on the workbook, as root too, and stopped with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tappedin_widgets.cli import free_port


def _lab_processes(port: int) -> list[psutil.Process]:
    """The jupyter-lab processes (and their kernels' parents) serving this test's port."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if "jupyter" in cmd and f"--ServerApp.port={port}" in cmd:
            found.append(proc)
    return found


def _serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=5) as r:
            return r.status == 200 and b"version" in r.read()
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_lab_starts_as_whoever_runs_it_and_stops_jupyter_lab_with_it(tmp_path: Path, how):
    port = free_port()
    runtime = tmp_path / "runtime"
    env = dict(os.environ, TAPPEDIN_DB=str(tmp_path / "t.db"), PYTHONUNBUFFERED="1",
               JUPYTER_RUNTIME_DIR=str(runtime), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        lab = subprocess.Popen(
            [sys.executable, "-m", "tappedin_widgets.cli", "lab", "--no-browser", "--",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 180
        while not _serving(port):
            assert lab.poll() is None, f"tappedin lab stopped:\n{log.read_text()}"
            assert time.time() < deadline, f"JupyterLab did not start:\n{log.read_text()}"
            time.sleep(1)
        text = log.read_text()
        as_root = os.geteuid() == 0
        assert ("JupyterLab gets --allow-root" in text) == as_root, text
        assert "Use --allow-root to bypass" not in text  # Jupyter's refusal, before
        assert _lab_processes(port), "no jupyter-lab process found for the port"

        lab.send_signal(how)  # Ctrl+C in a terminal, or a service manager's stop
        assert lab.wait(timeout=60) == 0, log.read_text()
        assert "Stopped." in log.read_text()
        deadline = time.time() + 10
        while _lab_processes(port) and time.time() < deadline:
            time.sleep(0.5)
        left = _lab_processes(port)
        assert left == [], f"jupyter-lab outlived tappedin lab: {left}"
        assert not _serving(port)
    finally:
        if lab.poll() is None:
            lab.kill()
        for proc in _lab_processes(port):  # never leave one behind, even on failure
            proc.kill()
