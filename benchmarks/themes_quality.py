"""Quality and speed of the feedback-theme suggester on labelled sets.

    python3 benchmarks/themes_quality.py            # both sets, table, exit 1 if a target is missed
    python3 benchmarks/themes_quality.py --errors   # also list the dev-set mistakes

The held-out set (benchmarks/data/feedback_heldout.jsonl) was written before
the suggester and is never used for tuning: ``--errors`` shows dev mistakes
only, unless ``--errors-split heldout`` is asked for explicitly.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tappedin_widgets.models import THEME_IDS  # noqa: E402
from tappedin_widgets.theme_train import Counts, Item, Pair, Scores, load_items  # noqa: E402
from tappedin_widgets.themes import suggest_themes  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "feedback_dev.jsonl"
HELDOUT = DATA / "feedback_heldout.jsonl"

#: Targets on the held-out set.
TARGET_THEME_F1 = 0.85
TARGET_PAIR_F1 = 0.75
TARGET_TEXTS_PER_SECOND = 2_000


@dataclass(frozen=True)
class Report:
    name: str
    n: int
    scores: Scores
    exact: int

    @property
    def theme(self) -> Counts:
        return self.scores.theme

    @property
    def pair(self) -> Counts:
        return self.scores.pair

    @property
    def per_theme(self) -> dict[str, Counts]:
        return self.scores.per_theme

    @property
    def macro_f1(self) -> float:
        return self.scores.macro_f1


def predict(text: str) -> frozenset[Pair]:
    return frozenset((t.theme, t.polarity) for t in suggest_themes(text))


def evaluate(items: Sequence[Item], name: str = "",
             predictor: Callable[[str], frozenset[Pair]] = predict) -> tuple[Report, list]:
    """Score predictions against labels (``theme_train.Scores``, the one counter every theme
    benchmark uses); also return the mistakes (item, predicted)."""
    scores = Scores()
    mistakes, exact = [], 0
    for item in items:
        got = predictor(item.text)
        scores.add(item.tags, got)
        if got == item.tags:
            exact += 1
        else:
            mistakes.append((item, got))
    return Report(name, len(items), scores, exact), mistakes


def realistic_mix(items: Sequence[Item], n: int = 4_000, seed: int = 7) -> list[str]:
    """Feedback texts of 1-6 sentences drawn from the labelled sentences (seeded)."""
    sentences = [s for it in items for s in re.split(r"(?<=[.!?])\s+", it.text) if s.strip()]
    rng = random.Random(seed)
    return [" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 6))) for _ in range(n)]


def throughput(texts: Sequence[str], repeat: int = 3) -> float:
    """Best of ``repeat`` runs, texts per second, one process."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            suggest_themes(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def _table(reports: Sequence[Report]) -> str:
    lines = []
    head = f"{'':26}" + "".join(f"{r.name:>22}" for r in reports)
    lines.append(head)
    lines.append(f"{'items':26}" + "".join(f"{r.n:>22}" for r in reports))
    lines.append(f"{'exact match (all tags)':26}"
                 + "".join(f"{r.exact / r.n:>22.3f}" for r in reports))
    lines.append(f"{'theme micro-F1':26}" + "".join(f"{r.theme.f1:>22.3f}" for r in reports))
    lines.append(f"{'theme+polarity micro-F1':26}"
                 + "".join(f"{r.pair.f1:>22.3f}" for r in reports))
    lines.append(f"{'theme macro-F1':26}" + "".join(f"{r.macro_f1:>22.3f}" for r in reports))
    lines.append("")
    lines.append(f"{'per theme (P / R / F1, n)':26}" + "".join(f"{r.name:>22}" for r in reports))
    for t in THEME_IDS:
        cells = []
        for r in reports:
            c = r.per_theme[t]
            cells.append(f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f} {c.tp + c.fn:>3}")
        lines.append(f"{t:26}" + "".join(f"{cell:>22}" for cell in cells))
    return "\n".join(lines)


def _show_mistakes(mistakes: list) -> None:
    for item, got in mistakes:
        missing = sorted(item.tags - got)
        extra = sorted(got - item.tags)
        print(f"{item.id}: {item.text}\n    missing {missing}  extra {extra}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list mistakes")
    parser.add_argument("--errors-split", choices=["dev", "heldout"], default="dev")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--dev-only", action="store_true",
                        help="score the dev set only (while tuning, keep the held-out set unseen)")
    args = parser.parse_args(argv)
    if args.dev_only:
        dev_report, dev_mistakes = evaluate(load_items(DEV), "dev")
        print(_table([dev_report]))
        if args.errors:
            print()
            _show_mistakes(dev_mistakes)
        return 0

    dev, heldout = load_items(DEV), load_items(HELDOUT)
    dev_report, dev_mistakes = evaluate(dev, "dev")
    held_report, held_mistakes = evaluate(heldout, "held-out")
    print(_table([dev_report, held_report]))

    failures = [f"{item.id}: {theme} {polarity} is not a taxonomy theme and polarity "
                 "(competition is always -)"
                 for item in dev + heldout for theme, polarity in item.tags
                 if theme not in THEME_IDS or polarity not in ("+", "-")
                 or (theme == "competition" and polarity != "-")]
    if held_report.n < 80:
        failures.append(f"the held-out set has {held_report.n} items, fewer than 80")
    if held_report.theme.f1 < TARGET_THEME_F1:
        failures.append(f"held-out theme micro-F1 {held_report.theme.f1:.3f} < {TARGET_THEME_F1}")
    if held_report.pair.f1 < TARGET_PAIR_F1:
        failures.append(f"held-out theme+polarity micro-F1 {held_report.pair.f1:.3f} "
                        f"< {TARGET_PAIR_F1}")

    if not args.no_speed:
        mix = realistic_mix(dev + heldout)
        rate = throughput(mix)
        words = sum(len(t.split()) for t in mix) / len(mix)
        print(f"\nthroughput: {rate:,.0f} texts/s on a mix of {len(mix):,} texts "
              f"(1-6 sentences, {words:.0f} words on average), one process")
        if rate < TARGET_TEXTS_PER_SECOND:
            failures.append(f"throughput {rate:,.0f} texts/s < {TARGET_TEXTS_PER_SECOND:,}")

    if args.errors:
        print()
        _show_mistakes(dev_mistakes if args.errors_split == "dev" else held_mistakes)

    for failure in failures:
        print(f"TARGET MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
