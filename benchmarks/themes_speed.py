"""Speed of the theme suggester: on the real corpus's train and dev texts (the target),
by text length, with custom themes, on huge text, and discovery.

    python3 benchmarks/themes_speed.py

The corpus figures are the median of 5 passes, by the wall clock and per second of this
process's CPU time (fairer on a shared machine); the test split is not read.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from themes_eval import throughput as median_throughput  # noqa: E402
from themes_quality import DEV, HELDOUT, load_items, realistic_mix, throughput  # noqa: E402

from tappedin_widgets.theme_train import DEFAULT_CORPUS, load_corpus  # noqa: E402
from tappedin_widgets.themes import CustomTheme, discover_groups, suggest_themes  # noqa: E402


def _best_seconds(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{now}, load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    corpus = load_corpus(DEFAULT_CORPUS)
    print(f"{'real corpus (median of 5)':44}{'texts/s':>12}{'per CPU-s':>12}{'words':>8}")
    for split in ("train", "dev"):
        texts = [i.text for i in corpus if i.split == split]
        wall, cpu = median_throughput(texts)
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(f"{f'{split} texts ({len(texts):,})':44}{wall:>12,.0f}{cpu:>12,.0f}{words:>8.0f}")
    print(f"load average after: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    items = load_items(DEV) + load_items(HELDOUT)
    print(f"{'case':44}{'texts/s':>12}")
    print(f"{'labelled texts as written':44}{throughput([i.text for i in items] * 10):>12,.0f}")
    mix = realistic_mix(items, n=4_000)
    print(f"{'mix, 1-6 sentences':44}{throughput(mix):>12,.0f}")
    for n in (1, 3, 6):
        rng = random.Random(n)
        sentences = [t for t in mix if t.count(". ") == 0][:2_000]
        texts = [" ".join(rng.choice(sentences) for _ in range(n)) for _ in range(2_000)]
        print(f"{f'exactly {n} sentence(s)':44}{throughput(texts):>12,.0f}")

    custom = [CustomTheme(f"custom_{k}", f"Custom {k}", "",
                          (f"phrase {k}", f"another term {k}", "product sense"))
              for k in range(20)]
    start = time.perf_counter()
    for text in mix:
        suggest_themes(text, custom)
    print(f"{'mix with 20 custom themes':44}{len(mix) / (time.perf_counter() - start):>12,.0f}")

    print()
    huge = "Strong SQL but nervous in the room. " * 30_000
    print(f"1 MB of feedback: {_best_seconds(lambda: suggest_themes(huge)) * 1000:.1f} ms")
    blob = "x" * 1_000_000
    print(f"1 MB without spaces: {_best_seconds(lambda: suggest_themes(blob)) * 1000:.1f} ms")
    texts = [i.text for i in items] * 3
    print(f"discover_groups on {len(texts[:1000])} texts: "
          f"{_best_seconds(lambda: discover_groups(texts), repeat=1):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
