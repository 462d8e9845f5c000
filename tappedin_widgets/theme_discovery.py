"""Discovering new themes: feedback that matched no theme, grouped (TF-IDF and
average-linkage clustering on cosine similarity, numpy only) so a person can name
a new custom theme."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from .theme_rules import TOKEN, ThemeGroup, normalise_text

# --------------------------------------------------------------------------
# Discovering new themes

_STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can cannot could couldn't did didn't do does doesn't doing don't
down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's
her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it
it's its itself just let's me more most mustn't my myself no nor not of off on once only or other
ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some
such than that that's the their theirs them themselves then there there's these they they'd
they'll they're they've this those through to too under until up very was wasn't we we'd we'll
we're we've were weren't what what's when when's where where's which while who who's whom why
why's will with won't would wouldn't you you'd you'll you're you've your yours yourself
yourselves really quite bit lot lots much many well get got said say says told felt feel feels
think thought seemed seem seems like just also one two three us thank thanks hi hello dear
regards best team panel interview interviews interviewer interviewers candidate candidates role
position job feedback process recruiter hiring manager company time way would could might may
decided decision move forward moving unfortunately however though although ultimately overall
""".split())
_MAX_DISCOVERY_TEXTS = 1_000
_SIMILARITY_THRESHOLD = 0.18


def _stem(word: str) -> str:
    """Fold plurals so "references" and "reference" meet."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _terms(text: str) -> list[str]:
    """Content words and two-word phrases of adjacent content words."""
    terms: list[str] = []
    previous: str | None = None
    for piece in re.split(r"[.,;:!?()\n\"]+", normalise_text(text)[:5_000]):
        previous = None
        for raw in TOKEN.findall(piece):
            word = raw.strip("'-")
            if len(word) < 2 or word in _STOP_WORDS or not any(c.isalpha() for c in word):
                previous = None
                continue
            word = _stem(word)
            terms.append(word)
            if previous is not None:
                terms.append(f"{previous} {word}")
            previous = word
    return terms


def discover_groups(texts: Sequence[str], *, min_size: int = 2,
                    max_groups: int = 8) -> list[ThemeGroup]:
    """Group similar feedback texts (usually ones that matched no theme).

    Returns at most ``max_groups`` groups of at least ``min_size`` texts,
    largest first, each with its telling words, a suggested name, member
    indices (positions in ``texts``) and up to three example texts.
    Deterministic. Only the first 1,000 texts are grouped.
    """
    import numpy as np

    texts = list(texts)[:_MAX_DISCOVERY_TEXTS]
    docs = [_terms(t) if isinstance(t, str) else [] for t in texts]
    kept = [i for i, d in enumerate(docs) if d]
    if len(kept) < max(min_size, 1) or max_groups <= 0:
        return []

    counts = [Counter(docs[i]) for i in kept]
    df = Counter(term for c in counts for term in c)
    idf = {term: math.log((1 + len(kept)) / (1 + n)) + 1.0 for term, n in df.items()}
    # A term in one text only cannot link two texts: it counts in that text's
    # norm (so cosines are exact) but gets no column, which keeps memory small.
    vocabulary = sorted(term for term, n in df.items() if n >= 2)
    column = {term: j for j, term in enumerate(vocabulary)}
    tf = np.zeros((len(kept), len(vocabulary)))
    weights = np.zeros_like(tf)
    norms = np.ones((len(kept), 1))
    for row, c in enumerate(counts):
        norms[row, 0] = math.sqrt(sum((math.log1p(n) * idf[t]) ** 2 for t, n in c.items())) or 1.0
        for term, n in c.items():
            j = column.get(term)
            if j is not None:
                tf[row, j] = n
                weights[row, j] = math.log1p(n) * idf[term]
    vectors = weights / norms

    clusters = _average_linkage(vectors @ vectors.T, _SIMILARITY_THRESHOLD)
    clusters = [c for c in clusters if len(c) >= max(min_size, 1)]
    clusters.sort(key=lambda c: (-len(c), c[0]))

    groups = []
    for members in clusters[:max_groups]:
        rows = np.array(members)
        shared = (tf[rows] > 0).mean(axis=0)
        profile = weights[rows].sum(axis=0) * shared
        # Telling words are the ones the members share, when they share any.
        floor = min(2, len(members)) / len(members)
        order = sorted(range(len(vocabulary)), key=lambda j: (-profile[j], vocabulary[j]))
        ranked = [vocabulary[j] for j in order if profile[j] > 0 and shared[j] >= floor]
        top = _top_terms(ranked or [vocabulary[j] for j in order if profile[j] > 0], 5)
        centre = vectors[rows].mean(axis=0)
        closest = sorted(members, key=lambda r: (-float(vectors[r] @ centre), r))[:3]
        groups.append(ThemeGroup(
            name=_group_name(top),
            top_terms=tuple(top),
            indices=tuple(kept[r] for r in members),
            examples=tuple(texts[kept[r]] for r in closest),
        ))
    return groups


def _group_name(top: list[str]) -> str:
    """A phrase among the first three terms, else the first two words: "Cv / gap"."""
    if not top:
        return "Other"
    phrase = next((t for t in top[:3] if " " in t), None)
    name = phrase or " / ".join(top[:2])
    return name[0].upper() + name[1:]


def _top_terms(ranked: list[str], n: int) -> list[str]:
    """The n best terms, leaving out single words already inside a chosen phrase."""
    chosen: list[str] = []
    for term in ranked:
        if any(term in c.split() or (" " in term and set(term.split()) <= set(c.split()))
               for c in chosen):
            continue
        if " " in term:
            chosen = [c for c in chosen if c not in term.split()]
        chosen.append(term)
        if len(chosen) == n:
            break
    return chosen


def _average_linkage(similarity, threshold: float) -> list[list[int]]:
    """Merge the two most similar clusters while their mean similarity >= threshold."""
    import numpy as np

    n = similarity.shape[0]
    sim = similarity.astype(float).copy()
    np.fill_diagonal(sim, -np.inf)
    members: list[list[int] | None] = [[i] for i in range(n)]
    active = np.ones(n, dtype=bool)
    while active.sum() > 1:
        flat = int(np.argmax(sim))
        a, b = divmod(flat, n)
        if sim[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        size_a, size_b = len(members[a]), len(members[b])
        merged = (sim[a] * size_a + sim[b] * size_b) / (size_a + size_b)
        sim[a, :] = merged
        sim[:, a] = merged
        sim[a, a] = -np.inf
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        members[a] = sorted(members[a] + members[b])
        members[b] = None
        active[b] = False
    return [m for m in members if m is not None]
