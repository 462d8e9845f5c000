"""First screen: navigation to the app's first interactive widget, vs a hello-world notebook.

    python3 benchmarks/bench_first_screen.py [--loads 7] [--quick] [--db PATH]

Both are served the same way, in the same run: the app with ``tappedin serve``
(Voilà with the project's flags, on a fresh store, so the demo is loaded
first, before any timing), and a one-cell notebook holding a single
``ipywidgets.Button`` with Voilà and the very same command line
(``cli.voila_command``). Headless Debian Chromium (Playwright,
``executable_path=/usr/bin/chromium`` and the browser tests' arguments)
opens each in a fresh browser context (empty cache), alternating app and
hello-world; a load is timed from ``page.goto`` to the first widget being
visible: the app's "Start here" tab, the hello-world's button.
Target: the app's median within 1.5x of the hello-world's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib
from benchlib import ROOT, Report

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from webapp import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from tappedin_widgets.cli import free_port, voila_command  # noqa: E402

TARGET_RATIO = 1.5

HELLO = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "hello", "metadata": {},
               "outputs": [], "source": ["import ipywidgets as widgets\n",
                                         "widgets.Button(description='Hello')"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"}, "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


class Served:
    """A server process in its own session, so it and its kernels stop together."""

    def __init__(self, cmd: list[str], env: dict[str, str], log: Path, pattern: str):
        self.log = log
        self.proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"),
                                     stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            m = re.search(pattern, log.read_text())
            if m:
                self.url = m.group(1)
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{log.read_text()}")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start:\n{log.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # `tappedin serve` stops Voilà on Ctrl+C
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:  # anything of this session still running (Voilà, kernels)
            os.killpg(self.proc.pid, signal.SIGTERM)
            time.sleep(1)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def serve_app(folder: Path, db: Path | None, extra: list[str]) -> Served:
    store = db or folder / "tappedin.db"
    env = dict(os.environ, TAPPEDIN_DB=str(store), PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "tappedin_widgets.cli", "serve"]
    if extra:
        cmd += ["--", *extra]
    return Served(cmd, env,
                  folder / "serve-app.log", r"running at (http://127\.0\.0\.1:\d+/\S*)")


def serve_hello(folder: Path, extra: list[str]) -> Served:
    nb = folder / "hello.ipynb"
    nb.write_text(json.dumps(HELLO), encoding="utf-8")
    port = free_port()
    cmd = voila_command(nb, port, "127.0.0.1", extra)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return Served(cmd, env, folder / "serve-hello.log",
                  r"(http://127\.0\.0\.1:\d+/)")


def time_load(browser, url: str, locate) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        t = time.perf_counter()
        page.goto(url, timeout=120_000)
        locate(page).wait_for(state="visible", timeout=120_000)
        return time.perf_counter() - t
    finally:
        page.goto("about:blank")  # closed as a person closes a tab: its kernel is shut down
        context.close()


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--loads", type=int, default=None, help="loads of each (default 7; --quick 5)")
    p.add_argument("--db", type=Path, default=None,
                   help="serve the app on this store (default: a fresh one with the demo)")
    p.add_argument("--label", default="", help="a name for this variant in the results")
    p.add_argument("--pause", type=float, default=2.0,
                   help="seconds between loads (a preheated kernel pool refills meanwhile)")
    p.add_argument("extra", nargs="*", help="extra Voilà arguments (after --), for both servers")
    args = p.parse_args(argv)
    loads = args.loads or (5 if args.quick else 7)
    folder = Path(tempfile.mkdtemp(prefix="tappedin-first-screen-"))
    report = Report("first_screen")
    from playwright.sync_api import sync_playwright

    app = hello = None
    try:
        app = serve_app(folder, args.db, args.extra)
        hello = serve_hello(folder, args.extra)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            try:
                # one untimed load each: Voilà's first request compiles templates
                time.sleep(args.pause)
                time_load(browser, hello.url, lambda pg: pg.get_by_role("button", name="Hello"))
                time.sleep(args.pause)
                time_load(browser, app.url, lambda pg: pg.get_by_role("tab", name="Start here"))
                app_s, hello_s = [], []
                for i in range(loads):
                    time.sleep(args.pause)
                    hello_s.append(time_load(browser, hello.url,
                                             lambda pg: pg.get_by_role("button", name="Hello")))
                    time.sleep(args.pause)
                    app_s.append(time_load(browser, app.url,
                                           lambda pg: pg.get_by_role("tab", name="Start here")))
                    print(f"    load {i + 1}: hello {hello_s[-1]:.2f} s, app {app_s[-1]:.2f} s",
                          flush=True)
            finally:
                browser.close()
    finally:
        for s in (app, hello):
            if s is not None:
                s.stop()
    a, h = statistics.median(app_s), statistics.median(hello_s)
    label = f" ({args.label})" if args.label else ""
    report.add(f"hello-world notebook, median{label}", h, "s",
               note=f"{loads} loads: " + ", ".join(f"{x:.2f}" for x in hello_s))
    report.add(f"app to 'Start here' tab, median{label}", a, "s",
               note=f"{loads} loads: " + ", ".join(f"{x:.2f}" for x in app_s))
    report.add(f"ratio app / hello-world{label}", a / h, "x", target=f"<= {TARGET_RATIO:g}x",
               ok=a / h <= TARGET_RATIO)
    report.details["first_screen"] = {"app_s": app_s, "hello_s": hello_s, "extra": args.extra}
    report.save(args.json)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
