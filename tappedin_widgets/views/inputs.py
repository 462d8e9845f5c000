"""Two inputs ipywidgets can't give us: a text box whose text reaches the kernel before
anything typed or clicked after it, and a date box that tells an impossible or
half-typed date from an empty one.

Why not ``w.Text`` / ``w.Textarea``: the front end throttles value updates (at
most one in flight per widget; later ones wait in a buffer until the kernel is
idle) but sends custom messages, Enter's "submit" and every button click, at
once. Typing fast and pressing Enter (or clicking Save) therefore delivered the
action *before* the last value update: the kernel saved "remote-firs" while the
box held "remote-first", and the late update then put the full text back into
the cleared box. Here every keystroke and the Enter are custom messages carrying
the box's text, so they reach the kernel in the order they happened, and an
Enter or a click acts on exactly what the box holds.

Why not ``w.DatePicker``: a browser date box holding 02/30/2026 (or a date
typed only in part) reports the value "" and ``validity.badInput``; the
DatePicker passes on only the "", so an impossible date was saved as "no
date". :class:`DateInput` also sends ``badInput``.

Kernel-side changes (clearing after a save, loading a record) are pushed as
``_push`` with a counter, so setting the same text twice still reaches the box,
and what the user typed is never echoed back over newer keystrokes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

#: The message shown beside a date box holding an impossible or incomplete date.
BAD_DATE = "That isn't a whole, real date (check the day, month and year)."

_LABEL_JS = """
function labelled(model, el, type, boxClass) {
  const box = document.createElement("div");
  box.className = "widget-inline-hbox " + boxClass;
  box.style.width = "100%";
  const label = document.createElement("label");
  label.className = "widget-label";
  const input = document.createElement(type === "textarea" ? "textarea" : "input");
  if (type !== "textarea") input.type = type;
  input.className = "widget-input";
  input.style.flex = "1 1 auto";
  input.style.minWidth = "0";
  input.id = "tappedin-" + Math.random().toString(36).slice(2);
  label.htmlFor = input.id;
  box.append(label, input);
  el.append(box);
  const look = () => {
    const text = model.get("description");
    label.textContent = text;
    label.title = text;
    label.style.display = text ? "" : "none";
    label.style.width = model.get("label_width");
    label.style.flex = "0 0 " + model.get("label_width");
    input.disabled = model.get("disabled");
    if (type !== "date") input.placeholder = model.get("placeholder");
  };
  look();
  for (const name of ["description", "disabled", "label_width", "placeholder"]) {
    model.on("change:" + name, look);
  }
  // Keys typed here are the user's, not the notebook's shortcuts.
  input.addEventListener("keydown", (e) => e.stopPropagation());
  // The kernel's focus() (ipywidgets sends {do: "focus"}): the box itself takes it.
  model.on("msg:custom", (msg) => { if (msg && msg.do === "focus") input.focus(); });
  return input;
}
"""

_TEXT_ESM = _LABEL_JS + """
function render({ model, el }) {
  const rows = model.get("rows");
  const input = rows > 0
    ? labelled(model, el, "textarea", "widget-textarea tappedin-text")
    : labelled(model, el, "text", "widget-text tappedin-text tappedin-enter-text");
  if (rows > 0) {
    input.rows = rows;
    input.style.resize = "vertical";
  }
  if (model.get("stacked")) {  // a long label (a question) above its box
    const box = input.parentElement;
    box.style.flexDirection = "column";
    box.style.alignItems = "stretch";
    const label = box.firstChild;
    label.style.whiteSpace = "normal";
    label.style.width = "auto";
    label.style.flex = "0 0 auto";
  }
  const pushed = () => {
    const text = (model.get("_push") || {}).text || "";
    if (input.value !== text) input.value = text;
  };
  pushed();
  model.on("change:_push", pushed);
  input.addEventListener("input", () => model.send({ event: "input", value: input.value }));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.isComposing && rows === 0) {
      e.preventDefault();
      model.send({ event: "submit", value: input.value });
    }
  });
}
export default { render };
"""

_DATE_ESM = _LABEL_JS + """
function render({ model, el }) {
  const input = labelled(model, el, "date", "widget-datepicker tappedin-date");
  let last = { value: null, bad: false };
  const pushed = () => {
    input.value = (model.get("_push") || {}).iso || "";
    last = { value: input.value, bad: false };
  };
  pushed();
  model.on("change:_push", pushed);
  const send = () => {
    const now = { value: input.value, bad: input.validity.badInput };
    if (now.value === last.value && now.bad === last.bad) return;
    last = now;
    model.send({ event: "date", value: now.value, bad: now.bad });
  };
  for (const name of ["input", "change", "keyup", "blur"]) input.addEventListener(name, send);
}
export default { render };
"""


class _Input(anywidget.AnyWidget):
    """A labelled input; ``value`` lives in the kernel and is pushed, never echoed."""

    description = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    label_width = traitlets.Unicode("180px").tag(sync=True)
    _push = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs: Any):
        value = kwargs.pop("value", None)
        super().__init__(**kwargs)
        self._from_front = False
        if value is not None:
            self.value = value
        self._push_value(self.value)
        self.observe(lambda change: self._from_front or self._push_value(change.new),
                     names="value")
        self.on_msg(self._on_front_msg)

    def _push_value(self, value: Any) -> None:
        raise NotImplementedError

    def show(self, value: Any) -> None:
        """Put ``value`` in the box, even if the kernel already holds it (the box may
        show something else: half a date, say)."""
        if value == self.value:
            self._push_value(value)
        else:
            self.value = value

    def _next(self) -> int:
        return int(self._push.get("n", 0)) + 1

    def _on_front_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and isinstance(content.get("value"), str):
            self.receive(content)

    def _set_from_front(self, **values: Any) -> None:
        self._from_front = True
        try:
            # Notifications fire inside, while the flag still says "from the box".
            with self.hold_trait_notifications():
                for name, value in values.items():
                    setattr(self, name, value)
        finally:
            self._from_front = False

    def receive(self, content: dict[str, Any]) -> None:
        """Handle one message from the box (tests call it to act as the browser)."""
        raise NotImplementedError


class TextBox(_Input):
    """A text box (``rows`` > 0: several lines). In a one-line box, Enter calls the
    :meth:`on_submit` callbacks with its text."""

    _esm = _TEXT_ESM
    placeholder = traitlets.Unicode("").tag(sync=True)
    rows = traitlets.Int(0).tag(sync=True)
    stacked = traitlets.Bool(False).tag(sync=True)
    value = traitlets.Unicode("")

    def __init__(self, **kwargs: Any):
        self._submit: list[Callable[[str], Any]] = []
        super().__init__(**kwargs)

    def _push_value(self, value: Any) -> None:
        self._push = {"text": value or "", "n": self._next()}

    def on_submit(self, callback: Callable[[str], Any]) -> None:
        """Call ``callback(text)`` when Enter is pressed, ``text`` being the box's text."""
        self._submit.append(callback)

    def receive(self, content: dict[str, Any]) -> None:
        self._set_from_front(value=content["value"])
        if content.get("event") == "submit":
            for callback in list(self._submit):
                callback(self.value)


class DateInput(_Input):
    """A browser date box. ``value`` is a date or None; ``bad`` is True while the box
    holds an impossible or incomplete date (then ``value`` is None)."""

    _esm = _DATE_ESM
    value = traitlets.Any(None, allow_none=True)
    bad = traitlets.Bool(False)

    def _push_value(self, value: Any) -> None:
        self.bad = False
        iso = value.isoformat() if isinstance(value, dt.date) else ""
        self._push = {"iso": iso, "n": self._next()}

    @traitlets.validate("value")
    def _date_only(self, proposal: Any) -> dt.date | None:
        value = proposal["value"]
        if isinstance(value, dt.datetime):
            return value.date()
        if value is None or isinstance(value, dt.date):
            return value
        raise traitlets.TraitError(f"{self.description or 'a date'} must be a date or None")

    @property
    def error(self) -> str | None:
        """Why the box can't be used as it is (None: it holds a date or nothing)."""
        return BAD_DATE if self.bad else None

    def receive(self, content: dict[str, Any]) -> None:
        text, bad = content["value"], bool(content.get("bad"))
        try:
            value = dt.date.fromisoformat(text) if text else None
        except ValueError:
            value, bad = None, True
        self._set_from_front(bad=bad, value=value)


class Choice(w.Dropdown):
    """A dropdown whose "none" choice (an option with the value None: "(ignore)",
    "(not tied to one)") is shown as chosen when the value is None.

    A plain Dropdown set to None selects nothing and shows an empty box, even with
    such an option in its list: the user can't tell "none" from "not answered".
    """

    @traitlets.observe("value")
    def _propagate_value(self, change: Any) -> None:
        if change.new is None and None in self._options_values:
            index = self._options_values.index(None)
            if self.index != index:
                self.index = index
            return
        super()._propagate_value(change)

    @traitlets.observe("options")
    def _propagate_options(self, change: Any) -> None:
        super()._propagate_options(change)
        if self.index is None and None in self._options_values:
            self.index = self._options_values.index(None)
