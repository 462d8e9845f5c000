"""The real app, served by Voilà, used through headless Chromium like a person would."""

from __future__ import annotations

import re

import pytest
from webapp import chart_src, download, open_app, shot, tab

from tappedin_widgets.store import Store

pytestmark = pytest.mark.browser

TABS = ["Start here", "1 · Feedback", "2 · Follow-up", "3 · Self-reflection",
        "4 · Job reflection", "5 · Keep going", "Trends", "Your data"]


def test_the_app_opens_on_the_demo_and_says_so(page, demo_server):
    open_app(page, demo_server.url)
    page.get_by_text("You're looking at demo data").wait_for()
    assert "TAPPED IN" in page.title()
    assert page.js_errors == []


def test_every_tab_renders_and_is_kept_as_a_screenshot(page, demo_server):
    open_app(page, demo_server.url)
    for name in TABS:
        panel = tab(page, name)
        page.wait_for_timeout(1500)
        assert panel.locator(".tappedin-error").count() == 0 or name == "Your data", name
        slug = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
        shot(page, f"tab-{slug}")
    assert page.js_errors == []


def test_a_new_rejection_with_feedback_changes_the_theme_chart(page, demo_server):
    open_app(page, demo_server.url)
    trends = tab(page, "Trends")
    before = chart_src(trends, 0)

    start = tab(page, "Start here")
    start.get_by_role("button", name="Log a new one instead").click()
    start.get_by_label("Company").fill("Quillfeather Labs")
    start.get_by_label("Role", exact=True).fill("Insights Analyst")
    start.get_by_role("button", name="Save application").click()
    page.get_by_text(re.compile("Saved Quillfeather Labs")).wait_for()

    fb = tab(page, "1 · Feedback")
    fb.get_by_label("Their observations").fill(
        "Great energy, but we needed someone with deeper budgeting experience.")
    fb.get_by_label("Add a theme").select_option(label="Qualifications")
    fb.get_by_role("button", name="Gap (−)").click()
    fb.get_by_role("button", name="Add tag").click()
    save = fb.get_by_role("button", name="Save feedback")
    shot(page, "feedback-before-save")
    save.click()
    fb.get_by_text(re.compile("Feedback saved")).wait_for()

    with Store(demo_server.db) as s:
        app = s.table("applications").query("company == 'Quillfeather Labs'")
        tags = s.tags()
    app_id = int(app["id"].iloc[0])
    mine = tags[tags["application_id"] == app_id]
    assert ("qualifications", "-") in set(zip(mine["theme"], mine["polarity"].astype(str),
                                              strict=False))

    trends = tab(page, "Trends")
    page.wait_for_function(
        "(before) => { const i = document.querySelector('img.tappedin-chart');"
        " return i && i.src !== before; }", arg=before, timeout=60_000)
    assert chart_src(trends, 0) != before
    shot(page, "trends-after-new-feedback")


def test_a_reflection_is_still_there_after_a_reload(page, demo_server):
    open_app(page, demo_server.url)
    panel = tab(page, "3 · Self-reflection")
    box = panel.locator("textarea").first
    words = "I stayed calm when the case study went sideways, and asked good questions."
    box.fill(words)
    panel.get_by_text(re.compile(r"Saved at \d\d:\d\d")).wait_for(timeout=30_000)
    picked = panel.get_by_label("Application").input_value()

    page.reload()
    open_app(page, demo_server.url)
    panel = tab(page, "3 · Self-reflection")
    assert panel.get_by_label("Application").input_value() == picked
    page.wait_for_function(
        "(words) => Array.from(document.querySelectorAll('textarea'))"
        ".some(t => t.value === words)", arg=words, timeout=30_000)


def test_a_thank_you_note_is_composed_and_marked_sent(page, demo_server):
    open_app(page, demo_server.url)
    start = tab(page, "Start here")
    start.get_by_role("button", name="Log a new one instead").click()
    start.get_by_label("Company").fill("Brightwater Health")
    start.get_by_label("Role", exact=True).fill("Product Analyst")
    start.get_by_role("button", name="Save application").click()
    page.get_by_text(re.compile("Saved Brightwater Health")).wait_for()
    start.get_by_label("Name").fill("Noor Haddad")
    start.get_by_role("button", name="Add person").click()
    page.get_by_text("Saved Noor Haddad.").wait_for()

    note = tab(page, "2 · Follow-up")
    note.get_by_label("Something specific").fill("the conversation about patient onboarding")
    body = note.get_by_label("Note", exact=True)
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('textarea'))"
        ".some(t => t.value.includes('Noor'))", timeout=30_000)
    assert "Brightwater" in body.input_value()
    note.get_by_role("button", name="Save as draft").click()
    note.get_by_role("button", name="Mark sent").first.click()
    note.get_by_role("button", name="Save: sent").click()
    page.wait_for_timeout(1500)
    with Store(demo_server.db) as s:
        app = s.table("applications").query("company == 'Brightwater Health'")
        notes = s.table("follow_ups", application_id=int(app["id"].iloc[0]))
    assert list(notes["status"].astype(str)) == ["sent"]
    assert notes["reconnect_on"].iloc[0] > notes["sent_on"].iloc[0]
    assert "patient onboarding" in notes["body"].iloc[0]
    shot(page, "follow-up-sent")


def test_a_filter_narrows_every_chart(page, demo_server):
    open_app(page, demo_server.url)
    trends = tab(page, "Trends")
    trends.get_by_text(re.compile(r"Showing \d+ of \d+ applications")).wait_for()
    before = chart_src(trends, 1)  # the funnel (shown when Trends opens)
    trends.get_by_label("Outcome").select_option(["open"])
    # The summary is written once the charts show the filter (they are drawn after the
    # tab is on the page): wait for it to change, not just to be there.
    page.wait_for_function(
        "() => /Showing (\\d+) of (\\d+)/.test(document.body.innerText) && (([, a, b]) =>"
        " +a < +b)(document.body.innerText.match(/Showing (\\d+) of (\\d+)/))",
        timeout=60_000)
    page.wait_for_function(
        "(before) => { const i = document.querySelectorAll('img.tappedin-chart')[1];"
        " return i && i.src !== before; }", arg=before, timeout=60_000)
    text = trends.get_by_text(re.compile(r"Showing \d+ of \d+")).inner_text()
    shown, total = map(int, re.findall(r"\d+", text)[:2])
    assert 0 < shown < total
    shot(page, "trends-filtered")


def test_html_in_user_text_is_shown_as_text_and_runs_nothing(page, demo_server):
    open_app(page, demo_server.url)
    start = tab(page, "Start here")
    start.get_by_role("button", name="Log a new one instead").click()
    evil = '<img src=x onerror="window.__pwned=1">'
    start.get_by_label("Company").fill(evil)
    start.get_by_label("Role", exact=True).fill("<script>window.__pwned=2</script>")
    start.get_by_role("button", name="Save application").click()
    page.get_by_text(re.compile("Saved <img")).wait_for()
    tab(page, "5 · Keep going")
    page.wait_for_timeout(1500)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.get_by_text(evil).count() >= 1
    shot(page, "html-shown-as-text")


def test_the_app_loads_every_time_in_ten_loads_in_a_row(page, demo_server):
    for _ in range(10):
        open_app(page, demo_server.url, timeout=60_000)
    assert page.js_errors == []


def test_export_downloads_a_zip_and_a_chart_downloads_as_png(page, demo_server, tmp_path):
    import zipfile

    open_app(page, demo_server.url)
    data = tab(page, "Your data")
    data.get_by_role("button", name="Export everything").click()
    path = download(page, data.locator("a[download$='.zip']"), tmp_path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert "applications.csv" in names and "tappedin.xlsx" in names and "tappedin.json" in names

    trends = tab(page, "Trends")
    trends.get_by_role("button", name="Download…").first.click()  # made when asked
    png = trends.locator("a[download$='.png']").first
    png.wait_for(timeout=60_000)
    with page.expect_download() as info:
        png.click()
    chart = tmp_path / info.value.suggested_filename
    info.value.save_as(chart)
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_a_tracker_spreadsheet_is_uploaded_previewed_and_imported(page, demo_server, tmp_path):
    sheet = tmp_path / "teal-export.csv"
    sheet.write_text("Company,Position,Date Applied,Status\n"
                     "Larkspur Robotics,Product Analyst,2026-05-04,Rejected\n"
                     "Kestrel Maps,Data PM,2026-06-10,Interviewing\n")
    open_app(page, demo_server.url)
    data = tab(page, "Your data")
    with page.expect_file_chooser() as chooser:
        data.get_by_role("button", name=re.compile("Choose a file")).click()
    chooser.value.set_files(str(sheet))
    data.get_by_text(re.compile("Ready to import 2 applications")).first.wait_for(timeout=60_000)
    shot(page, "import-preview")
    data.get_by_role("button", name=re.compile(r"^Import")).click()
    data.get_by_text(re.compile("Imported 2 applications")).first.wait_for(timeout=60_000)
    with Store(demo_server.db) as s:
        companies = set(s.table("applications")["company"])
    assert {"Larkspur Robotics", "Kestrel Maps"} <= companies
