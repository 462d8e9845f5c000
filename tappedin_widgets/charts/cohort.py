"""The coach's cohort charts: counts over many job seekers (:class:`cohort.CohortStats`),
nothing shown below the smallest group size."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .style import (
    ALERT,
    NEUTRAL,
    WIDTH,
    axis_labels,
    count_ticks,
    count_xlim,
    draw_bars,
    empty_figure,
    finish,
    label_bars,
    legend_below,
    lighter,
    make_panels,
    style_axes,
    theme_colour,
    wrap_label,
)

# --------------------------------------------------------------------------
# The coach's cohort charts: counts over many job seekers (cohort.CohortStats)

COHORT_MIN_NOTE = "Nothing to show yet: no figure here has {k} or more job seekers behind it."


def _cohort_bars(title: str, subtitle: str, labels: Sequence[str], values: Sequence[int],
                 xlabel: str, ylabel: str, colour: str) -> Figure:
    """One horizontal bar per label, its count at the end, in the dashboard's look."""
    panels = make_panels(None, (WIDTH, 1.8 + 0.42 * len(labels)))
    ax = panels.axes[0]
    style_axes(ax)
    y = np.arange(len(labels), dtype=float)
    label_bars(ax, draw_bars(ax, y, values, thickness=0.62, color=colour, edgecolor=colour))
    ax.set_yticks(y, list(labels))
    ax.set_ylim(len(labels) - 0.4, -0.6)
    count_xlim(ax, float(max(values)))
    ax.xaxis.set_major_locator(count_ticks())
    axis_labels(ax, xlabel, ylabel)
    return finish(panels, title, subtitle)


def cohort_themes_chart(frame: pd.DataFrame, *, min_group: int) -> Figure:
    """How often feedback named each built-in theme across a cohort, as gap and strength.

    ``frame`` is :meth:`cohort.CohortStats.feedback_themes` (theme, label,
    polarity, mentions); the ten themes mentioned most are shown.
    """
    title = "Feedback themes across the cohort"
    if frame.empty:
        return empty_figure(title, COHORT_MIN_NOTE.format(k=min_group))
    wide = (frame.pivot_table(index=["theme", "label"], columns="polarity", values="mentions",
                              aggfunc="sum", fill_value=0)
            .reindex(columns=["-", "+"], fill_value=0).reset_index())
    wide = (wide.assign(total=wide["-"] + wide["+"])
            .sort_values(["total", "-", "label"], ascending=[False, False, True]).head(10))
    panels = make_panels(None, (WIDTH, 2.1 + 0.5 * len(wide)))
    ax = panels.axes[0]
    style_axes(ax)
    y = np.arange(len(wide), dtype=float)
    colours = [theme_colour(t) for t in wide["theme"]]
    label_bars(ax, draw_bars(ax, y - 0.2, wide["-"], thickness=0.38, color=colours,
                          edgecolor=colours, label="gaps"))
    label_bars(ax, draw_bars(ax, y + 0.2, wide["+"], thickness=0.38,
                          color=[lighter(c, 0.65) for c in colours], edgecolor=colours,
                          hatch="////", hatchcolor=colours, label="strengths"))
    ax.set_yticks(y, [wrap_label(label) for label in wide["label"]])
    ax.set_ylim(len(wide) - 0.3, -0.7)
    count_xlim(ax, float(wide[["-", "+"]].to_numpy().max()))
    ax.xaxis.set_major_locator(count_ticks())
    axis_labels(ax, "Times feedback named the theme", "Theme")
    handles = [Patch(facecolor="#555555", edgecolor="#555555", label="Gap"),
               Patch(facecolor=lighter("#555555", 0.65), edgecolor="#555555", hatch="////",
                     hatchcolor="#555555", label="Strength")]
    return finish(panels, title, "Gaps and strengths interviewers named, summed over the cohort",
                   legend=legend_below(ax, handles))


def cohort_must_haves_chart(frame: pd.DataFrame, *, min_group: int) -> Figure:
    """Must-haves several seekers share, by jobs where each was missing (top ten)."""
    title = "Must-haves the jobs lacked"
    if frame.empty:
        return empty_figure(title, COHORT_MIN_NOTE.format(k=min_group))
    top = frame.head(10)
    return _cohort_bars(title, "Must-haves several job seekers share, by jobs where it was "
                               "missing",
                        [textwrap.shorten(str(v), 40, placeholder="…") for v in top["shown"]],
                        [int(v) for v in top["jobs"]], "Jobs where it was missing",
                        "Must-have", ALERT)


def cohort_stops_chart(frame: pd.DataFrame, *, min_group: int) -> Figure:
    """Rejections across a cohort by the furthest stage the application reached."""
    title = "Where the process stops"
    if frame.empty:
        return empty_figure(title, COHORT_MIN_NOTE.format(k=min_group))
    return _cohort_bars(title, "Rejections by the furthest stage the application reached",
                        [str(s).capitalize() for s in frame["stage"]],
                        [int(v) for v in frame["rejections"]], "Rejections", "Stage reached",
                        NEUTRAL)
