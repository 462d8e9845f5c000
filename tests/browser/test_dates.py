"""Impossible dates (issue 13): 02/30/2026 typed into every date field of the real app.

Each time a message must appear beside the field (in the field's own box), and nothing may be
saved: the store is read before and after the save button is tried. The page is in US English,
so a date field reads MM/DD/YYYY. One page is shared by the module; each test puts the field it
used back to a real date.
"""

from __future__ import annotations

import re
import time

import pytest
from typing_kit import app_page, find_panel, picked_application, wait_js

from tappedin_widgets.store import Store

pytestmark = pytest.mark.browser

IMPOSSIBLE = "02/30/2026"
REAL = "11/02/2026"  # in the past on the project's calendar, so every field accepts it

# The nearest message to an element: its field's message line, or an alert close by.
MESSAGE_NEAR = """(el) => {
  let node = el;
  for (let up = 0; node && up < 6; up++, node = node.parentElement) {
    const found = Array.from(node.querySelectorAll(
      '.tappedin-field-message, [role=alert], .tappedin-error'))
      .map(m => m.innerText.trim()).filter(t => t);
    if (found.length) return found.join(' ');
  }
  return '';
}"""


@pytest.fixture(scope="module")
def app(browser, demo_server):
    yield from app_page(browser, demo_server)


def type_date(page, box, text: str) -> None:
    """Type a date as someone would: into Chromium's date field, digit by digit."""
    element = box.element_handle()
    element.evaluate("e => e.focus()")
    if box.get_attribute("type") == "date":
        page.keyboard.type(text.replace("/", ""), delay=60)  # the field moves on by itself
    else:
        page.keyboard.press("Control+A")
        page.keyboard.type(text, delay=60)
    page.keyboard.press("Tab")


def refused(page, box, save) -> str:
    """Type the impossible date, try to save; return the message shown beside the field."""
    type_date(page, box, IMPOSSIBLE)
    if save is not None and save.is_enabled():
        save.click()
    try:
        message = wait_js(page, MESSAGE_NEAR, arg=box.element_handle(), timeout=15_000)
    except Exception:  # no message came: say so in the assertion below
        message = ""
    page.wait_for_timeout(1000)  # anything a save would write is written by now
    return message


def _applications(s: Store, company: str) -> int:
    return int((s.table("applications")["company"] == company).sum())


def test_start_here_date_of_the_call_refuses_an_impossible_date(app, demo_server):
    page = app
    panel = find_panel(page, "Start here")
    new = panel.get_by_role("button", name="Log a new one instead")
    if new.count() and new.is_visible():
        new.click()
    company = "Impossible Date Ltd (call)"
    panel.get_by_label("Company").fill(company)
    panel.get_by_label("Role", exact=True).fill("Analyst")
    box = panel.get_by_label("Date of the call")
    message = refused(page, box, panel.get_by_role("button", name="Save application"))
    with Store(demo_server.db) as s:
        assert _applications(s, company) == 0, "an impossible date was saved as no date"
    assert message, "no message beside Date of the call"
    type_date(page, box, REAL)
    panel.get_by_label("Company").fill("")
    panel.get_by_label("Role", exact=True).fill("")


def test_start_here_applied_on_refuses_an_impossible_date_when_editing(app, demo_server):
    page = app
    panel = find_panel(page, "Start here")
    with Store(demo_server.db) as s:
        app_id = picked_application(s)
        before = s.get("applications", app_id)
    save = panel.get_by_role("button", name="Save changes")
    box = panel.get_by_label("Applied on")
    message = refused(page, box, save if save.count() else None)
    with Store(demo_server.db) as s:
        after = s.get("applications", app_id)
    assert str(after["applied_on"]) == str(before["applied_on"]), "Applied on was overwritten"
    assert message, "no message beside Applied on"
    type_date(page, box, REAL)


@pytest.mark.parametrize("label", ["Asked on", "Received on"])
def test_feedback_dates_refuse_an_impossible_date(app, demo_server, label):
    page = app
    panel = find_panel(page, "1 · Feedback")
    text = f"Impossible date test ({label})."
    panel.get_by_label("Their observations").fill(text)
    with Store(demo_server.db) as s:
        before = len(s.table("feedback"))
    box = panel.get_by_label(label)
    message = refused(page, box, panel.get_by_role("button", name="Save feedback"))
    with Store(demo_server.db) as s:
        feedback = s.table("feedback")
    assert len(feedback) == before and text not in set(feedback["observations"].dropna()), \
        f"feedback was saved with an impossible {label}"
    assert message, f"no message beside {label}"
    type_date(page, box, REAL)
    panel.get_by_label("Their observations").fill("")


def test_keep_going_due_refuses_an_impossible_date(app, demo_server):
    page = app
    panel = find_panel(page, "5 · Keep going")
    action = "Write three STAR stories (impossible date test)"
    panel.get_by_label("Lesson").fill("My examples lacked numbers.")
    panel.get_by_label("Action", exact=True).fill(action)
    box = panel.get_by_label("Due", exact=True)
    message = refused(page, box, panel.get_by_role("button", name="Add action"))
    with Store(demo_server.db) as s:
        actions = set(s.table("action_items")["action"])
    assert action not in actions, "the action was saved with an impossible due date"
    assert message, "no message beside Due"
    type_date(page, box, REAL)
    panel.get_by_label("Lesson").fill("")
    panel.get_by_label("Action", exact=True).fill("")


@pytest.fixture(scope="module")
def draft_note(app, demo_server) -> int:
    """A saved draft thank-you note for the picked application (its id)."""
    page = app
    panel = find_panel(page, "2 · Follow-up")
    with Store(demo_server.db) as s:
        before = set(s.table("follow_ups")["id"])
    panel.get_by_label("Someone not listed").fill("Dana Datecheck")
    page.wait_for_timeout(1000)
    if panel.get_by_label("Writing to").count():
        panel.get_by_label("Writing to").select_option(label="Dana Datecheck")
    panel.get_by_role("button", name="Save as draft").click()
    deadline = time.time() + 30
    while time.time() < deadline:
        with Store(demo_server.db) as s:
            notes = s.table("follow_ups")
        new = notes[~notes["id"].isin(before) & (notes["recipient"] == "Dana Datecheck")]
        if len(new):
            return int(new["id"].iloc[0])
        time.sleep(0.3)
    raise AssertionError("the draft note could not be saved")


@pytest.mark.parametrize("label", ["Sent on", "Reconnect on"])
def test_follow_up_dates_refuse_an_impossible_date(app, demo_server, draft_note, label):
    page = app
    panel = find_panel(page, "2 · Follow-up")
    card = panel.locator(".tappedin-card").filter(has_text="To Dana Datecheck")
    card.get_by_role("button", name="Mark sent").click()
    box = card.get_by_label(label)
    box.wait_for(timeout=20_000)
    message = refused(page, box, card.get_by_role("button", name="Save: sent"))
    with Store(demo_server.db) as s:
        note = s.get("follow_ups", draft_note)
    assert str(note["status"]) == "draft", f"the note was marked sent with an impossible {label}"
    assert message, f"no message beside {label}"
    card.get_by_role("button", name="Cancel").click()


@pytest.mark.parametrize("label", ["From", "To"])
def test_trends_filter_dates_refuse_an_impossible_date(app, label):
    page = app
    panel = find_panel(page, "Trends")
    summary = panel.get_by_text(re.compile(r"Showing \d+ of \d+ applications"))
    summary.wait_for(timeout=60_000)
    box = panel.get_by_label(label, exact=True)
    message = refused(page, box, None)
    type_date(page, box, "01/01/2000" if label == "From" else REAL)  # back to a real date
    assert message, f"no message beside the {label} filter"
