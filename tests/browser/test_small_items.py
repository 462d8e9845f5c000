"""Issue 17's small items, as the page shows them in the real app (headless Chromium):
the chosen must-have answer is marked by more than a shade and stays readable, saved
liked/concern points are text under an add box that stays put, "Log a new one instead"
shows no one else's people, and no dropdown on these steps starts blank.

One page for the module (a page load costs seconds on two cores).
"""

from __future__ import annotations

import re

import pytest
from typing_kit import app_page, find_panel, wait_js
from webapp import shot

pytestmark = pytest.mark.browser

#: WCAG 2.1 AA for normal text.
AA = 4.5
#: The text a select shows (ipywidgets writes its spaces as no-break spaces).
SELECTED = "(s) => s.options[s.selectedIndex].text.replace(/\\u00a0/g, ' ')"


@pytest.fixture(scope="module")
def app(browser, demo_server):
    yield from app_page(browser, demo_server)


def _rgb(css: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: str, background: str) -> float:
    """The WCAG contrast ratio of a computed text colour over a computed background."""
    *fg, alpha = _rgb(text)
    *bg, _ = _rgb(background)
    seen = tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True))
    hi, lo = sorted((_luminance(seen), _luminance(tuple(bg))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_of_known_colours():
    assert contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)") == pytest.approx(21.0)
    assert contrast("rgb(255, 255, 255)", "rgb(29, 95, 138)") == pytest.approx(6.9, abs=0.1)


LOOK = """(b) => { const s = getComputedStyle(b); const before = getComputedStyle(b, '::before');
  return { bg: s.backgroundColor, fg: s.color, weight: s.fontWeight, tick: before.content,
           active: b.classList.contains('mod-active') }; }"""


def test_the_chosen_must_have_answer_is_filled_bold_ticked_and_readable(app):
    page = app
    panel = find_panel(page, "4 · Job reflection")
    check = panel.locator(".tappedin-check").first
    check.wait_for()
    missing = check.get_by_role("button", name="Missing", exact=False)
    present = check.get_by_role("button", name="Present", exact=False)
    missing.click()
    wait_js(page, "(b) => b.classList.contains('mod-active')", arg=missing.element_handle())
    chosen = missing.evaluate(LOOK)
    other = present.evaluate(LOOK)
    assert chosen["active"] and not other["active"]
    assert int(chosen["weight"]) >= 700 and int(other["weight"]) < 700
    assert "✓" in chosen["tick"] and "✓" not in other["tick"]
    assert chosen["bg"] != other["bg"]
    assert contrast(chosen["fg"], chosen["bg"]) >= AA
    assert contrast(other["fg"], other["bg"]) >= AA
    present.click()  # put back what the demo had is not needed: "present" is a fine answer
    wait_js(page, "(b) => b.classList.contains('mod-active')", arg=present.element_handle())


def test_saved_points_are_text_under_an_add_box_that_stays_put(app):
    page = app
    panel = find_panel(page, "4 · Job reflection")
    add = panel.get_by_label("Add a liked point", exact=True)
    add.wait_for()
    top = add.bounding_box()["y"]
    for text in ("a kind panel", "a clear career ladder"):
        add.fill(text)
        add.press("Enter")
        panel.locator(".tappedin-item", has_text=text).wait_for()
        wait_js(page, "(e) => e.value === ''", arg=add.element_handle())
        assert abs(add.bounding_box()["y"] - top) < 2, "the add box moved after an add"
    # The saved points are not boxes: the only box in the column is the one that adds.
    assert panel.get_by_label("Add a liked point", exact=True).count() == 1
    values = panel.locator("input").evaluate_all("(els) => els.map((e) => e.value)")
    assert "a kind panel" not in values and "a clear career ladder" not in values
    shot(page, "job-reflection-points-and-checks")


def test_log_a_new_one_instead_shows_no_one_elses_people(app):
    page = app
    panel = find_panel(page, "Start here")
    panel.get_by_role("button", name="Log a new one instead").click()
    panel.get_by_text("Save the new application first").wait_for()
    assert panel.get_by_role("button", name="Remove").count() == 0
    assert panel.get_by_role("button", name="Edit").count() == 0
    source = panel.get_by_label("How you found it")
    assert source.evaluate(SELECTED) == "(not chosen)"


BLANK_SELECTS = """(root) => [...root.querySelectorAll('select')]
  .filter((s) => s.offsetParent !== null)
  .filter((s) => s.selectedIndex < 0 || !s.options[s.selectedIndex].text.trim())
  .map((s) => (s.labels && s.labels[0] ? s.labels[0].textContent : s.outerHTML.slice(0, 80)))"""


@pytest.mark.parametrize("name", ["Start here", "1 · Feedback", "2 · Follow-up",
                                  "3 · Self-reflection", "4 · Job reflection", "Your data"])
def test_no_dropdown_starts_blank(app, name):
    panel = find_panel(app, name)
    blank = panel.locator(".tappedin-root").first.evaluate(BLANK_SELECTS)
    assert blank == [], f"blank dropdowns on {name}: {blank}"


def test_the_import_column_mappers_show_dont_import_rather_than_a_blank(app, tmp_path):
    page = app
    panel = find_panel(page, "Your data")
    sheet = tmp_path / "tracker.csv"
    sheet.write_text("Company,Job Title,Favourite colour\nAcme,Analyst,blue\n")
    with page.expect_file_chooser() as chooser:
        panel.get_by_role("button", name=re.compile("Choose a file")).click()
    chooser.value.set_files(str(sheet))
    mapper = panel.get_by_label("Favourite colour")
    mapper.wait_for()
    assert mapper.evaluate(SELECTED) == "(don't import)"
    blank = panel.locator(".tappedin-root").first.evaluate(BLANK_SELECTS)
    assert blank == []


def test_marking_the_note_being_edited_sent_takes_its_draft_heading_away(app, demo_server):
    page = app
    panel = find_panel(page, "2 · Follow-up")
    name = "Morgan Reyes"
    panel.get_by_label("Someone not listed", exact=True).fill(name)
    save = panel.get_by_role("button", name="Save as draft")
    wait_js(page, "(b) => !b.disabled", arg=save.element_handle())
    save.click()
    heading = panel.get_by_text(f"Editing your note to {name}, draft")
    heading.wait_for()
    card = panel.locator(".tappedin-card", has_text=f"To {name}").filter(has_text="draft")
    card.get_by_role("button", name="Mark sent").click()
    card.get_by_role("button", name="Save: sent").click()
    heading.wait_for(state="detached")
    panel.get_by_text("Write a thank-you note").wait_for()
    panel.get_by_text(re.compile("Marked sent. Reconnect planned")).wait_for()
    assert panel.get_by_text("When you mark a note sent").count() == 0
    assert panel.get_by_text("Change the text and save").count() == 0
