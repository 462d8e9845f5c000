"""Your own themes: add, rename, merge, and name a group the suggester found nothing for."""

from __future__ import annotations

import pytest

from tappedin_widgets.demo import load_demo
from tappedin_widgets.themes import custom_from_frame, suggest_themes
from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.themes import ThemesView, unmatched_feedback


@pytest.fixture
def view(store):
    return ThemesView(Workbook(store))


def test_adding_a_theme_makes_it_suggested_like_a_built_in_one(view, store):
    view.fields["label"].value = "Portfolio"
    view.fields["phrases"].value = "portfolio\ncase studies"
    view.add_button.click()
    assert "Added the theme" in view.status.text
    custom = custom_from_frame(store.themes())
    tags = suggest_themes("Lovely chat, but no portfolio to look at.", custom)
    assert ("portfolio", "-") in {(t.theme, t.polarity) for t in tags}


def test_a_theme_needs_a_name_and_nothing_is_written_without_one(view, store):
    view.fields["phrases"].value = "portfolio"
    assert view.add_button.disabled
    view.fields["label"].value = "   "
    view.form.check(show_all=True)
    assert "needed" in view.fields["label"].error
    assert len(store.themes()) == 13


def test_a_duplicate_theme_name_gets_a_clear_message(view, store):
    view.fields["label"].value = "Communication"
    view.add_button.click()
    assert "already a theme called" in view.status.text
    assert len(store.themes()) == 13


def test_renaming_a_built_in_theme_changes_its_label_everywhere(view, store):
    row = view.list.children[2]  # communication
    name, rename = row.children[0], row.children[1]
    name.value = "Talking clearly"
    rename.click()
    labels = dict(zip(store.themes()["id"], store.themes()["label"], strict=False))
    assert labels["communication"] == "Talking clearly"


def test_merging_moves_tags_after_a_confirmation(view, store, app_id):
    fb = store.add("feedback", application_id=app_id, observations="x")
    store.set_tags(fb, [("presence", "-")])
    view.render()
    row = next(r for r in view.list.children if r.children[0].value == "Presence")
    target, merge = row.children[3], row.children[4]
    target.value = "communication"
    merge.button.click()
    assert merge.asking
    merge.yes.click()
    tags = store.table("feedback_tags")
    assert list(tags["theme"]) == ["communication"]
    assert "presence" not in set(store.themes()["id"])


def test_discovery_groups_alike_feedback_and_names_it_in_one_step(store):
    load_demo(store)
    # Feedback no built-in theme covers (the demo's portfolio notes are technical_skills since
    # issue 14's labelling convention 2, so the suggester matches them now).
    app = int(store.table("applications")["id"].iloc[0])
    for text in ["The pager rota came up again: the on-call pager at weekends.",
                 "They asked about the pager rota and on-call pager weeks.",
                 "Pager rota: one on-call week in four, pager at weekends too.",
                 "The on-call pager rota was a sticking point for them."]:
        store.add("feedback", application_id=app, observations=text)
    view = ThemesView(Workbook(store))
    unmatched = unmatched_feedback(store)
    assert len(unmatched) >= 4
    card = view.discovery.children[1]
    name, make = card.children[1].children
    name.value = "On-call rota"
    make.click()
    assert "is now a theme" in view.status.text
    assert "on_call_rota" in set(store.themes()["id"])
    tagged = store.table("feedback_tags")
    assert (tagged["theme"] == "on_call_rota").sum() >= 4
    # the new theme now matches those texts, so they are no longer "unmatched"
    assert len(unmatched_feedback(store)) < len(unmatched)


def test_a_custom_theme_appears_in_the_charts_with_its_own_colour(store, app_id):
    from tappedin_widgets.analysis import Data, theme_counts, theme_trend
    from tappedin_widgets.charts import CHARTS, THEME_COLOURS, theme_colour

    theme = store.add_theme("Portfolio", phrases=["portfolio"])
    for day in ("2026-03-03", "2026-04-04"):
        fb = store.add("feedback", application_id=app_id, received_on=day,
                       observations="No portfolio to look at.")
        store.set_tags(fb, [(theme, "-")])
    data = Data.from_store(store)
    counts = theme_counts(data)
    assert "Portfolio" in set(counts["label"])
    fig = CHARTS["themes"].draw(data)
    labels = {t.get_text() for ax in fig.axes for t in ax.get_yticklabels()}
    assert any("Portfolio" in label for label in labels)
    assert theme not in THEME_COLOURS and theme_colour(theme) == theme_colour(theme)
    assert theme in theme_trend(data).themes
