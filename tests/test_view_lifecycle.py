"""Issue 13: a long session stays the same size and only updates what shows a change.

Per view: live widgets (ipywidgets' registry) after 1 and after 100 saves, edits
and deletes; the store reads one save makes with every tab open; hidden tabs only
marked stale; rows reused by id; typing and dates (the kernel side of it).
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
import pytest

from tappedin_widgets.app import App
from tappedin_widgets.diagnostics import StoreReads, live_widgets
from tappedin_widgets.views.common import (
    BAD_DATE,
    PICK,
    ConfirmButton,
    KeyedRows,
    Workbook,
    close_tree,
    set_children,
)
from tappedin_widgets.views.continue_search import ContinueSearchView
from tappedin_widgets.views.feedback import FeedbackView
from tappedin_widgets.views.follow_up import FollowUpView
from tappedin_widgets.views.job_reflection import JobReflectionView
from tappedin_widgets.views.self_reflection import SelfReflectionView
from tappedin_widgets.views.start import StartView
from tappedin_widgets.views.trends import TrendsView

ROUNDS = 100


live = live_widgets


def same_size_after(rounds: int, step) -> tuple[int, int]:
    """Live widgets after the first round and after ``rounds`` rounds of ``step(i)``."""
    step(0)
    first = live()
    for i in range(1, rounds):
        step(i)
    return first, live()


def assert_no_growth(first: int, last: int) -> None:
    # The target is 5 %; nothing should grow at all.
    assert last <= first * 1.05, (first, last)
    assert last == first, f"{last - first:+d} widgets over {ROUNDS} rounds"


# --------------------------------------------------------------------------
# The helpers


def test_close_tree_closes_children_layouts_styles_and_hidden_parts():
    confirm = ConfirmButton("Delete", lambda: None)
    confirm.ask()  # makes the question and Yes / Cancel
    box = w.VBox([w.HTML("x"), w.HBox([w.Button(description="b"), confirm])])
    before = live()
    parts = [box, *box.children, confirm.button, confirm.yes, confirm.no, confirm.question]
    close_tree(box)
    assert all(p.comm is None for p in parts)
    assert live() < before - len(parts)  # their layouts and styles went too


def test_set_children_closes_only_what_is_replaced():
    keep, gone = w.Button(description="keep"), w.Button(description="gone")
    box = w.VBox([keep, gone])
    set_children(box, [keep])
    assert keep.comm is not None and gone.comm is None
    assert box.children == (keep,)


def test_keyed_rows_rebuild_only_new_or_changed_records():
    box = w.VBox()
    rows = KeyedRows(box, lambda r: w.HTML(r["text"]), "empty")
    rows.show([(1, {"text": "a"}), (2, {"text": "b"})])
    first = rows[1]
    rows.show([(1, {"text": "a"}), (2, {"text": "B"}), (3, {"text": "c"})])
    assert rows[1] is first and rows.built == 4
    old_two = rows[2]
    rows.show([(1, {"text": "a"})])
    assert old_two.comm is None and box.children == (first,)
    rows.show([])
    assert first.comm is None and box.children == (rows.empty,)


def test_keyed_rows_with_a_limit_offer_the_rest():
    box = w.VBox()
    rows = KeyedRows(box, lambda r: w.HTML(r), limit=3)
    rows.show([(i, str(i)) for i in range(5)])
    assert len(rows.rows) == 3 and box.children[-1] is rows.more
    assert rows.more.description == "Show all 5"
    rows.more.click()
    assert len(rows.rows) == 5 and rows.more.description == "Show fewer"


def test_a_change_says_what_and_for_which_application(store, app_id):
    wb = Workbook(store, application_id=app_id)
    heard = []
    wb.on_change(heard.append, {"feedback"}, picked_only=True)
    wb.changed("feedback", app_id)
    wb.changed("feedback", app_id + 1000)  # another application's: not shown here
    wb.changed("job_items", app_id)        # not a kind this view shows
    wb.changed("")                         # anything: everyone refreshes
    assert [(c.kind, c.application_id) for c in heard] == [("feedback", app_id), ("", None)]
    assert wb.last_change == "" and wb.revision == 4


def test_a_hidden_scope_is_marked_stale_and_refreshed_once_when_shown(store, app_id):
    wb = Workbook(store, application_id=app_id)
    heard = []
    with wb.building("tab", hidden=True):
        wb.on_change(heard.append, {"feedback", "contacts"})
    wb.changed("feedback", app_id)
    wb.changed("feedback", app_id)
    assert heard == [] and wb.stale("tab")
    wb.show("tab")
    assert heard == ["feedback"] and not wb.stale("tab")
    wb.hide("tab")
    wb.changed("feedback")
    wb.changed("contacts")
    wb.show("tab")
    assert heard == ["feedback", ""]  # two kinds while hidden: one refresh for everything


# --------------------------------------------------------------------------
# Store reads and stale tabs in the whole app


@pytest.fixture
def demo_app(store):
    from tappedin_widgets.demo import load_demo

    load_demo(store)
    app = App(Workbook(store))
    for index in range(len(app.slots)):
        app.tabs.selected_index = index
    app.tabs.selected_index = 1
    return app


def test_typing_feedback_reads_what_the_user_taught_the_suggester_once(demo_app, store):
    editor = demo_app.views[1].editor
    reads = StoreReads(store)
    text = "Strong SQL, but the examples lacked numbers."
    for end in range(1, len(text) + 1):
        editor.fields["observations"].value = text[:end]
    assert editor.tagger.suggested, "the suggester ran"
    assert reads.take()["frames"] == 1


def test_a_feedback_save_with_every_tab_open_reads_the_store_a_few_times(demo_app, store):
    editor = demo_app.views[1].editor
    # The suggester reads what the user taught it (their tagged feedback) once per change.
    editor.fields["observations"].value = "Strong SQL"
    reads = StoreReads(store)
    editor.fields["observations"].value = "Strong SQL, but the examples lacked numbers."
    editor.save_button.click()
    assert "Feedback saved" in editor.status.text
    calls = reads.take()
    # Was 53 (31 table() calls, 3 full tag joins) when every open view re-rendered.
    assert sum(calls.values()) <= 8, calls
    assert calls["tags"] == 0 and calls["frames"] == 0, calls  # Trends is hidden: stale only
    trends = demo_app.views[6]
    drawn = trends.refreshes
    demo_app.tabs.selected_index = 6
    assert trends.refreshes == drawn + 1  # brought up to date once, on show
    demo_app.tabs.selected_index = 6
    assert trends.refreshes == drawn + 1


def test_the_app_stays_the_same_size_over_many_saves(demo_app):
    editor = demo_app.views[1].editor
    feedback_list = demo_app.views[1].list

    def save_edit_delete(i: int) -> None:
        editor.fields["observations"].value = f"Round {i}: clear answers, few numbers."
        editor.save_button.click()
        fid = max(feedback_list.cards.rows)
        feedback_list.edit_buttons[fid].click()
        editor.fields["observations"].value = f"Round {i}: edited."
        editor.save_button.click()
        feedback_list.delete_buttons[fid].yes.click()

    assert_no_growth(*same_size_after(ROUNDS, save_edit_delete))


# --------------------------------------------------------------------------
# Per view: live widgets after 1 and after 100 saves, edits and deletes


def test_start_here_stays_the_same_size(store, app_id):
    view = StartView(Workbook(store, application_id=app_id))
    apps, people = view.applications, view.contacts

    def step(i: int) -> None:
        apps.fields["role"].value = f"Analyst {i}"
        apps.save_button.click()
        people.fields["name"].value = f"Person {i}"
        people.save_button.click()
        row = next(iter(people.rows.rows.values()))[1]
        row.children[2].yes.click()  # Remove

    assert_no_growth(*same_size_after(ROUNDS, step))
    assert store.count("contacts") == 0


def test_feedback_stays_the_same_size(store, app_id):
    view = FeedbackView(Workbook(store, application_id=app_id))

    def step(i: int) -> None:
        view.editor.fields["observations"].value = f"Round {i}: good SQL, weak stories."
        view.editor.save_button.click()
        fid = max(view.list.cards.rows)
        view.list.edit_buttons[fid].click()
        view.editor.fields["observations"].value = f"Round {i}: changed."
        view.editor.save_button.click()
        view.list.delete_buttons[fid].yes.click()

    assert_no_growth(*same_size_after(ROUNDS, step))
    assert store.count("feedback") == 0


def test_feedback_saved_again_and_again_shows_a_page_of_it(store, app_id):
    view = FeedbackView(Workbook(store, application_id=app_id))
    sizes = []
    for i in range(ROUNDS):
        view.editor.fields["observations"].value = f"Entry {i}"
        view.editor.save_button.click()
        sizes.append(live())
    # The list is full after LIST_PAGE entries; from then on nothing grows.
    assert sizes[-1] == sizes[20]
    assert len(view.list.cards.rows) == 5 and view.list.cards.total == ROUNDS
    assert "Entry 99" in view.list.rows.children[0].children[0].value  # newest first


def test_follow_up_stays_the_same_size(store, app_id):
    view = FollowUpView(Workbook(store, application_id=app_id))
    composer = view.composer

    def step(i: int) -> None:
        composer.start_new()
        composer.other.value = f"Priya {i}"
        composer.save_button.click()
        note_id = composer.editing
        row = view.notes.rows[note_id]
        row.open_panel()
        row.confirm.click()  # mark sent: plans a reconnect
        view.notes.rows[note_id].delete.yes.click()

    assert_no_growth(*same_size_after(ROUNDS, step))
    assert store.count("follow_ups") == 0


def test_self_reflection_stays_the_same_size(store, app_id):
    view = SelfReflectionView(Workbook(store, application_id=app_id), debounce=60)
    answers = view.answers

    def step(i: int) -> None:
        answers.fields["underprepared"].value = f"Why this company? {i}\nA time you failed?"
        assert answers.flush()
        view.practice.render()

    assert_no_growth(*same_size_after(ROUNDS, step))


def test_job_reflection_stays_the_same_size(store, app_id):
    view = JobReflectionView(Workbook(store, application_id=app_id))
    column = view.liked

    def step(i: int) -> None:
        column.new.widget.receive({"event": "submit", "value": f"Item {i}"})
        row = column.rows[0]
        row.text.receive({"event": "submit", "value": f"Item {i}, edited"})
        column.rows[0].remove.yes.click()

    assert_no_growth(*same_size_after(ROUNDS, step))
    assert store.count("job_items") == 0


def test_keep_going_stays_the_same_size(store, app_id):
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    actions, questions = view.actions, view.questions
    # Done actions and practised questions move to their folded sections: open them.
    actions.done_section.selected_index = questions.done_section.selected_index = 0

    def step(i: int) -> None:
        actions.fields["action"].value = f"Write STAR story {i}"
        actions.save_button.click()
        aid = max(actions.rows)
        actions.rows[aid].toggle.click()  # done
        actions.rows[aid].delete.yes.click()
        questions.fields["question"].value = f"Tell me about {i}"
        questions.save_button.click()
        qid = max(questions.rows)
        questions.rows[qid].toggle.click()
        questions.rows[qid].delete.yes.click()

    assert_no_growth(*same_size_after(ROUNDS, step))
    assert store.count("action_items") == 0 and store.count("interview_questions") == 0


def test_trends_stays_the_same_size(store, app_id):
    view = TrendsView(Workbook(store, application_id=app_id))

    def step(i: int) -> None:
        store.update("applications", app_id, role=f"Analyst {i % 2}")
        view.workbook.changed("applications", app_id)

    assert_no_growth(*same_size_after(ROUNDS, step))


# --------------------------------------------------------------------------
# Typing


def test_typing_a_name_keeps_the_same_box_on_the_page(store, app_id):
    """"Someone not listed" lost focus: each keystroke replaced the first widget of its
    box, and the page redraws a box from the first child that changed."""
    view = FollowUpView(Workbook(store, application_id=app_id))
    composer = view.composer
    who = composer.who
    before = list(who.children)
    for n in range(1, len("Priya") + 1):
        composer.other.value = "Priya"[:n]
        assert who.children[:len(before)] == tuple(before)  # nothing before or at it replaced
    assert composer.body.value.startswith("Hi Priya,")


def test_enter_adds_exactly_the_text_in_the_box_even_ahead_of_its_keystrokes(store, app_id):
    """The browser sends each keystroke and the Enter in order, each with the box's text;
    an Enter that overtook the last keystroke used to save "remote-firs"."""
    view = JobReflectionView(Workbook(store, application_id=app_id))
    box = view.concerns.new.widget
    for n in range(1, len("remote-firs") + 1):
        box.receive({"event": "input", "value": "remote-first"[:n]})
    box.receive({"event": "submit", "value": "remote-first"})
    assert list(store.table("job_items", kind="concern")["text"]) == ["remote-first"]
    assert box.value == "" and box._push["text"] == ""  # the box is cleared on the page


def test_enter_in_an_item_saves_exactly_its_text(store, app_id):
    view = JobReflectionView(Workbook(store, application_id=app_id))
    view.liked.new.widget.receive({"event": "submit", "value": "Kind team"})
    row = view.liked.rows[0]
    row.text.receive({"event": "input", "value": "Kind tea"})
    row.text.receive({"event": "submit", "value": "Kind team, clear career ladder"})
    assert list(store.table("job_items")["text"]) == ["Kind team, clear career ladder"]


# --------------------------------------------------------------------------
# Dates


def impossible(box) -> None:
    """What the browser sends for 02/30/2026 (or a date typed in part): no value, bad."""
    box.receive({"event": "date", "value": "", "bad": True})


def test_an_impossible_date_is_refused_beside_its_field_in_start_here(store):
    view = StartView(Workbook(store))
    editor = view.applications
    editor.fields["company"].value = "Northwind"
    editor.fields["role"].value = "Analyst"
    for name in ("outcome_on", "applied_on"):
        impossible(editor.fields[name].widget)
        assert editor.fields[name].error == BAD_DATE
        assert editor.save_button.disabled
        editor.save()
        assert store.count("applications") == 0
        editor.fields[name].widget.show(dt.date(2026, 3, 2))
        assert editor.fields[name].error == ""


def test_an_impossible_date_is_refused_in_feedback(store, app_id):
    view = FeedbackView(Workbook(store, application_id=app_id))
    editor = view.editor
    editor.fields["observations"].value = "Good SQL."
    for name in ("requested_on", "received_on"):
        impossible(editor.fields[name].widget)
        assert editor.fields[name].error == BAD_DATE
        editor.save()
        assert store.count("feedback") == 0
        assert "nothing was saved" in editor.status.text
        editor.fields[name].widget.show(None)


def test_an_impossible_date_is_refused_in_keep_going_and_follow_up(store, app_id):
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    actions = view.actions
    actions.fields["action"].value = "Practise"
    impossible(actions.fields["due_on"].widget)
    assert actions.fields["due_on"].error == BAD_DATE
    actions.save()
    assert store.count("action_items") == 0

    follow = FollowUpView(Workbook(store, application_id=app_id))
    follow.composer.other.value = "Priya"
    follow.composer.save_button.click()
    row = follow.notes.rows[follow.composer.editing]
    row.open_panel()
    for field in (row.sent_on, row.reconnect_on):
        impossible(field.widget)
        assert field.error == BAD_DATE and row.confirm.disabled
        row.mark_sent()
        assert store.get("follow_ups", row.note_id)["status"] == "draft"
        field.widget.show(dt.date(2026, 3, 2))


def test_an_impossible_trends_filter_date_says_so(store, app_id):
    view = TrendsView(Workbook(store, application_id=app_id))
    impossible(view.filter_bar.start)
    assert BAD_DATE in view.filter_bar.message.value


def test_views_listen_to_picks_through_the_workbook(store, app_id):
    wb = Workbook(store, application_id=app_id)
    heard = []
    wb.on_change(heard.append, {PICK})
    other = store.add("applications", company="B", role="r")
    wb.application_id = other
    assert heard == [PICK] and heard[0].application_id == other


def test_an_item_saved_with_enter_keeps_its_box(store, app_id):
    """The row takes its saved text in place: a new box would take the focus away."""
    view = JobReflectionView(Workbook(store, application_id=app_id))
    view.liked.new.widget.receive({"event": "submit", "value": "Kind team"})
    row = view.liked.rows[0]
    box = row.text
    box.receive({"event": "submit", "value": "Kind team (edited 10)"})
    assert view.liked.rows[0] is row and row.text is box and box.comm is not None
    assert row.saved_text == "Kind team (edited 10)" and row.save.disabled
    store.update("job_items", row.item_id, text="Changed elsewhere")
    view.workbook.changed("job_items", app_id)
    assert box.value == "Changed elsewhere"
