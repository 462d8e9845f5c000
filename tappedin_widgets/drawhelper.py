"""A second process that draws charts while this one draws the others.

Drawing a chart is Python holding the GIL from start to end (matplotlib
lays out and renders text glyph by glyph), so a thread cannot share the
work; a process can. :func:`share` puts the charts to draw in one queue:
this process takes them from the front, the helper from the back, so both
finish at about the same time. The helper gets a chart's numbers (small
frames) and sends back PNG bytes, the same bytes this process would make.

The helper is ``python -m tappedin_widgets.drawhelper_main``, talking pickles
over its stdin and stdout: nothing of the caller's ``__main__`` is run
again in it (as a ``multiprocessing`` spawn would), and it leaves as soon
as its stdin closes, so a kernel that Voilà or JupyterHub kills takes its
helper with it. It is started on first use and warms up in the background:
until it is ready, and for good once it fails (killed, out of memory, too
slow), every chart is drawn here as before and nothing is lost.

A thread waits on it, so once it ends it is reaped at once: a kernel asked to
shut down signals its children and waits until none is left, and an ended but
unreaped child (a zombie) still counts as one.

It costs a second Python process with pandas and matplotlib (about 120 MB
of memory). It is not started on a machine with one core, nor with
``TAPPEDIN_DRAW_HELPER=0``.

Why not ``concurrent.futures.ProcessPoolExecutor(1)`` (issue 16 asked; kept
as it is). Its ``spawn`` and ``forkserver`` workers import the caller's
``__main__`` again. A script without a main guard then runs twice and the
pool breaks: this was tried on 2026-11-30, with both contexts giving
``BrokenProcessPool`` and "ran" written twice (see
``test_a_script_without_a_main_guard_is_not_run_again``). ``fork`` copies a
kernel that has threads running (ZMQ, the PNG encoder), which Python 3.12
deprecates because the child may deadlock. A killed worker breaks the whole
pool, so the fall-back code below would stay anyway. What the pool would
replace is the framing: ``send`` and ``receive``, about 20 lines. For the
gain the helper brings, see benchmarks/RESULTS.md (bench_trends, helper on
and off).
"""

from __future__ import annotations

import collections
import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("tappedin.drawhelper")

ENV = "TAPPEDIN_DRAW_HELPER"
TIMEOUT_S = 60.0          # a chart the helper takes longer on is drawn here, and it is let go
WARM_UP_TIMEOUT_S = 120.0
_HEADER = struct.Struct("!Q")


class HelperFailed(Exception):
    """The helper process is gone or broke the protocol."""


def send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


# --------------------------------------------------------------------------
# In the caller's process


def wanted() -> bool:
    """Whether a helper may be used here: two cores or more, and not turned off."""
    if os.environ.get(ENV, "").strip().lower() in {"0", "no", "off", "false"}:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return cores >= 2


class Helper:
    """One helper process and the pipes to it; used by one caller at a time."""

    def __init__(self) -> None:
        package_parent = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_parent, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tappedin_widgets.drawhelper_main"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.busy = threading.Lock()
        self.warm = threading.Event()
        self.failed: str | None = None
        self.drawn = 0  # charts it has drawn, for benchmarks and tests
        threading.Thread(target=self._wait_until_warm, name="tappedin-helper-start",
                         daemon=True).start()
        # Reaped the moment it ends: a kernel asked to shut down (ipykernel's
        # shutdown_request) signals its children and waits until psutil lists none; an
        # ended but unreaped helper stays listed (a zombie), so the kernel would wait
        # about 29 s and be killed by its manager first, its exit hooks (the store's
        # checkpoint) not run. The likely cause of test_serve's clean-stop failure with a
        # helper started early (9ecff84); test_drawhelper checks no zombie is left.
        threading.Thread(target=self._reap, name="tappedin-helper-reaper", daemon=True).start()

    def _reap(self) -> None:
        try:
            self.process.wait()
        except Exception:  # noqa: BLE001 - nothing to reap, nothing to do
            pass

    def _wait_until_warm(self) -> None:
        try:
            message = receive(self.process.stdout)
            if message != ("ready", self.process.pid):
                raise HelperFailed(f"said {message!r} instead of being ready")
        except Exception as exc:  # noqa: BLE001 - any failure: it is not used
            self.stop(f"did not start ({exc!r})")
        finally:
            self.warm.set()

    @property
    def pid(self) -> int:
        return self.process.pid

    def draw(self, name: str, numbers: dict[str, Any], dpi: int) -> bytes:
        """One chart's PNG, drawn by the helper. Raises HelperFailed if it is gone;
        an error from the drawing itself comes back as ``RuntimeError``."""
        try:
            send(self.process.stdin, (name, numbers, dpi))
            status, payload = receive(self.process.stdout)
        except (OSError, EOFError, pickle.PickleError, ValueError) as exc:
            raise HelperFailed(repr(exc)) from exc
        if status == "ok":
            self.drawn += 1
            return payload
        raise RuntimeError(f"the helper could not draw {name!r}: {payload}")

    def stop(self, why: str) -> None:
        if self.failed is None:
            self.failed = why
            log.warning("Drawing every chart in this process from now on: the helper %s", why)
        if self.process.poll() is None:
            self.process.kill()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - kill is not ignored
            pass


_lock = threading.Lock()
_helper: Helper | None = None


def ready(wait: bool = False) -> Helper | None:
    """The helper if it is up, warm and idle, else None; the first call starts it.

    With ``wait``, block until it is warm (benchmarks and tests: the app never
    waits, it draws here meanwhile).
    """
    global _helper
    if not wanted():
        return None
    with _lock:
        if _helper is None:
            _helper = Helper()
        helper = _helper
    if wait:
        helper.warm.wait(WARM_UP_TIMEOUT_S)
    if not helper.warm.is_set() or helper.failed is not None:
        return None
    return helper


def stop() -> None:
    """Let the helper go (the next :func:`ready` starts a new one)."""
    global _helper
    with _lock:
        helper, _helper = _helper, None
    if helper is not None:
        helper.stop("was stopped")


def share(names: list[str], draw_here: Callable[[collections.deque[str]], dict[str, bytes]],
          numbers: dict[str, dict[str, Any]], dpi: int) -> dict[str, bytes]:
    """PNGs of ``names``: ``draw_here`` takes names from the front of the queue it is
    given, the helper (when it is ready and idle) from the back."""
    queue: collections.deque[str] = collections.deque(names)
    helper = ready() if len(names) > 1 else None
    if helper is None or not helper.busy.acquire(blocking=False):
        return draw_here(queue)
    theirs: dict[str, bytes] = {}
    left: list[str] = []  # taken by the helper, then not drawn by it

    def work() -> None:
        while True:
            try:
                name = queue.pop()
            except IndexError:
                return
            try:
                theirs[name] = helper.draw(name, numbers[name], dpi)
            except HelperFailed as exc:
                helper.stop(f"failed on {name!r}: {exc}")
                left.append(name)
                return
            except Exception:  # noqa: BLE001 - the drawing failed there: it is redone here
                left.append(name)

    thread = threading.Thread(target=work, name="tappedin-helper-feed", daemon=True)
    try:
        thread.start()
        ours = draw_here(queue)
    finally:
        queue.clear()  # empty already, unless drawing here failed: then stop there too
        thread.join(TIMEOUT_S)
        if thread.is_alive():
            helper.stop(f"took more than {TIMEOUT_S:g} s on a chart")
            thread.join()
        helper.busy.release()
    missing = [n for n in names if n not in ours and n not in theirs]
    if missing:
        ours.update(draw_here(collections.deque(missing)))
    return {name: theirs[name] if name in theirs else ours[name] for name in names}
