"""Speed of the theme suggester by text length, with custom themes, on huge text, and discovery.

    python3 benchmarks/themes_speed.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from themes_quality import DEV, HELDOUT, load_items, realistic_mix, throughput  # noqa: E402

from tappedin_widgets.themes import CustomTheme, discover_groups, suggest_themes  # noqa: E402


def _best_seconds(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
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
