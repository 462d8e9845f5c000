"""Learning from the user's own tags: a per-user layer over the shipped theme model.

Every feedback entry the user saved with tags is a training example: the tags
they kept or added are its themes; a suggestion they removed is a theme it does
not have. For a new text the layer finds the user's most similar tagged
feedback (cosine similarity of the model's TF-IDF vectors) and moves each
theme's probability towards what the user did there:

    p' = (PRIOR * p + sum_i w_i * y_i) / (PRIOR + sum_i w_i),   w_i = sim_i ** 2 if sim_i >= MIN_SIM

so one near-identical example outweighs the model, while loosely similar ones
only nudge it. Custom themes are learned the same way from the feedback tagged
with them (their key phrases, if any, count as the model's answer). Built from
the store each time the tags change; nothing is written.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .models import COMPETITION
from .theme_model import THEMES, Analysis, ThemeModel, shipped
from .themes import CustomTheme, ThemeTag, scan_rules

PRIOR = 1.0      # weight of the shipped model's own answer, in neighbours of similarity 1
MIN_SIM = 0.35   # feedback less similar than this teaches nothing about a text
_EXAMPLE_CHARS = 40

Pair = tuple[str, str]


@dataclass(frozen=True)
class Example:
    """One piece of the user's feedback with the tags they saved for it."""

    text: str
    tags: frozenset[Pair]


class UserLayer:
    """The user's tagged feedback, as vectors, with what they tagged each with."""

    def __init__(self, model: ThemeModel, examples: Iterable[Example], *,
                 prior: float = PRIOR, min_sim: float = MIN_SIM):
        self.prior, self.min_sim = prior, min_sim
        kept: list[tuple[Example, np.ndarray, np.ndarray]] = []
        for example in examples:
            scan = scan_rules(example.text)
            if scan is None or not example.tags:
                continue
            row, feature, value = model.featurizer.rows([list(scan.words)])
            kept.append((example, feature, value))
        self.examples = [e for e, _, _ in kept]
        custom = sorted({t for e in self.examples for t, _ in e.tags} - set(THEMES))
        self.themes: tuple[str, ...] = THEMES + tuple(custom)
        column = {t: j for j, t in enumerate(self.themes)}
        # Features any example has, in a dense matrix of modest width.
        vocab = np.unique(np.concatenate([f for _, f, _ in kept])) if kept else np.zeros(0, int)
        self.local = np.full(model.featurizer.n_features, -1, dtype=np.int64)
        self.local[vocab] = np.arange(len(vocab))
        self.vectors = np.zeros((len(kept), len(vocab)), dtype=np.float32)
        self.has = np.zeros((len(kept), len(self.themes)))       # 1: the user tagged it
        self.polarity = np.zeros((len(kept), len(self.themes)))  # +1 strength, -1 gap
        for i, (example, feature, value) in enumerate(kept):
            self.vectors[i, self.local[feature]] = value
            for theme, polarity in example.tags:
                j = column[theme]
                self.has[i, j] = 1.0
                self.polarity[i, j] += 1.0 if polarity == "+" else -1.0

    @property
    def size(self) -> int:
        return len(self.examples)

    def weights(self, analysis: Analysis) -> np.ndarray:
        """How much each example speaks for this text: sim ** 2 above MIN_SIM, else 0."""
        feature, value = analysis.text_vector
        local = self.local[feature]
        known = local >= 0
        sims = self.vectors[:, local[known]] @ value[known].astype(np.float32)
        return np.where(sims >= self.min_sim, sims.astype(float) ** 2, 0.0)

    def tags(self, model: ThemeModel, analysis: Analysis) -> list[ThemeTag]:
        """The model's tags, adjusted to what the user tagged similar feedback with."""
        w = self.weights(analysis)
        total = float(w.sum())
        if total == 0.0:
            own = [tag for tag, _ in analysis.scan.tags if tag.theme not in THEMES]
            return model.tags(analysis) + own
        votes = w @ self.has
        leaning = w @ self.polarity
        n = len(THEMES)
        prob = (self.prior * analysis.prob + votes[:n]) / (self.prior + total)
        out: list[ThemeTag] = []
        for t in np.flatnonzero(prob >= model.threshold):
            found = model.theme_tags(analysis, int(t))
            out += self._lean(found, THEMES[int(t)], leaning[t], votes[t])
        by_phrase = {tag.theme: tag for tag, _ in analysis.scan.tags if tag.theme not in THEMES}
        nearest = self.examples[int(np.argmax(w))].text
        for j in range(n, len(self.themes)):
            theme = self.themes[j]
            p = (self.prior * (theme in by_phrase) + votes[j]) / (self.prior + total)
            if p >= 0.5:
                polarity = "+" if leaning[j] > 0 else "-"
                phrase = by_phrase.get(theme)
                out.append(ThemeTag(theme, phrase.polarity if phrase and not leaning[j] else polarity,
                                    phrase.evidence if phrase else _like(nearest)))
        # A custom theme the user has not tagged yet still comes from its key phrases.
        out += [tag for theme, tag in by_phrase.items() if theme not in self.themes]
        return out

    @staticmethod
    def _lean(found: list[ThemeTag], theme: str, leaning: float, votes: float) -> list[ThemeTag]:
        """One polarity from the model, against most of the user's similar tags: theirs wins."""
        if theme == COMPETITION or len(found) != 1 or abs(leaning) < max(votes, 1e-9) * 0.5:
            return found
        polarity = "+" if leaning > 0 else "-"
        return [ThemeTag(theme, polarity, found[0].evidence)]


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
