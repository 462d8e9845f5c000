"""Voilà's preheated kernels: a notebook runs before anyone opens the page."""

from __future__ import annotations

import os
from collections.abc import Callable

#: Logged by voila_server once a preheated kernel waits for the first page;
#: `tappedin serve` prints its address only after it.
READY = "TAPPED IN: a kernel is ready for the first page"


def wait_for_request(warm_up: Callable[[], None] | None = None) -> None:
    """Under Voilà with preheated kernels, wait here until someone opens the page.

    A preheated kernel runs the notebook before anyone connects: the imports
    above are done ahead of time, but the store must be read when the page
    is asked for, not minutes earlier. ``warm_up`` is called first, while
    nobody waits (the app imports its tabs' modules there). Anywhere else
    this returns at once.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    if warm_up is not None:
        warm_up()
    from voila.utils import wait_for_request as wait

    wait()
