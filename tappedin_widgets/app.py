"""The whole workbook as one app: a tab per step plus the trends.

Served by Voilà (`tappedin serve`), and usable in JupyterLab too. Tabs are
built the first time they are opened, so the first screen appears quickly.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .preheat import wait_for_request
from .views.common import ConfirmButton, Status, Workbook, css, esc, guard, guarded, set_children

log = logging.getLogger("tappedin.app")

#: (tab title, module, class) in the order of the method.
TABS: tuple[tuple[str, str, str], ...] = (
    ("Start here", "start", "StartView"),
    ("1 · Feedback", "feedback", "FeedbackView"),
    ("2 · Follow-up", "follow_up", "FollowUpView"),
    ("3 · Self-reflection", "self_reflection", "SelfReflectionView"),
    ("4 · Job reflection", "job_reflection", "JobReflectionView"),
    ("5 · Keep going", "continue_search", "ContinueSearchView"),
    ("Trends", "trends", "TrendsView"),
    ("Your data", "exchange", "ExchangeView"),
)


def _view_factory(module: str, cls: str) -> Callable[[Workbook], tuple[w.Widget, bool]]:
    """Builds the view; True when it can draw later (its ``defer``), after it is shown."""
    def make(workbook: Workbook) -> tuple[w.Widget, bool]:
        klass = getattr(importlib.import_module(f"tappedin_widgets.views.{module}"), cls)
        if "defer" in inspect.signature(klass).parameters:
            return klass(workbook, defer=True), True
        return klass(workbook), False
    return make


class App(w.VBox):
    """Header, demo notice and one tab per step, sharing one Workbook."""

    def __init__(self, workbook: Workbook | None = None, *, first_tab: int = 0):
        self.workbook = workbook or Workbook()
        # App-wide messages (e.g. "The demo data is gone") last until the data changes.
        self.status = Status().follows(self.workbook)
        self.views: dict[int, w.Widget] = {}
        self.slots = [w.VBox([w.HTML("<p class='tappedin-hint'>Loading…</p>")])
                      for _ in TABS]
        self.tabs = w.Tab(children=self.slots, titles=[t for t, _, _ in TABS])
        self.tabs.add_class("tappedin-tabs")
        self.header = w.HTML(self._header_html())
        self.notice = w.VBox()
        from .probe import probe_widget

        probe = probe_widget()  # the benchmark's hidden hook, only under TAPPEDIN_PROBE=1
        super().__init__([css(), self.header, self.notice, self.status, self.tabs,
                          *([probe] if probe is not None else [])],
                         layout=w.Layout(width="100%"))
        self.add_class("tappedin-root")
        self.render_notice()
        self.tabs.observe(self._on_tab, names="selected_index")
        self.tabs.selected_index = first_tab
        self.open_tab(first_tab)

    def _header_html(self) -> str:
        store = self.workbook.store
        where = esc(store.location)
        # A database server (a cohort's, under JupyterHub) is not "this computer".
        kept = ("Your data stays on this computer" if store.path is not None
                else "Your data is kept in your own space on the database")
        return ("<div class='tappedin-header'><h2 style='margin:4px 0'>TAPPED IN</h2>"
                "<p class='tappedin-hint' style='margin:0'>Turn each rejection into progress. "
                f"{kept}: <code>{where}</code></p></div>")

    def render_notice(self) -> None:
        from .demo import is_demo

        if not is_demo(self.workbook.store):
            set_children(self.notice, [])
            return
        clear = ConfirmButton("Clear the demo and start with my own data", self.clear_demo,
                              question="Remove all the demo entries? Nothing else is stored "
                                       "yet.")
        text = w.HTML("<div class='tappedin-guidance' role='note'><b>You're looking at demo "
                      "data.</b> Your store was empty, so we loaded an example job search "
                      "(Sam's, 60+ applications) to show what the workbook does. Explore "
                      "freely; when you're ready, clear it and log your own.</div>")
        set_children(self.notice, [text, clear])

    @guarded(action="delete")
    def clear_demo(self) -> None:
        from .demo import clear_demo

        clear_demo(self.workbook.store)
        self.workbook.application_id = None
        self.workbook.changed("")
        self.render_notice()
        self.status.ok("The demo data is gone. Start by logging an application below.")

    def _on_tab(self, change: Any) -> None:
        # Leaving a tab saves what it still holds (e.g. a reflection typed a second ago).
        left = self.views.get(change.old) if change.old is not None else None
        self.status.clear()  # what it said was about the tab the user has just left
        if left is not None and hasattr(left, "flush"):
            guard(self.status)(left.flush)()
        if change.old is not None:
            # A hidden tab no longer re-renders on every save: it is marked stale and
            # brought up to date (once) when shown again.
            self.workbook.hide(change.old)
        if change.new is not None:
            self.open_tab(change.new)
            self.workbook.show(change.new)

    def open_tab(self, index: int) -> w.Widget | None:
        """Build a tab's view on first use (and return it)."""
        if index in self.views:
            return self.views[index]
        title, module, cls = TABS[index]
        try:
            hidden = index != self.tabs.selected_index
            with self.workbook.building(index, hidden=hidden):
                view, deferred = _view_factory(module, cls)(self.workbook)
        except Exception:
            log.exception("could not build the %s tab", title)
            self.slots[index].children = [w.HTML(
                f"<p class='tappedin-error'>The {esc(title)} tab could not be shown. Your data "
                "is safe; please reload the page.</p>")]
            return None
        self.views[index] = view
        set_children(self.slots[index], [view])
        if deferred:
            # The tab is on the page already; its charts follow as they are drawn.
            _soon(guard(self.status, action="draw")(view.refresh))
        return view


def _soon(work: Callable[[], Any]) -> None:
    """Run ``work`` once the kernel has finished the message it is handling (the click
    on a tab: its view is sent and the kernel says it is idle first), or now when no
    event loop runs (a test, a script)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        work()
        return
    loop.call_soon(work)


def _warm_up() -> None:
    """Do what needs no data while nobody waits yet (a preheated kernel).

    The charts' matplotlib import took 0.6-2 s of the first opening of Trends;
    the first figure drawn pays for fonts and caches (about 0.3 s); and the
    chart helper process, started on the first drawing, was not ready to share
    it. Started here, it warms up on the other core before anyone asks (it is
    reaped as soon as it ends, so a kernel's clean stop is not held up by it).
    """
    try:
        for _title, module, _cls in TABS:
            importlib.import_module(f"tappedin_widgets.views.{module}")
        from . import drawhelper
        from .charts import empty_figure, figure_to_png

        drawhelper.ready()  # starts it; it warms up on its own while we draw below
        figure_to_png(empty_figure("Warming up", "Nothing to show."))
    except Exception:  # a tab that fails to import says so when opened
        log.exception("warming up the tabs' imports failed")


def build_app(workbook: Workbook | None = None, **kwargs: Any) -> App:
    """The app the Voilà notebook displays."""
    logging.basicConfig(level=os.environ.get("TAPPEDIN_LOG_LEVEL", "WARNING"))
    wait_for_request(warm_up=_warm_up)
    return App(workbook, **kwargs)
