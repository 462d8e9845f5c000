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


def test_themes_are_managed_from_step_1_and_reach_the_taggers_choices(store):
    """The theme manager is a closed section of 1 · Feedback, under the tagger: read
    when opened, and what it changes is offered by the tagger at once."""
    from tappedin_widgets.views.feedback import FeedbackView
    from tappedin_widgets.views.themes import ThemesPanel

    load_demo(store)
    step1 = FeedbackView(Workbook(store))
    editor = step1.editor
    panels = [c for c in editor.children if isinstance(c, ThemesPanel)]
    assert len(panels) == 1
    panel = panels[0]
    assert list(editor.children).index(panel) == list(editor.children).index(editor.tagger) + 1
    themes = panel.themes
    assert panel.selected_index is None and not themes.rendered
    panel.selected_index = 0
    assert themes.rendered and len(themes.list.children) == len(store.themes())

    themes.fields["label"].value = "Portfolio"
    themes.fields["phrases"].value = "portfolio"
    themes.add_button.click()
    assert ("Portfolio", "portfolio") in editor.tagger.theme_pick.options
    assert len(themes.list.children) == len(store.themes())

    name = themes.rows["portfolio"].children[0]
    name.value = "Work samples"
    themes.rows["portfolio"].children[1].click()
    assert ("Work samples", "portfolio") in editor.tagger.theme_pick.options


def test_a_closed_panel_reads_nothing_on_a_feedback_save_and_catches_up_when_opened(store):
    from tappedin_widgets.views.themes import ThemesPanel

    load_demo(store)
    workbook = Workbook(store)
    panel = ThemesPanel(workbook)
    panel.selected_index = 0
    panel.selected_index = None
    calls = []
    original = panel.themes.render_discovery
    panel.themes.render_discovery = lambda: (calls.append(1), original())[1]
    workbook.changed("feedback")
    assert calls == [] and not panel.themes.rendered
    panel.selected_index = 0
    assert calls == [1] and panel.themes.rendered
    workbook.changed("feedback")  # open: kept up to date
    assert calls == [1, 1]


@pytest.mark.parametrize("count, phrase", [
    (1, "1 piece of feedback matches no theme"),
    (3, "3 pieces of feedback match no theme"),
])
def test_the_unmatched_count_reads_right(store, app_id, count, phrase):
    for i in range(count):
        store.add("feedback", application_id=app_id,
                  observations=f"Zanzibar xylophone quokka number {i}.")
    view = ThemesView(Workbook(store))
    assert phrase in " ".join(c.value for c in view.discovery.children
                              if hasattr(c, "value"))
