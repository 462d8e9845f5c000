"""The trends tab: every chart drawn, filters followed, saves picked up, nothing leaks."""

from __future__ import annotations

import base64
import os
import re

import pytest

from tappedin_widgets.demo import load_demo
from tappedin_widgets.views.common import Workbook, esc
from tappedin_widgets.views.trends import TrendsView

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def demo_view(store):
    load_demo(store)
    return TrendsView(Workbook(store))


def _links(card) -> dict[str, bytes]:
    """The card's download links: mime type -> the file's bytes."""
    return {mime: base64.b64decode(data) for _, mime, data in re.findall(
        r"download='([^']+)' href='data:([^;]+);base64,([^']+)'", card.links.value)}


def test_the_top_charts_are_drawn_and_the_others_when_their_section_opens(demo_view):
    top = TrendsView.TOP
    for name, card in demo_view.cards.items():
        assert bytes(card.image.value).startswith(PNG) == (name in top), name
    demo_view.more_section.selected_index = 0
    for name, card in demo_view.cards.items():
        assert bytes(card.image.value).startswith(PNG), name


def test_downloads_are_made_when_asked_not_with_every_drawing(demo_view):
    """Each drawing used to send its PNG twice (the image, and base64 in its link)."""
    demo_view.more_section.selected_index = 0
    for name, card in demo_view.cards.items():
        assert card.links.value == "" and card.download.layout.display != "none", name
        card.download.click()
        files = _links(card)
        assert files["image/png"] == bytes(card.image.value), name
        assert files["text/csv"].count(b"\n") >= 2, name
        assert card.download.layout.display == "none"
    # A redraw makes the links outdated: they go, the button comes back.
    card = demo_view.cards["funnel"]
    demo_view.filter_bar.outcomes.value = ("open",)
    assert card.links.value == "" and card.download.layout.display is None
    card.download.click()
    assert _links(card)["image/png"] == bytes(card.image.value)


def test_each_chart_says_its_main_numbers_in_words_from_its_own_numbers(demo_view, store):
    """The image's text alternative (its title) and the words under it come from the
    numbers the chart is drawn from: here checked against the store itself."""
    from tappedin_widgets.charts import CHARTS

    demo_view.more_section.selected_index = 0
    for name, card in demo_view.cards.items():
        assert card.image.tooltip and "drawn" not in card.image.tooltip, name
        assert esc(card.image.tooltip) in card.words.value, name
    apps = store.table("applications")
    funnel = demo_view.cards["funnel"].image.tooltip
    assert f"How far your {len(apps)} applications got" in funnel
    rejected = int((apps["outcome"] == "rejected").sum())
    assert f"{rejected} rejections" in funnel
    offers = int((apps["stage"] == "offer").sum())
    assert f"offer {offers}" in funnel
    tags = store.tags()
    gaps = tags[tags["polarity"].astype(str) == "-"].groupby("theme").size()
    top = store.themes().set_index("id").loc[gaps.drop("competition", errors="ignore")
                                             .idxmax(), "label"]
    assert f"Most frequent gaps: {top} {gaps.drop('competition', errors='ignore').max()}" \
        in demo_view.cards["themes"].image.tooltip
    checks = store.table("must_have_checks")
    assert f"{checks['application_id'].nunique()} jobs checked" in \
        demo_view.cards["must_haves"].image.tooltip
    assert set(CHARTS) == set(demo_view.cards)


def test_an_empty_store_draws_every_chart_with_its_empty_state(store):
    view = TrendsView(Workbook(store))
    view.more_section.selected_index = 0
    for card in view.cards.values():
        assert bytes(card.image.value).startswith(PNG)
        assert "yet" in card.image.tooltip
    assert "Showing 0 of 0 applications" in view.filter_bar.summary.value


def test_a_filter_changes_what_the_charts_count(demo_view):
    before = demo_view.cards["funnel"].image.value
    demo_view.filter_bar.outcomes.value = ("open",)
    assert re.search(r"Showing \d+ of 66", demo_view.filter_bar.summary.value)
    assert demo_view.cards["funnel"].image.value != before
    demo_view.filter_bar.clear()
    assert "Showing 66 of 66" in demo_view.filter_bar.summary.value


def test_a_reversed_date_range_is_explained_not_applied(demo_view):
    import datetime as dt

    demo_view.filter_bar.start.value = dt.date(2026, 9, 1)
    demo_view.filter_bar.end.value = dt.date(2026, 3, 1)
    assert "before" in demo_view.filter_bar.message.value
    assert "Showing 66 of 66" in demo_view.filter_bar.summary.value


def test_a_save_elsewhere_redraws_only_the_charts_whose_numbers_changed(demo_view, store):
    demo_view.more_section.selected_index = 0
    images = {n: c.image.value for n, c in demo_view.cards.items()}
    app = int(store.table("applications")["id"].iloc[0])
    fb = store.add("feedback", application_id=app, observations="Great energy.")
    store.set_tags(fb, [("enthusiasm", "+")])
    demo_view.workbook.changed("feedback")
    assert demo_view.cards["themes"].image.value != images["themes"]
    assert demo_view.cards["must_haves"].image.value == images["must_haves"]


_REFRESHES = """
import gc, json, sys
from matplotlib.figure import Figure
from tappedin_widgets.demo import load_demo
from tappedin_widgets.store import Store
from tappedin_widgets.views.common import Workbook, esc
from tappedin_widgets.views.trends import TrendsView

def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20

store = Store(sys.argv[1])
load_demo(store)
view = TrendsView(Workbook(store))

def redraw():
    for card in view.cards.values():
        card.fingerprint = None
    view.refresh()

for _ in range(10):
    redraw()
gc.collect()
start = rss_mb()
for _ in range(100):
    redraw()
gc.collect()
import matplotlib.pyplot as plt
print(json.dumps({"growth": rss_mb() - start, "pyplot": plt.get_fignums(),
                  "figures": sum(isinstance(o, Figure) for o in gc.get_objects()),
                  "status": view.status.text}))
"""


@pytest.mark.slow
def test_a_hundred_refreshes_leave_no_figure_open_and_memory_flat(tmp_path):
    """In a process of its own, as in the app's kernel: the heap other tests leave
    behind would blur what 100 refreshes themselves keep."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _REFRESHES, str(tmp_path / "t.db")],
                         capture_output=True, text=True, timeout=600,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["pyplot"] == [] and result["figures"] == 0, result
    assert result["growth"] < 20, f"memory grew by {result['growth']:.1f} MB over 100 refreshes"
    assert result["status"] == ""


def test_a_chart_is_redrawn_when_anything_it_shows_changes(store):
    """Not only its CSV table: with nothing recurring yet, "liked vs concerns" lists
    every item once (its table of recurring items stays empty), so a new item must
    still redraw it."""
    app = store.add("applications", company="Acme", role="Analyst")
    store.add("job_items", application_id=app, kind="liked", text="Kind team")
    view = TrendsView(Workbook(store))
    view.more_section.selected_index = 0
    before = view.cards["liked_vs_concerns"].image.value
    store.add("job_items", application_id=app, kind="concern", text="Long commute")
    view.workbook.changed("job_items")
    assert view.cards["liked_vs_concerns"].image.value != before


def test_the_more_section_is_drawn_when_opened_and_only_then_after_a_change(demo_view,
                                                                            store):
    more = demo_view.more_section.children[0].children
    assert all(card.fingerprint is None for card in more)
    demo_view.more_section.selected_index = 0
    drawn = {card.name: card.image.value for card in more}
    demo_view.more_section.selected_index = None
    app = int(store.table("applications")["id"].iloc[0])
    store.add("job_items", application_id=app, kind="liked", text="Fully remote")
    demo_view.workbook.changed("job_items")  # closed: not drawn now
    assert demo_view.cards["liked_vs_concerns"].image.value == drawn["liked_vs_concerns"]
    demo_view.more_section.selected_index = 0  # opened: brought up to date
    assert demo_view.cards["liked_vs_concerns"].image.value != drawn["liked_vs_concerns"]
    assert demo_view.cards["due"].image.value == drawn["due"]


def test_a_preheated_kernels_warm_up_starts_the_chart_helper_and_leaves_no_widget(
        monkeypatch, store):
    """The helper is started (and warm) before anyone asks; no widget is left open and
    the user's store is untouched."""
    import ipywidgets as w

    from tappedin_widgets import app, drawhelper

    monkeypatch.delenv(drawhelper.ENV, raising=False)
    drawhelper.stop()
    open_before = set(w.widgets.widget._instances)
    try:
        app._warm_up()
        assert set(w.widgets.widget._instances) == open_before
        assert store.count("applications") == 0
        started = drawhelper._helper
        if not drawhelper.wanted():  # one core: drawing stays in this process
            assert started is None
            return
        assert started is not None and drawhelper.ready(wait=True) is started
        assert started.failed is None
    finally:
        drawhelper.stop()


def test_the_first_drawing_sends_each_chart_as_soon_as_it_is_drawn(store):
    """The chart at the top is on its way before the next one is drawn here."""
    load_demo(store)
    view = TrendsView(Workbook(store), defer=True)
    top = next(iter(view.cards))
    seen: list[tuple[str, int]] = []
    for name, card in view.cards.items():
        card.image.observe(lambda _c, name=name: seen.append(
            (name, sum(bool(c.image.value) for c in view.cards.values()))), names="value")
    view.refresh()
    assert seen[0] == (top, 1)
    assert sorted(n for _, n in seen) == list(range(1, len(view.top) + 1))
