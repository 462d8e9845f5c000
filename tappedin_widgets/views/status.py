"""One line of feedback to the user (:class:`Status`), and :func:`guard` /
:func:`guarded`, which turn any error in a callback into a calm message on one.

A message describes the store as it was when it was shown: :meth:`Status.follows`
clears it when what it describes changes, unless the change comes from the very
action that showed it (an action run through :func:`guard` with that Status).
"""

from __future__ import annotations

import contextlib
import functools
import html
import logging
import re
from collections.abc import Callable, Collection, Iterator
from typing import Any, Protocol

import ipywidgets as w

from ..models import TappedInError, ValidationError

log = logging.getLogger("tappedin.views")


class ChangeSource(Protocol):
    """What a Status follows: common.Workbook's change events."""

    def on_change(self, callback: Callable[[Any], Any], kinds: Collection[str] | None = None,
                  *, picked_only: bool = False) -> None: ...


def esc(text: Any) -> str:
    """User text made safe to place inside HTML."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return html.escape(str(text), quote=True)


class Status(w.HTML):
    """One line telling the user what just happened.

    A message describes the store as it was when it was shown. With :meth:`follows`,
    the message goes as soon as what it describes changes (a change event of the
    kinds given), unless the change comes from the very action that showed it (an
    action run through :func:`guard` with this Status): "Editing your note, draft"
    or "The demo data is gone" must not outlive the change that made them untrue.
    """

    def __init__(self, **kwargs: Any):
        super().__init__(value="", **kwargs)
        self.add_class("tappedin-status")
        self._acting = 0

    def follows(self, workbook: ChangeSource, kinds: Collection[str] | None = None, *,
                picked_only: bool = False) -> Status:
        """Clear the message after changes of these ``kinds`` (None: any change; include
        PICK for a pick) made by anything but this Status's own action. Returns self."""
        workbook.on_change(self._on_change, kinds, picked_only=picked_only)
        return self

    def _on_change(self, _change: Any) -> None:
        if not self.busy and self.value:
            self.value = ""

    @property
    def busy(self) -> bool:
        """An action reporting here is running (its own changes don't end its message)."""
        return self._acting > 0

    @contextlib.contextmanager
    def acting(self) -> Iterator[None]:
        """The changes made inside are the ones the message will describe: keep it."""
        self._acting += 1
        try:
            yield
        finally:
            self._acting -= 1

    def info(self, text: str) -> None:
        self.value = f"<span class='tappedin-info'>{esc(text)}</span>"

    def ok(self, text: str) -> None:
        self.value = f"<span class='tappedin-ok' role='status'>{esc(text)}</span>"

    def error(self, text: str) -> None:
        self.value = f"<span class='tappedin-error' role='alert'>{esc(text)}</span>"

    def clear(self) -> None:
        self.value = ""

    @property
    def text(self) -> str:
        """The message shown, without markup (handy in tests)."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.value))


def _done(action: str) -> str:
    """The past participle for "nothing was ...": saved, loaded, drawn, shown."""
    irregular = {"draw": "drawn", "show": "shown"}
    return irregular.get(action) or action + ("d" if action.endswith("e") else "ed")


def guard(status: Status | Callable[[], Status], *, action: str = "save") -> Callable:
    """Decorate a callback so any error becomes a message on ``status``.

    Named errors (validation, not found, store) show their own sentence;
    anything unexpected is logged with its traceback and shown as a calm,
    generic message. Nothing ever propagates to the notebook or Voilà page.
    """

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            target = status() if callable(status) and not isinstance(status, Status) else status
            try:
                with target.acting():
                    return fn(*args, **kwargs)
            except ValidationError as e:
                target.error(e.message)
            except TappedInError as e:
                target.error(str(e))
            except Exception:  # the user never sees a traceback
                log.exception("unexpected error in %s", fn.__qualname__)
                target.error(f"Sorry, that didn't work and nothing was {_done(action)}. "
                             "What you typed is still here; please try again.")
            return None

        return inner

    return wrap


def guarded(status: str = "status", *, action: str = "save") -> Callable:
    """:func:`guard` for a method: ``status`` names the Status on ``self``
    (dotted for one further away, e.g. ``"section.status"``)."""

    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
            def target() -> Status:
                return functools.reduce(getattr, status.split("."), self)
            return guard(target, action=action)(method)(self, *args, **kwargs)

        return inner

    return wrap
