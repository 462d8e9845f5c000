"""The shipped JupyterHub configuration (docs/jupyterhub_config.py), started for real.

One hub on 127.0.0.1 with its proxy, and a single-user server per person, each
with Voilà as a server extension and its own TAPPEDIN_DB. Only what one machine
can't do like production is changed: ports, the folder, the dummy login, and every
user running as the current Unix account (SimpleLocalProcessSpawner).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from webapp import CHROMIUM, CHROMIUM_ARGS, shot  # noqa: E402

from tappedin_widgets.cli import free_port  # noqa: E402
from tappedin_widgets.store import Store  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = ROOT / "docs" / "jupyterhub_config.py"
SEEKERS = ("alice", "bob")
#: Every process the hub starts carries this variable, so all of them can be found and ended.
MARKER = "TAPPEDIN_HUB_TEST_RUN"

TEST_CONFIG = """\
load_subconfig({shipped!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home!r}
c.Spawner.env_keep.append({marker!r})
c.Spawner.args.extend({extra_args!r})
"""


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing: tests/run.sh must install it.")
    pytest.skip(f"{what} is not installed")


def _requirements() -> None:
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        _missing("jupyterhub (pip install jupyterhub)")
    if shutil.which("configurable-http-proxy") is None:
        _missing("configurable-http-proxy (npm install -g configurable-http-proxy)")
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} (apt-get install chromium)")


def _marked_pids(run_id: str) -> list[int]:
    """Our processes: those whose environment carries this run's marker."""
    needle = f"{MARKER}={run_id}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in env.split(b"\0"):
            found.append(int(entry.name))
    return found


def _end(proc: subprocess.Popen, run_id: str) -> None:
    """Stop the hub as a service manager would, then end anything it left behind."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # the hub stops the single-user servers and proxy
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in _marked_pids(run_id):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Hub:
    def __init__(self, url: str, stores: dict[str, str], log: Path):
        self.url, self.stores, self.log = url, stores, log


def _provision(folder: Path) -> tuple[str, dict[str, str]]:
    """The URL template the hub builds each TAPPEDIN_DB from, and each user's URL."""
    template = f"sqlite:///{folder}/stores/{{user}}.db"
    (folder / "stores").mkdir()
    return template, {name: template.format(user=name) for name in SEEKERS}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    _requirements()
    folder = tmp_path_factory.mktemp("hub")
    template, stores = _provision(folder)
    port, hub_port, api_port = free_port(), free_port(), free_port()
    # Jupyter refuses to run as root unless told; CI runs as root.
    extra_args = ["--allow-root"] if os.geteuid() == 0 else []
    config = folder / "test_config.py"
    config.write_text(TEST_CONFIG.format(
        shipped=str(SHIPPED_CONFIG), port=port, hub_port=hub_port, api_port=api_port,
        home=f"{folder}/home/{{username}}", marker=MARKER, extra_args=extra_args))
    run_id = uuid.uuid4().hex
    env = dict(os.environ, TAPPEDIN_HUB_DB=template,
               TAPPEDIN_HUB_PASSWORDS=str(folder / "passwords"),
               TAPPEDIN_HUB_NOTEBOOKS=str(ROOT / "notebooks"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               **{MARKER: run_id})
    env.pop("TAPPEDIN_DB", None)  # each user's comes from the hub, nowhere else
    log = folder / "jupyterhub.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited early:\n{log.read_text()}")
            try:
                if requests.get(f"{url}/hub/login", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"JupyterHub did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield Hub(url, stores, log)
    finally:
        _end(proc, run_id)
        assert _marked_pids(run_id) == [], "a hub, proxy or single-user process outlived the test"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _log_in(browser, hub: Hub, name: str):
    """A fresh browser session that logs in and lands wherever the hub sends this user."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    page.goto(f"{hub.url}/hub/login", timeout=30_000)
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill("anything")
    page.get_by_role("button", name="Sign in").click()
    return context, page


def _open_dashboard(browser, hub: Hub, name: str):
    context, page = _log_in(browser, hub, name)
    try:
        page.get_by_role("tab", name="Start here").wait_for(timeout=60_000)
    except Exception:
        shot(page, f"hub-{name}-no-dashboard")
        raise AssertionError(f"{name}'s dashboard did not appear:\n{hub.log.read_text()}")
    return context, page


def _companies(url: str) -> set[str]:
    with Store(url) as store:
        return set(store.table("applications")["company"])


def test_each_seeker_gets_their_own_dashboard_and_store(hub, browser):
    alice, page = _open_dashboard(browser, hub, "alice")
    try:
        assert page.url.endswith("/user/alice/voila/render/dashboard.ipynb")
        assert "TAPPED IN" in page.title()
        header = page.locator(".tappedin-header").inner_text()
        assert "alice" in header and "bob" not in header  # her store, named in the header
        page.get_by_label("Company").fill("Alice Only Analytics")
        page.get_by_label("Role", exact=True).fill("Data Analyst")
        page.get_by_role("button", name="Save application").click()
        page.get_by_text(re.compile("Saved Alice Only Analytics")).wait_for(timeout=30_000)
        assert "Traceback" not in page.content()
        assert page.js_errors == []
        shot(page, "hub-alice-dashboard")
    finally:
        alice.close()
    assert _companies(hub.stores["alice"]) == {"Alice Only Analytics"}

    bob, page = _open_dashboard(browser, hub, "bob")
    try:
        assert page.url.endswith("/user/bob/voila/render/dashboard.ipynb")
        header = page.locator(".tappedin-header").inner_text()
        assert "bob" in header and "alice" not in header
        page.get_by_role("heading", name="Log the rejection you just had").wait_for(timeout=30_000)
        assert "Alice Only Analytics" not in page.content()
        assert "Traceback" not in page.content()
    finally:
        bob.close()
    assert _companies(hub.stores["bob"]) == set()


def test_a_seeker_cannot_open_another_seekers_server(hub, browser):
    context, page = _open_dashboard(browser, hub, "bob")
    try:
        response = page.goto(f"{hub.url}/user/alice/voila/render/dashboard.ipynb")
        assert response is not None and response.status == 403
        assert "Alice Only Analytics" not in page.content()
    finally:
        context.close()
