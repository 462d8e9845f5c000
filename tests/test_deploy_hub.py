"""The shipped JupyterHub configuration (docs/jupyterhub_config.py), started for real.

One hub on 127.0.0.1 with its proxy, and a single-user server per person, each
with Voilà as a server extension and its own TAPPEDIN_DB on PostgreSQL, set up
with `tappedin cohort ...` as docs/deploy.md says. Only what one machine can't
do like production is changed: ports, folders, the dummy login, and every user
running as the current Unix account (SimpleLocalProcessSpawner).
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
import sqlalchemy as sa
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from webapp import CHROMIUM, CHROMIUM_ARGS, shot  # noqa: E402

from tappedin_widgets.cli import free_port  # noqa: E402
from tappedin_widgets.store import Store  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = ROOT / "docs" / "jupyterhub_config.py"
#: Alice and Bob log in; the others only make the cohort big enough for a coach's figures.
SEEKERS = ("alice", "bob", "cleo", "dan", "eve", "fay")
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
c.JupyterHub.load_groups = {{"tappedin-coaches": {{"users": [{coach!r}]}}}}
"""


def _missing(what: str) -> None:
    if os.environ.get("CI"):  # as conftest.pg_admin_url: any CI value means CI
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
    def __init__(self, url: str, log: Path, run_id: str):
        self.url, self.log, self.run_id = url, log, run_id


def _tappedin(admin_url: str, *args: str) -> None:
    """An administrator's `tappedin ...` command, as docs/deploy.md gives it."""
    done = subprocess.run([sys.executable, "-m", "tappedin_widgets.cli", *args],
                          env=dict(os.environ, TAPPEDIN_DB=admin_url),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"tappedin {' '.join(args)}:\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A database of its own on the test server, with job seekers and a coach in it.

    Yields the hub's URL template and each person's address (with their password).
    Role names carry a random suffix: roles belong to the whole server, not one database.
    """
    _requirements()
    admin = os.environ.get("TAPPEDIN_TEST_PG")
    if not admin:
        _missing("TAPPEDIN_TEST_PG (source tests/pg.sh && pg_start)")
    folder = tmp_path_factory.mktemp("cohort")
    suffix = uuid.uuid4().hex[:6]
    seekers = [f"{name}_{suffix}" for name in SEEKERS]
    coach = f"coach_{suffix}"
    database = f"tappedin_hub_{suffix}"
    server = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin_db = make_url(admin).set(database=database)
    passwords = folder / "passwords"
    passwords.mkdir(mode=0o700)
    people = [*seekers, coach]
    users = {}
    try:
        _tappedin(admin_db.render_as_string(hide_password=False), "cohort", "init")
        for name in people:
            secret = passwords / name
            secret.write_text(f"{uuid.uuid4().hex}\n")
            secret.chmod(0o600)
            action = "add-coach" if name == coach else "add-user"
            _tappedin(admin_db.render_as_string(hide_password=False), "cohort", action, name,
                      "--password-file", str(secret))
            users[name] = admin_db.set(username=name, password=secret.read_text().strip())
        for name in seekers[1:]:  # Alice starts empty: she works in her dashboard
            with Store(users[name].render_as_string(hide_password=False)) as store:
                store.add("applications", company=f"{name.split('_')[0].title()} Only Builders",
                          role="Analyst", stage="interview", outcome="rejected")
        template = admin_db.set(username="USER").render_as_string().replace("USER", "{user}")
        yield Cohort(template, passwords, {n: u.render_as_string(hide_password=False)
                                           for n, u in users.items()}, seekers, coach)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            for name in people:
                conn.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))
        server.dispose()


class Cohort:
    def __init__(self, template: str, passwords: Path, urls: dict[str, str],
                 seekers: list[str], coach: str):
        self.template, self.passwords, self.urls = template, passwords, urls
        self.seekers, self.coach = seekers, coach


@pytest.fixture(scope="module")
def hub(cohort, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    port, hub_port, api_port = free_port(), free_port(), free_port()
    # Jupyter refuses to run as root unless told; CI runs as root.
    extra_args = ["--allow-root"] if os.geteuid() == 0 else []
    config = folder / "test_config.py"
    config.write_text(TEST_CONFIG.format(
        shipped=str(SHIPPED_CONFIG), port=port, hub_port=hub_port, api_port=api_port,
        home=f"{folder}/home/{{username}}", marker=MARKER, extra_args=extra_args,
        coach=cohort.coach))
    run_id = uuid.uuid4().hex
    env = dict(os.environ, TAPPEDIN_HUB_DB=cohort.template,
               TAPPEDIN_HUB_PASSWORDS=str(cohort.passwords),
               TAPPEDIN_HUB_NOTEBOOKS=str(ROOT / "notebooks"),
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
        yield Hub(url, log, run_id)
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
        raise AssertionError(f"{name}'s dashboard did not appear:\n{hub.log.read_text()}") from None
    return context, page


def _companies(url: str) -> set[str]:
    with Store(url) as store:
        return set(store.table("applications")["company"])


def _server_env(hub: Hub, user: str) -> dict[str, str]:
    """The environment the hub gave a user's single-user server."""
    for pid in _marked_pids(hub.run_id):
        try:
            raw = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        env = dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)
        if env.get("JUPYTERHUB_USER") == user and "JUPYTERHUB_API_TOKEN" in env:
            return env
    raise AssertionError(f"no single-user server for {user}")


def test_each_seeker_gets_their_own_dashboard_and_store(hub, cohort, browser):
    alice, bob = cohort.seekers[:2]
    context, page = _open_dashboard(browser, hub, alice)
    try:
        assert page.url == f"{hub.url}/user/{alice}/voila/render/dashboard.ipynb"
        assert "TAPPED IN" in page.title()
        header = page.locator(".tappedin-header").inner_text()
        assert alice in header and bob not in header  # her store, named in the header
        assert "your own space on the database" in header
        assert "Only Builders" not in page.content()  # nobody else's applications
        page.get_by_label("Company").fill("Alice Only Analytics")
        page.get_by_label("Role", exact=True).fill("Data Analyst")
        page.get_by_role("button", name="Save application").click()
        page.get_by_text(re.compile("Saved Alice Only Analytics")).wait_for(timeout=30_000)
        assert "Traceback" not in page.content()
        assert page.js_errors == []
        shot(page, "hub-alice-dashboard")
    finally:
        context.close()
    assert _companies(cohort.urls[alice]) == {"Alice Only Analytics"}
    # The hub gave her server her own address, password included (the header hides it).
    assert _server_env(hub, alice)["TAPPEDIN_DB"] == cohort.urls[alice]

    context, page = _open_dashboard(browser, hub, bob)
    try:
        assert page.url == f"{hub.url}/user/{bob}/voila/render/dashboard.ipynb"
        header = page.locator(".tappedin-header").inner_text()
        assert bob in header and alice not in header
        page.get_by_role("heading", name=re.compile("Bob Only Builders")).wait_for(
            timeout=30_000)
        assert "Alice Only Analytics" not in page.content()
        assert "Traceback" not in page.content()
    finally:
        context.close()
    assert _companies(cohort.urls[bob]) == {"Bob Only Builders"}
    assert _server_env(hub, bob)["TAPPEDIN_DB"] == cohort.urls[bob]


def test_a_seeker_cannot_open_another_seekers_server(hub, cohort, browser):
    alice, bob = cohort.seekers[:2]
    context, page = _open_dashboard(browser, hub, alice)  # her server is running
    context.close()
    context, page = _open_dashboard(browser, hub, bob)
    try:
        response = page.goto(f"{hub.url}/user/{alice}/voila/render/dashboard.ipynb")
        assert response is not None and response.status == 403
        assert "Alice Only Analytics" not in page.content()
    finally:
        context.close()


def test_a_coach_lands_on_cohort_counts_without_names_or_text(hub, cohort, browser):
    with_data = [n for n in cohort.seekers if _companies(cohort.urls[n])]
    companies = set().union(*(_companies(cohort.urls[n]) for n in cohort.seekers))
    context, page = _log_in(browser, hub, cohort.coach)
    try:
        page.get_by_role("heading", name="Your cohort").wait_for(timeout=60_000)
        assert page.url == f"{hub.url}/user/{cohort.coach}/voila/render/coach.ipynb"
        page.locator("img.tappedin-chart").nth(2).wait_for(timeout=60_000)
        text = page.locator("body").inner_text()
        html = page.content()
        assert f"{len(with_data)} job seekers" in text
        assert not [c for c in companies if c in html]
        assert not [n for n in cohort.seekers if n in html]
        assert "Traceback" not in text
        assert page.js_errors == []
        shot(page, "hub-coach")
    finally:
        context.close()
    assert _server_env(hub, cohort.coach)["TAPPEDIN_DB"] == cohort.urls[cohort.coach]
