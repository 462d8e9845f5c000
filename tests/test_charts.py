"""The charts: assertions on the artists they draw, never on pixels."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import matplotlib.pyplot as plt  # only to prove the charts never use it
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from tappedin_widgets import analysis as an
from tappedin_widgets import charts
from tappedin_widgets.analysis import Data
from tappedin_widgets.charts import drawing, style
from tappedin_widgets.models import BUILTIN_THEMES, THEME_IDS

TODAY = pd.Timestamp.today().normalize()


def synthetic_data(n: int, seed: int = 1) -> Data:
    """``n`` applications over about two and a half years, with plausible children."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n + 1)
    applied = TODAY - pd.to_timedelta(np.sort(rng.integers(5, 900, n))[::-1], unit="D")
    stage = rng.choice(an.STAGES, n, p=[0.35, 0.3, 0.24, 0.09, 0.02])
    outcome = np.where(stage == "offer", "accepted",
                       rng.choice(["rejected", "open", "withdrawn"], n, p=[0.8, 0.12, 0.08]))
    outcome_on = pd.Series(applied + pd.to_timedelta(rng.integers(5, 60, n), unit="D"))
    outcome_on = outcome_on.clip(upper=TODAY).where(outcome != "open")
    applications = pd.DataFrame({
        "id": ids, "company": [f"Company {i}" for i in ids],
        "role": rng.choice(["Product Analyst", "Data Engineer", "Product Manager"], n),
        "source": rng.choice(["referral", "job board", "recruiter"], n),
        "applied_on": applied, "stage": stage, "outcome": outcome, "outcome_on": outcome_on})
    rejected = applications[applications["outcome"] == "rejected"]
    fb_apps = rejected[rng.random(len(rejected)) < 0.6]
    got = rng.random(len(fb_apps)) < 0.65
    feedback = pd.DataFrame({
        "id": np.arange(1, len(fb_apps) + 1), "application_id": fb_apps["id"].to_numpy(),
        "requested_on": fb_apps["outcome_on"].to_numpy(),
        "received_on": pd.Series(fb_apps["outcome_on"].to_numpy() + pd.Timedelta(days=3)
                                 ).where(got).to_numpy(),
        "declined": got & (rng.random(len(fb_apps)) < 0.08)})
    themes = [*THEME_IDS, "portfolio_depth"]
    answered = feedback[feedback["received_on"].notna()]
    tags = pd.DataFrame({
        "feedback_id": np.repeat(answered["id"].to_numpy(), 2),
        "theme": rng.choice(themes, 2 * len(answered)),
        "polarity": rng.choice(["+", "-"], 2 * len(answered))})
    competition = pd.DataFrame({"feedback_id": answered["id"].to_numpy()[::5],
                                "theme": "competition", "polarity": "-"})
    tags = pd.concat([tags, competition]).drop_duplicates(["feedback_id", "theme", "polarity"])
    themes_frame = pd.concat([an._builtin_themes(), pd.DataFrame([{
        "id": "portfolio_depth", "label": "Portfolio depth", "builtin": False}])],
        ignore_index=True)
    noted = rejected[rng.random(len(rejected)) < 0.4]
    sent = noted["outcome_on"] + pd.Timedelta(days=1)
    follow_ups = pd.DataFrame({
        "application_id": noted["id"], "recipient": [f"Person {i}" for i in noted["id"]],
        "body": "Thank you", "status": "sent", "sent_on": sent,
        "reconnect_on": sent + pd.Timedelta(days=90)})
    items = pd.DataFrame({
        "application_id": rng.choice(ids, 2 * n) if n else [],
        "kind": rng.choice(["liked", "concern"], 2 * n),
        "text": rng.choice(["Fully remote", "fully remote!", "Long commute", "On-call rotation",
                            "Small, senior team", "Vague roadmap"], 2 * n)})
    must_haves = pd.DataFrame({"id": [1, 2, 3], "name": ["Remote", "Salary", "Mentor"]})
    checks = pd.DataFrame([(a, m) for a in ids for m in (1, 2, 3)],
                          columns=["application_id", "must_have_id"])
    checks["status"] = rng.choice(["present", "missing", "unknown"], len(checks))
    due = TODAY - pd.to_timedelta(rng.integers(-60, 800, 40), unit="D")
    actions = pd.DataFrame({
        "application_id": rng.choice(ids, 40) if n else None, "theme": rng.choice(themes[:6], 40),
        "action": [f"Action {k}" for k in range(40)], "due_on": due,
        "done_on": due.where((due < TODAY) & (rng.random(40) < 0.8))})
    return Data.from_frames(applications=applications, feedback=feedback, tags=tags,
                            follow_ups=follow_ups, job_items=items, must_haves=must_haves,
                            must_have_checks=checks, action_items=actions, themes=themes_frame)


@pytest.fixture(scope="module")
def data() -> Data:
    return synthetic_data(60, seed=3)


@pytest.fixture(scope="module")
def one() -> Data:
    """A single rejection with one of everything the charts count."""
    day = TODAY - pd.Timedelta(days=30)
    return Data.from_frames(
        applications=[{"id": 1, "company": "Northwind", "role": "Analyst", "applied_on": day,
                       "stage": "interview", "outcome": "rejected",
                       "outcome_on": day + pd.Timedelta(days=10)}],
        feedback=[{"id": 1, "application_id": 1, "requested_on": day + pd.Timedelta(days=10),
                   "received_on": day + pd.Timedelta(days=12)}],
        tags=[{"feedback_id": 1, "theme": "examples_results", "polarity": "-"},
              {"feedback_id": 1, "theme": "communication", "polarity": "+"}],
        follow_ups=[{"application_id": 1, "recipient": "Dana", "body": "Thanks", "status": "sent",
                     "sent_on": day + pd.Timedelta(days=11),
                     "reconnect_on": TODAY + pd.Timedelta(days=40)}],
        job_items=[{"application_id": 1, "kind": "liked", "text": "Small team"}],
        must_haves=[{"id": 1, "name": "Remote"}],
        must_have_checks=[{"application_id": 1, "must_have_id": 1, "status": "missing"}],
        action_items=[{"application_id": 1, "theme": "examples_results", "action": "STAR",
                       "due_on": TODAY + pd.Timedelta(days=7)}])


# --------------------------------------------------------------------------
# Helpers over artists


def bars(fig: Figure, label: str) -> list:
    return [bar for ax in fig.axes for c in ax.containers if c.get_label() == label for bar in c]


def widths(fig: Figure, label: str) -> list[float]:
    return [b.get_width() for b in bars(fig, label)]


def texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in texts(fig))


def visible_axes(fig: Figure) -> list:
    return [ax for ax in fig.axes if ax.axison]


def drawn_ticks(axis) -> list[Text]:
    """The tick labels an axis draws: those of its ticks in view."""
    low, high = sorted(axis.get_view_interval())
    return [label for loc, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels(),
                                        strict=False)
            if low - 1e-9 <= loc <= high + 1e-9 and label.get_visible() and label.get_text()]


# --------------------------------------------------------------------------
# Colours


def test_every_builtin_theme_has_its_own_fixed_colour():
    colours = [charts.theme_colour(t.id) for t in BUILTIN_THEMES]
    assert len(set(colours)) == len(colours) == len(BUILTIN_THEMES)
    assert charts.theme_colour("competition") == charts.THEME_COLOURS["competition"]


def test_custom_theme_colours_are_stable_across_sessions():
    code = "from tappedin_widgets.charts import theme_colour as c; print(c('portfolio_depth'))"
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}
                           ).stdout.strip() for seed in ("1", "2")}
    assert seen == {charts.theme_colour("portfolio_depth")}
    assert charts.theme_colour("portfolio_depth") != charts.theme_colour("portfolio_breadth")
    assert to_hex(charts.theme_colour("x_theme")) == charts.theme_colour("x_theme")


def test_the_same_theme_has_the_same_colour_in_two_charts(data):
    counts = an.theme_counts(data)
    trend = an.theme_trend(data, themes=["examples_results", "portfolio_depth"])
    fig_counts = charts.theme_chart(counts, top=len(counts))
    fig_trend = charts.theme_trend_chart(trend)
    order = counts[~counts["competition"]]["theme"].tolist()
    for theme in ("examples_results", "portfolio_depth"):
        in_counts = to_hex(bars(fig_counts, "gaps")[order.index(theme)].get_facecolor())
        panel = trend.themes.index(theme)
        in_trend = to_hex(fig_trend.axes[panel].containers[0][0].get_facecolor())
        assert in_counts == in_trend == charts.theme_colour(theme)


# --------------------------------------------------------------------------
# a. Themes


def test_theme_chart_bars_are_the_counts_and_competition_apart(data):
    counts = an.theme_counts(data)
    fig = charts.theme_chart(counts, applications=an.themed_applications(data), top=20)
    mine = counts[~counts["competition"]]
    assert widths(fig, "gaps") == mine["gaps"].tolist()
    assert widths(fig, "strengths") == mine["strengths"].tolist()
    assert widths(fig, "competition") == counts[counts["competition"]]["gaps"].tolist()
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == (
        f"Feedback themes across {an.themed_applications(data)} applications")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1].startswith("Competition") and "not about you" in labels[-1]
    # strengths and gaps differ without colour: strengths are hatched, gaps are not
    assert {b.get_hatch() for b in bars(fig, "strengths")} == {"////"}
    assert {b.get_hatch() for b in bars(fig, "gaps")} == {None}
    assert "Competition: not about you" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_theme_chart_caps_categories_with_an_other_row(data):
    counts = an.theme_counts(data)
    fig = charts.theme_chart(counts, top=5)
    mine = counts[~counts["competition"]]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(bars(fig, "gaps")) == 5
    assert labels[4] == f"Other themes ({len(mine) - 4})"
    assert sum(widths(fig, "gaps")) == mine["gaps"].sum()


# --------------------------------------------------------------------------
# Other charts


def test_trend_chart_marks_done_actions(data):
    trend = an.theme_trend(data)
    fig = charts.theme_trend_chart(trend)
    assert len(visible_axes(fig)) == len(trend.themes)
    for panel, theme in zip(fig.axes, trend.themes, strict=False):
        rows = trend.monthly[trend.monthly["theme"] == theme]
        assert [b.get_height() for b in panel.containers[0]] == rows["gaps"].tolist()
        assert [b.get_height() for b in panel.containers[1]] == rows["strengths"].tolist()
        done = trend.actions[trend.actions["theme"] == theme]
        marks = [c for c in panel.collections if c.get_label() == "action done"]
        assert sum(len(c.get_segments()) for c in marks) == len(done)


def test_must_have_chart_stacks_missing_unknown_present(data):
    summary = an.must_have_summary(data)
    fig = charts.must_have_chart(summary, applications=an.checked_applications(data))
    for status in ("missing", "unknown", "present"):
        assert widths(fig, status) == summary[status].tolist()
    assert "60 jobs checked" in all_text(fig)


def test_liked_vs_concerns_chart_bars_are_the_counts(data):
    items = an.liked_vs_concerns(data)
    fig = charts.liked_vs_concerns_chart(items, listed=len(data.job_items))
    for kind in ("liked", "concern"):
        assert widths(fig, kind) == items[items["kind"] == kind]["count"].tolist()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "What you liked" in labels and "What concerned you" in labels


def test_funnel_chart_bars_are_reached_and_rejected(data):
    stages = an.funnel(data)
    fig = charts.funnel_chart(stages)
    assert widths(fig, "reached") == stages["reached"].tolist()
    assert widths(fig, "rejected") == stages["rejected"].tolist()
    assert fig.axes[0].get_title(loc="left") == "How far your 60 applications got"


def test_activity_chart_draws_each_series(data):
    monthly = an.activity_by_month(data)
    fig = charts.activity_chart(monthly, rate=an.answer_rate(data))
    top = fig.axes[0]
    assert [b.get_height() for b in top.containers[0]] == monthly["applications"].tolist()
    lines = {ln.get_label(): list(ln.get_ydata()) for ln in top.get_lines()}
    for column, label, *_ in drawing._SERIES:
        assert lines[label] == monthly[column].tolist()
    assert str(an.answer_rate(data)) in all_text(fig)


def test_due_chart_shows_statuses_and_caps_reconnects(data):
    due = an.whats_due(data)
    fig = charts.due_chart(due, top=3)
    counts = due.action_counts
    for status in counts.index:
        assert widths(fig, status) == [counts[status]]
    upper = fig.axes[0]
    assert sum(len(c.get_offsets()) for c in upper.collections
               if c.get_label() in ("Coming up", "Late")) == min(3, len(due.reconnects))
    if len(due.reconnects) > 3:
        assert f"+ {len(due.reconnects) - 3} more, later" in all_text(fig)


# --------------------------------------------------------------------------
# Every chart


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_chart_has_titles_labels_and_readable_text(name, data):
    fig = charts.CHARTS[name].draw(data)
    assert isinstance(fig, Figure)
    assert any(ax.get_title(loc="left") for ax in fig.axes)
    shown = visible_axes(fig)
    assert shown, name
    assert all(ax.get_ylabel() for ax in shown), name
    assert any(ax.get_xlabel() for ax in shown), name
    # 11 px at least at the resolution it is drawn (and shown: see tests/browser/test_trends)
    small = [(t.get_text(), t.get_fontsize()) for t in texts(fig)
             if t.get_fontsize() * style.DPI / 72 < 11]
    assert small == [], name
    assert round(fig.get_figwidth() * style.DPI) <= 480  # drawn as wide as a Trends card shows it


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_chart_with_nothing_to_show_says_so(name):
    fig = charts.CHARTS[name].draw(Data.empty())
    assert visible_axes(fig) == []
    text = all_text(fig)
    assert any(word in text for word in ("No ", "Nothing")), text
    assert fig.axes[0].get_title(loc="left")


def test_feedback_with_competition_or_strengths_only():
    apps = [{"id": 1, "company": "A", "role": "R", "stage": "screen", "outcome": "rejected",
             "outcome_on": "2026-01-20"}]
    for theme, polarity in (("competition", "-"), ("communication", "+")):
        data = Data.from_frames(applications=apps, feedback=[{"id": 1, "application_id": 1}],
                                tags=[{"feedback_id": 1, "theme": theme, "polarity": polarity}])
        fig = charts.CHARTS["themes"].draw(data)
        assert sum(widths(fig, "competition") + widths(fig, "strengths")) == 1
        trend = charts.CHARTS["theme_trend"].draw(data)
        assert visible_axes(trend) == [] and "no dated feedback names a gap" in all_text(trend)


def test_empty_theme_chart_points_to_step_1():
    fig = charts.theme_chart(an.theme_counts(Data.empty()))
    assert "No feedback yet: log it in step 1" in all_text(fig)


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_chart_with_one_application(name, one):
    fig = charts.CHARTS[name].draw(one)
    assert visible_axes(fig), name
    assert charts.figure_to_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_charts_never_leave_pyplot_figures_open(data):
    assert plt.get_fignums() == []
    for spec in charts.CHARTS.values():
        charts.figure_to_png(spec.draw(data))
        charts.figure_to_png(spec.draw(Data.empty()))
    assert plt.get_fignums() == []


def test_charts_module_does_not_use_pyplot():
    from pathlib import Path

    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in Path(charts.__file__).parent.glob("*.py"))
    assert "import matplotlib.pyplot" not in source and "import pyplot" not in source
    assert "plt." not in source


def test_drawing_into_a_given_axes(data):
    fig = Figure(figsize=(8, 10), layout="constrained")
    first, second = fig.subplots(2, 1)
    assert charts.theme_chart(an.theme_counts(data), ax=first) is fig
    assert charts.activity_chart(an.activity_by_month(data), ax=second) is fig
    assert len(fig.axes) == 3  # the second axes was split into counts + answer rate
    assert charts.figure_to_png(fig)


def test_figure_to_png_honours_dpi(data):
    fig = charts.CHARTS["funnel"].draw(data)
    small, large = charts.figure_to_png(fig, dpi=50), charts.figure_to_png(fig, dpi=100)
    assert small[:4] == b"\x89PNG" and len(large) > len(small)


def test_figure_to_png_draws_what_savefig_draws(data):
    """The same pixels as savefig, with the charts' text hinting."""
    import matplotlib

    fig = charts.CHARTS["themes"].draw(data)
    ours = np.asarray(Image.open(io.BytesIO(charts.figure_to_png(fig))).convert("RGB"))
    buf = io.BytesIO()
    with matplotlib.rc_context({"text.hinting": charts.TEXT_HINTING}):
        fig.savefig(buf, format="png", dpi=110)
    theirs = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    assert ours.shape == theirs.shape and (ours == theirs).all()


def test_bars_draw_the_pixels_matplotlib_bars_draw():
    """One path per look of bar draws exactly what one rectangle per bar would."""
    y, widths_, colours = np.arange(6.0), [3, 0, 7, 1, 5, 2], ["#0072b2", "#e69f00"] * 3

    def draw(ours: bool) -> np.ndarray:
        fig = Figure(figsize=(4, 3), dpi=110)
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.set_xlim(0, 8)
        ax.set_ylim(6, -1)
        if ours:
            style.draw_bars(ax, y, widths_, thickness=0.4, color=colours, edgecolor=colours,
                         hatch="////", hatchcolor=colours)
        else:
            for bar, colour in zip(ax.barh(y, widths_, height=0.4, color=colours,
                                           edgecolor=colours, linewidth=0.8, hatch="////"),
                                   colours, strict=False):
                bar.set_hatchcolor(colour)
                bar.set_linewidth(0.8 if bar.get_width() else 0)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    assert (draw(True) == draw(False)).all()


@pytest.mark.parametrize("name", list(charts.CHARTS))
@pytest.mark.parametrize("which", ["data", "one"])
def test_every_text_fits_in_the_figure_and_labels_clear_the_ticks(name, which, request):
    fig = charts.CHARTS[name].draw(request.getfixturevalue(which))
    charts.figure_to_png(fig)  # lays the figure out, at the dpi the app uses
    fig.dpi = 110
    inside = fig.bbox.padded(1)
    # every text drawn: tick labels only of the ticks in view (the others are not drawn)
    all_ticks = {id(label) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                 for tick in axis.majorTicks for label in (tick.label1, tick.label2)}
    shown = [t for t in texts(fig) if id(t) not in all_ticks]
    for ax in visible_axes(fig):
        shown += drawn_ticks(ax.xaxis) + drawn_ticks(ax.yaxis)
    for text in shown:
        box = text.get_window_extent()
        assert inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1), \
            (name, text.get_text())
    for ax in visible_axes(fig):
        ticks = [t.get_window_extent() for t in drawn_ticks(ax.yaxis)]
        if ax.get_ylabel() and ticks:
            assert ax.yaxis.label.get_window_extent().x1 < min(b.x0 for b in ticks), name
        ticks = [t.get_window_extent() for t in drawn_ticks(ax.xaxis)]
        if ax.get_xlabel() and ticks:
            assert ax.xaxis.label.get_window_extent().y1 < min(b.y0 for b in ticks), name


def test_charts_are_listed_in_order_with_titles():
    assert list(charts.CHARTS) == ["themes", "theme_trend", "funnel", "must_haves",
                                   "liked_vs_concerns", "activity", "due"]
    for spec in charts.CHARTS.values():
        assert spec.title and callable(spec.numbers) and callable(spec.plot)
        assert callable(spec.table)


def test_a_thousand_applications_draw_capped_and_readable():
    # How long it takes: benchmarks/bench_limits.py (and bench_trends.py).
    data = synthetic_data(1000, seed=11)
    assert len(data.applications) == 1000
    for name, spec in charts.CHARTS.items():
        fig = spec.draw(data)
        assert charts.figure_to_png(fig), name
        if name == "themes":  # capped: ten candidate rows at most, plus competition
            assert len(bars(fig, "gaps")) <= 10
        if name == "due":
            assert len(fig.axes[0].get_yticklabels()) <= 13


def test_render_pngs_gives_the_bytes_figure_to_png_gives(data):
    from functools import partial

    makers = {name: partial(spec.draw, data) for name, spec in charts.CHARTS.items()}
    pngs = charts.render_pngs(makers)
    assert list(pngs) == list(charts.CHARTS)
    for name, make in makers.items():
        assert pngs[name] == charts.figure_to_png(make()), name


def test_render_pngs_frees_each_figure_without_a_full_collection(data):
    """The figures are garbage in the youngest generation, collected right after drawing."""
    import gc
    from functools import partial

    gc.collect()
    full = []

    def note(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(info)

    gc.callbacks.append(note)
    try:
        charts.render_pngs({name: partial(spec.draw, data)
                            for name, spec in charts.CHARTS.items()})
        alive = sum(isinstance(o, Figure) for o in gc.get_objects())
    finally:
        gc.callbacks.remove(note)
    assert alive == 0 and full == [] and gc.isenabled()


def test_render_pngs_passes_a_drawing_error_on_and_leaves_the_collector_on(data):
    import gc

    def broken() -> Figure:
        raise ValueError("no numbers")

    with pytest.raises(ValueError, match="no numbers"):
        charts.render_pngs({"funnel": lambda: charts.CHARTS["funnel"].draw(data),
                            "broken": broken})
    assert gc.isenabled()
    gc.disable()
    try:
        assert charts.render_pngs({"funnel": lambda: charts.CHARTS["funnel"].draw(data)})
        assert not gc.isenabled()  # a caller's choice is left as it was
    finally:
        gc.enable()


def test_render_charts_draws_only_what_changed(data):
    first = charts.render_charts(data)
    assert list(first) == list(charts.CHARTS)
    for name, drawn in first.items():
        spec = charts.CHARTS[name]
        pd.testing.assert_frame_equal(drawn.table, spec.table(spec.numbers(data)))
        assert drawn.png[:4] == b"\x89PNG"
    shown = {name: drawn.fingerprint for name, drawn in first.items()}
    assert charts.render_charts(data, shown) == {}
    fewer = an.filter_data(data, an.Filters(outcomes=("open",)))
    again = charts.render_charts(fewer, shown)
    assert "funnel" in again and again["funnel"].fingerprint != shown["funnel"]


def test_a_fingerprint_covers_every_number_a_chart_is_drawn_from(data):
    numbers = charts.CHARTS["liked_vs_concerns"].numbers(data)
    same = charts.numbers_fingerprint("liked_vs_concerns", dict(numbers))
    assert charts.numbers_fingerprint("liked_vs_concerns", numbers) == same
    assert charts.numbers_fingerprint("liked_vs_concerns",
                                      {**numbers, "listed": numbers["listed"] + 1}) != same
    trend = charts.CHARTS["theme_trend"].numbers(data)
    moved = an.ThemeTrend(**{**vars(trend["trend"]),
                             "actions": trend["trend"].actions.iloc[:0]})
    assert charts.numbers_fingerprint("theme_trend", {**trend, "trend": moved}) != \
        charts.numbers_fingerprint("theme_trend", trend)


def test_every_chart_states_its_main_numbers_in_words_from_its_own_numbers(data):
    """The text alternative comes from the numbers the chart is drawn from (one rule):
    checked here against analysis' own frames, on 300 synthetic applications."""
    numbers = {name: spec.numbers(data) for name, spec in charts.CHARTS.items()}
    words = {name: spec.words(numbers[name]) for name, spec in charts.CHARTS.items()}
    assert all(text.strip() for text in words.values())
    stages = numbers["funnel"]["stages"]
    assert f"{int(stages['stopped'].sum()):,} applications" in words["funnel"]
    for row in stages.itertuples():
        assert f"{row.stage} {row.reached:,}" in words["funnel"]
    counts = numbers["themes"]["counts"]
    top = counts[~counts["competition"]].sort_values("gaps", ascending=False).iloc[0]
    assert f"Most frequent gaps: {top['label']} {top['gaps']}" in words["themes"]
    summary = numbers["must_haves"]["summary"]
    first = summary[summary["checked"] > 0].iloc[0]
    assert f"{first['name']} missing in {first['missing']} of {first['checked']}" \
        in words["must_haves"]
    due = numbers["due"]["due"]
    assert f"{due.action_counts['overdue']} overdue" in words["due"]
    assert f"{len(due.reconnects)} reconnect" in words["due"]
    monthly = numbers["activity"]["monthly"]
    assert f"{int(monthly['applications'].sum()):,} applications" in words["activity"]
    assert str(numbers["activity"]["rate"]) in words["activity"]


def test_with_nothing_to_show_the_words_say_so():
    empty = Data.empty()
    for name, spec in charts.CHARTS.items():
        text = spec.words(spec.numbers(empty))
        assert "yet" in text, (name, text)
