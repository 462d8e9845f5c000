"""Themes: feedback-theme suggestions per second over the development set.

    python3 benchmarks/bench_themes.py [--quick]

Every text of benchmarks/data/feedback_dev.jsonl through ``suggest_themes``,
ten times over, best of three (``themes_quality.throughput``); and the
realistic mix of 1-6 sentences that themes_speed.py uses. The suggester's
own target (themes_quality.py) is 2,000 texts per second.
"""

from __future__ import annotations

import sys

import benchlib
from benchlib import Report
from themes_quality import (  # noqa: E402
    DEV,
    HELDOUT,
    TARGET_TEXTS_PER_SECOND,
    load_items,
    realistic_mix,
    throughput,
)


def main(argv: list[str] | None = None) -> int:
    args = benchlib.parser(__doc__.splitlines()[0]).parse_args(argv)
    report = Report("themes")
    dev = [item.text for item in load_items(DEV)]
    rate = throughput(dev * (3 if args.quick else 10))
    words = sum(len(t.split()) for t in dev) / len(dev)
    report.add("suggest_themes, dev set", rate, "texts/s", target=f">= {TARGET_TEXTS_PER_SECOND:,}",
               ok=rate >= TARGET_TEXTS_PER_SECOND,
               note=f"{len(dev)} texts, {words:.0f} words on average")
    mix = realistic_mix(load_items(DEV) + load_items(HELDOUT), n=1_000 if args.quick else 4_000)
    rate = throughput(mix)
    report.add("suggest_themes, mix of 1-6 sentences", rate, "texts/s",
               target=f">= {TARGET_TEXTS_PER_SECOND:,}", ok=rate >= TARGET_TEXTS_PER_SECOND,
               note=f"{len(mix):,} texts")
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
