"""Learning from the user: a simulated user corrects the suggestions item by item.

    python3 benchmarks/themes_adapt.py               # tune the layer on dev (model fitted on train)
    python3 benchmarks/themes_adapt.py --split test    # score it on test with the shipped model

The user goes through the split in a random order (five seeded orders, figures
are their mean). For each item they are shown the suggestions, then save the
right tags (the gold ones): that item joins their tagged feedback, which the
per-user layer (``theme_user.UserLayer``) learns from before the next item.
Reported: theme and theme+polarity micro-F1 on the later half of the items, with
the layer and without it (the shipped model alone), and the cost of the layer.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tappedin_widgets import theme_train, theme_user  # noqa: E402
from tappedin_widgets.theme_model import ThemeModel, shipped  # noqa: E402
from tappedin_widgets.theme_train import Item, Scores  # noqa: E402
from tappedin_widgets.theme_user import Example, UserLayer  # noqa: E402
from tappedin_widgets.themes import scan_rules  # noqa: E402

SEEDS = (1, 2, 3, 4, 5)


def simulate(model: ThemeModel, items: Sequence[Item], seed: int, prior: float,
             min_sim: float) -> tuple[Scores, Scores, float]:
    """Later-half scores without and with the layer; mean seconds to build a layer."""
    order = list(items)
    random.Random(seed).shuffle(order)
    plain, adapted = Scores(), Scores()
    seen: list[Example] = []
    build = []
    for k, item in enumerate(order):
        scan = scan_rules(item.text)
        if scan is not None and k >= len(order) // 2:
            analysis = model.analyse(scan)
            start = time.perf_counter()
            layer = UserLayer(model, seen, prior=prior, min_sim=min_sim)
            build.append(time.perf_counter() - start)
            plain.add(item.tags, {(t.theme, t.polarity) for t in model.tags(analysis)})
            adapted.add(item.tags, {(t.theme, t.polarity) for t in layer.tags(model, analysis)})
        seen.append(Example(item.text, frozenset(item.tags)))
    return plain, adapted, statistics.mean(build) if build else 0.0


def run(model: ThemeModel, items: Sequence[Item], prior: float, min_sim: float) -> dict[str, float]:
    results = [simulate(model, items, seed, prior, min_sim) for seed in SEEDS]
    return {"plain theme": statistics.mean(p.theme.f1 for p, _, _ in results),
            "plain pair": statistics.mean(p.pair.f1 for p, _, _ in results),
            "adapted theme": statistics.mean(a.theme.f1 for _, a, _ in results),
            "adapted pair": statistics.mean(a.pair.f1 for _, a, _ in results),
            "build ms": 1000 * statistics.mean(b for _, _, b in results)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = theme_train.corpus_parser(__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    split = theme_train.load_splits(args.corpus)
    scored = split[args.split]
    if args.split == "dev":
        # Tuning: the model must not have seen dev, so fit one on train (+ the hand-written sets).
        model = ThemeModel(theme_train.fit(split["train"] + split["extra"], theme_train.Settings()))
        print("| prior | min sim | calibration gain | without: theme / pair | with: theme / pair "
              "| layer build |")
        print("|---:|---:|---:|---|---|---:|")
        for prior, min_sim, gain in ((1.0, 0.35, 1), (1.0, 0.35, 2), (1.0, 0.35, 4),
                                     (2.0, 0.5, 2), (0.5, 0.2, 2)):
            theme_user.CALIBRATION_GAIN = gain
            r = run(model, scored, prior, min_sim)
            print(f"| {prior} | {min_sim} | {gain} "
                  f"| {r['plain theme']:.3f} / {r['plain pair']:.3f} "
                  f"| {r['adapted theme']:.3f} / {r['adapted pair']:.3f} "
                  f"| {r['build ms']:.1f} ms |")
        return 0
    model = shipped()
    if model is None:
        print("no shipped model", file=sys.stderr)
        return 1
    r = run(model, scored, theme_user.PRIOR, theme_user.MIN_SIM)
    print(f"{args.split} split, {len(scored)} items, later half scored, "
          f"mean of {len(SEEDS)} orders; "
          f"prior {theme_user.PRIOR}, min similarity {theme_user.MIN_SIM}, "
          f"calibration after {theme_user.MIN_CALIBRATION} entries, "
          f"gain {theme_user.CALIBRATION_GAIN}")
    print(f"without adaptation: theme micro-F1 {r['plain theme']:.3f}, "
          f"theme+polarity {r['plain pair']:.3f}")
    print(f"with adaptation:    theme micro-F1 {r['adapted theme']:.3f}, "
          f"theme+polarity {r['adapted pair']:.3f}")
    print(f"building the layer from up to {len(scored)} tagged items: "
          f"{r['build ms']:.1f} ms on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
