"""Step 1, Feedback: driven without a browser, asserting on the rows in the store."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

import pandas as pd
import pytest

from tappedin_widgets.views import feedback as feedback_module
from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.feedback import SOMEONE_ELSE, FeedbackView, feedback_view


@dataclass(frozen=True)
class FakeTag:
    theme: str
    polarity: str


def fake_suggest(text: str, custom=None) -> list[FakeTag]:
    """A stand-in for themes.suggest_themes: a few fixed phrases."""
    found = []
    lowered = text.lower()
    if "vague" in lowered:
        found.append(FakeTag("examples_results", "-"))
    if "clear" in lowered:
        found.append(FakeTag("communication", "+"))
    if "internal candidate" in lowered:
        found.append(FakeTag("competition", "+"))  # the view must turn this into "-"
    return found


@pytest.fixture
def suggester(monkeypatch):
    calls: list[str] = []

    def counting(text, custom=None):
        calls.append(text)
        return fake_suggest(text, custom)

    monkeypatch.setattr(feedback_module, "_suggester", lambda: counting)
    return calls


@pytest.fixture
def contact_id(store, app_id):
    return store.add("contacts", application_id=app_id, name="Dana Whitfield",
                     title="Recruiter")


@pytest.fixture
def view(store, app_id, contact_id, suggester) -> FeedbackView:
    return feedback_view(Workbook(store, application_id=app_id))


def fill(view: FeedbackView, **values) -> None:
    fields = view.editor.fields
    for name, value in values.items():
        if name == "contact_id":
            view.editor.contact.value = value
        elif name == "asked":
            view.editor.asked.value = value
        else:
            fields[name].value = value


def tags_of(store, feedback_id: int) -> set[tuple[str, str, str]]:
    frame = store.table("feedback_tags", feedback_id=feedback_id)
    return {(r["theme"], r["polarity"], r["source"]) for r in frame.to_dict("records")}


def add_by_hand(view: FeedbackView, theme: str, polarity: str) -> None:
    tagger = view.editor.tagger
    tagger.theme_pick.value = theme
    if not tagger.polarity_pick.disabled:
        tagger.polarity_pick.value = polarity
    tagger.add_button.click()


def test_logging_feedback_with_suggested_and_hand_picked_tags(view, store, app_id, contact_id):
    fill(view, requested_on=dt.date(2026, 3, 20), received_on=dt.date(2026, 3, 20),
         contact_id=contact_id, channel="phone",
         observations="Clear structure, but your examples were vague on impact.")
    tagger = view.editor.tagger
    assert set(tagger.toggles) == {("examples_results", "-"), ("communication", "+")}
    tagger.toggles[("examples_results", "-")].value = True
    add_by_hand(view, "preparation", "+")
    assert not view.editor.save_button.disabled

    view.editor.save_button.click()

    rows = store.table("feedback", application_id=app_id)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["contact_id"] == contact_id and row["channel"] == "phone"
    assert row["requested_on"].date() == dt.date(2026, 3, 20)
    assert not row["declined"]
    assert "examples were vague" in row["observations"]
    assert tags_of(store, int(row["id"])) == {("examples_results", "-", "suggested"),
                                              ("preparation", "+", "user")}
    assert "saved" in view.editor.status.text.lower()
    # The form is ready for the next entry, and the entry shows in the list.
    assert view.editor.fields["observations"].value == ""
    assert int(row["id"]) in view.list.edit_buttons


def test_saving_tells_the_other_views_that_feedback_changed(view):
    workbook = view.editor.workbook
    before = workbook.revision
    fill(view, observations="Clear answers.")
    view.editor.save_button.click()
    assert workbook.revision > before and workbook.last_change == "feedback"


def test_a_suggestion_can_be_accepted_and_removed_again(view, store, app_id):
    fill(view, observations="Very clear communicator.")
    toggle = view.editor.tagger.toggles[("communication", "+")]
    toggle.value = True
    toggle.value = False
    view.editor.save_button.click()
    fid = int(store.table("feedback", application_id=app_id).iloc[0]["id"])
    assert tags_of(store, fid) == set()


def test_suggestions_run_only_when_the_observations_text_changes(view, suggester):
    fill(view, observations="Clear answers.")
    n = len(suggester)
    view.editor.tagger.suggest("Clear answers.")
    assert len(suggester) == n


def test_competition_is_always_a_gap_and_explained_as_not_about_you(view, store, app_id):
    fill(view, observations="They went with an internal candidate.")
    tagger = view.editor.tagger
    assert ("competition", "-") in tagger.toggles
    tagger.theme_pick.value = "competition"
    assert tagger.polarity_pick.value == "-" and tagger.polarity_pick.disabled
    assert "not about you" in tagger.competition_note.value
    tagger.add_button.click()
    view.editor.save_button.click()
    fid = int(store.table("feedback", application_id=app_id).iloc[0]["id"])
    assert tags_of(store, fid) == {("competition", "-", "user")}


def test_custom_themes_can_be_added_by_hand(view, store, app_id):
    theme = store.add_theme("Portfolio", phrases=["portfolio"])
    view.editor.workbook.changed("custom_themes")  # e.g. added on the trends page
    assert theme in [v for _, v in view.editor.tagger.theme_pick.options]
    fill(view, observations="Your portfolio was thin.")
    add_by_hand(view, theme, "-")
    view.editor.save_button.click()
    fid = int(store.table("feedback", application_id=app_id).iloc[0]["id"])
    assert tags_of(store, fid) == {(theme, "-", "user")}


def test_declined_feedback_is_recorded_without_observations(view, store, app_id):
    fill(view, requested_on=dt.date(2026, 3, 20), received_on=dt.date(2026, 3, 21),
         channel="email", declined=True)
    assert "real outcome" in view.editor.declined_note.value
    view.editor.save_button.click()
    rows = store.table("feedback", application_id=app_id)
    assert len(rows) == 1
    assert rows.iloc[0]["declined"]
    assert pd.isna(rows.iloc[0]["observations"])
    assert pd.isna(rows.iloc[0]["contact_id"])
    assert "declined" in view.list.rows.children[0].children[0].value


def test_feedback_you_are_still_waiting_for_can_be_saved_with_just_the_day_you_asked(
        view, store, app_id):
    fill(view, requested_on=dt.date(2026, 11, 20))
    view.editor.save_button.click()
    row = store.table("feedback", application_id=app_id).iloc[0]
    assert row["requested_on"].date() == dt.date(2026, 11, 20)
    assert row["received_on"] is pd.NaT or pd.isna(row["received_on"])
    assert "not received yet" in view.list.rows.children[0].children[0].value


def test_an_empty_entry_is_refused_with_a_message(view, store):
    fill(view, asked=False)
    assert view.editor.fields["requested_on"].value is None
    view.editor.save_button.click()
    assert "nothing to save" in view.editor.status.text.lower()
    assert store.count("feedback") == 0


def test_several_entries_per_application_are_allowed(view, store, app_id):
    fill(view, channel="phone", observations="Recruiter: clear, friendly.")
    view.editor.save_button.click()
    fill(view, channel="email", observations="Hiring manager: examples were vague.")
    view.editor.save_button.click()
    assert len(store.table("feedback", application_id=app_id)) == 2
    assert len(view.list.edit_buttons) == 2


def test_editing_an_entry_changes_its_text_and_tags(view, store, app_id, contact_id):
    fid = store.add("feedback", application_id=app_id, channel="phone",
                    observations="Examples were vague.", received_on="2026-03-20")
    store.set_tags(fid, [("examples_results", "-", "suggested"), ("presence", "-", "user")])
    view.editor.workbook.changed("feedback")

    view.list.edit_buttons[fid].click()
    editor = view.editor
    assert editor.editing == fid
    assert editor.fields["observations"].value == "Examples were vague."
    assert editor.fields["channel"].value == "phone"
    assert editor.save_button.description == "Save changes"
    assert editor.tagger.toggles[("examples_results", "-")].value  # shown as accepted

    fill(view, observations="Examples were vague, but the answers were clear.",
         contact_id=contact_id)
    editor.tagger.removers[("presence", "-")].click()
    editor.tagger.toggles[("communication", "+")].value = True
    editor.save_button.click()

    row = store.get("feedback", fid)
    assert row["observations"] == "Examples were vague, but the answers were clear."
    assert row["contact_id"] == contact_id
    assert tags_of(store, fid) == {("examples_results", "-", "suggested"),
                                   ("communication", "+", "suggested")}
    assert store.count("feedback") == 1
    assert editor.editing is None and editor.save_button.description == "Save feedback"


def test_editing_can_be_abandoned_for_a_new_entry(view, store, app_id):
    fid = store.add("feedback", application_id=app_id, observations="Strong SQL.")
    view.editor.workbook.changed("feedback")
    view.list.edit_buttons[fid].click()
    view.editor.new_button.click()
    assert view.editor.editing is None
    assert view.editor.fields["observations"].value == ""


def test_deleting_asks_first_and_cancel_keeps_the_entry(view, store, app_id):
    fid = store.add("feedback", application_id=app_id, observations="Great energy.")
    store.set_tags(fid, [("enthusiasm", "+", "user")])
    view.editor.workbook.changed("feedback")

    delete = view.list.delete_buttons[fid]
    delete.button.click()
    assert delete.asking
    delete.no.click()
    assert not delete.asking
    assert store.count("feedback") == 1

    delete.button.click()
    delete.yes.click()
    assert store.count("feedback") == 0
    assert store.count("feedback_tags") == 0
    assert fid not in view.list.delete_buttons
    assert "Deleted" in view.list.status.text


def test_deleting_the_entry_being_edited_resets_the_form(view, store, app_id):
    fid = store.add("feedback", application_id=app_id, observations="Great energy.")
    view.editor.workbook.changed("feedback")
    view.list.edit_buttons[fid].click()
    view.list.delete_buttons[fid].button.click()
    view.list.delete_buttons[fid].yes.click()
    assert view.editor.editing is None


def test_feedback_received_before_it_was_asked_for_shows_a_message_and_writes_nothing(
        view, store):
    fill(view, requested_on=dt.date(2026, 3, 20), received_on=dt.date(2026, 3, 18),
         observations="Clear.")
    assert "before you asked" in view.editor.fields["received_on"].error
    assert view.editor.save_button.disabled
    view.editor.save_button.click()
    assert store.count("feedback") == 0
    assert "nothing was saved" in view.editor.status.text
    # What was typed stays.
    assert view.editor.fields["observations"].value == "Clear."


def test_a_date_in_the_future_shows_a_message_and_writes_nothing(view, store):
    fill(view, received_on=dt.date.today() + dt.timedelta(days=10), observations="Clear.")
    assert "in the future" in view.editor.fields["received_on"].error
    assert view.editor.save_button.disabled
    view.editor.save_button.click()
    assert store.count("feedback") == 0


def test_no_application_picked_shows_a_hint_and_disables_save(store, suggester):
    view = feedback_view(Workbook(store))
    assert view.editor.workbook.application_id is None
    assert "Pick an application" in view.editor.no_app.value
    assert view.editor.save_button.disabled
    fill(view, observations="Clear.")
    assert view.editor.save_button.disabled
    view.editor.save_button.click()
    assert store.count("feedback") == 0


def test_picking_an_application_clears_the_hint_and_lists_its_people(store, app_id,
                                                                     contact_id, suggester):
    workbook = Workbook(store)
    workbook.application_id = None
    view = feedback_view(workbook)
    assert view.editor.save_button.disabled
    workbook.application_id = app_id
    assert view.editor.no_app.value == ""
    assert contact_id in [v for _, v in view.editor.contact.options]
    assert view.editor.contact.value == SOMEONE_ELSE
    fill(view, observations="Clear.")
    assert not view.editor.save_button.disabled


def test_without_the_suggester_there_are_simply_no_suggestions(store, app_id, monkeypatch):
    monkeypatch.setitem(sys.modules, "tappedin_widgets.themes", None)  # import fails
    view = feedback_view(Workbook(store, application_id=app_id))
    fill(view, observations="Clear, but vague examples.")
    assert view.editor.tagger.toggles == {}
    add_by_hand(view, "communication", "+")
    view.editor.save_button.click()
    fid = int(store.table("feedback").iloc[0]["id"])
    assert tags_of(store, fid) == {("communication", "+", "user")}


def test_a_broken_suggester_never_stops_feedback_being_recorded(store, app_id, monkeypatch):
    def broken(text, custom=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(feedback_module, "_suggester", lambda: broken)
    view = feedback_view(Workbook(store, application_id=app_id))
    fill(view, observations="Clear.")
    view.editor.save_button.click()
    assert store.count("feedback") == 1


def test_user_text_is_escaped_in_the_list(view, store, app_id):
    store.add("feedback", application_id=app_id, observations="<b>bold</b> & <script>")
    view.editor.workbook.changed("feedback")
    html = view.list.rows.children[0].children[0].value
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_save_that_fails_keeps_what_was_typed(view, store, app_id, monkeypatch):
    fill(view, observations="Examples were vague.")
    view.editor.tagger.toggles[("examples_results", "-")].value = True

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "set_tags", fail)
    view.editor.save_button.click()
    assert store.count("feedback") == 0  # the feedback row was rolled back with its tags
    assert "nothing was saved" in view.editor.status.text
    assert view.editor.fields["observations"].value == "Examples were vague."
    assert ("examples_results", "-") in view.editor.tagger.tags


def test_the_real_suggester_suggests_built_in_and_custom_themes(store, app_id):
    theme = store.add_theme("Portfolio", phrases=["portfolio", "case studies"])
    view = feedback_view(Workbook(store, application_id=app_id))
    fill(view, observations="Your portfolio was thin. In the end they went with an "
                            "internal candidate.")
    toggles = view.editor.tagger.toggles
    assert ("competition", "-") in toggles
    assert any(t == theme for t, _ in toggles)
    assert "Because of" in toggles[("competition", "-")].tooltip
    toggles[("competition", "-")].value = True
    view.editor.save_button.click()
    fid = int(store.table("feedback").iloc[0]["id"])
    assert tags_of(store, fid) == {("competition", "-", "suggested")}


def test_a_themes_module_that_fails_to_import_leaves_the_step_usable(store, app_id,
                                                                    monkeypatch):
    real_import = feedback_module.importlib.import_module

    def failing(name, package=None):
        if name == "tappedin_widgets.themes":
            raise ValueError("broken module")
        return real_import(name, package)

    monkeypatch.setattr(feedback_module.importlib, "import_module", failing)
    view = feedback_view(Workbook(store, application_id=app_id))
    fill(view, observations="Clear, but vague examples.")
    assert view.editor.tagger.toggles == {}
    view.editor.save_button.click()
    assert store.count("feedback") == 1


# -- messages and wording (issue 17) -----------------------------------------------------


def test_a_saved_message_goes_when_the_feedback_changes_elsewhere(view, store, app_id):
    fill(view, observations="Clear answers, few numbers.")
    view.editor.save_button.click()
    assert view.editor.status.text.startswith("Feedback saved")
    other = store.add("feedback", application_id=app_id, observations="Later note")
    view.workbook.changed("feedback", app_id)  # e.g. recorded in another window
    assert view.editor.status.text == ""
    store.delete("feedback", other)


def test_a_change_to_another_application_leaves_the_message(view, store, app_id):
    fill(view, observations="Clear answers, few numbers.")
    view.editor.save_button.click()
    elsewhere = store.add("applications", company="Contoso", role="Analyst")
    store.add("feedback", application_id=elsewhere, observations="Unrelated")
    view.workbook.changed("feedback", elsewhere)
    assert view.editor.status.text.startswith("Feedback saved")


def test_counts_and_articles_read_right():
    from tappedin_widgets.models import article, plural

    assert [plural(n, "tag") for n in (0, 1, 2)] == ["0 tags", "1 tag", "2 tags"]
    assert plural(1, "piece") + " of feedback matches" == "1 piece of feedback matches"
    assert plural(3, "entry") == "3 entries" and plural(2, "day") == "2 days"
    assert plural(2, "feedback") == "2 feedback entries" and plural(1200, "row") == "1,200 rows"
    assert plural(2, "match") == "2 matches"
    assert article("Excel (.xlsx)") == "an Excel (.xlsx)" and article("zip") == "a zip"
    assert article("hour") == "an hour" and article("useful note") == "a useful note"
    assert article("interview") == "an interview" and article("offer") == "an offer"


def test_an_entry_deleted_elsewhere_while_edited_leaves_the_edit_mode(view, store, app_id):
    fill(view, observations="Clear answers, few numbers.")
    view.editor.save_button.click()
    fid = int(store.table("feedback")["id"].iloc[0])
    view.editor.edit(fid)
    assert "Edit this feedback" in view.editor.mode.value
    store.delete("feedback", fid)
    view.workbook.changed("feedback", app_id)  # deleted in another window
    assert view.editor.editing is None
    assert "Record the feedback" in view.editor.mode.value
