"""The dashboard's charts: each one's numbers, their fingerprint, their table, and the
order the dashboard shows them in (:data:`CHARTS`); :func:`render_charts` draws those
that changed, sharing the work with the helper process (:mod:`drawhelper`)."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterator, Mapping
from functools import partial
from typing import Any, NamedTuple

import pandas as pd
from matplotlib.figure import Figure

from .. import analysis as an
from .. import models
from .describe import (
    activity_words,
    due_words,
    funnel_words,
    liked_vs_concerns_words,
    must_have_words,
    theme_trend_words,
    theme_words,
)
from .drawing import (
    activity_chart,
    due_chart,
    funnel_chart,
    liked_vs_concerns_chart,
    must_have_chart,
    theme_chart,
    theme_trend_chart,
)
from .rendering import render_each
from .style import DPI

# --------------------------------------------------------------------------
# From a Data bundle to a Figure, for the dashboard
#
# Each chart is split in two: its numbers (the analysis: every argument its
# figure is drawn from) and its plot (the figure, from those numbers alone).
# The dashboard computes the numbers once, offers them as CSV, compares their
# fingerprint with the last one shown, and plots only what changed.

Numbers = dict[str, Any]


def theme_numbers(data: an.Data) -> Numbers:
    return {"counts": an.theme_counts(data), "applications": an.themed_applications(data)}


def theme_trend_numbers(data: an.Data) -> Numbers:
    message = None if data.tags.empty else (
        "Nothing to follow over time yet: no dated feedback names a gap\n"
        "(strengths and competition aside).")
    return {"trend": an.theme_trend(data), "empty_message": message}


def must_have_numbers(data: an.Data) -> Numbers:
    return {"summary": an.must_have_summary(data),
            "applications": an.checked_applications(data)}


def liked_vs_concerns_numbers(data: an.Data) -> Numbers:
    items, min_count = an.liked_vs_concerns(data), 2
    if items.empty and len(data.job_items):  # nothing recurs yet: show what is there
        items, min_count = an.liked_vs_concerns(data, min_count=1), 1
    return {"items": items, "listed": len(data.job_items), "min_count": min_count}


def funnel_numbers(data: an.Data) -> Numbers:
    return {"stages": an.funnel(data)}


def activity_numbers(data: an.Data) -> Numbers:
    return {"monthly": an.activity_by_month(data), "rate": an.answer_rate(data)}


def due_numbers(data: an.Data, today: dt.date | None = None) -> Numbers:
    return {"due": an.whats_due(data, today=today)}


def _theme_trend_table(numbers: Numbers) -> pd.DataFrame:
    trend = numbers["trend"]
    if trend.actions.empty:
        return trend.monthly
    return pd.concat([trend.monthly, trend.actions.assign(kind="action done")])


def _due_table(numbers: Numbers) -> pd.DataFrame:
    due = numbers["due"]
    return pd.concat([due.reconnects.assign(kind="reconnect"),
                      due.actions.assign(kind="action")], ignore_index=True)


def _first(numbers: Numbers) -> pd.DataFrame:
    return next(iter(numbers.values()))


class ChartSpec(NamedTuple):
    """One dashboard chart: its card's title, its numbers, and how they are drawn."""

    title: str
    numbers: Callable[[an.Data], Numbers]  # the analysis: the keyword arguments of plot
    plot: Callable[..., Figure]            # the figure, from those numbers alone
    table: Callable[[Numbers], pd.DataFrame]  # the numbers as one table (the CSV download)
    words: Callable[[Numbers], str]        # the main numbers in words (its text alternative)

    def draw(self, data: an.Data) -> Figure:
        return self.plot(**self.numbers(data))


#: Every chart, in the order the dashboard shows them.
CHARTS: dict[str, ChartSpec] = {
    "themes": ChartSpec("Feedback themes", theme_numbers, theme_chart, _first, theme_words),
    "theme_trend": ChartSpec("Themes over time", theme_trend_numbers, theme_trend_chart,
                             _theme_trend_table, theme_trend_words),
    "funnel": ChartSpec("How far you get", funnel_numbers, funnel_chart, _first, funnel_words),
    "must_haves": ChartSpec("Must-haves", must_have_numbers, must_have_chart, _first,
                            must_have_words),
    "liked_vs_concerns": ChartSpec("Liked vs concerns", liked_vs_concerns_numbers,
                                   liked_vs_concerns_chart, _first, liked_vs_concerns_words),
    "activity": ChartSpec("Month by month", activity_numbers, activity_chart, _first,
                          activity_words),
    "due": ChartSpec("What's due", due_numbers, due_chart, _due_table, due_words),
}


class Drawn(NamedTuple):
    """A chart drawn for the dashboard: the image, its numbers as a table (the CSV),
    their digest, and the main numbers in words."""

    png: bytes
    table: pd.DataFrame
    fingerprint: str
    words: str


def render_charts(data: an.Data, shown: Mapping[str, str | None] | None = None,
                  dpi: int = DPI, names: Collection[str] | None = None,
                  on_drawn: Callable[[str, Drawn], None] | None = None) -> dict[str, Drawn]:
    """What the trends tab does: the charts' numbers, and a PNG of those that changed.

    ``shown`` maps a chart's name to the fingerprint of what is on screen;
    a chart whose numbers have the same fingerprint is left out of the
    result. ``names``: only these charts (default: every one). The numbers
    are computed once per chart, for the figure, the table, the words and
    the fingerprint alike. ``on_drawn(name, drawn)`` is called (in this thread)
    for each chart as soon as it is ready, in the order of :data:`CHARTS` for
    those drawn here, at the end for those the helper drew.
    """
    shown = shown or {}
    numbers, fingerprints = {}, {}
    for name, spec in CHARTS.items():
        if names is not None and name not in names:
            continue
        numbers[name] = spec.numbers(data)
        fingerprint = numbers_fingerprint(name, numbers[name])
        if fingerprint != shown.get(name):
            fingerprints[name] = fingerprint
    told: dict[str, Drawn] = {}

    def drawn(name: str, png: bytes) -> Drawn:
        if name not in told:
            told[name] = Drawn(png, CHARTS[name].table(numbers[name]), fingerprints[name],
                               CHARTS[name].words(numbers[name]))
            if on_drawn is not None:
                on_drawn(name, told[name])
        return told[name]

    pngs = _share(list(fingerprints), numbers, dpi, drawn)
    return {name: drawn(name, pngs[name]) for name in fingerprints}


def _share(names: list[str], numbers: dict[str, Numbers], dpi: int,
           on_drawn: Callable[[str, bytes], Any]) -> dict[str, bytes]:
    """PNGs of ``names``, drawn here from the front of the list (``on_drawn`` told of
    each as it is ready) and, when it is up, by the helper process (:mod:`drawhelper`)
    from the back."""
    from .. import drawhelper

    def here(queue: collections.deque[str]) -> dict[str, bytes]:
        def take() -> Iterator[tuple[str, Callable[[], Figure]]]:
            while True:
                try:
                    name = queue.popleft()
                except IndexError:
                    return
                yield name, partial(CHARTS[name].plot, **numbers[name])

        return render_each(take(), dpi, on_drawn)

    return drawhelper.share(names, here, numbers, dpi)


def numbers_fingerprint(name: str, numbers: Numbers) -> str:
    """A digest of everything a chart is drawn from (and of today's date, which
    "what's due" and the month axes move with)."""
    digest = hashlib.sha1(name.encode())
    digest.update(models.today().isoformat().encode())

    def add(value: Any) -> None:
        if isinstance(value, pd.DataFrame):
            try:
                hashed = pd.util.hash_pandas_object(value, index=True)
            except TypeError:  # a cell pandas cannot hash (a list, say): hash its text
                hashed = pd.util.hash_pandas_object(value.astype(str), index=True)
            digest.update(hashed.values.tobytes())
            digest.update(repr(list(value.columns)).encode())
        elif isinstance(value, dict):
            for key, item in value.items():
                digest.update(repr(key).encode())
                add(item)
        elif dataclasses.is_dataclass(value):
            add({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
        else:
            digest.update(repr(value).encode())

    add(numbers)
    return digest.hexdigest()
