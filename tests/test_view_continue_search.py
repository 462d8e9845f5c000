"""Step 5, "Continue the search": driven without a browser, asserted on the store."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.continue_search import (
    ContinueSearchView,
    continue_search_view,
    gap_suggestions,
    search_numbers,
    search_summary,
)

TODAY = dt.date.today()


@pytest.fixture
def view(store, app_id):
    return ContinueSearchView(Workbook(store, application_id=app_id))


def _feedback(store, app_id, *gaps, strengths=()):
    fb = store.add("feedback", application_id=app_id, observations="Some notes.")
    store.set_tags(fb, [(t, "-") for t in gaps] + [(t, "+") for t in strengths])
    return fb


def _another(store, company="Globex", **values):
    return store.add("applications", company=company, role="Analyst",
                     **{"applied_on": "2026-04-01", "stage": "screen", "outcome": "rejected",
                        **values})


def _suggestion_button(view, theme):
    for suggestion, b in view.suggestions.buttons:
        if suggestion.theme == theme:
            return suggestion, b
    raise AssertionError(f"no suggestion for {theme}")


def _only_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# -- lessons become actions ------------------------------------------------


def test_a_suggested_gap_theme_prefills_the_action_form(store, app_id):
    _feedback(store, app_id, "examples_results", "competition")
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    suggestion, b = _suggestion_button(view, "examples_results")
    b.click()
    form = view.actions.fields
    assert form["theme"].value == "examples_results"
    assert "Examples & results" in form["lesson"].value
    assert "Northwind" in form["lesson"].value
    assert form["application_id"].value == app_id
    assert form["due_on"].value == TODAY + dt.timedelta(days=14)
    assert view.actions.save_button.disabled  # the action itself is still to write
    form["action"].value = "Write three STAR stories with numbers"
    view.actions.save_button.click()
    row = store.table("action_items").iloc[0]
    assert row["theme"] == "examples_results"
    assert row["action"] == "Write three STAR stories with numbers"
    assert row["lesson"] == suggestion.lesson
    assert int(row["application_id"]) == app_id
    assert row["due_on"].date() == TODAY + dt.timedelta(days=14)
    assert view.actions.status.text == "Action added."
    assert form["action"].value == ""  # ready for the next one


def test_competition_is_never_suggested_as_a_gap(store, app_id):
    _feedback(store, app_id, "competition")
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    assert all(s.theme != "competition" for s, _ in view.suggestions.buttons)


def test_recurring_gaps_count_applications_and_are_not_tied_to_one(store, app_id):
    other = _another(store)
    third = _another(store, company="Initech")
    _feedback(store, app_id, "communication", "preparation")
    _feedback(store, other, "communication", "competition")
    _feedback(store, third, "communication", "competition")
    recurring, own = gap_suggestions(store, app_id)
    assert [(s.theme, s.count) for s in recurring] == [("communication", 3)]
    assert {s.theme for s in own} == {"communication", "preparation"}

    view = ContinueSearchView(Workbook(store, application_id=third))
    recurring_buttons = [b for s, b in view.suggestions.buttons
                         if s.theme == "communication" and s.application_id is None]
    recurring_buttons[0].click()
    assert view.actions.fields["application_id"].value is None
    assert "3 applications" in view.actions.fields["lesson"].value
    assert "3 applications" in _only_text(view.suggestions.body.children[-1].children[0].value)


def test_the_reflection_answer_is_offered_as_a_lesson(store, app_id):
    store.save_reflection(app_id, do_differently="Prepare   numbers for <every> example.")
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    suggestion, b = view.suggestions.buttons[0]
    assert "&lt;every&gt;" in view.suggestions.body.children[1].children[0].value
    b.click()
    assert view.actions.fields["lesson"].value == "Prepare numbers for <every> example."
    assert view.actions.fields["theme"].value is None


def test_with_nothing_to_suggest_the_view_says_what_would_help(store, app_id):
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    assert view.suggestions.buttons == []
    assert "step 1" in view.suggestions.body.children[0].value


def test_a_custom_theme_is_offered_by_its_own_name(store, app_id):
    theme = store.add_theme("Portfolio")
    _feedback(store, app_id, theme)
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    suggestion, b = _suggestion_button(view, theme)
    b.click()
    assert view.actions.fields["theme"].value == theme
    assert suggestion.label == "Portfolio"


# -- the action form -------------------------------------------------------


def test_save_stays_disabled_until_an_action_is_written(view, store):
    assert view.actions.save_button.disabled
    view.actions.fields["lesson"].value = "I rambled."
    assert view.actions.save_button.disabled
    view.actions.fields["action"].value = "Practise two-minute answers"
    assert not view.actions.save_button.disabled


def test_a_due_date_too_far_ahead_shows_a_message_and_writes_nothing(view, store):
    view.actions.fields["action"].value = "Practise two-minute answers"
    view.actions.fields["due_on"].value = dt.date(TODAY.year + 20, 1, 1)
    assert "years ahead" in view.actions.fields["due_on"].error
    assert view.actions.save_button.disabled
    view.actions.save()  # even forced, nothing is written
    assert store.count("action_items") == 0
    assert view.actions.fields["action"].value == "Practise two-minute answers"
    assert "fix the highlighted" in view.actions.status.text


def test_an_impossible_due_date_shows_a_message_and_writes_nothing(view, store):
    view.actions.fields["action"].value = "Practise two-minute answers"
    view.actions.fields["due_on"].value = dt.date(1900, 1, 1)
    assert "before 1970" in view.actions.fields["due_on"].error
    view.actions.save()
    assert store.count("action_items") == 0
    # A browser's date box can't hold 30 February: it arrives as "no date", which is allowed.
    view.actions.fields["due_on"].value = None
    assert view.actions.fields["due_on"].error == ""
    assert not view.actions.save_button.disabled


def test_a_failed_save_keeps_what_was_typed(view, store, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(store, "add", broken)
    view.actions.fields["action"].value = "Ask a friend for a mock interview"
    view.actions.save_button.click()
    assert "nothing was saved" in view.actions.status.text
    assert "disk" not in view.actions.status.text
    assert view.actions.fields["action"].value == "Ask a friend for a mock interview"


# -- the action list -------------------------------------------------------


def test_mark_done_then_reopen(view, store):
    action = store.add("action_items", action="Update my CV", due_on=TODAY)
    view.workbook.changed("action_items")
    view.actions.rows[action].toggle.click()
    assert store.get("action_items", action)["done_on"] == TODAY
    # Done: it leaves the list for the folded, counted section, built when opened.
    assert action not in view.actions.rows
    assert view.actions.done_section.titles == ("Done (1)",)
    assert "Every action is done" in view.actions.list.children[0].value
    view.actions.done_section.selected_index = 0
    assert view.actions.rows[action].toggle.description == "Reopen"
    view.actions.rows[action].toggle.click()
    assert store.get("action_items", action)["done_on"] is None
    assert view.actions.rows[action].toggle.description == "Mark done"
    assert view.actions.done_section.layout.display == "none"  # nothing done: no section


def test_done_actions_and_practised_questions_are_counted_and_built_when_opened(view, store):
    for i in range(12):
        store.add("action_items", action=f"Done {i}", done_on=TODAY)
        store.add("interview_questions", question=f"Practised {i}?", practised=True,
                  practised_on=TODAY)
    store.add("action_items", action="Still to do", due_on=TODAY)
    store.add("interview_questions", question="Not yet?")
    view.workbook.changed("")
    actions, questions = view.actions, view.questions
    assert actions.done_section.titles == ("Done (12)",)
    assert questions.done_section.titles == ("Practised (12)",)
    assert actions.done_keyed.rows == {} and questions.done_keyed.rows == {}  # not built
    assert len(actions.rows) == 1 and len(questions.rows) == 1
    actions.done_section.selected_index = 0
    # A page at a time: 5 rows, then "Show 7 more".
    assert len(actions.done_keyed.rows) == 5
    more = actions.done.list.children[-1]
    assert more.description == "Show 7 more (5 of 12 shown)"
    more.click()
    assert len(actions.done_keyed.rows) == 12 and more.description == "Show fewer"
    more.click()
    assert len(actions.done_keyed.rows) == 5
    questions.done_section.selected_index = 0
    assert len(questions.done_keyed.rows) == 5
    row = next(iter(questions.done_keyed.widgets()))
    assert row.toggle.description == "Not yet"
    # Buttons sit on the row itself, beside the text: one compact line per item.
    assert row.children[1:] == (row.toggle, row.edit, row.delete)
    assert "tappedin-row" in row._dom_classes


def test_open_actions_come_first_with_overdue_ones_on_top(view, store):
    later = store.add("action_items", action="Later", due_on=TODAY + dt.timedelta(days=9))
    undated = store.add("action_items", action="Someday")
    done = store.add("action_items", action="Done already", done_on=TODAY)
    overdue = store.add("action_items", action="Late", due_on=TODAY - dt.timedelta(days=3))
    soon = store.add("action_items", action="Soon", due_on=TODAY + dt.timedelta(days=1))
    view.workbook.changed("action_items")
    assert list(view.actions.rows) == [overdue, soon, later, undated]
    view.actions.done_section.selected_index = 0
    assert list(view.actions.rows) == [overdue, soon, later, undated, done]
    assert "tappedin-overdue" in view.actions.rows[overdue]._dom_classes
    assert "Overdue" in view.actions.rows[overdue].text.value
    assert "tappedin-overdue" not in view.actions.rows[soon]._dom_classes


def test_editing_an_action_loads_it_and_saves_changes(view, store, app_id):
    action = store.add("action_items", action="Update my CV", lesson="Too long",
                       theme="communication", due_on=TODAY, done_on=TODAY,
                       application_id=app_id)
    view.workbook.changed("action_items")
    view.actions.done_section.selected_index = 0  # a done one: in the folded section
    view.actions.rows[action].edit.click()
    fields = view.actions.fields
    assert fields["action"].value == "Update my CV"
    assert fields["theme"].value == "communication"
    assert fields["due_on"].value == TODAY
    assert view.actions.save_button.description == "Save changes"
    fields["action"].value = "Cut my CV to two pages"
    fields["theme"].value = None
    view.actions.save_button.click()
    row = store.get("action_items", action)
    assert row["action"] == "Cut my CV to two pages"
    assert row["theme"] is None
    assert row["done_on"] == TODAY  # editing the text doesn't undo "done"
    assert store.count("action_items") == 1
    assert view.actions.save_button.description == "Add action"


def test_cancel_editing_leaves_the_action_alone(view, store):
    action = store.add("action_items", action="Update my CV")
    view.workbook.changed("action_items")
    view.actions.rows[action].edit.click()
    view.actions.fields["action"].value = "Something else"
    view.actions.cancel_button.click()
    assert store.get("action_items", action)["action"] == "Update my CV"
    assert view.actions.fields["action"].value == ""


def test_deleting_an_action_asks_first(view, store):
    action = store.add("action_items", action="Update my CV")
    view.workbook.changed("action_items")
    delete = view.actions.rows[action].delete
    delete.button.click()
    assert delete.asking
    delete.no.click()
    assert store.count("action_items") == 1
    delete.button.click()
    delete.yes.click()
    assert store.count("action_items") == 0
    assert action not in view.actions.rows
    assert "No actions yet" in view.actions.list.children[0].value


# -- interview questions ---------------------------------------------------


def test_a_question_is_marked_practised_and_back_to_not_yet(view, store, app_id):
    q = store.add("interview_questions", question="Why this company?", application_id=app_id)
    view.workbook.changed("interview_questions")
    view.questions.rows[q].toggle.click()
    row = store.get("interview_questions", q)
    assert row["practised"] is True and row["practised_on"] == TODAY
    assert view.questions.done_section.titles == ("Practised (1)",)
    view.questions.done_section.selected_index = 0
    assert view.questions.rows[q].toggle.description == "Not yet"
    view.questions.rows[q].toggle.click()
    row = store.get("interview_questions", q)
    assert row["practised"] is False and row["practised_on"] is None


def test_questions_not_yet_practised_come_first(view, store):
    done = store.add("interview_questions", question="Old one", practised=True,
                     practised_on=TODAY)
    todo = store.add("interview_questions", question="New one")
    view.workbook.changed("interview_questions")
    assert list(view.questions.rows) == [todo]
    view.questions.done_section.selected_index = 0
    assert list(view.questions.rows) == [todo, done]


def test_a_question_is_added_by_hand_and_a_duplicate_is_refused(view, store, app_id):
    view.questions.fields["question"].value = "Tell me about a <hard> decision."
    view.questions.save_button.click()
    row = store.table("interview_questions").iloc[0]
    assert row["question"] == "Tell me about a <hard> decision."
    assert int(row["application_id"]) == app_id
    assert not row["practised"]
    assert "&lt;hard&gt;" in next(iter(view.questions.rows.values())).text.value
    view.questions.fields["question"].value = "tell me about a <hard> decision."
    view.questions.save_button.click()
    assert store.count("interview_questions") == 1
    assert "already on your list" in view.questions.fields["question"].error
    assert view.questions.fields["question"].value == "tell me about a <hard> decision."


def test_an_empty_question_cannot_be_saved(view, store):
    assert view.questions.save_button.disabled
    view.questions.fields["question"].value = "   "
    assert view.questions.save_button.disabled
    view.questions.save()
    assert store.count("interview_questions") == 0
    assert "Question is needed" in view.questions.fields["question"].error


def test_a_question_is_edited(view, store):
    q = store.add("interview_questions", question="Why us?", practised=True,
                  practised_on=TODAY)
    view.workbook.changed("interview_questions")
    view.questions.done_section.selected_index = 0
    view.questions.rows[q].edit.click()
    assert view.questions.fields["question"].value == "Why us?"
    view.questions.fields["question"].value = "Why do you want to work here?"
    view.questions.save_button.click()
    row = store.get("interview_questions", q)
    assert row["question"] == "Why do you want to work here?"
    assert row["practised"] is True  # still practised
    assert store.count("interview_questions") == 1


def test_deleting_a_question_asks_first(view, store):
    q = store.add("interview_questions", question="Why us?")
    view.workbook.changed("interview_questions")
    delete = view.questions.rows[q].delete
    delete.button.click()
    delete.no.click()
    assert store.count("interview_questions") == 1
    delete.button.click()
    delete.yes.click()
    assert store.count("interview_questions") == 0


# -- open applications -------------------------------------------------------


def test_open_applications_show_company_names_as_text(store, app_id):
    _another(store, company="<script>alert(1)</script>", outcome="open")
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    markup = view.open_applications.table.value
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "Northwind" not in markup  # rejected, so not open
    assert "01 Apr 2026" in markup and "screen" in markup


def test_no_open_applications_shows_a_kind_empty_state(view):
    assert "No open applications" in view.open_applications.table.value


# -- the summary -------------------------------------------------------------


def test_the_summary_welcomes_an_empty_store(store):
    text = search_summary(store)
    assert "Nothing logged yet" in text
    view = continue_search_view(Workbook(store))
    assert "Nothing logged yet" in view.summary.text.value
    assert "No open applications" in view.open_applications.table.value


def test_the_summary_of_one_application_is_singular(store, app_id):
    text = search_summary(store)
    assert text.startswith("You've applied to 1 role so far and reached the interview stage")
    assert "roles" not in text
    assert "No applications are open right now" in text


def test_the_summary_names_the_stage_one_application_reached(store, app_id):
    store.update("applications", app_id, stage="final round")
    assert search_summary(store).startswith("You've applied to 1 role so far and reached "
                                            "the final round — that's a real achievement.")


def test_the_summary_of_one_open_application_with_one_action(store):
    store.add("applications", company="Acme", role="Analyst", applied_on="2026-03-02")
    store.add("action_items", action="Follow up", done_on=TODAY)
    text = search_summary(store)
    assert "You've applied to 1 role so far." in text
    assert "your 1 action is done" in text
    assert "1 application is still open." in text


def test_the_summary_of_a_richer_store_gives_the_numbers(store):
    stages = ["interview"] * 5 + ["final round"] * 2 + ["screen"] * 3 + ["applied"] * 2
    outcomes = ["rejected"] * 9 + ["open"] * 3
    apps = [store.add("applications", company=f"Company {i}", role="Analyst",
                      applied_on=dt.date(2025, 3 + i % 6, 1 + i), stage=stage, outcome=outcome)
            for i, (stage, outcome) in enumerate(zip(stages, outcomes, strict=False))]
    for app in apps[:4]:
        _feedback(store, app, "communication")
    store.add("feedback", application_id=apps[4], observations="Liked your energy.")
    store.add("feedback", application_id=apps[5], declined=True)
    store.add("feedback", application_id=apps[6])  # asked, nothing came back yet
    for i in range(5):
        store.add("action_items", action=f"Action {i}",
                  done_on=dt.date(2025, 10, 1) if i < 3 else None,
                  due_on=dt.date(2025, 11, 1) if i == 3 else None)
    today = dt.date(2025, 11, 20)
    numbers = search_numbers(store, today)
    assert numbers["applications"] == 12 and numbers["interviews"] == 7
    assert numbers["feedback"] == 7 and numbers["feedback_learned"] == 5
    assert numbers["actions"] == 5 and numbers["actions_done"] == 3
    assert numbers["actions_overdue"] == 1 and numbers["open"] == 3
    text = search_summary(store, today)
    assert text.startswith("You've applied to 12 roles since March and reached interviews "
                           "in 7 of them — that's a real achievement.")
    assert "5 feedback conversations taught you something concrete" in text
    assert "3 of your 5 actions are done (1 is past its due date)." in text
    assert text.endswith("3 applications are still open.")
    assert "since March 2025" in search_summary(store, dt.date(2026, 2, 1))


def test_the_summary_is_honest_when_no_interview_came_yet(store):
    for i in range(2):
        store.add("applications", company=f"C{i}", role="R", applied_on="2026-01-05",
                  outcome="rejected")
    store.add("feedback", application_id=int(store.table("applications").iloc[0]["id"]),
              declined=True)
    text = search_summary(store, dt.date(2026, 6, 1))
    assert "You've applied to 2 roles since January. No interviews yet" in text
    assert "asked for feedback on 1 application" in text
    assert "no actions yet" in text


def test_the_summary_follows_changes_made_in_the_view(view, store):
    view.actions.fields["action"].value = "Ask for a referral"
    view.actions.save_button.click()
    assert "your 1 action is still to do" in view.summary.text.value
    only = next(iter(view.actions.rows.values()))
    only.toggle.click()
    assert "your 1 action is done" in view.summary.text.value


def test_every_input_has_a_label(view):
    for section in (view.actions, view.questions):
        for field in section.fields.values():
            assert field.widget.description


def test_picking_another_application_moves_an_untouched_form_along(store, app_id):
    other = _another(store)
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    assert view.actions.fields["application_id"].value == app_id
    view.workbook.application_id = other
    assert view.actions.fields["application_id"].value == other
    view.actions.fields["application_id"].value = None  # chosen by hand: it stays
    view.workbook.application_id = app_id
    assert view.actions.fields["application_id"].value is None


def test_rows_share_their_layouts_and_a_deleted_row_leaves_them_open(view, store):
    first = store.add("action_items", action="First")
    second = store.add("action_items", action="Second")
    view.workbook.changed("action_items")
    rows = view.actions.rows
    looks = view.actions.looks
    assert rows[first].layout is rows[second].layout is looks.row
    assert rows[first].edit.layout is rows[second].toggle.layout is looks.button_layout
    rows[first].delete.button.click()
    rows[first].delete.yes.click()
    assert rows[first].comm is None and rows[first].edit.comm is None  # the row is closed
    for part in (looks.row, looks.text, looks.html, looks.button_layout, looks.look):
        assert part.comm is not None  # what the other rows use stays open
    assert view.actions.rows[second].edit.layout.comm is not None


def test_dropdowns_show_their_none_choice_rather_than_a_blank_box(store):
    view = ContinueSearchView(Workbook(store))  # nothing picked: "not tied" is the choice
    theme = view.actions.fields["theme"].widget
    asked_at = view.questions.fields["application_id"].widget
    assert theme.label == "(no theme)" and theme.value is None
    assert asked_at.label == "Not tied to one application" and asked_at.value is None
    view.questions.fields["question"].value = "Why us?"
    view.questions.save_button.click()
    assert store.count("interview_questions") == 1
    assert asked_at.label == "Not tied to one application"  # cleared to it again
    assert view.actions.fields["application_id"].widget.layout.width == "min(640px, 100%)"
