"""Open windows don't pile up kernels: a reloaded or closed page's kernel goes at once,
an open page's kernel stays for as long as the page is open."""

from __future__ import annotations

import time

import pytest
from webapp import kernel_count, open_app, start_server, stop_server, tab, wait_for_kernels

POOL = 1  # the preheated kernel kept ready for the next page


@pytest.mark.slow
def test_reloads_shut_old_kernels_down_and_an_open_page_keeps_its_own(page, tmp_path):
    server = start_server(tmp_path / "t.db", tmp_path)
    try:
        open_app(page, server.url)
        for _ in range(5):
            page.reload()
            page.get_by_role("tab", name="Start here").wait_for(timeout=90_000)
        # without the shutdown request, each reload left its kernel for the idle cull;
        # here the old ones are gone long before that could happen (40 s)
        waited = wait_for_kernels(server, POOL + 1, within=20)
        assert waited < 20
        # an open page keeps its kernel past the cull of kernels nobody is connected to
        time.sleep(65)
        assert kernel_count(server) == POOL + 1
        panel = tab(page, "Your data")
        assert panel.get_by_text("Export").first.is_visible()
        page.goto("about:blank")  # the tab is closed
        wait_for_kernels(server, POOL, within=20)
    finally:
        stop_server(server)
