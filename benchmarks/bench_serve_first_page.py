"""First page right after `tappedin serve` prints its address (issue 17).

    python3 benchmarks/bench_serve_first_page.py [--runs 5] [--quick]

Each run starts `tappedin serve` on a fresh store (so the demo is loaded, as a new user
sees it), waits for the address to be printed, and at once opens it in a fresh context
of headless Debian Chromium (the browser is started before the run): the time from
``page.goto`` to the "Start here" tab being visible is the first page's load. Also
recorded: the time from launching `tappedin serve` to the address (when it is printed,
the preheated kernel is already waiting). Target: the first page's median <= 3 s.

To measure another checkout (e.g. the one before the fix), set TAPPEDIN_BENCH_SRC to it:
the served app runs from there too.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import benchlib
from bench_first_screen import CHROMIUM, CHROMIUM_ARGS, Served, time_load
from benchlib import Report

TARGET_S = 3.0


def serve(folder: Path, extra: list[str]) -> tuple[Served, float]:
    """`tappedin serve` on a fresh store, and the seconds until it printed its address."""
    env = dict(os.environ, TAPPEDIN_DB=str(folder / "tappedin.db"), PYTHONUNBUFFERED="1")
    if os.environ.get("TAPPEDIN_BENCH_SRC"):
        # `python -m` puts the working folder first on the path: run from there too
        os.chdir(os.environ["TAPPEDIN_BENCH_SRC"])
        env["PYTHONPATH"] = os.environ["TAPPEDIN_BENCH_SRC"]
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "tappedin_widgets.cli", "serve",
           *(["--", *extra] if extra else [])]
    served = Served(cmd, env,
                    folder / "serve.log", r"running at (http://127\.0\.0\.1:\d+/\S*)")
    return served, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=None, help="servers started (default 5; --quick 3)")
    p.add_argument("--label", default="", help="a name for this variant in the results")
    p.add_argument("extra", nargs="*", help="extra Voilà arguments (after --)")
    args = p.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    report = Report("serve_first_page")
    from playwright.sync_api import sync_playwright

    first, announced, loads = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            for i in range(runs):
                folder = Path(tempfile.mkdtemp(prefix="tappedin-serve-first-"))
                served = None
                try:
                    served, until_address = serve(folder, args.extra)
                    loads.append(os.getloadavg()[0])
                    first.append(time_load(browser, served.url,
                                           lambda pg: pg.get_by_role("tab", name="Start here")))
                    announced.append(until_address)
                    print(f"    run {i + 1}: address after {until_address:.1f} s, first page "
                          f"{first[-1]:.2f} s (load {loads[-1]:.1f})", flush=True)
                finally:
                    if served is not None:
                        served.stop()
                    shutil.rmtree(folder, ignore_errors=True)
        finally:
            browser.close()
    label = f" ({args.label})" if args.label else ""
    med = statistics.median(first)
    report.add(f"first page after the address, median{label}", med, "s",
               target=f"<= {TARGET_S:g} s", ok=med <= TARGET_S,
               note=f"{runs} runs: " + ", ".join(f"{x:.2f}" for x in first))
    report.add(f"launch to address printed, median{label}", statistics.median(announced), "s",
               note=", ".join(f"{x:.1f}" for x in announced))
    report.details["serve_first_page"] = {"first_s": first, "address_s": announced,
                                          "load1": loads, "extra": args.extra}
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
