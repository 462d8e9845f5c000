"""The trend charts: matplotlib Figures built from analysis frames, never pyplot.

Each ``*_chart`` function takes what :mod:`tappedin_widgets.analysis`
returns (plus an optional ``ax`` to draw into) and returns the Figure. No
global state is touched and nothing needs closing: a Figure made here is an
ordinary object that goes away with its last reference. Turn one into PNG
bytes with :func:`figure_to_png` (a ``widgets.Image`` shows those; see the
Voilà pitfall in DESIGN.md). The dashboard goes through :func:`render_charts`:
each chart's numbers once, and PNGs of those whose numbers changed, drawn
in two processes when there are two cores (:mod:`drawhelper`).

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

import collections
import colorsys
import dataclasses
import datetime as dt
import gc
import hashlib
import io
import textwrap
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import PIL.Image
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.layout_engine import LayoutEngine
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter
from matplotlib.transforms import ScaledTranslation

from . import analysis as an
from . import models
from .models import COMPETITION

__all__ = [
    "THEME_COLOURS", "theme_colour", "figure_to_png", "render_pngs", "empty_figure",
    "theme_chart", "theme_trend_chart", "must_have_chart", "liked_vs_concerns_chart",
    "funnel_chart", "activity_chart", "due_chart", "CHARTS", "ChartSpec", "render_charts",
    "numbers_fingerprint",
]

# --------------------------------------------------------------------------
# Look and feel

WIDTH = 8.0                 # inches; at dpi 110 a chart is 880 px wide
TITLE_SIZE = 13
SUBTITLE_SIZE = 10
LABEL_SIZE = 10
TICK_SIZE = 9.5
NOTE_SIZE = 9               # the smallest text any chart uses
PNG_COMPRESSION = 2         # zlib level: 6 (the default) is twice as slow, barely smaller
# FreeType's auto-hinter (matplotlib's default) snaps every glyph to the pixel
# grid, and costs about a fifth of drawing the text. At 110 dpi unhinted text
# reads as well and its widths are the font's own; the charts draw ~8 % faster.
TEXT_HINTING = "no_hinting"
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
    fig = Figure(figsize=figsize)
    fig.set_facecolor("white")
    return fig


class _Panels(NamedTuple):
    """A chart's figure and the axes it draws on, stacked top to bottom."""

    fig: Figure
    axes: list[Axes]
    owned: bool                       # the chart made the figure, so it lays it out
    ratios: Sequence[float] = (1.0,)  # panel heights, relative
    gaps: Sequence[float] = ()        # points between panels, beyond their x-axis


def _panels(ax: Axes | None, figsize: tuple[float, float], nrows: int = 1,
            ratios: Sequence[float] | None = None, gaps: Sequence[float] = ()) -> _Panels:
    """Axes to draw on, one above the other: a new figure's, or ``ax`` split in its place."""
    ratios = tuple(ratios or (1.0,) * nrows)
    if ax is None:
        fig = _figure(figsize)
        axes = [fig.add_axes((0.1, 0.1, 0.8, 0.8)) for _ in range(nrows)]  # placed when drawn
        return _Panels(fig, axes, True, ratios, gaps)
    fig = ax.get_figure(root=True)
    if nrows == 1:
        return _Panels(fig, [ax], False)
    parent = ax.get_figure(root=False)
    spec = ax.get_subplotspec()
    ax.remove()
    sub = spec.subgridspec(nrows, 1, height_ratios=ratios, hspace=0.1)
    return _Panels(fig, [parent.add_subplot(sub[i, 0]) for i in range(nrows)], False)


# A fixed layout, in points. Matplotlib's constrained layout measures every
# artist of a figure to find the margins, which took about 40 % of a chart's
# drawing; each chart here knows what sits around its axes, so the margins
# are worked out from the few texts there: the tick labels, axis labels,
# title block and a legend below.
PAD = 8.0                   # white around the chart
RIGHT = 18.0                # room for the last tick label, centred on the edge
TICK_LEN, TICK_PAD = 3.0, 3.5


class ChartLayout(LayoutEngine):
    """Places a column of panels so every text around them fits, and nothing more.

    Margins come from the y tick labels, axis labels, title block and the
    legend under the last panel, measured when the figure is drawn (the
    same measurements the drawing then reuses). Titles start at the figure's
    left edge, so a long label column never pushes them off the right.
    """

    _adjust_compatible = False
    _colorbar_gridspec = False

    def __init__(self, panels: _Panels, *, title: Any, subtitle: Any = None,
                 title_pad: float = 6.0, legend: Any = None, outside: Sequence[Any] = (),
                 right: float = RIGHT):
        super().__init__()
        self._params = {"right": right}
        self.panels, self.title, self.subtitle = panels, title, subtitle
        self.title_pad, self.legend, self.outside = title_pad, legend, list(outside)

    def set(self, *, right: float | None = None) -> None:
        if right is not None:
            self._params["right"] = right

    def execute(self, fig: Figure) -> None:
        px = 72 / fig.dpi  # measured in pixels, laid out in points
        axes = self.panels.axes
        labels = [_tick_labels(ax.xaxis) for ax in axes]
        ticks = [_ytick_width(ax, px) for ax in axes]
        ylabel = [(ax.yaxis.label.get_window_extent().width * px + ax.yaxis.labelpad)
                  if ax.axison and ax.get_ylabel() else 0.0 for ax in axes]
        # under each panel: tick marks, one line of tick labels, the axis label
        under = [(TICK_LEN + (TICK_PAD + found[0].get_window_extent().height * px
                              if found else 0.0)) if ax.axison else 0.0
                 for ax, found in zip(axes, labels)]
        below = [u + (ax.xaxis.labelpad + ax.xaxis.label.get_window_extent().height * px
                      if ax.axison and ax.get_xlabel() else 0.0)
                 for ax, u in zip(axes, under)]
        # the last tick label is centred on the right edge at most; texts set beside
        # the axes (starting at its right edge) need their whole width
        right = max([self._params["right"]]
                    + [found[-1].get_window_extent().width * px / 2 + 2
                       for found in labels if found]
                    + [_right_of(text) * px + PAD for text in self.outside])
        left = PAD + max(ticks) + max(ylabel)
        bottom = PAD + below[-1]
        if self.legend is not None:
            anchor = axes[-1].transAxes + ScaledTranslation(0, -(below[-1] + 8) / 72,
                                                            fig.dpi_scale_trans)
            self.legend.set_bbox_to_anchor((0.5, 0), transform=anchor)
            bottom += self.legend.get_window_extent().height * px + 8
        top = PAD + self.title_pad + TITLE_SIZE
        width, height = fig.get_figwidth() * 72, fig.get_figheight() * 72
        gaps = [b + g for b, g in zip(below, self.panels.gaps)]
        room = height - top - bottom - sum(gaps)
        ratios = self.panels.ratios
        y = height - top
        for i, ax in enumerate(axes):
            h = room * ratios[i] / sum(ratios)
            y -= h
            ax.set_position([left / width, y / height, (width - left - right) / width,
                             h / height])
            if i < len(gaps):
                y -= gaps[i]
            if ax.axison:  # labels at fixed offsets: matplotlib need not measure the ticks
                ax.yaxis.set_label_coords(0, 0.5, transform=ax.transAxes + ScaledTranslation(
                    -(max(ticks) + ax.yaxis.labelpad) / 72, 0, fig.dpi_scale_trans))
                ax.xaxis.set_label_coords(0.5, 0, transform=ax.transAxes + ScaledTranslation(
                    0, -(under[i] + ax.xaxis.labelpad) / 72, fig.dpi_scale_trans))
        # the title block starts at the figure's left edge, not at the axes'
        x = (PAD - left) / (width - left - right)
        self.title.set_x(x)
        if self.subtitle is not None:
            self.subtitle.set_x(x)


def _right_of(text: Any) -> float:
    """Pixels ``text`` reaches past the right edge of its axes, wherever that is now."""
    box = text.get_window_extent()
    return box.x1 - text.axes.get_window_extent().x1


def _tick_labels(axis: Any) -> list:
    """The tick labels ``axis`` draws (those of the ticks in view), in tick order."""
    if not axis.axes.axison:
        return []
    axis.get_majorticklabels()  # brings the ticks and their labels up to date
    locs = axis.get_majorticklocs()
    low, high = sorted(axis.get_view_interval())
    close = (high - low) * 1e-9
    return [tick.label1 for tick, loc in zip(axis.get_major_ticks(len(locs)), locs)
            if low - close <= loc <= high + close and tick.label1.get_visible()
            and tick.label1.get_text()]


def _ytick_width(ax: Axes, px: float) -> float:
    """Points the y tick labels and marks take left of ``ax``."""
    if not ax.axison:
        return 0.0
    labels = _tick_labels(ax.yaxis)
    widest = max((t.get_window_extent().width * px for t in labels), default=0.0)
    return widest + TICK_LEN + (TICK_PAD if labels else 0.0)


def _finish(panels: _Panels, title: str, subtitle: str | None = None, *,
            legend: Legend | None = None, outside: Sequence[Any] = ()) -> Figure:
    """The title block over the first panel and, for a figure the chart made, its layout.

    A bold title with a quieter line under it, both left-aligned: at the
    figure's edge when the chart lays the figure out, over the axes when it
    draws into someone else's. ``legend`` goes under the last panel,
    ``outside`` are texts set right of the axes (the layout makes room).
    """
    ax = panels.axes[0]
    pad = 6.0
    note = None
    if subtitle:
        width = ax.get_figure(root=True).get_figwidth() * 72 - 2 * PAD
        if not panels.owned:  # starts after the y tick labels: estimate what is left
            ticks = [line for t in ax.get_yticklabels() for line in t.get_text().split("\n")]
            width -= max([len(t) for t in ticks] + [4]) * TICK_SIZE * 0.55 + 40
        # about 0.55 em a character (a little more than DejaVu Sans needs on average)
        subtitle = "\n".join(textwrap.wrap(subtitle, max(40, int(width / (SUBTITLE_SIZE * 0.55)))))
        above = ScaledTranslation(0, pad / 72, ax.get_figure(root=True).dpi_scale_trans)
        note = ax.text(0, 1, subtitle, transform=ax.transAxes + above, ha="left", va="bottom",
                       fontsize=SUBTITLE_SIZE, color=MUTED)
        pad += SUBTITLE_SIZE * 1.35 * (subtitle.count("\n") + 1) + 4
    text = ax.set_title(title, loc="left", fontsize=TITLE_SIZE, fontweight="bold", color=INK,
                        pad=pad, y=1.0)
    if panels.owned:
        panels.fig.set_layout_engine(ChartLayout(panels, title=text, subtitle=note,
                                                 title_pad=pad, legend=legend,
                                                 outside=outside))
    return panels.fig


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
    panels = _panels(ax, (WIDTH, 3.0))
    _message(panels.axes[0], message)
    return _finish(panels, title)


def _each(value: Any, n: int) -> list:
    """One value per bar: a list as given, anything else repeated."""
    return list(value) if isinstance(value, (list, tuple, np.ndarray, pd.Series)) else [value] * n


def _bars(ax: Axes, where: Sequence[float], lengths: Sequence[float], *, thickness: float,
          horizontal: bool = True, start: Sequence[float] | None = None, label: str = "",
          color: Any, edgecolor: Any = "none", hatch: str | None = None,
          hatchcolor: Any = None, linewidth: float = 0.8, alpha: float | None = None,
          ) -> BarContainer:
    """Bars where ``ax.barh`` (or ``ax.bar``) would put them, drawn as one path per look.

    Returns the :class:`BarContainer` ``ax.barh`` would (added to
    ``ax.containers``, so the bars read back the same way: widths, colours,
    hatching), but its rectangles are not drawn one by one: bars that look
    alike are drawn together, as one path. The pixels are the same; a chart
    with hundreds of bars draws several times faster, and a hatch is
    rendered once per look rather than once per bar. Zero-length bars get no
    outline (a stray line would read as a tiny count) and are not drawn.
    """
    n = len(where)
    where = np.asarray(where, dtype=float)
    lengths = np.asarray(lengths, dtype=float)
    start = np.zeros(n) if start is None else np.asarray(start, dtype=float)
    faces, edges, hatches = _each(color, n), _each(edgecolor, n), _each(hatchcolor, n)
    rects, looks = [], {}
    for i in range(n):
        low, size = where[i] - thickness / 2, lengths[i]
        xy, w, h = ((start[i], low), size, thickness) if horizontal else \
            ((low, start[i]), thickness, size)
        rect = Rectangle(xy, w, h, facecolor=faces[i], edgecolor=edges[i], hatch=hatch,
                         hatchcolor=hatches[i], linewidth=linewidth if size else 0,
                         alpha=alpha, label="_nolegend_")
        rects.append(rect)
        if size:
            looks.setdefault((faces[i], edges[i], hatches[i]), []).append(rect)
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
    for (face, edge, hatch_colour), group in looks.items():
        for k in range(0, len(group), 150):  # Agg snaps paths of up to 1,024 points to pixels
            chunk = group[k:k + 150]
            low = np.array([r.get_xy() for r in chunk])
            size = np.array([(r.get_width(), r.get_height()) for r in chunk])
            verts = (low[:, None, :] + corners[None, :, :] * size[:, None, :]).reshape(-1, 2)
            codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO,
                             Path.CLOSEPOLY], len(chunk))
            patch = PathPatch(Path(verts, codes), facecolor=face, edgecolor=edge, hatch=hatch,
                              hatchcolor=hatch_colour, linewidth=linewidth, alpha=alpha,
                              label="_nolegend_")
            patch.sticky_edges.x.append(0) if horizontal else patch.sticky_edges.y.append(0)
            ax.add_artist(patch)  # add_patch would work out its data limits the slow way
            ax.update_datalim(verts)
    container = BarContainer(rects, datavalues=lengths,
                             orientation="horizontal" if horizontal else "vertical", label=label)
    ax.add_container(container)
    return container


def _bar_labels(ax: Axes, container: BarContainer, skip_zero: bool = True) -> None:
    """The count just past the end of each horizontal bar (plain texts: cheaper to draw
    than ``ax.bar_label``'s annotations)."""
    after = ax.transData + ScaledTranslation(3 / 72, 0, ax.get_figure(root=True).dpi_scale_trans)
    for bar, value in zip(container, container.datavalues):
        if value or not skip_zero:
            ax.text(bar.get_x() + bar.get_width(), bar.get_y() + bar.get_height() / 2,
                    f"{value:,.0f}", transform=after, ha="left", va="center",
                    fontsize=NOTE_SIZE, color=INK)


def _count_ticks() -> MaxNLocator:
    """A few round counts along an axis: the bars carry their own numbers, so the axis
    needs reference points only (and every tick is a gridline and a label to draw)."""
    return MaxNLocator(nbins=5, integer=True, min_n_ticks=3)


def _count_xlim(ax: Axes, high: float, room: float = 1.12) -> None:
    """Room for the counts after the longest bar; 1 or 2 never stretch across the chart."""
    ax.set_xlim(0, max(high, 4) * room + 0.5)


def _legend_below(ax: Axes, handles: list, ncols: int | None = None) -> Legend:
    """A legend under the x-axis label, where it can never cover a bar.

    Placed for a caller's figure at a fixed distance; :class:`ChartLayout`
    moves it to just under the axis label of a figure the chart made.
    """
    below = ax.transAxes + ScaledTranslation(0, -0.56, ax.get_figure(root=True).dpi_scale_trans)
    return ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0),
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

    Drawn once, at ``dpi``; the same pixels as ``fig.savefig(buf, format="png",
    dpi=dpi)`` with ``text.hinting`` set to :data:`TEXT_HINTING`. A figure
    with an opaque background (every chart here) is saved without the alpha
    channel, which only ever says "opaque", and with light compression:
    smaller files than savefig's, written in about half the time.
    """
    return _encode(*_rasterize(fig, dpi))


def render_pngs(makers: Mapping[str, Callable[[], Figure]], dpi: int = 110) -> dict[str, bytes]:
    """Make each figure and return its PNG bytes, by name (the trends tab goes
    through :func:`render_charts`, which uses this).

    The same bytes as ``figure_to_png(make())`` for each, made faster two ways:

    - A figure is thousands of objects in reference cycles. While one is made
      and drawn the cyclic collector is paused; right after, a collection of
      the youngest generation (only the objects made since) frees it. Left
      alone, the collector promotes half-built figures to the oldest
      generation, and every few charts a full collection walks the whole
      heap (pandas, matplotlib, widgets): about 75 ms at a time.
    - Pillow compresses without holding the GIL, so chart n is compressed on
      another core while chart n+1 is drawn.
    """
    return _render(makers.items(), dpi)


def _render(makers: Iterable[tuple[str, Callable[[], Figure]]], dpi: int) -> dict[str, bytes]:
    """:func:`render_pngs` over (name, make) pairs, taken one at a time."""
    pending: dict[str, Future[bytes]] = {}
    try:
        for name, make in makers:
            with models.collector_paused():
                image = _rasterize(make(), dpi)
            if gc.isenabled():  # unless the caller turned it off
                gc.collect(0)
            pending[name] = _encoder().submit(_encode, *image)
        return {name: job.result() for name, job in pending.items()}
    finally:
        for job in pending.values():
            job.cancel()


def _rasterize(fig: Figure, dpi: int) -> tuple[PIL.Image.Image, bool]:
    """The figure drawn by Agg at ``dpi`` (no copy of the pixels), and whether it is opaque."""
    canvas = FigureCanvasAgg(fig)
    old = fig.dpi
    fig.dpi = dpi
    try:
        with matplotlib.rc_context({"text.hinting": TEXT_HINTING}):
            canvas.draw()
        image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                                     "raw", "RGBA", 0, 1)
    finally:
        fig.dpi = old
    return image, bool(fig.patch.get_visible() and fig.patch.get_facecolor()[3] == 1)


def _encode(image: PIL.Image.Image, opaque: bool) -> bytes:
    if opaque:
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_COMPRESSION)
    return buf.getvalue()


_ENCODER: ThreadPoolExecutor | None = None


def _encoder() -> ThreadPoolExecutor:
    """One thread that compresses PNGs (made on first use, idle otherwise)."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tappedin-png")
    return _ENCODER


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
    panels = _panels(ax, (WIDTH, 2.1 + 0.5 * rows))
    ax = panels.axes[0]
    _style(ax)
    y = np.arange(len(mine), dtype=float)
    y_comp = np.arange(len(theirs), dtype=float) + len(mine) + 0.6
    colours = [OTHER_COLOUR if o else theme_colour(t)
               for t, o in zip(mine.get("theme", pd.Series([""] * len(mine))).fillna(""),
                               mine["other"])]
    gaps = _bars(ax, y - 0.2, mine["gaps"], thickness=0.38, color=colours, edgecolor=colours,
                 label="gaps")
    strengths = _bars(ax, y + 0.2, mine["strengths"], thickness=0.38,
                      color=[_lighter(c, 0.65) for c in colours], edgecolor=colours,
                      hatch="////", hatchcolor=colours, label="strengths")
    _bar_labels(ax, gaps)
    _bar_labels(ax, strengths)
    ticks = list(y) + list(y_comp)
    names = [_wrap(l) for l in mine["label"]]
    if len(theirs):
        grey = theme_colour(COMPETITION)
        comp = _bars(ax, y_comp, theirs["gaps"], thickness=0.5, color=_lighter(grey, 0.3),
                     edgecolor=grey, label="competition")
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
    ax.xaxis.set_major_locator(_count_ticks())
    _labels(ax, "Times it came up in feedback", "Theme")
    handles = [Patch(facecolor="#555555", edgecolor="#555555", label="Gap: to work on"),
               Patch(facecolor=_lighter("#555555", 0.65), edgecolor="#555555", hatch="////",
                     hatchcolor="#555555", label="Strength: praised")]
    if len(theirs):
        handles.append(Patch(facecolor=_lighter(theme_colour(COMPETITION), 0.3),
                             edgecolor=theme_colour(COMPETITION),
                             label="Competition: not about you"))
    return _finish(panels, title,
                   "Most frequent gaps on top. Competition is kept apart: not about you.",
                   legend=_legend_below(ax, handles))


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
    panels = _panels(ax, (WIDTH, 1.5 + 1.55 * len(themes)), nrows=len(themes),
                     gaps=(8.0,) * (len(themes) - 1))
    axes = panels.axes
    first, last = monthly["month"].min(), monthly["month"].max()
    high = max(int(monthly[["gaps", "strengths"]].to_numpy().max()), 1)
    for i, (theme, panel) in enumerate(zip(themes, axes)):
        rows = monthly[monthly["theme"] == theme]
        colour = theme_colour(theme)
        x = mdates.date2num(rows["month"])
        _style(panel, "y")
        _bars(panel, x - 5, rows["gaps"], thickness=10, horizontal=False, color=colour,
              edgecolor=colour, label="gaps")
        _bars(panel, x + 5, rows["strengths"], thickness=10, horizontal=False,
              color=_lighter(colour, 0.65), edgecolor=colour, hatch="////", hatchcolor=colour,
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
    return _finish(panels, "Top gap themes month by month", sub)


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
    panels = _panels(ax, (WIDTH, 2.3 + 0.5 * len(rows)))
    ax = panels.axes[0]
    _style(ax)
    y = np.arange(len(rows), dtype=float)
    parts = (("missing", dict(color=ALERT, edgecolor=ALERT)),
             ("unknown", dict(color="white", edgecolor="#8c8c8c", hatch="...")),
             ("present", dict(color="#c9d7e6", edgecolor="#7f9bb8")))
    left = np.zeros(len(rows))
    for status, style in parts:
        _bars(ax, y, rows[status], start=left, thickness=0.62, label=status,
              hatchcolor="#8c8c8c", **style)
        left = left + rows[status].to_numpy()
    # the answer to "how often missing?" in a column of its own, right of the bars
    beside = ax.get_yaxis_transform() + ScaledTranslation(
        8 / 72, 0, ax.get_figure(root=True).dpi_scale_trans)
    answers = [ax.text(1.0, yi, f"{m:,} of {total:,} missing ({m / total:.0%})" if total
                       else "not checked", transform=beside, ha="left", va="center",
                       fontsize=NOTE_SIZE, color=INK)
               for yi, (m, total) in enumerate(zip(rows["missing"], rows["checked"]))]
    names = [_wrap(n + (" (retired)" if r else ""), 30) for n, r in
             zip(rows["name"], rows["retired"])]
    ax.set_yticks(y, names)
    for tick, retired in zip(ax.get_yticklabels(), rows["retired"]):
        if retired:
            tick.set_color(MUTED)
            tick.set_fontstyle("italic")
    ax.set_ylim(len(rows) - 0.4, -0.6)
    _count_xlim(ax, float(rows["checked"].max()), 1.02)
    ax.xaxis.set_major_locator(_count_ticks())
    _labels(ax, "Jobs checked", "Must-have")
    handles = [Patch(facecolor=ALERT, label="Missing"),
               Patch(facecolor="white", edgecolor="#8c8c8c", hatch="...",
                     hatchcolor="#8c8c8c", label="Unknown"),
               Patch(facecolor="#c9d7e6", edgecolor="#7f9bb8", label="Present")]
    jobs = f"{_plural(applications, 'job')} checked" if applications else "Jobs checked"
    return _finish(panels, "Which must-haves the jobs you pursue are missing",
                   f"{jobs}; most often missing first.", legend=_legend_below(ax, handles),
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
        return empty_figure(title, text, ax=ax)
    groups = [(kind, items[items["kind"].astype(str) == kind].reset_index(drop=True))
              for kind in ("liked", "concern")]
    n_rows = sum(len(g) for _, g in groups) + sum(1 for _, g in groups if len(g))
    panels = _panels(ax, (WIDTH, 2.0 + 0.4 * n_rows))
    ax = panels.axes[0]
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
        bars = _bars(ax, ys, group["count"], thickness=0.62,
                     color=colour if kind == "liked" else _lighter(colour, 0.6),
                     edgecolor=colour, hatch=None if kind == "liked" else "xx",
                     hatchcolor=colour, label=kind)
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
    ax.xaxis.set_major_locator(_count_ticks())
    _labels(ax, "Jobs it came up for", "")
    ax.set_ylabel("Item (your words)", fontsize=LABEL_SIZE, color=INK, labelpad=10)
    handles = [Patch(facecolor=LIKED, label="Liked"),
               Patch(facecolor=_lighter(CONCERN, 0.6), edgecolor=CONCERN, hatch="xx",
                     hatchcolor=CONCERN, label="Concern")]
    return _finish(panels, title, (f"Items you noted for at least {min_count} jobs, "
                                   "grouped ignoring case and punctuation.") if min_count > 1
                   else "Nothing has come up for two jobs yet; these are the items you noted "
                        "so far.", legend=_legend_below(ax, handles))


# --------------------------------------------------------------------------
# e. Funnel


def funnel_chart(stages: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """How many applications reached each stage, where rejections stopped them."""
    total = int(stages["stopped"].sum()) if not stages.empty else 0
    if total == 0:
        return empty_figure("How far your applications got",
                            "No applications yet: add your first one to start.", ax=ax)
    panels = _panels(ax, (WIDTH, 4.2))
    ax = panels.axes[0]
    _style(ax)
    y = np.arange(len(stages), dtype=float)
    _bars(ax, y, stages["reached"], thickness=0.66, color="#c9d7e6", edgecolor=NEUTRAL,
          label="reached")
    _bars(ax, y, stages["rejected"], thickness=0.66, color=NEUTRAL_DARK, edgecolor=NEUTRAL_DARK,
          hatch="////", hatchcolor="#8fa6c1", label="rejected")
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
    ax.xaxis.set_major_locator(_count_ticks())
    _labels(ax, "Applications", "Stage reached (at least)")
    rejections = int(stages["rejected"].sum())
    handles = [Patch(facecolor="#c9d7e6", edgecolor=NEUTRAL, label="Reached this stage"),
               Patch(facecolor=NEUTRAL_DARK, hatch="////", hatchcolor="#8fa6c1",
                     label="Rejected at this stage")]
    legend = _legend_below(ax, handles)
    worst = stages.loc[stages["rejected"].idxmax()] if rejections else None
    if worst is None:
        sub = "No rejections recorded."
    elif rejections == 1:
        sub = f"1 rejection, at the {worst['stage']} stage."
    else:
        sub = (f"{rejections:,} rejections, most often at the {worst['stage']} stage "
               f"({int(worst['rejected']):,}).")
    return _finish(panels, f"How far your {_plural(total, 'application')} got", sub,
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
        return empty_figure("Your search month by month",
                            "No activity yet: add your first application to start.", ax=ax)
    panels = _panels(ax, (WIDTH, 5.6), nrows=2, ratios=(3, 1.25), gaps=(7.0,))
    top, bottom = panels.axes
    first, last = monthly["month"].min(), monthly["month"].max()
    x = mdates.date2num(monthly["month"])
    width = 22 if len(monthly) <= 24 else 18
    _style(top, "y")
    _bars(top, x, monthly["applications"], thickness=width, horizontal=False, color="#dbe4ee",
          edgecolor="#9fb3c8", label="Applications")
    small = len(monthly) <= 30
    for column, label, colour, marker, style in _SERIES:
        top.plot(x, monthly[column], color=colour, marker=marker if small else None,
                 markersize=5, linestyle=style, linewidth=1.6, label=label)
    top.set_ylim(0, max(float(monthly[["applications", *[s[0] for s in _SERIES]]]
                              .to_numpy().max()), 1) * 1.3 + 0.5)
    top.yaxis.set_major_locator(_count_ticks())
    top.set_ylabel("Count", fontsize=LABEL_SIZE, color=INK)
    top.legend(loc="upper left", fontsize=NOTE_SIZE, ncols=3, frameon=True, framealpha=0.95,
               edgecolor="none")
    _month_axis(top, first, last)
    top.tick_params(labelbottom=False)

    _style(bottom, "y")
    asked = monthly["feedback_asked"] > 0
    share = monthly["answer_rate"].where(asked)
    _bars(bottom, x[asked.to_numpy()], share[asked], thickness=width, horizontal=False,
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
    _month_axis(bottom, first, last)
    now = pd.Timestamp(today or dt.date.today())
    if (last.year, last.month) == (now.year, now.month):
        for panel in (top, bottom):
            panel.axvspan(x[-1] - 15, x[-1] + 15, color="#f1f1f1", zorder=0, linewidth=0)
        top.text(x[-1], 0.985, "so far", transform=top.get_xaxis_transform(), ha="center",
                 va="top", fontsize=NOTE_SIZE, color=MUTED)
    answered = f"Feedback requests answered: {rate}." if rate is not None and rate.whole \
        else "No feedback requested yet."
    return _finish(panels, "Your search month by month",
                   answered + " A polite no counts as an answer.", outside=outside)


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
    panels = _panels(ax, (WIDTH, 3.6 + 0.34 * max(len(shown), 2)), nrows=2,
                     ratios=(max(len(shown), 2) + 1.5, 3.2), gaps=(22.0,))
    upper, lower = panels.axes
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
        styles = {"overdue": dict(color=ALERT, edgecolor=ALERT, linewidth=1.0),
                  "open": dict(color="white", edgecolor=NEUTRAL, hatch="////",
                               hatchcolor=NEUTRAL),
                  "done": dict(color="#c9d7e6", edgecolor="#7f9bb8")}
        names = {"overdue": "Overdue", "open": "Open, not yet due", "done": "Done"}
        for yi, status in enumerate(counts.index):
            bars = _bars(lower, [yi], [counts[status]], thickness=0.62, label=status,
                         **styles[status])
            _bar_labels(lower, bars, skip_zero=False)
        lower.set_yticks(np.arange(len(counts), dtype=float), [names[s] for s in counts.index])
        lower.set_ylim(len(counts) - 0.4, -0.6)
        _count_xlim(lower, float(counts.max()), 1.15)
        lower.xaxis.set_major_locator(_count_ticks())
        _labels(lower, "Action items", "Status")
    overdue = int(counts["overdue"])
    late = int(due.reconnects["late"].sum())
    sub = (f"Reconnects planned up to {due.ahead} days ahead, late ones included"
           + (f", {late} of them late" if late else "") + "; "
           + (f"{_plural(overdue, 'action item')} overdue." if overdue
              else "no action item is overdue."))
    return _finish(panels, title, sub)


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


# --------------------------------------------------------------------------
# The coach's cohort charts: counts over many job seekers (cohort.CohortStats)

COHORT_MIN_NOTE = "Nothing to show yet: no figure here has {k} or more job seekers behind it."


def _cohort_bars(title: str, subtitle: str, labels: Sequence[str], values: Sequence[int],
                 xlabel: str, ylabel: str, colour: str) -> Figure:
    """One horizontal bar per label, its count at the end, in the dashboard's look."""
    panels = _panels(None, (WIDTH, 1.8 + 0.42 * len(labels)))
    ax = panels.axes[0]
    _style(ax)
    y = np.arange(len(labels), dtype=float)
    _bar_labels(ax, _bars(ax, y, values, thickness=0.62, color=colour, edgecolor=colour))
    ax.set_yticks(y, list(labels))
    ax.set_ylim(len(labels) - 0.4, -0.6)
    _count_xlim(ax, float(max(values)))
    ax.xaxis.set_major_locator(_count_ticks())
    _labels(ax, xlabel, ylabel)
    return _finish(panels, title, subtitle)


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
    panels = _panels(None, (WIDTH, 2.1 + 0.5 * len(wide)))
    ax = panels.axes[0]
    _style(ax)
    y = np.arange(len(wide), dtype=float)
    colours = [theme_colour(t) for t in wide["theme"]]
    _bar_labels(ax, _bars(ax, y - 0.2, wide["-"], thickness=0.38, color=colours,
                          edgecolor=colours, label="gaps"))
    _bar_labels(ax, _bars(ax, y + 0.2, wide["+"], thickness=0.38,
                          color=[_lighter(c, 0.65) for c in colours], edgecolor=colours,
                          hatch="////", hatchcolor=colours, label="strengths"))
    ax.set_yticks(y, [_wrap(label) for label in wide["label"]])
    ax.set_ylim(len(wide) - 0.3, -0.7)
    _count_xlim(ax, float(wide[["-", "+"]].to_numpy().max()))
    ax.xaxis.set_major_locator(_count_ticks())
    _labels(ax, "Times feedback named the theme", "Theme")
    handles = [Patch(facecolor="#555555", edgecolor="#555555", label="Gap"),
               Patch(facecolor=_lighter("#555555", 0.65), edgecolor="#555555", hatch="////",
                     hatchcolor="#555555", label="Strength")]
    return _finish(panels, title, "Gaps and strengths interviewers named, summed over the cohort",
                   legend=_legend_below(ax, handles))


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


class ChartSpec(NamedTuple):
    """One dashboard chart: its card's title, its numbers, and how they are drawn."""

    title: str
    numbers: Callable[[an.Data], Numbers]  # the analysis: the keyword arguments of plot
    plot: Callable[..., Figure]            # the figure, from those numbers alone
    table: Callable[[Numbers], pd.DataFrame]  # the numbers as one table (the CSV download)

    def draw(self, data: an.Data) -> Figure:
        return self.plot(**self.numbers(data))


#: Every chart, in the order the dashboard shows them.
CHARTS: dict[str, ChartSpec] = {
    "themes": ChartSpec("Feedback themes", theme_numbers, theme_chart, _first),
    "theme_trend": ChartSpec("Themes over time", theme_trend_numbers, theme_trend_chart,
                             _theme_trend_table),
    "funnel": ChartSpec("How far you get", funnel_numbers, funnel_chart, _first),
    "must_haves": ChartSpec("Must-haves", must_have_numbers, must_have_chart, _first),
    "liked_vs_concerns": ChartSpec("Liked vs concerns", liked_vs_concerns_numbers,
                                   liked_vs_concerns_chart, _first),
    "activity": ChartSpec("Month by month", activity_numbers, activity_chart, _first),
    "due": ChartSpec("What's due", due_numbers, due_chart, _due_table),
}


class Drawn(NamedTuple):
    """A chart drawn for the dashboard: the image, its numbers as CSV, and their digest."""

    png: bytes
    table: pd.DataFrame
    fingerprint: str


def render_charts(data: an.Data, shown: Mapping[str, str | None] | None = None,
                  dpi: int = 110) -> dict[str, Drawn]:
    """What the trends tab does: every chart's numbers, and a PNG of those that changed.

    ``shown`` maps a chart's name to the fingerprint of what is on screen;
    a chart whose numbers have the same fingerprint is left out of the
    result. The numbers are computed once per chart, for the figure, the CSV
    and the fingerprint alike.
    """
    shown = shown or {}
    numbers, fingerprints = {}, {}
    for name, spec in CHARTS.items():
        numbers[name] = spec.numbers(data)
        fingerprint = numbers_fingerprint(name, numbers[name])
        if fingerprint != shown.get(name):
            fingerprints[name] = fingerprint
    pngs = _share(list(fingerprints), numbers, dpi)
    return {name: Drawn(pngs[name], CHARTS[name].table(numbers[name]), fingerprint)
            for name, fingerprint in fingerprints.items()}


def _share(names: list[str], numbers: dict[str, Numbers], dpi: int) -> dict[str, bytes]:
    """PNGs of ``names``, drawn here from the front of the list and, when it is up,
    by the helper process (:mod:`drawhelper`) from the back."""
    from . import drawhelper

    def here(queue: collections.deque[str]) -> dict[str, bytes]:
        def take() -> Iterator[tuple[str, Callable[[], Figure]]]:
            while True:
                try:
                    name = queue.popleft()
                except IndexError:
                    return
                yield name, partial(CHARTS[name].plot, **numbers[name])

        return _render(take(), dpi)

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

