"""Reminders in the user's calendar (issue 17): reconnect dates and actions' due dates as
an iCalendar file, from the app (5 · Keep going) and from `tappedin reminders --ics`,
read back with the icalendar library."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from tappedin_widgets import cli, reminders
from tappedin_widgets.models import TappedInError
from tappedin_widgets.store import Store
from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.continue_search import ContinueSearchView

TODAY = dt.date.today()
ODD_ACTION = 'Réécrire mon CV, 2 pages; "résultats" d’abord — 日本語 ✓'


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def filled(store, app_id):
    """A reconnect planned, one done and one skipped; actions open, done and undated."""
    store.update("applications", app_id, company="Zoë & Co, Ltd")
    ids = {}
    for key, status, when in (("planned", "planned", days(20)), ("done", "done", days(5)),
                              ("skipped", "skipped", days(6)), ("late", "planned", days(-3))):
        ids[key] = store.add("follow_ups", application_id=app_id, recipient=f"Priya {key}",
                             body="Thank you.", status="sent", sent_on=days(-10),
                             reconnect_on=when, reconnect_status=status)
    ids["action"] = store.add("action_items", action=ODD_ACTION, due_on=days(3),
                              lesson="My examples lacked numbers, and detail",
                              application_id=app_id)
    ids["done_action"] = store.add("action_items", action="Already done", due_on=days(1),
                                   done_on=TODAY)
    ids["undated"] = store.add("action_items", action="Someday, maybe")
    return ids


def events(data: bytes) -> dict[str, object]:
    """The file's events by UID (the file parsed back with icalendar)."""
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "TAPPED IN" in str(cal["PRODID"])
    found = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(found) == len(cal.walk("VEVENT")), "UIDs must be unique"
    return found


def by_summary(found: dict[str, object], text: str):
    [event] = [e for e in found.values() if text in str(e["SUMMARY"])]
    return event


# -- what goes in -------------------------------------------------------------


def test_open_items_with_a_date_become_all_day_events_and_done_ones_stay_out(store, filled):
    data, count = reminders.calendar_bytes(store)
    found = events(data)
    assert count == len(found) == 3  # planned + late reconnect, the open dated action
    summaries = sorted(str(e["SUMMARY"]) for e in found.values())
    assert summaries == sorted([f"Action: {ODD_ACTION} (Zoë & Co, Ltd)",
                                "Reconnect with Priya late (Zoë & Co, Ltd)",
                                "Reconnect with Priya planned (Zoë & Co, Ltd)"])
    action = by_summary(found, "Action:")
    # All day: a DATE (not a date-time) start, and the next day as the (exclusive) end.
    assert action.decoded("DTSTART") == days(3)
    assert not isinstance(action.decoded("DTSTART"), dt.datetime)
    assert action.decoded("DTEND") == days(4)
    assert str(action["TRANSP"]) == "TRANSPARENT"
    # Commas, semicolons, quotes, non-ASCII and line breaks come back as written.
    description = str(action["DESCRIPTION"])
    assert description.splitlines() == ["Lesson: My examples lacked numbers, and detail",
                                        "Tick it off in TAPPED IN, 5 · Keep going."]
    [alarm] = action.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(hours=9)
    reconnect = by_summary(found, "Priya planned")
    assert reconnect.decoded("DTSTART") == days(20)
    assert f"note went out on {days(-10):%d %b %Y}" in str(reconnect["DESCRIPTION"])


def test_the_same_item_keeps_its_uid_so_a_new_import_updates_it(store, filled):
    first = events(reminders.calendar_bytes(store)[0])
    store.update("action_items", filled["action"], due_on=days(9))
    second = events(reminders.calendar_bytes(store)[0])
    assert set(first) == set(second)  # same UIDs
    uid = reminders.uid("action", filled["action"],
                        store.table("action_items").set_index("id").loc[filled["action"],
                                                                           "created_at"])
    assert second[uid].decoded("DTSTART") == days(9)
    assert int(second[uid]["SEQUENCE"]) >= int(first[uid]["SEQUENCE"])
    # Marking it done takes it out; the other UIDs don't move.
    store.update("action_items", filled["action"], done_on=TODAY)
    third = events(reminders.calendar_bytes(store)[0])
    assert set(third) == set(first) - {uid}


def test_uids_differ_between_stores_with_the_same_record_ids(tmp_path):
    made = []
    for name in ("a", "b"):
        with Store(tmp_path / f"{name}.db") as s:
            s.add("action_items", action="Same id", due_on=days(2))
            made.append(set(events(reminders.calendar_bytes(s)[0])))
    assert made[0].isdisjoint(made[1])


def test_an_empty_store_gives_an_empty_but_valid_calendar(store):
    data, count = reminders.calendar_bytes(store)
    assert count == 0 and events(data) == {}


# -- writing a file: whole or not at all -------------------------------------


def test_a_bad_path_says_why_and_writes_nothing(store, filled, tmp_path):
    for bad, said in ((tmp_path / "notes.txt", "not a calendar file name"),
                      (tmp_path, "is a folder"),
                      (tmp_path / "missing" / "r.ics", "does not exist")):
        with pytest.raises(TappedInError, match=said):
            reminders.write_ics(store, bad)
    assert [p for p in tmp_path.rglob("*") if p.suffix in (".ics", ".part", ".txt")] == []


def test_a_failed_export_leaves_the_earlier_file_whole(store, filled, tmp_path, monkeypatch):
    target = tmp_path / "r.ics"
    reminders.write_ics(store, target)
    before = target.read_bytes()

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", broken)
    store.update("action_items", filled["action"], due_on=days(30))
    with pytest.raises(TappedInError, match="No space left"):
        reminders.write_ics(store, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.ics")] == []


# -- from the app --------------------------------------------------------------


def test_keep_going_offers_the_calendar_file_and_drops_a_stale_link(store, app_id, filled):
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    calendar = view.calendar
    assert calendar.link.value == ""  # made when asked for, not with the page
    calendar.make_button.click()
    link = calendar.link.value
    assert "download='tappedin-reminders.ics'" in link and "(3 reminders)" in link
    data = base64.b64decode(re.search(r"base64,([^']+)'", link).group(1))
    assert events(data).keys() == events(reminders.calendar_bytes(store)[0]).keys()
    assert "3 reminders" in calendar.status.text

    # Marking the action done in the view: the link offered is out of date, so it goes.
    view.actions.rows[filled["action"]].toggle.click()
    assert calendar.link.value == "" and "make the file again" in calendar.status.text
    calendar.make_button.click()
    assert "(2 reminders)" in calendar.link.value


def test_with_nothing_to_remind_the_app_says_what_would_help(store, app_id):
    view = ContinueSearchView(Workbook(store, application_id=app_id))
    view.calendar.make_button.click()
    assert view.calendar.link.value == ""
    assert "give an action a due date" in view.calendar.status.text


# -- from the command line -------------------------------------------------------


def run(*args: str, db: Path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    env = dict(os.environ, TAPPEDIN_DB=str(db))
    return subprocess.run([sys.executable, "-m", "tappedin_widgets.cli", *args], stdout=stdout,
                          stderr=subprocess.PIPE, env=env, timeout=120)


def test_the_command_writes_a_calendar_file_and_lists_reminders(store, filled, tmp_path):
    db = Path(store.location)
    target = tmp_path / "mine.ics"
    result = run("reminders", "--ics", str(target), db=db)
    assert result.returncode == 0, result.stderr
    assert b"Wrote 3 reminders to" in result.stdout
    assert events(target.read_bytes()).keys() == events(reminders.calendar_bytes(store)[0]).keys()

    listed = run("reminders", db=db)
    lines = listed.stdout.decode("utf-8").splitlines()
    assert listed.returncode == 0 and len(lines) == 4
    assert ODD_ACTION in lines[1] and lines[-1].startswith("(3 reminders;")


def test_the_command_writes_the_calendar_to_standard_output(store, filled):
    result = run("reminders", "--ics", "-", db=Path(store.location))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    found = events(result.stdout)
    assert any(ODD_ACTION in str(e["SUMMARY"]) for e in found.values())


def test_the_command_refuses_bad_paths_with_a_message(store, filled, tmp_path):
    db = Path(store.location)
    for bad, said in ((str(tmp_path / "no" / "r.ics"), "does not exist"),
                      (str(tmp_path / "r.txt"), "not a calendar file name"),
                      (str(tmp_path), "is a folder")):
        result = run("reminders", "--ics", bad, db=db)
        assert result.returncode == 2
        assert said in result.stderr.decode() and b"Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.ics")) and not list(tmp_path.glob(".*.part"))
    missing = run("reminders", db=tmp_path / "none.db")
    assert missing.returncode == 2 and b"no workbook" in missing.stderr.lower()


def test_a_closed_pipe_counts_as_done_and_a_full_disk_says_so(store, filled):
    read, write = os.pipe()
    os.close(read)
    try:
        closed = run("reminders", "--ics", "-", db=Path(store.location), stdout=write)
    finally:
        os.close(write)
    assert closed.returncode == 0 and closed.stderr == b""
    with open("/dev/full", "wb") as full:
        result = run("reminders", "--ics", "-", db=Path(store.location), stdout=full)
    assert result.returncode == 1
    assert b"could not be written" in result.stderr and b"Traceback" not in result.stderr


def test_the_command_is_in_the_parser():
    assert "reminders" in cli.build_parser().format_help()
