"""Measuring a session from code: store reads and live widgets (tests and benchmarks).

Nothing here runs in the app itself.
"""

from __future__ import annotations

import collections
import gc
from typing import Any

from ipywidgets.widgets.widget import _instances

#: The store's read methods: every call is one query (or one transaction).
STORE_READS = ("table", "get", "tags", "themes", "frames", "reflection", "setting", "count")


def live_widgets() -> int:
    """Widgets alive in this kernel (ipywidgets' registry), after a garbage collection."""
    gc.collect()
    return len(_instances)


class StoreReads:
    """Counts calls of a store's read methods (wrapped on that one instance)."""

    def __init__(self, store: Any):
        self.calls: collections.Counter[str] = collections.Counter()
        for name in STORE_READS:
            method = getattr(store, name)

            def counted(*args: Any, _m: Any = method, _n: str = name, **kwargs: Any) -> Any:
                self.calls[_n] += 1
                return _m(*args, **kwargs)
            setattr(store, name, counted)

    def take(self) -> collections.Counter[str]:
        """The calls since the last take."""
        out, self.calls = self.calls, collections.Counter()
        return out
