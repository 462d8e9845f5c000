"""Start here: log or edit an application, its people, and your must-haves."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.start import StartView


@pytest.fixture
def view(store):
    return StartView(Workbook(store))


def test_logging_a_rejection_saves_it_and_picks_it_everywhere(view, store):
    editor = view.applications
    assert editor.save_button.disabled
    editor.fields["company"].value = "Northwind"
    editor.fields["role"].value = "Product Analyst"
    assert not editor.save_button.disabled
    editor.save_button.click()
    apps = store.table("applications")
    assert list(apps["company"]) == ["Northwind"]
    assert apps["outcome"].iloc[0] == "rejected"
    assert view.workbook.application_id == int(apps["id"].iloc[0])
    assert "Saved Northwind" in editor.status.text


def test_an_invalid_application_shows_inline_messages_and_writes_nothing(view, store):
    editor = view.applications
    editor.fields["company"].value = "Northwind"
    editor.fields["company"].value = "  "
    assert "needed" in editor.fields["company"].error
    editor.fields["role"].value = "Analyst"
    editor.fields["applied_on"].value = dt.date.today() + dt.timedelta(days=30)
    assert "future" in editor.fields["applied_on"].error
    assert editor.save_button.disabled
    editor.save()
    assert store.count("applications") == 0
    assert editor.fields["role"].value == "Analyst"  # what was typed stays


def test_editing_and_deleting_an_application_with_confirmation(view, store, app_id):
    view.workbook.application_id = app_id
    editor = view.applications
    assert editor.fields["company"].value == "Northwind"
    editor.fields["role"].value = "Senior Product Analyst"
    editor.save_button.click()
    assert store.get("applications", app_id)["role"] == "Senior Product Analyst"
    editor.delete.button.click()
    editor.delete.no.click()
    assert store.count("applications") == 1
    editor.delete.button.click()
    editor.delete.yes.click()
    assert store.count("applications") == 0
    assert view.workbook.application_id is None


def test_people_involved_can_be_added_edited_and_removed(view, store, app_id):
    view.workbook.application_id = app_id
    people = view.contacts
    people.fields["name"].value = "Dana Whitfield"
    people.fields["email"].value = "not-an-email"
    assert "doesn't look like an email" in people.fields["email"].error
    people.fields["email"].value = "dana@northwind.example"
    people.save_button.click()
    assert list(store.table("contacts")["name"]) == ["Dana Whitfield"]
    row = people.list.children[0]
    row.children[1].click()  # Edit
    people.fields["title"].value = "Recruiter"
    people.save_button.click()
    assert store.table("contacts")["title"].iloc[0] == "Recruiter"
    remove = people.list.children[0].children[2]
    remove.button.click()
    remove.yes.click()
    assert store.count("contacts") == 0


def test_must_haves_can_be_added_renamed_retired_and_brought_back(view, store):
    must = view.must_haves
    must.name.value = "Remote or hybrid"
    must.add_button.click()
    must.name.value = "remote or HYBRID"
    must.add_button.click()
    assert "already have a must-have" in must.status.text
    row = must.list.children[0]
    row.children[0].value = "Remote-first"
    row.children[1].click()
    assert list(store.table("must_haves")["name"]) == ["Remote-first"]
    must.list.children[0].children[2].click()  # Retire
    assert bool(store.table("must_haves")["retired"].iloc[0])
    back = must.retired_items.children[0].children[1]
    back.click()
    assert not bool(store.table("must_haves")["retired"].iloc[0])
    assert must.retired.children == ()  # nothing retired: the section is gone


def test_the_picked_application_is_remembered_for_the_next_visit(store):
    first = store.add("applications", company="A", role="r")
    second = store.add("applications", company="B", role="r")
    wb = Workbook(store)
    wb.application_id = first
    assert Workbook(store).application_id == first
    store.delete("applications", first)
    assert Workbook(store).application_id == second


def test_log_a_new_one_instead_does_not_list_the_previous_applications_people(view, store,
                                                                              app_id):
    view.workbook.application_id = app_id
    people = view.contacts
    people.fields["name"].value = "Dana Whitfield"
    people.save_button.click()
    assert "Dana Whitfield" in people.list.children[0].children[0].value
    people.list.children[0].children[1].click()  # Edit Dana...
    view.applications.new_button.click()          # ...then log a new application instead
    shown = [getattr(c, "value", "") for c in people.list.children]
    assert not any("Dana" in text for text in shown), shown
    assert "Save the new application first" in shown[0]
    assert people.entry.layout.display == "none" and people.save_button.disabled
    assert people.editing is None  # Dana can't be overwritten from the new form
    view.applications.fields["company"].value = "Contoso"
    view.applications.fields["role"].value = "Data Analyst"
    view.applications.save_button.click()
    new_id = view.workbook.application_id
    assert new_id != app_id
    assert "Nobody listed yet" in people.list.children[0].value
    assert people.entry.layout.display == ""
    people.fields["name"].value = "Priya Shah"
    people.save_button.click()
    assert list(store.table("contacts", application_id=new_id)["name"]) == ["Priya Shah"]
    assert list(store.table("contacts", application_id=app_id)["name"]) == ["Dana Whitfield"]


def test_with_no_application_the_picker_on_start_here_points_below_not_to_itself(store):
    view = StartView(Workbook(store))
    text = view.picker.empty.value
    assert "log your first one just below" in text and "Start here" not in text


def test_a_saved_message_goes_when_the_application_changes_elsewhere(view, store, app_id):
    view.workbook.application_id = app_id
    editor = view.applications
    editor.fields["role"].value = "Lead Analyst"
    editor.save_button.click()
    assert editor.status.text == "Changes saved."
    store.update("applications", app_id, role="Analyst II")
    view.workbook.changed("applications", app_id)  # e.g. saved from another tab
    assert editor.status.text == ""



def test_how_you_found_it_starts_unchosen_and_saves_as_not_known(view, store):
    editor = view.applications
    source = editor.fields["source"].widget
    assert source.label == "(not chosen)" and source.index == 0
    editor.fields["company"].value = "Fabrikam"
    editor.fields["role"].value = "Analyst"
    editor.save_button.click()
    assert pd.isna(store.table("applications")["source"].iloc[0])
    editor.fields["source"].value = "referral"
    editor.save_button.click()
    assert store.table("applications")["source"].iloc[0] == "referral"
