"""Everyone can use the app, and it talks to nobody else: in the real Voilà app, in Chromium.

* axe-core (from the npm registry: tests/browser/node, installed by tests/run.sh) checks
  every tab, opened and drawn, against the WCAG 2.1 A and AA rules;
* one step (logging an application) is done with the keyboard alone;
* no request goes to a host other than 127.0.0.1, on any tab.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from webapp import chart_src, open_app, tab

from tappedin_widgets.app import TABS as APP_TABS
from tappedin_widgets.store import Store

pytestmark = pytest.mark.browser

NODE = Path(__file__).resolve().parent / "node"
AXE = NODE / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TABS = [title for title, _module, _cls in APP_TABS]
#: Where the app may send requests: the machine itself (blob: and data: URLs stay in the page).
LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture(scope="module")
def axe() -> Path:
    """axe-core's script, installed from package-lock.json if a bare pytest run lacks it."""
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--prefix", str(NODE), "--no-audit", "--no-fund", "-s"],
                       check=False, timeout=300)
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `npm ci --prefix {NODE}` "
                    "(tests/run.sh does).")
    return AXE


def open_drawn(page, name: str):
    """Open a tab and wait until it is drawn (Trends: its charts too)."""
    panel = tab(page, name)
    if name == "Trends":
        chart_src(panel, 0)
        page.wait_for_function(
            "() => [...document.querySelectorAll('img.tappedin-chart')]"
            ".filter(i => i.offsetParent !== null)"
            ".every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
    page.wait_for_timeout(1000)  # the last widgets' views settle
    return panel


def axe_findings(page, axe: Path) -> tuple[int, list[dict[str, Any]]]:
    """(rules passed, serious or critical violations: one per element) on the page now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    return page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            const bad = r.violations.flatMap(v => v.nodes
                .filter(n => n.impact === 'serious' || n.impact === 'critical')
                .map(n => ({rule: v.id, impact: n.impact, target: n.target.join(' '),
                            summary: (n.failureSummary || v.help).replace(/\\s+/g, ' ')
                                .slice(0, 240)})));
            return [r.passes.length, bad];
        }""", WCAG_21_A_AA)


def test_no_tab_has_a_serious_or_critical_wcag_violation(page, demo_server, axe):
    open_app(page, demo_server.url)
    found: list[str] = []
    for name in TABS:
        open_drawn(page, name)
        passed, bad = axe_findings(page, axe)
        assert passed > 10, f"axe checked almost nothing on {name}"  # it really ran
        found += [f"{name}: {v['rule']} ({v['impact']}) at {v['target']}: {v['summary']}"
                  for v in bad]
    for line in found:
        print(line)
    assert not found, f"{len(found)} serious or critical violations:\n" + "\n".join(found)


def test_nothing_leaves_the_machine_on_any_tab(page, demo_server):
    outside: list[str] = []

    def off_host(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and parts.hostname not in LOCAL_HOSTS

    def only_local(route) -> None:
        # Refused as an offline machine would: the page must work without them.
        if off_host(route.request.url):
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", only_local)
    page.on("request", lambda r: outside.append(r.url) if off_host(r.url) else None)
    page.on("websocket", lambda ws: outside.append(ws.url) if off_host(ws.url) else None)
    open_app(page, demo_server.url)
    for name in TABS:
        open_drawn(page, name)
    assert outside == [], "requests to other hosts:\n" + "\n".join(sorted(set(outside)))
    assert page.js_errors == []


def _focused(page) -> dict[str, str]:
    return page.evaluate(
        """() => { const el = document.activeElement;
            const label = (el.labels && el.labels.length ? el.labels[0].textContent
                           : el.getAttribute('aria-label')) || '';
            return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 60),
                    label: label.trim()}; }""")


def _button(name: str) -> Callable[[dict[str, str]], bool]:
    return lambda f: f["tag"] == "BUTTON" and f["text"] == name


def _field(label: str) -> Callable[[dict[str, str]], bool]:
    return lambda f: f["tag"] in ("INPUT", "TEXTAREA", "SELECT") and f["label"] == label


def tab_to(page, wanted: Callable[[dict[str, str]], bool], what: str, most: int = 120) -> int:
    """Press Tab until the focus is on what is wanted; the number of presses."""
    seen = []
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        now = _focused(page)
        if wanted(now):
            return presses
        seen.append(f"{now['tag']} {now['label'] or now['text']}")
    raise AssertionError(f"{what} was not reached with {most} presses of Tab; the focus went "
                         "through: " + " | ".join(seen))


def wait_for_focus(page, label: str) -> None:
    """Wait until the keyboard focus is in the field labelled ``label``."""
    try:
        page.wait_for_function(
            """(label) => { const el = document.activeElement;
                return !!(el && el.labels && el.labels.length
                          && el.labels[0].textContent.trim() === label); }""",
            arg=label, timeout=30_000)
    except Exception as exc:
        raise AssertionError(f"the focus is not on “{label}”: {_focused(page)}") from exc


def test_record_another_instead_puts_the_focus_on_the_form(page, demo_server):
    open_app(page, demo_server.url)
    panel = tab(page, "1 · Feedback")
    panel.get_by_label("Their observations").fill("They wanted more examples with numbers.")
    panel.get_by_role("button", name="Save feedback").click()
    panel.get_by_text(re.compile("Feedback saved")).wait_for(timeout=30_000)
    panel.get_by_role("button", name="Edit").first.click()
    panel.get_by_role("heading", name="Edit this feedback").wait_for(timeout=30_000)
    panel.get_by_role("button", name="Record another instead").focus()
    page.keyboard.press("Enter")
    panel.get_by_role("heading", name="Record the feedback").wait_for(timeout=30_000)
    wait_for_focus(page, "I asked for feedback")
    assert page.js_errors == []


def test_an_application_is_logged_with_the_keyboard_alone(page, demo_server):
    open_app(page, demo_server.url)
    page.get_by_role("heading", name="Log the rejection you just had").or_(
        page.get_by_role("button", name="Log a new one instead")).first.wait_for()
    if page.get_by_role("button", name="Log a new one instead").count():
        tab_to(page, _button("Log a new one instead"), "Log a new one instead")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Log the rejection you just had").wait_for()
        # The button has left the page: the focus goes to the form's first box, not to
        # the top of the page.
        wait_for_focus(page, "Company")
    else:
        tab_to(page, _field("Company"), "The Company box")
    page.keyboard.type("Keyboard & Co")
    page.keyboard.press("Tab")
    assert _field("Role")(_focused(page)), _focused(page)
    page.keyboard.type("Accessibility Analyst")
    page.keyboard.press("Shift+Tab")  # back, and forward again: the order is the form's
    assert _field("Company")(_focused(page)), _focused(page)
    page.keyboard.press("Tab")
    tab_to(page, _button("Save application"), "Save application")
    page.keyboard.press("Space")
    page.get_by_text(re.compile("Saved Keyboard & Co")).wait_for(timeout=30_000)

    with Store(demo_server.db) as store:
        saved = store.table("applications").query("company == 'Keyboard & Co'")
    assert len(saved) == 1
    row = saved.iloc[0]
    assert (row["role"], row["stage"], row["outcome"]) == ("Accessibility Analyst",
                                                           "interview", "rejected")
    assert page.js_errors == []
