"""Limits: worst-case inputs stay fast (the wall-clock checks unit tests used to make).

    python3 benchmarks/bench_limits.py [--json OUT]

Each case is timed once after a warm-up (best of ``--repeat``, default 3) against
the budget its unit test asserted before issue 16 moved timing out of the test
suite; the tests still check the results. A missed budget exits 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import benchlib
from benchlib import Report

from tappedin_widgets import charts  # noqa: E402
from tappedin_widgets.themes import CustomTheme, discover_groups, suggest_themes  # noqa: E402
from tappedin_widgets.views.self_reflection import split_questions  # noqa: E402

sys.path.insert(0, str(benchlib.ROOT / "tests"))
from test_charts import synthetic_data  # noqa: E402

MANY = CustomTheme("many", "Many", "", tuple(f"phrase number {i}" for i in range(500)))
WORST_TEXTS = {
    "generic cue beside a specific one, everywhere": "experience sql " * 70_000,
    "300,000 negators": "not " * 300_000,
    "100,000 comparatives": "more strong " * 100_000,
    "100,000 bullets": "\n- weak sql\n+ great sql" * 50_000,
}


def _discovery_texts() -> list[str]:
    return ([f"Concerns about the gap in your CV number {i % 7}" for i in range(400)]
            + [f"Reference check delayed for region {i % 5}" for i in range(400)])


def _all_charts(data: Any) -> None:
    for spec in charts.CHARTS.values():
        charts.figure_to_png(spec.draw(data))


def cases() -> list[tuple[str, Callable[[], Any], float]]:
    """(what, how, budget in seconds): each the budget its unit test asserted."""
    thousand = synthetic_data(1000, seed=11)
    out: list[tuple[str, Callable[[], Any], float]] = [
        ("suggest_themes, 1 MB of feedback",
         lambda: suggest_themes("Strong SQL but nervous in the room. " * 30_000), 2.0),
        ("suggest_themes, 1 MB without spaces and 1 MB past MAX_CHARS",
         lambda: (suggest_themes("x" * 1_000_000),
                  suggest_themes(("word " * 200_000) + "strong SQL")), 2.0),
        ("suggest_themes, 500 custom phrases on 320 KB",
         lambda: suggest_themes("phrase number 3 " * 20_000, [MANY]), 2.0),
        ("discover_groups, 800 texts", lambda: discover_groups(_discovery_texts()), 10.0),
        ("split_questions, a 1.2 MB answer", lambda: split_questions("'a " * 400_000), 2.0),
        ("every chart of 1,000 applications, drawn to PNG", lambda: _all_charts(thousand), 30.0),
    ]
    for what, text in WORST_TEXTS.items():
        out.append((f"suggest_themes, {what}", lambda text=text: suggest_themes(text), 2.0))
    return out


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    report = Report("limits")
    suggest_themes("warm up: the model is loaded once")
    missed = 0
    for what, fn, budget in cases():
        seconds, _ = benchlib.best(fn, args.repeat)
        ok = seconds < budget
        missed += not ok
        report.add(what, seconds, "s", target=f"< {budget:g} s", ok=ok)
    report.save(args.json)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
