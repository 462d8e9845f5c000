"""A hidden measuring hook for the session benchmark, off unless ``TAPPEDIN_PROBE=1``.

The browser cannot see inside the kernel, and Voilà's preheated pool runs
more than one kernel, so the benchmark asks the kernel behind its own page:
clicking the hidden button writes, into the hidden text box, this kernel's
pid, its resident memory and the number of live widgets (ipywidgets'
registry of widgets not yet closed, the ones the page's widget manager still
holds a model for). Nothing of this is built when the variable is unset.
"""

from __future__ import annotations

import json
import os
from typing import Any

import ipywidgets as w

ENV = "TAPPEDIN_PROBE"


def enabled() -> bool:
    """Whether the hook is asked for (by the benchmark, through the environment)."""
    return os.environ.get(ENV) == "1"


def rss_mb() -> float:
    """This process's resident set size in MB (Linux /proc)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def reading() -> dict[str, Any]:
    """What the benchmark records: after a collection, so only what is still held counts."""
    from .diagnostics import live_widgets  # collects garbage first

    return {"pid": os.getpid(), "widgets": live_widgets(), "rss_mb": round(rss_mb(), 1)}


def probe_widget() -> w.Widget | None:
    """The hidden button and read-out, or None when the hook is off."""
    if not enabled():
        return None
    hidden = w.Layout(display="none")
    out = w.Textarea(value="", layout=hidden)
    out.add_class("tappedin-probe-out")
    ask = w.Button(description="probe", layout=w.Layout(display="none"))
    ask.add_class("tappedin-probe")
    count = [0]

    def measure(_button: Any) -> None:
        count[0] += 1
        out.value = json.dumps({"n": count[0], **reading()})

    ask.on_click(measure)
    return w.HBox([ask, out], layout=w.Layout(display="none"))
