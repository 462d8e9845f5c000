"""The trend charts: matplotlib Figures built from analysis frames, never pyplot.

Each ``*_chart`` function takes what :mod:`tappedin_widgets.analysis`
returns (plus an optional ``ax`` to draw into) and returns the Figure. No
global state is touched and nothing needs closing: a Figure made here is an
ordinary object that goes away with its last reference. Turn one into PNG
bytes with :func:`figure_to_png` (a ``widgets.Image`` shows those; see the
Voilà pitfall in DESIGN.md).

Conventions every chart keeps:

- one colour per feedback theme, everywhere (:func:`theme_colour`);
- strengths vs gaps, liked vs concerns, overdue vs open: told apart by fill
  and hatching, not by colour alone;
- competition ("not about you") drawn muted and apart;
- with nothing to show, the figure says so, and what to do about it;
- long labels wrapped, many categories capped (top N + "other"), month
  ticks thinned, so 1 application and 1,000 both read well.

``CHARTS`` lists every chart in the order the dashboard shows them.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import hashlib
import io
import textwrap
from typing import Callable, NamedTuple, Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter
from matplotlib.transforms import ScaledTranslation

from . import analysis as an
from .models import COMPETITION

__all__ = [
    "THEME_COLOURS", "theme_colour", "figure_to_png", "empty_figure",
    "theme_chart", "theme_trend_chart", "must_have_chart", "liked_vs_concerns_chart",
    "funnel_chart", "activity_chart", "due_chart", "CHARTS", "ChartSpec",
]

# --------------------------------------------------------------------------
# Look and feel

WIDTH = 8.0                 # inches; at dpi 110 a chart is 880 px wide
TITLE_SIZE = 13
SUBTITLE_SIZE = 10
LABEL_SIZE = 10
TICK_SIZE = 9.5
NOTE_SIZE = 9               # the smallest text any chart uses
INK = "#222222"
MUTED = "#666666"
FAINT = "#d9d9d9"
NEUTRAL = "#4d6a8a"         # non-theme quantities (applications, funnel)
NEUTRAL_DARK = "#1f2f44"
ALERT = "#b2182b"           # missing / overdue (always with a second cue)
WRAP = 24                   # characters per label line
OTHER_COLOUR = "#bdbdbd"

#: Fixed colours of the built-in themes: Okabe-Ito and Paul Tol's
#: colour-blind-safe sets. Labels always sit next to the bars, so colour is
#: a second cue, never the only one. Competition is grey: it is not about you.
THEME_COLOURS: dict[str, str] = {
    "experience": "#0072b2",
    "technical_skills": "#e69f00",
    "communication": "#009e73",
    "examples_results": "#d55e00",
    "preparation": "#cc79a7",
    "culture_fit": "#56b4e9",
    "leadership": "#332288",
    "enthusiasm": "#ddcc77",
    "compensation_logistics": "#999933",
    "competition": "#9e9e9e",
    "questions_asked": "#882255",
    "presence": "#44aa99",
    "qualifications": "#7f4f24",
}


def theme_colour(theme_id: str) -> str:
    """The colour of a theme in every chart: fixed for built-ins, derived from a custom id.

    A custom theme's hue comes from a hash of its id (not Python's salted
    ``hash``), so it is the same in every session and on every machine.
    """
    if theme_id in THEME_COLOURS:
        return THEME_COLOURS[theme_id]
    digest = hashlib.sha1(str(theme_id).encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    lightness = 0.36 + (digest[2] / 255) * 0.14
    saturation = 0.50 + (digest[3] / 255) * 0.25
    return to_hex(colorsys.hls_to_rgb(hue, lightness, saturation))


def _lighter(colour: str, amount: float = 0.6) -> str:
    r, g, b = to_rgb(colour)
    return to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def _wrap(label: str, width: int = WRAP, lines: int = 2) -> str:
    return "\n".join(textwrap.wrap(str(label), width, max_lines=lines, placeholder=" …")) or " "


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


# --------------------------------------------------------------------------
# Figure plumbing


def _figure(figsize: tuple[float, float]) -> Figure:
    fig = Figure(figsize=figsize, layout="constrained")
    fig.set_facecolor("white")
    return fig


def _panels(ax: Axes | None, figsize: tuple[float, float], nrows: int = 1, ncols: int = 1,
            **grid: Sequence[float]) -> tuple[Figure, list[Axes]]:
    """Axes to draw on: a new figure's, or ``ax`` split into a grid in its place."""
    if ax is None:
        fig = _figure(figsize)
        axes = fig.subplots(nrows, ncols, squeeze=False, gridspec_kw=grid or None)
        return fig, list(axes.flat)
    fig = ax.get_figure(root=True)
    if nrows * ncols == 1:
        return fig, [ax]
    parent = ax.get_figure(root=False)
    spec = ax.get_subplotspec()
    ax.remove()
    sub = spec.subgridspec(nrows, ncols, **grid)
    return fig, [parent.add_subplot(sub[i, j]) for i in range(nrows) for j in range(ncols)]


def _titles(ax: Axes, title: str, subtitle: str | None = None) -> None:
    """A bold title with a quieter line under it, both left-aligned over ``ax``."""
    pad = 6
    if subtitle:
        # The title block starts at the axes' left edge, after the y tick
        # labels: wrap the subtitle to the width that is left (about half an em
        # a character), estimated from the longest label line.
        ticks = [line for t in ax.get_yticklabels() for line in t.get_text().split("\n")]
        label_pt = max([len(t) for t in ticks] + [4]) * TICK_SIZE * 0.55 + 40
        width_pt = ax.get_figure(root=True).get_figwidth() * 72 - label_pt - 24
        chars = max(40, int(width_pt / (SUBTITLE_SIZE * 0.52)))
        subtitle = "\n".join(textwrap.wrap(subtitle, chars))
        ax.annotate(subtitle, xy=(0, 1), xycoords="axes fraction", xytext=(0, pad),
                    textcoords="offset points", ha="left", va="bottom",
                    fontsize=SUBTITLE_SIZE, color=MUTED, annotation_clip=False)
        pad += SUBTITLE_SIZE * 1.35 * (subtitle.count("\n") + 1) + 4
    ax.set_title(title, loc="left", fontsize=TITLE_SIZE, fontweight="bold", color=INK, pad=pad)


def _style(ax: Axes, grid_axis: str = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    ax.tick_params(labelsize=TICK_SIZE, colors=INK, length=3)
    if grid_axis:
        ax.grid(axis=grid_axis, color="#ececec", linewidth=0.8)
        ax.set_axisbelow(True)


def _labels(ax: Axes, x: str, y: str) -> None:
    ax.set_xlabel(x, fontsize=LABEL_SIZE, color=INK)
    ax.set_ylabel(y, fontsize=LABEL_SIZE, color=INK)


def _message(ax: Axes, text: str) -> None:
    """A calm sentence in the middle of ``ax``, in place of a chart."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=12, color=MUTED, wrap=True)


def empty_figure(title: str, message: str, *, ax: Axes | None = None) -> Figure:
    """The empty state: the chart's title and what to do, centred; axes hidden."""
    fig, (ax,) = _panels(ax, (WIDTH, 3.0))
    _message(ax, message)
    ax.set_title(title, loc="left", fontsize=TITLE_SIZE, fontweight="bold", color=INK)
    return fig


def _hide_zero(container) -> None:
    """No outline for zero-length bars: a stray line would read as a tiny count."""
    for bar in container:
        if bar.get_width() == 0 or bar.get_height() == 0:
            bar.set_linewidth(0)


def _bar_labels(ax: Axes, container, fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
                skip_zero: bool = True, **kw) -> None:
    """The count at the end of each horizontal bar."""
    _hide_zero(container)
    values = [r.get_width() for r in container]
    ax.bar_label(container, labels=["" if (skip_zero and v == 0) else fmt(v) for v in values],
                 padding=3, fontsize=NOTE_SIZE, color=INK, **kw)


def _count_xlim(ax: Axes, high: float, room: float = 1.12) -> None:
    """Room for the counts after the longest bar; 1 or 2 never stretch across the chart."""
    ax.set_xlim(0, max(high, 4) * room + 0.5)


def _legend_below(ax: Axes, handles: list, ncols: int | None = None) -> None:
    """A legend under the x-axis label, where it can never cover a bar."""
    below = ax.transAxes + ScaledTranslation(0, -0.56, ax.get_figure(root=True).dpi_scale_trans)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0),
              bbox_transform=below, ncols=ncols or len(handles), fontsize=NOTE_SIZE,
              frameon=False, handlelength=2.2, columnspacing=1.6)


def _month_axis(ax: Axes, first: pd.Timestamp, last: pd.Timestamp) -> None:
    """Month ticks (at month starts, under bars centred there), at most nine shown.

    At least four months are always in view (earlier ones added), so a single
    month still reads as a month and not as a stretched-out day.
    """
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months < 4:
        first = first - pd.DateOffset(months=4 - months)
        months = 4
    step = next(s for s in (1, 2, 3, 4, 6, 12, 24, 36, 60, 120) if months / s <= 9)
    low, high = first - pd.Timedelta(days=20), last + pd.Timedelta(days=20)
    # The ticks MonthLocator(bymonth=range(1, 13, step)) / YearLocator(step // 12)
    # would place in this range, worked out once instead of at every draw.
    starts = pd.date_range(low.to_period("M").to_timestamp(), high, freq="MS")
    keep = ((starts.month - 1) % step == 0) if step < 12 else \
        ((starts.month == 1) & (starts.year % (step // 12) == 0))
    ticks = starts[keep & (starts >= low)]
    locator = FixedLocator(mdates.date2num(ticks))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.set_xlim(mdates.date2num(low), mdates.date2num(high))


def figure_to_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (for ``widgets.Image`` and downloads).

    The same bytes as ``fig.savefig(buf, format="png", dpi=dpi)``, drawn once:
    ``savefig`` draws a figure with a layout engine twice (once to lay it
    out, once to render), printing from the canvas lays out while rendering.
    """
    canvas = FigureCanvasAgg(fig)
    buf = io.BytesIO()
    old = fig.dpi
    fig.dpi = dpi
    try:
        canvas.print_png(buf)
    finally:
        fig.dpi = old
    return buf.getvalue()


# --------------------------------------------------------------------------
# a. Feedback themes: gaps and strengths


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
    title = "Feedback themes" + (f" across {_plural(applications, 'application')}"
                                 if applications else "")
    if counts.empty:
        return empty_figure("Feedback themes",
                            "No feedback yet: log it in step 1 and tag its themes.", ax=ax)
    mine = counts[~counts["competition"]]
    theirs = counts[counts["competition"]]
    # keep the themes mentioned most (gaps or strengths), still ordered by gaps
    mine = _cap(mine, top, "Other themes", ("gaps", "strengths"), by=("gaps", "strengths"))
    rows = len(mine) + len(theirs)
    fig, (ax,) = _panels(ax, (WIDTH, 2.1 + 0.5 * rows))
    _style(ax)
    y = np.arange(len(mine), dtype=float)
    y_comp = np.arange(len(theirs), dtype=float) + len(mine) + 0.6
    colours = [OTHER_COLOUR if o else theme_colour(t)
               for t, o in zip(mine.get("theme", pd.Series([""] * len(mine))).fillna(""),
                               mine["other"])]
    gaps = ax.barh(y - 0.2, mine["gaps"], height=0.38, color=colours, edgecolor=colours,
                   linewidth=0.8, label="gaps")
    strengths = ax.barh(y + 0.2, mine["strengths"], height=0.38,
                        color=[_lighter(c, 0.65) for c in colours], edgecolor=colours,
                        hatch="////", linewidth=0.8, label="strengths")
    for bar, colour in zip(strengths, colours):
        bar.set_hatchcolor(colour)
    _bar_labels(ax, gaps)
    _bar_labels(ax, strengths)
    ticks = list(y) + list(y_comp)
    names = [_wrap(l) for l in mine["label"]]
    if len(theirs):
        grey = theme_colour(COMPETITION)
        comp = ax.barh(y_comp, theirs["gaps"], height=0.5, color=_lighter(grey, 0.3),
                       edgecolor=grey, linewidth=0.8, label="competition")
        _bar_labels(ax, comp)
        if len(mine):
            ax.axhline(len(mine) - 0.2, color=FAINT, linewidth=1, linestyle=(0, (4, 3)))
        names += [f"{_wrap(l)}\n(not about you)" for l in theirs["label"]]
    ax.set_yticks(ticks, names)
    for tick in ax.get_yticklabels()[len(mine):]:
        tick.set_color(MUTED)
        tick.set_fontstyle("italic")
    ax.set_ylim(max(ticks) + 0.7, -0.7)
    high = float(max([0, *mine["gaps"], *mine["strengths"], *theirs["gaps"]]))
    _count_xlim(ax, high)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _labels(ax, "Times it came up in feedback", "Theme")
    handles = [Patch(facecolor="#555555", edgecolor="#555555", label="Gap: to work on"),
               Patch(facecolor=_lighter("#555555", 0.65), edgecolor="#555555", hatch="////",
                     hatchcolor="#555555", label="Strength: praised")]
    if len(theirs):
        handles.append(Patch(facecolor=_lighter(theme_colour(COMPETITION), 0.3),
                             edgecolor=theme_colour(COMPETITION),
                             label="Competition: not about you"))
    _legend_below(ax, handles)
    _titles(ax, title, "Most frequent gaps on top. Competition is kept apart: not about you.")
    return fig


# --------------------------------------------------------------------------
# b. Themes over time


def theme_trend_chart(trend: an.ThemeTrend, *, empty_message: str | None = None,
                      ax: Axes | None = None) -> Figure:
    """Per theme, gaps (solid) and strengths (hatched) per month.

    ``trend`` is :func:`analysis.theme_trend`; a dashed line marks each day
    an action on the theme was done.
    """
    if trend.empty:
        return empty_figure("Feedback themes over time", empty_message or
                            "No feedback yet: log it in step 1 and tag its themes.", ax=ax)
    monthly = trend.monthly
    themes = trend.themes
    fig, axes = _panels(ax, (WIDTH, 1.5 + 1.55 * len(themes)), nrows=len(themes), ncols=1,
                        hspace=0.08)
    first, last = monthly["month"].min(), monthly["month"].max()
    high = max(int(monthly[["gaps", "strengths"]].to_numpy().max()), 1)
    for i, (theme, panel) in enumerate(zip(themes, axes)):
        rows = monthly[monthly["theme"] == theme]
        colour = theme_colour(theme)
        x = mdates.date2num(rows["month"])
        _style(panel, "y")
        _hide_zero(panel.bar(x - 5, rows["gaps"], width=10, color=colour, edgecolor=colour,
                             linewidth=0.8, label="gaps"))
        _hide_zero(panel.bar(x + 5, rows["strengths"], width=10, color=_lighter(colour, 0.65),
                             edgecolor=colour, hatch="////", hatchcolor=colour, linewidth=0.8,
                             label="strengths"))
        # one dashed line per day an action was done (several that day would overlap);
        # added as plain artists: the x range is set below, they needn't update limits
        days = trend.actions.loc[trend.actions["theme"] == theme, "done_on"].dropna()
        on_x = panel.get_xaxis_transform()
        for day in np.unique(mdates.date2num(days)):
            panel.add_artist(Line2D([day, day], [0, 1], transform=on_x, color=INK,
                                    linewidth=1.2, linestyle=(0, (4, 2)), label="action done"))
        panel.set_ylim(0, high * 1.25 + 0.3)
        panel.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
        panel.text(0.005, 0.97, rows["label"].iloc[0], transform=panel.transAxes,
                   ha="left", va="top", fontsize=LABEL_SIZE, fontweight="bold", color=INK,
                   bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
        _month_axis(panel, first, last)
        if i < len(themes) - 1:
            panel.tick_params(labelbottom=False)
        panel.set_ylabel("Mentions", fontsize=LABEL_SIZE, color=INK)
    axes[-1].set_xlabel("Month the feedback came in", fontsize=LABEL_SIZE, color=INK)
    handles = [Patch(facecolor="#555555", label="Gap"),
               Patch(facecolor=_lighter("#555555", 0.65), edgecolor="#555555", hatch="////",
                     hatchcolor="#555555", label="Strength")]
    if len(trend.actions):
        handles.append(Line2D([], [], color=INK, linewidth=1.2, linestyle=(0, (4, 2)),
                              label="Action on it done"))
        sub = "Do they fade once you act on them? Dashed line: an action on that theme was done."
    else:
        sub = ("No action on these themes is done yet: "
               "once one is, a dashed line marks the day.")
    axes[0].legend(handles=handles, loc="upper right", fontsize=NOTE_SIZE, ncols=3,
                   frameon=True, framealpha=0.95, edgecolor="none")
    _titles(axes[0], "Top gap themes month by month", sub)
    return fig


# --------------------------------------------------------------------------
# c. Must-haves


def must_have_chart(summary: pd.DataFrame, *, applications: int | None = None, top: int = 12,
                    ax: Axes | None = None) -> Figure:
    """Per must-have: in how many jobs it was missing, present or unknown (stacked)."""
    if summary.empty or int(summary["checked"].sum()) == 0:
        return empty_figure(
            "Must-haves",
            "No jobs checked against your must-haves yet:\nname them and check each job in step 4.",
            ax=ax)
    rows = _cap(summary.reset_index(drop=True), top, "Other must-haves",
                ("present", "missing", "unknown", "checked"))
    rows["retired"] = rows["retired"].fillna(False).astype(bool)
    fig, (ax,) = _panels(ax, (WIDTH, 2.3 + 0.5 * len(rows)))
    _style(ax)
    y = np.arange(len(rows), dtype=float)
    parts = (("missing", dict(color=ALERT, edgecolor=ALERT)),
             ("unknown", dict(color="white", edgecolor="#8c8c8c", hatch="...")),
             ("present", dict(color="#c9d7e6", edgecolor="#7f9bb8")))
    left = np.zeros(len(rows))
    for status, style in parts:
        bars = ax.barh(y, rows[status], left=left, height=0.62, linewidth=0.8, label=status,
                       **style)
        for bar in bars:
            bar.set_hatchcolor("#8c8c8c")
        _hide_zero(bars)
        left = left + rows[status].to_numpy()
    # the answer to "how often missing?" in a column of its own, right-aligned
    for yi, (m, total) in enumerate(zip(rows["missing"], rows["checked"])):
        ax.text(1.0, yi, f"{m} of {total:,} missing ({m / total:.0%})" if total else "not checked",
                transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontsize=NOTE_SIZE, color=INK)
    names = [_wrap(n + (" (retired)" if r else ""), 30) for n, r in
             zip(rows["name"], rows["retired"])]
    ax.set_yticks(y, names)
    for tick, retired in zip(ax.get_yticklabels(), rows["retired"]):
        if retired:
            tick.set_color(MUTED)
            tick.set_fontstyle("italic")
    ax.set_ylim(len(rows) - 0.4, -0.6)
    high = float(rows["checked"].max())
    _count_xlim(ax, high, 1.55)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= max(high, 4)])
    _labels(ax, "Jobs checked", "Must-have")
    handles = [Patch(facecolor=ALERT, label="Missing"),
               Patch(facecolor="white", edgecolor="#8c8c8c", hatch="...",
                     hatchcolor="#8c8c8c", label="Unknown"),
               Patch(facecolor="#c9d7e6", edgecolor="#7f9bb8", label="Present")]
    _legend_below(ax, handles)
    jobs = f"{_plural(applications, 'job')} checked" if applications else "Jobs checked"
    _titles(ax, "Which must-haves the jobs you pursue are missing",
            f"{jobs}; most often missing first.")
    return fig


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
        return empty_figure(title, text, ax=ax)
    groups = [(kind, items[items["kind"].astype(str) == kind].reset_index(drop=True))
              for kind in ("liked", "concern")]
    n_rows = sum(len(g) for _, g in groups) + sum(1 for _, g in groups if len(g))
    fig, (ax,) = _panels(ax, (WIDTH, 2.0 + 0.4 * n_rows))
    _style(ax)
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
        bars = ax.barh(ys, group["count"], height=0.62,
                       color=colour if kind == "liked" else _lighter(colour, 0.6),
                       edgecolor=colour, hatch=None if kind == "liked" else "xx",
                       linewidth=0.8, label=kind)
        for bar in bars:
            bar.set_hatchcolor(colour)
        _bar_labels(ax, bars)
        ticks += list(ys)
        names += [_wrap(t, 34) for t in group["text"]]
        y0 = ys[-1] + 1.3
    ax.set_yticks(ticks, names)
    for i in headers:
        ax.get_yticklabels()[i].set_fontweight("bold")
        ax.get_yticklabels()[i].set_fontsize(LABEL_SIZE)
        ax.yaxis.get_major_ticks()[i].tick1line.set_visible(False)
    ax.set_ylim(max(ticks) + 0.6, -0.7)
    _count_xlim(ax, float(items["count"].max()))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _labels(ax, "Jobs it came up for", "")
    ax.set_ylabel("Item (your words)", fontsize=LABEL_SIZE, color=INK, labelpad=10)
    handles = [Patch(facecolor=LIKED, label="Liked"),
               Patch(facecolor=_lighter(CONCERN, 0.6), edgecolor=CONCERN, hatch="xx",
                     hatchcolor=CONCERN, label="Concern")]
    _legend_below(ax, handles)
    _titles(ax, title, (f"Items you noted for at least {min_count} jobs, "
                        "grouped ignoring case and punctuation.") if min_count > 1 else
            "Nothing has come up for two jobs yet; these are the items you noted so far.")
    return fig


# --------------------------------------------------------------------------
# e. Funnel


def funnel_chart(stages: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """How many applications reached each stage, where rejections stopped them."""
    total = int(stages["stopped"].sum()) if not stages.empty else 0
    if total == 0:
        return empty_figure("How far your applications got",
                            "No applications yet: add your first one to start.", ax=ax)
    fig, (ax,) = _panels(ax, (WIDTH, 4.2))
    _style(ax)
    y = np.arange(len(stages), dtype=float)
    ax.barh(y, stages["reached"], height=0.66, color="#c9d7e6", edgecolor=NEUTRAL,
                      linewidth=0.8, label="reached")
    ax.barh(y, stages["rejected"], height=0.66, color=NEUTRAL_DARK,
                       edgecolor=NEUTRAL_DARK, hatch="////", hatchcolor="#8fa6c1",
                       linewidth=0.8, label="rejected")
    high = float(stages["reached"].max())
    for yi, row in enumerate(stages.itertuples()):
        text = f"{row.reached:,} ({row.reached_share:.0%})"
        if not pd.isna(row.conversion):
            text += f"   {row.conversion:.0%} of the stage before"
        ax.text(row.reached + high * 0.015, yi, text, va="center", fontsize=NOTE_SIZE,
                color=INK)
    ax.set_yticks(y, [str(s).capitalize() for s in stages["stage"]])
    ax.set_ylim(len(stages) - 0.4, -0.6)
    ax.set_xlim(0, high * 1.55 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _labels(ax, "Applications", "Stage reached (at least)")
    rejections = int(stages["rejected"].sum())
    handles = [Patch(facecolor="#c9d7e6", edgecolor=NEUTRAL, label="Reached this stage"),
               Patch(facecolor=NEUTRAL_DARK, hatch="////", hatchcolor="#8fa6c1",
                     label="Rejected at this stage")]
    _legend_below(ax, handles)
    worst = stages.loc[stages["rejected"].idxmax()] if rejections else None
    if worst is None:
        sub = "No rejections recorded."
    elif rejections == 1:
        sub = f"1 rejection, at the {worst['stage']} stage."
    else:
        sub = (f"{rejections:,} rejections, most often at the {worst['stage']} stage "
               f"({int(worst['rejected']):,}).")
    _titles(ax, f"How far your {_plural(total, 'application')} got", sub)
    return fig


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
        return empty_figure("Your search month by month",
                            "No activity yet: add your first application to start.", ax=ax)
    fig, (top, bottom) = _panels(ax, (WIDTH, 5.6), nrows=2, ncols=1,
                                 height_ratios=(3, 1.25), hspace=0.05)
    first, last = monthly["month"].min(), monthly["month"].max()
    x = mdates.date2num(monthly["month"])
    width = 22 if len(monthly) <= 24 else 18
    _style(top, "y")
    top.bar(x, monthly["applications"], width=width, color="#dbe4ee", edgecolor="#9fb3c8",
            linewidth=0.8, label="Applications")
    small = len(monthly) <= 30
    for column, label, colour, marker, style in _SERIES:
        top.plot(x, monthly[column], color=colour, marker=marker if small else None,
                 markersize=5, linestyle=style, linewidth=1.6, label=label)
    top.set_ylim(0, max(float(monthly[["applications", *[s[0] for s in _SERIES]]]
                              .to_numpy().max()), 1) * 1.3 + 0.5)
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_ylabel("Count", fontsize=LABEL_SIZE, color=INK)
    top.legend(loc="upper left", fontsize=NOTE_SIZE, ncols=3, frameon=True, framealpha=0.95,
               edgecolor="none")
    _month_axis(top, first, last)
    top.tick_params(labelbottom=False)

    _style(bottom, "y")
    asked = monthly["feedback_asked"] > 0
    share = monthly["answer_rate"].where(asked)
    bottom.bar(x[asked.to_numpy()], share[asked], width=width, color="#1b7f5f", alpha=0.8,
               label="answered")
    if rate is not None and rate.share is not None:
        bottom.axhline(rate.share, color=INK, linewidth=1, linestyle=(0, (4, 2)))
        bottom.text(1.0, rate.share, f" all: {rate.share:.0%}", va="center", ha="left",
                    transform=bottom.get_yaxis_transform(), fontsize=NOTE_SIZE, color=INK)
    bottom.set_ylim(0, 1.05)
    bottom.yaxis.set_major_locator(FixedLocator([0, 0.5, 1]))
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    bottom.set_ylabel("Answered", fontsize=LABEL_SIZE, color=INK)
    bottom.set_xlabel("Month", fontsize=LABEL_SIZE, color=INK)
    _month_axis(bottom, first, last)
    now = pd.Timestamp(today or dt.date.today())
    if (last.year, last.month) == (now.year, now.month):
        for panel in (top, bottom):
            panel.axvspan(x[-1] - 15, x[-1] + 15, color="#f1f1f1", zorder=0, linewidth=0)
        top.text(x[-1], 0.985, "so far", transform=top.get_xaxis_transform(), ha="center",
                 va="top", fontsize=NOTE_SIZE, color=MUTED)
    answered = f"Feedback requests answered: {rate}." if rate is not None and rate.whole \
        else "No feedback requested yet."
    _titles(top, "Your search month by month", answered + " A polite no counts as an answer.")
    return fig


# --------------------------------------------------------------------------
# g. What's due


def due_chart(due: an.Due, *, top: int = 12, ax: Axes | None = None) -> Figure:
    """Reconnects on a timeline around today (above), action items by status (below)."""
    title = "What's due: reconnects and action items"
    if due.empty:
        return empty_figure(title, "Nothing due: no reconnects planned and no action items yet.\n"
                                   "Plan a reconnect in step 2 and turn lessons into actions "
                                   "in step 5.", ax=ax)
    shown = due.reconnects.head(top)
    fig, (upper, lower) = _panels(ax, (WIDTH, 3.6 + 0.34 * max(len(shown), 2)), nrows=2,
                                  ncols=1, height_ratios=(max(len(shown), 2) + 1.5, 3.2),
                                  hspace=0.12)
    start, end = (pd.Timestamp(d) for d in due.window)
    today = pd.Timestamp(due.today)

    if shown.empty:
        _message(upper, f"No reconnects planned between {start:%d %b} and {end:%d %b}.")
    else:
        _style(upper, "x")
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
        names = [_wrap(f"{c}: {r}", 46, 1) for c, r in
                 zip(shown["company"].fillna("?"), shown["recipient"].fillna(""))]
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
        locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
        upper.xaxis.set_major_locator(locator)
        dates = mdates.ConciseDateFormatter(locator, show_offset=False)
        dates.formats[2] = "%-d %b"  # "15 Dec"; the 1st of a month shows as "Dec"
        upper.xaxis.set_major_formatter(dates)
        _labels(upper, "Reconnect on", "Whom to contact")
        upper.legend(loc="upper right", fontsize=NOTE_SIZE, frameon=True, framealpha=0.95,
                     edgecolor="none")

    counts = due.action_counts
    if int(counts.sum()) == 0:
        _message(lower, "No action items yet: turn a lesson into an action in step 5.")
    else:
        _style(lower, "x")
        styles = {"overdue": dict(color=ALERT, edgecolor=ALERT),
                  "open": dict(color="white", edgecolor=NEUTRAL, hatch="////",
                               hatchcolor=NEUTRAL, linewidth=0.8),
                  "done": dict(color="#c9d7e6", edgecolor="#7f9bb8", linewidth=0.8)}
        names = {"overdue": "Overdue", "open": "Open, not yet due", "done": "Done"}
        for yi, status in enumerate(counts.index):
            bars = lower.barh([yi], [counts[status]], height=0.62, label=status,
                              **styles[status])
            _bar_labels(lower, bars, skip_zero=False)
        lower.set_yticks(np.arange(len(counts), dtype=float), [names[s] for s in counts.index])
        lower.set_ylim(len(counts) - 0.4, -0.6)
        _count_xlim(lower, float(counts.max()), 1.15)
        lower.xaxis.set_major_locator(MaxNLocator(integer=True))
        _labels(lower, "Action items", "Status")
    overdue = int(counts["overdue"])
    late = int(due.reconnects["late"].sum())
    sub = (f"Reconnects planned from {due.before} days ago to {due.ahead} days ahead"
           + (f", {late} of them late" if late else "") + "; "
           + (f"{_plural(overdue, 'action item')} overdue." if overdue
              else "no action item is overdue."))
    _titles(upper, title, sub)
    return fig


# --------------------------------------------------------------------------
# From a Data bundle to a Figure, for the dashboard


def draw_themes(data: an.Data) -> Figure:
    return theme_chart(an.theme_counts(data), applications=an.themed_applications(data))


def draw_theme_trend(data: an.Data) -> Figure:
    message = None if data.tags.empty else (
        "Nothing to follow over time yet: no dated feedback names a gap\n"
        "(strengths and competition aside).")
    return theme_trend_chart(an.theme_trend(data), empty_message=message)


def draw_must_haves(data: an.Data) -> Figure:
    return must_have_chart(an.must_have_summary(data),
                           applications=an.checked_applications(data))


def draw_liked_vs_concerns(data: an.Data) -> Figure:
    items = an.liked_vs_concerns(data)
    if items.empty and len(data.job_items):  # nothing recurs yet: show what is there
        return liked_vs_concerns_chart(an.liked_vs_concerns(data, min_count=1),
                                       listed=len(data.job_items), min_count=1)
    return liked_vs_concerns_chart(items, listed=len(data.job_items))


def draw_funnel(data: an.Data) -> Figure:
    return funnel_chart(an.funnel(data))


def draw_activity(data: an.Data) -> Figure:
    return activity_chart(an.activity_by_month(data), rate=an.answer_rate(data))


def draw_due(data: an.Data, today: dt.date | None = None) -> Figure:
    return due_chart(an.whats_due(data, today=today))


class ChartSpec(NamedTuple):
    title: str
    draw: Callable[[an.Data], Figure]


#: Every chart, in the order the dashboard shows them: name -> (title, draw(data)).
CHARTS: dict[str, ChartSpec] = {
    "themes": ChartSpec("Feedback themes", draw_themes),
    "theme_trend": ChartSpec("Themes over time", draw_theme_trend),
    "funnel": ChartSpec("How far you get", draw_funnel),
    "must_haves": ChartSpec("Must-haves", draw_must_haves),
    "liked_vs_concerns": ChartSpec("Liked vs concerns", draw_liked_vs_concerns),
    "activity": ChartSpec("Month by month", draw_activity),
    "due": ChartSpec("What's due", draw_due),
}

