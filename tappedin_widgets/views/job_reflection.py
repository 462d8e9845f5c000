"""Step 4, "Job reflection": what you liked, what concerned you, and your must-haves.

Two columns side by side (liked / concerns). Each has its box to add a point at
the top, in a fixed place, and the saved points below it as plain text with Edit
and Remove: a saved point becomes a box only when Edit is pressed, so nobody types
into a saved point meaning to add one. Then a checklist of your must-haves for
this job (the chosen answer filled, bold and ticked) and a plain sentence saying
which of them were missing.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import models
from ..models import ValidationError
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
    enter_text,
    esc,
    guarded,
    guidance,
    heading,
    step_layout,
)

INTRO = """
<p><b>Step 4 — Job reflection.</b> No job is perfect, including the one you didn't get.
Take an honest look at it now that the pressure is off.</p>
<p>On the left, what you were looking forward to. On the right, what worried you about
actually taking it. Then check the job against your must-haves: seeing what was missing
often makes the loss feel smaller, and shows what to look for next.</p>
"""

COLUMNS: dict[str, dict[str, str]] = {
    "liked": {"title": "What I liked", "label": "Add a liked point",
              "edit": "Edit this liked point",
              "placeholder": "e.g. the team's focus on customers",
              "empty": "Nothing yet. What were you looking forward to?"},
    "concern": {"title": "What concerned me", "label": "Add a concern",
                "edit": "Edit this concern",
                "placeholder": "e.g. four office days a week",
                "empty": "Nothing yet. What made you hesitate, even a little?"},
}

# The chosen must-have answer is filled, bold and ticked, not just a shade darker.
# White on #1d5f8a is 6.9:1 (WCAG AA asks 4.5:1). Saved points read as text, not boxes.
STYLE = """
<style>
.tappedin-check .widget-toggle-button.mod-active { background: #1d5f8a; color: #ffffff;
  font-weight: 700; box-shadow: inset 0 0 0 2px #0b3d5c; }
.tappedin-check .widget-toggle-button.mod-active::before { content: "\\2713\\00a0"; }
.tappedin-item { padding: 4px 0; flex: 1 1 auto; white-space: pre-wrap; overflow-wrap: anywhere; }
</style>
"""

CHECK_LABELS = (("Present", "present"), ("Missing", "missing"), ("Unknown", "unknown"))


class ItemRow(w.VBox):
    """One stored item: its text with Edit and Remove; Edit opens a box with Save and
    Cancel."""

    def __init__(self, column: ItemColumn, row: dict[str, Any]):
        self.column = column
        self.item_id = int(row["id"])
        self.saved_text = str(row["text"])
        spec = COLUMNS[column.kind]
        self.shown = w.HTML(self._shown_html())
        self.shown.layout = w.Layout(flex="1 1 auto")
        self.edit_button = button("Edit", tooltip=spec["edit"])
        self.text = enter_text(spec["edit"], value=self.saved_text)
        self.field = Field(self.text)
        self.field.layout = w.Layout(flex="1 1 auto")
        self.save = button("Save", style="primary")
        self.save.disabled = True
        self.cancel = button("Cancel")
        self.remove = ConfirmButton("Remove", lambda: column.remove(self.item_id),
                                    question="Remove this item?")
        self.text.observe(lambda _c: self.check(), names="value")
        self.text.on_submit(lambda _text: self.submit())
        self.save.on_click(lambda _b: self.submit())
        self.edit_button.on_click(lambda _b: self.start_edit())
        self.cancel.on_click(lambda _b: self.stop_edit())
        self.line = w.HBox([self.shown, self.edit_button, self.remove],
                           layout=w.Layout(align_items="flex-start"))
        self.editor = w.HBox([self.field, self.save, self.cancel],
                             layout=w.Layout(align_items="flex-start"))
        super().__init__([self.line])
        self.add_class("tappedin-item-row")

    def _shown_html(self) -> str:
        return f"<div class='tappedin-item'>{esc(self.saved_text)}</div>"

    @property
    def editing(self) -> bool:
        return self.editor in self.children

    def start_edit(self) -> None:
        """Show the saved text in a box to change (the only way to change it)."""
        self.text.show(self.saved_text)
        self.check()
        self.children = [self.editor]

    def stop_edit(self) -> None:
        """Back to the text; what was typed and not saved is dropped."""
        self.field.set_error(None)
        self.children = [self.line]

    def take(self, row: dict[str, Any]) -> bool:
        """Show a changed record in place (see KeyedRows)."""
        old, self.saved_text = self.saved_text, str(row["text"])
        self.shown.value = self._shown_html()
        if self.text.value == old:  # nothing typed over it here: show the new text
            self.text.value = self.saved_text
        self.check()
        return True

    def check(self) -> str | None:
        """The cleaned text if it can be saved; shows why not otherwise."""
        try:
            cleaned = models.validate(models.JOB_ITEM, {
                "application_id": self.column.workbook.application_id,
                "kind": self.column.kind, "text": self.text.value})
        except ValidationError as e:
            self.field.set_error(e.errors.get("text") or e.message)
            self.save.disabled = True
            return None
        self.field.set_error(None)
        self.save.disabled = cleaned["text"] == self.saved_text
        return cleaned["text"]

    def submit(self) -> None:
        if self.check() is not None and not self.save.disabled:
            if self.column.save(self.item_id, self.text.value):
                self.stop_edit()


class ItemColumn(w.VBox):
    """One column of the job reflection: what I liked, or what concerned me."""

    def __init__(self, workbook: Workbook, kind: str):
        self.workbook = workbook
        self.kind = kind
        spec = COLUMNS[kind]
        self.status = Status().follows(workbook, {PICK, "job_items"}, picked_only=True)
        self.new = Field(enter_text(spec["label"], spec["placeholder"]))
        self.new.layout = w.Layout(flex="1 1 auto")
        self.add_button = button("Add", style="primary")
        self.form = Form(models.JOB_ITEM, {"text": self.new}, self.add_button,
                         extra=lambda: {"application_id": self.workbook.application_id,
                                        "kind": self.kind})
        self.add_button.on_click(lambda _b: self.add())
        # Enter in the box adds exactly the text in it (see inputs.TextBox).
        self.new.widget.on_submit(lambda _text: self.add())
        self.list = w.VBox()
        self.keyed = KeyedRows(self.list, lambda row: ItemRow(self, row),
                               f"<p class='tappedin-empty'>{esc(spec['empty'])}</p>")
        # The add box first, where it stays: the list grows below it.
        super().__init__([heading(spec["title"], 4),
                          w.HBox([self.new, self.add_button],
                                 layout=w.Layout(align_items="flex-start")),
                          self.status, self.list],
                         layout=w.Layout(width="50%", padding="0 8px 0 0"))
        self.render()

    def render(self) -> None:
        app_id = self.workbook.application_id
        self.new.widget.disabled = app_id is None
        if app_id is None:
            self.keyed.show([], empty="")
            self.add_button.disabled = True
            return
        items = self.workbook.store.table("job_items", application_id=app_id, kind=self.kind)
        self.keyed.show(((int(r["id"]), {"id": r["id"], "text": r["text"]})
                         for r in items.to_dict("records")),
                        empty=f"<p class='tappedin-empty'>{esc(COLUMNS[self.kind]['empty'])}</p>")
        self.form.check()

    @property
    def rows(self) -> list[ItemRow]:
        return self.keyed.widgets()

    @guarded()
    def add(self) -> None:
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            return
        self.workbook.store.add("job_items", **cleaned)
        self.form.clear()
        self.status.ok("Added.")
        self.workbook.changed("job_items", cleaned["application_id"])

    @guarded()
    def save(self, item_id: int, text: str) -> bool:
        self.workbook.store.update("job_items", item_id, text=text)
        self.status.ok("Saved.")
        self.workbook.changed("job_items", self.workbook.application_id)
        return True

    @guarded(action="delete")
    def remove(self, item_id: int) -> None:
        self.workbook.store.delete("job_items", item_id)
        self.status.ok("Removed.")
        self.workbook.changed("job_items", self.workbook.application_id)

    def row(self, text: str) -> ItemRow:
        """The row showing ``text`` (handy in tests)."""
        for r in self.rows:
            if r.saved_text == text:
                return r
        raise LookupError(text)


def missing_statement(missing: list[str], total: int, unchecked: int = 0) -> str:
    """A plain sentence (HTML, user text escaped) naming the missing must-haves."""
    if total == 0:
        return ""
    if missing:
        names = ", ".join(esc(n) for n in missing)
        if total == 1:
            text = f"This job was missing your one must-have: {names}."
        else:
            text = (f"This job was missing {len(missing)} of your {total} must-haves: "
                    f"{names}.")
        if unchecked:
            text += f" ({unchecked} still to check.)"
        return f"<p class='tappedin-statement'><b>{text}</b></p>"
    if unchecked == total:
        return ("<p class='tappedin-hint'>Mark each must-have above to see what this job "
                "was missing.</p>")
    if unchecked:
        return (f"<p class='tappedin-statement'><b>Nothing you need was missing so far</b> "
                f"({unchecked} still to check).</p>")
    return "<p class='tappedin-statement'><b>Nothing you need was missing.</b></p>"


class MustHaveChecklist(w.VBox):
    """Was each of your must-haves present in this job?"""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status().follows(workbook, {PICK, "must_haves", "must_have_checks"},
                                       picked_only=True)
        self.toggles: dict[int, w.ToggleButtons] = {}
        self.names: dict[int, str] = {}
        self.checks: dict[int, str] = {}
        self.list = w.VBox()
        self.keyed = KeyedRows(self.list, self._row)
        self.statement = w.HTML("")
        self._writing = False
        super().__init__([
            heading("Your must-haves, for this job"),
            w.HTML("<p class='tappedin-hint'>For each one: did this job have it? "
                   "“Unknown” is a fine answer when you never found out.</p>"),
            self.list, self.statement, self.status,
        ])
        self.render()

    def render(self) -> None:
        app_id = self.workbook.application_id
        store = self.workbook.store
        frame = store.table("must_haves")
        self.checks = {}
        if app_id is not None:
            checks = store.table("must_have_checks", application_id=app_id)
            self.checks = {int(r["must_have_id"]): str(r["status"])
                           for r in checks.to_dict("records")}
        shown = frame[~frame["retired"] | frame["id"].isin(list(self.checks))]
        self.names = {}
        if frame.empty:
            self.keyed.show([], empty=(
                "<p class='tappedin-empty'>You haven't named any must-haves yet. Add the two "
                "or three things your next job has to have in <b>Start here</b>; they will "
                "appear here.</p>"))
            self.toggles = {}
            self.statement.value = ""
            return
        if shown.empty:
            self.keyed.show([], empty=(
                "<p class='tappedin-empty'>All your must-haves are retired. Bring one back "
                "or add a new one in <b>Start here</b>.</p>"))
            self.toggles = {}
            self.statement.value = ""
            return
        records = []
        for row in shown.to_dict("records"):
            must_id = int(row["id"])
            self.names[must_id] = str(row["name"])
            desc = row.get("description")
            desc = str(desc) if desc is not None and str(desc) != "<NA>" and \
                str(desc).strip() else ""
            records.append((must_id, (must_id, str(row["name"]), bool(row["retired"]), desc,
                                      self.checks.get(must_id), app_id is None)))
        self.keyed.show(records)
        self.toggles = {i: row.children[0] for i, row in zip(self.keyed.rows,
                                                             self.keyed.widgets(), strict=False)}
        self.update_statement()

    def _row(self, record: tuple[int, str, bool, str, str | None, bool]) -> w.Widget:
        must_id, name, retired, desc, check, disabled = record
        toggle = w.ToggleButtons(
            options=list(CHECK_LABELS), value=check,
            description=f"{name} (retired)" if retired else name, disabled=disabled,
            style={"description_width": "240px", "button_width": "90px"})
        toggle.add_class("tappedin-check")
        toggle.observe(lambda c, i=must_id: self._on_toggle(i, c), names="value")
        parts: list[w.Widget] = [toggle]
        if desc:
            parts.append(w.HTML(f"<span class='tappedin-hint'>{esc(desc)}</span>"))
        return w.VBox(parts)

    def update_statement(self) -> None:
        if self.workbook.application_id is None:
            self.statement.value = ""
            return
        ids = list(self.toggles)
        missing = [self.names[i] for i in ids if self.checks.get(i) == "missing"]
        unchecked = sum(1 for i in ids if i not in self.checks)
        self.statement.value = missing_statement(missing, len(ids), unchecked)

    @guarded()
    def _on_toggle(self, must_id: int, change: Any) -> None:
        app_id = self.workbook.application_id
        if change.new is None or app_id is None or change.new == self.checks.get(must_id):
            return
        self.workbook.store.set_check(app_id, must_id, change.new)
        self.checks[must_id] = change.new
        self.update_statement()
        self.status.ok(f"Saved: {self.names.get(must_id, 'must-have')} — {change.new}.")
        self._writing = True  # our own change: no need to rebuild the toggles
        try:
            self.workbook.changed("must_have_checks", app_id)
        finally:
            self._writing = False

    def on_revision(self) -> None:
        if not self._writing:
            self.render()


class JobReflectionView(w.VBox):
    """Step 4: liked vs. concerns, and which must-haves this job was missing."""

    def __init__(self, workbook: Workbook | None = None):
        self.workbook = workbook or Workbook()
        self.picker = ApplicationPicker(self.workbook)
        self.hint = w.HTML("")
        self.liked = ItemColumn(self.workbook, "liked")
        self.concerns = ItemColumn(self.workbook, "concern")
        self.columns = w.HBox([self.liked, self.concerns], layout=w.Layout(width="100%"))
        self.must_haves = MustHaveChecklist(self.workbook)
        body = step_layout(w.HTML(STYLE), guidance(INTRO), self.picker, self.hint,
                           heading("The job"), self.columns, self.must_haves)
        super().__init__([body])
        self._show_hint()
        self.workbook.on_change(self._on_pick, {PICK})
        self.workbook.on_change(self._on_revision, {"job_items", "must_haves",
                                                    "must_have_checks", "applications"},
                                picked_only=True)

    @property
    def status(self) -> Status:
        return self.must_haves.status

    def _show_hint(self) -> None:
        self.hint.value = ("" if self.workbook.application_id is not None else
                           "<p class='tappedin-empty'>Pick an application at the top to "
                           "reflect on the job (or log one in <b>Start here</b>).</p>")

    @guarded()
    def _on_pick(self, _change: Any) -> None:
        self._show_hint()
        for column in (self.liked, self.concerns):
            column.status.clear()
            column.render()
        self.must_haves.status.clear()
        self.must_haves.render()

    @guarded()
    def _on_revision(self, what: str) -> None:
        if what in ("job_items", "applications", ""):
            self.liked.render()
            self.concerns.render()
        if what != "job_items":
            self.must_haves.on_revision()
        self._show_hint()


def job_reflection_view(workbook: Workbook | None = None) -> JobReflectionView:
    return JobReflectionView(workbook)


__all__ = ["JobReflectionView", "job_reflection_view", "missing_statement"]
