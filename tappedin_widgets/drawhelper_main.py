"""The helper process of :mod:`drawhelper`: ``python -m tappedin_widgets.drawhelper_main``.

It warms up, says so, then draws the charts it is sent until its stdin closes.
Apart from :mod:`drawhelper` so that the charts (which use the helper) and the
helper (which draws the charts) don't import each other.
"""

from __future__ import annotations

import os
import sys
from functools import partial

from .charts import CHARTS, empty_figure, figure_to_png, render_pngs
from .drawhelper import receive, send


def main() -> int:
    """Warm up, say so, then draw what comes on stdin until it closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break the protocol
    figure_to_png(empty_figure("Warming up", "Nothing to show."))  # fonts, caches
    send(stdout, ("ready", os.getpid()))
    while True:
        try:
            name, numbers, dpi = receive(stdin)
        except EOFError:
            return 0
        try:
            reply = ("ok", render_pngs({name: partial(CHARTS[name].plot, **numbers)},
                                       dpi=dpi)[name])
        except Exception as exc:  # noqa: BLE001 - told to the caller, who draws it itself
            reply = ("error", repr(exc))
        try:
            send(stdout, reply)
        except (BrokenPipeError, OSError):
            return 0


if __name__ == "__main__":
    sys.exit(main())
