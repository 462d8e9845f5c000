"""Building blocks shared by every step's view.

- :class:`Workbook`: the store, the application being worked on, and a
  ``revision`` counter that every save bumps so other views re-render.
- :class:`ApplicationPicker`: the "which application?" dropdown on every step.
- Inputs with a label (their ``description``) and an inline message below.
- :class:`Status`, :func:`guard`, :func:`guarded` (from views/status.py): one line
  of feedback to the user, cleared when what it describes changes; any error in a
  callback turned into a calm message on it.
- :class:`ConfirmButton`: delete with a confirmation step.
- Widget lifecycle: :func:`close_tree` / :func:`set_children` close what a render
  replaces; :class:`KeyedRows` keeps one row per record id and rebuilds only the
  rows whose record changed.
- :func:`download_link`: a file to download as a plain link.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import html
import logging
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import ipywidgets as w
import pandas as pd
import traitlets

from .. import models
from ..models import NotFound, TappedInError, ValidationError
from ..store import Store
from .inputs import BAD_DATE, Choice, DateInput, TextBox  # noqa: F401  (for callers)
from .status import Status, esc, guard, guarded  # noqa: F401  (for callers)

log = logging.getLogger("tappedin.views")

LABEL_WIDTH = "180px"
#: Rows a long list shows before its "Show all" button.
LIST_PAGE = 10


# --------------------------------------------------------------------------
# Shared state


#: ``Change.kind`` for "the picked application changed".
PICK = "pick"


class Change(str):
    """What changed: a record kind (a table name, or "" for anything), and the
    application it belongs to (None: not one application's, or unknown).

    A ``str`` equal to the kind, so ``workbook.last_change == "feedback"`` reads naturally.
    """

    application_id: int | None

    def __new__(cls, kind: str = "", application_id: int | None = None) -> Change:
        change = super().__new__(cls, kind)
        change.application_id = None if application_id is None else int(application_id)
        return change

    @property
    def kind(self) -> str:
        return str(self)


class _Listener:
    """One view's interest in changes: which kinds, and whether only the picked application's."""

    def __init__(self, workbook: Workbook, callback: Callable[[Change], Any],
                 kinds: Collection[str] | None, picked_only: bool, scope: Hashable):
        self.workbook = workbook
        self.callback = callback
        self.kinds = None if kinds is None else frozenset(kinds)
        self.picked_only = picked_only
        self.scope = scope

    def wants(self, change: Change) -> bool:
        if change.kind == "":
            return True
        if self.kinds is not None and change.kind not in self.kinds:
            return False
        return not (self.picked_only and change.kind != PICK
                    and change.application_id is not None
                    and change.application_id != self.workbook.application_id)


class Workbook(traitlets.HasTraits):
    """What every view of one open workbook shares.

    ``application_id`` is the application being worked on (None: none picked).
    Views say what they show with :meth:`on_change` and are called only for
    those changes; a view built for a hidden tab (see :meth:`building`) is
    only marked stale, and refreshed once when its tab is shown again.
    ``revision`` still goes up after every change, for code that just counts.
    """

    application_id = traitlets.Int(None, allow_none=True)
    revision = traitlets.Int(0)

    def __init__(self, store: Store | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.store = store if store is not None else Store()
        self.last_change = Change()
        self._listeners: list[_Listener] = []
        self._scope: Hashable = None      # the tab being built (None: always shown)
        self._hidden: set[Hashable] = set()
        self._stale: dict[Hashable, dict[int, tuple[_Listener, Change]]] = {}
        self._options: list[tuple[str, int]] | None = None
        if self.application_id is None:
            self.application_id = self.remembered() or self.most_recent()
        self.observe(self._remember, names="application_id")
        self.observe(lambda change: self._dispatch(Change(PICK, change.new)),
                     names="application_id")

    PICKED = "picked_application"

    def remembered(self) -> int | None:
        """The application picked last time (in any notebook or tab), if it still exists."""
        value = self.store.setting(self.PICKED)
        if not value or not value.isdigit():
            return None
        try:
            self.store.get("applications", int(value))
        except NotFound:
            return None
        return int(value)

    def _remember(self, change: Any) -> None:
        try:
            self.store.set_setting(self.PICKED, None if change.new is None else str(change.new))
        except TappedInError:
            log.warning("could not remember the picked application", exc_info=True)

    def most_recent(self) -> int | None:
        """The application touched last: where a returning user most likely left off."""
        apps = self.store.table("applications")
        if apps.empty:
            return None
        return int(apps.sort_values(["updated_at", "id"]).iloc[-1]["id"])

    def changed(self, kind: str = "", application_id: int | None = None) -> None:
        """Tell the views that the store changed: ``kind`` is a table name ("" for
        anything), ``application_id`` the application whose records changed."""
        change = Change(kind, application_id)
        self.last_change = change
        if kind in ("", "applications"):
            self._options = None
        self._dispatch(change)
        self.revision += 1

    def application_options(self) -> list[tuple[str, int]]:
        """:func:`application_options`, read once per change to the applications
        (every step's picker and dropdowns show them: with 1,000 applications each
        read and labelling cost about 0.15 s)."""
        if self._options is None:
            self._options = application_options(self.store)
        return list(self._options)

    def on_change(self, callback: Callable[[Change], Any], kinds: Collection[str] | None = None,
                  *, picked_only: bool = False) -> None:
        """Call ``callback(change)`` after changes of these ``kinds`` (None: all; include
        PICK to hear about picks). ``picked_only``: skip changes to another application's
        records. A failing callback is logged; the other views still hear the change."""
        self._listeners.append(_Listener(self, callback, kinds, picked_only, self._scope))

    @contextlib.contextmanager
    def building(self, scope: Hashable, *, hidden: bool = False) -> Iterator[None]:
        """Views built inside listen as part of ``scope`` (e.g. a tab)."""
        previous, self._scope = self._scope, scope
        if hidden:
            self._hidden.add(scope)
        try:
            yield
        finally:
            self._scope = previous

    def hide(self, scope: Hashable) -> None:
        """The scope's views stop refreshing; changes only mark them stale."""
        if scope is not None:
            self._hidden.add(scope)

    def show(self, scope: Hashable) -> None:
        """The scope is on screen again: refresh each of its stale views, once."""
        self._hidden.discard(scope)
        for listener, change in self._stale.pop(scope, {}).values():
            self._call(listener, change)

    def stale(self, scope: Hashable) -> bool:
        return bool(self._stale.get(scope))

    def _dispatch(self, change: Change) -> None:
        for listener in list(self._listeners):
            if not listener.wants(change):
                continue
            if listener.scope in self._hidden:
                pending = self._stale.setdefault(listener.scope, {})
                earlier = pending.get(id(listener), (None, None))[1]
                # Two different changes while hidden: refresh for everything.
                merged = change if earlier is None or earlier == change and \
                    earlier.application_id == change.application_id else Change()
                pending[id(listener)] = (listener, merged)
            else:
                self._call(listener, change)

    @staticmethod
    def _call(listener: _Listener, change: Change) -> None:
        try:
            listener.callback(change)
        except Exception:  # one view failing must not keep the others stale
            log.exception("a view could not refresh after %r", change)

    def application(self) -> dict[str, Any] | None:
        """The picked application as a dict, or None."""
        if self.application_id is None:
            return None
        try:
            return self.store.get("applications", self.application_id)
        except NotFound:
            return None


def application_label(row: Mapping[str, Any]) -> str:
    when_text = "no date"
    for key in ("outcome_on", "applied_on"):
        when = row.get(key)
        if isinstance(when, (pd.Timestamp, dt.date)) and not pd.isna(when):
            when_text = f"{when:%d %b %Y}"
            break
    outcome = row.get("outcome") or "open"
    return f"{row['company']} — {row['role']} ({outcome}, {when_text})"


def application_options(store: Store) -> list[tuple[str, int]]:
    """Picker options, most recent first."""
    apps = store.table("applications")
    if apps.empty:
        return []
    key = apps["outcome_on"].fillna(apps["applied_on"]).fillna(apps["created_at"])
    apps = apps.assign(_key=key).sort_values(["_key", "id"], ascending=False)
    return [(application_label(row), int(row["id"])) for row in apps.to_dict("records")]


class ApplicationPicker(w.HBox):
    """The dropdown that picks the application a step works on.

    Shared through the Workbook: picking here picks it on every step. ``empty`` is
    what it says while there is no application (trusted markup): where to log one.
    """

    #: Where to log a first application, said on every step but the one it is logged on.
    EMPTY = "No applications yet: log one in <b>Start here</b>."

    def __init__(self, workbook: Workbook, description: str = "Application", *,
                 empty: str = EMPTY):
        self.workbook = workbook
        self.empty_text = empty
        self.dropdown = w.Dropdown(description=description, options=[],
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="min(640px, 100%)"))
        self.empty = w.HTML("")
        super().__init__([self.dropdown, self.empty])
        self.add_class("tappedin-picker")
        self._syncing = False
        self.refresh()
        self.dropdown.observe(self._on_pick, names="value")
        workbook.observe(self._on_workbook_pick, names="application_id")
        # Its labels show company, role, outcome and dates: only applications change them.
        workbook.on_change(lambda _change: self.refresh(), {"applications"})

    def refresh(self) -> None:
        self._syncing = True
        try:
            options = self.workbook.application_options()
            self.dropdown.options = options
            ids = [v for _, v in options]
            if self.workbook.application_id in ids:
                self.dropdown.value = self.workbook.application_id
            elif ids:
                self.dropdown.value = None
            self.dropdown.disabled = not options
            self.empty.value = ("" if options else
                                f"<span class='tappedin-hint'>{self.empty_text}</span>")
        finally:
            self._syncing = False

    def _on_pick(self, change: Any) -> None:
        if not self._syncing and change.new is not None:
            self.workbook.application_id = change.new

    def _on_workbook_pick(self, change: Any) -> None:
        ids = [v for _, v in self.dropdown.options]
        self._syncing = True
        try:
            if change.new in ids:
                self.dropdown.value = change.new
            else:
                self.refresh()
        finally:
            self._syncing = False


# --------------------------------------------------------------------------
# Widget lifecycle

_registry: dict[str, w.Widget] = w.widgets.widget._instances


def built(make: Callable[[], w.Widget]) -> w.Widget:
    """``make()``, remembering every widget it created (hidden parts, layouts and
    styles included) so that :func:`close_tree` closes them all with it."""
    before = set(_registry)
    widget = make()
    widget._tappedin_made = [_registry[k] for k in set(_registry) - before]  # type: ignore
    return widget


def close_tree(widget: w.Widget) -> None:
    """Close a widget that is gone for good, with everything it is made of."""
    for child in getattr(widget, "children", ()) or ():
        close_tree(child)
    for part in getattr(widget, "_tappedin_parts", ()):  # made later, e.g. on a click
        if part is not widget and part.comm is not None:
            close_tree(part)
    for part in (*getattr(widget, "_tappedin_made", ()),
                 getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, w.Widget) and part is not widget and \
                not getattr(part, "_tappedin_shared", False):
            part.close()
    widget.close()


def shared(part: w.Widget) -> w.Widget:
    """Mark a layout or style that many widgets use (e.g. every row of a list: each row
    then costs the page fewer widget models): :func:`close_tree` leaves it open."""
    part._tappedin_shared = True  # type: ignore[attr-defined]
    return part


def _tree(widgets: Iterable[w.Widget], into: set[int]) -> set[int]:
    for widget in widgets:
        if id(widget) not in into:
            into.add(id(widget))
            _tree(getattr(widget, "children", ()) or (), into)
    return into


def set_children(box: w.Box, children: Sequence[w.Widget]) -> None:
    """Show ``children`` in ``box`` and close what they replace (the one way a view
    throws widgets away). Children kept, and their parts, stay open."""
    old = list(box.children)
    if old == list(children):
        return
    box.children = tuple(children)
    keep = _tree(children, set())
    for widget in old:
        if id(widget) not in keep:
            close_tree(widget)


class KeyedRows:
    """The rows of a list, one per record id, reused while the record is unchanged.

    ``show(records)`` takes ``(id, record)`` pairs in display order; a row is built
    (by ``make(record)``) only for a new id or a record that changed (unless the row
    takes the new record itself: its ``take(record)`` returns True), and rows no
    longer shown are closed. ``empty`` is shown when there are no records. With a
    ``limit``, only the first ``limit`` rows are built, and a "Show all" button
    offers the rest (with a ``step``: "Show N more", a page at a time): a long search
    keeps a short page (and a bounded widget count).
    """

    def __init__(self, box: w.Box, make: Callable[[Any], w.Widget], empty: str = "", *,
                 limit: int | None = None, step: int | None = None):
        self.box = box
        self.make = make
        self.limit = limit
        self.step = step  # with a limit: "Show N more" pages by this many, not all at once
        self.cap = limit
        self.expanded = False
        self.rows: dict[Hashable, tuple[str, w.Widget]] = {}
        self.empty = w.HTML(empty)
        self.more = button("Show all")
        self.more.add_class("tappedin-show-all")
        self.more.on_click(lambda _b: self._toggle())
        self.built = 0  # rows made so far (tests check that unchanged rows are reused)
        self.total = 0
        self._records: list[tuple[Hashable, Any]] = []

    def show(self, records: Iterable[tuple[Hashable, Any]], *, empty: str | None = None) -> None:
        self._records = list(records)
        self.total = len(self._records)
        if empty is not None:
            self.empty.value = empty
        cut = self._records if self.expanded or self.limit is None else \
            self._records[:self.cap if self.step else self.limit]
        rows: dict[Hashable, tuple[str, w.Widget]] = {}
        for key, record in cut:
            signature = repr(record)
            kept = self.rows.get(key)
            if kept is not None and kept[0] == signature:
                rows[key] = kept
            elif kept is not None and getattr(kept[1], "take", lambda _r: False)(record):
                # The row showed the change itself (e.g. the text just typed into it and
                # saved): replacing it would take the focus from the person typing.
                rows[key] = (signature, kept[1])
            else:
                rows[key] = (signature, built(lambda r=record: self.make(r)))
                self.built += 1
        for key, (_sig, widget) in self.rows.items():
            if rows.get(key, (None, None))[1] is not widget:
                close_tree(widget)
        self.rows = rows
        shown = [widget for _sig, widget in rows.values()] or [self.empty]
        if self.limit is not None and self.total > self.limit:
            if self.step and self.cap is not None and self.cap < self.total:
                self.more.description = (f"Show {min(self.step, self.total - self.cap)} more "
                                         f"({self.cap} of {self.total} shown)")
            else:
                self.more.description = ("Show fewer" if self.expanded or self.step
                                         else f"Show all {self.total}")
            shown.append(self.more)
        if list(self.box.children) != shown:
            self.box.children = tuple(shown)

    def _toggle(self) -> None:
        if self.step and self.cap is not None and self.limit is not None:
            self.cap = self.cap + self.step if self.cap < self.total else self.limit
        else:
            self.expanded = not self.expanded
        self.show(self._records)

    def __getitem__(self, key: Hashable) -> w.Widget:
        return self.rows[key][1]

    def widgets(self) -> list[w.Widget]:
        return [widget for _sig, widget in self.rows.values()]


def download_link(data: bytes, filename: str, *, mime: str = "application/octet-stream",
                  label: str | None = None, hint: str = "") -> str:
    """An HTML link that downloads ``data`` as ``filename`` (a data: URI, no script)."""
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    link = (f"<a class='tappedin-download' download='{esc(filename)}' href='{href}'>"
            f"{esc(label or 'Download ' + filename)}</a>")
    return link + (f" <span class='tappedin-hint'>{esc(hint)}</span>" if hint else "")


# --------------------------------------------------------------------------
# Inputs


def _style() -> dict[str, str]:
    return {"description_width": LABEL_WIDTH}


def text_input(label: str, placeholder: str = "", *, long: bool = False,
               rows: int = 4, value: str = "", label_width: str = LABEL_WIDTH,
               width: str | None = None) -> TextBox:
    """A text box labelled by its description (a real <label>). Its text reaches the
    kernel ahead of a click on Save made right after typing (see inputs.TextBox)."""
    return TextBox(description=label, placeholder=placeholder, value=value,
                   rows=rows if long else 0, label_width=label_width,
                   layout=w.Layout(width=width or ("100%" if long else "min(640px, 100%)")))


def date_input(label: str, value: dt.date | None = None) -> DateInput:
    """A browser date box that also reports an impossible or half-typed date."""
    return DateInput(description=label, value=value, label_width=LABEL_WIDTH,
                     layout=w.Layout(width="min(380px, 100%)"))


def enter_text(label: str, placeholder: str = "", *, value: str = "",
               label_width: str = "initial") -> TextBox:
    """A one-line box whose Enter acts on exactly the text in it (see inputs.TextBox)."""
    return TextBox(description=label, placeholder=placeholder, value=value,
                     label_width=label_width, layout=w.Layout(flex="1 1 auto", width="auto"))


def choice_input(label: str, choices: Sequence[str], value: str | None = None, *,
                 blank: str | None = None) -> w.Dropdown:
    options: list[tuple[str, Any]] = [(c, c) for c in choices]
    if blank is not None:
        # "" rather than None: a Dropdown set to None shows an empty box, not the label;
        # validation turns "" into "no value".
        options.insert(0, (blank, ""))
    if value is None:
        value = "" if blank is not None else choices[0]
    return w.Dropdown(description=label, options=options, value=value, style=_style())


def checkbox(label: str, value: bool = False) -> w.Checkbox:
    return w.Checkbox(description=label, value=value, indent=False)


class Field(w.VBox):
    """An input with its inline message underneath."""

    def __init__(self, widget: w.Widget, help_text: str = ""):
        self.widget = widget
        self.message = w.HTML("")
        self.message.add_class("tappedin-field-message")
        self.help = w.HTML(f"<span class='tappedin-hint'>{esc(help_text)}</span>"
                           if help_text else "")
        super().__init__([widget, self.help, self.message] if help_text
                         else [widget, self.message])
        self.add_class("tappedin-field")

    @property
    def value(self) -> Any:
        return self.widget.value

    @value.setter
    def value(self, v: Any) -> None:
        self.widget.value = v

    def set_error(self, text: str | None) -> None:
        self.message.value = (f"<span class='tappedin-error' role='alert'>{esc(text)}</span>"
                              if text else "")
        if text:
            self.add_class("tappedin-invalid")
        else:
            self.remove_class("tappedin-invalid")

    @property
    def error(self) -> str:
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.message.value))


class Form:
    """Fields for one record type: live inline validation, Save enabled when valid.

    ``fields`` maps a record field name to its :class:`Field`. ``extra`` gives
    values not typed by the user (e.g. ``application_id``).
    """

    def __init__(self, record: models.RecordType | str, fields: Mapping[str, Field],
                 save: w.Button, *, extra: Callable[[], Mapping[str, Any]] | None = None):
        self.record = models.RECORDS[record] if isinstance(record, str) else record
        self.fields = dict(fields)
        self.save = save
        self.extra = extra or (lambda: {})
        self.touched: set[str] = set()
        for name, f in self.fields.items():
            names = ["value", "bad"] if isinstance(f.widget, DateInput) else ["value"]
            f.widget.observe(functools.partial(self._on_change, name), names=names)
        self.check()

    def values(self) -> dict[str, Any]:
        out = {name: f.value for name, f in self.fields.items()}
        out.update(self.extra())
        return out

    def _on_change(self, name: str, _change: Any) -> None:
        self.touched.add(name)
        self.check()

    def check(self, *, show_all: bool = False) -> dict[str, Any] | None:
        """Validate; show messages on touched fields; enable Save if valid."""
        # A box that can't even give a value (an impossible date) is refused first.
        unusable = {name: f.widget.error for name, f in self.fields.items()
                    if isinstance(f.widget, DateInput) and f.widget.error}
        try:
            cleaned = models.validate(self.record, self.values())
            if unusable:
                raise ValidationError(unusable)
        except ValidationError as e:
            errors = {**e.errors, **unusable}
            for name, f in self.fields.items():
                shown = show_all or name in self.touched
                f.set_error(errors.get(name) if shown else None)
            self.save.disabled = True
            return None
        for f in self.fields.values():
            f.set_error(None)
        self.save.disabled = False
        return cleaned

    def show_errors(self, e: ValidationError) -> None:
        for name, msg in e.errors.items():
            if name in self.fields:
                self.fields[name].set_error(msg)

    def clear(self, **defaults: Any) -> None:
        for name, f in self.fields.items():
            widget = f.widget
            if name in defaults:
                widget.value = defaults[name]
            elif isinstance(widget, (w.Text, w.Textarea, TextBox)):
                widget.value = ""
            elif isinstance(widget, w.Checkbox):
                widget.value = False
            elif isinstance(widget, DateInput):
                widget.show(None)
        self.touched.clear()
        self.check()

    def load(self, row: Mapping[str, Any]) -> None:
        """Fill the inputs from a stored record."""
        for name, f in self.fields.items():
            value = row.get(name)
            if value is pd.NaT and isinstance(f.widget, DateInput):
                value = None
            elif isinstance(value, pd.Timestamp) and isinstance(f.widget, DateInput):
                value = value.date()
            if value is None or value is pd.NA or value is pd.NaT or (
                    isinstance(value, float) and value != value):
                value = "" if isinstance(f.widget, (w.Text, w.Textarea, TextBox)) else (
                    False if isinstance(f.widget, w.Checkbox) else None)
            if isinstance(f.widget, w.Dropdown):
                allowed = [v for _, v in f.widget.options] if f.widget.options and isinstance(
                    f.widget.options[0], tuple) else list(f.widget.options)
                if value is None and "" in allowed:
                    value = ""
                if value not in allowed:
                    continue
            if isinstance(f.widget, DateInput):
                f.widget.show(value)
            else:
                f.widget.value = value
        self.touched.clear()
        self.check()


def button(label: str, *, style: str = "", tooltip: str = "", icon: str = "",
           layout: w.Layout | None = None, look: w.ButtonStyle | None = None) -> w.Button:
    """A button with a text label (icons don't load without a network). ``layout`` and
    ``look`` (its ButtonStyle): :func:`shared` ones, for a list's many rows."""
    return w.Button(description=label, button_style=style, tooltip=tooltip or label,
                    layout=layout or w.Layout(width="auto"),
                    **({"style": look} if look is not None else {}))


class ConfirmButton(w.HBox):
    """A delete button that asks "Delete this? Yes / Cancel" before acting.

    The question and its two buttons are made on the first ask: a list of a
    hundred rows then costs a hundred buttons, not four hundred widgets.
    """

    def __init__(self, label: str, on_confirm: Callable[[], None], *,
                 question: str = "Delete this for good?", layout: w.Layout | None = None,
                 look: w.ButtonStyle | None = None):
        self.on_confirm = on_confirm
        self._question_text = question
        self._asked: tuple[w.HTML, w.Button, w.Button] | None = None
        self.button = button(label, style="", layout=layout, look=look)
        super().__init__([self.button])
        self.button.on_click(lambda _b: self.ask())

    def _parts(self) -> tuple[w.HTML, w.Button, w.Button]:
        if self._asked is None:
            question = w.HTML(f"<span class='tappedin-confirm'>{esc(self._question_text)}</span>")
            yes = button("Yes, delete", style="danger")
            no = button("Cancel")
            yes.on_click(lambda _b: self.confirm())
            no.on_click(lambda _b: self.cancel())
            self._asked = (question, yes, no)
        return self._asked

    question = property(lambda self: self._parts()[0])
    yes = property(lambda self: self._parts()[1])
    no = property(lambda self: self._parts()[2])

    @property
    def _tappedin_parts(self) -> tuple[w.Widget, ...]:  # see close_tree
        return (self.button, *(self._asked or ()))

    def ask(self) -> None:
        self.children = list(self._parts())

    def confirm(self) -> None:
        self.children = [self.button]
        self.on_confirm()

    def cancel(self) -> None:
        self.children = [self.button]

    @property
    def asking(self) -> bool:
        return self._asked is not None and self._asked[1] in self.children


def heading(text: str, level: int = 3) -> w.HTML:
    return w.HTML(f"<h{level} class='tappedin-heading'>{esc(text)}</h{level}>")


def guidance(markup: str) -> w.HTML:
    """A short block of guidance text (trusted markup written by us, never user text)."""
    box = w.HTML(f"<div class='tappedin-guidance'>{markup}</div>")
    return box


def table_html(frame: pd.DataFrame, columns: Mapping[str, str], *, empty: str) -> str:
    """A small, escaped HTML table of selected columns (``{column: header}``)."""
    if frame.empty:
        return f"<p class='tappedin-empty'>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in columns.values())
    body = []
    for row in frame.to_dict("records"):
        cells = []
        for col in columns:
            v = row.get(col)
            if isinstance(v, pd.Timestamp):
                v = "" if pd.isna(v) else f"{v:%d %b %Y}"
            elif v is None or (isinstance(v, float) and v != v) or v is pd.NA:
                v = ""
            cells.append(f"<td>{esc(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table class='tappedin-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def fmt_date(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return f"{value:%d %b %Y}"


def to_date(value: Any) -> dt.date | None:
    """A stored date (Timestamp/date/None) as a date for a DatePicker."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return models.parse_date(value)


CSS = """
<style>
.tappedin-root { max-width: 1100px; font-size: 15px; line-height: 1.45; color: #1f2933; }
.tappedin-root .widget-html-content { line-height: 1.45; }
.tappedin-guidance { background: #f4f7f6; border-left: 4px solid #3d8b7d; padding: 8px 14px;
  margin: 6px 0 10px 0; border-radius: 4px; }
.tappedin-guidance p { margin: 4px 0; }
.tappedin-hint { color: #52606d; font-size: 13px; }
.tappedin-error { color: #b42318; font-size: 13px; }
.tappedin-ok { color: #1f7a4d; font-size: 13px; }
.tappedin-info { color: #52606d; font-size: 13px; }
.tappedin-empty { color: #52606d; font-style: italic; }
.tappedin-confirm { color: #b42318; margin-right: 6px; }
.tappedin-heading { margin: 14px 0 4px 0; color: #243b53; }
.tappedin-invalid input, .tappedin-invalid textarea { border-color: #b42318 !important; }
.tappedin-table { border-collapse: collapse; margin: 6px 0; font-size: 14px; }
.tappedin-table th, .tappedin-table td { border-bottom: 1px solid #d9e2ec; padding: 4px 10px;
  text-align: left; vertical-align: top; }
.tappedin-table th { background: #f0f4f8; }
.tappedin-download { color: #1d5f8a; text-decoration: underline; margin-right: 4px; }
.tappedin-card { border: 1px solid #d9e2ec; border-radius: 6px; padding: 8px 12px; margin: 6px 0; }
.tappedin-script { font-size: 15px; background: #fffdf5; border: 1px solid #f0e6c8;
  border-radius: 6px; padding: 8px 14px; }
/* The tabs not shown: ipywidgets' 54% black (#6d6d6d on #eeeeee, 4.45:1) is under WCAG
   AA's 4.5:1; this one is 7.8:1. (As specific as ipywidgets' own rule, and later.) */
.tappedin-root .tappedin-tabs.widget-tab > .lm-TabBar .lm-TabBar-tab { color: #3e4c59; }
</style>
"""


def css() -> w.HTML:
    """The workbook's stylesheet, as a widget to place once at the top of a view."""
    return w.HTML(CSS)


def step_layout(*children: w.Widget) -> w.VBox:
    box = w.VBox([css(), *children], layout=w.Layout(width="100%"))
    box.add_class("tappedin-root")
    return box


def options_from(frame: pd.DataFrame, label: Callable[[Mapping[str, Any]], str]
                 ) -> list[tuple[str, int]]:
    return [(label(r), int(r["id"])) for r in frame.to_dict("records")]


def not_blank(values: Iterable[Any]) -> list[Any]:
    return [v for v in values if v is not None and str(v).strip()]
