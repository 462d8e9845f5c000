"""5 · Keep going in the served app: a short page, folded sections, the calendar file."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from webapp import download, open_app, shot, tab

from tappedin_widgets import reminders
from tappedin_widgets.store import Store

pytestmark = pytest.mark.browser

#: Issue 17: every tab at most this tall at 1400 px wide on the demo data.
MAX_HEIGHT = 3000


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    yield page
    page.goto("about:blank")  # the page shuts its kernel down
    context.close()


def test_keep_going_is_short_and_folds_what_is_done(wide_page, demo_server):
    page = wide_page
    open_app(page, demo_server.url)
    panel = tab(page, "5 · Keep going")
    done = panel.get_by_text("Done (10)")
    done.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    height = panel.evaluate("p => p.scrollHeight")
    shot(page, "keep-going-1400")
    assert height <= MAX_HEIGHT, f"Keep going is {height} px tall"
    assert panel.get_by_text("Practised (15)").count() == 1
    # Folded: the done actions' rows aren't on the page until the section is opened.
    assert panel.get_by_role("button", name="Reopen").count() == 0
    done.click()
    panel.get_by_role("button", name="Reopen").first.wait_for(timeout=30_000)
    assert panel.get_by_role("button", name="Reopen").count() == 5  # a page of them
    panel.get_by_role("button", name="Show 5 more (5 of 10 shown)").click()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('button'))"
        ".filter(b => b.textContent.trim() === 'Reopen').length === 10", timeout=30_000)


def test_the_calendar_file_downloads_and_reads_back(wide_page, demo_server, tmp_path):
    page = wide_page
    open_app(page, demo_server.url)
    panel = tab(page, "5 · Keep going")
    panel.get_by_role("button", name="Make the calendar file (.ics)").click()
    path = download(page, panel.locator("a[download='tappedin-reminders.ics']"), tmp_path)
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    with Store(demo_server.db) as store:
        expected = reminders.reminders(store)
    assert sorted(str(e["UID"]) for e in events) == sorted(r.uid for r in expected)
    assert len(events) >= 5
    assert all(str(e["SUMMARY"]).startswith(("Reconnect with", "Action:")) for e in events)
