"""Step 3, self-reflection: driven without a browser, asserted on the store."""

from __future__ import annotations

import asyncio
import re

import pytest

from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.inputs import TextBox
from tappedin_widgets.views.self_reflection import (
    DEBOUNCE_S,
    Debouncer,
    SelfReflectionView,
    split_questions,
)

SAVED = re.compile(r"^Saved at \d\d:\d\d$")


@pytest.fixture
def view(store, app_id):
    v = SelfReflectionView(Workbook(store, application_id=app_id))
    yield v
    v.answers.timer.cancel()


def test_every_question_has_a_labelled_box_and_a_gentle_prompt(view):
    assert len(view.answers.fields) == 5
    for field in view.answers.fields.values():
        assert field.widget.description
        assert field.help.value
        assert isinstance(field.widget, TextBox)  # every keystroke reaches the kernel, in order


def test_the_debounce_is_about_a_second_and_a_half_by_default():
    assert 1.0 <= DEBOUNCE_S <= 2.0


def test_flush_saves_what_was_typed_and_says_when(view, store, app_id):
    view.answers.fields["did_well"].value = "I prepared three stories with numbers."
    view.answers.fields["learned_self"].value = "I talk fast when nervous."
    assert view.answers.dirty
    assert view.flush()
    row = store.reflection(app_id)
    assert row["did_well"] == "I prepared three stories with numbers."
    assert row["learned_self"] == "I talk fast when nervous."
    assert SAVED.match(view.status.text), view.status.text
    assert not view.answers.dirty


def test_typing_again_updates_the_same_reflection(view, store, app_id):
    view.answers.fields["did_well"].value = "First thought."
    view.flush()
    view.answers.fields["did_well"].value = "Second thought."
    view.flush()
    frame = store.table("reflections")
    assert len(frame) == 1
    assert frame.iloc[0]["did_well"] == "Second thought."


def test_flush_with_nothing_typed_writes_nothing(view, store):
    assert view.flush()
    assert store.count("reflections") == 0


def test_typing_starts_a_timer_that_flush_cancels(view, store, app_id):
    view.answers.fields["did_well"].value = "x"
    assert view.answers.timer.pending
    view.flush()
    assert not view.answers.timer.pending


def test_the_debounce_saves_after_a_pause_on_a_real_event_loop(store, app_id):
    async def scenario() -> tuple[object, object, str]:
        v = SelfReflectionView(Workbook(store, application_id=app_id), debounce=0.05)
        v.answers.fields["do_differently"].value = "Ask about the team"
        await asyncio.sleep(0.02)
        v.answers.fields["do_differently"].value = "Ask about the team early"
        before = store.reflection(app_id)  # still typing: nothing saved yet
        await asyncio.sleep(0.3)
        return before, store.reflection(app_id), v.status.text

    before, after, status = asyncio.run(scenario())
    assert before is None
    assert after["do_differently"] == "Ask about the team early"
    assert SAVED.match(status), status


def test_the_debounce_falls_back_to_a_thread_without_an_event_loop():
    import threading

    fired = threading.Event()
    d = Debouncer(0.01, fired.set)
    d.poke()
    assert fired.wait(2)


def test_switching_application_flushes_to_the_right_one_and_reloads(store, app_id):
    other = store.add("applications", company="Contoso", role="Data Analyst")
    store.save_reflection(other, did_well="Contoso answer, saved earlier.")
    wb = Workbook(store, application_id=app_id)
    v = SelfReflectionView(wb)
    v.answers.fields["did_well"].value = "Northwind answer, still pending."
    wb.application_id = other
    assert store.reflection(app_id)["did_well"] == "Northwind answer, still pending."
    assert store.reflection(other)["did_well"] == "Contoso answer, saved earlier."
    assert v.answers.fields["did_well"].value == "Contoso answer, saved earlier."
    assert v.answers.fields["underprepared"].value == ""
    wb.application_id = app_id
    assert v.answers.fields["did_well"].value == "Northwind answer, still pending."
    v.answers.timer.cancel()


def test_an_answer_of_a_megabyte_is_not_saved_and_stays_in_the_box(view, store, app_id):
    huge = "a" * 1_000_000
    view.answers.fields["learned_process"].value = huge
    assert not view.flush()
    assert store.reflection(app_id) is None
    assert view.status.text.startswith("Not saved: ")
    assert "too long" in view.status.text
    assert "too long" in view.answers.fields["learned_process"].error
    assert view.answers.fields["learned_process"].value == huge
    assert view.answers.dirty  # retried on the next change
    view.answers.fields["learned_process"].value = "Shorter now."
    assert view.flush()
    assert store.reflection(app_id)["learned_process"] == "Shorter now."
    assert view.answers.fields["learned_process"].error == ""


def test_unsaved_text_comes_back_when_you_return_to_the_application(store, app_id):
    other = store.add("applications", company="Contoso", role="Data Analyst")
    wb = Workbook(store, application_id=app_id)
    v = SelfReflectionView(wb)
    v.answers.fields["learned_self"].value = "b" * 60_000
    wb.application_id = other
    assert store.reflection(app_id) is None
    assert v.answers.fields["learned_self"].value == ""
    wb.application_id = app_id
    assert v.answers.fields["learned_self"].value == "b" * 60_000
    assert v.status.text.startswith("Not saved")
    v.answers.timer.cancel()


def test_questions_are_split_by_line_bullet_and_question_mark():
    text = ("- Why do you want to leave your current job?\n"
            "* Tell me about a conflict with a stakeholder\n"
            "1. How would you size the market for e.g. bikes? They asked about SQL. "
            "What is a window function?\n\n"
            "“Where do you see yourself in five years?”\n"
            "why do you want to leave your current job?")
    assert split_questions(text) == [
        "Why do you want to leave your current job?",
        "Tell me about a conflict with a stakeholder",
        "How would you size the market for e.g. bikes?",
        "What is a window function?",
        "Where do you see yourself in five years?",
    ]
    assert split_questions("") == []
    assert split_questions(None) == []


def test_quoted_questions_are_picked_out_of_a_longer_line():
    text = ("'How do customers use our integrations?' I had no idea. Also 'What did you "
            "measure, and what moved?'\n"
            "'Walk me through a project you owned end to end.' I said 'we' the whole time.\n"
            "“Why us?” I froze. ‘Can you show us something you’ve written?’")
    assert split_questions(text) == [
        "How do customers use our integrations?",
        "What did you measure, and what moved?",
        "Walk me through a project you owned end to end.",
        "Why us?",
        "Can you show us something you’ve written?",
    ]


def test_splitting_a_huge_answer_keeps_it_as_one_piece():
    # How long it takes: benchmarks/bench_limits.py.
    found = split_questions("'a " * 400_000)
    assert len(found) == 1 and found[0].startswith("a 'a 'a")


def test_one_click_puts_a_question_on_the_practice_list(view, store, app_id):
    view.answers.fields["underprepared"].value = (
        "Why this company? What would you do in your first 90 days?")
    view.flush()
    buttons = view.practice.buttons
    assert list(buttons) == ["Why this company?", "What would you do in your first 90 days?"]
    buttons["Why this company?"].click()
    rows = store.table("interview_questions")
    assert list(rows["question"]) == ["Why this company?"]
    assert int(rows.iloc[0]["application_id"]) == app_id
    assert "Added" in view.practice.status.text
    # shown as already on the list, and can't be added twice
    done = view.practice.buttons["Why this company?"]
    assert done.disabled
    assert not view.practice.buttons["What would you do in your first 90 days?"].disabled


def test_a_question_already_on_the_list_gets_the_stores_message(view, store, app_id):
    view.answers.fields["underprepared"].value = "Walk me through your CV"
    view.flush()
    add = view.practice.buttons["Walk me through your CV"]
    assert not add.disabled
    store.add("interview_questions", question="walk me through your  CV")  # another window
    add.click()
    assert view.practice.status.text == "That question is already on your list."
    assert store.count("interview_questions") == 1


def test_adding_a_question_also_saves_the_answers_typed_so_far(view, store, app_id):
    view.answers.fields["underprepared"].value = "Why us?"
    view.flush()
    view.answers.fields["did_well"].value = "Typed just before the click."
    view.practice.buttons["Why us?"].click()
    assert store.reflection(app_id)["did_well"] == "Typed just before the click."


def test_with_no_application_picked_there_is_a_hint_and_the_boxes_are_disabled(store):
    v = SelfReflectionView(Workbook(store))
    assert "Pick an application" in v.answers.hint.value
    assert all(f.widget.disabled for f in v.answers.fields.values())
    assert v.practice.buttons == {}
    assert v.flush()
    assert store.count("reflections") == 0


def test_answers_reload_when_the_view_is_opened_again(store, app_id):
    store.save_reflection(app_id, underprepared="Why should we hire you?")
    v = SelfReflectionView(Workbook(store, application_id=app_id))
    assert v.answers.fields["underprepared"].value == "Why should we hire you?"
    assert v.status.text.startswith("Saved")
    assert list(v.practice.buttons) == ["Why should we hire you?"]


def test_user_text_in_candidates_is_escaped(view):
    view.answers.fields["underprepared"].value = "<b>Why</b> & how?"
    view.flush()
    html = view.practice.list.children[0].children[1].value
    assert "&lt;b&gt;Why&lt;/b&gt; &amp; how?" in html
