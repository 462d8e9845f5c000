"""The coach's view: how a whole cohort's searches are going, as counts only.

Built on :class:`tappedin_widgets.cohort.CohortStats`, whose figures come from
the database's aggregate-only functions: no names, nothing anyone wrote, and
no figure fewer than five job seekers contribute to.
"""

from __future__ import annotations

import logging
import os
import textwrap
from typing import Callable

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from .. import charts, models
from ..cohort import MIN_GROUP, CohortStats
from ..store import ENV_VAR, resolve_url
from .common import Status, button, css, guard, guidance, heading, step_layout
from .trends import ChartCard

log = logging.getLogger(__name__)

INTRO = f"""
<p>How the job searches in your cohort are going, in counts. You see no names and nothing
anyone wrote: only how often feedback named each theme, which must-haves the jobs lacked,
and at which stage applications ended.</p>
<p>A figure appears only once at least {MIN_GROUP} job seekers contribute to it, so no bar
can point at one person. Early on, with few people logging, some charts stay empty.</p>
"""

GAP = "#b2182b"
STRENGTH = "#2166ac"


def _bars(title: str, subtitle: str, labels: list[str], values: list[int], xlabel: str,
          ylabel: str, colour: str) -> Figure:
    fig = Figure(figsize=(charts.WIDTH, 1.6 + 0.42 * len(labels)), layout="constrained")
    ax = fig.subplots()
    bars = ax.barh(range(len(labels)), values, color=colour, height=0.62)
    ax.set_yticks(range(len(labels)), labels, fontsize=charts.TICK_SIZE)
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[f"{v:,}" for v in values], padding=3,
                 fontsize=charts.NOTE_SIZE, color=charts.INK)
    ax.set_xlim(0, max(max(values), 4) * 1.15)
    _axes(ax, xlabel, ylabel)
    _titles(fig, title, subtitle)
    return fig


def _axes(ax, xlabel: str, ylabel: str) -> None:
    ax.set_xlabel(xlabel, fontsize=charts.LABEL_SIZE, color=charts.INK)
    ax.set_ylabel(ylabel, fontsize=charts.LABEL_SIZE, color=charts.INK)
    ax.tick_params(labelsize=charts.TICK_SIZE, colors=charts.INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color=charts.FAINT, linewidth=0.8)
    ax.set_axisbelow(True)


def _titles(fig: Figure, title: str, subtitle: str) -> None:
    fig.suptitle(title, fontsize=charts.TITLE_SIZE, color=charts.INK, x=0.01, ha="left",
                 fontweight="bold")
    fig.axes[0].set_title(subtitle, loc="left", fontsize=charts.SUBTITLE_SIZE,
                          color=charts.MUTED, pad=10)


def _too_few(title: str) -> Figure:
    return charts.empty_figure(title, f"Nothing to show yet: no figure here has "
                                      f"{MIN_GROUP} or more job seekers behind it.")


def themes_chart(frame: pd.DataFrame) -> Figure:
    """How often feedback named each theme, as a gap and as a strength."""
    title = "Feedback themes across the cohort"
    if frame.empty:
        return _too_few(title)
    wide = (frame.pivot_table(index="label", columns="polarity", values="mentions",
                              aggfunc="sum", fill_value=0)
            .reindex(columns=list(models.POLARITIES), fill_value=0))
    wide = wide.assign(total=wide.sum(axis=1)).sort_values(["total", "-"], ascending=False)
    wide = wide.head(10)
    labels = list(wide.index)
    fig = Figure(figsize=(charts.WIDTH, 2.0 + 0.42 * len(labels)), layout="constrained")
    ax = fig.subplots()
    y = range(len(labels))
    gaps = ax.barh([i - 0.19 for i in y], wide["-"], height=0.38, color=GAP, label="as a gap")
    good = ax.barh([i + 0.19 for i in y], wide["+"], height=0.38, color=STRENGTH,
                   label="as a strength", hatch="//", edgecolor="white", linewidth=0)
    for container in (gaps, good):
        ax.bar_label(container, labels=[f"{v:,.0f}" if v else "" for v in container.datavalues],
                     padding=3, fontsize=charts.NOTE_SIZE, color=charts.INK)
    ax.set_yticks(list(y), labels, fontsize=charts.TICK_SIZE)
    ax.invert_yaxis()
    ax.set_xlim(0, max(float(wide[["-", "+"]].to_numpy().max()), 4) * 1.15)
    _axes(ax, "Times feedback named the theme", "Theme")
    ax.legend(loc="lower right", fontsize=charts.NOTE_SIZE, frameon=False)
    _titles(fig, title, "Gaps and strengths interviewers named, summed over the cohort")
    return fig


def must_haves_chart(frame: pd.DataFrame) -> Figure:
    title = "Must-haves the jobs lacked"
    if frame.empty:
        return _too_few(title)
    top = frame.head(10)
    return _bars(title, "Must-haves several job seekers share, by jobs where it was missing",
                 [textwrap.shorten(str(v), 40, placeholder="…") for v in top["shown"]],
                 [int(v) for v in top["jobs"]], "Jobs where it was missing", "Must-have",
                 GAP)


def stops_chart(frame: pd.DataFrame) -> Figure:
    title = "Where the process stops"
    if frame.empty:
        return _too_few(title)
    return _bars(title, "Rejections by the furthest stage the application reached",
                 [str(s).capitalize() for s in frame["stage"]],
                 [int(v) for v in frame["rejections"]], "Rejections", "Stage reached",
                 charts.NEUTRAL)


class CoachView(w.VBox):
    """Headline numbers and three charts for a cohort, refreshed on demand."""

    CHARTS: tuple[tuple[str, str, str, Callable[[pd.DataFrame], Figure]], ...] = (
        ("themes", "Feedback themes across the cohort", "feedback_themes", themes_chart),
        ("must_haves", "Must-haves the jobs lacked", "missing_must_haves", must_haves_chart),
        ("stops", "Where the process stops", "process_stops", stops_chart),
    )

    def __init__(self, url: str | None = None):
        self.url = resolve_url(url) if url else resolve_url(os.environ.get(ENV_VAR) or None)
        self.status = Status()
        self.headline = w.HTML()
        self.headline.add_class("tappedin-headline")
        self.refresh_button = button("Refresh", tooltip="Read the latest counts")
        self.cards = {name: ChartCard(name, title) for name, title, _, _ in self.CHARTS}
        for card in self.cards.values():  # one chart per row: never wider than drawn
            card.image.layout = w.Layout(width="100%", max_width="880px", height="auto")
        self.refresh_button.on_click(lambda _b: self.refresh())
        body = step_layout(heading("Your cohort", 2), guidance(INTRO),
                           w.HBox([self.refresh_button]), self.status, self.headline,
                           *self.cards.values())
        super().__init__([css(), body])
        self.refresh()

    def refresh(self) -> None:
        @guard(self.status, action="change")
        def run() -> None:
            with CohortStats(self.url) as stats:
                summary = stats.summary()
                frames = {name: getattr(stats, method)() for name, _, method, _ in self.CHARTS}
            self.headline.value = _headline(summary)
            for name, _, _, draw in self.CHARTS:
                table = frames[name].drop(columns=["theme"], errors="ignore")
                self.cards[name].show(charts.figure_to_png(draw(frames[name])),
                                      None if table.empty else table)
            self.status.clear()

        if self.url.startswith("sqlite"):
            self.status.error("The coach's view needs the cohort's PostgreSQL database: "
                              "set TAPPEDIN_DB to the coach address you were given.")
            return
        run()


def _headline(summary: dict[str, int] | None) -> str:
    if summary is None:
        return (f"<p class='tappedin-hint'>Fewer than {MIN_GROUP} job seekers have logged "
                "applications so far; the numbers appear once they have.</p>")
    parts = [f"<b>{summary['seekers']:,}</b> job seekers",
             f"<b>{summary['applications']:,}</b> applications",
             f"<b>{summary['rejections']:,}</b> rejections",
             f"<b>{summary['feedback_received']:,}</b> with feedback received"]
    return "<p>" + " · ".join(parts) + "</p>"


def coach_view(url: str | None = None) -> CoachView:
    """The coach's page (used by notebooks/coach.ipynb)."""
    from ..app import wait_for_request

    wait_for_request()  # a preheated kernel reads the counts when the page is opened
    return CoachView(url)


__all__ = ["CoachView", "coach_view", "themes_chart", "must_haves_chart", "stops_chart"]
