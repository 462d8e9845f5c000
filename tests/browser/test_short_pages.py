"""Issue 17: every tab of the demo is a short page (at most 3,000 px tall at 1400 px wide)."""

from __future__ import annotations

import pytest
from test_app import TABS
from test_trends import EVERY_IMAGE_LOADED, MAX_HEIGHT, WIDE, page_height
from webapp import open_app, shot, tab

pytestmark = pytest.mark.browser


def test_every_tab_is_at_most_3000_px_tall_at_1400_px_wide(browser, demo_server):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    heights: dict[str, int] = {}
    try:
        open_app(page, demo_server.url)
        for name in TABS:
            panel = tab(page, name)
            if name == "Trends":
                page.wait_for_function(EVERY_IMAGE_LOADED, arg=panel.element_handle(),
                                       timeout=120_000)
            page.wait_for_timeout(1500)  # the view's last updates
            heights[name] = page_height(page)
            shot(page, "height-" + name.split()[-1].lower())
    finally:
        page.goto("about:blank")  # the page shuts its kernel down
        context.close()
    print("heights at 1400 px:", heights)
    assert len(heights) == len(TABS)
    too_tall = {name: h for name, h in heights.items() if h > MAX_HEIGHT}
    assert too_tall == {}, f"taller than {MAX_HEIGHT} px: {too_tall}"
    assert all(h > 300 for h in heights.values()), heights  # each tab really drew
