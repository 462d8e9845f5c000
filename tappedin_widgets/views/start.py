"""Step 0, "Start here": your must-haves, and the application you're working on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w
import traitlets

from .. import models
from .common import (
    PICK,
    ApplicationPicker,
    ConfirmButton,
    Field,
    Form,
    KeyedRows,
    Status,
    Workbook,
    button,
    choice_input,
    date_input,
    esc,
    guarded,
    guidance,
    heading,
    step_layout,
    text_input,
    to_date,
)

#: The first choice of "How you found it": saved as not known.
NOT_CHOSEN = "(not chosen)"

INTRO = """
<p><b>Start here.</b> Pick the application you want to work on, or log the rejection you just
had. Every step after this one works on the application you pick here (each step also has
the same picker at the top).</p>
"""


class MustHavesEditor(w.VBox):
    """Add, rename and retire the things your next job must have."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status().follows(workbook, {"must_haves"})
        self.name = Field(text_input("New must-have", "e.g. Remote or hybrid"))
        self.description = Field(text_input("What it means",
                                            "optional, e.g. at most 2 office days"))
        self.add_button = button("Add must-have", style="primary")
        self.form = Form(models.MUST_HAVE, {"name": self.name, "description": self.description},
                         self.add_button)
        self.add_button.on_click(lambda _b: self.add())
        self.list = w.VBox()
        self.retired = w.VBox()
        super().__init__([
            heading("Your must-haves"),
            w.HTML("<p class='tappedin-hint'>What your next job has to have. You'll check each "
                   "job against these in step 4, and the trends show which keep missing.</p>"),
            self.list, self.name, self.description, self.add_button, self.status,
            self.retired,
        ])
        self.rows = KeyedRows(self.list, self._row,
                              "<p class='tappedin-empty'>No must-haves yet. Add the two or three "
                              "things you won't compromise on.</p>")
        self.retired_items = w.VBox()
        self.retired_rows = KeyedRows(self.retired_items, self._retired_row)
        self.retired_heading = w.HTML("<p class='tappedin-hint'>Retired (kept in past "
                                      "checks, no longer asked):</p>")
        workbook.on_change(lambda _c: self.render(), {"must_haves"})
        self.render()

    def render(self) -> None:
        frame = self.workbook.store.table("must_haves")
        active = frame[~frame["retired"]]
        self.rows.show((int(r["id"]), r) for r in active.to_dict("records"))
        retired = frame[frame["retired"]]
        self.retired_rows.show((int(r["id"]), r) for r in retired.to_dict("records"))
        self.retired.children = ([] if retired.empty
                                 else [self.retired_heading, self.retired_items])

    def _retired_row(self, row: dict[str, Any]) -> w.Widget:
        back = button("Bring back")
        back.on_click(lambda _b, i=int(row["id"]): self.set_retired(i, False))
        return w.HBox([w.HTML(f"<span class='tappedin-hint'>{esc(row['name'])}</span>"), back])

    def _row(self, row: dict[str, Any]) -> w.Widget:
        must_id = int(row["id"])
        name = text_input("Must-have", value=row["name"], label_width="90px",
                          width="min(420px, 100%)")
        rename = button("Rename")
        retire = button("Retire", tooltip="Stop asking about it; past checks are kept")
        rename.on_click(lambda _b: self.rename(must_id, name.value))
        retire.on_click(lambda _b: self.set_retired(must_id, True))
        return w.HBox([name, rename, retire])

    @guarded()
    def add(self) -> None:
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            return
        self.workbook.store.add("must_haves", **cleaned)
        self.form.clear()
        self.status.ok(f"Added “{cleaned['name']}”.")
        self.workbook.changed("must_haves")

    @guarded()
    def rename(self, must_id: int, new_name: str) -> None:
        self.workbook.store.update("must_haves", must_id, name=new_name)
        self.status.ok("Renamed.")
        self.workbook.changed("must_haves")

    @guarded()
    def set_retired(self, must_id: int, retired: bool) -> None:
        self.workbook.store.update("must_haves", must_id, retired=retired)
        self.status.ok("Retired: it stays in past checks." if retired else "Brought back.")
        self.workbook.changed("must_haves")


class ApplicationEditor(w.VBox):
    """Log a new application (usually the rejection you just had) or edit the picked one."""

    #: True while the form is for a new application (the picked one is not shown).
    logging_new = traitlets.Bool(False)

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status().follows(workbook, {PICK, "applications"}, picked_only=True)
        self.fields = {
            "company": Field(text_input("Company", "e.g. Northwind")),
            "role": Field(text_input("Role", "e.g. Product Analyst")),
            "stage": Field(choice_input("Stage reached", models.STAGES, "interview")),
            "outcome": Field(choice_input("Outcome", models.OUTCOMES, "rejected")),
            "outcome_on": Field(date_input("Date of the call", dt.date.today()),
                                "When you heard the outcome."),
            "applied_on": Field(date_input("Applied on")),
            # Unchosen is saved as unknown: a preset guess would be saved as a fact.
            "source": Field(choice_input("How you found it", models.SOURCES,
                                         blank=NOT_CHOSEN)),
            "location": Field(text_input("Location", "e.g. Leeds, or Remote")),
            "job_link": Field(text_input("Job link", "https://...")),
            "notes": Field(text_input("Notes", "anything you want to remember", long=True,
                                      rows=3)),
        }
        self.save_button = button("Save application", style="primary")
        self.new_button = button("Log a new one instead")
        self.delete = ConfirmButton("Delete this application", self.delete_current,
                                    question="Delete this application and everything "
                                             "recorded for it?")
        self.form = Form(models.APPLICATION, self.fields, self.save_button)
        self.mode = w.HTML()
        self.save_button.on_click(lambda _b: self.save())
        self.new_button.on_click(lambda _b: self.log_new())
        self.editing: int | None = None
        self.actions = w.HBox([self.save_button])
        super().__init__([self.mode, *self.fields.values(), self.actions, self.status])
        workbook.on_change(self._on_pick, {PICK})
        self._on_pick(None)

    def _on_pick(self, _change: Any) -> None:
        app = self.workbook.application()
        if app is None:
            self.start_new()
        else:
            self.edit(app)

    def start_new(self) -> None:
        self.editing = None
        self.logging_new = True
        self.form.clear(stage="interview", outcome="rejected", outcome_on=dt.date.today(),
                        source="")
        self.mode.value = ("<h3 class='tappedin-heading'>Log the rejection you just had</h3>"
                           "<p class='tappedin-hint'>Company and role are enough to start; "
                           "the rest can come later.</p>")
        self.save_button.description = "Save application"
        self.actions.children = [self.save_button]
        self.status.clear()

    def log_new(self) -> None:
        """"Log a new one instead": the empty form, the keyboard in its first box (the
        button pressed has left the page, and the focus would fall to its top)."""
        self.start_new()
        self.fields["company"].widget.focus()

    def edit(self, app: dict[str, Any]) -> None:
        self.editing = int(app["id"])
        self.logging_new = False
        values = dict(app)
        for key in ("applied_on", "outcome_on"):
            values[key] = to_date(values.get(key))
        self.form.load(values)
        self.mode.value = (f"<h3 class='tappedin-heading'>{esc(app['company'])} — "
                           f"{esc(app['role'])}</h3><p class='tappedin-hint'>Change anything "
                           "and save; or log a new application.</p>")
        self.save_button.description = "Save changes"
        self.actions.children = [self.save_button, self.new_button, self.delete]
        self.status.clear()

    @guarded()
    def save(self) -> None:
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            self.status.error("Please fix the highlighted fields; nothing was saved yet.")
            return
        store = self.workbook.store
        if self.editing is None:
            new_id = store.add("applications", **cleaned)
            self.workbook.changed("applications", new_id)
            self.workbook.application_id = new_id
            self.status.ok(f"Saved {cleaned['company']} — {cleaned['role']}. "
                           "It's now the application every step works on.")
        else:
            store.update("applications", self.editing, **cleaned)
            self.status.ok("Changes saved.")
            self.workbook.changed("applications", self.editing)

    @guarded(action="delete")
    def delete_current(self) -> None:
        if self.editing is None:
            return
        self.workbook.store.delete("applications", self.editing)
        self.workbook.application_id = None
        # Everything recorded for it went too: every kind of record changed.
        self.workbook.changed("")
        self.start_new()
        self.status.ok("Deleted.")


class ContactsEditor(w.VBox):
    """The people involved in the picked application."""

    def __init__(self, workbook: Workbook, applications: ApplicationEditor | None = None):
        self.workbook = workbook
        self.applications = applications
        self.status = Status().follows(workbook, {PICK, "contacts"}, picked_only=True)
        self.fields = {
            "name": Field(text_input("Name", "e.g. Dana Whitfield")),
            "title": Field(text_input("Title", "e.g. Recruiter")),
            "part": Field(text_input("Their part", "e.g. hiring manager, ran the panel")),
            "email": Field(text_input("Email", "optional")),
        }
        self.save_button = button("Add person", style="primary")
        self.form = Form(models.CONTACT, self.fields, self.save_button,
                         extra=lambda: {"application_id": self.workbook.application_id})
        self.save_button.on_click(lambda _b: self.save())
        self.editing: int | None = None
        self.list = w.VBox()
        self.entry = w.VBox([*self.fields.values(), self.save_button])
        super().__init__([heading("People involved"), self.list, self.entry, self.status])
        self.rows = KeyedRows(self.list, self._row)
        workbook.on_change(lambda _c: self.render(), {PICK, "contacts"}, picked_only=True)
        if applications is not None:
            applications.observe(lambda _c: self.render(), names="logging_new")
        self._shown_for: int | None = None
        self.render()

    def render(self) -> None:
        app_id = self.workbook.application_id
        logging_new = self.applications is not None and self.applications.logging_new
        if app_id != self._shown_for or logging_new:
            self._stop_editing()  # a person of another application is not edited here
        self._shown_for = None if logging_new else app_id
        if app_id is None or logging_new:
            # The form above is for a new application: the people listed belong to the
            # one picked before, and can't be edited or removed from here.
            self.rows.show([], empty=(
                "<p class='tappedin-empty'>Save the new application first; then add the "
                "people involved here.</p>" if logging_new else
                "<p class='tappedin-empty'>Pick or log an application to add the people "
                "involved.</p>"))
            self.entry.layout.display = "none"
            self.save_button.disabled = True
            return
        self.entry.layout.display = ""
        people = self.workbook.store.table("contacts", application_id=app_id)
        self.rows.show(((int(r["id"]), r) for r in people.to_dict("records")),
                       empty="<p class='tappedin-empty'>Nobody listed yet: add the recruiter "
                             "and the interviewers.</p>")
        self.form.check()

    def _row(self, row: dict[str, Any]) -> w.Widget:
        cid = int(row["id"])
        text = " · ".join(esc(row[k]) for k in ("name", "title", "part") if row.get(k)
                          and row[k] is not None and str(row[k]) != "<NA>")
        edit = button("Edit")
        edit.on_click(lambda _b, r=row: self.edit(r))
        remove = ConfirmButton("Remove", lambda i=cid: self.remove(i),
                               question="Remove this person?")
        return w.HBox([w.HTML(text), edit, remove])

    def _stop_editing(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.save_button.description = "Add person"
            self.form.clear()

    def edit(self, row: dict[str, Any]) -> None:
        self.editing = int(row["id"])
        self.form.load({k: (None if row.get(k) is None or str(row.get(k)) == "<NA>"
                            else row[k]) for k in self.fields})
        self.save_button.description = "Save person"

    @guarded()
    def save(self) -> None:
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            return
        if self.editing is None:
            self.workbook.store.add("contacts", **cleaned)
        else:
            self.workbook.store.update("contacts", self.editing, **cleaned)
        self.editing = None
        self.save_button.description = "Add person"
        self.form.clear()
        self.status.ok(f"Saved {cleaned['name']}.")
        self.workbook.changed("contacts", cleaned["application_id"])

    @guarded(action="delete")
    def remove(self, contact_id: int) -> None:
        self.workbook.store.delete("contacts", contact_id)
        self.status.ok("Removed.")
        self.workbook.changed("contacts", self.workbook.application_id)


class StartView(w.VBox):
    """Step 0: must-haves, and the application the other steps work on."""

    def __init__(self, workbook: Workbook | None = None):
        self.workbook = workbook or Workbook()
        self.picker = ApplicationPicker(
            self.workbook, empty="No applications yet: log your first one just below.")
        self.applications = ApplicationEditor(self.workbook)
        self.contacts = ContactsEditor(self.workbook, self.applications)
        self.must_haves = MustHavesEditor(self.workbook)
        body = step_layout(guidance(INTRO), self.picker, self.applications, self.contacts,
                           self.must_haves)
        super().__init__([body])


def start_view(workbook: Workbook | None = None) -> StartView:
    return StartView(workbook)
