"""Trends: every dashboard chart computed and drawn, vs bare matplotlib on the same numbers.

    python3 benchmarks/bench_trends.py [--sizes 100,10000,100000] [--quick]

Per size, on a generated store (datagen.py):

- dashboard: ``Data.from_store`` + ``charts.render_charts``: what the trends
  tab does when every chart is new (each chart's numbers, their fingerprint,
  the figure, its PNG and its CSV table). The per-chart lines come from a
  second, one-by-one pass (``figure_to_png(spec.draw(data))``), since
  ``render_charts`` compresses one chart while it draws the next.
- with the helper process (``drawhelper``) warm, as in the app once it has
  drawn once, and again with it turned off (``TAPPEDIN_DRAW_HELPER=0``).
- reference: the same numbers, already aggregated, drawn with bare
  matplotlib: for each dashboard figure a plain ``Figure`` of the same size
  with the same number of axes, bars (same orientation and values), lines
  and points, no styling, saved to PNG at the same dpi. The numbers are
  taken from the dashboard figure's own artists (outside the timer), so bar
  counts match exactly. Bars are drawn with ``ax.bar``/``ax.barh``, lines
  with ``ax.plot``, segments (a dashboard ``LineCollection``) as one
  ``LineCollection``, points with ``ax.scatter``.

Both are timed as the best of a few runs after one warm-up run.
Target at 10,000 applications: the dashboard within 1 s, and within 1.5x
of the reference.
"""

from __future__ import annotations

import gc
import io
import os
import sys
import time
from dataclasses import dataclass, field

import benchlib
from benchlib import Report
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from tappedin_widgets import drawhelper  # noqa: E402
from tappedin_widgets.analysis import Data  # noqa: E402
from tappedin_widgets.charts import CHARTS, figure_to_png, render_charts  # noqa: E402
from tappedin_widgets.store import Store  # noqa: E402

TARGET_S = 1.0
TARGET_RATIO = 1.5
DPI = 110


@dataclass
class Panel:
    bars: list[tuple[str, list[float], list[float]]] = field(default_factory=list)
    lines: list[tuple[list[float], list[float]]] = field(default_factory=list)
    points: list[list[tuple[float, float]]] = field(default_factory=list)
    segments: list[list[list[tuple[float, float]]]] = field(default_factory=list)


@dataclass
class Plan:
    """What a bare figure draws: the size and, per axes, bars, lines and points."""

    size: tuple[float, float]
    panels: list[Panel]

    @property
    def bar_count(self) -> int:
        return sum(len(v) for p in self.panels for _, _, v in p.bars)


def plan_of(fig: Figure) -> Plan:
    panels = []
    for ax in fig.axes:
        panel = Panel()
        for c in ax.containers:
            if isinstance(c, BarContainer):
                horizontal = c.orientation == "horizontal"
                where = [(r.get_y() + r.get_height() / 2) if horizontal
                         else (r.get_x() + r.get_width() / 2) for r in c]
                values = [r.get_width() if horizontal else r.get_height() for r in c]
                panel.bars.append(("h" if horizontal else "v", where, values))
        for line in ax.lines:
            panel.lines.append((list(map(float, line.get_xdata(orig=False))),
                                list(map(float, line.get_ydata(orig=False)))))
        for coll in ax.collections:
            if isinstance(coll, LineCollection):
                segments = [[tuple(map(float, p)) for p in seg] for seg in coll.get_segments()]
                if segments:
                    panel.segments.append(segments)
            elif isinstance(coll, PathCollection) and len(coll.get_offsets()):
                panel.points.append([tuple(map(float, o)) for o in coll.get_offsets()])
        panels.append(panel)
    return Plan(tuple(fig.get_size_inches()), panels)


def draw_bare(plan: Plan) -> bytes:
    fig = Figure(figsize=plan.size)
    axes = fig.subplots(max(1, len(plan.panels)), 1, squeeze=False)[:, 0]
    for ax, panel in zip(axes, plan.panels, strict=False):
        for orient, where, values in panel.bars:
            (ax.barh if orient == "h" else ax.bar)(where, values)
        for x, y in panel.lines:
            ax.plot(x, y)
        for pts in panel.points:
            ax.scatter([p[0] for p in pts], [p[1] for p in pts])
        for segments in panel.segments:
            ax.add_collection(LineCollection(segments))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def dashboard(store: Store) -> dict[str, float]:
    """Seconds: reading the store, then every chart drawn to PNG as the trends tab does."""
    times = {}
    t = time.perf_counter()
    data = Data.from_store(store)
    times["Data.from_store"] = time.perf_counter() - t
    t = time.perf_counter()
    drawn = render_charts(data)
    times["render_charts"] = time.perf_counter() - t
    assert set(drawn) == set(CHARTS)
    return times


def one_by_one(store: Store) -> dict[str, float]:
    """Seconds per chart, each drawn and compressed on its own (for the breakdown)."""
    data = Data.from_store(store)
    times = {}
    for name, spec in CHARTS.items():
        t = time.perf_counter()
        figure_to_png(spec.draw(data))
        times[name] = time.perf_counter() - t
    return times


def measure(report: Report, n: int, folder, repeat: int) -> None:
    path = benchlib.store_file(n, folder)
    store = Store(path)
    try:
        data = Data.from_store(store)
        plans = {name: plan_of(spec.draw(data)) for name, spec in CHARTS.items()}
        dashboard(store)  # warm-up: fonts, caches, imports, and the helper process started
        helper = drawhelper.ready(wait=True)
        drawn_before = helper.drawn if helper else 0
        for plan in plans.values():
            draw_bare(plan)
        runs, refs, singles, alone = [], [], [], []
        for _ in range(repeat):
            gc.collect()
            runs.append(dashboard(store))
            os.environ[drawhelper.ENV] = "0"
            try:
                gc.collect()
                alone.append(dashboard(store))
            finally:
                del os.environ[drawhelper.ENV]
            gc.collect()
            singles.append(one_by_one(store))
            gc.collect()
            ref = {}
            for name, plan in plans.items():
                t = time.perf_counter()
                draw_bare(plan)
                ref[name] = time.perf_counter() - t
            refs.append(ref)
        by_helper = (helper.drawn - drawn_before) if helper else 0
    finally:
        store.close()
    best_run = min(runs, key=lambda r: sum(r.values()))
    best_ref = min(refs, key=lambda r: sum(r.values()))
    best_single = min(singles, key=lambda r: sum(r.values()))
    best_alone = min(alone, key=lambda r: sum(r.values()))
    alone_total = sum(best_alone.values())
    total, ref_total = sum(best_run.values()), sum(best_ref.values())
    draw_total = total - best_run["Data.from_store"]
    at_target = n == 10_000
    report.add("every chart: from_store + draw + PNG", total, "s", size=n,
               target=f"<= {TARGET_S:g} s" if at_target else "",
               ok=(total <= TARGET_S) if at_target else None,
               note=f"from_store {best_run['Data.from_store']:.3f} s, "
                    f"charts {draw_total:.3f} s, best of {repeat}; helper "
                    + (f"drew {by_helper} of {len(CHARTS) * repeat} charts"
                       if helper else "not used"))
    report.add("  the same, helper process off", alone_total, "s", size=n,
               note=f"ratio {alone_total / sum(best_ref.values()):.2f}x; "
                    f"from_store {best_alone['Data.from_store']:.3f} s")
    report.add("bare matplotlib, same numbers", ref_total, "s", size=n,
               note=f"{sum(p.bar_count for p in plans.values())} bars in {len(plans)} figures")
    report.add("ratio dashboard / bare", total / ref_total, "x", size=n,
               target=f"<= {TARGET_RATIO:g}x" if at_target else "",
               ok=(total / ref_total <= TARGET_RATIO) if at_target else None,
               note=f"drawing alone (no from_store): {draw_total / ref_total:.2f}x")
    report.details[f"trends_{n}"] = {"dashboard_s": best_run, "helper_off_s": best_alone,
                                     "one_by_one_s": best_single,
                                     "bare_s": best_ref,
                                     "bars": {k: p.bar_count for k, p in plans.items()}}
    for name in CHARTS:
        print(f"    {name:20} {best_single[name] * 1000:7.0f} ms one by one   "
              f"bare {best_ref[name] * 1000:5.0f} ms   ({plans[name].bar_count} bars)")


def main(argv: list[str] | None = None) -> int:
    args = benchlib.parser(__doc__.splitlines()[0]).parse_args(argv)
    folder = benchlib.workdir(args)
    report = Report("trends")
    for n in benchlib.sizes(args):
        measure(report, n, folder, 2 if n >= 100_000 else (3 if args.quick else 5))
    report.save(args.json)
    benchlib.cleanup(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
