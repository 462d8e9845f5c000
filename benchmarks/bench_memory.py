"""Memory: process RSS and open figures over many forced chart refreshes of the trends tab.

    python3 benchmarks/bench_memory.py [--applications 10000] [--refreshes 200] [--quick]

A ``TrendsView`` on a generated store (datagen.py) is refreshed again and
again; before each refresh every card's fingerprint is cleared, so every
chart is recomputed, drawn, turned into PNG and shown, as if the data had
changed. RSS is read from /proc after a warm-up and after the last refresh.
Targets: under 20 MB growth after warm-up, and no matplotlib figure left
open (``pyplot.get_fignums()`` empty; live ``Figure`` objects are counted
too, after a garbage collection). The helper process that draws some of
the charts (``drawhelper``) is measured too: its RSS, and its growth.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time

import benchlib
import matplotlib  # noqa: E402
from benchlib import Report, rss_mb

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from tappedin_widgets import drawhelper  # noqa: E402
from tappedin_widgets.store import Store  # noqa: E402
from tappedin_widgets.views.common import Workbook  # noqa: E402
from tappedin_widgets.views.trends import TrendsView  # noqa: E402

GROWTH_TARGET_MB = 20.0


def live_figures() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Figure))


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--applications", type=int, default=10_000)
    p.add_argument("--refreshes", type=int, default=None, help="default 200 (--quick: 50)")
    p.add_argument("--warmup", type=int, default=10)
    args = p.parse_args(argv)
    refreshes = args.refreshes or (50 if args.quick else 200)
    n = args.applications
    path = benchlib.store_file(n, benchlib.workdir(args))
    report = Report("memory")
    store = Store(path)
    view = TrendsView(Workbook(store))

    def forced() -> float:
        for card in view.cards.values():
            card.fingerprint = None
        before = view.refreshes
        t = time.perf_counter()
        view.refresh()
        took = time.perf_counter() - t
        if view.refreshes != before + 1:
            raise RuntimeError(f"the trends view could not refresh: {view.status.text}")
        return took
    forced()
    helper = drawhelper.ready(wait=True)  # in the app it warms up while the kernel draws
    for _ in range(args.warmup):
        forced()
    gc.collect()
    base = rss_mb()
    helper_base = rss_mb(helper.pid) if helper else 0.0
    samples = [base]
    times = []
    for i in range(refreshes):
        times.append(forced())
        if (i + 1) % 25 == 0:
            gc.collect()
            samples.append(rss_mb())
            print(f"    {i + 1:4d} refreshes: RSS {samples[-1]:7.1f} MB, "
                  f"last refresh {times[-1]:.2f} s", flush=True)
    gc.collect()
    end = rss_mb()
    growth = end - base
    helper_end = rss_mb(helper.pid) if helper else 0.0
    if helper:
        report.add("helper process RSS growth", helper_end - helper_base, "MB", size=n,
                   target=f"< {GROWTH_TARGET_MB:g} MB",
                   ok=helper_end - helper_base < GROWTH_TARGET_MB,
                   note=f"{helper_base:.0f} -> {helper_end:.0f} MB; it drew {helper.drawn} "
                        f"charts; {'still up' if helper.failed is None else helper.failed}")
    open_figs = len(plt.get_fignums())
    figures = live_figures()
    report.add("RSS growth after warm-up", growth, "MB", size=n,
               target=f"< {GROWTH_TARGET_MB:g} MB", ok=growth < GROWTH_TARGET_MB,
               note=f"{refreshes} forced refreshes after {args.warmup} warm-up; "
                    f"{base:.0f} -> {end:.0f} MB, peak sample {max(samples):.0f} MB")
    report.add("pyplot figures open", open_figs, "", size=n, target="0", ok=open_figs == 0,
               note=f"live Figure objects after gc: {figures}")
    report.add("forced refresh, median", statistics.median(times), "s", size=n,
               note=f"every chart redrawn; p95 {benchlib.percentile(times, 95):.2f} s")
    report.details["memory"] = {"rss_samples_mb": samples, "refresh_s": times,
                                "live_figures": figures, "refreshes": view.refreshes}
    store.close()
    report.save(args.json)
    benchlib.cleanup(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
