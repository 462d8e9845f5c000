"""Trends in the browser: a short page, and every chart with a text alternative."""

from __future__ import annotations

from webapp import chart_text_px, open_app, shot, tab

from tappedin_widgets.views.trends import TrendsView

WIDE = {"width": 1400, "height": 900}
MAX_HEIGHT = 3000  # issue 17: every tab at most this tall at 1400 px wide, on the demo

EVERY_IMAGE_LOADED = """(panel) => {
  const all = Array.from(panel.querySelectorAll('img.tappedin-chart'))
    .filter(i => i.offsetParent !== null);
  return all.length > 0 && all.every(i => i.complete && i.naturalWidth > 0);
}"""

CHART_ALTERNATIVES = """(panel) => Array.from(panel.querySelectorAll('img.tappedin-chart'))
  .filter(i => i.offsetParent !== null)
  .map(i => i.getAttribute('alt') || i.getAttribute('aria-label') || i.getAttribute('title')
            || '')"""


def page_height(page) -> int:
    """The whole app's height (header, notice, tabs and the open tab): Voila's page
    scrolls inside a container, so the document itself stays one window tall."""
    return int(page.evaluate("Math.ceil(document.querySelector('.tappedin-root')"
                             ".getBoundingClientRect().height)"))


def test_trends_is_a_short_page_and_every_chart_has_its_numbers_in_words(browser,
                                                                         demo_server):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    try:
        open_app(page, demo_server.url)
        trends = tab(page, "Trends")
        handle = trends.element_handle()
        page.wait_for_function(EVERY_IMAGE_LOADED, arg=handle, timeout=120_000)
        height = page_height(page)
        shot(page, "trends-1400")
        assert 1000 < height <= MAX_HEIGHT, f"Trends is {height} px tall at 1400 px wide"
        assert "Manage themes" in trends.inner_text()  # says where themes are managed

        shown = page.evaluate(CHART_ALTERNATIVES, handle)
        assert len(shown) == len(TrendsView.TOP) and all(len(text) > 40 for text in shown), shown
        assert any("How far your 66 applications got" in text for text in shown), shown
        sizes = chart_text_px(page, handle)
        assert len(sizes) == 2 and min(sizes) >= 11, sizes

        trends.get_by_text("More charts").click()
        page.wait_for_function(
            "(panel) => Array.from(panel.querySelectorAll('img.tappedin-chart'))"
            ".filter(i => i.offsetParent !== null).length === 7", arg=handle, timeout=60_000)
        page.wait_for_function(EVERY_IMAGE_LOADED, arg=handle, timeout=120_000)
        opened = page_height(page)
        assert opened <= MAX_HEIGHT, f"{opened} px tall with every chart shown"
        # Every chart's smallest text is at least 11 px on screen: each is drawn at the
        # width it is shown (two to a row), not shrunk by the browser.
        for width in (1400, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)
            sizes = chart_text_px(page, handle)
            assert len(sizes) == 7 and min(sizes) >= 11, (width, sizes)
        shot(page, "trends-every-chart-1280")
        every = page.evaluate(CHART_ALTERNATIVES, handle)
        assert len(every) == 7 and all(len(text) > 40 for text in every), every
        assert all("not drawn" not in text for text in every), every
        # The same words, visible to anyone who opens them.
        trends.get_by_text("How far you get in words").click()
        assert trends.get_by_text("How far your 66 applications got").first.is_visible()
    finally:
        context.close()


def test_themes_are_managed_from_step_1(browser, demo_server):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    try:
        open_app(page, demo_server.url)
        step1 = tab(page, "1 · Feedback")
        step1.get_by_text("Manage themes").click()
        step1.get_by_role("button", name="Rename").first.wait_for(timeout=60_000)
        step1.get_by_label("Theme name").fill("Portfolio")
        step1.get_by_role("button", name="Add theme").click()
        step1.get_by_text("Added the theme “Portfolio”").wait_for(timeout=30_000)
        # The tagger offers it (its options follow the status message by a moment).
        step1.get_by_label("Add a theme").locator("option", has_text="Portfolio") \
            .wait_for(state="attached", timeout=30_000)
    finally:
        context.close()
