"""The learned theme suggester, combined with the rules, and its shipped model file.

A text is read once (``themes.scan_rules``: normalised words, their clauses and
the rules' tags). Features are word 1-2-grams and character 3-5-grams inside
words, TF-IDF with sublinear counts, each block L2-normalised, plus the rules'
own tags (one feature per theme and polarity). One logistic-regression
classifier per theme decides from the whole text whether the theme is there.
The same classifiers score every clause, to find where a theme is said; a
polarity model then reads that clause (its n-grams, the theme, and the rules'
polarity for that theme in that clause). ``competition`` is always "-". With
``rules_first`` the rules' tags stand, except that the polarity model may flip
a polarity the rules inferred from the words around a cue (not one the cue's
own words gave) when it firmly disagrees (``pol_override``).

Inference is numpy only: importing scikit-learn alone takes longer than the
1 s load budget, so ``theme_train`` fits with scikit-learn and writes plain
arrays (``theme_model.npz``, inside the package). Rebuild it with
``python -m tappedin_widgets.theme_model build`` (see ``theme_train``).
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .models import COMPETITION, THEME_IDS
from .theme_rules import CustomTheme, RuleScan, ThemeTag, rule_themes, scan_rules, unique_tags

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).with_name("theme_model.npz")
CHAR_SIZES = (3, 4, 5)
#: Column order of every per-theme array in the model file.
THEMES: tuple[str, ...] = THEME_IDS
RULE_FEATURES: tuple[str, ...] = tuple(f"{t}{p}" for t in THEMES for p in "+-")
_EVIDENCE_CHARS = 80
_TOKEN_CACHE_SIZE = 50_000
_SPREAD_CELLS = 100_000   # rows x values up to which rows are scored in one product


# --------------------------------------------------------------------------
# Features (the same functions feed scikit-learn in theme_train)


def word_features(tokens: Sequence[str], n: int = 2) -> list[str]:
    """Word unigrams and bigrams of a token sequence (and trigrams with ``n`` 3)."""
    out = [*tokens, *(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))]
    if n >= 3:
        out += [f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)]
    return out


def char_features(tokens: Sequence[str]) -> list[str]:
    """Character 3-5-grams inside each word, padded with a space either side."""
    out: list[str] = []
    for token in tokens:
        padded = f" {token} "
        for n in CHAR_SIZES:
            out += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return out


def clause_tokens(scan: RuleScan) -> list[tuple[int, list[str]]]:
    """``(clause id, its words)`` for each clause of a scanned text, in order."""
    out: list[tuple[int, list[str]]] = []
    start = 0
    for clause, run in itertools.groupby(scan.clause_of):   # a loop per clause, not per word
        end = start + sum(1 for _ in run)
        out.append((clause, list(scan.words[start:end])))
        start = end
    return out


def rule_vector(scan: RuleScan, clause: int | None = None) -> np.ndarray:
    """The rules' tags as 0/1 per RULE_FEATURES, for the text or one clause."""
    vec = np.zeros(len(RULE_FEATURES))
    for tag, where in scan.tags:
        if (clause is None or where == clause) and tag.theme in THEMES:
            vec[RULE_FEATURES.index(tag.theme + tag.polarity)] = 1.0
    return vec


class Featurizer:
    """TF-IDF rows (word block, then character block) for lists of words."""

    def __init__(self, word_vocab: Sequence[str], word_idf: np.ndarray,
                 char_vocab: Sequence[str], char_idf: np.ndarray, word_n: int = 2):
        self.word_n = word_n   # 3: word trigrams too
        self.n_word = len(word_vocab)
        self.n_features = self.n_word + len(char_vocab)
        self.word_index = {w: i for i, w in enumerate(word_vocab)}
        self.char_index = {c: i + self.n_word for i, c in enumerate(char_vocab)}
        self.idf = np.concatenate([np.asarray(word_idf, float), np.asarray(char_idf, float)])
        self._tokens: dict[str, list[int]] = {}

    def _token_ids(self, token: str) -> list[int]:
        """Feature ids of one word (its character n-grams and unigram), cached."""
        if len(self._tokens) >= _TOKEN_CACHE_SIZE:
            self._tokens.clear()   # bounded: a pasted book must not grow it forever
        char_index = self.char_index
        found = [char_index[g] for g in char_features((token,)) if g in char_index]
        if token in self.word_index:
            found.append(self.word_index[token])
        self._tokens[token] = found
        return found

    def ids(self, tokens: Sequence[str]) -> list[int]:
        """Feature ids of a word sequence, with repeats (character n-grams, unigrams, bigrams)."""
        # map and join over all the words at once: a Python step per word was the slow part.
        found = list(map(self._tokens.get, tokens))
        if None in found:   # words not seen yet
            found = [self._token_ids(token) if ids is None else ids
                     for token, ids in zip(tokens, found, strict=True)]
        out = list(itertools.chain.from_iterable(found))
        get = self.word_index.get
        pairs = zip(tokens, tokens[1:], strict=False)
        out += [i for i in map(get, map(" ".join, pairs)) if i is not None]
        if self.word_n >= 3:
            triples = zip(tokens, tokens[1:], tokens[2:], strict=False)
            out += [i for i in map(get, map(" ".join, triples)) if i is not None]
        return out

    def text_and_clause_rows(self, clauses: Sequence[Sequence[str]]
                             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``rows`` of a text (row 0) and of each of its clauses, the text's words being its
        clauses' in order: each word is looked up once, and the clauses' ids are read into
        numpy once (the text row's are theirs, with the bigrams across clause boundaries)."""
        parts = [self.ids(words) for words in clauses]
        if self.word_n >= 3:
            return self.rows_of_ids([self.ids([w for words in clauses for w in words]), *parts])
        word_index = self.word_index
        cross = [i for a, b in zip(clauses, clauses[1:], strict=False)   # across a boundary
                 if (i := word_index.get(f"{a[-1]} {b[0]}")) is not None]
        dtype = self._key_dtype(len(parts) + 1)
        lengths = [len(i) for i in parts]
        flat = np.fromiter(itertools.chain.from_iterable(parts), dtype=dtype, count=sum(lengths))
        offsets = np.repeat(np.arange(1, len(parts) + 1, dtype=dtype) * self.n_features, lengths)
        keys = np.concatenate([flat, np.array(cross, dtype=dtype), flat + offsets])
        return self._rows_of_keys(keys, len(parts) + 1)

    def rows(self, rows: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse TF-IDF rows as (row, feature, value) arrays, sorted by row then feature."""
        return self.rows_of_ids([self.ids(tokens) for tokens in rows])

    def _key_dtype(self, n_rows: int) -> type[np.signedinteger]:
        # 32-bit keys where they fit (a text and its clauses): sorted twice as fast as 64-bit.
        return np.int32 if n_rows * self.n_features < 2**31 else np.int64

    def rows_of_ids(self, ids: Sequence[Sequence[int]]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``rows`` from each row's feature ids (with repeats), as ``ids`` gives them."""
        dtype = self._key_dtype(len(ids))
        keys = np.fromiter(itertools.chain.from_iterable(ids), dtype=dtype,
                           count=sum(map(len, ids)))
        if len(ids) > 1:   # one key space: row * n_features + feature
            keys += np.repeat(np.arange(len(ids), dtype=dtype) * self.n_features,
                              [len(i) for i in ids])
        return self._rows_of_keys(keys, len(ids))

    def _rows_of_keys(self, keys: np.ndarray, n_rows: int
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``rows`` from the keys (row * n_features + feature, with repeats) of ``n_rows``."""
        if not len(keys):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        # np.unique(return_counts=True), without its overhead on these short arrays.
        keys.sort()
        edges = np.empty(len(keys) + 1, dtype=bool)   # where runs of equal keys start; the end
        edges[0] = edges[-1] = True
        np.not_equal(keys[1:], keys[:-1], out=edges[1:-1])
        edges = edges.nonzero()[0]
        unique = keys.take(edges[:-1])
        counts = edges[1:] - edges[:-1]
        if n_rows == 1:   # most calls: one text, its word block then its character block
            value = (1.0 + np.log(counts)) * self.idf.take(unique)
            cut = int(np.searchsorted(unique, self.n_word))
            for part in (value[:cut], value[cut:]):
                if len(part):
                    part /= math.sqrt(np.dot(part, part))
            return np.zeros(len(unique), dtype=np.int64), unique, value
        row, feature = np.divmod(unique, self.n_features)
        value = (1.0 + np.log(counts)) * self.idf.take(feature)
        block = row * 2 + (feature >= self.n_word)
        norms = np.sqrt(np.bincount(block, weights=value * value))
        return row, feature, value / norms.take(block)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------
# The model


class Analysis:
    """One text as the model read it: theme probabilities and where each theme is said.

    The clause-level scores are computed on first use: when the rules already
    found every theme the model would add, they are never needed.
    """

    def __init__(self, model: ThemeModel, scan: RuleScan, clauses: list[tuple[int, list[str]]],
                 prob: np.ndarray, text_vector: tuple[np.ndarray, np.ndarray],
                 clause_scores: tuple[np.ndarray, np.ndarray] | None = None):
        self.model, self.scan, self.clauses = model, scan, clauses
        self.prob = prob                  # (themes,) probability of each theme in the text
        self.text_vector = text_vector    # (feature ids, values) of the whole text
        self._clause_scores = clause_scores

    def _scores(self) -> tuple[np.ndarray, np.ndarray]:
        if self._clause_scores is None:
            self._clause_scores = self.model.clause_scores(self.scan, self.clauses)
        return self._clause_scores

    @functools.cached_property
    def own_prob(self) -> np.ndarray:
        """The part of ``prob`` that does not come from words a rules cue already took:
        the text's probabilities without those words, capped at ``prob``."""
        covered = self.scan.covered
        if not covered:
            return self.prob
        free = [w for k, w in enumerate(self.scan.words) if k not in covered]
        return np.minimum(self.prob, self.model.text_prob(free))

    @property
    def clause_prob(self) -> np.ndarray:
        """(clauses, themes): how strongly each clause says each theme."""
        return self._scores()[0]

    @property
    def polarity_logit(self) -> np.ndarray:
        """(clauses, themes): > 0 reads as a strength."""
        return self._scores()[1]


class ThemeModel:
    """Per-theme classifiers and a clause polarity model, from plain arrays."""

    def __init__(self, arrays: dict[str, Any]):
        self.featurizer = Featurizer(arrays["word_vocab"], arrays["word_idf"],
                                     arrays["char_vocab"], arrays["char_idf"],
                                     int(np.asarray(arrays.get("word_ngrams", 2))))
        self.coef = np.asarray(arrays["theme_coef"], float)          # (features, themes)
        self.rule_coef = np.asarray(arrays["theme_rule_coef"], float)  # (rules, themes)
        self.intercept = np.asarray(arrays["theme_intercept"], float)
        self.threshold = np.asarray(arrays["threshold"], float)
        # Rules first: a rules tag whose theme the model gives less than this is dropped.
        self.veto = np.asarray(arrays.get("veto", np.zeros(len(THEMES))), float)
        self.pol_coef = np.asarray(arrays["pol_coef"], float)        # (features,)
        self.pol_rule = np.asarray(arrays["pol_rule_coef"], float)   # (2,) rule +, rule -
        self.pol_theme = np.asarray(arrays["pol_theme_coef"], float)  # (themes,)
        self.pol_intercept = float(np.asarray(arrays["pol_intercept"]))
        # A clause reads as a strength only above this logit: > 0 leans towards "gap"
        # (most real feedback gives a rejection's reasons).
        self.pol_bias = float(np.asarray(arrays.get("pol_bias", 0.0)))
        self.rule_weight = float(np.asarray(arrays["rule_weight"]))
        self.clause_margin = float(np.asarray(arrays.get("clause_margin", 0.5)))
        # A theme said in one clause of a long story: the clause's probability may decide.
        self.clause_max = bool(np.asarray(arrays.get("clause_max", False)))
        self.rules_first = bool(np.asarray(arrays.get("rules_first", False)))
        # Rules first: the polarity model overrules a rules tag's polarity when its logit
        # (less pol_bias) says the opposite by more than this, per theme; 0: never. Not
        # where the cue's own words gave it ("wasn't nervous"): the rules read those exactly.
        self.pol_override = np.broadcast_to(
            np.asarray(arrays.get("pol_override", 0.0), float), (len(THEMES),)).copy()
        self.name = str(np.asarray(arrays.get("name", "model")))
        self.settings = str(np.asarray(arrays.get("settings", "{}")))   # how it was fitted
        # Theme and polarity weights side by side: one pass over a text's features.
        self.weights = np.hstack([self.coef, self.pol_coef[:, None]])
        themes = tuple(str(t) for t in arrays["themes"])
        if themes != THEMES or self.coef.shape != (self.featurizer.n_features, len(THEMES)):
            raise ValueError("the theme model does not match this version's themes")

    @classmethod
    def load(cls, path: Path | str = MODEL_FILE) -> ThemeModel:
        with np.load(path, allow_pickle=False) as data:
            return cls({k: data[k] for k in data.files})

    def _score_rows(self, rows: Sequence[Sequence[str]], rules: np.ndarray | None
                    ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Theme logits and polarity logits of word rows (``rules``: their rules features,
        None for none); also the first row's TF-IDF vector."""
        ids = [self.featurizer.ids(tokens) for tokens in rows]
        return self._score_tfidf(self.featurizer.rows_of_ids(ids), len(ids), rules)

    def _score_tfidf(self, tfidf: tuple[np.ndarray, np.ndarray, np.ndarray], n_rows: int,
                     rules: np.ndarray | None
                     ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """``_score_rows`` from the rows' TF-IDF (``Featurizer.rows``)."""
        row, feature, value = tfidf
        # take: the same rows as fancy indexing, without its overhead
        gathered = self.weights.take(feature, axis=0)
        if n_rows == 1:
            sums = (value @ gathered)[None, :]
            vector = (feature, value)
        elif n_rows * len(value) <= _SPREAD_CELLS:
            # Every row in one product: each value in its row's line of an otherwise zero
            # matrix (a handful of rows), not a dot product per row.
            spread = np.zeros((n_rows, len(value)))
            spread[row, np.arange(len(value))] = value
            sums = spread @ gathered
            first = int(np.searchsorted(row, 1))
            vector = (feature[:first], value[:first])
        else:
            # A long text and its clauses: that matrix would grow with rows x values;
            # one gather, then a dot product per row.
            bounds = np.searchsorted(row, np.arange(n_rows + 1)).tolist()
            sums = np.zeros((n_rows, gathered.shape[1]))
            for r, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
                if b > a:
                    sums[r] = value[a:b] @ gathered[a:b]
            vector = (feature[:bounds[1]], value[:bounds[1]])
        logits = sums[:, :-1] + self.intercept
        # The learned model alone has no rules features; a row without rules tags adds 0.
        if self.rule_weight and rules is not None:
            logits += rules @ self.rule_coef
        return logits, sums[:, -1] + self.pol_intercept, vector

    def _rules(self, scan: RuleScan, clauses: list[tuple[int, list[str]]]
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rules' tags as features: of the text, of each clause, and their polarity
        per clause and theme."""
        text = np.zeros(len(RULE_FEATURES))
        per_clause = np.zeros((len(clauses), len(RULE_FEATURES)))
        polarity = np.zeros((len(clauses), len(THEMES), 2))
        row_of = {c: k for k, (c, _) in enumerate(clauses)}
        for tag, clause in scan.tags:
            if tag.theme in THEMES:
                j = RULE_FEATURES.index(tag.theme + tag.polarity)
                text[j] = per_clause[row_of[clause], j] = self.rule_weight
                polarity[row_of[clause], THEMES.index(tag.theme), int(tag.polarity == "-")] = 1.0
        return text, per_clause, polarity

    def text_prob(self, words: Sequence[str]) -> np.ndarray:
        """Theme probabilities of a word sequence read as a text, without the rules' features."""
        logits, _, _ = self._score_rows([list(words)], None)
        return _sigmoid(logits[0])

    def clause_scores(self, scan: RuleScan, clauses: list[tuple[int, list[str]]]
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Theme probability and polarity logit of each clause: (clauses, themes) each."""
        _text, per_clause, rule_pol = self._rules(scan, clauses)
        logits, pol, _ = self._score_rows([tokens for _, tokens in clauses], per_clause)
        return _sigmoid(logits), self._polarity(pol, rule_pol)

    def _polarity(self, pol: np.ndarray, rule_pol: np.ndarray) -> np.ndarray:
        return pol[:, None] + self.pol_theme[None, :] + rule_pol @ self.pol_rule

    def analyse(self, scan: RuleScan) -> Analysis:
        """Theme probabilities for the text (and, when first needed, for each clause)."""
        clauses = clause_tokens(scan)
        text_rules, per_clause, rule_pol = self._rules(scan, clauses)
        scores = None
        if len(clauses) > 1 and (self.clause_max or self._overrules(scan)):
            # The clauses will be needed (to overrule the rules' polarity, or for the
            # maximum): one featurizer pass for the text and its clauses, not two.
            tfidf = self.featurizer.text_and_clause_rows([w for _, w in clauses])
            logits, pol, vector = self._score_tfidf(tfidf, len(clauses) + 1,
                                                    np.vstack([text_rules, per_clause]))
            prob = _sigmoid(logits[0])
            scores = (_sigmoid(logits[1:]), self._polarity(pol[1:], rule_pol))
        else:
            logits, pol, vector = self._score_rows([list(scan.words)], text_rules[None, :])
            prob = _sigmoid(logits[0])
            if len(clauses) == 1:   # one clause: its scores are the text's
                scores = (prob[None, :], self._polarity(pol, rule_pol))
        if self.clause_max:
            prob = np.maximum(prob, scores[0].max(axis=0))
        return Analysis(self, scan, clauses, prob, vector, scores)

    def tags(self, analysis: Analysis, prob: np.ndarray | None = None,
             threshold: np.ndarray | None = None, drop: frozenset[str] = frozenset()
             ) -> list[ThemeTag]:
        """The built-in themes whose probability passes its threshold, with their polarity.

        With ``rules_first``, a theme the rules found keeps the rules' tags (their
        polarity reading is exact on plain wording) unless the model gives it less
        than its ``veto`` probability, and the model adds the themes the rules
        missed; otherwise the model decides every theme, the rules being among its
        features. ``drop``: themes the rules found that the user's own tagging of
        similar feedback overrules.
        """
        prob = analysis.prob if prob is None else prob
        threshold = self.threshold if threshold is None else threshold
        ruled: set[str] = set()
        out: list[ThemeTag] = []
        if self.rules_first:
            for n, (tag, clause) in enumerate(analysis.scan.tags):
                if tag.theme not in THEMES or tag.theme in drop:
                    continue
                if prob[THEMES.index(tag.theme)] >= self.veto[THEMES.index(tag.theme)]:
                    ruled.add(tag.theme)
                    firm = n in analysis.scan.firm   # the cue's own words: exact
                    out.append(tag if firm or not self.pol_override[THEMES.index(tag.theme)]
                               else self._overruled(analysis, tag, clause))
        candidates = [int(t) for t in np.flatnonzero(prob >= threshold) if THEMES[t] not in ruled]
        if candidates and self.rules_first and analysis.scan.covered:
            # "people-management experience" is leadership (the rules' cue): the model adds no
            # experience from the words "management experience" alone. What the model drew
            # from words a rules cue took does not count towards adding a theme.
            lift = np.maximum(analysis.prob - analysis.own_prob, 0.0)
            candidates = [t for t in candidates if prob[t] - lift[t] >= threshold[t]]
        for t in candidates:
            out += self.theme_tags(analysis, t)
        return out

    def _overrules(self, scan: RuleScan) -> bool:
        """Whether the polarity model may overrule one of the rules' tags in this text."""
        return self.rules_first and any(
            n not in scan.firm and tag.theme in THEMES
            and self.pol_override[THEMES.index(tag.theme)]
            for n, (tag, _) in enumerate(scan.tags))

    def _overruled(self, analysis: Analysis, tag: ThemeTag, clause: int) -> ThemeTag:
        """A rules tag, its polarity flipped where the polarity model firmly disagrees."""
        if tag.theme == COMPETITION:
            return tag
        t = THEMES.index(tag.theme)
        k = [c for c, _ in analysis.clauses].index(clause)
        logit, margin = analysis.polarity_logit[k, t] - self.pol_bias, self.pol_override[t]
        if (logit > margin) if tag.polarity == "-" else (logit < -margin):
            return ThemeTag(tag.theme, "+" if tag.polarity == "-" else "-", tag.evidence)
        return tag

    def theme_tags(self, analysis: Analysis, t: int) -> list[ThemeTag]:
        """Tags for one built-in theme found in the text: one per polarity its clauses show."""
        theme = THEMES[t]
        by_rules = [(tag, c) for tag, c in analysis.scan.tags if tag.theme == theme]
        if theme == COMPETITION:
            evidence = by_rules[0][0].evidence if by_rules else self._clause_words(analysis, t)
            return [ThemeTag(theme, "-", evidence)]
        column = analysis.clause_prob[:, t].tolist()   # a few clauses: Python floats are faster
        row_of = {c: k for k, (c, _) in enumerate(analysis.clauses)}
        top = max(column)
        chosen = {column.index(top)}   # the first strongest, as argmax
        # Other clauses that say this theme about as strongly, and those the rules found it in.
        chosen.update(k for k, p in enumerate(column) if p >= top - self.clause_margin and p >= 0.5)
        chosen.update(row_of[c] for _, c in by_rules)
        # In a clause the rules read, their polarity stands (exact on plain wording);
        # the polarity model reads the clauses they did not.
        by_clause: dict[int, list[ThemeTag]] = {}
        for tag, c in by_rules:
            by_clause.setdefault(row_of[c], []).append(tag)
        # A clause where a custom theme's phrase matched belongs to that theme.
        custom = {row_of[c] for tag, c in analysis.scan.tags if tag.theme not in THEMES}
        out = []
        for k in sorted(chosen):
            if k in by_clause:
                out += by_clause[k]
            elif k not in custom:
                polarity = "+" if analysis.polarity_logit[k, t] > self.pol_bias else "-"
                out.append(ThemeTag(theme, polarity, _shorten(analysis.clauses[k][1])))
        return out

    def _clause_words(self, analysis: Analysis, t: int) -> str:
        return _shorten(analysis.clauses[int(np.argmax(analysis.clause_prob[:, t]))][1])

    def suggest(self, text: str, custom: Sequence[CustomTheme] | None = None) -> list[ThemeTag]:
        """Tags for one text: built-in themes from the model, custom ones as the user taught."""
        scan = scan_rules(text, custom)
        if scan is None:
            return []
        analysis = self.analyse(scan)
        layer = getattr(custom, "layer", None)
        if layer is not None and layer.size:
            return unique_tags(layer.tags(self, analysis))
        # Custom themes come from their key phrases (the rules) until the user tags some.
        own = [tag for tag, _ in scan.tags if tag.theme not in THEMES]
        return unique_tags(self.tags(analysis) + own)


def _shorten(words: Sequence[str]) -> str:
    text = " ".join(words)
    return text if len(text) <= _EVIDENCE_CHARS else text[:_EVIDENCE_CHARS - 1].rstrip() + "…"


# --------------------------------------------------------------------------
# The shipped model


@functools.lru_cache(maxsize=1)
def shipped() -> ThemeModel | None:
    """The model inside the package, loaded once; None (rules only) if missing or unreadable."""
    try:
        return ThemeModel.load(MODEL_FILE)
    except FileNotFoundError:
        log.warning("no theme model at %s; theme suggestions use the rules alone", MODEL_FILE)
    except Exception:  # a damaged file must not stop anyone recording feedback
        log.exception("the theme model at %s could not be read; rules alone", MODEL_FILE)
    return None


def suggest(text: str, custom: Sequence[CustomTheme] | None = None) -> list[ThemeTag]:
    """``themes.suggest_themes``: the shipped model with the rules, or the rules alone."""
    model = shipped()
    if model is None:
        return rule_themes(text, custom)
    return model.suggest(text, custom)


if __name__ == "__main__":
    # ``python -m tappedin_widgets.theme_model build``: theme_train's command. Run as a
    # module, not imported: theme_train builds on this module, not the other way round.
    import runpy

    runpy.run_module("tappedin_widgets.theme_train", run_name="__main__", alter_sys=True)
