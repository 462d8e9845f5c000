"""Reminders for the user's own calendar: planned reconnects and open actions' due dates,
as an iCalendar (.ics) file (RFC 5545, written by the ``icalendar`` library).

Each reminder is an all-day event on its date, with a UID made from the record's id and
the moment it was created: the same item keeps the same UID in every export, so a
calendar that imports the file again updates the event instead of adding a second one.
Done actions and reconnects marked done or skipped are left out; so are actions without
a due date (a calendar event needs a day).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import analysis, models
from .exchange.common import atomic_write, is_missing
from .models import ExchangeError, TappedInError, plural
from .store import Store

PRODID = "-//TAPPED IN//Job search reminders//EN"
CALENDAR_NAME = "TAPPED IN reminders"
FILENAME = "tappedin-reminders.ics"
#: A reconnect planned this far ahead is still exported (the whole span a date may take).
AHEAD_DAYS = 366 * models.FUTURE_YEARS
#: Where the reminder pops up on its day: 9:00, counted from the all-day event's start.
ALARM_AFTER = dt.timedelta(hours=9)
#: SEQUENCE counts minutes from here to the item's last change: an edit raises it.
SEQUENCE_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Reminder:
    """One calendar entry: ``kind`` is "reconnect" or "action"."""

    kind: str
    record_id: int
    day: dt.date
    summary: str
    description: str
    uid: str
    updated: dt.datetime | None = None


def _text(value: Any) -> str:
    """A stored text as one clean line ('' for a missing value)."""
    return "" if is_missing(value) else " ".join(str(value).split())


def _stamp(value: Any) -> dt.datetime | None:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value if isinstance(value, dt.datetime) else None


def uid(kind: str, record_id: int, created: Any) -> str:
    """The event's UID: the same record gives the same UID in every export (its id alone
    would repeat across stores, e.g. the demo's and your own: the creation time tells
    them apart)."""
    when = _stamp(created)
    return f"{kind}-{int(record_id)}-{when:%Y%m%dT%H%M%S%f}@tappedin" if when else \
        f"{kind}-{int(record_id)}@tappedin"


def _where(company: str, role: str) -> str:
    return f"{company} — {role}" if company and role else company or role


def reminders(store: Store, today: dt.date | None = None) -> list[Reminder]:
    """Every reminder worth a calendar entry, soonest first: planned reconnects
    (:func:`analysis.reconnects_due`, late ones included) and open actions with a due date."""
    today = today or models.today()
    apps = store.table("applications")
    follow_ups = store.table("follow_ups")
    out: list[Reminder] = []

    due = analysis.reconnects_due(follow_ups, apps, today, ahead=AHEAD_DAYS)
    notes = follow_ups.set_index("id")
    for row in due.to_dict("records"):
        note = notes.loc[row["follow_up_id"]]
        who, company = _text(row["recipient"]), _text(row["company"])
        where = _where(company, _text(row["role"]))
        summary = f"Reconnect with {who}" + (f" ({company})" if company else "")
        sent = note.get("sent_on")
        details = [f"A light check-in with {who}" + (f" about {where}" if where else "") + "."]
        if isinstance(sent, pd.Timestamp) and not pd.isna(sent):
            details.append(f"Your thank-you note went out on {sent:%d %b %Y}.")
        details.append("Mark it done or skipped in TAPPED IN, 2 · Follow-up.")
        out.append(Reminder("reconnect", int(row["follow_up_id"]),
                            row["reconnect_on"].date(), summary, "\n".join(details),
                            uid("reconnect", row["follow_up_id"], note.get("created_at")),
                            _stamp(note.get("updated_at"))))

    actions = store.table("action_items")
    if not actions.empty:
        status = analysis.action_status(actions, today)
        companies = {int(r["id"]): _text(r["company"]) for r in apps.to_dict("records")}
        open_dated = actions[(status != "done") & actions["due_on"].notna()]
        for row in open_dated.to_dict("records"):
            app = row.get("application_id")
            company = "" if app is None or pd.isna(app) else companies.get(int(app), "")
            summary = f"Action: {_text(row['action'])}" + (f" ({company})" if company else "")
            details = []
            if _text(row.get("lesson")):
                details.append(f"Lesson: {_text(row['lesson'])}")
            details.append("Tick it off in TAPPED IN, 5 · Keep going.")
            out.append(Reminder("action", int(row["id"]), row["due_on"].date(), summary,
                                "\n".join(details),
                                uid("action", row["id"], row.get("created_at")),
                                _stamp(row.get("updated_at"))))
    return sorted(out, key=lambda r: (r.day, r.kind, r.record_id))


def ics_bytes(items: Sequence[Reminder], now: dt.datetime | None = None) -> bytes:
    """The reminders as an iCalendar file: one all-day, free-time event each, with a
    reminder at 9:00 on the day."""
    from icalendar import Alarm, Calendar, Event  # only needed when a file is made

    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
        event.add("categories", ["TAPPED IN"])
        if item.updated is not None:
            modified = item.updated.astimezone(dt.UTC)  # the store's stamps are local time
            event.add("last-modified", modified)
            # An edited item (a new date) supersedes the one imported before.
            event.add("sequence", max(0, int((modified - SEQUENCE_FROM).total_seconds()) // 60))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", ALARM_AFTER, parameters={"RELATED": "START"})
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def calendar_bytes(store: Store, today: dt.date | None = None) -> tuple[bytes, int]:
    """(the .ics file's bytes, how many reminders it holds)."""
    items = reminders(store, today)
    return ics_bytes(items), len(items)


def write_ics(store: Store, path: str | os.PathLike[str],
              today: dt.date | None = None) -> tuple[Path, int]:
    """Write the reminders to ``path`` whole or not at all (a temporary file, renamed)."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise TappedInError(f"{target} is a folder; give a file name to write to, e.g. "
                            f"{target / FILENAME}.")
    if target.suffix.lower() not in (".ics", ".ical", ".icalendar"):
        raise TappedInError(f"{target.name} is not a calendar file name: give one ending "
                            "in .ics (e.g. tappedin-reminders.ics).")
    data, count = calendar_bytes(store, today)
    try:
        return atomic_write(target, data), count
    except ExchangeError:
        raise
    except OSError as e:
        raise TappedInError(f"Could not write {target}: {e.strerror or e}. Nothing was "
                            "written.") from None


def count_phrase(n: int) -> str:
    """'1 reminder', '3 reminders', 'no reminders'."""
    return "no reminders" if n == 0 else plural(n, "reminder")
