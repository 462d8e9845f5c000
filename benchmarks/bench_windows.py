"""Open windows: how many kernels (and how much memory) plain GETs and reloads leave running.

    python3 benchmarks/bench_windows.py [--gets 10] [--reloads 5] [--json out.json]

Serves the app with ``tappedin serve`` (default options) on 127.0.0.1, on a
fresh store (the demo is loaded first), then:

1. fetches the page ``--gets`` times with plain GETs (no browser, so no page
   ever connects to its kernel), counting the kernel processes and their
   memory (RSS) after each;
2. waits until only the preheated kernel is left, timed from the last GET;
3. opens the page in headless Chromium and reloads it ``--reloads`` times,
   then counts the kernels once the old pages' kernels had 20 s to go.

Targets (issue 15): after the GETs at most the window cap plus the preheated
kernel; the GETs' kernels gone within a minute; after the reloads one kernel
for the open page plus the preheated one.
``TAPPEDIN_BENCH_SRC=/path/to/old/checkout`` measures another copy (before/after).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import benchlib
from benchlib import ROOT, Report

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from webapp import CHROMIUM, CHROMIUM_ARGS, kernel_count, open_app, start_server, stop_server  # noqa: E402

POOL = 1


def kernels_mb(server) -> float:
    """Memory (RSS) of the app's kernel processes together, in MB."""
    import psutil

    total = 0
    for proc in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(proc.cmdline()):
                total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 1e6


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=180) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--gets", type=int, default=10)
    p.add_argument("--reloads", type=int, default=5)
    p.add_argument("--give-up", type=float, default=120,
                   help="seconds to wait for the GETs' kernels to go (default 120)")
    args = p.parse_args(argv)
    from tappedin_widgets import cli

    cap = getattr(cli, "MAX_WINDOWS", 6)  # an older copy had no cap: measured against 6
    report = Report("windows")
    folder = Path(tempfile.mkdtemp(prefix="tappedin-windows-"))
    if os.environ.get("TAPPEDIN_BENCH_SRC"):  # the served app runs that copy too
        os.environ["PYTHONPATH"] = os.environ["TAPPEDIN_BENCH_SRC"]
    server = start_server(folder / "t.db", folder)
    try:
        codes, counts = [], []
        for _ in range(args.gets):
            codes.append(get(server.url))
            counts.append(kernel_count(server))
        peak_mb = kernels_mb(server)
        last = time.time()
        report.add(f"kernels after {args.gets} plain GETs", counts[-1], "kernels",
                   target=f"<= {cap + POOL}", ok=counts[-1] <= cap + POOL,
                   note="codes " + " ".join(map(str, codes)) + "; counts "
                        + " ".join(map(str, counts)))
        report.add("their memory (RSS, all kernels)", peak_mb, "MB")
        while kernel_count(server) > POOL and time.time() - last < args.give_up:
            time.sleep(1)
        gone = time.time() - last
        report.add("until only the preheated kernel is left", gone, "s", target="<= 60",
                   ok=gone <= 60 and kernel_count(server) <= POOL)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                open_app(page, server.url)
                for _ in range(args.reloads):
                    page.reload()
                    page.get_by_role("tab", name="Start here").wait_for(timeout=120_000)
                time.sleep(20)
                after = kernel_count(server)
                report.add(f"kernels 20 s after {args.reloads} reloads of one page", after,
                           "kernels", target=f"<= {1 + POOL}", ok=after <= 1 + POOL)
                report.add("their memory (RSS, all kernels)", kernels_mb(server), "MB")
            finally:
                browser.close()
    finally:
        stop_server(server)
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
