"""Helpers for the browser tests: serve the app, open it, keep screenshots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


class Server:
    def __init__(self, proc: subprocess.Popen, url: str, db: Path, log: Path):
        self.proc, self.url, self.db, self.log = proc, url, db, log


def start_server(db: Path, log_dir: Path, *extra: str) -> Server:
    env = dict(os.environ, TAPPEDIN_DB=str(db), PYTHONUNBUFFERED="1")
    log = log_dir / "serve.log"
    out = log.open("w")
    proc = subprocess.Popen([sys.executable, "-m", "tappedin_widgets.cli", "serve", *extra],
                            env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    # serve prints the address once a kernel is ready: a minute or more on a busy machine
    deadline = time.time() + 180
    while time.time() < deadline:
        text = log.read_text()
        m = re.search(r"running at (http://127\.0\.0\.1:\d+/\S*)", text)
        if m:
            return Server(proc, m.group(1), db, log)
        if proc.poll() is not None:
            raise RuntimeError(f"tappedin serve exited early:\n{text}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"tappedin serve did not start:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    """SIGTERM, as a service manager would; `tappedin serve` must take Voilà down with it."""
    server.proc.terminate()
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
    group_alive(server)  # reap anything left, so no kernel outlives the tests


def group_alive(server: Server) -> bool:
    """Whether any process of the server's group is still running (and end them)."""
    import signal

    try:
        os.killpg(server.proc.pid, 0)
    except ProcessLookupError:
        return False
    time.sleep(2)
    try:
        os.killpg(server.proc.pid, signal.SIGKILL)
        return True
    except ProcessLookupError:
        return False


def kernel_count(server: Server) -> int:
    """How many kernels the served app is running now (its ipykernel processes)."""
    import psutil

    count = 0
    for proc in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(proc.cmdline()):
                count += 1
        except psutil.NoSuchProcess:  # ended while we looked
            continue
    return count


def wait_for_kernels(server: Server, most: int, within: float) -> float:
    """Seconds until the app runs at most ``most`` kernels; AssertionError after ``within``."""
    start = time.time()
    while True:
        if kernel_count(server) <= most:
            return time.time() - start
        if time.time() - start > within:
            raise AssertionError(f"{kernel_count(server)} kernels after {within:.0f} s "
                                 f"(at most {most} expected)")
        time.sleep(1)


def open_app(page, url: str, timeout: float = 90_000):
    """Navigate and wait until the app's tabs are interactive."""
    page.goto(url, timeout=timeout)
    page.get_by_role("tab", name="Start here").wait_for(timeout=timeout)
    return page


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path




def tab(page, name: str):
    """Open a tab and return a locator scoped to its (visible) panel."""
    page.get_by_role("tab", name=name).click()
    panel = page.locator(".tappedin-tabs > .widget-tab-contents > :not(.lm-mod-hidden)")
    panel.locator(".tappedin-root").first.wait_for(timeout=60_000)
    return panel


def chart_src(panel, index: int = 0) -> str:
    """The data behind the n-th chart image in a panel (changes when it is redrawn)."""
    img = panel.locator("img.tappedin-chart").nth(index)
    img.wait_for(timeout=60_000)
    return img.get_attribute("src") or ""


def download(page, link, folder: Path) -> Path:
    """Click a download link once it is on the page; the file saved in ``folder``."""
    link.wait_for(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def chromium():
    """Headless Debian Chromium through Playwright, as a context manager (for scripts)."""
    import contextlib

    from playwright.sync_api import sync_playwright

    @contextlib.contextmanager
    def run():
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    return run()


#: For each chart image shown under a root: its width on screen over its natural width.
CHART_SCALES = """(root) => Array.from(root.querySelectorAll('img.tappedin-chart'))
  .filter(i => i.offsetParent !== null && i.naturalWidth > 0)
  .map(i => i.getBoundingClientRect().width / i.naturalWidth)"""


def chart_text_px(page, root) -> list[float]:
    """The smallest text of each chart image shown under ``root``, in CSS px on screen:
    the charts' smallest font (in points, drawn at the charts' dpi) times how much the
    browser scales the image."""
    from tappedin_widgets.charts.style import DPI, NOTE_SIZE

    return [round(scale * NOTE_SIZE * DPI / 72, 2)
            for scale in page.evaluate(CHART_SCALES, root)]
