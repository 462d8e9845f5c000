"""Release 3's options for the learned theme model, compared by cross-validation on
train + dev (5 folds grouped by source; the test split is never read).

    python3 benchmarks/themes_cv_options.py [--only NAME ...]

Each option (word n-grams up to 3, class weights of the theme and polarity classifiers,
the polarity model overruling the rules' polarity when it firmly disagrees) is tried
inside ``theme_train.choose`` on a small grid around the shipped settings (C 2, rules
first, no rules features; threshold and polarity bias searched), against the same grid
without it. An option is worth shipping when its best cross-validated theme+polarity
micro-F1 is at least 0.005 above the baseline's and its theme micro-F1 is not lower.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tappedin_widgets import theme_train  # noqa: E402

SMALL_GRID = {"C": (2.0,), "rule_weight": (0.0,), "rules_first": (True,), "veto": (0.0,),
              "threshold": (0.5, 0.6, 0.7), "pol_bias": (0.0, 0.5, 1.0)}
OPTIONS = {"baseline": {}, "word 1-3-grams": {"word_ngrams": (3,)},
           "theme classifiers unbalanced": {"balanced": (False,)},
           "polarity model balanced": {"pol_balanced": (True,)},
           "polarity model overrules the rules": {"pol_override": (0.0, 1.0, 2.0, 3.0),
                                                  "override_only": ("", "technical_skills")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(theme_train.DEFAULT_CORPUS))
    parser.add_argument("--only", nargs="*", default=None, help="names of OPTIONS to run")
    args = parser.parse_args(argv)
    splits = theme_train.load_splits(args.corpus)
    items = splits["train"] + splits["dev"]          # never the test split
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average "
          f"{os.getloadavg()[0]:.1f}; train + dev {len(items)} items (+ {len(splits['extra'])} "
          f"hand-written); grid {SMALL_GRID}")
    start = time.perf_counter()
    for name, option in OPTIONS.items():
        if args.only and name not in args.only:
            continue
        tried: list[str] = []
        settings, got = theme_train.choose(items, splits["extra"], log=tried.append,
                                           grid={**SMALL_GRID, **option})
        print(f"\n{name}: {len(tried)} settings [{time.perf_counter() - start:.0f} s]")
        for line in tried:
            print(line)
        best = max(tried, key=lambda line: float(line.split("theme+polarity ")[1].split()[0]))
        print(f"best by theme+polarity:{best.split(':', 1)[1]}")
        print(f"chosen: threshold {settings.threshold}, polarity bias {settings.pol_bias}: "
              f"theme {got.theme.f1:.3f}, theme+polarity {got.pair.f1:.3f}, "
              f"macro {got.macro_f1:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
