"""A long session, driven from code in one kernel (no browser): issue 13's kernel-side figures.

    python3 benchmarks/bench_session_kernel.py [--sizes demo,1000] [--saves 100]

The whole app (``App``) on the demo data (66 applications) or a generated store
(datagen.py), with every tab opened once, then back on 1 · Feedback; then
``--saves`` feedback saves, each as a person does it: type the observations,
click Save. Measured per save: wall time from the click until it returns
(the form is cleared by then), and the store reads it made (every call of a
Store read method: table, get, tags, themes, frames, reflection, setting,
count). Also: live widgets (ipywidgets' registry) after the first save and
after the last, RSS growth over the saves, and how long each tab took to open
the first time (built and, for Trends, drawn).

Targets (issue 13): widgets after 100 saves within 5 % of the count after 1;
memory growth <= 10 MB over 100 saves. The save time here is the kernel's
share only; the browser benchmark (i13b) measures click to cleared form.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import benchlib
import matplotlib  # noqa: E402
from benchlib import Report, rss_mb

matplotlib.use("Agg")

from tappedin_widgets.app import TABS, App  # noqa: E402
from tappedin_widgets.demo import load_demo  # noqa: E402
from tappedin_widgets.diagnostics import StoreReads, live_widgets  # noqa: E402
from tappedin_widgets.store import Store  # noqa: E402
from tappedin_widgets.views.common import Workbook  # noqa: E402


def open_every_tab(app: App) -> dict[str, float]:
    times = {}
    for index, (title, _m, _c) in enumerate(TABS):
        t = time.perf_counter()
        app.tabs.selected_index = index
        times[title] = time.perf_counter() - t
    return times


def run(store: Store, saves: int, report: Report, label: str) -> None:
    app = App(Workbook(store))
    opened = open_every_tab(app)
    app.tabs.selected_index = 1
    editor = app.views[1].editor
    reads = StoreReads(store)
    times, per_save = [], []

    def save(i: int) -> None:
        editor.fields["observations"].value = (f"Save {i}: strong on SQL, but the examples "
                                               "lacked numbers and the story was long.")
        reads.take()
        t = time.perf_counter()
        editor.save_button.click()
        times.append(time.perf_counter() - t)
        per_save.append(sum(reads.take().values()))
        assert "saved" in editor.status.text.lower(), editor.status.text

    save(0)
    widgets_after_1, rss_after_1 = live_widgets(), rss_mb()
    for i in range(1, saves):
        save(i)
    widgets_after_n, rss_after_n = live_widgets(), rss_mb()

    for title, seconds in opened.items():
        report.add(f"{label}: first open of {title}", seconds, "s", target="<= 1 s")
    report.add(f"{label}: save, median (kernel)", statistics.median(times) * 1000, "ms")
    report.add(f"{label}: save, p95 (kernel)", benchlib.percentile(times, 95) * 1000, "ms")
    report.add(f"{label}: store reads per save (median)", statistics.median(per_save), "")
    report.add(f"{label}: live widgets after 1 save", widgets_after_1, "")
    growth = (widgets_after_n - widgets_after_1) / widgets_after_1 * 100
    report.add(f"{label}: live widgets after {saves} saves", widgets_after_n, "",
               target="within 5 %", note=f"{growth:+.1f} %")
    report.add(f"{label}: RSS growth over {saves - 1} saves", rss_after_n - rss_after_1, "MB",
               target="<= 10 MB")


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--saves", type=int, default=100)
    p.set_defaults(sizes="demo,1000")
    args = p.parse_args(argv)
    report = Report("session_kernel")
    folder = benchlib.workdir(args)
    try:
        for size in args.sizes.split(","):
            if size == "demo":
                path = Path(tempfile.mkdtemp(dir=folder)) / "demo.db"
                store = Store(path)
                load_demo(store)
            else:
                store = Store(benchlib.store_file(int(size), folder))
            with store:
                run(store, args.saves, report, f"{size} applications" if size != "demo"
                    else "demo data")
        report.save(args.json)
    finally:
        benchlib.cleanup(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
