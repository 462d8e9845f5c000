"""Step 2's lists across every application: reconnects coming up (Done / Skip) and the
notes sent, latest first."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
import pandas as pd

from .. import analysis, models
from ..models import plural
from .common import (
    LIST_PAGE,
    KeyedRows,
    Status,
    Workbook,
    button,
    esc,
    fmt_date,
    guarded,
    heading,
    table_html,
    to_date,
)

#: How far ahead "Reconnects coming up" looks (the rule is analysis.reconnects_due).
UPCOMING_DAYS = analysis.RECONNECT_AHEAD_DAYS
#: How far the "nothing due" message looks for the next reconnect planned (ten years).
LATER_DAYS = 3660

RECONNECT_HINT = ("A short hello is enough: ask how things are going, share what you've been "
                  "working on, and say you're still interested.")


def _with_applications(workbook: Workbook, frame: pd.DataFrame) -> pd.DataFrame:
    apps = workbook.store.table("applications")[["id", "company", "role"]]
    apps = apps.rename(columns={"id": "application_id"})
    return frame.merge(apps, on="application_id", how="left")


def _when(day: dt.date, today: dt.date) -> str:
    gap = (day - today).days
    if gap == 0:
        return "today"
    if gap < 0:
        return f"overdue by {plural(-gap, 'day')}"
    return f"in {plural(gap, 'day')}"


class Reconnects(w.VBox):
    """Planned reconnects due within UPCOMING_DAYS, or overdue, soonest first."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status().follows(workbook, {"follow_ups", "applications"})
        self.list = w.VBox()
        self.keyed = KeyedRows(self.list, self._row, limit=LIST_PAGE)
        super().__init__([heading("Reconnects coming up"),
                          w.HTML(f"<p class='tappedin-hint'>{esc(RECONNECT_HINT)}</p>"),
                          self.list, self.status])
        workbook.on_change(lambda _c: self.render(), {"follow_ups", "applications"})
        self.render()

    @property
    def buttons(self) -> dict[int, tuple[w.Button, w.Button]]:
        return {i: tuple(row.children[1:]) for i, row in zip(self.keyed.rows,
                                                             self.keyed.widgets(), strict=False)}

    def due(self, ahead: int = UPCOMING_DAYS) -> pd.DataFrame:
        """Planned reconnects due: the rule is :func:`analysis.reconnects_due`."""
        store = self.workbook.store
        return analysis.reconnects_due(store.table("follow_ups"), store.table("applications"),
                                       models.today(), ahead)

    def _nothing_due(self) -> str:
        """Why the list is empty: nothing planned at all, or only further ahead."""
        later = self.due(ahead=LATER_DAYS)
        if later.empty:
            return (f"<p class='tappedin-empty'>Nothing due in the next {UPCOMING_DAYS} days. "
                    "When you mark a note sent, a reconnect date is planned for you.</p>")
        first = later.iloc[0]
        more = len(later) - 1
        return (f"<p class='tappedin-empty'>Nothing due in the next {UPCOMING_DAYS} days. "
                f"The next reconnect: {esc(first['recipient'])} on "
                f"{esc(fmt_date(first['reconnect_on']))}"
                + (f", and {more} more after it" if more else "")
                + ".</p>")

    @guarded(action="load")
    def render(self) -> None:
        today = models.today()
        records = []
        for row in self.due().to_dict("records"):
            day = to_date(row["reconnect_on"])
            where = " — ".join(esc(v) for v in (row.get("company"), row.get("role"))
                               if isinstance(v, str) and v.strip())
            note_id = int(row["follow_up_id"])
            records.append((note_id, (note_id, f"<b>{esc(fmt_date(day))}</b> "
                                      f"({esc(_when(day, today))}): "
                                      f"{esc(row['recipient'])}, {where}")))
        self.keyed.show(records, empty=self._nothing_due() if not records else None)

    def _row(self, record: tuple[int, str]) -> w.Widget:
        note_id, text = record
        done = button("Done", style="success", tooltip="You got back in touch")
        skip = button("Skip", tooltip="Not this time; no more reminders for this note")
        done.on_click(lambda _b, i=note_id: self.set_status(i, "done"))
        skip.on_click(lambda _b, i=note_id: self.set_status(i, "skipped"))
        return w.HBox([w.HTML(text), done, skip])

    @guarded()
    def set_status(self, note_id: int, status: str) -> None:
        self.workbook.store.update("follow_ups", note_id, reconnect_status=status)
        self.status.ok("Nice: marked done." if status == "done" else "Skipped.")
        self.workbook.changed("follow_ups")


class SentNotes(w.VBox):
    """Every thank-you note sent, latest first."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status().follows(workbook, {"follow_ups", "applications"})
        self.table = w.HTML()
        super().__init__([heading("Notes sent"), self.table, self.status])
        workbook.on_change(lambda _c: self.render(), {"follow_ups", "applications"})
        self.render()

    def sent(self) -> pd.DataFrame:
        frame = self.workbook.store.table("follow_ups", status="sent")
        frame = _with_applications(self.workbook, frame)
        return frame.sort_values(["sent_on", "id"], ascending=False)

    @guarded(action="load")
    def render(self) -> None:
        frame = self.sent()
        if not frame.empty:
            frame["reconnect"] = [
                "" if pd.isna(day) else f"{fmt_date(day)} ({status})"
                for day, status in zip(frame["reconnect_on"], frame["reconnect_status"],
                                       strict=False)]
        self.table.value = table_html(
            frame, {"sent_on": "Sent", "recipient": "To", "company": "Company",
                    "role": "Role", "reconnect": "Reconnect"},
            empty="No notes sent yet.")
