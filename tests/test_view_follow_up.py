"""Step 2, Follow-up: driven like a user would, without a browser."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import re

import pytest

from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.follow_up import FollowUpView, follow_up_view

TODAY = dt.date.today()


@pytest.fixture
def people(store, app_id):
    zoe = store.add("contacts", application_id=app_id, name="Zoë Ødegård", title="Recruiter",
                    email="zoe@northwind.example", part="called me")
    owen = store.add("contacts", application_id=app_id, name="Owen Castellanos",
                     title="Hiring manager")
    return {"zoe": zoe, "owen": owen}


@pytest.fixture
def view(store, app_id, people):
    return FollowUpView(Workbook(store, application_id=app_id))


def tick(view, *contact_ids):
    for cid in contact_ids:
        view.composer.people_boxes[cid].value = True


def notes_of(store, app_id):
    return store.table("follow_ups", application_id=app_id).to_dict("records")


def decode_link(html: str) -> tuple[str, bytes]:
    match = re.search(r"download='([^']+)' href='data:message/rfc822;base64,([^']+)'", html)
    assert match, html
    return match.group(1), base64.b64decode(match.group(2))


def add_sent(store, app_id, *, recipient="Dana", sent_on, reconnect_on, status="planned"):
    return store.add("follow_ups", application_id=app_id, recipient=recipient, body="Thanks!",
                     subject="Thank you", status="sent", sent_on=sent_on,
                     reconnect_on=reconnect_on, reconnect_status=status)


# -- composing ---------------------------------------------------------------


def test_the_notebook_function_builds_the_view(store, app_id):
    assert isinstance(follow_up_view(Workbook(store)), FollowUpView)


def test_the_contacts_of_the_application_are_offered_as_checkboxes(view, people):
    labels = [b.description for b in view.composer.people_boxes.values()]
    assert labels == ["Zoë Ødegård — Recruiter (called me)",
                      "Owen Castellanos — Hiring manager"]
    assert not any(b.value for b in view.composer.people_boxes.values())
    assert view.composer.save_button.disabled


def test_drafting_and_saving_makes_one_draft_per_recipient(view, store, app_id, people):
    c = view.composer
    tick(view, people["zoe"], people["owen"])
    c.specific.value = "the discussion about the pricing experiment"
    c.tone.value = "brief"
    assert not c.save_button.disabled
    c.save_button.click()
    rows = notes_of(store, app_id)
    assert [r["recipient"] for r in rows] == ["Zoë Ødegård", "Owen Castellanos"]
    assert [r["contact_id"] for r in rows] == [people["zoe"], people["owen"]]
    assert all(r["status"] == "draft" and r["tone"] == "brief" for r in rows)
    assert rows[0]["body"].startswith("Hi Zoë,") and rows[1]["body"].startswith("Hi Owen,")
    assert all("the discussion about the pricing experiment" in r["body"] for r in rows)
    assert all("Product Analyst" in r["subject"] for r in rows)
    assert "Saved 2 drafts" in c.status.text
    assert set(view.notes.rows) == {int(r["id"]) for r in rows}


def test_each_recipient_gets_their_own_text_to_edit(view, people):
    c = view.composer
    tick(view, people["zoe"], people["owen"])
    assert [label for label, _ in c.writing_to.options] == ["Zoë Ødegård", "Owen Castellanos"]
    assert c.body.value.startswith("Hi Zoë,")
    c.body.value = "Hi Zoë, a note of my own."
    c.writing_to.value = f"c{people['owen']}"
    assert c.body.value.startswith("Hi Owen,")
    c.writing_to.value = f"c{people['zoe']}"
    assert c.body.value == "Hi Zoë, a note of my own."


def test_the_preview_follows_every_change_and_escapes_user_text(view, people):
    c = view.composer
    tick(view, people["zoe"])
    assert "Hi Zoë," in c.preview.value
    assert "zoe@northwind.example" in c.preview.value
    c.specific.value = "the <b>pricing</b> experiment"
    assert "the &lt;b&gt;pricing&lt;/b&gt; experiment" in c.preview.value
    assert "<b>pricing</b>" not in c.preview.value
    c.subject.value = "Thanks & <goodbye>"
    assert "Thanks &amp; &lt;goodbye&gt;" in c.preview.value
    c.tone.value = "formal"
    assert "Dear Zoë Ødegård," in c.preview.value


def test_a_body_edited_by_hand_survives_a_tone_change(view, people):
    c = view.composer
    tick(view, people["zoe"])
    c.body.value = c.body.value + "\n\nP.S. Good luck with the launch!"
    edited = c.body.value
    c.tone.value = "formal"
    c.specific.value = "the whiteboard session"
    assert c.body.value == edited
    assert "Reset to template" in c.edited_hint.value
    assert not c.reset_button.disabled


def test_reset_to_template_replaces_the_edits_with_the_current_tone(view, store, app_id, people):
    c = view.composer
    tick(view, people["zoe"])
    c.body.value = "My own words."
    c.subject.value = "My own subject"
    c.tone.value = "formal"
    c.reset_button.click()
    assert c.body.value.startswith("Dear Zoë Ødegård,")
    assert c.subject.value.startswith("Thank you for your consideration")
    assert c.edited_hint.value == ""
    assert c.reset_button.disabled
    c.tone.value = "warm"  # no longer edited: the template follows the tone again
    assert c.body.value.startswith("Hi Zoë,")
    c.save_button.click()
    assert notes_of(store, app_id)[0]["tone"] == "warm"


def test_a_typed_name_is_used_when_nobody_is_listed(store):
    app = store.add("applications", company="Ledgerline", role="Analyst")
    view = FollowUpView(Workbook(store, application_id=app))
    c = view.composer
    assert c.people_boxes == {}
    assert "Nobody is listed" in c.who.children[0].value
    c.other.value = "Priya Shah"
    assert c.body.value.startswith("Hi Priya,")
    c.save_button.click()
    (row,) = notes_of(store, app)
    assert (row["recipient"], row["contact_id"]) == ("Priya Shah", None)


def test_saving_one_note_opens_it_for_editing(view, store, app_id, people):
    c = view.composer
    tick(view, people["owen"])
    c.save_button.click()
    (row,) = notes_of(store, app_id)
    assert c.editing == row["id"]
    assert c.save_button.description == "Save changes"
    c.body.value = "Hi Owen, thank you again."
    c.save_button.click()
    (row,) = notes_of(store, app_id)
    assert row["body"] == "Hi Owen, thank you again."
    assert c.status.text == "Changes saved."


def test_an_empty_body_shows_a_message_and_writes_nothing(view, store, app_id, people):
    c = view.composer
    tick(view, people["zoe"])
    c.body.value = "   "
    assert c.body.error == "Note is needed."
    assert c.save_button.disabled
    c.save_button.click()
    assert "nothing was saved" in c.status.text
    assert notes_of(store, app_id) == []
    assert c.body.value == "   "  # what was typed stays


def test_saving_without_a_recipient_shows_a_message_and_writes_nothing(view, store, app_id):
    c = view.composer
    c.save_button.click()
    assert "Tick someone to thank" in c.people_message.value
    assert notes_of(store, app_id) == []


def test_an_unexpected_error_becomes_a_calm_message_and_keeps_the_text(view, store, app_id,
                                                                       people, monkeypatch):
    c = view.composer
    tick(view, people["zoe"])
    c.body.value = "Hi Zoë, my words."

    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "add", broken)
    c.save_button.click()
    assert "didn't work" in c.status.text and "disk" not in c.status.text
    assert c.body.value == "Hi Zoë, my words."


# -- export and copy -----------------------------------------------------------


def test_export_builds_a_download_link_with_the_note_as_eml(view, people):
    c = view.composer
    tick(view, people["zoe"])
    c.specific.value = "the talk about Ålesund"
    c.export_button.click()
    name, data = decode_link(c.export_link.value)
    assert name == "thank-you-northwind-zoe-odegard.eml"
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["Subject"] == c.subject.value
    assert msg["To"].addresses[0].addr_spec == "zoe@northwind.example"
    assert msg.get_content().strip() == c.body.value.strip()
    assert "Ålesund" in msg.get_content()
    c.body.value = c.body.value + " More."
    assert c.export_link.value == ""  # no stale link to older text


def test_export_of_an_empty_note_explains_instead(view, people):
    c = view.composer
    tick(view, people["zoe"])
    c.body.value = ""
    c.export_button.click()
    assert c.export_link.value == ""
    assert "empty" in c.status.text


def test_a_saved_note_can_be_exported_from_the_list(view, store, app_id, people):
    tick(view, people["owen"])
    view.composer.save_button.click()
    (row,) = notes_of(store, app_id)
    note = view.notes.rows[row["id"]]
    note.export_button.click()
    name, data = decode_link(note.link.value)
    assert name == "thank-you-northwind-owen-castellanos.eml"
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg.get_content().strip() == row["body"].strip()


def test_copy_the_text_shows_plain_text_that_stays_read_only(view, people):
    c = view.composer
    tick(view, people["zoe"])
    c.copy_button.click()
    assert c.copy_box in c.copy_area.children
    assert "select" in c.copy_area.children[0].value.lower()
    assert c.copy_box.value == f"Subject: {c.subject.value}\n\n{c.body.value}"
    c.copy_box.value = "scribbled over"
    assert c.copy_box.value.startswith("Subject: ")
    c.body.value = "New words."
    assert c.copy_box.value.endswith("New words.")


# -- the notes of this application -----------------------------------------------


def save_draft(view, contact_id):
    tick(view, contact_id)
    view.composer.save_button.click()
    return max(view.notes.rows)


def test_marking_sent_sets_the_date_and_a_reconnect_91_days_later(view, store, people):
    note_id = save_draft(view, people["zoe"])
    row = view.notes.rows[note_id]
    row.sent_button.click()
    assert "may not work out or may not stay" in row.panel.children[0].value
    assert row.sent_on.value == TODAY
    assert row.reconnect_on.value == TODAY + dt.timedelta(days=91)
    row.confirm.click()
    saved = store.get("follow_ups", note_id)
    assert saved["status"] == "sent"
    assert saved["sent_on"] == TODAY
    assert saved["reconnect_on"] == TODAY + dt.timedelta(days=91)
    assert saved["reconnect_status"] == "planned"
    assert "Marked sent" in view.notes.status.text
    assert view.notes.rows[note_id].sent_button.description == "Change dates"


def test_an_earlier_sent_date_moves_the_default_reconnect(view, store, people):
    note_id = save_draft(view, people["zoe"])
    row = view.notes.rows[note_id]
    row.sent_button.click()
    sent = TODAY - dt.timedelta(days=80)
    row.sent_on.value = sent
    assert row.reconnect_on.value == sent + dt.timedelta(days=91)
    row.confirm.click()
    saved = store.get("follow_ups", note_id)
    assert (saved["sent_on"], saved["reconnect_on"]) == (sent, sent + dt.timedelta(days=91))
    assert note_id in view.reconnects.buttons  # due within 60 days now


def test_a_reconnect_before_the_sent_date_shows_a_message_and_writes_nothing(view, store,
                                                                           people):
    note_id = save_draft(view, people["zoe"])
    row = view.notes.rows[note_id]
    row.sent_button.click()
    row.reconnect_on.value = TODAY - dt.timedelta(days=3)
    assert "Reconnect after the note was sent" in row.reconnect_on.error
    assert row.confirm.disabled
    row.confirm.click()
    saved = store.get("follow_ups", note_id)
    assert (saved["status"], saved["sent_on"], saved["reconnect_on"]) == ("draft", None, None)
    assert "nothing was saved" in view.notes.status.text


def test_marking_sent_without_a_date_shows_a_message_and_writes_nothing(view, store, people):
    note_id = save_draft(view, people["zoe"])
    row = view.notes.rows[note_id]
    row.sent_button.click()
    row.sent_on.value = None
    assert row.sent_on.error == "Say when the note was sent."
    row.confirm.click()
    assert store.get("follow_ups", note_id)["status"] == "draft"


def test_deleting_a_note_asks_first(view, store, app_id, people):
    note_id = save_draft(view, people["zoe"])
    delete = view.notes.rows[note_id].delete
    delete.button.click()
    assert delete.asking
    delete.no.click()
    assert len(notes_of(store, app_id)) == 1
    delete.button.click()
    delete.yes.click()
    assert notes_of(store, app_id) == []
    assert view.notes.rows == {}
    assert view.composer.editing is None  # the composer let go of the deleted note


def test_editing_a_saved_note_keeps_its_text_through_a_tone_change(view, store, app_id, people):
    tick(view, people["zoe"], people["owen"])
    view.composer.save_button.click()
    first = min(view.notes.rows)
    store.update("follow_ups", first, body="Hi Zoë, my own words.")
    view.notes.rows[first].edit_button.click()
    c = view.composer
    assert c.editing == first
    assert c.body.value == "Hi Zoë, my own words."
    c.tone.value = "formal"
    assert c.body.value == "Hi Zoë, my own words."
    c.body.value = "Hi Zoë, better words."
    c.save_button.click()
    saved = store.get("follow_ups", first)
    assert saved["body"] == "Hi Zoë, better words."
    assert saved["recipient"] == "Zoë Ødegård"
    c.new_button.click()
    assert c.editing is None and c.save_button.description == "Save as draft"


def test_picking_another_application_starts_a_fresh_note(view, store, people):
    tick(view, people["zoe"])
    other = store.add("applications", company="Ledgerline", role="Analyst")
    view.workbook.changed("applications")
    view.workbook.application_id = other
    assert view.composer.people_boxes == {}
    assert view.composer.body.value == ""
    assert "No notes yet" in view.notes.list.children[0].value


def test_a_person_added_elsewhere_appears_and_ticks_are_kept(view, store, app_id, people):
    tick(view, people["zoe"])
    new = store.add("contacts", application_id=app_id, name="Ana Lima")
    view.workbook.changed("contacts")
    boxes = view.composer.people_boxes
    assert set(boxes) == {people["zoe"], people["owen"], new}
    assert boxes[people["zoe"]].value and not boxes[new].value


# -- across every application ------------------------------------------------------


def test_reconnects_coming_up_lists_soonest_first_and_can_be_marked_done_or_skipped(
        view, store, app_id):
    sent = TODAY - dt.timedelta(days=30)
    later = add_sent(store, app_id, recipient="Later", sent_on=sent,
                     reconnect_on=TODAY + dt.timedelta(days=20))
    overdue = add_sent(store, app_id, recipient="Overdue", sent_on=sent,
                       reconnect_on=TODAY - dt.timedelta(days=2))
    add_sent(store, app_id, recipient="Far off", sent_on=sent,
             reconnect_on=TODAY + dt.timedelta(days=90))
    add_sent(store, app_id, recipient="Already", sent_on=sent,
             reconnect_on=TODAY + dt.timedelta(days=5), status="done")
    view.workbook.changed("follow_ups")
    section = view.reconnects
    assert list(section.buttons) == [overdue, later]
    texts = [row.children[0].value for row in section.list.children]
    assert "overdue by 2 days" in texts[0] and "Overdue" in texts[0]
    assert "in 20 days" in texts[1] and "Northwind" in texts[1]
    done, _skip = section.buttons[overdue]
    done.click()
    assert store.get("follow_ups", overdue)["reconnect_status"] == "done"
    _done, skip = section.buttons[later]
    skip.click()
    assert store.get("follow_ups", later)["reconnect_status"] == "skipped"
    assert section.buttons == {}
    assert "Nothing due" in section.list.children[0].value


def test_notes_sent_are_listed_latest_first_across_applications(view, store, app_id):
    other = store.add("applications", company="Ledger<line>", role="Analyst")
    add_sent(store, app_id, recipient="Older", sent_on=TODAY - dt.timedelta(days=40),
             reconnect_on=TODAY + dt.timedelta(days=51))
    add_sent(store, other, recipient="Newer", sent_on=TODAY - dt.timedelta(days=3),
             reconnect_on=None)
    view.workbook.changed("follow_ups")
    table = view.sent.table.value
    assert table.index("Newer") < table.index("Older")
    assert "Ledger&lt;line&gt;" in table
    assert "(planned)" in table


def test_the_view_renders_calmly_with_no_applications(store):
    view = FollowUpView(Workbook(store))
    assert "Pick an application" in view.composer.who.children[0].value
    assert view.composer.save_button.disabled
    view.composer.save_button.click()
    assert store.count("follow_ups") == 0
    assert "No notes sent yet" in view.sent.table.value
    assert "Nothing due" in view.reconnects.list.children[0].value


# -- messages end when what they describe changes (issue 17) ------------------


def test_marking_the_note_being_edited_sent_ends_its_editing_heading(view, store, people):
    c = view.composer
    note_id = save_draft(view, people["zoe"])
    assert "Editing your note to Zoë Ødegård, draft" in c.mode.value
    c.edit(note_id)
    assert "recipient stays the same" in c.status.text
    row = view.notes.rows[note_id]
    row.sent_button.click()
    row.confirm.click()
    assert store.get("follow_ups", note_id)["status"] == "sent"
    # The note was not changed in the composer: it goes back to a new note.
    assert "Editing your note" not in c.mode.value and "draft" not in c.mode.value
    assert c.editing is None and "Write a thank-you note" in c.mode.value
    assert c.status.text == ""  # "Change the text and save" was about the draft
    assert "Marked sent" in view.notes.status.text  # the action's own message stays


def test_a_note_marked_sent_while_its_text_is_being_changed_keeps_the_text(view, store, people):
    c = view.composer
    note_id = save_draft(view, people["zoe"])
    c.body.value = "Hi Zoë, thank you — typed and not saved yet."
    row = view.notes.rows[note_id]
    row.sent_button.click()
    row.confirm.click()
    assert c.editing == note_id
    assert c.body.value == "Hi Zoë, thank you — typed and not saved yet."
    assert f"Editing your note to Zoë Ødegård, sent {TODAY:%d %b %Y}" in c.mode.value
    assert ", draft" not in c.mode.value


def test_right_after_marking_a_note_sent_the_reconnects_name_the_next_one(view, store, people):
    note_id = save_draft(view, people["zoe"])
    row = view.notes.rows[note_id]
    row.sent_button.click()
    row.confirm.click()
    empty = view.reconnects.list.children[0].value
    reconnect = TODAY + dt.timedelta(days=91)
    assert "Nothing due in the next 60 days" in empty
    assert f"The next reconnect: Zoë Ødegård on {reconnect:%d %b %Y}" in empty
    assert "When you mark a note sent" not in empty  # it just was


def test_with_no_reconnect_planned_the_list_says_how_one_gets_planned(view):
    empty = view.reconnects.list.children[0].value
    assert "Nothing due in the next 60 days" in empty and "When you mark a note sent" in empty


def test_a_reconnect_message_goes_when_the_notes_change_elsewhere(view, store, app_id):
    due = add_sent(store, app_id, recipient="Dana", sent_on=TODAY - dt.timedelta(days=90),
                   reconnect_on=TODAY)
    view.workbook.changed("follow_ups")
    view.reconnects.buttons[due][0].click()
    assert view.reconnects.status.text == "Nice: marked done."
    store.delete("follow_ups", due)
    view.workbook.changed("follow_ups", app_id)  # e.g. deleted in another window
    assert view.reconnects.status.text == ""
