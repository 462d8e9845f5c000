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

The package's modules, each over the one before: :mod:`.style` (look and feel,
layout, shared drawing helpers), :mod:`.rendering` (Figure -> PNG),
:mod:`.drawing` and :mod:`.cohort` (the charts), :mod:`.registry` (the dashboard:
numbers, fingerprints, render order). Views import from here.
"""


from __future__ import annotations

from .cohort import cohort_must_haves_chart, cohort_stops_chart, cohort_themes_chart
from .drawing import (
    activity_chart,
    due_chart,
    funnel_chart,
    liked_vs_concerns_chart,
    must_have_chart,
    theme_chart,
    theme_trend_chart,
)
from .registry import CHARTS, ChartSpec, Drawn, Numbers, numbers_fingerprint, render_charts
from .rendering import figure_to_png, render_pngs
from .style import TEXT_HINTING, THEME_COLOURS, empty_figure, theme_colour

__all__ = [
    "THEME_COLOURS", "TEXT_HINTING", "theme_colour", "figure_to_png", "render_pngs",
    "empty_figure", "theme_chart", "theme_trend_chart", "must_have_chart",
    "liked_vs_concerns_chart", "funnel_chart", "activity_chart", "due_chart",
    "cohort_themes_chart", "cohort_must_haves_chart", "cohort_stops_chart", "CHARTS",
    "ChartSpec", "Drawn", "Numbers", "render_charts", "numbers_fingerprint",
]
