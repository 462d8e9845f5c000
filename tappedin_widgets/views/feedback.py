"""Step 1, "Feedback": ask on the call, then write down what they observed.

Sections:

- a short script to read from while you're still on the rejection call;
- :class:`FeedbackEditor`: one feedback entry (dates, who, channel, their
  words, or that they declined) with its theme tags (:class:`ThemeTagger`);
- :class:`FeedbackList`: the entries already recorded for the application,
  each editable and deletable.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import models
from ..models import NotFound, plural
from .common import (
    LIST_PAGE,
    PICK,
    ApplicationPicker,
    ConfirmButton,
    Field,
    Form,
    KeyedRows,
    Status,
    Workbook,
    button,
    checkbox,
    choice_input,
    date_input,
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
from .themes import themes_panel

log = logging.getLogger("tappedin.views.feedback")

INTRO = """
<p><b>Step 1 — Feedback.</b> Hearing “no” after you felt sure is hard. The people who
interviewed you saw things you couldn't, and a few honest observations are worth a lot.
The best moment to ask is on the call itself, while they're still on the line.</p>
"""

SCRIPT = """
<div class='tappedin-script'>
<p><b>On the call, before you say goodbye</b></p>
<ol>
<li><b>Thank them first.</b> “Thank you for calling to let me know — I appreciate hearing
it from you directly.”</li>
<li><b>Ask, looking forward.</b> “I'm always working on getting better as a candidate.
Would you be willing to share anything you noticed — what came across well, and where I
could be stronger?”</li>
<li><b>Listen and take notes.</b> Let them talk. Don't debate, and don't ask them to explain
or reconsider the decision: you're here to learn, not to reopen it.</li>
<li><b>Thank them again.</b> “That's really useful, thank you for taking the time. Feedback
like this is a gift.”</li>
</ol>
<p>If they can't share anything: “I completely understand — thank you anyway. I'd be glad
to stay in touch.” That's a real answer too; record it below.</p>
</div>
"""

NO_APPLICATION = ("<p class='tappedin-hint'>Pick an application above first (or log the one "
                  "you just heard back from in <b>Start here</b>); then you can record its "
                  "feedback here.</p>")

COMPETITION_NOTE = ("<p class='tappedin-hint'><b>Competition is not about you.</b> An internal "
                    "candidate, someone who matched more closely, a role filled or put on hold: "
                    "it is recorded as a “-” because it stopped this application, but it says "
                    "nothing about what you could do better.</p>")

DECLINED_NOTE = ("<p class='tappedin-hint'>That's a real outcome, and worth recording. Their "
                 "observations can stay empty; if they did say anything at all, you can still "
                 "note it.</p>")

# Small additions to common.CSS for the tag chips (our own markup, never user text).
TAG_CSS = """
<style>
.tappedin-tag { display: inline-block; border-radius: 10px; padding: 0 8px; margin: 2px 4px 2px 0;
  font-size: 13px; border: 1px solid #d9e2ec; background: #f0f4f8; }
.tappedin-tag-plus { background: #e3f4ec; border-color: #a6d9bf; }
.tappedin-tag-minus { background: #fdf0e6; border-color: #f3c9a5; }
.tappedin-tag-outside { background: #eef0f3; border-color: #c8ced6; font-style: italic; }
.tappedin-excerpt { margin: 4px 0; white-space: pre-wrap; }
</style>
"""

SOMEONE_ELSE = 0      # the "someone else / not listed" option (a Dropdown can't show None)
NO_CHANNEL = ""       # "not noted"; models.validate turns "" into None
EXCERPT_CHARS = 220

Tag = tuple[str, str]  # (theme id, polarity)


_broken_themes_logged = False


def _themes_module() -> Any | None:
    """tappedin_widgets.themes, or None if it is missing or fails to import.

    Suggestions are a nicety: without them feedback can still be recorded
    and tagged by hand, so no import problem may break this step.
    """
    global _broken_themes_logged
    try:
        themes = importlib.import_module("tappedin_widgets.themes")
    except ImportError:
        return None
    except Exception:
        if not _broken_themes_logged:
            log.exception("tappedin_widgets.themes failed to import; no theme suggestions")
            _broken_themes_logged = True
        return None
    return themes


def _suggester() -> Callable[..., list[Any]] | None:
    """themes.suggest_themes if it is available; None otherwise (no suggestions)."""
    module = _themes_module()
    return getattr(module, "suggest_themes", None) if module is not None else None


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def polarity_word(theme: str, polarity: str) -> str:
    if theme == models.COMPETITION:
        return "not about you"
    return models.POLARITY_LABELS.get(polarity, polarity)


def tag_chip(label: str, theme: str, polarity: str) -> str:
    """One tag as an escaped HTML chip."""
    kind = ("outside" if theme == models.COMPETITION
            else "plus" if polarity == "+" else "minus")
    sign = "+" if polarity == "+" else "−"
    return (f"<span class='tappedin-tag tappedin-tag-{kind}'>{sign} {esc(label)} "
            f"({esc(polarity_word(theme, polarity))})</span>")


class ThemeCatalog:
    """The store's feedback themes: labels, and where merged themes went."""

    def __init__(self, store: Any, revision: Callable[[], int] | None = None):
        self.store = store
        # What the user taught the suggester is read from all their tagged feedback:
        # once per change to the store (``revision``), not at every keystroke.
        self._revision = revision
        self._custom: tuple[Any, tuple[Any, ...]] | None = None
        self.refresh()

    def refresh(self) -> None:
        frame = self.store.themes(include_merged=True)
        self.frame = frame
        self.labels: dict[str, str] = dict(zip(frame["id"], frame["label"], strict=False))
        merged = frame[frame["merged_into"].notna()]
        self.merged: dict[str, str] = dict(zip(merged["id"], merged["merged_into"], strict=False))
        active = frame[frame["merged_into"].isna()]
        self.active: list[tuple[str, str]] = list(zip(active["label"], active["id"], strict=False))

    def resolve(self, theme: str) -> str | None:
        """The theme a tag should land on today (following merges); None if unknown."""
        seen = set()
        while theme in self.merged and theme not in seen:
            seen.add(theme)
            theme = self.merged[theme]
        return theme if any(theme == i for _, i in self.active) else None

    def label(self, theme: str) -> str:
        return self.labels.get(theme) or models.theme_label(theme)

    def custom(self) -> tuple[Any, ...]:
        """The user's own themes with key phrases, as themes.CustomTheme for the suggester."""
        key = (id(self.frame), self._revision() if self._revision is not None else object())
        if self._custom is None or self._custom[0] != key:
            convert = getattr(_themes_module(), "custom_from_frame", None)
            self._custom = (key, convert(self.frame, self.store) if convert is not None else ())
        return self._custom[1]


class ThemeTagger(w.VBox):
    """Theme tags for one feedback entry: suggestions to accept, plus any tag by hand.

    ``tags`` maps ``(theme, polarity)`` to its source ("suggested" or "user"),
    in the order they were added.
    """

    def __init__(self, catalog: ThemeCatalog, status: Status):
        self.catalog = catalog
        self.status = status
        self.tags: dict[Tag, str] = {}
        self.suggested: list[Tag] = []
        self.evidence: dict[Tag, str] = {}
        self.toggles: dict[Tag, w.ToggleButton] = {}
        self.removers: dict[Tag, w.Button] = {}
        self._last_text: str | None = None
        self._syncing = False

        self.suggestion_hint = w.HTML("")
        self.suggestion_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.chosen_box = w.VBox()
        self.theme_pick = w.Dropdown(description="Add a theme", options=[],
                                     style={"description_width": "180px"},
                                     layout=w.Layout(width="min(420px, 100%)"))
        self.polarity_pick = w.ToggleButtons(
            description="Strength or gap",
            options=[("Strength (+)", "+"), ("Gap (−)", "-")], value="-",
            style={"description_width": "180px", "button_width": "auto"})
        self.add_button = button("Add tag")
        self.competition_note = w.HTML("")
        # Rows keyed by tag: a keystroke that leaves the suggestions as they were
        # re-creates no widget, and a changed suggestion replaces only its own button.
        self._toggle_rows = KeyedRows(self.suggestion_box, self._make_toggle)
        self.chosen_heading = w.HTML("<p class='tappedin-hint'>Tags on this feedback:</p>")
        self.chosen_list = w.VBox()
        self._chosen_rows = KeyedRows(self.chosen_list, self._make_chosen,
                                      "<p class='tappedin-empty'>No tags yet.</p>")
        self.refresh_themes()

        self.theme_pick.observe(self._on_theme_pick, names="value")
        self.add_button.on_click(lambda _b: self.add_by_hand())
        super().__init__([
            heading("Themes", 4),
            w.HTML("<p class='tappedin-hint'>Tag what the feedback was about, as a strength "
                   "(+) or a gap (−). Across applications these tags show which themes keep "
                   "coming back. You can change them at any time.</p>"),
            self.suggestion_hint, self.suggestion_box, self.chosen_box,
            w.HBox([self.theme_pick, self.polarity_pick, self.add_button],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.competition_note,
        ])
        self.render()

    # -- the theme list ------------------------------------------------------

    def refresh_themes(self) -> None:
        """Reload the taxonomy (custom themes may have been added or merged elsewhere)."""
        self.catalog.refresh()
        current = self.theme_pick.value
        options = [("Choose a theme…", "")] + self.catalog.active
        self.theme_pick.options = options
        self.theme_pick.value = current if current in [v for _, v in options] else ""

    def _on_theme_pick(self, change: Any) -> None:
        if change.new == models.COMPETITION:
            self.polarity_pick.value = "-"
            self.polarity_pick.disabled = True
            self.competition_note.value = COMPETITION_NOTE
        else:
            self.polarity_pick.disabled = False
            self.competition_note.value = ""

    # -- suggestions ---------------------------------------------------------

    def suggest(self, text: str, *, force: bool = False) -> None:
        """Suggest tags for the observations; only re-run when the text changed."""
        if text == self._last_text and not force:
            return
        self._last_text = text
        found: list[Tag] = []
        evidence: dict[Tag, str] = {}
        for theme, polarity, words in self._run_suggester(text):
            theme = self.catalog.resolve(theme) or ""
            if not theme:
                continue
            if theme == models.COMPETITION:
                polarity = "-"
            if polarity in models.POLARITIES and (theme, polarity) not in found:
                found.append((theme, polarity))
                evidence[(theme, polarity)] = words
        self.suggested = found
        self.evidence = evidence
        self.render()

    def _run_suggester(self, text: str) -> list[tuple[str, str, str]]:
        """``(theme, polarity, evidence)`` for the text; [] if there's no suggester."""
        suggest = _suggester()
        if suggest is None or not text.strip():
            return []
        try:
            custom = self.catalog.custom() or None
            try:
                result = suggest(text, custom=custom)
            except TypeError:
                # An older suggester without custom themes: built-in ones still help.
                result = suggest(text)
            return [(str(t.theme), str(t.polarity), str(getattr(t, "evidence", "") or ""))
                    for t in result or []]
        except Exception:  # suggestions are a nicety: never block recording feedback
            log.exception("theme suggestion failed")
            return []

    # -- the tags ------------------------------------------------------------

    def toggle(self, tag: Tag, on: bool) -> None:
        """Accept (on) or remove (off) a suggested tag."""
        if on:
            self.tags.setdefault(tag, "suggested")
        else:
            self.tags.pop(tag, None)
        self.render()

    @guarded()
    def add_by_hand(self) -> None:
        theme = self.theme_pick.value
        if not theme:
            self.status.error("Choose a theme first, then Add tag.")
            return
        polarity = "-" if theme == models.COMPETITION else self.polarity_pick.value
        tag = (theme, polarity)
        if tag in self.tags:
            self.status.info(f"{self.catalog.label(theme)} is already tagged.")
            return
        self.tags[tag] = "user"
        self.theme_pick.value = ""
        self.status.clear()
        self.render()

    def remove(self, tag: Tag) -> None:
        self.tags.pop(tag, None)
        self.render()

    def load(self, rows: Iterable[Mapping[str, Any]], text: str) -> None:
        """Show the stored tags of an entry, and fresh suggestions for its text."""
        self.tags = {(str(r["theme"]), str(r["polarity"])): str(r["source"] or "user")
                     for r in rows}
        self.suggest(text, force=True)

    def clear(self) -> None:
        self.tags = {}
        self.theme_pick.value = ""
        self.suggest("", force=True)

    def value(self) -> list[tuple[str, str, str]]:
        """The tags to save: ``(theme, polarity, source)``."""
        return [(theme, polarity, source) for (theme, polarity), source in self.tags.items()]

    # -- drawing -------------------------------------------------------------

    def render(self) -> None:
        """Redraw the suggestion toggles and the list of chosen tags."""
        self._syncing = True
        try:
            self._toggle_rows.show((tag, (tag, self.catalog.label(tag[0]), tip))
                                   for tag, tip in zip(self.suggested, self._tips(), strict=False))
            self.toggles = dict(zip(self._toggle_rows.rows, self._toggle_rows.widgets(),
                                    strict=False))
            for tag, toggle in self.toggles.items():
                toggle.value = tag in self.tags
            self._show_hint()
            self._build_chosen()
        finally:
            self._syncing = False

    def _make_toggle(self, record: tuple[Tag, str, str]) -> w.ToggleButton:
        tag, label, tip = record
        theme, polarity = tag
        toggle = w.ToggleButton(
            description=f"{'+' if polarity == '+' else '−'} {label}"
                        f" ({polarity_word(theme, polarity)})",
            tooltip=tip, layout=w.Layout(width="auto"))
        toggle.observe(lambda change, t=tag: self._on_toggle(t, change), names="value")
        return toggle

    def _tips(self) -> list[str]:
        """Why each suggestion was made (the words it matched), for the tooltips."""
        tips = []
        for tag in self.suggested:
            words = self.evidence.get(tag)
            because = f"Because of “{words}”. " if words else ""
            tips.append(because + "Click to accept; click again to remove.")
        return tips

    def _show_hint(self) -> None:
        if self.suggested:
            self.suggestion_hint.value = ("<p class='tappedin-hint'>Suggested from their "
                                          "words — click the ones that fit:</p>")
        elif self._last_text and self._last_text.strip() and _suggester() is not None:
            self.suggestion_hint.value = ("<p class='tappedin-hint'>No suggestions for this "
                                          "text; add themes by hand below.</p>")
        else:
            self.suggestion_hint.value = ""

    def _build_chosen(self) -> None:
        self._chosen_rows.show((tag, (tag, self.catalog.label(tag[0]), source))
                               for tag, source in self.tags.items())
        self.removers = {tag: row.children[1] for tag, row in
                         zip(self._chosen_rows.rows, self._chosen_rows.widgets(), strict=False)}
        shown = [self.chosen_heading, self.chosen_list] if self.tags else [self.chosen_list]
        if list(self.chosen_box.children) != shown:
            self.chosen_box.children = shown

    def _make_chosen(self, record: tuple[Tag, str, str]) -> w.Widget:
        tag, label, source = record
        remove = button("Remove", tooltip="Remove this tag")
        remove.on_click(lambda _b, t=tag: self.remove(t))
        how = "accepted suggestion" if source == "suggested" else "added by you"
        return w.HBox([w.HTML(tag_chip(label, *tag) + f" <span class='tappedin-hint'>{how}</span>"),
                       remove])

    def _on_toggle(self, tag: Tag, change: Any) -> None:
        if self._syncing:
            return
        guard(self.status)(self.toggle)(tag, bool(change.new))


class FeedbackEditor(w.VBox):
    """Record one feedback entry for the picked application, or edit one."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        # Its messages are about the entry in the form: another entry's save or delete, or
        # a change to the people or themes it names, ends them.
        self.status = Status().follows(workbook, {PICK, "feedback", "contacts", "custom_themes"},
                                       picked_only=True)
        self.catalog = ThemeCatalog(workbook.store, revision=lambda: workbook.revision)
        self.editing: int | None = None

        self.asked = checkbox("I asked for feedback", True)
        self.fields = {
            "requested_on": Field(date_input("Asked on"), "Best on the rejection call itself."),
            "received_on": Field(date_input("Received on"),
                                 "The same day if they answered on the call; "
                                 "leave empty while you wait."),
            "channel": Field(choice_input("Channel", models.CHANNELS, blank="Not noted")),
            "declined": Field(checkbox("They declined to give feedback")),
            "observations": Field(text_input(
                "Their observations",
                "What they noticed, in their words as far as you can: what came across well, "
                "and where you could be stronger.", long=True, rows=7)),
        }
        # choice_input's blank is None, which a Dropdown shows as empty: use "" instead.
        channel = self.fields["channel"].widget
        channel.options = [("Not noted", NO_CHANNEL), *[(c, c) for c in models.CHANNELS]]
        channel.value = NO_CHANNEL
        channel.layout = w.Layout(width="min(340px, 100%)")
        self.contact = w.Dropdown(description="Who gave it", options=[],
                                  style={"description_width": "180px"},
                                  layout=w.Layout(width="min(460px, 100%)"))
        self.contact_field = Field(self.contact, "The people listed for this application "
                                                 "(add them in Start here).")
        self.declined_note = w.HTML("")
        self.no_app = w.HTML("")
        self.mode = w.HTML("")
        self.save_button = button("Save feedback", style="primary")
        self.new_button = button("Record another instead")
        self.form = Form(models.FEEDBACK, self.fields, self.save_button,
                         extra=self._extra)
        self.tagger = ThemeTagger(self.catalog, self.status)

        self.asked.observe(self._on_asked, names="value")
        self.fields["declined"].widget.observe(self._on_declined, names="value")
        self.fields["observations"].widget.observe(
            lambda change: guard(self.status)(self.tagger.suggest)(change.new or ""),
            names="value")
        self.save_button.on_click(lambda _b: self.save())
        self.new_button.on_click(lambda _b: self.record_new())
        self.actions = w.HBox([self.save_button])

        super().__init__([
            self.mode, self.no_app, self.asked, self.fields["requested_on"],
            self.fields["received_on"], self.contact_field, self.fields["channel"],
            self.fields["declined"], self.declined_note, self.fields["observations"],
            self.tagger, themes_panel(self.workbook), self.actions, self.status,
        ])
        self.refresh_contacts()
        self.start_new()

    # -- helpers -------------------------------------------------------------

    def _extra(self) -> dict[str, Any]:
        contact = self.contact.value
        return {"application_id": self.workbook.application_id,
                "contact_id": None if contact in (None, SOMEONE_ELSE) else contact}

    def _default_asked_on(self) -> dt.date:
        """The day of the rejection call if we know it: that's when to ask."""
        app = self.workbook.application()
        when = to_date(app.get("outcome_on")) if app else None
        today = dt.date.today()
        return when if when is not None and when <= today else today

    def _on_asked(self, change: Any) -> None:
        picker = self.fields["requested_on"].widget
        if change.new:
            picker.disabled = False
            if picker.value is None:
                picker.value = self._default_asked_on()
        else:
            picker.value = None
            picker.disabled = True

    def _on_declined(self, change: Any) -> None:
        self.declined_note.value = DECLINED_NOTE if change.new else ""

    def refresh_contacts(self) -> None:
        """The application's people, plus "someone else"; keeps the current choice."""
        app_id = self.workbook.application_id
        options: list[tuple[str, int]] = [("Someone else / not listed", SOMEONE_ELSE)]
        if app_id is not None:
            people = self.workbook.store.table("contacts", application_id=app_id)
            for row in people.to_dict("records"):
                label = str(row["name"])
                if row.get("title") is not None and not pd.isna(row["title"]):
                    label += f" ({row['title']})"
                options.append((label, int(row["id"])))
        current = self.contact.value
        self.contact.options = options
        self.contact.value = current if current in [v for _, v in options] else SOMEONE_ELSE

    def refresh(self, change: str = "") -> None:
        """After a change elsewhere: new people or themes; what's typed stays."""
        if change in ("", "contacts"):
            self.refresh_contacts()
        if change in ("", "custom_themes"):
            self.tagger.refresh_themes()
        self._show_app_hint()
        self.form.check()

    def _show_app_hint(self) -> None:
        has_app = self.workbook.application() is not None
        self.no_app.value = "" if has_app else NO_APPLICATION

    # -- modes ---------------------------------------------------------------

    def start_new(self) -> None:
        """An empty form for a new entry on the picked application."""
        self.editing = None
        self.asked.value = True
        self.form.clear(requested_on=self._default_asked_on(), channel=NO_CHANNEL)
        self.fields["requested_on"].widget.disabled = False
        self.contact.value = SOMEONE_ELSE
        self.tagger.clear()
        self.mode.value = "<h3 class='tappedin-heading'>Record the feedback</h3>"
        self.save_button.description = "Save feedback"
        self.actions.children = [self.save_button]
        self._show_app_hint()
        self.form.check()

    def record_new(self) -> None:
        """"Record another instead": the empty form, the keyboard on its first field (the
        button pressed has left the page, and the focus would fall to its top)."""
        self.start_new()
        self.asked.focus()

    @guarded()
    def edit(self, feedback_id: int) -> None:
        """Load a stored entry (and its tags) into the form."""
        store = self.workbook.store
        row = store.get("feedback", feedback_id)
        self.editing = int(feedback_id)
        self.refresh_contacts()
        values = {
            "requested_on": to_date(row.get("requested_on")),
            "received_on": to_date(row.get("received_on")),
            "channel": row.get("channel") or NO_CHANNEL,
            "declined": bool(row.get("declined")),
            "observations": row.get("observations") or "",
        }
        self.asked.value = values["requested_on"] is not None
        self.form.load(values)
        if values["requested_on"] is None:
            self.fields["requested_on"].widget.value = None
        contact = row.get("contact_id")
        ids = [v for _, v in self.contact.options]
        self.contact.value = contact if contact in ids else SOMEONE_ELSE
        tags = store.table("feedback_tags", feedback_id=feedback_id)
        self.tagger.load(tags.to_dict("records"), values["observations"])
        self.mode.value = ("<h3 class='tappedin-heading'>Edit this feedback</h3>"
                           "<p class='tappedin-hint'>Change anything, including its tags, "
                           "then Save changes.</p>")
        self.save_button.description = "Save changes"
        self.actions.children = [self.save_button, self.new_button]
        self.status.clear()

    # -- saving --------------------------------------------------------------

    @guarded()
    def save(self) -> None:
        if self.workbook.application() is None:
            self._show_app_hint()
            self.status.error("Pick an application first; nothing was saved.")
            return
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            self.status.error("Please fix the highlighted fields; nothing was saved yet.")
            return
        if not (cleaned.get("observations") or cleaned.get("declined")
                or cleaned.get("requested_on") or cleaned.get("received_on")):
            self.status.error("There's nothing to save yet: write what they observed, "
                              "tick that they declined, or say when you asked.")
            return
        tags = self.tagger.value()
        store = self.workbook.store
        with store.atomic():
            if self.editing is None:
                feedback_id = store.add("feedback", **cleaned)
            else:
                feedback_id = self.editing
                store.update("feedback", feedback_id, **cleaned)
            store.set_tags(feedback_id, tags)
        was_editing = self.editing is not None
        self.start_new()
        n = len(tags)
        tag_text = f" with {plural(n, 'tag')}" if n else ""
        self.status.ok(("Changes saved" if was_editing else "Feedback saved")
                       + f"{tag_text}. You can edit it below at any time.")
        self.workbook.changed("feedback", cleaned["application_id"])


class FeedbackList(w.VBox):
    """The feedback already recorded for the picked application."""

    def __init__(self, workbook: Workbook, catalog: ThemeCatalog, *,
                 on_edit: Callable[[int], None], on_deleted: Callable[[int], None]):
        self.workbook = workbook
        self.catalog = catalog
        self.on_edit = on_edit
        self.on_deleted = on_deleted
        self.status = Status().follows(workbook, {PICK, "feedback"}, picked_only=True)
        self.rows = w.VBox()
        # One application rarely has more than a few entries: a short first page.
        self.cards = KeyedRows(self.rows, self._card, limit=LIST_PAGE // 2)
        super().__init__([heading("Feedback recorded for this application"), self.rows,
                          self.status])
        self.render()

    @property
    def edit_buttons(self) -> dict[int, w.Button]:
        return {fid: self.cards[fid].children[1].children[0] for fid in self.cards.rows}

    @property
    def delete_buttons(self) -> dict[int, ConfirmButton]:
        return {fid: self.cards[fid].children[1].children[1] for fid in self.cards.rows}

    def render(self) -> None:
        """Show the picked application's entries; only new or changed cards are built."""
        app_id = self.workbook.application_id
        if app_id is None:
            self.cards.show([], empty="<p class='tappedin-empty'>No application picked.</p>")
            return
        store = self.workbook.store
        entries = store.table("feedback", application_id=app_id)
        if entries.empty:
            self.cards.show([], empty=(
                "<p class='tappedin-empty'>Nothing recorded yet. Several entries are fine: "
                "the recruiter's call and written notes from the hiring manager, say.</p>"))
            return
        people = store.table("contacts", application_id=app_id)
        names = {int(r["id"]): str(r["name"]) for r in people.to_dict("records")}
        # This application's tags only (not every tag in the store).
        tags = store.table("feedback_tags", feedback_id=[int(i) for i in entries["id"]])
        own: dict[int, list[tuple[str, str, str]]] = {}
        for t in tags.to_dict("records"):
            theme = str(t["theme"])
            own.setdefault(int(t["feedback_id"]), []).append(
                (self.catalog.label(theme), theme, str(t["polarity"])))
        records = []
        # Newest first: the entry just saved is on top, also past the "Show all" cut.
        for row in reversed(entries.to_dict("records")):
            fid = int(row["id"])
            contact = row.get("contact_id")
            who = (names.get(int(contact)) if contact is not None and not pd.isna(contact)
                   else None)
            records.append((fid, (row, who, tuple(own.get(fid, ())))))
        self.cards.show(records)

    def _card(self, record: tuple[dict[str, Any], str | None, tuple[tuple[str, str, str], ...]]
              ) -> w.Widget:
        row, who, tags = record
        fid = int(row["id"])
        when = []
        if fmt_date(row.get("requested_on")):
            when.append(f"asked {fmt_date(row['requested_on'])}")
        if fmt_date(row.get("received_on")):
            when.append(f"received {fmt_date(row['received_on'])}")
        elif (fmt_date(row.get("requested_on")) and not row.get("declined")
              and not _has_text(row.get("observations"))):
            when.append("not received yet")
        channel = row.get("channel")
        meta = " · ".join(
            [esc(x) for x in when]
            + [f"from {esc(who)}" if who else "from someone not listed"]
            + ([esc(channel)] if isinstance(channel, str) and channel else []))
        text = str(row["observations"]) if _has_text(row.get("observations")) else ""
        if row.get("declined"):
            body = "<p class='tappedin-hint'>They declined to give feedback.</p>"
            if text:
                body += f"<p class='tappedin-excerpt'>{esc(self._excerpt(text))}</p>"
        elif text:
            body = f"<p class='tappedin-excerpt'>“{esc(self._excerpt(text))}”</p>"
        else:
            body = "<p class='tappedin-hint'>No observations written yet.</p>"
        chips = "".join(tag_chip(label, theme, polarity) for label, theme, polarity in tags)
        html = (f"<div><span class='tappedin-hint'>{meta}</span>{body}"
                f"<div>{chips}</div></div>")
        edit = button("Edit")
        edit.on_click(lambda _b, i=fid: self.on_edit(i))
        delete = ConfirmButton("Delete", lambda i=fid: self.delete(i),
                               question="Delete this feedback and its tags?")
        card = w.VBox([w.HTML(html), w.HBox([edit, delete])])
        card.add_class("tappedin-card")
        return card

    @staticmethod
    def _excerpt(text: str) -> str:
        text = text.strip()
        if len(text) <= EXCERPT_CHARS:
            return text
        return text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"

    @guarded(action="delete")
    def delete(self, feedback_id: int) -> None:
        self.workbook.store.delete("feedback", feedback_id)
        self.on_deleted(feedback_id)
        self.status.ok("Deleted.")
        self.workbook.changed("feedback", self.workbook.application_id)


class FeedbackView(w.VBox):
    """Step 1: ask for feedback on the call, record it, tag its themes."""

    def __init__(self, workbook: Workbook | None = None):
        self.workbook = workbook or Workbook()
        self.picker = ApplicationPicker(self.workbook)
        self.editor = FeedbackEditor(self.workbook)
        self.list = FeedbackList(self.workbook, self.editor.catalog,
                                 on_edit=self.editor.edit, on_deleted=self._on_deleted)
        body = step_layout(w.HTML(TAG_CSS), guidance(INTRO), self.picker,
                           w.HTML(SCRIPT), self.editor, self.list)
        super().__init__([body])
        self.workbook.on_change(self._on_pick, {PICK})
        self.workbook.on_change(self._on_change, self.SHOWS, picked_only=True)

    #: What this step shows: the picked application's feedback and people, the themes.
    SHOWS = frozenset({"feedback", "contacts", "custom_themes", "applications"})

    @guarded("editor.status")
    def _on_pick(self, _change: Any) -> None:
        self.editor.refresh_contacts()
        self.editor.start_new()
        self.editor.status.clear()
        self.list.render()

    @guarded("list.status")
    def _on_change(self, change: str) -> None:
        if change != "feedback":  # our own save has already reset the form
            self.editor.refresh(change)
        elif self.editor.editing is not None and not self._exists(self.editor.editing):
            self.editor.start_new()  # deleted elsewhere: "Edit this feedback" is untrue
        if change != "applications":
            self.list.render()

    def _exists(self, feedback_id: int) -> bool:
        try:
            self.workbook.store.get("feedback", feedback_id)
        except NotFound:
            return False
        return True

    def _on_deleted(self, feedback_id: int) -> None:
        if self.editor.editing == feedback_id:
            self.editor.start_new()


def feedback_view(workbook: Workbook | None = None) -> FeedbackView:
    return FeedbackView(workbook)
