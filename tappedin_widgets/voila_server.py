"""Voilà as `tappedin serve` runs it: open windows don't pile up kernels.

Each page of the app runs in a kernel of its own (about 200 MB). Plain Voilà
keeps every one of them until it is culled: a page that is reloaded or
closed asks for its kernel to be shut down, but the request was refused
(the page sends the ``_xsrf`` cookie back, and Voilà never set it when the
page came from a preheated kernel). Here:

* the page request sets that cookie, so a closed or reloaded page's kernel
  is shut down at once;
* a kernel nobody is connected to (a plain GET, a page whose shutdown
  request was lost) is culled after ``cull_idle_timeout`` (``cli.voila_command``
  sets 40 s, checked every 10 s: gone within a minute);
* at most ``max_windows`` pages hold a kernel at once; one more gets a short
  page saying so (503) instead of another kernel. The preheated pool (one
  kernel, warmed up before anyone asks) does not count.

Run as ``python -m tappedin_widgets.voila_server NOTEBOOK [Voilà options]``.
"""

from __future__ import annotations

import html
from typing import Any

import tornado.web
from traitlets import Int
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

TOO_MANY_WINDOWS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TAPPED IN: too many open windows</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto;
 padding: 0 1em; line-height: 1.5">
<h1 style="font-size: 1.4em">Too many open windows</h1>
<p>TAPPED IN is already open in {count} windows or tabs, the most it keeps open at once
(each one holds a share of this computer's memory).</p>
<p>Close the ones you don't need: their space is freed within a minute. Then
<a href="">reload this page</a>. Nothing you saved is affected.</p>
</body></html>
"""


def windows_open(kernel_manager: Any) -> int:
    """Kernels held by pages: every running kernel except those waiting in the preheated pool.

    A pool kernel is handed out when its start-up task is taken from the pool,
    and a task gets its kernel id as the kernel starts (in the same step), so a
    kernel is either a finished pool task's or a page's.
    """
    pooled = set()
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for task in pool:
            if task.done() and not task.cancelled() and task.exception() is None:
                pooled.add(task.result().get("kernel_id"))
    return len(set(kernel_manager.list_kernel_ids()) - pooled)


class WindowHandler(TornadoVoilaHandler):
    """The app's page: within the window cap, and able to close its own kernel later."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        # Sets the _xsrf cookie (before anything is flushed): the page sends it
        # back with its shutdown request when it is closed or reloaded.
        _ = self.xsrf_token
        limit = self.settings["voila"].max_windows
        count = windows_open(self.kernel_manager)
        if limit > 0 and count >= limit:
            self.log.warning("refused a page: %s windows are open (the most is %s)",
                             count, limit)
            self.set_status(503)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.set_header("Retry-After", "60")
            self.finish(TOO_MANY_WINDOWS.format(count=html.escape(str(count))))
            return
        await super().get(path)


class TappedInVoila(Voila):
    """Voilà with :class:`WindowHandler` serving the notebook."""

    max_windows = Int(6, config=True,
                      help="How many pages may hold a kernel at once (0: no limit).")

    def init_handlers(self) -> list:
        return [(h[0], WindowHandler, *h[2:])
                if isinstance(h, tuple) and h[1] is TornadoVoilaHandler else h
                for h in super().init_handlers()]


main = TappedInVoila.launch_instance

if __name__ == "__main__":  # pragma: no cover - run by `tappedin serve`
    main()
