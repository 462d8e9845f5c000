"""The cohort on PostgreSQL in a real browser: two seekers' apps, and the coach's page."""

from __future__ import annotations

import pytest
from webapp import chart_text_px, open_app, shot, start_server, stop_server, tab


@pytest.fixture
def two_seekers(cohort_db):
    alice_name, alice = cohort_db.seeker()
    bob_name, bob = cohort_db.seeker(demo=False)
    bob.add("applications", company="Bobs Own Bakery", role="Baker")
    return alice, bob


def test_each_seeker_sees_only_their_own_search(two_seekers, page, tmp_path):
    alice, bob = two_seekers
    alice_companies = set(alice.table("applications")["company"])
    servers = []
    try:
        for who, store in (("alice", alice), ("bob", bob)):
            folder = tmp_path / who
            folder.mkdir()
            servers.append(start_server(store.url, folder, "--no-demo"))
        open_app(page, servers[0].url)
        panel = tab(page, "1 · Feedback")
        page.wait_for_timeout(500)
        shot(page, "cohort-alice-feedback")
        page.get_by_role("tab", name="Trends").click()
        page.locator("img.tappedin-chart").first.wait_for(timeout=60_000)
        shot(page, "cohort-alice-trends")
        open_app(page, servers[1].url)
        panel = tab(page, "1 · Feedback")
        page.wait_for_timeout(500)
        html = page.content()  # the application picker's options included
        assert "Bobs Own Bakery" in html
        assert not [c for c in alice_companies if c in html]
        assert panel is not None
        assert not page.js_errors
    finally:
        for server in servers:
            stop_server(server)
    assert bob.count("applications") == 1 and alice.count("applications") == 66


def test_the_coach_page_shows_counts_and_no_names(cohort_db, page, tmp_path):
    stores = [cohort_db.seeker()[1] for _ in range(5)]
    companies = set().union(*(set(s.table("applications")["company"]) for s in stores))
    server = start_server(cohort_db.coach_url(), tmp_path, "--coach")
    try:
        page.goto(server.url, timeout=90_000)
        page.get_by_text("job seekers", exact=False).first.wait_for(timeout=90_000)
        page.locator("img.tappedin-chart").nth(2).wait_for(timeout=60_000)
        assert page.locator("img.tappedin-chart").count() == 3
        page.wait_for_function("() => Array.from(document.querySelectorAll("
                               "'img.tappedin-chart')).every(i => i.naturalWidth > 0)")
        sizes = chart_text_px(page, page.locator("body").element_handle())
        assert len(sizes) == 3 and min(sizes) >= 11, sizes  # one per row, never shrunk
        text = page.locator("body").inner_text()
        html = page.content()
        assert "5 job seekers" in text
        assert not [c for c in companies if c in html]
        assert not [n for n in cohort_db.roles if n in html]
        assert "Traceback" not in text
        assert not page.js_errors
        shot(page, "coach")
    finally:
        stop_server(server)


def test_serving_the_coach_page_with_a_seekers_address_is_refused(cohort_db, tmp_path):
    import subprocess
    import sys

    _, store = cohort_db.seeker(demo=False)
    result = subprocess.run([sys.executable, "-m", "tappedin_widgets.cli", "--db", store.url,
                             "serve", "--coach"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "can't see cohort figures" in result.stderr
    assert "Traceback" not in result.stderr


