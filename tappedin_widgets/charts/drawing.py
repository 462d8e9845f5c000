"""The job seeker's charts: each ``*_chart`` function draws a Figure from what
:mod:`tappedin_widgets.analysis` returns (plus an optional ``ax`` to draw into)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter
from matplotlib.transforms import ScaledTranslation

from .. import analysis as an
from ..models import COMPETITION, plural
from .style import (
    ALERT,
    CARD_WIDTH,
    FAINT,
    INK,
    LABEL_SIZE,
    MUTED,
    NEUTRAL,
    NEUTRAL_DARK,
    NOTE_SIZE,
    OTHER_COLOUR,
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
    month_axis,
    show_message,
    style_axes,
    theme_colour,
    wrap_label,
)


def _empty(title: str, message: str, *, ax: Axes | None = None) -> Figure:
    """The empty state of a chart, as wide as the charts here."""
    return empty_figure(title, message, ax=ax, width=CARD_WIDTH)


def _cap(frame: pd.DataFrame, top: int, label: str, sums: Sequence[str],
         by: Sequence[str] | None = None) -> pd.DataFrame:
    """At most ``top`` rows: the biggest by the sum of ``by`` (default: the first rows),
    in their original order, and the rest folded into one "other" row."""
    frame = frame.reset_index(drop=True)
    if len(frame) <= top:
        return frame.assign(other=False)
    size = frame[list(by)].sum(axis=1) if by else pd.Series(-frame.index, index=frame.index)
    keep = size.sort_values(ascending=False, kind="stable").index[:top - 1]
    chosen = frame.index.isin(keep)
    head, rest = frame[chosen], frame[~chosen]
    other = {c: int(rest[c].sum()) for c in sums}
    other.update(label=f"{label} ({len(rest)})", other=True)
    return pd.concat([head.assign(other=False), pd.DataFrame([other])], ignore_index=True)


def theme_chart(counts: pd.DataFrame, *, applications: int | None = None, top: int = 10,
                ax: Axes | None = None) -> Figure:
    """Gaps and strengths per feedback theme, competition drawn apart and muted.

    ``counts`` is :func:`analysis.theme_counts`; ``applications`` (how many
    applications the tags come from) goes into the title. Gap bars are solid,
    strength bars hatched and paler, in the theme's colour.
    """
    title = "Feedback themes" + (f" across {plural(applications, 'application')}"
                                 if applications else "")
    if counts.empty:
        return _empty("Feedback themes",
                            "No feedback yet: log it in step 1 and tag its themes.", ax=ax)
    mine = counts[~counts["competition"]]
    theirs = counts[counts["competition"]]
    # keep the themes mentioned most (gaps or strengths), still ordered by gaps
    mine = _cap(mine, top, "Other themes", ("gaps", "strengths"), by=("gaps", "strengths"))
    rows = len(mine) + len(theirs)
    panels = make_panels(ax, (CARD_WIDTH, 1.45 + 0.28 * rows))
    ax = panels.axes[0]
    style_axes(ax)
    y = np.arange(len(mine), dtype=float)
    y_comp = np.arange(len(theirs), dtype=float) + len(mine) + 0.6
    colours = [OTHER_COLOUR if o else theme_colour(t)
               for t, o in zip(mine.get("theme", pd.Series([""] * len(mine))).fillna(""),
                               mine["other"], strict=False)]
    gaps = draw_bars(ax, y - 0.2, mine["gaps"], thickness=0.38, color=colours, edgecolor=colours,
                 label="gaps")
    strengths = draw_bars(ax, y + 0.2, mine["strengths"], thickness=0.38,
                      color=[lighter(c, 0.65) for c in colours], edgecolor=colours,
                      hatch="////", hatchcolor=colours, label="strengths")
    label_bars(ax, gaps)
    label_bars(ax, strengths)
    ticks = list(y) + list(y_comp)
    names = [wrap_label(label) for label in mine["label"]]
    if len(theirs):
        grey = theme_colour(COMPETITION)
        comp = draw_bars(ax, y_comp, theirs["gaps"], thickness=0.5, color=lighter(grey, 0.3),
                     edgecolor=grey, label="competition")
        label_bars(ax, comp)
        if len(mine):
            ax.axhline(len(mine) - 0.2, color=FAINT, linewidth=1, linestyle=(0, (4, 3)))
        names += [f"{wrap_label(label)}\n(not about you)" for label in theirs["label"]]
    ax.set_yticks(ticks, names)
    for tick in ax.get_yticklabels()[len(mine):]:
        tick.set_color(MUTED)
        tick.set_fontstyle("italic")
    ax.set_ylim(max(ticks) + 0.7, -0.7)
    high = float(max([0, *mine["gaps"], *mine["strengths"], *theirs["gaps"]]))
    count_xlim(ax, high)
    ax.xaxis.set_major_locator(count_ticks())
    axis_labels(ax, "Times it came up in feedback", "Theme")
    handles = [Patch(facecolor="#555555", edgecolor="#555555", label="Gap: to work on"),
               Patch(facecolor=lighter("#555555", 0.65), edgecolor="#555555", hatch="////",
                     hatchcolor="#555555", label="Strength: praised")]
    if len(theirs):
        handles.append(Patch(facecolor=lighter(theme_colour(COMPETITION), 0.3),
                             edgecolor=theme_colour(COMPETITION),
                             label="Competition: not about you"))
    return finish(panels, title,
                   "Most frequent gaps on top. Competition is kept apart: not about you.",
                   legend=legend_below(ax, handles, ncols=2))


# --------------------------------------------------------------------------
# b. Themes over time


def theme_trend_chart(trend: an.ThemeTrend, *, empty_message: str | None = None,
                      ax: Axes | None = None) -> Figure:
    """Per theme, gaps (solid) and strengths (hatched) per month.

    ``trend`` is :func:`analysis.theme_trend`; a dashed line marks each day
    an action on the theme was done.
    """
    if trend.empty:
        return _empty("Feedback themes over time", empty_message or
                            "No feedback yet: log it in step 1 and tag its themes.", ax=ax)
    monthly = trend.monthly
    themes = trend.themes
    panels = make_panels(ax, (CARD_WIDTH, 1.5 + 0.8 * len(themes)), nrows=len(themes),
                     gaps=(8.0,) * (len(themes) - 1))
    axes = panels.axes
    first, last = monthly["month"].min(), monthly["month"].max()
    high = max(int(monthly[["gaps", "strengths"]].to_numpy().max()), 1)
    for i, (theme, panel) in enumerate(zip(themes, axes, strict=False)):
        rows = monthly[monthly["theme"] == theme]
        colour = theme_colour(theme)
        x = mdates.date2num(rows["month"])
        style_axes(panel, "y")
        draw_bars(panel, x - 5, rows["gaps"], thickness=10, horizontal=False, color=colour,
              edgecolor=colour, label="gaps")
        draw_bars(panel, x + 5, rows["strengths"], thickness=10, horizontal=False,
              color=lighter(colour, 0.65), edgecolor=colour, hatch="////", hatchcolor=colour,
              label="strengths")
        # one dashed line per day an action was done (several that day would overlap),
        # all in one collection; the x range is set below, they needn't update limits
        days = trend.actions.loc[trend.actions["theme"] == theme, "done_on"].dropna()
        days = np.unique(mdates.date2num(days))
        if len(days):
            panel.add_collection(LineCollection(
                np.stack([np.column_stack([days, days]), np.tile([0.0, 1.0], (len(days), 1))],
                         axis=2), transform=panel.get_xaxis_transform(), colors=INK,
                linewidths=1.2, linestyles=[(0, (4, 2))], label="action done"), autolim=False)
        panel.set_ylim(0, high * 1.25 + 0.3)
        panel.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
        panel.text(0.005, 0.97, rows["label"].iloc[0], transform=panel.transAxes,
                   ha="left", va="top", fontsize=LABEL_SIZE, fontweight="bold", color=INK,
                   bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
        month_axis(panel, first, last)
        if i < len(themes) - 1:
            panel.tick_params(labelbottom=False)
        panel.set_ylabel("Mentions", fontsize=LABEL_SIZE, color=INK)
    axes[-1].set_xlabel("Month the feedback came in", fontsize=LABEL_SIZE, color=INK)
    handles = [Patch(facecolor="#555555", label="Gap"),
               Patch(facecolor=lighter("#555555", 0.65), edgecolor="#555555", hatch="////",
                     hatchcolor="#555555", label="Strength")]
    if len(trend.actions):
        handles.append(Line2D([], [], color=INK, linewidth=1.2, linestyle=(0, (4, 2)),
                              label="Action on it done"))
        sub = "Do they fade once you act on them? Dashed line: an action on that theme was done."
    else:
        sub = ("No action on these themes is done yet: "
               "once one is, a dashed line marks the day.")
    return finish(panels, "Top gap themes month by month", sub,
                  legend=legend_below(axes[-1], handles))


# --------------------------------------------------------------------------
# c. Must-haves


def must_have_chart(summary: pd.DataFrame, *, applications: int | None = None, top: int = 12,
                    ax: Axes | None = None) -> Figure:
    """Per must-have: in how many jobs it was missing, present or unknown (stacked)."""
    if summary.empty or int(summary["checked"].sum()) == 0:
        return _empty(
            "Must-haves",
            "No jobs checked against your must-haves yet:\nname them and check each job in step 4.",
            ax=ax)
    rows = _cap(summary.reset_index(drop=True), top, "Other must-haves",
                ("present", "missing", "unknown", "checked"))
    rows["retired"] = rows["retired"].fillna(False).astype(bool)
    panels = make_panels(ax, (CARD_WIDTH, 1.5 + 0.3 * len(rows)))
    ax = panels.axes[0]
    style_axes(ax)
    y = np.arange(len(rows), dtype=float)
    parts = (("missing", dict(color=ALERT, edgecolor=ALERT)),
             ("unknown", dict(color="white", edgecolor="#8c8c8c", hatch="...")),
             ("present", dict(color="#c9d7e6", edgecolor="#7f9bb8")))
    left = np.zeros(len(rows))
    for status, style in parts:
        draw_bars(ax, y, rows[status], start=left, thickness=0.62, label=status,
              hatchcolor="#8c8c8c", **style)
        left = left + rows[status].to_numpy()
    # the answer to "how often missing?" in a column of its own, right of the bars
    beside = ax.get_yaxis_transform() + ScaledTranslation(
        8 / 72, 0, ax.get_figure(root=True).dpi_scale_trans)
    answers = [ax.text(1.0, yi, f"{m:,} of {total:,} missing ({m / total:.0%})" if total
                       else "not checked", transform=beside, ha="left", va="center",
                       fontsize=NOTE_SIZE, color=INK)
               for yi, (m, total) in enumerate(zip(rows["missing"], rows["checked"], strict=False))]
    names = [wrap_label(n + (" (retired)" if r else ""), 20) for n, r in
             zip(rows["name"], rows["retired"], strict=False)]
    ax.set_yticks(y, names)
    for tick, retired in zip(ax.get_yticklabels(), rows["retired"], strict=False):
        if retired:
            tick.set_color(MUTED)
            tick.set_fontstyle("italic")
    ax.set_ylim(len(rows) - 0.4, -0.6)
    count_xlim(ax, float(rows["checked"].max()), 1.02)
    ax.xaxis.set_major_locator(count_ticks())
    axis_labels(ax, "Jobs checked", "Must-have")
    handles = [Patch(facecolor=ALERT, label="Missing"),
               Patch(facecolor="white", edgecolor="#8c8c8c", hatch="...",
                     hatchcolor="#8c8c8c", label="Unknown"),
               Patch(facecolor="#c9d7e6", edgecolor="#7f9bb8", label="Present")]
    jobs = f"{plural(applications, 'job')} checked" if applications else "Jobs checked"
    return finish(panels, "Which must-haves your jobs are missing",
                   f"{jobs}; most often missing first.", legend=legend_below(ax, handles),
                   outside=answers)


# --------------------------------------------------------------------------
# d. Liked vs concerns


LIKED, CONCERN = "#2f6f8f", "#a0522d"


def liked_vs_concerns_chart(items: pd.DataFrame, *, listed: int | None = None,
                            min_count: int = 2, ax: Axes | None = None) -> Figure:
    """The job-reflection items that keep coming up: what you liked, what concerned you.

    ``items`` is :func:`analysis.liked_vs_concerns`; ``listed`` (how many
    items were written at all) picks the right empty-state sentence.
    """
    title = "What keeps coming up about the jobs"
    if items.empty:
        if listed:
            text = (f"Nothing has come up for {min_count} jobs yet:\nkeep noting what you "
                    "liked and what concerned you in step 4.")
        else:
            text = ("Nothing listed yet: note what you liked about each job\n"
                    "and what concerned you in step 4.")
        return _empty(title, text, ax=ax)
    groups = [(kind, items[items["kind"].astype(str) == kind].reset_index(drop=True))
              for kind in ("liked", "concern")]
    n_rows = sum(len(g) for _, g in groups) + sum(1 for _, g in groups if len(g))
    panels = make_panels(ax, (CARD_WIDTH, 1.45 + 0.22 * n_rows))
    ax = panels.axes[0]
    style_axes(ax)
    ticks, names, headers, y0 = [], [], [], 0.0
    heads = {"liked": "What you liked", "concern": "What concerned you"}
    for kind, group in groups:
        if group.empty:
            continue
        # the group's name is a tick label of its own, so the axis label makes room
        headers.append(len(ticks))
        ticks.append(y0)
        names.append(heads[kind])
        ys = y0 + 1 + np.arange(len(group), dtype=float)
        colour = LIKED if kind == "liked" else CONCERN
        bars = draw_bars(ax, ys, group["count"], thickness=0.62,
                     color=colour if kind == "liked" else lighter(colour, 0.6),
                     edgecolor=colour, hatch=None if kind == "liked" else "xx",
                     hatchcolor=colour, label=kind)
        label_bars(ax, bars)
        ticks += list(ys)
        names += [wrap_label(t, 34) for t in group["text"]]
        y0 = ys[-1] + 1.3
    ax.set_yticks(ticks, names)
    for i in headers:
        ax.get_yticklabels()[i].set_fontweight("bold")
        ax.get_yticklabels()[i].set_fontsize(LABEL_SIZE)
        ax.yaxis.get_major_ticks()[i].tick1line.set_visible(False)
    ax.set_ylim(max(ticks) + 0.6, -0.7)
    count_xlim(ax, float(items["count"].max()))
    ax.xaxis.set_major_locator(count_ticks())
    axis_labels(ax, "Jobs it came up for", "")
    ax.set_ylabel("Item (your words)", fontsize=LABEL_SIZE, color=INK, labelpad=10)
    handles = [Patch(facecolor=LIKED, label="Liked"),
               Patch(facecolor=lighter(CONCERN, 0.6), edgecolor=CONCERN, hatch="xx",
                     hatchcolor=CONCERN, label="Concern")]
    return finish(panels, title, (f"Items you noted for at least {min_count} jobs, "
                                   "grouped ignoring case and punctuation.") if min_count > 1
                   else "Nothing has come up for two jobs yet; these are the items you noted "
                        "so far.", legend=legend_below(ax, handles))


# --------------------------------------------------------------------------
# e. Funnel


def funnel_chart(stages: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """How many applications reached each stage, where rejections stopped them."""
    total = int(stages["stopped"].sum()) if not stages.empty else 0
    if total == 0:
        return _empty("How far your applications got",
                            "No applications yet: add your first one to start.", ax=ax)
    panels = make_panels(ax, (CARD_WIDTH, 1.45 + 0.4 * len(stages)))
    ax = panels.axes[0]
    style_axes(ax)
    y = np.arange(len(stages), dtype=float)
    draw_bars(ax, y, stages["reached"], thickness=0.66, color="#c9d7e6", edgecolor=NEUTRAL,
          label="reached")
    draw_bars(ax, y, stages["rejected"], thickness=0.66, color=NEUTRAL_DARK, edgecolor=NEUTRAL_DARK,
          hatch="////", hatchcolor="#8fa6c1", label="rejected")
    high = float(stages["reached"].max())
    for yi, row in enumerate(stages.itertuples()):
        text = f"{row.reached:,} ({row.reached_share:.0%})"
        if not pd.isna(row.conversion):
            text += f"\n{row.conversion:.0%} of the stage before"
        ax.text(row.reached + high * 0.015, yi, text, va="center", fontsize=NOTE_SIZE,
                color=INK)
    ax.set_yticks(y, [str(s).capitalize() for s in stages["stage"]])
    ax.set_ylim(len(stages) - 0.4, -0.6)
    ax.set_xlim(0, high * 1.75 + 0.5)
    ax.xaxis.set_major_locator(count_ticks())
    axis_labels(ax, "Applications", "Stage reached (at least)")
    rejections = int(stages["rejected"].sum())
    handles = [Patch(facecolor="#c9d7e6", edgecolor=NEUTRAL, label="Reached this stage"),
               Patch(facecolor=NEUTRAL_DARK, hatch="////", hatchcolor="#8fa6c1",
                     label="Rejected at this stage")]
    legend = legend_below(ax, handles)
    worst = stages.loc[stages["rejected"].idxmax()] if rejections else None
    if worst is None:
        sub = "No rejections recorded."
    elif rejections == 1:
        sub = f"1 rejection, at the {worst['stage']} stage."
    else:
        sub = (f"{rejections:,} rejections, most often at the {worst['stage']} stage "
               f"({int(worst['rejected']):,}).")
    return finish(panels, f"How far your {plural(total, 'application')} got", sub,
                   legend=legend)


# --------------------------------------------------------------------------
# f. Activity per month


_SERIES = (  # column, label, colour, marker, line style
    ("rejections", "Rejections", NEUTRAL_DARK, "o", "-"),
    ("feedback_asked", "Feedback asked", "#7a5195", "s", (0, (5, 2))),
    ("feedback_received", "Feedback received", "#1b7f5f", "^", "-"),
    ("thank_you_sent", "Thank-you notes sent", "#b35806", "D", (0, (1, 1.5))),
)


def activity_chart(monthly: pd.DataFrame, *, rate: an.Rate | None = None,
                   today: dt.date | None = None, ax: Axes | None = None) -> Figure:
    """Applications (bars), rejections, feedback and thank-you notes per month (lines);
    below, the share of feedback requests that got an answer.

    The month holding ``today`` (default: the real today) is shaded "so far",
    so a month that has only just begun doesn't read as a slump.
    """
    if monthly.empty:
        return _empty("Your search month by month",
                            "No activity yet: add your first application to start.", ax=ax)
    panels = make_panels(ax, (CARD_WIDTH, 4.3), nrows=2, ratios=(3, 1.25), gaps=(7.0,))
    top, bottom = panels.axes
    first, last = monthly["month"].min(), monthly["month"].max()
    x = mdates.date2num(monthly["month"])
    width = 22 if len(monthly) <= 24 else 18
    style_axes(top, "y")
    draw_bars(top, x, monthly["applications"], thickness=width, horizontal=False, color="#dbe4ee",
          edgecolor="#9fb3c8", label="Applications")
    small = len(monthly) <= 30
    for column, label, colour, marker, style in _SERIES:
        top.plot(x, monthly[column], color=colour, marker=marker if small else None,
                 markersize=5, linestyle=style, linewidth=1.6, label=label)
    top.set_ylim(0, max(float(monthly[["applications", *[s[0] for s in _SERIES]]]
                              .to_numpy().max()), 1) * 1.12 + 0.5)
    top.yaxis.set_major_locator(count_ticks())
    top.set_ylabel("Count", fontsize=LABEL_SIZE, color=INK)
    month_axis(top, first, last)
    top.tick_params(labelbottom=False)

    style_axes(bottom, "y")
    asked = monthly["feedback_asked"] > 0
    share = monthly["answer_rate"].where(asked)
    draw_bars(bottom, x[asked.to_numpy()], share[asked], thickness=width, horizontal=False,
          color="#1b7f5f", alpha=0.8, label="answered")
    outside = []
    if rate is not None and rate.share is not None:
        bottom.axhline(rate.share, color=INK, linewidth=1, linestyle=(0, (4, 2)))
        outside.append(bottom.text(1.0, rate.share, f" all: {rate.share:.0%}", va="center",
                                   ha="left", transform=bottom.get_yaxis_transform(),
                                   fontsize=NOTE_SIZE, color=INK))
    bottom.set_ylim(0, 1.05)
    bottom.yaxis.set_major_locator(FixedLocator([0, 0.5, 1]))
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    bottom.set_ylabel("Answered", fontsize=LABEL_SIZE, color=INK)
    bottom.set_xlabel("Month", fontsize=LABEL_SIZE, color=INK)
    month_axis(bottom, first, last)
    now = pd.Timestamp(today or dt.date.today())
    if (last.year, last.month) == (now.year, now.month):
        for panel in (top, bottom):
            panel.axvspan(x[-1] - 15, x[-1] + 15, color="#f1f1f1", zorder=0, linewidth=0)
        top.text(x[-1], 0.985, "so far", transform=top.get_xaxis_transform(), ha="center",
                 va="top", fontsize=NOTE_SIZE, color=MUTED)
    answered = f"Feedback requests answered: {rate}." if rate is not None and rate.whole \
        else "No feedback requested yet."
    handles, _labels = top.get_legend_handles_labels()
    return finish(panels, "Your search month by month",
                   answered + " A polite no counts as an answer.", outside=outside,
                   legend=legend_below(bottom, handles, ncols=3))


# --------------------------------------------------------------------------
# g. What's due


def due_chart(due: an.Due, *, top: int = 12, ax: Axes | None = None) -> Figure:
    """Reconnects on a timeline around today (above), action items by status (below)."""
    title = "What's due: reconnects and action items"
    if due.empty:
        return _empty(title, "Nothing due: no reconnects planned and no action items yet.\n"
                             "Plan a reconnect in step 2, and turn lessons\ninto actions "
                             "in step 5.", ax=ax)
    shown = due.reconnects.head(top)
    panels = make_panels(ax, (CARD_WIDTH, 2.4 + 0.2 * max(len(shown), 2)), nrows=2,
                     ratios=(max(len(shown), 2) + 1.5, 3.2), gaps=(16.0,))
    upper, lower = panels.axes
    start, end = (pd.Timestamp(d) for d in due.window)
    today = pd.Timestamp(due.today)

    if shown.empty:
        show_message(upper, f"No reconnects planned between {start:%d %b} and {end:%d %b}.")
    else:
        style_axes(upper, "x")
        y = np.arange(len(shown), dtype=float)
        late = shown["late"].to_numpy(dtype=bool)
        x = mdates.date2num(shown["reconnect_on"])
        upper.scatter(x[~late], y[~late], s=46, marker="o", color=NEUTRAL, zorder=3,
                      label="Coming up")
        if late.any():
            upper.scatter(x[late], y[late], s=60, marker="X", color=ALERT, zorder=3,
                          label="Late")
        upper.hlines(y, mdates.date2num(today), x, color=FAINT, linewidth=1, zorder=2)
        upper.axvline(mdates.date2num(today), color=INK, linewidth=1)
        upper.text(mdates.date2num(today), -0.85, " today", fontsize=NOTE_SIZE, color=INK,
                   va="center")
        upper.axvspan(mdates.date2num(start), mdates.date2num(today), color="#f3f3f3", zorder=0)
        names = [wrap_label(f"{c}: {r}", 46, 1) for c, r in
                 zip(shown["company"].fillna("?"), shown["recipient"].fillna(""), strict=False)]
        more = len(due.reconnects) - len(shown)
        if more > 0:  # one more row, without a marker, says how many are not drawn
            y = np.append(y, len(shown))
            names.append(f"+ {more} more, later")
        upper.set_yticks(y, names)
        if more > 0:
            upper.get_yticklabels()[-1].set_color(MUTED)
            upper.get_yticklabels()[-1].set_fontstyle("italic")
        upper.set_ylim(len(y) - 0.4, -1.3)
        upper.set_xlim(mdates.date2num(start - pd.Timedelta(days=2)),
                       mdates.date2num(end + pd.Timedelta(days=2)))
        # the first of each month: two or three dates that fit under a card-wide axis
        upper.xaxis.set_major_locator(mdates.MonthLocator())
        upper.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
        axis_labels(upper, "Reconnect on", "Whom to contact")
        upper.legend(loc="upper right", fontsize=NOTE_SIZE, frameon=True, framealpha=0.95,
                     edgecolor="none")

    counts = due.action_counts
    if int(counts.sum()) == 0:
        show_message(lower, "No action items yet: turn a lesson into an action in step 5.")
    else:
        style_axes(lower, "x")
        styles = {"overdue": dict(color=ALERT, edgecolor=ALERT, linewidth=1.0),
                  "open": dict(color="white", edgecolor=NEUTRAL, hatch="////",
                               hatchcolor=NEUTRAL),
                  "done": dict(color="#c9d7e6", edgecolor="#7f9bb8")}
        names = {"overdue": "Overdue", "open": "Open, not yet due", "done": "Done"}
        for yi, status in enumerate(counts.index):
            bars = draw_bars(lower, [yi], [counts[status]], thickness=0.62, label=status,
                         **styles[status])
            label_bars(lower, bars, skip_zero=False)
        lower.set_yticks(np.arange(len(counts), dtype=float), [names[s] for s in counts.index])
        lower.set_ylim(len(counts) - 0.4, -0.6)
        count_xlim(lower, float(counts.max()), 1.15)
        lower.xaxis.set_major_locator(count_ticks())
        axis_labels(lower, "Action items", "Status")
    overdue = int(counts["overdue"])
    late = int(due.reconnects["late"].sum())
    sub = (f"Reconnects planned up to {due.ahead} days ahead, late ones included"
           + (f", {late} of them late" if late else "") + "; "
           + (f"{plural(overdue, 'action item')} overdue." if overdue
              else "no action item is overdue."))
    return finish(panels, title, sub)
