"""The trends tab: filters, and every chart as an image with its numbers in words and
PNG and CSV downloads made when asked.

Charts are drawn to PNG bytes and shown in ``widgets.Image`` (never a live
matplotlib figure in an Output: that hangs Voilà now and then), and each is
redrawn only when the data behind it changed. The first few are drawn when the
tab opens; the others when their section is opened (a short page, a quick tab).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd
import traitlets

from .. import models
from ..models import plural
from .common import (
    Status,
    Workbook,
    button,
    date_input,
    download_link,
    esc,
    guarded,
    guidance,
    step_layout,
)

log = logging.getLogger("tappedin.trends")

INTRO = """
<p><b>Across all your applications.</b> Which feedback keeps coming back, which strengths
keep being noticed, which of your must-haves keep missing, and where the process tends to
stop. Use the filters to look at one period, stage or kind of role.</p>
"""

def _slug(text: str) -> str:
    return models.slugify(text).replace("theme_", "").replace("_", "-") or "chart"


class FilterBar(w.VBox):
    """Date range, stage, outcome, source and a role keyword."""

    def __init__(self, on_change: Callable[[], None]):
        style = {"description_width": "initial"}
        self.start = date_input("From")
        self.end = date_input("To")
        for box in (self.start, self.end):
            box.label_width = "initial"
            box.layout = w.Layout(width="min(260px, 100%)")
        self.stages = w.SelectMultiple(description="Stage reached", options=models.STAGES,
                                       rows=5, style=style)
        self.outcomes = w.SelectMultiple(description="Outcome", options=models.OUTCOMES,
                                         rows=5, style=style)
        self.sources = w.SelectMultiple(description="Source", options=models.SOURCES,
                                        rows=5, style=style)
        self.role = w.Text(description="Role contains", placeholder="e.g. product",
                           style=style, continuous_update=False)
        self.reset = button("Clear filters")
        self.summary = w.HTML()
        self.message = w.HTML()
        self.reset.on_click(lambda _b: self.clear())
        self._on_change = on_change
        self._muted = False
        for widget in (self.start, self.end, self.stages, self.outcomes, self.sources,
                       self.role):
            widget.observe(lambda _c: self._changed(), names="value")
        for box in (self.start, self.end):
            box.observe(lambda _c: self._changed(), names="bad")
        super().__init__([
            w.HBox([self.start, self.end, self.role], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.stages, self.outcomes, self.sources],
                   layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.reset, self.summary]), self.message,
        ])
        self.add_class("tappedin-filters")

    def _changed(self) -> None:
        if not self._muted:
            self._on_change()

    def clear(self) -> None:
        self._muted = True
        try:
            self.start.show(None)
            self.end.show(None)
            self.stages.value = ()
            self.outcomes.value = ()
            self.sources.value = ()
            self.role.value = ""
        finally:
            self._muted = False
        self._on_change()

    def filters(self):
        from ..analysis import Filters

        bad = [box.description for box in (self.start, self.end) if box.error]
        if bad:
            self.message.value = ("<span class='tappedin-error' role='alert'>"
                                  f"“{'” and “'.join(bad)}”: {self.start.error or self.end.error}"
                                  " Showing everything until that's fixed.</span>")
            return Filters(stages=self.stages.value, outcomes=self.outcomes.value,
                           sources=self.sources.value, role=self.role.value)
        if self.start.value and self.end.value and self.end.value < self.start.value:
            self.message.value = ("<span class='tappedin-error' role='alert'>“To” is before "
                                  "“From”: showing everything until that's fixed.</span>")
            return Filters(stages=self.stages.value, outcomes=self.outcomes.value,
                           sources=self.sources.value, role=self.role.value)
        self.message.value = ""
        return Filters(start=self.start.value, end=self.end.value, stages=self.stages.value,
                       outcomes=self.outcomes.value, sources=self.sources.value,
                       role=self.role.value)


class ChartImage(w.Image):
    """A chart image whose ``tooltip`` reaches the page as the img's title: its text
    alternative. ipywidgets' page code reads the model's ``description`` before it sets
    a tooltip as the title, and ``Image`` has none (the view then fails to show at all):
    one is synced here, always empty."""

    description = traitlets.Unicode("").tag(sync=True)


class ChartCard(w.VBox):
    """One chart: the image (its main numbers in words as its text alternative, and
    under it for anyone), and downloads of it and of its numbers, made when asked."""

    def __init__(self, name: str, title: str):
        self.name = name
        self.title = title
        # at its natural size (drawn as wide as a card shows it: not stretched, so not
        # blurred), narrower only when the card is
        self.image = ChartImage(format="png", layout=w.Layout(max_width="100%", height="auto",
                                                              align_self="flex-start"),
                                tooltip=f"{title}: not drawn yet")
        self.image.add_class("tappedin-chart")
        self.words = w.HTML()
        self.download = button("Download…", tooltip=f"Make the {title} chart (PNG) and its "
                               "numbers (CSV) to download")
        self.download.on_click(lambda _b: self.make_links())
        self.links = w.HTML()
        self.fingerprint: str | None = None
        self.png = b""
        self.table: pd.DataFrame | None = None
        super().__init__([self.image, self.words,
                          w.HBox([self.download, self.links],
                                 layout=w.Layout(align_items="center"))])
        self.add_class("tappedin-card")

    def show(self, png: bytes, table: pd.DataFrame | None, words: str) -> None:
        """Show a new drawing; the downloads of the last one are outdated and go."""
        self.png, self.table = png, table
        self.image.value = png
        self.image.tooltip = words  # the img's title: its text alternative
        self.words.value = ("<details class='tappedin-chart-words'><summary>"
                            f"{esc(self.title)} in words</summary><p>{esc(words)}</p>"
                            "</details>")
        self.links.value = ""
        self.download.layout.display = None

    def make_links(self) -> None:
        """The chart as PNG and its numbers as CSV, as links (built now, not with every
        drawing: each would send the image a second time, base64-encoded)."""
        if not self.png:
            return
        links = [download_link(self.png, f"tappedin-{_slug(self.title)}.png",
                               label="Chart (PNG)", mime="image/png")]
        if self.table is not None:
            csv = self.table.to_csv(index=False).encode("utf-8")
            links.append(download_link(csv, f"tappedin-{_slug(self.title)}.csv",
                                       label="Its numbers (CSV)", mime="text/csv"))
        self.links.value = "Download: " + " · ".join(links)
        self.download.layout.display = "none"


def _grid(cards: list[ChartCard]) -> w.GridBox:
    return w.GridBox(cards, layout=w.Layout(
        grid_template_columns="repeat(auto-fill, minmax(480px, 1fr))", grid_gap="10px"))


class TrendsView(w.VBox):
    """Filters and every dashboard chart, kept in step with the store."""

    #: The records the charts are drawn from (reflections, contacts, questions: none).
    SHOWS = frozenset({"applications", "feedback", "follow_ups", "job_items", "must_haves",
                       "must_have_checks", "action_items", "custom_themes"})
    #: The charts the tab opens with: what keeps coming back in feedback and where the
    #: process stops, side by side (a short page, drawn in about the time of one chart:
    #: here and in the helper at once). The others are in a section drawn when opened.
    TOP = ("themes", "funnel")

    def __init__(self, workbook: Workbook | None = None, *, defer: bool = False):
        """``defer``: don't draw yet; the app calls :meth:`refresh` once the tab is on
        screen, so the page shows the tab at once and the charts as they are drawn."""
        from ..charts import CHARTS

        self.workbook = workbook or Workbook()
        self.status = Status()
        self.filter_bar = FilterBar(self.refresh)
        self.cards = {name: ChartCard(name, spec.title) for name, spec in CHARTS.items()}
        cards = list(self.cards.values())
        self.top = [c for c in cards if c.name in self.TOP]
        self.more = [c for c in cards if c.name not in self.TOP]
        self.more_section = w.Accordion(
            children=[_grid(self.more)],
            titles=["More charts: " + ", ".join(c.title.lower() for c in self.more)],
            selected_index=None)
        self.more_section.observe(self._more_opened, names="selected_index")
        themes_hint = w.HTML(
            "<p class='tappedin-hint'>Themes are named, added and merged where feedback is "
            "tagged: <b>1 · Feedback</b>, under “Manage themes”.</p>")
        super().__init__([step_layout(guidance(INTRO), self.filter_bar, self.status,
                                      _grid(self.top), self.more_section, themes_hint)])
        self.refreshes = 0
        self.workbook.on_change(lambda _c: self.refresh(), self.SHOWS)
        if not defer:
            self.refresh()

    def shown(self) -> list[ChartCard]:
        """The cards on the page now: the top ones, and the others once opened."""
        return self.top + (self.more if self.more_section.selected_index == 0 else [])

    @guarded(action="draw")
    def refresh(self) -> None:
        """Re-read the store once and redraw the charts shown whose data changed (the
        others when they are opened)."""
        from ..analysis import Data, filter_data
        from ..charts import render_charts

        data = Data.from_store(self.workbook.store)
        shown = filter_data(data, self.filter_bar.filters())
        total, kept = len(data.applications), len(shown.applications)
        cards = self.shown()
        # Each chart is sent as soon as it is drawn: the one at the top first, drawn
        # here while the helper process (when it is up) draws from the bottom.
        render_charts(shown, {c.name: c.fingerprint for c in cards},
                      names={c.name for c in cards}, on_drawn=self._show)
        # Said once the charts show it (the first drawing comes after the tab is shown).
        self.filter_bar.summary.value = (
            f"<span class='tappedin-hint'>Showing {kept:,} of "
            f"{plural(total, 'application')}.</span>")
        self.refreshes += 1
        self.status.clear()

    def _show(self, name: str, chart: Any) -> None:
        self.cards[name].show(chart.png, chart.table, chart.words)
        self.cards[name].fingerprint = chart.fingerprint

    @guarded(action="draw")
    def _more_opened(self, change: Any) -> None:
        if change.new is not None:
            self.refresh()


def trends_view(workbook: Workbook | None = None) -> TrendsView:
    return TrendsView(workbook)


__all__: list[Any] = ["TrendsView", "trends_view"]
