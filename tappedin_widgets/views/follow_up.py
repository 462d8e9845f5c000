"""Step 2, "Follow-up": a thank-you note to the people most involved, and a reminder
to reconnect some months later.

Sections:
- :class:`NoteComposer`: who to thank, tone, one specific thing, a live preview,
  the editable text, Save as draft, Export .eml (a plain download link) and
  Copy the text (a box to select and copy from).
- :class:`ApplicationNotes`: the notes for the picked application: edit, export,
  mark sent (with a reconnect date), delete.
- :class:`~.reconnects.Reconnects`: reconnects coming up across every application (Done /
  Skip), and :class:`~.reconnects.SentNotes`: every note sent, latest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import models, notes
from ..models import ValidationError
from .common import (
    LABEL_WIDTH,
    PICK,
    ApplicationPicker,
    ConfirmButton,
    Field,
    KeyedRows,
    Status,
    Workbook,
    button,
    close_tree,
    date_input,
    download_link,
    esc,
    fmt_date,
    guard,
    guarded,
    guidance,
    heading,
    step_layout,
    text_input,
    to_date,
)
from .reconnects import Reconnects, SentNotes

INTRO = """
<p><b>Say thank you, and keep the door open.</b> A short, kind note to the people who
interviewed you takes ten minutes and is remembered. Thank them for considering you, say you
know the choice was hard, mention one thing you valued, and let them know you'd be glad to
hear from them.</p>
<p>It isn't a plea, and there's no need to revisit the decision. The person they hired may
not work out or may not stay; when that happens, the candidate who left a good last
impression is often the first call.</p>
"""

WHY_RECONNECT = ("Why a reminder? The person hired may not work out or may not stay, and a "
                 "friendly hello in a few months can make you next in line.")


def _text(value: Any) -> str | None:
    """A stored text value, or None for NULL / NA / blank."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return int(value)


@dataclass(frozen=True)
class Recipient:
    """Someone a note is addressed to: a listed contact, or a name typed in."""

    key: str
    name: str
    contact_id: int | None = None
    email: str | None = None


@dataclass
class Draft:
    """The text of one recipient's note while it is being written."""

    subject: str = ""
    body: str = ""
    subject_edited: bool = False
    body_edited: bool = False
    tone: str = "warm"  # the template the text came from; kept when edited by hand

    @property
    def edited(self) -> bool:
        return self.subject_edited or self.body_edited


def _observe(widget: w.Widget, status: Status, fn: Callable[[], None]) -> None:
    """Call ``fn`` when the widget's value changes; errors become a message."""
    guarded = guard(status, action="update")(fn)
    widget.observe(lambda _change: guarded(), names="value")


def eml_link(filename: str, data: bytes) -> str:
    """A link that downloads a note as an .eml draft."""
    return download_link(data, filename, mime="message/rfc822",
                         hint="Open the file with your mail program: it opens as a draft you "
                              "can check and send.")


# --------------------------------------------------------------------------
# Composer


class NoteComposer(w.VBox):
    """Write a thank-you note (one per recipient), or edit a saved one."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status().follows(workbook, {PICK, "follow_ups", "contacts"},
                                       picked_only=True)
        self.editing: int | None = None
        self._edited_row: dict[str, Any] = {}
        self.edit_target: Recipient | None = None
        self.drafts: dict[str, Draft] = {}
        self.current: str | None = None
        self.touched: set[str] = set()
        self._filling = False
        self._contacts: list[tuple[int, str, str, str | None]] = []
        self._copy_text = ""

        self.mode = w.HTML()
        self.people_boxes: dict[int, w.Checkbox] = {}
        self.people_message = w.HTML()
        self.other = Field(text_input("Someone not listed",
                                      "e.g. Priya Shah, or the hiring panel"))
        self.writing_to = w.Dropdown(description="Writing to", options=[],
                                     style={"description_width": LABEL_WIDTH})
        self.who = w.VBox()
        self.who_intro = w.HTML()
        self.tone = Field(w.Dropdown(description="Tone",
                                     options=[(notes.TONE_LABELS[t], t) for t in models.NOTE_TONES],
                                     value="warm", style={"description_width": LABEL_WIDTH},
                                     layout=w.Layout(width="min(460px, 100%)")))
        self.specific = Field(text_input("Something specific",
                                         "e.g. the discussion about the pricing experiment"),
                              "One thing from the process you valued; it makes the note yours.")
        self.sender = Field(text_input("Your name", "for the sign-off (optional)"))
        self.subject = Field(text_input("Subject"))
        self.body = Field(text_input("Note", long=True, rows=14))
        self.edited_hint = w.HTML()
        self.reset_button = button("Reset to template",
                                   tooltip="Replace the text with the template for this tone")
        self.preview = w.HTML()
        self.save_button = button("Save as draft", style="primary")
        self.new_button = button("Start a new note")
        self.export_button = button("Export .eml", tooltip="Make a file your mail program opens")
        self.export_link = w.HTML()
        self.copy_button = button("Copy the text", tooltip="Show the note as plain text")
        self.copy_box = w.Textarea(description="Plain text", rows=12,
                                   style={"description_width": LABEL_WIDTH},
                                   layout=w.Layout(width="100%"))
        self.copy_area = w.VBox()
        self.actions = w.HBox([self.save_button, self.export_button, self.copy_button])

        # Fill the column beside the preview (100% overflows by the widgets' margins).
        for field in (self.subject, self.body):
            field.widget.layout = w.Layout(width="calc(100% - 12px)")
        editor = w.VBox([self.subject, self.body, self.edited_hint, w.HBox([self.reset_button])],
                        layout=w.Layout(flex="1 1 420px", min_width="300px"))
        preview = w.VBox([w.HTML("<p class='tappedin-hint'><b>Preview</b></p>"), self.preview],
                         layout=w.Layout(flex="1 1 340px", min_width="280px"))
        super().__init__([
            self.mode, self.who, self.people_message, self.tone, self.specific, self.sender,
            w.HBox([editor, preview], layout=w.Layout(flex_flow="row wrap", width="100%")),
            self.actions, self.export_link, self.copy_area, self.status,
        ])

        self.writing_to.observe(self._on_writing_to, names="value")
        _observe(self.other.widget, self.status, self._on_people)
        for field in (self.tone, self.specific, self.sender):
            _observe(field.widget, self.status, self._recompose)
        _observe(self.subject.widget, self.status, lambda: self._on_text("subject"))
        _observe(self.body.widget, self.status, lambda: self._on_text("body"))
        self.copy_box.observe(self._keep_copy_box, names="value")
        self.reset_button.on_click(lambda _b: self.reset())
        self.save_button.on_click(lambda _b: self.save())
        self.new_button.on_click(lambda _b: self.start_new())
        self.export_button.on_click(lambda _b: self.export())
        self.copy_button.on_click(lambda _b: self.show_copy())
        workbook.on_change(self._on_pick, {PICK})
        workbook.on_change(self._on_revision, {"follow_ups", "contacts", "applications"},
                           picked_only=True)
        self.start_new()

    # -- who the note is for ----------------------------------------------

    def _load_contacts(self) -> list[tuple[int, str, str, str | None]]:
        """(id, name, label, email) of each person listed for the picked application."""
        app_id = self.workbook.application_id
        if app_id is None:
            return []
        people = self.workbook.store.table("contacts", application_id=app_id)
        out = []
        for row in people.to_dict("records"):
            name = str(row["name"])
            label = " — ".join(p for p in (name, _text(row.get("title"))) if p)
            part = _text(row.get("part"))
            out.append((int(row["id"]), name, f"{label} ({part})" if part else label,
                        _text(row.get("email"))))
        return out

    def _build_people(self, keep_ticks: bool = True) -> None:
        ticked = ({cid for cid, box in self.people_boxes.items() if box.value}
                  if keep_ticks else set())
        self._contacts = self._load_contacts()
        old, self.people_boxes = self.people_boxes, {}
        for cid, _name, label, _email in self._contacts:
            box = w.Checkbox(description=label, value=cid in ticked, indent=False,
                             layout=w.Layout(width="auto"))
            _observe(box, self.status, self._on_people)
            self.people_boxes[cid] = box
        if len(self._contacts) == 1 and not keep_ticks:
            # With one person listed there is nothing to choose.
            self.people_boxes[self._contacts[0][0]].value = True
        self._render_who()
        for box in old.values():
            close_tree(box)

    def _render_who(self) -> None:
        # One intro widget whose text changes: replacing the box's first child would make
        # the page redraw everything after it, and "Someone not listed" would lose focus
        # (and the rest of the name being typed) on the first keystroke.
        if self.editing is not None and self.edit_target is not None:
            self.who_intro.value = f"<p>To <b>{esc(self.edit_target.name)}</b></p>"
            self._show_who([self.who_intro])
            return
        if self.workbook.application_id is None:
            self.who_intro.value = ("<p class='tappedin-empty'>Pick an application above, "
                                    "or log one in <b>Start here</b>, to write a note.</p>")
            self._show_who([self.who_intro])
            return
        intro = ("<p><b>Who was most involved?</b> <span class='tappedin-hint'>Usually the "
                 "person who called you and the hiring manager. Each gets a note of their own."
                 "</span></p>")
        if not self.people_boxes:
            intro = ("<p><b>Who was most involved?</b> <span class='tappedin-hint'>Nobody is "
                     "listed for this application yet: type a name below, or add the people "
                     "involved in <b>Start here</b>.</span></p>")
        self.who_intro.value = intro
        children: list[w.Widget] = [self.who_intro, *self.people_boxes.values(), self.other]
        if len(self.writing_to.options) > 1:
            children.append(self.writing_to)
        self._show_who(children)

    def _show_who(self, children: list[w.Widget]) -> None:
        if list(self.who.children) != children:
            self.who.children = children

    def targets(self) -> list[Recipient]:
        """Everyone the note(s) will go to, in the order shown."""
        if self.editing is not None:
            return [self.edit_target] if self.edit_target else []
        out = []
        for cid, name, _label, email in self._contacts:
            box = self.people_boxes.get(cid)
            if box is not None and box.value:
                out.append(Recipient(f"c{cid}", name, cid, email))
        other = " ".join(self.other.value.split())
        if other:
            out.append(Recipient("other", other))
        return out

    def _target(self, key: str | None) -> Recipient | None:
        return next((t for t in self.targets() if t.key == key), None)

    def _on_people(self) -> None:
        if self._filling:
            return
        self.touched.add("recipient")
        self._sync_targets()
        self.check()

    def _sync_targets(self) -> None:
        """Keep one draft per recipient, and the "Writing to" choice, in step."""
        targets = self.targets()
        keys = [t.key for t in targets]
        for t in targets:
            if t.key not in self.drafts:
                subject, body = self._compose(t)
                self.drafts[t.key] = Draft(subject, body, tone=self.tone.value or "warm")
            elif not self.drafts[t.key].edited:
                self._apply_template(t)  # a typed name changed: so does the greeting
        self._filling = True
        try:
            self.writing_to.options = [(t.name, t.key) for t in targets]
            if self.current in keys:
                self.writing_to.value = self.current
            elif keys:
                self.writing_to.value = keys[0]
        finally:
            self._filling = False
        self.current = self.writing_to.value if keys else None
        self._render_who()
        self._show_current()

    def _on_writing_to(self, change: Any) -> None:
        if self._filling or change.new is None:
            return
        self.current = change.new
        self._show_current()
        self.check()

    # -- the text -----------------------------------------------------------

    def _compose(self, target: Recipient) -> tuple[str, str]:
        app = self.workbook.application() or {}
        return notes.compose(self.tone.value or "warm", recipient_name=target.name,
                             role=app.get("role"), company=app.get("company"),
                             specific=self.specific.value, sender=self.sender.value)

    def _apply_template(self, target: Recipient, *, force: bool = False) -> None:
        draft = self.drafts.setdefault(target.key, Draft())
        subject, body = self._compose(target)
        if force or not draft.subject_edited:
            draft.subject, draft.subject_edited = subject, False
        if force or not draft.body_edited:
            draft.body, draft.body_edited = body, False
            draft.tone = self.tone.value or "warm"

    def _recompose(self) -> None:
        """Tone, detail or sign-off changed: refresh every note not edited by hand."""
        if self._filling:
            return
        for target in self.targets():
            self._apply_template(target)
        self._show_current()
        self.check()

    def _show_current(self) -> None:
        draft = self.drafts.get(self.current) if self.current else None
        self._filling = True
        try:
            self.subject.value = draft.subject if draft else ""
            self.body.value = draft.body if draft else ""
        finally:
            self._filling = False
        self._after_text_change()

    def _on_text(self, which: str) -> None:
        if self._filling:
            return
        self.touched.add(which)
        draft = self.drafts.get(self.current) if self.current else None
        if draft is not None:
            if which == "body":
                draft.body, draft.body_edited = self.body.value, True
            else:
                draft.subject, draft.subject_edited = self.subject.value, True
        self._after_text_change()
        self.check()

    def _after_text_change(self) -> None:
        draft = self.drafts.get(self.current) if self.current else None
        edited = bool(draft and draft.edited)
        what = "This is your saved text" if self.editing is not None else \
            "You've changed this text by hand"
        self.edited_hint.value = (
            f"<p class='tappedin-hint' style='line-height: 1.45'>{what}, so changing the tone "
            "or the specific detail leaves it as it is. <b>Reset to template</b> starts again "
            "from the template.</p>"
            if edited else "")
        self.reset_button.disabled = not edited or self.current is None
        self.export_link.value = ""  # a link to older text would mislead
        if self.copy_area.children:
            self._fill_copy_box()
        self._render_preview()

    def _render_preview(self) -> None:
        target = self._target(self.current)
        if target is None:
            self.preview.value = ("<p class='tappedin-empty'>Pick someone to thank, and the "
                                  "note appears here.</p>")
            return
        to = esc(target.name) + (f" &lt;{esc(target.email)}&gt;" if target.email else "")
        self.preview.value = (
            "<div class='tappedin-card' style='line-height: 1.45'>"
            f"<p><b>To:</b> {to}<br><b>Subject:</b> {esc(self.subject.value)}</p>"
            f"<div style='white-space: pre-wrap; line-height: 1.45'>{esc(self.body.value)}</div>"
            "</div>")

    @guarded(action="update")
    def reset(self) -> None:
        """Replace the current note's text with the template (tone, detail, name)."""
        target = self._target(self.current)
        if target is None:
            return
        self._apply_template(target, force=True)
        self._show_current()
        self.check()
        self.status.info("Back to the template.")

    # -- validation ---------------------------------------------------------

    def _row(self, target: Recipient) -> dict[str, Any]:
        draft = self.drafts.get(target.key, Draft())
        return {"application_id": self.workbook.application_id, "contact_id": target.contact_id,
                "recipient": target.name, "tone": draft.tone, "subject": draft.subject,
                "body": draft.body}

    def check(self, *, show_all: bool = False) -> list[dict[str, Any]] | None:
        """Validate every note; show messages inline; enable Save when all are valid."""
        targets = self.targets()
        errors: dict[str, str] = {}
        others: list[str] = []
        rows = []
        for target in targets:
            try:
                rows.append(models.validate(models.FOLLOW_UP, self._row(target)))
            except ValidationError as e:
                if target.key == self.current:
                    errors.update(e.errors)
                else:
                    others.append(f"The note to {target.name} needs attention: {e.message}")
        if self.workbook.application_id is None:
            errors["application_id"] = "Pick an application first."
        if not targets:
            errors["recipient"] = "Tick someone to thank, or type a name."
        for name, field in (("subject", self.subject), ("body", self.body)):
            shown = show_all or name in self.touched
            field.set_error(errors.get(name) if shown else None)
        recipient_error = errors.get("recipient") or errors.get("contact_id")
        message = recipient_error if (show_all or "recipient" in self.touched) else None
        lines = [m for m in [message, *others] if m]
        self.people_message.value = "".join(
            f"<p class='tappedin-error' role='alert'>{esc(m)}</p>" for m in lines)
        ok = not errors and not others and bool(rows)
        self.save_button.disabled = not ok
        return rows if ok else None

    # -- modes --------------------------------------------------------------

    def start_new(self) -> None:
        """An empty composer for the picked application."""
        self.editing = None
        self.edit_target = None
        self.drafts = {}
        self.current = None
        self._filling = True
        try:
            self.other.value = ""
            self.specific.value = ""
            self.tone.value = "warm"
        finally:
            self._filling = False
        self.save_button.description = "Save as draft"
        self.actions.children = [self.save_button, self.export_button, self.copy_button]
        self.copy_area.children = []
        app = self.workbook.application()
        self.mode.value = ("<h3 class='tappedin-heading'>Write a thank-you note</h3>"
                           if app else "")
        for widget in (self.tone.widget, self.specific.widget, self.sender.widget,
                       self.subject.widget, self.body.widget, self.export_button,
                       self.copy_button):
            widget.disabled = app is None
        self._build_people(keep_ticks=False)
        self._sync_targets()
        self.touched.clear()
        self.check()

    @guarded(action="update")
    def edit(self, note_id: int) -> None:
        """Load a saved note to change its text (its recipient stays)."""
        row = self.workbook.store.get("follow_ups", note_id)
        email = None
        contact_id = _int(row.get("contact_id"))
        if contact_id is not None:
            try:
                email = _text(self.workbook.store.get("contacts", contact_id).get("email"))
            except models.NotFound:
                contact_id = None
        self.editing = note_id
        self._edited_row = {k: row.get(k) for k in ("status", "sent_on")}
        self.edit_target = Recipient(f"n{note_id}", row["recipient"], contact_id, email)
        # Stored text counts as written by hand: a tone change must not replace it.
        self.drafts = {self.edit_target.key: Draft(row.get("subject") or "", row["body"],
                                                   True, True, row.get("tone") or "warm")}
        self.current = self.edit_target.key
        self._filling = True
        try:
            self.tone.value = row.get("tone") or "warm"
            self.specific.value = ""
        finally:
            self._filling = False
        self.mode.value = self._editing_heading(row)
        self.save_button.description = "Save changes"
        self.actions.children = [self.save_button, self.export_button, self.copy_button,
                                 self.new_button]
        self.copy_area.children = []
        self._render_who()
        self._filling = True
        try:
            self.writing_to.options = [(self.edit_target.name, self.current)]
        finally:
            self._filling = False
        self._show_current()
        self.touched.clear()
        self.check()
        self.status.info("Change the text and save; the recipient stays the same.")

    @staticmethod
    def _editing_heading(row: dict[str, Any]) -> str:
        when = (f", sent {fmt_date(row['sent_on'])}" if row.get("status") == "sent"
                and row.get("sent_on") else ", draft")
        return (f"<h3 class='tappedin-heading'>Editing your note to "
                f"{esc(row['recipient'])}{esc(when)}</h3>")

    # -- actions ------------------------------------------------------------

    @guarded()
    def save(self) -> None:
        rows = self.check(show_all=True)
        if rows is None:
            self.status.error("Please fix the highlighted fields; nothing was saved yet.")
            return
        store = self.workbook.store
        if self.editing is not None:
            row = rows[0]
            store.update("follow_ups", self.editing, tone=row["tone"],
                         subject=row.get("subject"), body=row["body"])
            self.workbook.changed("follow_ups", self.workbook.application_id)
            self.status.ok("Changes saved.")
            return
        with store.atomic():
            ids = [store.add("follow_ups", **row) for row in rows]
        names = ", ".join(r["recipient"] for r in rows)
        self.workbook.changed("follow_ups", self.workbook.application_id)
        if len(ids) == 1:
            self.edit(ids[0])
            self.status.ok(f"Draft saved for {names}. Export it or copy the text, send it "
                           "from your email, then mark it sent below.")
        else:
            self.start_new()
            self.status.ok(f"Saved {len(ids)} drafts ({names}). Open one below to export "
                           "it or copy its text.")

    def _current_note(self) -> tuple[Recipient, Draft] | None:
        target = self._target(self.current)
        if target is None:
            self.check(show_all=True)
            self.status.error("Pick someone to thank first.")
            return None
        draft = self.drafts[target.key]
        if not draft.body.strip():
            self.touched.add("body")
            self.check(show_all=True)
            self.status.error("The note is empty; write it (or reset to the template) first.")
            return None
        return target, draft

    @guarded(action="export")
    def export(self) -> None:
        """Build a download link for the note shown, as an .eml draft."""
        note = self._current_note()
        if note is None:
            return
        target, draft = note
        app = self.workbook.application() or {}
        data = notes.to_eml(draft.subject, draft.body, target.name, target.email)
        self.export_link.value = eml_link(
            notes.eml_filename(app.get("company"), target.name), data)
        self.status.clear()

    @guarded(action="show")
    def show_copy(self) -> None:
        """Show the note as plain text to select and copy (no clipboard script needed)."""
        if self._current_note() is None:
            return
        self._fill_copy_box()
        self.copy_area.children = [
            w.HTML("<p class='tappedin-hint'>Select the text below and copy it "
                   "(Ctrl+C, or Cmd+C on a Mac), then paste it into your email. To change "
                   "it, edit the note above.</p>"),
            self.copy_box]
        self.status.clear()

    def _fill_copy_box(self) -> None:
        self._copy_text = notes.plain_text(self.subject.value, self.body.value)
        self.copy_box.value = self._copy_text

    def _keep_copy_box(self, change: Any) -> None:
        # Read-only in effect, yet still selectable (a disabled box isn't, everywhere).
        text = getattr(self, "_copy_text", "")
        if change.new != text:
            self.copy_box.value = text

    # -- keeping up with the store ---------------------------------------------

    def _on_pick(self, _change: Any) -> None:
        guard(self.status, action="update")(self.start_new)()

    def _unsaved(self) -> bool:
        """The note being edited holds text not saved yet."""
        draft = self.drafts.get(self.current) if self.current else None
        if self.editing is None or draft is None:
            return False
        row = self.workbook.store.get("follow_ups", self.editing)
        return (draft.body, draft.subject) != (row["body"], row.get("subject") or "")

    @guarded(action="update")
    def _on_revision(self, _change: Any) -> None:
        if self.editing is not None:
            try:
                row = self.workbook.store.get("follow_ups", self.editing)
            except models.NotFound:
                self.start_new()
                return
            if {k: row.get(k) for k in self._edited_row} != self._edited_row:
                # Marked sent (or its dates changed) since it was opened: "Editing your
                # note to Sam, draft" is no longer true. Nothing typed is thrown away.
                if self._unsaved():
                    self._edited_row = {k: row.get(k) for k in self._edited_row}
                    self.mode.value = self._editing_heading(row)
                else:
                    self.start_new()
            return
        if self.workbook.last_change in ("contacts", "applications", ""):
            if self._load_contacts() != self._contacts:
                self._build_people(keep_ticks=True)
                self._sync_targets()
            self._recompose()


# --------------------------------------------------------------------------
# Notes for the picked application


class NoteRow(w.VBox):
    """One saved note: what it is, and what can be done with it."""

    def __init__(self, section: ApplicationNotes, row: dict[str, Any]):
        self.section = section
        self.note_id = int(row["id"])
        self.row = row
        sent = row.get("status") == "sent"
        self.summary = w.HTML(self._summary(row))
        self.edit_button = button("Edit")
        self.export_button = button("Export .eml")
        self.sent_button = button("Change dates" if sent else "Mark sent",
                                  style="" if sent else "success")
        self.delete = ConfirmButton("Delete", lambda: section.delete(self.note_id),
                                    question="Delete this note for good?")
        self.link = w.HTML()
        self.panel = w.VBox()

        default_sent = to_date(row.get("sent_on")) or dt.date.today()
        self.sent_on = Field(date_input("Sent on", default_sent))
        reconnect = to_date(row.get("reconnect_on")) or notes.default_reconnect(default_sent)
        self.reconnect_on = Field(date_input("Reconnect on", reconnect),
                                  "About three months after sending.")
        self.confirm = button("Save: sent" if not sent else "Save dates", style="primary")
        self.cancel = button("Cancel")
        self._reconnect_typed = False
        self._setting = False
        self.sent_on.widget.observe(self._on_sent_on, names=["value", "bad"])
        self.reconnect_on.widget.observe(self._on_reconnect_on, names=["value", "bad"])

        self.edit_button.on_click(lambda _b: section.composer.edit(self.note_id))
        self.export_button.on_click(lambda _b: self.export())
        self.sent_button.on_click(lambda _b: self.open_panel())
        self.confirm.on_click(lambda _b: self.mark_sent())
        self.cancel.on_click(lambda _b: self.close_panel())
        super().__init__([self.summary,
                          w.HBox([self.edit_button, self.export_button, self.sent_button,
                                  self.delete]),
                          self.link, self.panel])
        self.add_class("tappedin-card")

    @staticmethod
    def _summary(row: dict[str, Any]) -> str:
        parts = [f"<b>To {esc(row['recipient'])}</b>"]
        if row.get("status") == "sent":
            parts.append(f"sent {esc(fmt_date(row.get('sent_on')))}")
            if row.get("reconnect_on") is not None and not pd.isna(row.get("reconnect_on")):
                parts.append(f"reconnect {esc(fmt_date(row['reconnect_on']))} "
                             f"({esc(row.get('reconnect_status') or 'planned')})")
        else:
            parts.append("draft")
        parts.append(esc(row.get("tone") or ""))
        subject = _text(row.get("subject"))
        line = " · ".join(p for p in parts if p)
        if subject:
            line += f"<br><span class='tappedin-hint'>{esc(subject)}</span>"
        return line

    @guarded("section.status", action="export")
    def export(self) -> None:
        store = self.section.workbook.store
        row = store.get("follow_ups", self.note_id)
        email = None
        if row.get("contact_id") is not None:
            email = _text(store.get("contacts", row["contact_id"]).get("email"))
        app = store.get("applications", row["application_id"])
        data = notes.to_eml(row.get("subject") or "", row["body"], row["recipient"], email)
        self.link.value = eml_link(notes.eml_filename(app["company"], row["recipient"]),
                                        data)

    def open_panel(self) -> None:
        self.panel.children = [
            w.HTML(f"<p class='tappedin-hint'>{esc(WHY_RECONNECT)}</p>"),
            self.sent_on, self.reconnect_on, w.HBox([self.confirm, self.cancel])]
        self.check()

    def close_panel(self) -> None:
        self.panel.children = []

    def _on_sent_on(self, change: Any) -> None:
        if not self._reconnect_typed and change.name == "value" and change.new is not None:
            self._setting = True
            try:
                self.reconnect_on.value = notes.default_reconnect(change.new)
            finally:
                self._setting = False
        guard(self.section.status, action="check")(self.check)()

    def _on_reconnect_on(self, change: Any) -> None:
        if not self._setting and change.name == "value":
            self._reconnect_typed = True
        guard(self.section.status, action="check")(self.check)()

    def values(self) -> dict[str, Any]:
        reconnect = self.reconnect_on.value
        values = {"status": "sent", "sent_on": self.sent_on.value, "reconnect_on": reconnect}
        if reconnect is not None and self.row.get("reconnect_status") != "done":
            values["reconnect_status"] = "planned"
        return values

    def check(self) -> dict[str, Any] | None:
        """Validate the dates; messages appear next to them; Save is enabled when valid."""
        unusable = {name: field.widget.error for name, field in
                    (("sent_on", self.sent_on), ("reconnect_on", self.reconnect_on))
                    if field.widget.error}
        try:
            cleaned = models.validate(models.FOLLOW_UP, self.values(), partial=True,
                                      current=self.row)
            if unusable:
                raise ValidationError(unusable)
        except ValidationError as e:
            errors = {**e.errors, **unusable}
            self.sent_on.set_error(errors.get("sent_on"))
            self.reconnect_on.set_error(errors.get("reconnect_on"))
            self.confirm.disabled = True
            return None
        self.sent_on.set_error(None)
        self.reconnect_on.set_error(None)
        self.confirm.disabled = False
        return cleaned

    @guarded("section.status")
    def mark_sent(self) -> None:
        cleaned = self.check()
        if cleaned is None:
            self.section.status.error("Please fix the dates; nothing was saved yet.")
            return
        try:
            self.section.workbook.store.update("follow_ups", self.note_id, **cleaned)
        except ValidationError as e:
            self.sent_on.set_error(e.errors.get("sent_on"))
            self.reconnect_on.set_error(e.errors.get("reconnect_on"))
            raise
        when = cleaned.get("reconnect_on")
        self.section.status.ok(
            f"Marked sent. Reconnect planned for {fmt_date(when)}: it will show under "
            "'Reconnects coming up'." if when else "Marked sent.")
        self.section.workbook.changed("follow_ups", self.row.get("application_id"))


class ApplicationNotes(w.VBox):
    """The notes written for the picked application: drafts and sent."""

    def __init__(self, workbook: Workbook, composer: NoteComposer):
        self.workbook = workbook
        self.composer = composer
        self.status = Status().follows(workbook, {PICK, "follow_ups"}, picked_only=True)
        self.list = w.VBox()
        self.keyed = KeyedRows(self.list, lambda row: NoteRow(self, row))
        super().__init__([heading("Notes for this application"), self.list, self.status])
        workbook.on_change(lambda _c: self.render(), {PICK, "follow_ups"}, picked_only=True)
        self.render()

    @property
    def rows(self) -> dict[int, NoteRow]:
        return dict(zip(self.keyed.rows, self.keyed.widgets(), strict=False))

    @guarded(action="load")
    def render(self) -> None:
        app_id = self.workbook.application_id
        if app_id is None:
            self.keyed.show([], empty="<p class='tappedin-empty'>Pick an application to see "
                                      "its notes.</p>")
            return
        frame = self.workbook.store.table("follow_ups", application_id=app_id)
        rows = []
        for row in frame.to_dict("records"):
            for key in ("sent_on", "reconnect_on"):
                row[key] = to_date(row.get(key))
            row["tone"] = None if pd.isna(row.get("tone")) else str(row["tone"])
            row["status"] = str(row["status"])
            row["reconnect_status"] = (None if pd.isna(row.get("reconnect_status"))
                                       else str(row["reconnect_status"]))
            row["subject"] = _text(row.get("subject"))
            row["contact_id"] = _int(row.get("contact_id"))
            row["recipient"] = str(row["recipient"])
            # Only what the row shows: its body and time stamps don't rebuild it.
            rows.append((int(row["id"]), {k: row.get(k) for k in self.ROW_KEYS}))
        self.keyed.show(rows, empty="<p class='tappedin-empty'>No notes yet. Write one above: "
                                    "a few kind lines are enough.</p>")

    ROW_KEYS = ("id", "application_id", "recipient", "status", "sent_on", "reconnect_on",
                "reconnect_status", "tone", "subject", "contact_id")

    @guarded(action="delete")
    def delete(self, note_id: int) -> None:
        self.workbook.store.delete("follow_ups", note_id)
        self.status.ok("Note deleted.")
        self.workbook.changed("follow_ups", self.workbook.application_id)


# --------------------------------------------------------------------------
# Across every application


# --------------------------------------------------------------------------


class FollowUpView(w.VBox):
    """Step 2: thank the people involved, and plan to reconnect."""

    def __init__(self, workbook: Workbook | None = None):
        self.workbook = workbook or Workbook()
        self.picker = ApplicationPicker(self.workbook)
        self.composer = NoteComposer(self.workbook)
        self.notes = ApplicationNotes(self.workbook, self.composer)
        self.reconnects = Reconnects(self.workbook)
        self.sent = SentNotes(self.workbook)
        body = step_layout(self.picker, guidance(INTRO), self.composer, self.notes,
                           self.reconnects, self.sent)
        super().__init__([body])


def follow_up_view(workbook: Workbook | None = None) -> FollowUpView:
    return FollowUpView(workbook)
