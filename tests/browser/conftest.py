"""Fixtures for the browser tests: the real Voilà app in Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from webapp import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, start_server, stop_server


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Module scope, not session: while Playwright's sync API is running it keeps an event
# loop alive in the main thread, which would change how later (non-browser) tests run.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium.")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The app on a store that starts empty, so serve loads the demo."""
    folder = tmp_path_factory.mktemp("served")
    server = start_server(folder / "tappedin.db", folder)
    yield server
    stop_server(server)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    try:
        pg.goto("about:blank")  # leave as a person does: the page shuts its kernel down
    except Exception:  # a page that crashed has nothing to shut down
        pass
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts():
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
