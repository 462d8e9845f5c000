"""Step 5, "Continue the search": lessons become dated actions, and the search goes on.

The pure parts (:func:`search_numbers`, :func:`search_summary`,
:func:`gap_suggestions`) read the store and return plain values, so they can
be tested without widgets. The sections below them are the view.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import analysis, models, reminders
from ..analysis import REACHED_INTERVIEW, search_numbers  # noqa: F401  (the rules live there)
from ..models import ValidationError, plural
from ..store import Store
from .common import (
    LIST_PAGE,
    PICK,
    ApplicationPicker,
    Field,
    Form,
    KeyedRows,
    Status,
    Workbook,
    button,
    date_input,
    download_link,
    esc,
    fmt_date,
    guarded,
    guidance,
    heading,
    set_children,
    shared,
    step_layout,
    table_html,
    text_input,
    to_date,
)
from .keep_parts import (
    PAGE,
    DoneRows,
    RowLooks,
    app_options,
    built_rows,
    choice_dropdown,
    companies_by_id,
    set_options,
    theme_options,
    value_or_none,
)

DUE_IN_DAYS = 14
NO_ACTIONS = ("<p class='tappedin-empty'>No actions yet. One small step with a date beats a "
              "long list.</p>")
ALL_DONE = "<p class='tappedin-empty'>Every action is done: add the next one above.</p>"
NO_QUESTIONS = ("<p class='tappedin-empty'>No questions yet. The ones you wished you'd "
                "answered better (step 3) land here; you can also add any by hand.</p>")
ALL_PRACTISED = ("<p class='tappedin-empty'>Every question is practised: add the next one "
                 "below.</p>")

log = logging.getLogger("tappedin.views")

INTRO = """
<p><b>Keep going.</b> A rejection is disheartening, and it is also an ordinary part of any
active search. What you learned in the earlier steps helps once it changes what you do next:
turn a lesson into one small, concrete action with a date, and tick it off when it's done.</p>
<p class='tappedin-hint'>Suggestions come from your own notes: what you said you'd do
differently (step 3) and the gaps named in feedback (step 1). Use them, edit them, or write
your own.</p>
"""

# Open actions past their due date get a red border *and* the word "Overdue",
# so the highlight never relies on colour alone.
_CSS = """<style>
.tappedin-overdue { border-color: #b42318 !important; background: #fff7f6; }
.tappedin-done { color: #52606d; }
.tappedin-summary { font-size: 16px; }
.tappedin-row { align-items: center; gap: 6px; padding: 4px 8px 4px 12px; margin: 4px 0; }
.tappedin-row > .widget-html { flex: 1 1 auto; margin: 0; }
.tappedin-row .widget-button { height: 28px; }
.tappedin-row > .widget-button, .tappedin-row > .widget-hbox { flex: 0 0 auto; }
</style>"""



# --------------------------------------------------------------------------
# Pure computation


#: How the summary names the furthest stage one application reached.
_REACHED = {"interview": "the interview stage", "final round": "the final round",
            "offer": "the offer stage"}


def summary_text(n: dict[str, Any], today: dt.date | None = None) -> str:
    """Put :func:`search_numbers` into a few honest sentences."""
    today = today or models.today()
    apps, interviews = n["applications"], n["interviews"]
    if apps == 0 and n["actions"] == 0 and n["questions"] == 0:
        return ("Nothing logged yet, and that's fine: this page fills up as you go. Start by "
                "logging the application you're working on in Start here; the lessons you "
                "draw from it will turn into actions on this page.")
    parts: list[str] = []

    if apps == 0:
        parts.append("No applications logged yet; add one in Start here when you're ready.")
    elif apps == 1:
        reached = _REACHED.get(n.get("furthest") or "", "the interview stage")
        parts.append("You've applied to 1 role so far"
                     + (f" and reached {reached} — that's a real achievement."
                        if interviews else "."))
    else:
        since = ""
        if n["since"] is not None:
            fmt = "%B" if n["since"].year == today.year else "%B %Y"
            since = f" since {n['since']:{fmt}}"
        if interviews:
            parts.append(f"You've applied to {apps} roles{since} and reached interviews in "
                         f"{interviews} of them — that's a real achievement.")
        else:
            parts.append(f"You've applied to {apps} roles{since}. No interviews yet: that's "
                         "common early in a search, and the number to watch as you adjust.")
    if n["offers"]:
        parts.append(f"{plural(n['offers'], 'application')} turned into "
                     f"{'an offer' if n['offers'] == 1 else 'offers'}.")

    if n["feedback_learned"]:
        learned = (f"{plural(n['feedback_learned'], 'feedback conversation')} taught you "
                   "something concrete")
    elif n["feedback"]:
        learned = (f"you've asked for feedback on {plural(n['feedback'], 'application')}; "
                   "even when little comes back, asking is worth it")
    elif apps:
        learned = "no feedback recorded yet (the rejection call itself is the best moment to ask)"
    else:
        learned = ""
    parts.append(_sentence(learned, _actions_clause(n)))

    if apps:
        if n["open"] == 0:
            parts.append("No applications are open right now: a good moment to send the next "
                         "one.")
        else:
            parts.append(f"{plural(n['open'], 'application')} "
                         f"{'is' if n['open'] == 1 else 'are'} still open.")
    return " ".join(p for p in parts if p)


def _actions_clause(n: dict[str, Any]) -> str:
    total, done, overdue = n["actions"], n["actions_done"], n["actions_overdue"]
    if total == 0:
        return "no actions yet — the suggestions below are a good place to start"
    if total == 1:
        text = "your 1 action is done" if done else "your 1 action is still to do"
    elif done == total:
        text = f"all {total} of your actions are done"
    elif done == 0:
        text = f"none of your {total} actions is done yet"
    else:
        text = f"{done} of your {total} actions {'is' if done == 1 else 'are'} done"
    if overdue:
        text += (" (1 is past its due date)" if overdue == 1
                 else f" ({overdue} are past their due date)")
    return text


def _sentence(*clauses: str) -> str:
    text = "; ".join(c for c in clauses if c)
    return (text[0].upper() + text[1:] + ".") if text else ""


def search_summary(store: Store, today: dt.date | None = None) -> str:
    """A short, honest summary of where the search stands."""
    return summary_text(search_numbers(store, today), today)


@dataclass(frozen=True)
class Suggestion:
    """A lesson worth turning into an action."""

    lesson: str
    theme: str | None = None
    label: str = ""
    count: int = 0
    application_id: int | None = None


def _theme_labels(store: Store) -> dict[str, str]:
    themes = store.themes(include_merged=True)
    return dict(zip(themes["id"], themes["label"], strict=False))


def gap_suggestions(store: Store, application_id: int | None = None, *, top: int = 3
                    ) -> tuple[list[Suggestion], list[Suggestion]]:
    """Gap themes from feedback (:func:`analysis.gap_themes`) as suggestions:
    (recurring: named as a gap for at least two applications, this application's own)."""
    data = analysis.Data.from_frames(tags=store.tags(), themes=store.themes(include_merged=True))
    gaps = analysis.gap_themes(data)
    labels = dict(zip(gaps["theme"], gaps["label"], strict=False))
    counts = dict(zip(gaps["theme"], gaps["applications"], strict=False))
    recurring = [Suggestion(f"{r.label} came up as a gap in feedback on {r.applications} "
                            "applications.", r.theme, r.label, int(r.applications))
                 for r in gaps.itertuples() if r.applications >= 2][:top]
    own: list[Suggestion] = []
    mine = gaps.attrs["by_application"].get(application_id, []) if application_id else []
    if mine:
        company = store.get("applications", application_id)["company"]
        own = [Suggestion(f"{labels[t]} came up as a gap in the feedback from {company}.",
                          t, labels[t], int(counts.get(t, 1)), application_id) for t in mine]
    return recurring, own


def reflection_lesson(store: Store, application_id: int | None) -> str | None:
    """What the reflection says you'd do differently, fitted to the lesson field."""
    if application_id is None:
        return None
    answers = store.reflection(application_id) or {}
    text = " ".join(str(answers.get("do_differently") or "").split())
    if not text:
        return None
    limit = models.ACTION_ITEM.field("lesson").limit
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --------------------------------------------------------------------------
# Sections


class SearchSummary(w.VBox):
    """The few sentences at the top: where the search stands."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.text = w.HTML()
        super().__init__([self.text])
        workbook.on_change(lambda _c: self.render(), self.SHOWS)
        self.render()

    #: The records the summary counts.
    SHOWS = frozenset({"applications", "feedback", "action_items", "interview_questions"})

    def render(self) -> None:
        try:
            summary = search_summary(self.workbook.store)
        except Exception:  # a summary is never worth a traceback
            log.exception("summary failed")
            summary = "The summary couldn't be worked out just now; everything below still works."
        self.text.value = (f"<div class='tappedin-card tappedin-summary'><p>{esc(summary)}"
                           "</p></div>")


class ActionItems(w.VBox):
    """The action form and the list of actions: open first (overdue on top), done after."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        store = workbook.store
        self.status = Status()
        self.fields = {
            "lesson": Field(text_input("Lesson", "What you learned, e.g. my examples lacked "
                                       "numbers", long=True, rows=2)),
            "action": Field(text_input("Action", "One concrete step, e.g. write 3 STAR "
                                       "stories with results")),
            "theme": Field(choice_dropdown("Theme", theme_options(store)), "Optional: lets the "
                           "trends show whether this gap fades once you act on it."),
            "due_on": Field(date_input("Due", self._default_due())),
            "application_id": Field(choice_dropdown("From application", app_options(workbook),
                                              workbook.application_id)),
        }
        self.save_button = button("Add action", style="primary")
        self.cancel_button = button("Cancel editing")
        self.form = Form(models.ACTION_ITEM, self.fields, self.save_button)
        self.save_button.on_click(lambda _b: self.save())
        self.cancel_button.on_click(lambda _b: self.start_new())
        self.buttons = w.HBox([self.save_button])
        self.editing: int | None = None
        self.list = w.VBox()
        self.looks = RowLooks()
        self.keyed = KeyedRows(self.list, lambda record: ActionRow(self, *record),
                               NO_ACTIONS, limit=PAGE, step=LIST_PAGE)
        self.done = DoneRows("Done", lambda record: ActionRow(self, *record))
        self.done_section, self.done_keyed = self.done.section, self.done.keyed
        super().__init__([*self.fields.values(), self.buttons, self.status,
                          heading("Your actions", 4), self.list, self.done.section])
        workbook.on_change(self.render, {"action_items", "applications", "custom_themes"})
        workbook.on_change(self._on_pick, {PICK})
        self.render()

    @property
    def rows(self) -> dict[int, ActionRow]:
        """The rows built: open actions, and done ones once their section was opened."""
        return built_rows(self.keyed, self.done_keyed)

    @staticmethod
    def _default_due() -> dt.date:
        return models.today() + dt.timedelta(days=DUE_IN_DAYS)

    def _defaults(self, **values: Any) -> dict[str, Any]:
        out = {"theme": None, "due_on": self._default_due(),
               "application_id": self.workbook.application_id}
        out.update(values)
        return out

    def _on_pick(self, _change: Any) -> None:
        # An untouched new form follows the picked application; an edit keeps its own.
        if self.editing is None and "application_id" not in self.form.touched:
            self._refresh_options()
            apps = [v for _, v in self.fields["application_id"].widget.options]
            if self.workbook.application_id in apps:
                self.fields["application_id"].value = self.workbook.application_id
                self.form.touched.discard("application_id")

    def _refresh_options(self) -> None:
        store = self.workbook.store
        touched = set(self.form.touched)
        set_options(self.fields["theme"].widget, theme_options(store))
        set_options(self.fields["application_id"].widget, app_options(self.workbook))
        self.form.touched = touched
        self.form.check()

    # -- the form ------------------------------------------------------------

    @guarded()
    def prefill(self, suggestion: Suggestion) -> None:
        """Start a new action from a suggested lesson (the action itself is left to write)."""
        self._refresh_options()
        app_id = suggestion.application_id
        self.editing = None
        self._edit_mode(False)
        themes = [v for _, v in self.fields["theme"].widget.options]
        self.form.clear(**self._defaults(
            lesson=suggestion.lesson, application_id=app_id,
            theme=suggestion.theme if suggestion.theme in themes else None))
        self.status.info("The lesson is in the form: now write the action you'll take, "
                         "and save it.")

    def start_new(self) -> None:
        self.editing = None
        self._edit_mode(False)
        self._refresh_options()
        self.form.clear(**self._defaults())
        self.status.clear()

    @guarded()
    def edit(self, action_id: int) -> None:
        row = self.workbook.store.get("action_items", action_id)
        self._refresh_options()
        self.form.load({**row, "due_on": to_date(row.get("due_on"))})
        self.editing = action_id
        self._edit_mode(True)
        self.status.info("Editing this action: change it above and save.")

    def _edit_mode(self, editing: bool) -> None:
        self.save_button.description = "Save changes" if editing else "Add action"
        self.buttons.children = ([self.save_button, self.cancel_button] if editing
                                 else [self.save_button])

    @guarded()
    def save(self) -> None:
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            self.status.error("Please fix the highlighted fields; nothing was saved yet.")
            return
        store = self.workbook.store
        try:
            if self.editing is None:
                store.add("action_items", **cleaned)
            else:
                cleaned.pop("done_on", None)  # the form doesn't show it: leave it be
                store.update("action_items", self.editing, **cleaned)
        except ValidationError as e:
            self.form.show_errors(e)
            raise
        message = "Action added." if self.editing is None else "Changes saved."
        self.start_new()
        self.status.ok(message)
        self.workbook.changed("action_items")

    # -- the list ------------------------------------------------------------

    @guarded()
    def set_done(self, action_id: int, done: bool) -> None:
        self.workbook.store.update("action_items", action_id,
                                   done_on=models.today() if done else None)
        self.status.ok("Done — nicely kept." if done else "Reopened.")
        self.workbook.changed("action_items")

    @guarded(action="delete")
    def delete(self, action_id: int) -> None:
        self.workbook.store.delete("action_items", action_id)
        if self.editing == action_id:
            self.start_new()
        self.status.ok("Deleted.")
        self.workbook.changed("action_items")

    def render(self, change: str = "") -> None:
        store = self.workbook.store
        if change != "action_items":  # themes or applications: the dropdowns' options
            self._refresh_options()
        frame = store.table("action_items")
        if frame.empty:
            self._show([])
            return
        status = analysis.action_status(frame)
        frame = frame.assign(
            _done=status == "done",
            _overdue=status == "overdue",
            _due=frame["due_on"].fillna(pd.Timestamp.max),
            _done_key=-frame["done_on"].fillna(pd.Timestamp(0)).astype("int64"),
        ).sort_values(["_done", "_overdue", "_due", "_done_key", "id"],
                      ascending=[True, False, True, True, True])
        labels = _theme_labels(store)
        companies = companies_by_id(store)
        records = []
        for row in frame[list(ACTION_SHOWS)].to_dict("records"):
            theme, app = value_or_none(row.get("theme")), value_or_none(row.get("application_id"))
            # What the row shows, and nothing else: a row is rebuilt only when this changes.
            records.append((int(row["id"]), (
                row, labels.get(theme) or models.theme_label(theme) if theme else None,
                companies.get(int(app)) if app is not None else None)))
        self._show(records)

    def _show(self, records: list[tuple[int, Any]]) -> None:
        """Open actions in the list, done ones in their folded section."""
        done = [r for r in records if r[1][0]["_done"]]
        self.keyed.show([r for r in records if not r[1][0]["_done"]],
                        empty=ALL_DONE if done else NO_ACTIONS)
        self.done.show(done)


#: The columns a row shows (and is rebuilt for): the others, such as created_at, would
#: only cost the conversion of every date in a long list.
ACTION_SHOWS = ("id", "action", "lesson", "theme", "due_on", "done_on", "application_id",
                "_done", "_overdue")
QUESTION_SHOWS = ("id", "question", "practised", "practised_on", "application_id")


class ActionRow(w.HBox):
    """One action: what, why, when; Mark done / Reopen, Edit, Delete on the same line."""

    def __init__(self, section: ActionItems, row: dict[str, Any], theme_label: str | None,
                 company: str | None):
        action_id = int(row["id"])
        self.done = bool(row["_done"])
        self.overdue = bool(row["_overdue"])
        details = []
        if theme_label:
            details.append(esc(theme_label))
        if self.done:
            details.append(f"done {fmt_date(row['done_on'])}")
        elif self.overdue:
            details.append(f"<b>Overdue</b>: was due {fmt_date(row['due_on'])}")
        elif value_or_none(row.get("due_on")) is not None and not pd.isna(row["due_on"]):
            details.append(f"due {fmt_date(row['due_on'])}")
        else:
            details.append("no due date")
        if company:
            details.append(f"from {esc(company)}")
        lesson = value_or_none(row.get("lesson"))
        looks = section.looks
        self.text = looks.text_html(
            f"<div><b>{esc(row['action'])}</b>"
            + (f"<br><span class='tappedin-hint'>Lesson: {esc(lesson)}</span>" if lesson else "")
            + f"<br><span class='tappedin-hint'>{' · '.join(details)}</span></div>")
        self.toggle = looks.button("Reopen" if self.done else "Mark done",
                                   "" if self.done else "success")
        self.toggle.on_click(lambda _b: section.set_done(action_id, not self.done))
        self.edit = looks.button("Edit")
        self.edit.on_click(lambda _b: section.edit(action_id))
        self.delete = looks.confirm("Delete", lambda: section.delete(action_id),
                                    "Delete this action?")
        super().__init__([self.text, self.toggle, self.edit, self.delete], layout=looks.row)
        for css in ("tappedin-card", "tappedin-row", "tappedin-overdue" if self.overdue
                    else "", "tappedin-done" if self.done else ""):
            if css:
                self.add_class(css)


class LessonSuggestions(w.VBox):
    """Lessons from the reflection and from feedback gaps, each one click from an action."""

    def __init__(self, workbook: Workbook, on_pick: Callable[[Suggestion], None]):
        self.workbook = workbook
        self.on_pick = on_pick
        self.status = Status()
        self.buttons: list[tuple[Suggestion, w.Button]] = []
        self.looks = RowLooks()
        self.text_layout = shared(w.Layout(width="min(640px, 70%)"))
        self.body = w.VBox()
        super().__init__([self.body, self.status])
        workbook.on_change(lambda _c: self.render(),
                           {PICK, "feedback", "reflections", "custom_themes", "applications"})
        self.render()

    def _item(self, markup: str, suggestion: Suggestion) -> w.Widget:
        b = self.looks.button("Turn into an action")
        b.on_click(lambda _b: self.on_pick(suggestion))
        self.buttons.append((suggestion, b))
        return w.HBox([w.HTML(markup, layout=self.text_layout, style=self.looks.html), b],
                      layout=self.looks.row)

    @guarded()
    def render(self) -> None:
        store = self.workbook.store
        app_id = self.workbook.application_id
        app = self.workbook.application()
        if app is None:
            app_id = None
        self.buttons = []
        items: list[w.Widget] = []
        lesson = reflection_lesson(store, app_id)
        if lesson:
            shown = lesson if len(lesson) <= 400 else lesson[:399] + "…"
            items.append(w.HTML("<p class='tappedin-hint'>From your reflection on this "
                                "application (what you'd do differently):</p>"))
            items.append(self._item(f"<i>{esc(shown)}</i>", Suggestion(lesson, None, "", 0,
                                                                       app_id)))
        recurring, own = gap_suggestions(store, app_id)
        if own:
            items.append(w.HTML("<p class='tappedin-hint'>Gaps named in this "
                                "application's feedback:</p>"))
            items += [self._item(f"<b>{esc(s.label)}</b>", s) for s in own]
        if recurring:
            items.append(w.HTML("<p class='tappedin-hint'>Gaps that keep coming back "
                                "across your applications:</p>"))
            items += [self._item(f"<b>{esc(s.label)}</b> — named in feedback on "
                                 f"{plural(s.count, 'application')}", s) for s in recurring]
        if not items:
            hint = ("Pick an application above to see what its feedback and reflection "
                    "suggest." if app_id is None else
                    "No suggestions yet for this application. Tag the gaps in its feedback "
                    "(step 1) or note what you'd do differently (step 3), or simply write "
                    "your own lesson below.")
            items = [w.HTML(f"<p class='tappedin-empty'>{esc(hint)}</p>")]
        set_children(self.body, items)


class InterviewQuestions(w.VBox):
    """Questions that caught you out: practise them, tick them off, add your own."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status()
        self.fields = {
            "question": Field(text_input("Question", "e.g. Tell me about a time you disagreed "
                                         "with a stakeholder")),
            "application_id": Field(choice_dropdown("Asked at", app_options(workbook),
                                              workbook.application_id)),
        }
        self.save_button = button("Add question", style="primary")
        self.cancel_button = button("Cancel editing")
        self.form = Form(models.INTERVIEW_QUESTION, self.fields, self.save_button)
        self.save_button.on_click(lambda _b: self.save())
        self.cancel_button.on_click(lambda _b: self.start_new())
        self.buttons = w.HBox([self.save_button])
        self.editing: int | None = None
        self.list = w.VBox()
        self.looks = RowLooks()
        self.keyed = KeyedRows(self.list, lambda record: QuestionRow(self, *record),
                               NO_QUESTIONS, limit=PAGE, step=LIST_PAGE)
        self.done = DoneRows("Practised", lambda record: QuestionRow(self, *record))
        self.done_section, self.done_keyed = self.done.section, self.done.keyed
        super().__init__([self.list, self.done.section, *self.fields.values(), self.buttons,
                          self.status])
        workbook.on_change(self.render, {"interview_questions", "applications"})
        self.render()

    @property
    def rows(self) -> dict[int, QuestionRow]:
        """The rows built: questions to practise, and practised ones once opened."""
        return built_rows(self.keyed, self.done_keyed)

    def start_new(self) -> None:
        self.editing = None
        self.save_button.description = "Add question"
        self.buttons.children = [self.save_button]
        self._refresh_options()
        self.form.clear(application_id=self.workbook.application_id)
        self.status.clear()

    def _refresh_options(self) -> None:
        touched = set(self.form.touched)
        set_options(self.fields["application_id"].widget, app_options(self.workbook))
        self.form.touched = touched
        self.form.check()

    @guarded()
    def edit(self, question_id: int) -> None:
        row = self.workbook.store.get("interview_questions", question_id)
        self._refresh_options()
        self.form.load(row)
        self.editing = question_id
        self.save_button.description = "Save question"
        self.buttons.children = [self.save_button, self.cancel_button]
        self.status.info("Editing this question: change it above and save.")

    @guarded()
    def save(self) -> None:
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            self.status.error("Please write the question first; nothing was saved yet.")
            return
        values = {k: cleaned[k] for k in ("question", "application_id")}
        store = self.workbook.store
        try:
            if self.editing is None:
                store.add("interview_questions", **values)
            else:
                store.update("interview_questions", self.editing, **values)
        except ValidationError as e:
            self.form.show_errors(e)
            raise
        message = "Question added." if self.editing is None else "Changes saved."
        self.start_new()
        self.status.ok(message)
        self.workbook.changed("interview_questions")

    @guarded()
    def set_practised(self, question_id: int, practised: bool) -> None:
        self.workbook.store.update("interview_questions", question_id, practised=practised,
                                   practised_on=models.today() if practised else None)
        self.status.ok("Marked as practised." if practised else "Back on the list.")
        self.workbook.changed("interview_questions")

    @guarded(action="delete")
    def delete(self, question_id: int) -> None:
        self.workbook.store.delete("interview_questions", question_id)
        if self.editing == question_id:
            self.start_new()
        self.status.ok("Deleted.")
        self.workbook.changed("interview_questions")

    def render(self, change: str = "") -> None:
        store = self.workbook.store
        if change != "interview_questions":
            self._refresh_options()
        frame = store.table("interview_questions")
        frame = frame.sort_values(["practised", "id"], kind="stable")
        companies = companies_by_id(store) if not frame.empty else {}
        records = [(int(r["id"]), (r, companies.get(int(value_or_none(r["application_id"]))) if
                                   value_or_none(r.get("application_id")) is not None else None))
                   for r in frame[list(QUESTION_SHOWS)].to_dict("records")]
        done = [r for r in records if r[1][0]["practised"]]
        self.keyed.show([r for r in records if not r[1][0]["practised"]],
                        empty=ALL_PRACTISED if done else NO_QUESTIONS)
        self.done.show(done)


class QuestionRow(w.HBox):
    """One interview question with Practised / Not yet, Edit and Delete on the same line."""

    def __init__(self, section: InterviewQuestions, row: dict[str, Any], company: str | None):
        question_id = int(row["id"])
        self.practised = bool(row["practised"])
        details = []
        if company:
            details.append(f"asked at {esc(company)}")
        if self.practised:
            when = fmt_date(row.get("practised_on"))
            details.append(f"practised {when}" if when else "practised")
        else:
            details.append("not practised yet")
        looks = section.looks
        self.text = looks.text_html(
            f"<div>{esc(row['question'])}<br>"
            f"<span class='tappedin-hint'>{' · '.join(details)}</span></div>")
        self.toggle = looks.button("Not yet" if self.practised else "Practised",
                                   "" if self.practised else "success")
        self.toggle.on_click(lambda _b: section.set_practised(question_id, not self.practised))
        self.edit = looks.button("Edit")
        self.edit.on_click(lambda _b: section.edit(question_id))
        self.delete = looks.confirm("Delete", lambda: section.delete(question_id),
                                    "Delete this question?")
        super().__init__([self.text, self.toggle, self.edit, self.delete], layout=looks.row)
        self.add_class("tappedin-card")
        self.add_class("tappedin-row")
        if self.practised:
            self.add_class("tappedin-done")


class OpenApplications(w.VBox):
    """A small table of the applications still waiting for an outcome."""

    COLUMNS = {"company": "Company", "role": "Role", "stage": "Stage", "applied_on": "Applied on"}

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.table = w.HTML()
        super().__init__([self.table])
        workbook.on_change(lambda _c: self.render(), {"applications"})
        self.render()

    def render(self) -> None:
        frame = self.workbook.store.table("applications", outcome="open")
        frame = frame.sort_values(["applied_on", "id"], ascending=False, na_position="last")
        self.table.value = table_html(
            frame, self.COLUMNS,
            empty="No open applications right now. When you send the next one, log it in "
                  "Start here with the outcome 'open'.")


CALENDAR_HELP = """
<p>Put your reconnect dates and your actions' due dates in your own calendar: make the file,
download it, then open it with your calendar (Google Calendar: Settings, Import; Outlook or
Apple Calendar: open the file). Each is an all-day reminder; importing a newer file later
updates them rather than adding them twice. Done items are left out.</p>
"""


class CalendarReminders(w.VBox):
    """Reconnects and action due dates as an .ics file, made when asked for."""

    #: What the file is made of: a change to these makes a link already offered stale.
    SHOWS = frozenset({"action_items", "follow_ups", "applications", "contacts"})

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.status = Status()
        self.make_button = button("Make the calendar file (.ics)")
        self.make_button.on_click(lambda _b: self.make())
        self.link = w.HTML("")
        super().__init__([guidance(CALENDAR_HELP), w.HBox([self.make_button]), self.link,
                          self.status])
        workbook.on_change(lambda _c: self._changed(), self.SHOWS)

    @guarded(action="show")
    def make(self) -> None:
        data, count = reminders.calendar_bytes(self.workbook.store)
        if count == 0:
            self.link.value = ""
            self.status.info("Nothing to put in a calendar yet: give an action a due date, or "
                             "plan a reconnect when you mark a thank-you note sent.")
            return
        self.link.value = download_link(
            data, reminders.FILENAME, mime="text/calendar",
            label=f"Download {reminders.FILENAME} ({reminders.count_phrase(count)})")
        self.status.ok(f"Your calendar file is ready: {reminders.count_phrase(count)}.")

    def _changed(self) -> None:
        if self.link.value:  # the link offered no longer matches what is saved
            self.link.value = ""
            self.status.info("Your actions or reconnects changed: make the file again to "
                             "include the change.")


class ContinueSearchView(w.VBox):
    """Step 5: where the search stands, lessons into actions, questions to practise."""

    def __init__(self, workbook: Workbook | None = None):
        self.workbook = workbook or Workbook()
        self.picker = ApplicationPicker(self.workbook)
        self.summary = SearchSummary(self.workbook)
        self.actions = ActionItems(self.workbook)
        self.suggestions = LessonSuggestions(self.workbook, self.actions.prefill)
        self.questions = InterviewQuestions(self.workbook)
        self.open_applications = OpenApplications(self.workbook)
        self.calendar = CalendarReminders(self.workbook)
        body = step_layout(
            w.HTML(_CSS), guidance(INTRO), self.picker, self.summary,
            heading("Lessons worth acting on"), self.suggestions,
            heading("Turn a lesson into an action"), self.actions,
            heading("Interview questions to practise"), self.questions,
            heading("Still open"), self.open_applications,
            heading("Reminders in your calendar"), self.calendar,
        )
        super().__init__([body])


def continue_search_view(workbook: Workbook | None = None) -> ContinueSearchView:
    return ContinueSearchView(workbook)
