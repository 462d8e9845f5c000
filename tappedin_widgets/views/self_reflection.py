"""Step 3, "Self-reflection": five questions, saved as you type.

The answers save themselves after a short pause in typing (a debounce timer
on the kernel's event loop) and whenever you switch application or click a
button in this step. Each question you felt unprepared for can go onto your
interview-practice list with one click.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .. import models
from ..models import TappedInError, ValidationError
from .common import (
    PICK,
    ApplicationPicker,
    Field,
    Status,
    TextBox,
    Workbook,
    button,
    esc,
    guarded,
    guidance,
    heading,
    set_children,
    step_layout,
)

log = logging.getLogger("tappedin.views")

#: Seconds without a keystroke before the answers are saved.
DEBOUNCE_S = 1.5
#: At most this many practice-question candidates are offered at once.
MAX_CANDIDATES = 25

INTRO = """
<p><b>Step 3 — Self-reflection.</b> Find a quiet ten minutes. Think back over the whole
process, from the first message to the last call, then answer the five questions below.
Writing it down helps you learn from it, and it helps the sting fade.</p>
<p>There are no wrong answers and nobody else reads them. A few honest lines are plenty.
Your answers <b>save themselves</b> as you type.</p>
"""

# The question sits above its box, so its label reads left to right like a heading.
STYLE = """
<style>
.tappedin-question > .widget-label { text-align: left; width: auto; max-width: 100%;
  white-space: normal; font-weight: 600; margin-bottom: 2px; }
</style>
"""

#: One gentle nudge per question, in our own words.
PROMPTS: dict[str, str] = {
    "did_well": "Start with what went right: your preparation, an answer you were proud of, "
                "a moment you handled well.",
    "underprepared": "One question per line. Each one can go straight onto your practice "
                     "list below.",
    "learned_process": "How they hire, what each stage was for, what they seemed to value.",
    "learned_self": "What gave you energy, what threw you, how the people you met came across.",
    "do_differently": "Look back at the feedback from step 1: one or two concrete changes "
                      "are enough.",
}

_BULLET = re.compile(r"^\s*(?:[-*•‣◦–—>]+|\(?\d{1,2}[.)]|[a-zA-Z][.)](?=\s))\s*")
# A passage in quotes; single quotes only count away from letters, so "didn't" is no quote.
# Capped at 300 characters so a stray quote can't make the scan slow.
_QUOTED = re.compile(r"“(.{1,300}?)”|\"(.{1,300}?)\"|(?<!\w)‘(.{1,300}?)’(?!\w)"
                     r"|(?<!\w)'(.{1,300}?)'(?!\w)")
_SENTENCE_BREAK = re.compile(r"([.!?][\"”’')]*)\s+(?=[\"“'‘(]?[A-Z0-9])")
_QUOTES = "\"“”'‘’"


def _pieces(line: str) -> list[str]:
    """The questions in one line: quoted passages, else "?" sentences, else the line."""
    quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(line)]
    # a short quote is a question only if it asks one: "Why us?" yes, 'we' no
    quoted = [q for q in quoted if q.rstrip().endswith("?") or len(q.split()) >= 3]
    if quoted:
        return quoted
    sentences = _SENTENCE_BREAK.sub("\\1\n", line).split("\n")
    asked = [s for s in sentences if s.strip().rstrip(_QUOTES + ")").endswith("?")]
    return asked or [line]


def split_questions(text: str | None) -> list[str]:
    """The separate questions in an answer, one per line or bullet.

    Within a line, quoted passages are taken as the questions asked
    ('"Why us?" I froze.' gives "Why us?"); without quotes, each sentence
    ending in "?"; otherwise the whole line (e.g. "Tell me about a conflict").
    Duplicates (ignoring case and spacing) are dropped.
    """
    out: list[str] = []
    seen: set[str] = set()
    # past the longest answer that can be saved there is nothing worth scanning
    for line in (text or "")[:models.LONG_MAX].splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        for piece in _pieces(line):
            piece = " ".join(piece.split()).strip(_QUOTES + " ")
            key = piece.lower()
            if len(piece) < 3 or key in seen:
                continue
            seen.add(key)
            out.append(piece)
    return out


def _question_key(text: Any) -> str:
    """How the store compares questions: spacing collapsed, case ignored."""
    return " ".join(str(text).split()).lower()


class Debouncer:
    """Run ``action`` once, ``delay`` seconds after the last :meth:`poke`.

    Uses the running asyncio loop (ipykernel and Voilà run callbacks on one),
    so the action runs on the kernel's main thread; without a running loop
    it falls back to a daemon ``threading.Timer``.
    """

    def __init__(self, delay: float, action: Callable[[], Any]):
        self.delay = delay
        self.action = action
        self._handle: asyncio.TimerHandle | threading.Timer | None = None

    def poke(self) -> None:
        self.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            timer = threading.Timer(self.delay, self._fire)
            timer.daemon = True  # never keeps a script (or pytest) from exiting
            self._handle = timer
            timer.start()
        else:
            self._handle = loop.call_later(self.delay, self._fire)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def _fire(self) -> None:
        self._handle = None
        try:
            self.action()
        except Exception:  # a timer has nobody to report to: log it
            log.exception("autosave failed")


class ReflectionAnswers(w.VBox):
    """The five questions, autosaved for the application on show."""

    def __init__(self, workbook: Workbook, *, debounce: float = DEBOUNCE_S,
                 on_flushed: Callable[[], None] | None = None):
        self.workbook = workbook
        self.status = Status()
        self.hint = w.HTML("")
        self.on_flushed = on_flushed or (lambda: None)
        self.fields: dict[str, Field] = {}
        for n, (name, question) in enumerate(models.REFLECTION_QUESTIONS, start=1):
            # label above the box: the questions are too long to sit beside it
            box = TextBox(description=f"{n}. {question}", rows=5, stacked=True,
                          label_width="auto", layout=w.Layout(width="auto"))
            box.add_class("tappedin-question")
            field = Field(box, PROMPTS[name])
            box.observe(self._on_type, names="value")
            self.fields[name] = field
        self.shown: int | None = None        # the application whose answers are in the boxes
        self.dirty = False                   # typed since the last successful save
        self._loading = False
        self._drafts: dict[int, dict[str, str]] = {}  # unsaved text of other applications
        self._lock = threading.RLock()       # the fallback timer runs on another thread
        self.timer = Debouncer(debounce, self.flush)
        super().__init__([self.hint, *self.fields.values(), self.status])

    # -- reading the boxes ----------------------------------------------------

    def answers(self) -> dict[str, str]:
        return {name: f.value for name, f in self.fields.items()}

    @guarded()
    def _on_type(self, _change: Any) -> None:
        if self._loading or self.shown is None:
            return
        self.dirty = True
        self.timer.poke()

    # -- saving -----------------------------------------------------------------

    def flush(self) -> bool:
        """Save pending changes now; True when nothing is left unsaved."""
        with self._lock:
            self.timer.cancel()
            if not self.dirty or self.shown is None:
                return True
            saved = self._save(self.shown, self.answers())
        self.on_flushed()
        return saved

    def _save(self, app_id: int, answers: dict[str, str]) -> bool:
        store = self.workbook.store
        try:
            if not any(v.strip() for v in answers.values()) and store.reflection(app_id) is None:
                self.dirty = False  # nothing written yet: no need for an empty record
                return True
            store.save_reflection(app_id, **answers)
        except ValidationError as e:
            self._not_saved(self._reasons(e))
            return False
        except TappedInError as e:
            self._not_saved(str(e))
            return False
        except Exception:
            log.exception("saving the self-reflection of application %s failed", app_id)
            self._not_saved("something went wrong on our side")
            return False
        # a keystroke that raced a timer thread stays pending
        self.dirty = self.answers() != answers
        if self.dirty:
            self.timer.poke()
        for f in self.fields.values():
            f.set_error(None)
        self.status.ok(f"Saved at {dt.datetime.now():%H:%M}")
        self.workbook.changed("reflections", app_id)
        return True

    def _reasons(self, e: ValidationError) -> str:
        parts = []
        numbers = {name: n for n, (name, _q) in enumerate(models.REFLECTION_QUESTIONS, 1)}
        for name, message in e.errors.items():
            if name in self.fields:
                # "<the whole question> is too long" reads oddly: name it by number
                message = message.replace(models.REFLECTION.field(name).label,
                                          f"Answer {numbers[name]}")
                self.fields[name].set_error(message)
            parts.append(message)
        return " ".join(parts) or e.message

    def _not_saved(self, reason: str) -> None:
        self.status.error(f"Not saved: {reason.rstrip('.')}. What you wrote is still here and "
                          "will be saved again as you type.")

    # -- switching application ----------------------------------------------------

    def show(self, app_id: int | None) -> None:
        """Fill the boxes with one application's answers, saving the previous ones first."""
        with self._lock:
            previous = self.shown
            if previous is not None and previous != app_id and self.dirty:
                if not self.flush() and self._exists(previous):
                    # kept in memory so the text comes back when the user returns
                    self._drafts[previous] = self.answers()
            self.timer.cancel()
            self.shown = app_id
            draft = self._drafts.pop(app_id, None) if app_id is not None else None
            row = self.workbook.store.reflection(app_id) if app_id is not None else None
            values = draft or {name: (row or {}).get(name) or "" for name in self.fields}
            self._loading = True
            try:
                for name, f in self.fields.items():
                    f.value = values.get(name) or ""
                    f.set_error(None)
                    f.widget.disabled = app_id is None
            finally:
                self._loading = False
            self.dirty = draft is not None
        if app_id is None:
            self.hint.value = ("<p class='tappedin-empty'>Pick an application at the top to "
                               "reflect on it (or log one in <b>Start here</b>).</p>")
            self.status.clear()
        elif draft is not None:
            self.hint.value = ""
            self.status.error("Not saved: what you wrote here earlier couldn't be saved. "
                              "It is back in the boxes and will be saved again as you type.")
        else:
            self.hint.value = ""
            self._describe_saved(row)

    def reload(self) -> None:
        """Re-read the answers from the store, unless the user has unsaved text."""
        if not self.dirty and self.shown is not None:
            self.show(self.shown)

    def _describe_saved(self, row: dict[str, Any] | None) -> None:
        if row is None:
            self.status.info("Nothing written yet. Your answers save themselves as you type.")
            return
        when = row.get("updated_at")
        if isinstance(when, dt.datetime):
            if when.date() == dt.date.today():
                self.status.ok(f"Saved at {when:%H:%M}")
            else:
                self.status.ok(f"Saved on {when:%d %b %Y} at {when:%H:%M}")
        else:
            self.status.ok("Saved")

    def _exists(self, app_id: int) -> bool:
        try:
            self.workbook.store.get("applications", app_id)
            return True
        except TappedInError:
            return False


class PracticeQuestions(w.VBox):
    """Turn each question you felt unprepared for into an interview-practice item."""

    def __init__(self, workbook: Workbook, answers: ReflectionAnswers):
        self.workbook = workbook
        self.answers = answers
        self.status = Status().follows(workbook, {PICK, "interview_questions"})
        self.list = w.VBox()
        self.buttons: dict[str, w.Button] = {}
        self._key: Any = None
        super().__init__([
            heading("Add them to your practice list"),
            w.HTML("<p class='tappedin-hint'>Each question from answer 2 can go onto your "
                   "interview-practice list, so you can rehearse it before the next "
                   "interview.</p>"),
            self.list, self.status,
        ])
        self.render()

    def candidates(self) -> list[str]:
        return split_questions(self.answers.fields["underprepared"].value)

    def on_list(self) -> set[str]:
        questions = self.workbook.store.table("interview_questions")["question"]
        return {_question_key(q) for q in questions.dropna()}

    def render(self) -> None:
        """Show the candidates; rebuilt only when they (or the list) changed."""
        app_id = self.answers.shown
        found = self.candidates() if app_id is not None else []
        known = self.on_list() if found else set()
        key = (app_id, tuple(found), tuple(sorted(known & {_question_key(q) for q in found})))
        if key == self._key:
            return
        self._key = key
        self.buttons = {}
        if app_id is None:
            set_children(self.list, [])
            return
        if not found:
            set_children(self.list, [w.HTML("<p class='tappedin-empty'>Questions you list in "
                                            "answer 2 will appear here.</p>")])
            return
        rows: list[w.Widget] = []
        for question in found[:MAX_CANDIDATES]:
            already = _question_key(question) in known
            add = button("Already on your list" if already else "Add to my practice list",
                         style="" if already else "info")
            add.disabled = already
            add.on_click(lambda _b, q=question: self.add(q))
            self.buttons[question] = add
            mark = " <span class='tappedin-ok'>(on your practice list)</span>" if already else ""
            rows.append(w.HBox([add, w.HTML(f"<span>{esc(question)}</span>{mark}")]))
        if len(found) > MAX_CANDIDATES:
            rows.append(w.HTML(f"<p class='tappedin-hint'>Showing the first {MAX_CANDIDATES} "
                               f"of {len(found)} lines.</p>"))
        set_children(self.list, rows)

    @guarded()
    def add(self, question: str) -> None:
        """Put one question on the practice list, linked to this application."""
        self.answers.flush()  # a click moves focus away: nothing typed is left behind
        app_id = self.answers.shown
        if app_id is None:
            self.status.error("Pick an application first.")
            return
        self.workbook.store.add("interview_questions", application_id=app_id,
                                question=question)
        self.status.ok(f"Added “{question}” to your practice list.")
        self.workbook.changed("interview_questions", app_id)
        self.render()


class SelfReflectionView(w.VBox):
    """Step 3: five questions about the experience, saved as you type."""

    def __init__(self, workbook: Workbook | None = None, *, debounce: float = DEBOUNCE_S):
        self.workbook = workbook or Workbook()
        self.picker = ApplicationPicker(self.workbook)
        self.answers = ReflectionAnswers(self.workbook, debounce=debounce,
                                         on_flushed=lambda: self.practice.render())
        self.practice = PracticeQuestions(self.workbook, self.answers)
        body = step_layout(w.HTML(STYLE), guidance(INTRO), self.picker, heading("Five questions"),
                           self.answers, self.practice)
        super().__init__([body])
        self.answers.show(self.workbook.application_id)
        self.practice.render()
        self.workbook.on_change(self._on_pick, {PICK})
        self.workbook.on_change(self._on_revision, {"reflections", "interview_questions",
                                                    "applications"})

    def flush(self) -> bool:
        """Save any typed-but-unsaved answers now; True when all is saved."""
        return self.answers.flush()

    @property
    def status(self) -> Status:
        return self.answers.status

    @guarded()
    def _on_pick(self, _change: Any) -> None:
        # The workbook's pick, not the change's: a tab shown after several picks hears
        # only one merged change.
        self.answers.show(self.workbook.application_id)
        self.practice.status.clear()
        self.practice.render()

    @guarded()
    def _on_revision(self, change: str) -> None:
        if change != "reflections":
            self.answers.reload()
        self.practice.render()


def self_reflection_view(workbook: Workbook | None = None, *,
                         debounce: float = DEBOUNCE_S) -> SelfReflectionView:
    return SelfReflectionView(workbook, debounce=debounce)


__all__ = ["SelfReflectionView", "self_reflection_view", "split_questions", "Debouncer",
           "DEBOUNCE_S"]
