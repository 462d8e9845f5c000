"""Voilà's preheated kernels: a notebook runs before anyone opens the page."""

from __future__ import annotations

import os


def wait_for_request() -> None:
    """Under Voilà with preheated kernels, wait here until someone opens the page.

    A preheated kernel runs the notebook before anyone connects: the imports
    above are done ahead of time, but the store must be read when the page
    is asked for, not minutes earlier. Anywhere else this returns at once.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request as wait

    wait()
