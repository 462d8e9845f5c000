"""The real app, served by Voilà, used through headless Chromium like a person would."""

from __future__ import annotations

import re

import pytest

from tappedin_widgets.store import Store

from webapp import open_app, shot

pytestmark = pytest.mark.browser


def test_the_app_opens_on_the_demo_and_says_so(page, demo_server):
    open_app(page, demo_server.url)
    page.get_by_text("You're looking at demo data").wait_for()
    assert "TAPPED IN" in page.title()
    shot(page, "tab-start-here")
    assert page.js_errors == []


def test_logging_a_new_rejection_in_start_here_saves_it(page, demo_server):
    open_app(page, demo_server.url)
    with Store(demo_server.db) as s:
        before = s.count("applications")
    page.get_by_role("button", name="Log a new one instead").click()
    page.get_by_label("Company").fill("Quillfeather Labs")
    page.get_by_label("Role", exact=True).fill("Insights Analyst")
    save = page.get_by_role("button", name="Save application")
    save.click()
    page.get_by_text(re.compile("Saved Quillfeather Labs")).wait_for()
    with Store(demo_server.db) as s:
        apps = s.table("applications")
    assert len(apps) == before + 1
    row = apps[apps["company"] == "Quillfeather Labs"].iloc[0]
    assert (row["role"], row["outcome"]) == ("Insights Analyst", "rejected")
