"""Redraw the README's screenshots from the served demo (run from the checkout):

    .venv/bin/python docs/draw_screenshots.py

Each tab is opened in headless Chromium at 1280 px wide and kept whole (the window is
made as tall as the app, since Voila scrolls inside its own container), in
docs/screenshots/tab-<name>.png. Trends waits for every chart image it shows.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from webapp import chromium, open_app, start_server, stop_server, tab  # noqa: E402

TABS = ["Start here", "1 · Feedback", "2 · Follow-up", "5 · Keep going", "Trends"]
CHARTS_LOADED = """() => Array.from(document.querySelectorAll('img.tappedin-chart'))
  .filter(i => i.offsetParent !== null).every(i => i.complete && i.naturalWidth > 0)"""
WIDTH = 1280


def main() -> None:
    out = ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(Path(folder) / "tappedin.db", Path(folder))
        try:
            with chromium() as browser:
                page = browser.new_page(viewport={"width": WIDTH, "height": 900})
                open_app(page, server.url)
                for name in TABS:
                    tab(page, name)
                    if name == "Trends":
                        page.wait_for_function(CHARTS_LOADED, timeout=120_000)
                    page.wait_for_timeout(2000)
                    height = page.evaluate("Math.ceil(document.querySelector("
                                           "'.tappedin-root').getBoundingClientRect()"
                                           ".bottom) + 16")
                    page.set_viewport_size({"width": WIDTH, "height": height})
                    page.wait_for_timeout(500)
                    slug = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
                    page.screenshot(path=str(out / f"tab-{slug}.png"))
                    page.set_viewport_size({"width": WIDTH, "height": 900})
                    print(f"tab-{slug}.png: {WIDTH} x {height}")
                page.goto("about:blank")
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
