"""Learning from the user's own tags: a per-user layer over the shipped theme model.

Every feedback entry the user saved with tags is a training example: the tags
they kept or added are its themes; a suggestion they removed is a theme it does
not have. For a new text the layer finds the user's most similar tagged
feedback (cosine similarity of word 1-2-gram TF-IDF vectors, the user's own
words included) and moves each
theme's probability towards what the user did there:

    p' = (PRIOR * p + sum_i w_i * y_i) / (PRIOR + sum_i w_i)
    w_i = sim_i ** 2 / max(1 - sim_i ** 2, NEAR)   if sim_i >= MIN_SIM, else 0

so one near-identical example outweighs the model (similarity 0.9: 4.3 times
its weight, enough to pass any threshold), while loosely similar ones only
nudge it (0.5: a third of it). Once the user has tagged enough feedback, each theme also gets
the user's own threshold: the one at which the model's probability makes the
fewest mistakes on what they tagged (so a theme they keep removing is
suggested less, one they keep adding more). Custom themes are learned from the
feedback tagged with them: the share of the similar feedback that has them (a
key phrase in the text counts as one more vote for). Built from
the store each time the tags change; nothing is written.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .models import COMPETITION
from .theme_model import THEMES, Analysis, ThemeModel, shipped, word_features
from .theme_rules import CustomTheme, ThemeTag, scan_rules

PRIOR = 1.0      # weight of the shipped model's own answer, in neighbours of similarity 1
MIN_SIM = 0.35   # feedback less similar than this teaches nothing about a text
NEAR = 0.1       # caps the weight of a (near-)identical example at 10 times the model's
LEAN_SIM = 0.7   # only feedback this similar overrules the model's polarity
MIN_CALIBRATION = 10   # tagged entries before the user's own thresholds move
CALIBRATION_GAIN = 1   # mistakes a new threshold must save on the user's feedback (dev: 1 best)
_GRID = np.round(np.arange(0.15, 0.86, 0.05), 2)
_EXAMPLE_CHARS = 40

Pair = tuple[str, str]


@dataclass(frozen=True)
class Example:
    """One piece of the user's feedback with the tags they saved for it."""

    text: str
    tags: frozenset[Pair]


class _WordSpace:
    """TF-IDF vectors of word 1-2-grams, including words the shipped model never saw.

    The user's own words ("pager rota") must count, so the vocabulary is the
    user's; the weights come from the model's IDF where it has the word (it
    knows "the" is common), and are the highest IDF where it does not.
    """

    def __init__(self, model: ThemeModel):
        featurizer = model.featurizer
        self.known = featurizer.word_index
        self.idf = featurizer.idf[:featurizer.n_word]
        self.rare = float(self.idf.max()) if len(self.idf) else 1.0

    def vector(self, words: Sequence[str]) -> dict[str, float]:
        counts: dict[str, int] = {}
        for f in word_features(words):
            counts[f] = counts.get(f, 0) + 1
        known = self.known
        vec = {f: (1.0 + math.log(n)) * (self.idf[known[f]] if f in known else self.rare)
               for f, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {f: v / norm for f, v in vec.items()}


class UserLayer:
    """The user's tagged feedback, as vectors, with what they tagged each with."""

    def __init__(self, model: ThemeModel, examples: Iterable[Example], *,
                 prior: float = PRIOR, min_sim: float = MIN_SIM):
        self.prior, self.min_sim = prior, min_sim
        self.space = _WordSpace(model)
        kept: list[tuple[Example, dict[str, float]]] = []
        for example in examples:
            scan = scan_rules(example.text)
            if scan is not None and example.tags:
                kept.append((example, self.space.vector(scan.words)))
        self.examples = [e for e, _ in kept]
        custom = sorted({t for e in self.examples for t, _ in e.tags} - set(THEMES))
        self.themes: tuple[str, ...] = THEMES + tuple(custom)
        column = {t: j for j, t in enumerate(self.themes)}
        # An inverted index: for each n-gram, the examples that have it and its weight there.
        entries = sorted((f, i, v) for i, (_, vec) in enumerate(kept) for f, v in vec.items())
        self.vocab = {}
        for f, _, _ in entries:
            self.vocab.setdefault(f, len(self.vocab))
        self.entry_feature = np.array([self.vocab[f] for f, _, _ in entries], dtype=np.int64)
        self.entry_example = np.array([i for _, i, _ in entries], dtype=np.int64)
        self.entry_value = np.array([v for _, _, v in entries], dtype=float)
        self.has = np.zeros((len(kept), len(self.themes)))       # 1: the user tagged it
        self.polarity = np.zeros((len(kept), len(self.themes)))  # +1 strength, -1 gap
        for i, (example, _) in enumerate(kept):
            for theme, polarity in example.tags:
                j = column[theme]
                self.has[i, j] = 1.0
                self.polarity[i, j] += 1.0 if polarity == "+" else -1.0
        self.threshold = self._calibrate(model, [e for e, _ in kept])

    def _calibrate(self, model: ThemeModel, examples: Sequence[Example]) -> np.ndarray:
        """Per-theme thresholds for this user: where the model's probability, on the feedback
        they tagged, makes the fewest mistakes. Each moves only once MIN_CALIBRATION entries
        are tagged, and only when it saves at least CALIBRATION_GAIN mistakes."""
        threshold = np.array(model.threshold, dtype=float)
        if len(examples) < MIN_CALIBRATION:
            return threshold
        prob = np.array([_probability(model, e.text) for e in examples])
        for t in range(len(THEMES)):
            gold = self.has[:, t] > 0
            mistakes = {float(x): int(((prob[:, t] >= x) != gold).sum()) for x in _GRID}
            now = int(((prob[:, t] >= threshold[t]) != gold).sum())
            best = min(mistakes, key=lambda x: (mistakes[x], abs(x - threshold[t])))
            if mistakes[best] <= now - CALIBRATION_GAIN:
                threshold[t] = best
        return threshold

    @property
    def size(self) -> int:
        return len(self.examples)

    def similarity(self, analysis: Analysis) -> np.ndarray:
        """Cosine similarity of the text to each example."""
        query = self.space.vector(analysis.scan.words)
        ids = [(self.vocab[f], v) for f, v in query.items() if f in self.vocab]
        if not ids:
            return np.zeros(self.size)
        q_ids = np.array([i for i, _ in ids], dtype=np.int64)
        q_val = np.array([v for _, v in ids])
        left = np.searchsorted(self.entry_feature, q_ids, "left")
        lengths = np.searchsorted(self.entry_feature, q_ids, "right") - left
        # The entries of every query n-gram, gathered without a Python loop.
        starts = np.repeat(left - (np.cumsum(lengths) - lengths), lengths)
        picked = np.arange(int(lengths.sum())) + starts
        weights = self.entry_value[picked] * np.repeat(q_val, lengths)
        return np.bincount(self.entry_example[picked], weights=weights, minlength=self.size)

    def tags(self, model: ThemeModel, analysis: Analysis) -> list[ThemeTag]:
        """The model's tags, adjusted to what the user tagged similar feedback with."""
        sims = self.similarity(analysis)
        w = np.where(sims >= self.min_sim, sims ** 2 / np.maximum(1.0 - sims ** 2, NEAR), 0.0)
        total = float(w.sum())
        if total == 0.0:
            own = [tag for tag, _ in analysis.scan.tags if tag.theme not in THEMES]
            return model.tags(analysis, threshold=self.threshold) + own
        votes = w @ self.has
        leaning = w @ self.polarity
        near = np.where(sims >= LEAN_SIM, w, 0.0) @ self.polarity
        n = len(THEMES)
        prob = (self.prior * analysis.prob + votes[:n]) / (self.prior + total)
        # A theme the rules found, where the user's similar feedback mostly lacks it, goes.
        ruled = {tag.theme for tag, _ in analysis.scan.tags if tag.theme in THEMES}
        drop = frozenset(theme for theme in ruled
                         if (self.prior + votes[THEMES.index(theme)]) / (self.prior + total) < 0.5)
        found = model.tags(analysis, prob, self.threshold, drop)
        out: list[ThemeTag] = []
        for t, theme in enumerate(THEMES):
            out += self._lean([tag for tag in found if tag.theme == theme], near[t])
        by_phrase = {tag.theme: tag for tag, _ in analysis.scan.tags if tag.theme not in THEMES}
        nearest = self.examples[int(np.argmax(w))].text
        for j in range(n, len(self.themes)):
            theme = self.themes[j]
            # The shipped model knows nothing of the user's own themes: only its phrases vote.
            said = self.prior * (theme in by_phrase)
            p = (said + votes[j]) / (said + total)
            if p >= 0.5:
                phrase = by_phrase.get(theme)
                polarity = ("+" if leaning[j] > 0 else "-") if leaning[j] or not phrase \
                    else phrase.polarity
                out.append(ThemeTag(theme, polarity, phrase.evidence if phrase else _like(nearest)))
        # A custom theme the user has not tagged yet still comes from its key phrases.
        out += [tag for theme, tag in by_phrase.items() if theme not in self.themes]
        return out

    def _lean(self, found: list[ThemeTag], near: float) -> list[ThemeTag]:
        """One polarity from the model, against the user's near-identical feedback: theirs wins."""
        if len(found) != 1 or found[0].theme == COMPETITION or abs(near) < 0.5 * self.prior:
            return found
        return [ThemeTag(found[0].theme, "+" if near > 0 else "-", found[0].evidence)]


@functools.lru_cache(maxsize=4_096)
def _probability(model: ThemeModel, text: str) -> np.ndarray:
    """The model's theme probabilities for one of the user's texts (cached: the layer is
    rebuilt whenever a tag changes, the texts mostly are not)."""
    return model.analyse(scan_rules(text)).prob


def _like(text: str) -> str:
    short = text if len(text) <= _EXAMPLE_CHARS else text[:_EXAMPLE_CHARS - 1].rstrip() + "…"
    return f"like your feedback “{short}”"


class UserThemes(tuple):
    """The user's custom themes (a tuple of CustomTheme) and what was learned from their tags.

    A tuple, so everything that takes custom themes takes it; ``suggest_themes``
    also uses its ``layer``.
    """

    layer: UserLayer | None

    def __new__(cls, custom: Iterable[CustomTheme] = (), layer: UserLayer | None = None):
        obj = super().__new__(cls, tuple(custom))
        obj.layer = layer
        return obj

    def __bool__(self) -> bool:   # no custom themes but a layer still counts
        return bool(len(self)) or (self.layer is not None and self.layer.size > 0)


def examples_from_frames(feedback: Any, tags: Any) -> list[Example]:
    """Examples from the store's feedback (``id``, ``observations``) and tags frames."""
    by_entry: dict[int, set[Pair]] = {}
    for fid, theme, polarity in zip(tags["feedback_id"], tags["theme"], tags["polarity"],
                                    strict=True):
        by_entry.setdefault(int(fid), set()).add((str(theme), str(polarity)))
    out = []
    for fid, text in zip(feedback["id"], feedback["observations"], strict=True):
        if isinstance(text, str) and text.strip() and int(fid) in by_entry:
            out.append(Example(text, frozenset(by_entry[int(fid)])))
    return out


def user_themes(custom: Sequence[CustomTheme], store: Any) -> UserThemes:
    """The custom themes plus a layer learned from the store's tagged feedback."""
    model = shipped()
    if model is None:
        return UserThemes(custom)
    frames = store.frames({"feedback": ["id", "observations"]}, with_tags=True)
    examples = examples_from_frames(frames["feedback"], frames["tags"])
    return UserThemes(custom, _layer(model, tuple(examples)))


@functools.lru_cache(maxsize=4)
def _layer(model: ThemeModel, examples: tuple[Example, ...]) -> UserLayer:
    """The layer for these examples; rebuilt only when the user's tags changed."""
    return UserLayer(model, examples)
