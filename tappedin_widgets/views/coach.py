"""The coach's view: how a whole cohort's searches are going, as counts only.

Built on :class:`tappedin_widgets.cohort.CohortStats`, whose figures come from
the database's aggregate-only functions: no names, nothing anyone wrote, and
no figure fewer than five job seekers contribute to.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from .. import charts
from ..charts.describe import cohort_words
from ..cohort import MIN_GROUP, CohortStats
from ..store import ENV_VAR, resolve_url
from .common import Status, button, css, guarded, guidance, heading, step_layout
from .trends import ChartCard

INTRO = f"""
<p>How the job searches in your cohort are going, in counts. You see no names and nothing
anyone wrote: only how often feedback named each theme, which must-haves the jobs lacked,
and at which stage applications ended.</p>
<p>A figure appears only once at least {MIN_GROUP} job seekers contribute to it, so no bar
can point at one person. Early on, with few people logging, some charts stay empty.</p>
"""


def themes_chart(frame: pd.DataFrame) -> Figure:
    return charts.cohort_themes_chart(frame, min_group=MIN_GROUP)


def must_haves_chart(frame: pd.DataFrame) -> Figure:
    return charts.cohort_must_haves_chart(frame, min_group=MIN_GROUP)


def stops_chart(frame: pd.DataFrame) -> Figure:
    return charts.cohort_stops_chart(frame, min_group=MIN_GROUP)


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
        if self.url.startswith("sqlite"):
            self.status.error("The coach's view needs the cohort's PostgreSQL database: "
                              "set TAPPEDIN_DB to the coach address you were given.")
            return
        self._draw()

    @guarded(action="change")
    def _draw(self) -> None:
        with CohortStats(self.url) as stats:
            summary = stats.summary()
            frames = {name: getattr(stats, method)() for name, _, method, _ in self.CHARTS}
        self.headline.value = _headline(summary)
        pngs = charts.render_pngs({name: partial(draw, frames[name])
                                   for name, _, _, draw in self.CHARTS})
        for name, title, _, _ in self.CHARTS:
            table = frames[name].drop(columns=["theme"], errors="ignore")
            self.cards[name].show(pngs[name], None if table.empty else table,
                                  cohort_words(name, title, frames[name]))
        self.status.clear()


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
    from ..preheat import wait_for_request

    wait_for_request()  # a preheated kernel reads the counts when the page is opened
    return CoachView(url)


__all__ = ["CoachView", "coach_view", "themes_chart", "must_haves_chart", "stops_chart"]
