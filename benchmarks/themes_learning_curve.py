"""How the theme suggester's quality grows with real training data (issue 14), by
cross-validation on train + dev only (the test split is never read).

    python3 benchmarks/themes_learning_curve.py [--corpus DIR] [--fractions 0.25 0.5 0.75 1]

Five folds grouped by source (``theme_train.source_folds``, the folds ``build`` chooses
settings on); each fold's model is trained on 25/50/75/100 % of the other folds' sources (a
seeded sample of whole sources; the hand-written sets always train too, as in the shipped
build) and scored on its own fold. Three suggesters, each at its settings: the rules alone
(no training: a flat line), the learned model alone (release 2's cross-validated choice) and
the shipped combination (the settings written in the shipped model file). Then
F1 = a + b * ln(n) is fitted to the learned and combined curves (n: real training items) and
solved for the issue's targets: an extrapolation far past the data, not a forecast.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys
import time
from dataclasses import fields
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tappedin_widgets import theme_train  # noqa: E402
from tappedin_widgets.theme_model import shipped  # noqa: E402
from tappedin_widgets.theme_train import Scores, Settings, decide, fit_part, held_out  # noqa: E402
from tappedin_widgets.themes import rule_themes  # noqa: E402

#: The learned model alone, as release 2's cross-validation (grouped by source, train + dev)
#: chose it: C 2, no rules features, threshold 0.5, polarity bias 1.
LEARNED_ALONE = Settings(C=2.0, pol_C=2.0, rule_weight=0.0, threshold=0.5, pol_bias=1.0)
TARGETS = {"theme": 0.85, "pair": 0.75, "macro": 0.80}
METRICS = {"theme": lambda s: s.theme.f1, "pair": lambda s: s.pair.f1,
           "macro": lambda s: s.macro_f1}
NAMES = {"theme": "theme micro-F1", "pair": "theme+polarity micro-F1", "macro": "macro-F1"}


def shipped_settings() -> Settings:
    """The combination's settings, as written into the shipped model file."""
    model = shipped()
    if model is None:
        raise SystemExit("no shipped model: run python -m tappedin_widgets.theme_model build")
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in json.loads(model.settings).items() if k in known})


def extrapolate(ns: list[float], f1s: list[float], target: float) -> tuple[float, float, float]:
    """Least-squares a, b of F1 = a + b ln(n), and the n where that line reaches ``target``
    (inf when it does not rise)."""
    b, a = np.polyfit(np.log(ns), f1s, 1)
    need = math.exp((target - a) / b) if b > 0 else math.inf
    return float(a), float(b), need


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(theme_train.DEFAULT_CORPUS))
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0])
    args = parser.parse_args(argv)
    splits = theme_train.load_splits(args.corpus)
    items = splits["train"] + splits["dev"]          # never the test split
    extra = splits["extra"]
    combined = shipped_settings()
    kinds = {"learned alone": LEARNED_ALONE, "combined (shipped)": combined}
    start = time.perf_counter()
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average "
          f"{os.getloadavg()[0]:.1f}; train + dev {len(items)} items (+ {len(extra)} "
          f"hand-written, always training), 5 folds grouped by source")
    print(f"combined: {combined}")
    print(f"learned alone: {LEARNED_ALONE}")

    rules = Scores()
    for item in items:
        rules.add(item.tags, {(t.theme, t.polarity) for t in rule_themes(item.text)})
    curves: dict[str, list[tuple[int, Scores]]] = {k: [] for k in kinds}
    fits: dict[Settings, dict[float, tuple[list, int]]] = {}
    for fraction in args.fractions:
        for name, settings in kinds.items():
            fit_settings = fit_part(settings)
            cache = fits.setdefault(fit_settings, {})
            if fraction not in cache:   # learned and combined share their fitted classifiers
                cache[fraction] = held_out(items, extra, fit_settings, keep=fraction)
            held, n = cache[fraction]
            got = Scores()
            for k, model, analysis in held:
                got.add(items[k].tags, decide(model, analysis, settings))
            curves[name].append((n, got))
            print(f"  {fraction:4.0%} of the training folds' sources ({n} real items): {name}: "
                  f"theme {got.theme.f1:.3f}, theme+polarity {got.pair.f1:.3f}, "
                  f"macro {got.macro_f1:.3f}  [{time.perf_counter() - start:.0f} s]")

    print()
    print("| training share (real items per fold) | suggester | theme micro-F1 | "
          "theme+polarity micro-F1 | macro-F1 |")
    print("|---|---|---:|---:|---:|")
    for k, fraction in enumerate(args.fractions):
        n = curves["learned alone"][k][0]
        print(f"| {fraction:.0%} ({n}) | rules alone | {rules.theme.f1:.3f} | "
              f"{rules.pair.f1:.3f} | {rules.macro_f1:.3f} |")
        for name in kinds:
            got = curves[name][k][1]
            print(f"| {fraction:.0%} ({n}) | {name} | {got.theme.f1:.3f} | {got.pair.f1:.3f} | "
                  f"{got.macro_f1:.3f} |")
    print()
    print("Extrapolation (F1 = a + b ln n, least squares over the points above; n = real "
          "training items; an extrapolation, not a measurement):")
    for name in kinds:
        ns = [n for n, _ in curves[name]]
        for metric, target in TARGETS.items():
            a, b, need = extrapolate(ns, [METRICS[metric](s) for _, s in curves[name]], target)
            said = f"{need:,.0f}" if math.isfinite(need) else "never (no rise)"
            print(f"  {name}, {NAMES[metric]}: a {a:.3f}, b {b:.4f} per ln n -> "
                  f"{target} at n = {said}")
    print(f"\n{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
