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

It also serves the page without Voilà's links to a CDN (``voila_template/``:
nothing leaves the machine), and logs ``preheat.READY`` once the preheated kernel
is waiting for the first page, so `tappedin serve` prints its address only
when a page can be served at once.

Run as ``python -m tappedin_widgets.voila_server NOTEBOOK [Voilà options]``.
"""

from __future__ import annotations

import asyncio
import html
import time
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web
from traitlets import Float, Int
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.handler import TornadoVoilaHandler

from .preheat import READY

#: The page template: Voilà's lab template without its CDN links.
TEMPLATE_DIR = Path(__file__).resolve().parent / "voila_template"

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


def ready_kernel(kernel_manager: Any) -> str | None:
    """The id of a preheated kernel that can serve a page now, if there is one.

    Ready means it ran the notebook up to ``preheat.wait_for_request`` (imports and
    warm-up done) and is connected, waiting for the page's request; or it ran the
    whole notebook (one that does not wait).
    """
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for task in pool:
            if not task.done() or task.cancelled() or task.exception() is not None:
                continue
            content = task.result()
            kernel_id = content.get("kernel_id")
            if kernel_id in RequestInfoSocketHandler._waiters or content["task"].done():
                return kernel_id
    return None


class TappedInVoila(Voila):
    """Voilà with :class:`WindowHandler` serving the notebook, CDN-free, saying when ready."""

    max_windows = Int(6, config=True,
                      help="How many pages may hold a kernel at once (0: no limit).")
    ready_timeout = Float(300, config=True,
                          help="Seconds to wait for a ready kernel before saying ready anyway.")

    def setup_template_dirs(self) -> None:
        super().setup_template_dirs()
        self.template_paths.insert(0, str(TEMPLATE_DIR))

    def listen(self) -> None:
        # Voilà's listen() starts the event loop and returns only when it stops.
        tornado.ioloop.IOLoop.current().add_callback(self._say_when_ready)
        super().listen()

    async def _say_when_ready(self) -> None:
        start = time.monotonic()
        preheat = self.voila_configuration.preheat_kernel
        while preheat and time.monotonic() - start < self.ready_timeout:
            kernel_id = ready_kernel(self.kernel_manager)
            if kernel_id is not None:
                self.log.info("%s (%s, after %.1f s)", READY, kernel_id,
                              time.monotonic() - start)
                return
            await asyncio.sleep(0.1)
        if preheat:  # a kernel that never got ready: its page will say why
            self.log.warning("No kernel was ready after %.0f s; the first page may be slow.",
                             self.ready_timeout)
        self.log.info("%s (without waiting)", READY)

    def init_handlers(self) -> list:
        return [(h[0], WindowHandler, *h[2:])
                if isinstance(h, tuple) and h[1] is TornadoVoilaHandler else h
                for h in super().init_handlers()]


main = TappedInVoila.launch_instance

if __name__ == "__main__":  # pragma: no cover - run by `tappedin serve`
    main()
