"""Serving safely: 127.0.0.1 by default, a token for anything else, tracebacks hidden."""

from __future__ import annotations

import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tappedin_widgets.cli import serve_token, voila_command
from tappedin_widgets.preheat import READY

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from webapp import kernel_count, start_server, stop_server, wait_for_kernels  # noqa: E402


def test_the_app_listens_on_loopback_without_a_token_by_default():
    assert serve_token("127.0.0.1", False) is None
    cmd = voila_command(Path("app.ipynb"), 8123, "127.0.0.1")
    assert "--Voila.ip=127.0.0.1" in cmd
    assert not any(a.startswith("--Voila.token") for a in cmd)


def test_another_address_always_gets_a_fresh_token():
    first, second = serve_token("0.0.0.0", False), serve_token("192.168.1.20", False)
    assert first and second and first != second and len(first) >= 24
    cmd = voila_command(Path("app.ipynb"), 8123, "0.0.0.0", token=first)
    assert f"--Voila.token={first}" in cmd


def test_tracebacks_are_never_sent_to_the_page():
    cmd = voila_command(Path("app.ipynb"), 8123, "127.0.0.1")
    assert "--show_tracebacks=False" in cmd


def test_kernels_nobody_is_connected_to_are_culled_within_a_minute():
    cmd = voila_command(Path("app.ipynb"), 8123, "127.0.0.1")
    options = dict(a[2:].split("=", 1) for a in cmd if a.startswith("--") and "=" in a)
    idle = int(options["MappingKernelManager.cull_idle_timeout"])
    every = int(options["MappingKernelManager.cull_interval"])
    assert 0 < idle + every <= 60
    assert options["pool_size"] == "1"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_plain_gets_hold_at_most_the_window_cap_and_are_culled_within_a_minute(tmp_path):
    server = start_server(tmp_path / "t.db", tmp_path, "--max-windows", "2")
    pool = 1
    try:
        answers = [_get(server.url) for _ in range(6)]
        assert [code for code, _ in answers] == [200, 200, 503, 503, 503, 503]
        refused = answers[-1][1]
        assert "Too many open windows" in refused and "reload this page" in refused
        assert "Traceback" not in refused
        assert kernel_count(server) <= 2 + pool
        last_page = time.time()
        # nobody connected to those two pages: their kernels go within a minute of the
        # last one being served (before the fix: 15 minutes, and no cap at all)
        wait_for_kernels(server, pool, within=75)
        assert time.time() - last_page <= 75
        assert _get(server.url)[0] == 200  # room again
    finally:
        stop_server(server)


@pytest.mark.slow
def test_a_served_app_with_a_token_refuses_requests_without_it(tmp_path):
    server = start_server(tmp_path / "t.db", tmp_path, "--token")
    try:
        assert "?token=" in server.url
        base = server.url.split("?")[0]
        opener = urllib.request.build_opener(NoRedirect())
        with pytest.raises(urllib.error.HTTPError) as e:
            opener.open(base, timeout=30)
        assert e.value.code in (302, 403)
        with urllib.request.urlopen(server.url, timeout=60) as ok:
            assert ok.status == 200
    finally:
        stop_server(server)


@pytest.mark.slow
def test_stopping_serve_with_sigterm_stops_voila_too(tmp_path):
    import os
    import signal
    import time

    server = start_server(tmp_path / "t.db", tmp_path)
    server.proc.terminate()
    server.proc.wait(timeout=30)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            os.killpg(server.proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(server.proc.pid, signal.SIGKILL)
        pytest.fail("Voilà outlived `tappedin serve`")


@pytest.mark.slow
def test_the_address_is_printed_only_once_a_kernel_waits_for_the_first_page(tmp_path):
    import psutil

    # --verbose: Voilà's log and serve's own lines, in the order serve wrote them
    server = start_server(tmp_path / "t.db", tmp_path, "--verbose")
    try:
        log = server.log.read_text()
        ready = re.search(re.escape(READY) + r" \(([0-9a-f-]{36}), after", log)
        assert ready, log
        assert ready.start() < log.index("TAPPED IN is running at"), log
        kernel_id = ready.group(1)  # that kernel is running (and waiting, see voila_server)
        running = [" ".join(p.cmdline()) for p in
                   psutil.Process(server.proc.pid).children(recursive=True)]
        assert any(f"kernel-{kernel_id}.json" in cmd for cmd in running), running
        assert _get(server.url)[0] == 200
    finally:
        stop_server(server)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.slow
def test_after_a_clean_stop_the_db_file_alone_holds_everything(tmp_path):
    import shutil
    import sqlite3

    db = tmp_path / "t.db"
    server = start_server(db, tmp_path)
    try:
        assert _get(server.url)[0] == 200  # a page's kernel now holds the store open
        con = sqlite3.connect(db)  # a change made while the app runs (another program)
        with con:
            con.execute("INSERT INTO applications (company, role, source, stage, outcome, "
                        "created_at, updated_at) VALUES ('Initech', 'Analyst', 'other', "
                        "'applied', 'open', '2026-03-01', '2026-03-01')")
        con.close()
        assert db.with_name("t.db-wal").stat().st_size > 0  # still only in the log
    finally:
        stop_server(server)
    copy = tmp_path / "copy" / "t.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)  # the .db file alone, as people back up "a file"
    con = sqlite3.connect(copy)
    try:
        assert con.execute("SELECT count(*) FROM applications WHERE company = 'Initech'"
                           ).fetchone()[0] == 1
    finally:
        con.close()
