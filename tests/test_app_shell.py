"""The tabbed app, without a browser: every tab builds, every input is labelled."""

from __future__ import annotations

import ipywidgets as w

from tappedin_widgets.app import TABS, App
from tappedin_widgets.demo import is_demo, load_demo
from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.inputs import DateInput, TextBox

INPUTS = (w.Text, w.Textarea, w.Dropdown, w.DatePicker, w.Checkbox, w.SelectMultiple,
          w.ToggleButtons, w.ToggleButton, w.FileUpload, w.IntText, w.Select, DateInput,
          TextBox)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def test_every_tab_builds_on_the_demo_and_every_input_has_a_label(store):
    load_demo(store)
    app = App(Workbook(store))
    for index in range(len(TABS)):
        app.tabs.selected_index = index
        assert index in app.views, TABS[index][0]
    unlabelled = [type(x).__name__ for x in _walk(app) if isinstance(x, INPUTS)
                  and not (x.description or "").strip()]
    assert unlabelled == []
    assert "error" not in app.status.value


def test_the_demo_notice_offers_to_clear_the_demo(store):
    load_demo(store)
    app = App(Workbook(store))
    assert is_demo(store)
    clear = app.notice.children[1]
    clear.button.click()
    clear.yes.click()
    assert store.is_empty()
    assert app.notice.children == ()
    assert "demo data is gone" in app.status.text


def test_an_empty_store_shows_no_demo_notice_and_every_tab_still_builds(store):
    app = App(Workbook(store))
    assert app.notice.children == ()
    for index in range(len(TABS)):
        app.tabs.selected_index = index
    assert len(app.views) == len(TABS)


def test_the_demo_gone_message_ends_when_the_data_changes_or_the_tab_does(store):
    """Issue 17: "The demo data is gone…" stayed up all session."""
    load_demo(store)
    app = App(Workbook(store))
    clear = app.notice.children[1]
    clear.button.click()
    clear.yes.click()
    assert "demo data is gone" in app.status.text
    app.workbook.store.add("applications", company="Quillfeather Labs", role="Analyst")
    app.workbook.changed("applications")
    assert app.status.text == ""

    clear_again = App(Workbook(store))
    clear_again.status.ok("The demo data is gone. Start by logging an application below.")
    clear_again.tabs.selected_index = 1
    assert clear_again.status.text == ""
