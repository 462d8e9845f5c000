"""Helpers for the typing and date tests: type like a person, and watch where the focus is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from webapp import open_app, tab

from tappedin_widgets.store import Store


def app_page(browser: Any, server: Any) -> Iterator[Any]:
    """One page on the app, in US English (dates are typed MM/DD/YYYY), for a whole module."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)  # a failing step says so in seconds, not half a minute
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors  # type: ignore[attr-defined]
    open_app(page, server.url)
    yield page
    context.close()


PANEL = ".tappedin-tabs > .widget-tab-contents > :not(.lm-mod-hidden)"


def find_panel(page: Any, name: str) -> Any:
    """Open the tab and return its (visible) panel."""
    return tab(page, name)


def type_keys(page: Any, box: Any, text: str, delay: float) -> Any:
    """Type ``text`` key by key at the end of what the box holds; returns the box's element.

    The element is taken before the first key: if the app re-creates the box while
    someone types, that element is no longer the one with the focus (see is_focused).
    """
    element = box.element_handle()
    element.evaluate("e => { e.focus(); const n = e.value.length;"
                     " try { e.setSelectionRange(n, n); } catch (err) {} }")
    page.keyboard.type(text, delay=delay)
    return element


def is_focused(page: Any, element: Any) -> bool:
    """Whether this very element (still in the page) has the keyboard focus."""
    return bool(page.evaluate("e => e.isConnected && e === document.activeElement", element))


def wait_js(page: Any, expression: str, arg: Any = None, timeout: float = 20_000) -> Any:
    """Wait until a JavaScript function of ``arg`` returns something truthy; return it."""
    return page.wait_for_function(expression, arg=arg, polling=50, timeout=timeout).json_value()


def picked_application(store: Store) -> int:
    """The application every step works on (the workbook remembers it in the store)."""
    value = store.setting("picked_application")
    if value and value.isdigit():
        return int(value)
    apps = store.table("applications").sort_values(["updated_at", "id"])
    return int(apps.iloc[-1]["id"])
