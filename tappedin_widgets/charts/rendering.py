"""A Figure to PNG bytes: rasterised by Agg, encoded by Pillow (in a thread, while the
next chart is drawn)."""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

import matplotlib
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..batching import collector_paused
from .style import DPI, PNG_COMPRESSION, TEXT_HINTING


def figure_to_png(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes (for ``widgets.Image`` and downloads).

    Drawn once, at ``dpi``; the same pixels as ``fig.savefig(buf, format="png",
    dpi=dpi)`` with ``text.hinting`` set to :data:`TEXT_HINTING`. A figure
    with an opaque background (every chart here) is saved without the alpha
    channel, which only ever says "opaque", and with light compression:
    smaller files than savefig's, written in about half the time.
    """
    return _encode(*_rasterize(fig, dpi))


def render_pngs(makers: Mapping[str, Callable[[], Figure]], dpi: int = DPI) -> dict[str, bytes]:
    """Make each figure and return its PNG bytes, by name (the trends tab goes
    through :func:`render_charts`, which uses this).

    The same bytes as ``figure_to_png(make())`` for each, made faster two ways:

    - A figure is thousands of objects in reference cycles. While one is made
      and drawn the cyclic collector is paused; right after, a collection of
      the youngest generation (only the objects made since) frees it. Left
      alone, the collector promotes half-built figures to the oldest
      generation, and every few charts a full collection walks the whole
      heap (pandas, matplotlib, widgets): about 75 ms at a time.
    - Pillow compresses without holding the GIL, so chart n is compressed on
      another core while chart n+1 is drawn.
    """
    return render_each(makers.items(), dpi)


def render_each(makers: Iterable[tuple[str, Callable[[], Figure]]], dpi: int,
                on_drawn: Callable[[str, bytes], None] | None = None) -> dict[str, bytes]:
    """:func:`render_pngs` over (name, make) pairs, taken one at a time.

    ``on_drawn(name, png)`` is called here (the caller's thread) as each PNG is
    ready: the first at once, each next one once the chart after it is drawn
    (its compression overlaps that drawing), the last at the end.
    """
    pending: dict[str, Future[bytes]] = {}
    told: set[str] = set()

    def tell(name: str) -> None:
        if on_drawn is not None and name not in told:
            told.add(name)
            on_drawn(name, pending[name].result())

    try:
        previous = None
        for name, make in makers:
            with collector_paused():
                image = _rasterize(make(), dpi)
            if gc.isenabled():  # unless the caller turned it off
                gc.collect(0)
            pending[name] = _encoder().submit(_encode, *image)
            if previous is not None:
                tell(previous)
            elif on_drawn is not None:  # the first one is shown without waiting
                tell(name)
            previous = name
        if previous is not None:
            tell(previous)
        return {name: job.result() for name, job in pending.items()}
    finally:
        for job in pending.values():
            job.cancel()


def _rasterize(fig: Figure, dpi: int) -> tuple[PIL.Image.Image, bool]:
    """The figure drawn by Agg at ``dpi`` (no copy of the pixels), and whether it is opaque."""
    canvas = FigureCanvasAgg(fig)
    old = fig.dpi
    fig.dpi = dpi
    try:
        with matplotlib.rc_context({"text.hinting": TEXT_HINTING}):
            canvas.draw()
        image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                                     "raw", "RGBA", 0, 1)
    finally:
        fig.dpi = old
    return image, bool(fig.patch.get_visible() and fig.patch.get_facecolor()[3] == 1)


def _encode(image: PIL.Image.Image, opaque: bool) -> bytes:
    if opaque:
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_COMPRESSION)
    return buf.getvalue()


_ENCODER: ThreadPoolExecutor | None = None


def _encoder() -> ThreadPoolExecutor:
    """One thread that compresses PNGs (made on first use, idle otherwise)."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tappedin-png")
    return _ENCODER


# --------------------------------------------------------------------------
# a. Feedback themes: gaps and strengths
