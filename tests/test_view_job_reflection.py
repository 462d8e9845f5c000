"""Step 4, job reflection: driven without a browser, asserted on the store."""

from __future__ import annotations

import ipywidgets as w
import pytest

from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.job_reflection import JobReflectionView, missing_statement


@pytest.fixture
def view(store, app_id):
    return JobReflectionView(Workbook(store, application_id=app_id))


def items(store, kind):
    return list(store.table("job_items", kind=kind)["text"])


def test_the_two_columns_sit_side_by_side_at_half_width_each(view):
    assert isinstance(view.columns, w.HBox)
    assert [c.layout.width for c in view.columns.children] == ["50%", "50%"]
    assert "What I liked" in view.liked.children[0].value
    assert "What concerned me" in view.concerns.children[0].value


def test_adding_an_item_to_each_column(view, store, app_id):
    view.liked.new.value = "The team's focus on customers"
    view.liked.add_button.click()
    view.concerns.new.value = "Four office days a week"
    view.concerns.add_button.click()
    assert items(store, "liked") == ["The team's focus on customers"]
    assert items(store, "concern") == ["Four office days a week"]
    assert int(store.table("job_items").iloc[0]["application_id"]) == app_id
    assert view.liked.new.value == ""
    assert [r.text.value for r in view.liked.rows] == ["The team's focus on customers"]


def test_pressing_enter_in_the_box_adds_the_item(view, store):
    view.liked.new.value = "Gear-rental pilot"
    view.liked.new.widget.receive({"event": "submit", "value": "Gear-rental pilot"})
    assert items(store, "liked") == ["Gear-rental pilot"]


def test_add_stays_disabled_for_an_empty_item_and_writes_nothing(view, store):
    assert view.liked.add_button.disabled
    view.liked.new.value = "   "
    assert view.liked.add_button.disabled
    assert view.liked.new.error  # touched: the inline message says what's needed
    view.liked.add()
    assert store.count("job_items") == 0


def test_a_too_long_item_shows_a_message_and_writes_nothing(view, store):
    view.concerns.new.value = "x" * 3000
    assert "too long" in view.concerns.new.error
    assert view.concerns.add_button.disabled
    view.concerns.add()
    assert store.count("job_items") == 0
    assert view.concerns.new.value == "x" * 3000


def test_a_duplicate_item_gets_a_clear_message(view, store):
    for _ in range(2):
        view.liked.new.value = "Short commute"
        view.liked.add_button.click()
    assert items(store, "liked") == ["Short commute"]
    assert view.liked.status.text == "That item is already in the list."
    assert view.liked.new.value == "Short commute"


def test_editing_an_item_inline(view, store):
    view.liked.new.value = "Good manager"
    view.liked.add_button.click()
    row = view.liked.row("Good manager")
    assert row.save.disabled  # nothing changed yet
    row.text.value = "A manager who gives feedback"
    assert not row.save.disabled
    row.save.click()
    assert items(store, "liked") == ["A manager who gives feedback"]
    assert view.liked.status.text == "Saved."


def test_an_edit_to_an_empty_item_is_refused_inline(view, store):
    view.liked.new.value = "Good manager"
    view.liked.add_button.click()
    row = view.liked.row("Good manager")
    row.text.value = ""
    assert row.save.disabled
    assert row.field.error
    row.submit()
    assert items(store, "liked") == ["Good manager"]


def test_removing_an_item_asks_first(view, store):
    view.concerns.new.value = "Long commute"
    view.concerns.add_button.click()
    remove = view.concerns.row("Long commute").remove
    remove.button.click()
    assert remove.asking
    remove.no.click()
    assert items(store, "concern") == ["Long commute"]
    remove.button.click()
    remove.yes.click()
    assert items(store, "concern") == []
    assert view.concerns.status.text == "Removed."


def test_each_must_have_has_a_three_way_toggle_that_writes_a_check(view, store, app_id):
    remote = store.add("must_haves", name="Remote or hybrid")
    pay = store.add("must_haves", name="Salary at or above 85k")
    view.workbook.changed("must_haves")
    toggles = view.must_haves.toggles
    assert set(toggles) == {remote, pay}
    assert [v for _, v in toggles[remote].options] == ["present", "missing", "unknown"]
    assert toggles[remote].description == "Remote or hybrid"
    toggles[remote].value = "missing"
    checks = store.table("must_have_checks", application_id=app_id)
    assert list(checks["status"]) == ["missing"]
    assert "missing 1 of your 2 must-haves: Remote or hybrid" in view.must_haves.statement.value
    toggles[pay].value = "missing"
    toggles[remote].value = "present"
    checks = store.table("must_have_checks", application_id=app_id)
    assert sorted(checks["status"].astype(str)) == ["missing", "present"]
    assert ("This job was missing 1 of your 2 must-haves: Salary at or above 85k."
            in view.must_haves.statement.value)
    toggles[pay].value = "present"
    assert "Nothing you need was missing." in view.must_haves.statement.value


def test_checks_reload_for_the_picked_application(store, app_id):
    remote = store.add("must_haves", name="Remote or hybrid")
    store.set_check(app_id, remote, "missing")
    other = store.add("applications", company="Contoso", role="Data Analyst")
    wb = Workbook(store, application_id=app_id)
    v = JobReflectionView(wb)
    assert v.must_haves.toggles[remote].value == "missing"
    wb.application_id = other
    assert v.must_haves.toggles[remote].value is None
    assert "Mark each must-have" in v.must_haves.statement.value


def test_retired_must_haves_show_only_where_they_were_checked(store, app_id):
    old = store.add("must_haves", name="Near the river", retired=True)
    never = store.add("must_haves", name="Free lunch", retired=True)
    store.set_check(app_id, old, "missing")
    v = JobReflectionView(Workbook(store, application_id=app_id))
    assert set(v.must_haves.toggles) == {old}
    assert v.must_haves.toggles[old].description == "Near the river (retired)"
    assert never not in v.must_haves.toggles
    assert "missing your one must-have: Near the river" in v.must_haves.statement.value


def test_without_must_haves_a_hint_points_to_start_here(view):
    html = view.must_haves.list.children[0].value
    assert "Start here" in html
    assert view.must_haves.statement.value == ""


def test_the_missing_statement_is_plain_and_escaped():
    assert missing_statement(["Remote or hybrid", "Salary at or above 85k"], 5) == (
        "<p class='tappedin-statement'><b>This job was missing 2 of your 5 must-haves: "
        "Remote or hybrid, Salary at or above 85k.</b></p>")
    assert "Nothing you need was missing." in missing_statement([], 3)
    assert "&lt;script&gt;" in missing_statement(["<script>"], 2)
    assert "<script>" not in missing_statement(["<script>"], 2)
    assert missing_statement([], 0) == ""
    assert "1 still to check" in missing_statement(["A"], 3, unchecked=1)


def test_with_no_application_picked_there_is_a_hint_and_inputs_are_disabled(store):
    store.add("must_haves", name="Remote or hybrid")
    v = JobReflectionView(Workbook(store))
    assert "Pick an application" in v.hint.value
    for column in (v.liked, v.concerns):
        assert column.new.widget.disabled
        assert column.add_button.disabled
    assert all(t.disabled for t in v.must_haves.toggles.values())
    v.liked.add()
    assert store.count("job_items") == 0


def test_items_follow_the_picked_application(store, app_id):
    other = store.add("applications", company="Contoso", role="Data Analyst")
    store.add("job_items", application_id=other, kind="liked", text="Contoso perk")
    wb = Workbook(store, application_id=app_id)
    v = JobReflectionView(wb)
    assert v.liked.rows == []
    wb.application_id = other
    assert [r.saved_text for r in v.liked.rows] == ["Contoso perk"]
    assert v.hint.value == ""


# -- the add box stays put; saved points are text (issue 17) ------------------------------


def test_the_add_box_sits_above_the_saved_points_and_says_what_it_adds(view):
    for column, label in ((view.liked, "Add a liked point"), (view.concerns, "Add a concern")):
        assert column.new.widget.description == label
        order = list(column.children)
        box_row = next(c for c in order if isinstance(c, w.HBox) and column.new in c.children)
        assert order.index(box_row) < order.index(column.list)  # the list grows below it


def test_a_saved_point_is_text_with_edit_and_remove_until_edit_is_pressed(view, store):
    view.liked.new.value = "Good manager"
    view.liked.add_button.click()
    row = view.liked.row("Good manager")
    assert row.children == (row.line,) and not row.editing
    assert "Good manager" in row.shown.value and row.text not in row.line.children
    assert [b.description for b in row.line.children[1:2]] == ["Edit"]
    row.edit_button.click()
    assert row.editing and row.text.value == "Good manager"
    assert row.text.description == "Edit this liked point"
    row.text.value = "A manager who gives feedback"
    row.save.click()
    assert items(store, "liked") == ["A manager who gives feedback"]
    assert not row.editing and "A manager who gives feedback" in row.shown.value


def test_cancel_drops_an_edit_and_shows_the_saved_text(view, store):
    view.concerns.new.value = "Long commute"
    view.concerns.add_button.click()
    row = view.concerns.row("Long commute")
    row.edit_button.click()
    row.text.value = "Very long"
    row.cancel.click()
    assert not row.editing and items(store, "concern") == ["Long commute"]
    row.edit_button.click()
    assert row.text.value == "Long commute"  # the dropped text doesn't come back


def test_saved_text_escapes_markup(view):
    view.liked.new.value = "<b>bold</b> & more"
    view.liked.add_button.click()
    shown = view.liked.rows[0].shown.value
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in shown and "<b>" not in shown


def test_the_chosen_must_have_answer_is_marked_by_more_than_a_shade(view, store):
    store.add("must_haves", name="Remote or hybrid")
    view.workbook.changed("must_haves")
    toggle = next(iter(view.must_haves.toggles.values()))
    assert "tappedin-check" in toggle._dom_classes
    style = view.children[0].children[1].value  # the step's own stylesheet
    assert ".tappedin-check .widget-toggle-button.mod-active" in style
    for rule in ("font-weight: 700", "background: #1d5f8a", "color: #ffffff", "2713"):
        assert rule in style


def test_a_must_have_message_goes_when_the_checks_change_elsewhere(view, store, app_id):
    must = store.add("must_haves", name="Remote or hybrid")
    view.workbook.changed("must_haves")
    view.must_haves.toggles[must].value = "missing"
    assert "Saved" in view.must_haves.status.text
    store.set_check(app_id, must, "present")
    view.workbook.changed("must_have_checks", app_id)  # e.g. from another window
    assert view.must_haves.status.text == ""
    assert view.must_haves.toggles[must].value == "present"
