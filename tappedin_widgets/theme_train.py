"""Fit the learned theme suggester with scikit-learn and write the shipped model file.

    python -m tappedin_widgets.theme_model build [--corpus DIR] [--extra FILE ...] [--out FILE]

The corpus is a directory with ``items.jsonl`` (``{"id", "text", "tags":
[[theme, "+"|"-"], ...], "split": "train"|"dev"|"test", "source_id"}``).
Settings (regularisation, the weight of the rules' features, the threshold, how
the rules and the model combine) are chosen by cross-validation on train + dev,
folds grouped by source; the shipped model is then fitted on train + dev + any
``--extra`` labelled files (``{"id", "text", "tags"}``). The test split is never
read here.
Deterministic: the same data gives the same file.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from .models import COMPETITION
from .theme_model import MODEL_FILE, RULE_FEATURES, THEMES, ThemeModel, char_features, word_features
from .theme_rules import RuleScan, rule_themes, scan_rules

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "data" / "feedback_corpus"
DEFAULT_EXTRA = (ROOT / "benchmarks" / "data" / "feedback_dev.jsonl",
                 ROOT / "benchmarks" / "data" / "feedback_heldout.jsonl")

Pair = tuple[str, str]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    tags: frozenset[Pair]
    split: str = "extra"
    source_id: str = ""


def load_items(path: Path | str, split: str | None = None) -> list[Item]:
    """Labelled items from a JSONL file; only built-in themes are kept."""
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            tags = frozenset((str(t), str(p)) for t, p in row.get("tags") or [] if t in THEMES)
            items.append(Item(str(row["id"]), str(row["text"]), tags,
                              split or str(row.get("split", "extra")),
                              str(row.get("source_id", ""))))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}, line {n}: not a labelled item ({exc})") from exc
    return items


def load_corpus(directory: Path | str) -> list[Item]:
    path = Path(directory) / "items.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"no corpus at {path}")
    return load_items(path)


def corpus_parser(description: str) -> argparse.ArgumentParser:
    """Arguments every corpus benchmark takes: --corpus DIR, --split dev|test (dev by default)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--split", choices=["dev", "test"], default="dev",
                        help="test: once per release, fitted on train + dev")
    return parser


def load_splits(directory: Path | str) -> dict[str, list[Item]]:
    """The corpus by split ("train", "dev", "test"), and "extra": the hand-written sets."""
    items = load_corpus(directory)
    out = {s: [i for i in items if i.split == s] for s in ("train", "dev", "test")}
    out["extra"] = [i for p in DEFAULT_EXTRA if p.exists() for i in load_items(p)]
    return out


# --------------------------------------------------------------------------
# Scores (shared with the benchmarks)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: Iterable, pred: Iterable) -> None:
        gold, pred = set(gold), set(pred)
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 1.0


@dataclass
class Scores:
    theme: Counts = field(default_factory=Counts)
    pair: Counts = field(default_factory=Counts)
    per_theme: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in THEMES})

    def add(self, gold: Iterable[Pair], pred: Iterable[Pair]) -> None:
        gold, pred = set(gold), set(pred)
        gold_themes, pred_themes = {t for t, _ in gold}, {t for t, _ in pred}
        self.theme.add(gold_themes, pred_themes)
        self.pair.add(gold, pred)
        for t in THEMES:
            self.per_theme[t].add({t} & gold_themes, {t} & pred_themes)

    @property
    def macro_f1(self) -> float:
        present = [c for c in self.per_theme.values() if c.tp + c.fn]
        return sum(c.f1 for c in present) / len(present) if present else 1.0


def score(items: Sequence[Item], predict: Callable[[str], Iterable[Pair]]) -> Scores:
    out = Scores()
    for item in items:
        out.add(item.tags, predict(item.text))
    return out


# --------------------------------------------------------------------------
# Fitting


@dataclass(frozen=True)
class Settings:
    C: float = 4.0                 # inverse regularisation of the theme classifiers
    rule_weight: float = 1.0       # value of a rules feature (0: the learned model alone)
    threshold: float = 0.5         # probability for a theme to be suggested
    clause_margin: float = 0.5     # other clauses within this of the best also give a polarity
    pol_C: float = 4.0
    clause_max: bool = False       # a theme is there if the text or any one clause says so
    pol_bias: float = 0.0          # subtracted from the polarity logit: leans towards "gap"
    rules_first: bool = False      # the rules' tags stand; the model adds the themes they missed
    extra_weight: float = 1.0      # weight of the hand-written items against the real ones
    veto: float = 0.0              # rules first: a rules tag goes below this model probability
    word_ngrams: int = 2           # word n-grams up to this length (character 3-5 inside words)
    balanced: bool = True          # theme classifiers weigh the rarer class up (class_weight)
    pol_balanced: bool = False     # the polarity model weighs praise and gaps equally
    pol_override: float = 0.0      # rules first: the polarity model flips a rules tag past this
    override_only: str = ""        # ... only for this theme ("": every theme)


def _scans(items: Sequence[Item]) -> list[RuleScan | None]:
    return [scan_rules(item.text) for item in items]


def _sparse(featurizer, rows: Sequence[Sequence[str]]):
    from scipy import sparse

    row, feature, value = featurizer.rows(rows)
    return sparse.csr_matrix((value, (row, feature)), shape=(len(rows), featurizer.n_features))


def fit(items: Sequence[Item], settings: Settings, name: str = "model") -> dict[str, np.ndarray]:
    """Fit the theme classifiers and the polarity model; return the model's arrays."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    scans = _scans(items)
    kept = [(item, scan) for item, scan in zip(items, scans, strict=True) if scan is not None]
    docs = [list(scan.words) for _, scan in kept]
    word = TfidfVectorizer(analyzer=functools.partial(word_features, n=settings.word_ngrams),
                           min_df=2, sublinear_tf=True).fit(docs)
    char = TfidfVectorizer(analyzer=char_features, min_df=2, sublinear_tf=True).fit(docs)
    arrays: dict[str, np.ndarray] = {
        "word_vocab": np.array(word.get_feature_names_out(), dtype=str),
        "word_idf": word.idf_.astype(np.float64),
        "char_vocab": np.array(char.get_feature_names_out(), dtype=str),
        "char_idf": char.idf_.astype(np.float64),
        "themes": np.array(THEMES), "rule_weight": np.array(settings.rule_weight),
        "threshold": np.full(len(THEMES), settings.threshold),
        "clause_margin": np.array(settings.clause_margin), "name": np.array(name),
        "clause_max": np.array(settings.clause_max), "pol_bias": np.array(settings.pol_bias),
        "rules_first": np.array(settings.rules_first),
        "word_ngrams": np.array(settings.word_ngrams),
    }
    probe = ThemeModel({**arrays, **_blank_coefs(arrays)})
    text_x = _sparse(probe.featurizer, docs)
    weight = np.array([settings.extra_weight if item.split == "extra" else 1.0 for item, _ in kept])
    rules = np.array([_rule_row(scan) for _, scan in kept]) * settings.rule_weight
    x = sparse.hstack([text_x, sparse.csr_matrix(rules)]).tocsr()
    n_text = text_x.shape[1]
    coef = np.zeros((n_text + len(RULE_FEATURES), len(THEMES)))
    intercept = np.zeros(len(THEMES))
    for t, theme in enumerate(THEMES):
        y = np.array([any(tt == theme for tt, _ in item.tags) for item, _ in kept])
        if y.all() or not y.any():
            intercept[t] = 10.0 if y.all() else -10.0
            continue
        # dual=True: far more features than items, where liblinear's dual is 4x faster.
        clf = LogisticRegression(C=settings.C, solver="liblinear",
                                 class_weight="balanced" if settings.balanced else None,
                                 dual=True, max_iter=1000, random_state=0)
        clf.fit(x, y, sample_weight=weight)
        coef[:, t], intercept[t] = clf.coef_[0], clf.intercept_[0]
    arrays.update(theme_coef=coef[:n_text], theme_rule_coef=coef[n_text:],
                  theme_intercept=intercept)
    arrays.update(_fit_polarity(ThemeModel({**arrays, **_blank_polarity(arrays)}), kept, settings))
    return arrays


def _rule_row(scan: RuleScan) -> list[float]:
    found = {tag.theme + tag.polarity for tag, _ in scan.tags}
    return [1.0 if f in found else 0.0 for f in RULE_FEATURES]


def _blank_polarity(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    n = len(arrays["word_vocab"]) + len(arrays["char_vocab"])
    return {"pol_coef": np.zeros(n), "pol_rule_coef": np.zeros(2),
            "pol_theme_coef": np.zeros(len(THEMES)), "pol_intercept": np.array(0.0)}


def _blank_coefs(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    n = len(arrays["word_vocab"]) + len(arrays["char_vocab"])
    return {"theme_coef": np.zeros((n, len(THEMES))),
            "theme_rule_coef": np.zeros((len(RULE_FEATURES), len(THEMES))),
            "theme_intercept": np.zeros(len(THEMES)), **_blank_polarity(arrays)}


def _fit_polarity(model: ThemeModel, kept, settings: Settings) -> dict[str, np.ndarray]:
    """A +/- model on clauses: each gold tag is placed in the clause that says its theme.

    That clause is one where the rules found the theme with that polarity, else
    the clause the theme classifier scores highest for it.
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    rows: list[list[str]] = []
    extra: list[list[float]] = []
    y: list[bool] = []
    weight: list[float] = []
    for item, scan in kept:
        analysis = model.analyse(scan)
        ids = [c for c, _ in analysis.clauses]
        for theme, polarity in sorted(item.tags):
            if theme == COMPETITION:
                continue
            t = THEMES.index(theme)
            by_rules = [c for tag, c in scan.tags
                        if tag.theme == theme and tag.polarity == polarity]
            k = ids.index(by_rules[0]) if by_rules else int(np.argmax(analysis.clause_prob[:, t]))
            rule_pol = {tag.polarity for tag, c in scan.tags if tag.theme == theme and c == ids[k]}
            rows.append(analysis.clauses[k][1])
            extra.append([float("+" in rule_pol), float("-" in rule_pol)]
                         + [float(j == t) for j in range(len(THEMES))])
            y.append(polarity == "+")
            weight.append(settings.extra_weight if item.split == "extra" else 1.0)
    columns = np.array(extra).reshape(len(y), 2 + len(THEMES))
    columns[:, :2] *= settings.rule_weight   # 0: the learned model alone ignores the rules
    x = sparse.hstack([_sparse(model.featurizer, rows), sparse.csr_matrix(columns)]).tocsr()
    n = model.featurizer.n_features
    arrays = _blank_polarity({"word_vocab": [None] * n, "char_vocab": []})
    if len(set(y)) < 2:
        arrays["pol_intercept"] = np.array(10.0 if all(y) else -10.0)
        return arrays
    clf = LogisticRegression(C=settings.pol_C, solver="liblinear", dual=True, max_iter=1000,
                             class_weight="balanced" if settings.pol_balanced else None,
                             random_state=0).fit(x, np.array(y), sample_weight=np.array(weight))
    w = clf.coef_[0]
    # The rules' columns were scaled by rule_weight when fitted; analyse() feeds them as 0/1.
    arrays.update(pol_coef=w[:n], pol_rule_coef=w[n:n + 2] * settings.rule_weight,
                  pol_theme_coef=w[n + 2:], pol_intercept=np.array(clf.intercept_[0]))
    return arrays


# --------------------------------------------------------------------------
# Choosing settings by cross-validation, then the shipped model

GRID = {"C": (2.0, 8.0), "rule_weight": (0.0, 1.0), "extra_weight": (1.0,),
        "threshold": (0.4, 0.5, 0.6, 0.7), "veto": (0.0, 0.1, 0.2, 0.3),
        "rules_first": (False, True), "pol_bias": (0.0, 0.5, 1.0),
        "word_ngrams": (2,), "balanced": (True,), "pol_balanced": (False,),
        "pol_override": (0.0, 1.0, 2.0), "override_only": ("",)}
#: Settings that change how the classifiers are fitted, each tried in the grid.
FIT_OPTIONS: tuple[str, ...] = ("word_ngrams", "balanced", "pol_balanced")
#: Settings this close to the best cross-validated score are as good as it.
CV_NOISE = 0.005
FOLDS = 5


def predictor(model: ThemeModel) -> Callable[[str], set[Pair]]:
    return lambda text: {(t.theme, t.polarity) for t in model.suggest(text)}


def fitted(items: Sequence[Item], settings: Settings, name: str = "model") -> dict[str, np.ndarray]:
    """``fit``, with the decision settings (threshold, veto) written into the arrays."""
    arrays = fit(items, settings, name)
    arrays["settings"] = np.array(json.dumps(asdict(settings)))
    arrays["threshold"] = np.full(len(THEMES), settings.threshold)
    arrays["veto"] = np.full(len(THEMES), settings.veto)
    arrays["pol_override"] = override_array(settings)
    arrays["clause_margin"] = np.array(settings.clause_margin)
    return arrays


def source_folds(items: Sequence[Item], folds: int = FOLDS) -> list[int]:
    """A fold number per item: whole sources to one fold (seeded shuffle of the sources)."""
    import random

    groups = sorted({i.source_id or i.id for i in items})
    random.Random(0).shuffle(groups)
    fold_of = {g: k % folds for k, g in enumerate(groups)}
    return [fold_of[i.source_id or i.id] for i in items]


def training_sources(items: Sequence[Item], fold: Sequence[int], k: int, keep: float = 1.0,
                     seed: int = 0) -> list[Item]:
    """The items outside fold ``k``; with ``keep`` < 1, only that share of their sources
    (a seeded sample of whole sources: a learning curve on the same folds)."""
    train = [i for i, f in zip(items, fold, strict=True) if f != k]
    if keep >= 1.0:
        return train
    groups = sorted({i.source_id or i.id for i in train})
    kept = set(random.Random(f"{seed}-{k}").sample(groups, max(1, round(keep * len(groups)))))
    return [i for i in train if (i.source_id or i.id) in kept]


def held_out(items: Sequence[Item], extra: Sequence[Item], fit_settings: Settings,
             keep: float = 1.0, seed: int = 0) -> tuple[list[tuple[int, ThemeModel, object]],
                                                         int]:
    """Each item read by the model fitted without its fold: ``(item number, model,
    analysis or None)``; and how many corpus items each fold trained on (the mean)."""
    fold = source_folds(items)
    folds = sorted(set(fold))
    if len(folds) < 2:
        raise ValueError("nothing to cross-validate on: the corpus needs items from "
                         "at least two sources")
    scans = _scans(items)
    held: list[tuple[int, ThemeModel, object]] = []
    sizes = []
    for k in folds:
        train = training_sources(items, fold, k, keep, seed)
        sizes.append(len(train))
        model = ThemeModel(fit(train + list(extra), fit_settings))
        held += [(n, model, model.analyse(scans[n]) if scans[n] is not None else None)
                 for n, f in enumerate(fold) if f == k]
    return held, round(sum(sizes) / len(sizes))


#: Settings that only change how a fitted model decides (tried without refitting).
DECISIONS = ("threshold", "veto", "rules_first", "pol_bias", "pol_override", "override_only")


def override_array(settings: Settings) -> np.ndarray:
    """``pol_override`` per theme: for ``override_only`` alone, or every theme."""
    return np.array([settings.pol_override if settings.override_only in ("", t) else 0.0
                     for t in THEMES])


def fit_part(settings: Settings) -> Settings:
    """The settings with their decision part at the defaults: what the classifiers need."""
    return replace(settings, **{name: getattr(Settings(), name) for name in DECISIONS})


def decide(model: ThemeModel, analysis, settings: Settings) -> set[Pair]:
    """The tags a fitted model gives an analysed text under ``settings``' decision part
    (threshold, veto, rules first, polarity bias), as (theme, polarity) pairs."""
    if analysis is None:
        return set()
    model.rules_first, model.pol_bias = settings.rules_first, settings.pol_bias
    model.pol_override = override_array(settings)
    model.veto = np.full(len(THEMES), settings.veto)
    return {(t.theme, t.polarity) for t in model.tags(
        analysis, threshold=np.full(len(THEMES), settings.threshold))}


def choose(items: Sequence[Item], extra: Sequence[Item] = (), *, learned_only: bool = False,
           log: Callable[[str], None] = print, grid: dict | None = None
           ) -> tuple[Settings, Scores]:
    """Settings by cross-validation on ``items`` grouped by source (``extra`` always trains).

    Scored by theme+polarity micro-F1 over every item's out-of-fold suggestion; of the
    settings within CV_NOISE of the best (on it, and on theme micro-F1), the one whose
    answers differ from the rules' on the fewest items wins (the rules are the
    hand-checked behaviour). The classifiers are fitted once per fold and fitting
    setting (C, rule weight, extra weight, and the options in ``FIT_OPTIONS``); the other
    settings only change how a fitted model decides, so they are tried on it. ``grid``
    replaces some of GRID's rows.
    """
    grid = {**GRID, **(grid or {})}
    weights = (0.0,) if learned_only else grid["rule_weight"]   # 0: the rules are no feature
    firsts = (False,) if learned_only else grid["rules_first"]
    extra_weights = grid["extra_weight"] if extra else (1.0,)
    options = [dict(zip(FIT_OPTIONS, values, strict=True))
               for values in itertools.product(*(grid[k] for k in FIT_OPTIONS))]
    rules = [{(t.theme, t.polarity) for t in rule_themes(i.text)} for i in items]
    tried: list[tuple[Settings, Scores, int]] = []
    for c, weight, extra_weight, option in itertools.product(
            grid["C"], weights, extra_weights, options):
        fit_settings = Settings(C=c, rule_weight=weight, pol_C=c, extra_weight=extra_weight,
                                **option)
        held, _ = held_out(items, extra, fit_settings)
        for threshold, veto, first, bias, override, only in itertools.product(
                grid["threshold"], grid["veto"], firsts, grid["pol_bias"], grid["pol_override"],
                grid["override_only"]):
            if (first and weight) or ((veto or override) and not first) or (only and not override):
                continue   # veto and override act on the rules' own tags; rules first with
                #            the rules unlearned
            settings = replace(fit_settings, threshold=threshold, veto=veto, rules_first=first,
                               pol_bias=bias, pol_override=override, override_only=only)
            got, changed = Scores(), 0
            for n, model, analysis in held:
                pred = decide(model, analysis, settings)
                got.add(items[n].tags, pred)
                changed += pred != rules[n]
            log(f"  {settings}: theme {got.theme.f1:.3f}  theme+polarity {got.pair.f1:.3f}  "
                f"macro {got.macro_f1:.3f}  differs from the rules on {changed}")
            tried.append((settings, got, changed))
    # As good as the best: within CV_NOISE of its theme+polarity F1 and of its theme F1
    # (a setting that trades themes found for polarities right is not as good).
    best = max(tried, key=lambda t: (t[1].pair.f1, t[1].theme.f1))[1]
    settings, got, _ = min((t for t in tried if t[1].pair.f1 >= best.pair.f1 - CV_NOISE
                            and t[1].theme.f1 >= best.theme.f1 - CV_NOISE),
                           key=lambda t: (t[2], -t[1].pair.f1, -t[1].theme.f1))
    return settings, got


def save(arrays: dict[str, np.ndarray], path: Path | str) -> None:
    """Write the arrays compressed, atomically (a half-written model is never loaded)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, **{k: np.asarray(v) for k, v in arrays.items()})
    tmp.replace(path)


def build(corpus: Path | str | None, extra: Sequence[Path | str], out: Path | str,
          log: Callable[[str], None] = print) -> Settings:
    """Choose settings by cross-validation on train + dev, fit on them and ``extra``, write
    ``out``. The test split is never read."""
    items = load_corpus(corpus) if corpus is not None else []
    extras = [item for path in extra for item in load_items(path)]
    known = [i for i in items if i.split in ("train", "dev")]
    if not known:   # no corpus: the extra files are cross-validated on
        known, extras = extras, []
    if not known:
        raise ValueError("nothing to learn from: the corpus needs train and dev items "
                         "(or give --extra labelled files)")
    log(f"train + dev {len(known)} items (+ {len(extras)} extra), {FOLDS}-fold "
        "cross-validation grouped by source")
    settings, got = choose(known, extras, log=log)
    log(f"chosen: {settings} (cross-validated theme {got.theme.f1:.3f}, "
        f"theme+polarity {got.pair.f1:.3f}, macro {got.macro_f1:.3f})")
    arrays = fitted(known + extras, settings,
                    name=f"{Path(corpus).name if corpus else 'extra'}")
    save(arrays, out)
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tappedin_widgets.theme_model",
                                     description="Rebuild the shipped theme model from a corpus.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS),
                        help="directory with items.jsonl (default: data/feedback_corpus)")
    parser.add_argument("--no-corpus", action="store_true", help="train on --extra files only")
    parser.add_argument("--extra", action="append", default=None,
                        help="more labelled JSONL files for training "
                             "(default: the hand-written sets)")
    parser.add_argument("--no-extra", action="store_true", help="no extra training files")
    parser.add_argument("--out", default=str(MODEL_FILE))
    args = parser.parse_args(argv)
    extra = args.extra if args.extra is not None else [p for p in DEFAULT_EXTRA if p.exists()]
    if args.no_extra:
        extra = []
    start = time.perf_counter()
    try:
        settings = build(None if args.no_corpus else args.corpus, extra, args.out)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB) with {settings} "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
