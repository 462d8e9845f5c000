"""Your feedback themes: add your own, rename or merge, and name what the suggester missed.

:class:`ThemesView` is the one place themes are managed; :func:`themes_panel` puts it
in a closed section beside the feedback tagger (step 1), read when it is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import models
from ..models import plural
from .common import (
    ConfirmButton,
    Field,
    Form,
    KeyedRows,
    Status,
    Workbook,
    button,
    esc,
    guarded,
    heading,
    set_children,
    text_input,
)

INTRO = ("Themes group what interviewers said so patterns show across applications. "
         "Add a theme of your own (with the phrases that signal it, and it will be suggested "
         "like the built-in ones), rename any theme, or merge two that mean the same to you.")


def _no_theme(n: int) -> str:
    """How many pieces of feedback match no theme, the verb agreeing with the count."""
    return f"{plural(n, 'piece')} of feedback {'matches' if n == 1 else 'match'} no theme"


def unmatched_feedback(store: Any) -> pd.DataFrame:
    """Feedback with words in it that no theme's phrases match (whatever was tagged by hand)."""
    from ..themes import custom_from_frame, suggest_themes

    fb = store.table("feedback")
    fb = fb[fb["observations"].notna() & ~fb["declined"]]
    custom = custom_from_frame(store.themes())
    keep = [not suggest_themes(str(text), custom) for text in fb["observations"]]
    return fb[keep]


class ThemesView(w.VBox):
    """Manage themes and discover new ones in untagged feedback."""

    def __init__(self, workbook: Workbook, *, defer: bool = False):
        """``defer``: render later (:meth:`render`), e.g. after the tab is on screen."""
        self.workbook = workbook
        self.status = Status()
        self.list = w.VBox()
        self.fields = {
            "label": Field(text_input("Theme name", "e.g. Portfolio")),
            "description": Field(text_input("What it covers", "optional")),
            "phrases": Field(text_input("Key phrases", "one per line, e.g. portfolio\n"
                                        "case studies", long=True, rows=3),
                             "Feedback containing one of these phrases gets this theme "
                             "suggested."),
        }
        self.add_button = button("Add theme", style="primary")
        self.form = Form(models.CUSTOM_THEME, self.fields, self.add_button,
                         extra=lambda: {"id": models.slugify(self.fields["label"].value or "x")})
        self.add_button.on_click(lambda _b: self.add())
        self.discovery = w.VBox()
        super().__init__([
            heading("Your feedback themes"),
            w.HTML(f"<p class='tappedin-hint'>{esc(INTRO)}</p>"),
            self.status, self.list,
            heading("Add a theme of your own", 4), *self.fields.values(), self.add_button,
            heading("Feedback no theme fits yet", 4), self.discovery,
        ])
        self.rows = KeyedRows(self.list, lambda record: self._row(*record))
        # The discovery clusters every untagged piece of feedback: only feedback and
        # theme changes can change what it finds.
        # Deferred and not drawn yet (its section closed): the first render reads it all.
        workbook.on_change(lambda _c: self._changed(), {"custom_themes", "feedback"})
        self.rendered = False
        #: Whether it is on screen (its section open): a change while it is not is read
        #: when it is shown again, not at every feedback save.
        self.visible: Callable[[], bool] = lambda: True
        if not defer:
            self.render()

    def _changed(self) -> None:
        if self.rendered and self.visible():
            self.render()
        else:
            self.rendered = False

    # -- rendering -----------------------------------------------------------

    def render(self) -> None:
        self.rendered = True
        store = self.workbook.store
        themes = store.themes()
        tags = store.table("feedback_tags")
        counts = tags.groupby("theme").size() if not tags.empty else pd.Series(dtype=int)
        options = [(r["label"], r["id"]) for r in themes.to_dict("records")]
        self.rows.show((row["id"], (row, int(counts.get(row["id"], 0)), options))
                       for row in themes.to_dict("records"))
        self.render_discovery()

    def _row(self, row: dict[str, Any], count: int, options: list[tuple[str, str]]) -> w.Widget:
        theme_id = row["id"]
        name = text_input("Name", value=row["label"], label_width="50px", width="300px")
        rename = button("Rename")
        rename.on_click(lambda _b: self.rename(theme_id, name.value))
        target = w.Dropdown(description="Merge into",
                            options=[("choose…", "")] + [o for o in options if o[1] != theme_id],
                            value="", style={"description_width": "80px"},
                            layout=w.Layout(width="260px"))
        merge = ConfirmButton("Merge", lambda: self.merge(theme_id, target.value),
                              question="Move every tag to the other theme?")
        kind = "built-in" if row["builtin"] else "yours"
        info = w.HTML(f"<span class='tappedin-hint'>{plural(count, 'tag')} · "
                      f"{kind}</span>", layout=w.Layout(width="120px"))
        return w.HBox([name, rename, info, target, merge],
                      layout=w.Layout(flex_flow="row wrap", align_items="center"))

    def render_discovery(self) -> None:
        from ..themes import discover_groups

        fb = unmatched_feedback(self.workbook.store)
        if fb.empty:
            set_children(self.discovery, [w.HTML(
                "<p class='tappedin-empty'>Every piece of feedback with words in it matches a "
                "theme. Nothing to name here.</p>")])
            return
        texts = [str(t) for t in fb["observations"]]
        groups = discover_groups(texts)
        if not groups:
            set_children(self.discovery, [w.HTML(
                f"<p class='tappedin-empty'>{_no_theme(len(texts))}, but none look alike "
                "yet.</p>")])
            return
        cards = [w.HTML(f"<p class='tappedin-hint'>{_no_theme(len(texts))}. These look "
                        "alike; name a group to make it a theme.</p>")]
        ids = [int(i) for i in fb["id"]]
        for group in groups:
            cards.append(self._group_card(group, [ids[i] for i in group.indices]))
        set_children(self.discovery, cards)

    def _group_card(self, group: Any, feedback_ids: list[int]) -> w.Widget:
        words = ", ".join(group.top_terms[:6])
        examples = "".join(f"<li>“{esc(ex[:220])}{'…' if len(ex) > 220 else ''}”</li>"
                           for ex in group.examples)
        text = w.HTML(f"<div><b>{group.size} alike</b> · telling words: <i>{esc(words)}</i>"
                      f"<ul>{examples}</ul></div>")
        name = text_input("Name it", value=group.name.capitalize(), label_width="70px",
                          width="320px")
        make = button("Make it a theme", style="primary")
        make.on_click(lambda _b: self.adopt(name.value, group.top_terms[:4], feedback_ids))
        box = w.VBox([text, w.HBox([name, make])])
        box.add_class("tappedin-card")
        return box

    # -- actions --------------------------------------------------------------

    def add(self) -> None:
        cleaned = self.form.check(show_all=True)
        if cleaned is None:
            return
        try:
            self.workbook.store.add_theme(cleaned["label"], cleaned.get("description"),
                                          cleaned.get("phrases"))
        except models.ValidationError as e:
            self.form.show_errors(e)
            self.status.error(e.message)
            return
        except models.TappedInError as e:
            self.status.error(str(e))
            return
        self.form.clear()
        self.status.ok(f"Added the theme “{cleaned['label']}”. It will be suggested from now on.")
        self.workbook.changed("custom_themes")

    def rename(self, theme_id: str, label: str) -> None:
        try:
            self.workbook.store.rename_theme(theme_id, label)
        except models.TappedInError as e:
            self.status.error(getattr(e, "message", str(e)))
            return
        self.status.ok("Renamed: every chart uses the new name.")
        self.workbook.changed("custom_themes")

    def merge(self, source: str, target: str) -> None:
        if not target:
            self.status.error("Choose the theme to merge into first.")
            return
        try:
            moved = self.workbook.store.merge_themes(source, target)
        except models.TappedInError as e:
            self.status.error(getattr(e, "message", str(e)))
            return
        self.status.ok(f"Merged: {plural(moved, 'tag')} moved.")
        self.workbook.changed("custom_themes")

    def adopt(self, label: str, phrases: tuple[str, ...], feedback_ids: list[int]) -> None:
        """Name a discovered group: a new theme, and its feedback tagged with it."""
        from ..themes import CustomTheme, suggest_themes

        store = self.workbook.store
        try:
            with store.atomic():
                theme_id = store.add_theme(label, "Found in your feedback", list(phrases))
                custom = (CustomTheme(theme_id, label, "", tuple(phrases)),)
                for fid in feedback_ids:
                    text = store.get("feedback", fid).get("observations") or ""
                    found = [t.polarity for t in suggest_themes(text, custom)
                             if t.theme == theme_id]
                    store.set_tags(fid, [(theme_id, p, "suggested") for p in (found or ["-"])])
        except models.TappedInError as e:
            self.status.error(getattr(e, "message", str(e)))
            return
        self.status.ok(f"“{label}” is now a theme, tagged on "
                       f"{plural(len(feedback_ids), 'piece')} of feedback. Check them in step 1 "
                       "if you like.")
        self.workbook.changed("custom_themes")


PANEL_TITLE = "Manage themes: add, rename, merge, name what is new"


class ThemesPanel(w.Accordion):
    """:class:`ThemesView` in a closed section: read when opened (its "feedback no theme
    fits" clusters every piece of feedback), kept up to date while open."""

    def __init__(self, workbook: Workbook):
        self.themes = ThemesView(workbook, defer=True)
        self.themes.visible = lambda: self.selected_index == 0
        super().__init__(children=[self.themes], titles=[PANEL_TITLE], selected_index=None)
        self.add_class("tappedin-themes-panel")
        self.observe(self._opened, names="selected_index")

    @guarded("themes.status", action="change")
    def _opened(self, change: Any) -> None:
        if change.new is not None and not self.themes.rendered:
            self.themes.render()


def themes_panel(workbook: Workbook) -> ThemesPanel:
    """The theme manager as a closed section (step 1 shows it under the tagger)."""
    return ThemesPanel(workbook)
