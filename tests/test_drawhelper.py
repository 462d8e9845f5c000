"""The helper process that draws some of the charts: same bytes, shared work, no leftovers."""

from __future__ import annotations

import collections
import logging
import os
import signal
import subprocess
import sys
import time

import pytest
from test_charts import synthetic_data

from tappedin_widgets import charts, drawhelper


@pytest.fixture(scope="module")
def data():
    return synthetic_data(300, seed=5)


@pytest.fixture
def helper(monkeypatch):
    """A fresh, warm helper for the test, let go afterwards."""
    monkeypatch.delenv(drawhelper.ENV, raising=False)
    drawhelper.stop()
    started = drawhelper.ready(wait=True)
    assert started is not None and started.failed is None
    yield started
    drawhelper.stop()


def gone(pid: int, within: float = 15.0) -> bool:
    """The process has exited (a zombie nobody has reaped yet counts as exited)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except (FileNotFoundError, IndexError):
            return True
        try:  # reap it if it is our child (a zombie still answers kill 0)
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        time.sleep(0.1)
    return False


def test_the_helper_draws_the_bytes_this_process_draws(helper, data, monkeypatch):
    shared = charts.render_charts(data)
    assert 1 <= helper.drawn < len(charts.CHARTS)  # both processes drew some
    monkeypatch.setenv(drawhelper.ENV, "0")
    alone = charts.render_charts(data)
    assert list(shared) == list(alone) == list(charts.CHARTS)
    for name in charts.CHARTS:
        assert shared[name].png == alone[name].png, name
        assert shared[name].fingerprint == alone[name].fingerprint, name


def test_turned_off_no_helper_is_started(monkeypatch, data):
    drawhelper.stop()
    monkeypatch.setenv(drawhelper.ENV, "0")
    assert drawhelper.ready(wait=True) is None
    assert drawhelper._helper is None
    assert set(charts.render_charts(data)) == set(charts.CHARTS)


def test_a_killed_helper_loses_no_chart(helper, data, caplog):
    os.kill(helper.pid, signal.SIGKILL)
    assert gone(helper.pid)
    with caplog.at_level(logging.WARNING, logger="tappedin.drawhelper"):
        drawn = charts.render_charts(data)
    assert list(drawn) == list(charts.CHARTS)
    assert all(d.png.startswith(b"\x89PNG") for d in drawn.values())
    assert helper.failed and "failed on" in helper.failed
    assert "Drawing every chart in this process" in caplog.text
    assert drawhelper.ready() is None  # not used again


def test_a_chart_that_fails_there_fails_here_too_with_the_same_error(helper):
    numbers = {"funnel": {"stages": "not a table"}, "themes": {"counts": "not a table"}}
    drawn_here = []

    def here(queue: collections.deque[str]) -> dict[str, bytes]:
        out = {}
        while queue:
            name = queue.popleft()
            drawn_here.append(name)
            charts.CHARTS[name].plot(**numbers[name])  # raises
        return out

    with pytest.raises((TypeError, AttributeError, KeyError, ValueError)):
        drawhelper.share(["funnel", "themes"], here, numbers, 110)
    assert helper.failed is None  # a drawing error is not the helper's failure
    assert drawhelper.ready() is helper


_ORPHAN = """
import os, signal, sys
from tappedin_widgets import drawhelper
helper = drawhelper.ready(wait=True)
print(helper.pid if helper else "none", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_helper_leaves_with_a_killed_parent():
    env = {k: v for k, v in os.environ.items() if k != drawhelper.ENV}
    out = subprocess.run([sys.executable, "-c", _ORPHAN], capture_output=True, text=True,
                         timeout=300, env=env)
    assert out.returncode == -signal.SIGKILL, out.stderr
    pid = int(out.stdout.strip())
    assert gone(pid), f"helper {pid} outlived its parent"


def test_a_script_without_a_main_guard_is_not_run_again(tmp_path):
    """The helper is ``python -m tappedin_widgets.drawhelper``: unlike a
    multiprocessing spawn, it never re-runs the caller's script."""
    marker = tmp_path / "runs.txt"
    script = tmp_path / "script.py"
    script.write_text(
        "from tappedin_widgets import drawhelper\n"
        f"open({str(marker)!r}, 'a').write('ran\\n')\n"
        "assert drawhelper.ready(wait=True) is not None\n"
        "drawhelper.stop()\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != drawhelper.ENV}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert marker.read_text() == "ran\n"


def test_a_helper_ended_by_a_signal_is_reaped_at_once(helper):
    """ipykernel's shutdown signals the kernel's children and waits until none is left:
    an ended helper must not linger as a zombie (the kernel was killed waiting, before
    its exit hooks checkpointed the store)."""
    import psutil

    pid = helper.pid
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + 5
    while time.time() < deadline:
        if pid not in {p.pid for p in psutil.Process().children()}:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the ended helper is still this process's child (a zombie)")
