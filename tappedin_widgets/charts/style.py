"""How every chart looks: sizes, colours (one per feedback theme), the fixed layout
engine, and the small drawing helpers the charts share."""

from __future__ import annotations

import colorsys
import hashlib
import textwrap
from collections.abc import Sequence
from typing import Any, NamedTuple

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgb
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.layout_engine import LayoutEngine
from matplotlib.legend import Legend
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator, MaxNLocator
from matplotlib.transforms import ScaledTranslation

# --------------------------------------------------------------------------
# Look and feel

# A chart is drawn at the width it is shown, so its text is never scaled down on
# screen: a browser shrinking an 880 px image into a 480 px card made 9 pt text
# 7-8 px tall. At 110 dpi, 1 pt is 1.53 px: the smallest text below is 11.5 px.
WIDTH = 8.0                 # inches: a chart alone on its row (880 px; the coach view)
CARD_WIDTH = 4.35           # inches: a Trends card, two to a row (478 px, as wide as shown)
DPI = 110
TITLE_SIZE = 10.5
SUBTITLE_SIZE = 8
LABEL_SIZE = 8
TICK_SIZE = 7.75
NOTE_SIZE = 7.5             # the smallest text any chart uses (11.5 px at DPI)
MESSAGE_SIZE = 9.5          # the sentence an empty chart shows instead
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


def lighter(colour: str, amount: float = 0.6) -> str:
    r, g, b = to_rgb(colour)
    return to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def wrap_label(label: str, width: int = WRAP, lines: int = 2) -> str:
    return "\n".join(textwrap.wrap(str(label), width, max_lines=lines, placeholder=" …")) or " "


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


def make_panels(ax: Axes | None, figsize: tuple[float, float], nrows: int = 1,
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
                 for ax, found in zip(axes, labels, strict=False)]
        below = [u + (ax.xaxis.labelpad + ax.xaxis.label.get_window_extent().height * px
                      if ax.axison and ax.get_xlabel() else 0.0)
                 for ax, u in zip(axes, under, strict=False)]
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
        gaps = [b + g for b, g in zip(below, self.panels.gaps, strict=False)]
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
    return [tick.label1 for tick, loc in zip(axis.get_major_ticks(len(locs)), locs, strict=False)
            if low - close <= loc <= high + close and tick.label1.get_visible()
            and tick.label1.get_text()]


def _ytick_width(ax: Axes, px: float) -> float:
    """Points the y tick labels and marks take left of ``ax``."""
    if not ax.axison:
        return 0.0
    labels = _tick_labels(ax.yaxis)
    widest = max((t.get_window_extent().width * px for t in labels), default=0.0)
    return widest + TICK_LEN + (TICK_PAD if labels else 0.0)


def finish(panels: _Panels, title: str, subtitle: str | None = None, *,
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


def style_axes(ax: Axes, grid_axis: str = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    ax.tick_params(labelsize=TICK_SIZE, colors=INK, length=3)
    if grid_axis:
        ax.grid(axis=grid_axis, color="#ececec", linewidth=0.8)
        ax.set_axisbelow(True)


def axis_labels(ax: Axes, x: str, y: str) -> None:
    ax.set_xlabel(x, fontsize=LABEL_SIZE, color=INK)
    ax.set_ylabel(y, fontsize=LABEL_SIZE, color=INK)


def show_message(ax: Axes, text: str) -> None:
    """A calm sentence in the middle of ``ax``, in place of a chart."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=MESSAGE_SIZE, color=MUTED, wrap=True)


def empty_figure(title: str, message: str, *, ax: Axes | None = None,
                 width: float = WIDTH) -> Figure:
    """The empty state: the chart's title and what to do, centred; axes hidden."""
    panels = make_panels(ax, (width, 2.2))
    show_message(panels.axes[0], message)
    return finish(panels, title)


def _each(value: Any, n: int) -> list:
    """One value per bar: a list as given, anything else repeated."""
    return list(value) if isinstance(value, (list, tuple, np.ndarray, pd.Series)) else [value] * n


def draw_bars(ax: Axes, where: Sequence[float], lengths: Sequence[float], *, thickness: float,
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


def label_bars(ax: Axes, container: BarContainer, skip_zero: bool = True) -> None:
    """The count just past the end of each horizontal bar (plain texts: cheaper to draw
    than ``ax.bar_label``'s annotations)."""
    after = ax.transData + ScaledTranslation(3 / 72, 0, ax.get_figure(root=True).dpi_scale_trans)
    for bar, value in zip(container, container.datavalues, strict=False):
        if value or not skip_zero:
            ax.text(bar.get_x() + bar.get_width(), bar.get_y() + bar.get_height() / 2,
                    f"{value:,.0f}", transform=after, ha="left", va="center",
                    fontsize=NOTE_SIZE, color=INK)


def count_ticks() -> MaxNLocator:
    """A few round counts along an axis: the bars carry their own numbers, so the axis
    needs reference points only (and every tick is a gridline and a label to draw)."""
    return MaxNLocator(nbins=5, integer=True, min_n_ticks=3)


def count_xlim(ax: Axes, high: float, room: float = 1.12) -> None:
    """Room for the counts after the longest bar; 1 or 2 never stretch across the chart."""
    ax.set_xlim(0, max(high, 4) * room + 0.5)


def legend_below(ax: Axes, handles: list, ncols: int | None = None) -> Legend:
    """A legend under the x-axis label, where it can never cover a bar.

    Placed for a caller's figure at a fixed distance; :class:`ChartLayout`
    moves it to just under the axis label of a figure the chart made.
    """
    below = ax.transAxes + ScaledTranslation(0, -0.56, ax.get_figure(root=True).dpi_scale_trans)
    return ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0),
                     bbox_transform=below, ncols=ncols or len(handles), fontsize=NOTE_SIZE,
                     frameon=False, handlelength=1.8, columnspacing=1.2)


def month_axis(ax: Axes, first: pd.Timestamp, last: pd.Timestamp) -> None:
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
