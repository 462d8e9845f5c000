"""Building blocks of step 5, "Keep going": dropdowns whose "(none)" choice shows, the
options they offer, counted sections folded away until opened, and rows that share
their layouts and styles (a long list costs the page fewer widget models)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd
from ipywidgets.widgets.widget_string import HTMLStyle

from ..store import Store
from .common import (
    LABEL_WIDTH,
    LIST_PAGE,
    ConfirmButton,
    KeyedRows,
    Workbook,
    button,
    shared,
)

NOT_TIED = "Not tied to one application"
NO_THEME = "(no theme)"
#: Rows a list of actions or questions shows at first; "Show more" adds LIST_PAGE.
PAGE = 5


class NoneChoice(w.Dropdown):
    """A dropdown whose "(none)" choice (value None) shows as chosen, never as a blank box
    (a plain Dropdown set to None shows nothing at all)."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.observe(self._none_shown, names="index")
        self._none_shown()

    def _none_shown(self, _change: Any = None) -> None:
        if self.index is None:
            values = [v for _, v in self.options]
            if None in values:
                self.index = values.index(None)


def choice_dropdown(label: str, options: list[tuple[str, Any]], value: Any = None) -> w.Dropdown:
    """A labelled :class:`NoneChoice` on ``value`` (the first option when it isn't one)."""
    if value not in [v for _, v in options]:
        value = options[0][1]
    # Wide enough for "Company — Role (outcome, date)" labels, not cut after a few letters.
    return NoneChoice(description=label, options=options, value=value,
                      style={"description_width": LABEL_WIDTH},
                      layout=w.Layout(width="min(640px, 100%)"))


def set_options(dropdown: w.Dropdown, options: list[tuple[str, Any]]) -> None:
    """Replace a dropdown's options, keeping its value when it is still there."""
    if list(dropdown.options) == options:
        return
    keep = dropdown.value
    dropdown.options = options
    if keep in [v for _, v in options]:
        dropdown.value = keep


def app_options(workbook: Workbook) -> list[tuple[str, Any]]:
    """"Not tied to one application", then the picker's applications."""
    return [(NOT_TIED, None), *workbook.application_options()]


def theme_options(store: Store) -> list[tuple[str, Any]]:
    """"(no theme)", then every theme by its name."""
    themes = store.themes()
    return [(NO_THEME, None), *zip(themes["label"], themes["id"], strict=False)]


def companies_by_id(store: Store) -> dict[int, str]:
    """"Company — Role" by application id."""
    apps = store.table("applications")
    # Column-wise: to_dict("records") converted every date of 1,000 rows (0.1 s a call).
    return dict(zip(apps["id"].astype(int), apps["company"] + " — " + apps["role"],
                    strict=True))


def value_or_none(v: Any) -> Any:
    """A stored value, or None for a missing one (None, NA, NaN)."""
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


class Folded(w.Accordion):
    """A counted section ("Done (12)"), closed at first. Its rows are built only once it
    is opened: a closed section costs the page one widget, not a hundred."""

    def __init__(self, box: w.Box, on_open: Callable[[], None]):
        super().__init__(children=[box], titles=[""], selected_index=None)
        self.add_class("tappedin-folded")
        self.on_open = on_open
        self.observe(lambda change: on_open() if change.new is not None else None,
                     names="selected_index")

    @property
    def opened(self) -> bool:
        return self.selected_index is not None

    def count(self, title: str, n: int) -> None:
        """Show ``title (n)``; hide the section while it would be empty."""
        text = f"{title} ({n})"
        if tuple(self.titles) != (text,):
            self.titles = (text,)
        display = None if n else "none"
        if self.layout.display != display:
            self.layout.display = display


class RowLooks:
    """The layouts and styles every row of one list shares (marked :func:`shared`): a
    row costs the page 7 widget models instead of 16."""

    def __init__(self) -> None:
        self.row = shared(w.Layout())
        self.text = shared(w.Layout(flex="1 1 auto"))
        self.html = shared(HTMLStyle())
        self.button_layout = shared(w.Layout(width="auto"))
        self.look = shared(w.ButtonStyle())

    def button(self, label: str, style: str = "") -> w.Button:
        return button(label, style=style, layout=self.button_layout, look=self.look)

    def confirm(self, label: str, on_confirm: Callable[[], None], question: str
                ) -> ConfirmButton:
        return ConfirmButton(label, on_confirm, question=question,
                             layout=self.button_layout, look=self.look)

    def text_html(self, markup: str) -> w.HTML:
        return w.HTML(markup, layout=self.text, style=self.html)


class DoneRows:
    """Finished items (done actions, practised questions): a :class:`Folded` section
    whose rows are built when it is opened, a page at a time."""

    def __init__(self, title: str, make: Callable[[Any], w.Widget]):
        self.title = title
        self.list = w.VBox()
        self.keyed = KeyedRows(self.list, make, limit=PAGE, step=LIST_PAGE)
        self.records: list[tuple[int, Any]] = []
        self.section = Folded(self.list, lambda: self.keyed.show(self.records))

    def show(self, records: list[tuple[int, Any]]) -> None:
        self.records = records
        self.section.count(self.title, len(records))
        if self.section.opened:
            self.keyed.show(records)


def built_rows(*lists: KeyedRows) -> dict[int, Any]:
    """Every row built, by record id, in the order shown."""
    return {key: row for keyed in lists
            for key, row in zip(keyed.rows, keyed.widgets(), strict=False)}
