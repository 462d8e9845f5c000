"""The rules that suggest feedback themes, each with a polarity: pure and offline.

Text is split into sentences, clauses (at contrast words such as *but*,
*however*) and comma segments; theme cue phrases and sentiment words are found
with compiled regular expressions; each cue takes its polarity from its own
wording ("nervous", "overqualified"), from negators and comparatives just before
it ("not confident", "more concise"), or from the sentiment of its segment and
clause. ``competition`` is always "-". Every tag carries the words that
triggered it (``evidence``), so the form can explain a suggestion.

:mod:`themes` combines these rules with the learned model; ``rule_themes`` is
the rules alone. The rules do no I/O.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .models import COMPETITION, LONG_MAX
from .theme_lexicon import (
    COMPARATIVES,
    CONTEXT,
    CONTRAST,
    NEGATORS,
    SENTIMENT,
    SKIP,
    THEME_CUES,
)

__all__ = [
    "CustomTheme", "ThemeTag", "ThemeGroup", "rule_themes", "scan_rules", "RuleScan",
    "compile_custom", "unique_tags", "MAX_CHARS",
]

#: Only this many characters of a text are read (the longest feedback the
#: store accepts); anything after is ignored so a pasted book stays fast.
MAX_CHARS = LONG_MAX

NEGATION_WINDOW = 4     # a negator reaches this many words ahead
COMPARATIVE_WINDOW = 2  # "more" / "too" reaches this many words ahead
WEAK_WINDOW = 4         # a generic cue yields to another theme this close
DEFAULT_SIGN = -1      # a theme named with no sentiment at all reads as a gap


# --------------------------------------------------------------------------
# Public types


@dataclass(frozen=True, order=True)
class ThemeTag:
    """One suggested theme with its polarity: "+" a strength, "-" a gap.

    ``evidence`` (the words that triggered the tag) is for display only; it
    takes no part in equality, ordering or hashing.
    """

    theme: str
    polarity: str
    evidence: str = field(default="", compare=False)


@dataclass(frozen=True)
class CustomTheme:
    """A theme a person added; matched by its key phrases (case-insensitive)."""

    id: str
    label: str
    description: str = ""
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeGroup:
    """Similar feedback texts that matched no theme, with their telling words."""

    name: str
    top_terms: tuple[str, ...]
    indices: tuple[int, ...]
    examples: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.indices)


TOKEN = re.compile(r"[^\W_](?:[\w'-]*[^\W_])?|[+]")
# Sentence, clause, contrast and segment boundaries. As one regex (``[.!?]+(?=\s|$)|\n+|
# (?:^|\s)\u2022|[;:()]|\s[-\u2013\u2014]+\s|[\u2013\u2014]|\b(?:CONTRAST)\b|,``) it was tried at
# every character (~30 us a text). Split in two, with the same matches: the marks, whose
# pattern starts with a character set (so the engine skips to those characters fast) and
# then tells the boundary by the character taken (lookbehinds, in the one regex's order);
# and the contrast words, searched only in a text that holds one of them. No mark boundary
# can start inside a contrast word's match nor the other way round, so the two sets of
# matches, merged by position, are the one regex's. Which boundary matched is told by its
# text (``_boundary_kind``).
_BOUNDARY_MARK = re.compile(
    r"[.!?\n;:(),\u2013\u2014\u2022\s]"             # every mark boundary's first character
    r"(?:(?<=[.!?])[.!?]*(?=\s|$)|(?<=\n)\n*|(?<=^\u2022)"    # sentence
    r"|(?<=\s)\u2022"                                    # sentence: a bullet after a space
    r"|(?<=\s)[-\u2013\u2014]+\s|(?<=[;:()\u2013\u2014])"  # clause
    r"|(?<=,))"                                          # segment
)
_BOUNDARY_WORD = re.compile(rf"\b(?:{CONTRAST})\b")
_CONTRAST_ALL = [alt.split(")")[-1] for alt in CONTRAST.split("|")]   # lookbehinds dropped
# A text holds a contrast word only if it holds one of these, the contrast words that hold
# no other ("though" stands for "although" and "even though"): a fast check with ``in``.
_CONTRAST_WORDS = tuple(word for word in dict.fromkeys(_CONTRAST_ALL)
                        if not any(other != word and other in word for other in _CONTRAST_ALL))
_BULLET = re.compile(r"(?:^|(?<=[\n,;:(]))[ \t]*([+-])[ \t]*(?=[^\W\d_])")
# Where a _BULLET match can be, but for the text's start: found fast (a character set first).
_BULLET_AFTER = re.compile(r"[\n,;:(][ \t]*[+-]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


@dataclass(frozen=True)
class _Cue:
    kind: str                 # theme | sent | ctx | negator | comp | skip
    theme: str | None
    polarity: str | None      # fixed polarity of a polar theme cue or a sentiment
    weak: bool
    pattern: re.Pattern[str]
    literal: str = ""         # every match starts with these characters


_Index = dict[str, tuple[_Cue, ...]]


def _leading_literal(pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch in "\\()[]{}|.*+?^$":
            if ch in "?*{" and out:
                out.pop()
            break
        out.append(ch)
    return "".join(out)


def _expand(pattern: str) -> list[str]:
    """Spell out a leading group so every pattern starts with a word.

    "(?:good|great) fit" -> ["good fit", "great fit"]; "(?:x )?y" -> ["x y", "y"].
    """
    if not pattern.startswith("(?:"):
        return [pattern]
    depth, bars = 0, [2]
    for i, ch in enumerate(pattern):
        if ch == "\\":
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        elif ch == "|" and depth == 1:
            bars.append(i)
    optional = pattern[i + 1:i + 2] == "?"
    if pattern[i + 1:i + 2] in ("*", "+", "{"):
        raise ValueError(f"cue pattern must start with a word: {pattern!r}")
    rest = pattern[i + 2:] if optional else pattern[i + 1:]
    bars.append(i)
    alternatives = [pattern[a + 1:b] for a, b in zip(bars, bars[1:], strict=False)]
    if optional:
        alternatives.append("")
    return [full for alt in alternatives for full in _expand(alt + rest)]


def _key(word: str) -> str:
    return word[:3]


def _cues(kind: str, pattern: str, theme: str | None = None,
          polarity: str | None = None, weak: bool = False) -> list[tuple[str, _Cue]]:
    out = []
    for expanded in _expand(pattern):
        literal = _leading_literal(expanded)
        first = literal.split(" ")[0]
        if len(first) < 3 and literal != expanded and not literal.startswith(first + " "):
            raise ValueError(f"cue pattern must start with a word: {pattern!r}")
        # A cue ends where a word ends; hyphenated words are one word.
        compiled = re.compile(rf"(?:{expanded})(?![\w'-])")
        out.append((_key(first), _Cue(kind, theme, polarity, weak, compiled, literal)))
    return out


def _build_index(entries: Iterable[tuple[str, _Cue]]) -> _Index:
    index: dict[str, list[_Cue]] = {}
    for key, cue in entries:
        index.setdefault(key, []).append(cue)
    return {k: tuple(v) for k, v in index.items()}


def _builtin_entries() -> list[tuple[str, _Cue]]:
    entries = []
    # Skips first: on a tie in length the earlier entry wins.
    for p in SKIP:
        entries += _cues("skip", p)
    for theme, groups in THEME_CUES.items():
        for group, patterns in groups.items():
            polarity = group if group in "+-" else None
            for p in patterns:
                entries += _cues("theme", p, theme, polarity, weak=(group == "weak"))
    for p in NEGATORS:
        entries += _cues("negator", p)
    for p in CONTEXT:
        entries += _cues("ctx", p, polarity="-")
    for p in COMPARATIVES:
        entries += _cues("comp", p)
    for polarity, patterns in SENTIMENT.items():
        for p in patterns:
            entries += _cues("sent", p, polarity=polarity)
    return entries


_INDEX: _Index = _build_index(_builtin_entries())
_BUILTIN = frozenset(THEME_CUES)



# --------------------------------------------------------------------------
# Custom themes


@functools.lru_cache(maxsize=64)
def compile_custom(custom: tuple[CustomTheme, ...]) -> _Index:
    """Index a person's custom themes for matching (cached per tuple of themes).

    Each phrase matches case-insensitively as whole words, with any spacing or
    hyphen between words and a plural or verb ending on the last word.
    """
    bodies: dict[tuple[str, str], set[str]] = {}
    for theme in custom:
        for phrase in theme.phrases:
            words = [w for w in TOKEN.findall(normalise_text(str(phrase))) if w != "+"]
            words = [part for w in words for part in re.split(r"[-']+", w) if part]
            if not words:
                continue
            body = r"[\s\-/]*".join(re.escape(w) for w in words)
            keys = {_key(words[0])}
            if len(words[0]) < 3 and len(words) > 1:   # "on call" is also "on-call", "oncall"
                keys |= {_key(words[0] + "-" + words[1]), _key(words[0] + words[1])}
            for key in keys:
                bodies.setdefault((key, theme.id), set()).add(body)
    entries = []
    for (key, theme_id), alternatives in bodies.items():
        # One pattern per theme and first letters; longest phrase first.
        either = "|".join(sorted(alternatives, key=lambda b: (-len(b), b)))
        pattern = re.compile(rf"(?:{either})(?:s|es|ed|d|ing)?(?![\w'-])")
        entries.append((key, _Cue("theme", theme_id, None, False, pattern)))
    return _build_index(entries)


def _custom_index(custom: Sequence[CustomTheme]) -> _Index:
    themes = tuple(custom)
    try:
        return compile_custom(themes)
    except TypeError:   # phrases given as a list: unhashable, so not cached
        return compile_custom.__wrapped__(themes)


# --------------------------------------------------------------------------
# Suggesting


@dataclass
class _Hit:
    cue: _Cue
    word: int            # index of first word
    last: int            # index of last word covered
    text: str
    segment: int
    clause: int
    value: int = 0       # resolved +1 / -1 for polar cues, qualified cues and sentiment


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    if not text.isascii():   # _QUOTES maps only non-ASCII characters
        text = text.translate(_QUOTES)
    text = _CONTROL.sub(" ", text).lower()
    if not (text.lstrip(" \t").startswith(("+", "-")) or _BULLET_AFTER.search(text)):
        return text   # no bullet: _BULLET's scan (tried at every character) is slow
    # "+ SQL, - too quiet" note-taking bullets read as praise / gap words.
    return _BULLET.sub(lambda m: " strong " if m.group(1) == "+" else " lacking ", text)


_SENTIMENT_KINDS = frozenset({"sent", "ctx", "negator", "comp"})
# Their terms hold sentiment-looking words ("right to work", "formal requirements").
_NO_INNER = frozenset({"qualifications", COMPETITION})
_RawHit = tuple[int, int, _Cue, str, int]


_CANDIDATE_CACHE_SIZE = 50_000
_builtin_candidates: dict[tuple[str, frozenset[str] | None], tuple[_Cue, ...]] = {}


def _filter(cues: Iterable[_Cue], token: str, kinds: frozenset[str] | None) -> tuple[_Cue, ...]:
    # A cue's match starts with its literal: the word starts with it, or it with the word.
    return tuple(cue for cue in cues if (kinds is None or cue.kind in kinds)
                 and (token.startswith(cue.literal) or cue.literal.startswith(token)))


def _candidates(index: _Index, token: str, kinds: frozenset[str] | None) -> tuple[_Cue, ...]:
    """The cues of ``index`` that can match at a word ``token``.

    Trying only those cues' patterns makes the rules about twice as fast, with the
    same answer. Cached per word for the built-in cues (a custom index may be
    rebuilt, so its few cues are filtered each time).
    """
    if index is not _INDEX:
        return _filter(index.get(_key(token), ()), token, kinds)
    found = _builtin_candidates.get((token, kinds))
    if found is None:
        if len(_builtin_candidates) >= _CANDIDATE_CACHE_SIZE:
            _builtin_candidates.clear()   # bounded: a pasted book must not grow it forever
        found = _builtin_candidates[(token, kinds)] = _filter(
            index.get(_key(token), ()), token, kinds)
    return found


def _longest(text: str, pos: int, cues: Iterable[_Cue]) -> tuple[int, _Cue] | None:
    """The longest match of ``cues`` at ``pos``: (its end, the cue)."""
    best: tuple[int, _Cue] | None = None
    for cue in cues:
        # The literal first: far cheaper than the pattern ("the team", "the panel"...).
        m = text.startswith(cue.literal, pos) and cue.pattern.match(text, pos)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), cue)
    return best


def _inner_sentiment(text: str, tokens: list[str], starts: list[int],
                     first: int, last: int, end: int) -> int:
    """Sentiment of the words inside one cue: "great questions", "know little about"."""
    total, flip = 0, False
    for j in range(first, last + 1):
        found = _longest(text, starts[j], _candidates(_INDEX, tokens[j], _SENTIMENT_KINDS))
        if found is None or found[0] > end:
            continue
        kind, polarity = found[1].kind, found[1].polarity
        if kind == "negator":
            flip = True
        elif kind == "comp":
            total -= 1
        else:
            value = 1 if polarity == "+" else -1
            total += -value if flip and kind == "sent" else value
            flip = False
    return -1 if flip and total == 0 else _sign(total)


def _word_candidates(index: _Index, tokens: list[str]) -> list[tuple[_Cue, ...]]:
    """``_candidates`` of every word: the built-in cues' cache read for all words at once
    (most words start no cue; a call per word was a tenth of the rules' time)."""
    if index is not _INDEX:
        return [_candidates(index, token, None) for token in tokens]
    found = list(map(_builtin_candidates.get, zip(tokens, itertools.repeat(None))))
    if None in found:   # words not seen yet
        found = [_candidates(_INDEX, token, None) if cues is None else cues
                 for token, cues in zip(tokens, found, strict=True)]
    return found


def _scan(text: str, tokens: list[str], starts: list[int], index: _Index) -> list[_RawHit]:
    """Leftmost-longest cue matches: (first word, last word, cue, matched text, inner sentiment)."""
    hits = []
    free = 0   # the first word no earlier match took
    for i, cues in enumerate(_word_candidates(index, tokens)):
        if not cues or i < free:
            continue
        best = _longest(text, starts[i], cues)
        if best is None:
            continue
        end, cue = best
        last = max(i, bisect_right(starts, end - 1) - 1)
        inner = 0
        if cue.kind == "theme" and cue.polarity is None and last > i and cue.theme not in _NO_INNER:
            inner = _inner_sentiment(text, tokens, starts, i, last, end)
        hits.append((i, last, cue, text[starts[i]:end], inner))
        free = last + 1
    return hits


def _boundary_kind(found: str) -> str:
    """Which boundary matched ``found``: a sentence's end ([.!?], newlines, a
    bullet), a segment's (a comma), a contrast word, else a clause's ([;:()], dashes).
    A newline never starts a clause boundary: the sentence's ``\\n+`` is tried first."""
    first = found[0]
    if first in ".!?\n" or found[-1] == "\u2022":
        return "sentence"
    if first == ",":
        return "segment"
    return "contrast" if first.isalpha() else "clause"


def _units(text: str, starts: list[int]) -> tuple[list[int], list[int], list[int], set[int]]:
    """Segment, clause and sentence number of every word (by its start); clauses opened by
    contrast."""
    # Running counts after each boundary; a word takes those of the boundaries before it.
    # Every boundary opens a segment: a word's segment is the number of boundaries before it.
    bounds, clauses, sents = [], [0], [0]
    contrast_clauses: set[int] = set()
    found = list(_BOUNDARY_MARK.finditer(text))
    if any(word in text for word in _CONTRAST_WORDS):
        found = sorted(found + list(_BOUNDARY_WORD.finditer(text)), key=re.Match.start)
    for m in found:
        kind = _boundary_kind(m.group())
        clause = clauses[-1] + (kind != "segment")
        bounds.append(m.start())
        clauses.append(clause)
        sents.append(sents[-1] + (kind == "sentence"))
        if kind == "contrast":
            contrast_clauses.add(clause)
    if not bounds:   # one sentence, one clause, one segment
        zeros = [0] * len(starts)
        return zeros, zeros, zeros, contrast_clauses
    at = list(map(functools.partial(bisect_right, bounds), starts))
    return at, list(map(clauses.__getitem__, at)), list(map(sents.__getitem__, at)), \
        contrast_clauses


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


@dataclass(frozen=True)
class RuleScan:
    """What the rules read in one text: its words, their clauses, and the tags found.

    ``tags`` pairs each tag with the clause its evidence sits in; the learned
    model (``theme_model``) reads the same words and clauses. ``covered``: the
    words a built-in theme cue or a skip phrase took (the model adds no theme from
    those alone). ``firm``: the numbers of the tags whose polarity the cue's own words
    gave ("nervous", "wasn't nervous", "great questions"), not the sentiment around it.
    """

    norm: str
    words: tuple[str, ...]
    clause_of: tuple[int, ...]
    tags: tuple[tuple[ThemeTag, int], ...]
    covered: frozenset[int] = frozenset()
    firm: frozenset[int] = frozenset()


def scan_rules(text: str, custom: Sequence[CustomTheme] | None = None) -> RuleScan | None:
    """Normalise, split into clauses and apply the rules; None for a text with no words."""
    if not isinstance(text, str) or not text.strip():
        return None
    norm = normalise_text(text)
    words = list(TOKEN.finditer(norm))
    if not words:
        return None
    # Each word's text and start, read once for the rules' passes below.
    tokens = [w.group() for w in words]
    starts = [w.start() for w in words]
    seg_of, clause_of, sent_of, contrast_clauses = _units(norm, starts)

    raw = _scan(norm, tokens, starts, _INDEX)
    if custom:
        mine = _scan(norm, tokens, starts, _custom_index(custom))
        # A person's own theme takes its words from a built-in cue.
        taken = {j for first, last, *_ in mine for j in range(first, last + 1)}
        raw = [h for h in raw if h[2].kind != "theme" or taken.isdisjoint(range(h[0], h[1] + 1))]
        raw = sorted(raw + mine, key=lambda h: h[0])
    hits = [_Hit(cue, first, last, matched, seg_of[first], clause_of[first], inner)
            for first, last, cue, matched, inner in raw if cue.kind != "skip"]

    scores = _score(hits)
    clause_polarity = _clause_polarities(clause_of, sent_of, scores.clause, contrast_clauses)
    # Words a built-in cue or a skip ("move forward", "at this time") took.
    covered = frozenset(j for first, last, cue, _, _ in raw
                        if cue.kind == "skip" or (cue.kind == "theme" and cue.theme in _BUILTIN)
                        for j in range(first, last + 1))
    tags, firm = _tags(hits, scores, clause_polarity)
    return RuleScan(norm, tuple(tokens), tuple(clause_of), tuple(tags),
                    covered, frozenset(firm))


def rule_themes(text: str, custom: Sequence[CustomTheme] | None = None) -> list[ThemeTag]:
    """The rules' tags alone (no learned model), sorted, without duplicates.

    The same theme may come back with both polarities ("solid Python, but
    struggled with statistics"). ``competition`` is always "-". Only the first
    MAX_CHARS characters are read. Never raises on odd text.
    """
    found = scan_rules(text, custom)
    return unique_tags(tag for tag, _clause in found.tags) if found else []


def unique_tags(tags: Iterable[ThemeTag]) -> list[ThemeTag]:
    """Sorted tags, one per (theme, polarity): the first one's evidence is kept."""
    first: dict[ThemeTag, ThemeTag] = {}
    for tag in tags:
        first.setdefault(tag, tag)
    return sorted(first.values())


@dataclass
class _Scores:
    segment: dict[int, int] = field(default_factory=dict)
    clause: dict[int, int] = field(default_factory=dict)

    def add(self, hit: _Hit, value: int) -> None:
        self.segment[hit.segment] = self.segment.get(hit.segment, 0) + value
        self.clause[hit.clause] = self.clause.get(hit.clause, 0) + value


def _score(hits: list[_Hit]) -> _Scores:
    """Sum the sentiment of each segment and clause; fix the value of polar hits.

    A negator flips the next sentiment within NEGATION_WINDOW words ("not
    strong", "no concerns") or, finding none, counts as a gap by itself
    ("didn't ask a single question"). A comparative counts as a gap and turns
    a following praise cue into one ("more concise").
    """
    scores = _Scores()
    negator: _Hit | None = None
    comparative: _Hit | None = None
    for hit in hits:
        if negator is not None and (negator.clause != hit.clause
                                    or hit.word - negator.last > NEGATION_WINDOW):
            scores.add(negator, -1)
            negator = None
        if comparative is not None and (comparative.clause != hit.clause
                                        or hit.word - comparative.last > COMPARATIVE_WINDOW):
            comparative = None
        kind = hit.cue.kind
        if kind == "negator":
            if negator is not None:
                scores.add(negator, -1)
            negator = hit
        elif kind == "comp":
            scores.add(hit, -1)
            comparative = hit
        elif kind == "theme" and hit.cue.polarity is None:
            if hit.value:                      # qualified inside the cue: "great questions"
                if negator is not None:
                    hit.value, negator = -hit.value, None
                scores.add(hit, hit.value)
        elif kind == "ctx":
            hit.value = -1
            scores.add(hit, -1)
        else:                                  # sentiment word or polar theme cue
            value = 1 if hit.cue.polarity == "+" else -1
            if negator is not None:
                value, negator = -value, None
            elif comparative is not None and kind == "theme" and value > 0:
                value = -1
            hit.value = value
            scores.add(hit, value)
    if negator is not None:
        scores.add(negator, -1)
    return scores


def _tags(hits: list[_Hit], scores: _Scores, clause_polarity: dict[int, int]
          ) -> tuple[list[tuple[ThemeTag, int]], list[int]]:
    """Turn theme hits into tags: drop generic cues near a specific one, pick polarities.
    Also the numbers of the tags whose polarity their cue's own words gave."""
    themed = [h for h in hits if h.cue.kind == "theme"]
    # Specific cues by first and last word, to find one near a generic cue quickly.
    starts: dict[int, list[_Hit]] = {}
    ends: dict[int, list[_Hit]] = {}
    for h in themed:
        # "someone with more experience": the other candidate's edge is a theme of its own
        # (the guide's convention 1), so a competition cue hides no weak cue near it.
        if h.cue.theme != COMPETITION and not h.cue.weak:
            starts.setdefault(h.word, []).append(h)
            ends.setdefault(h.last, []).append(h)

    def near_other_theme(h: _Hit) -> bool:
        after = (o for j in range(h.last, h.last + WEAK_WINDOW + 1) for o in starts.get(j, ()))
        before = (o for j in range(h.word - WEAK_WINDOW, h.word + 1) for o in ends.get(j, ()))
        return any(o.segment == h.segment and o.cue.theme != h.cue.theme
                   for o in itertools.chain(after, before))

    tags: list[tuple[ThemeTag, int]] = []
    firm: list[int] = []
    undecided: list[_Hit] = []
    for h in themed:
        theme = h.cue.theme
        # "experience" alone is experience; "experience with Tableau" is a skill.
        if h.cue.weak and near_other_theme(h):
            continue
        if theme == COMPETITION:
            tags.append((ThemeTag(theme, "-", h.text), h.clause))
            continue
        sign = (h.value or _sign(scores.segment.get(h.segment, 0))
                or _sign(scores.clause.get(h.clause, 0)) or clause_polarity.get(h.clause, 0))
        if h.value:
            firm.append(len(tags))
        if sign:
            tags.append((ThemeTag(theme, "+" if sign > 0 else "-", h.text), h.clause))
        else:
            undecided.append(h)
    # A theme named with no sentiment around it: the polarity it has elsewhere in the text
    # ("Clear, concise communicator. Listened carefully."), else a gap (most real feedback
    # gives reasons for a rejection; so is anything said of the chosen candidate).
    decided = {tag.theme for tag, _ in tags}
    for h in undecided:
        if h.cue.theme not in decided:
            tags.append((ThemeTag(h.cue.theme, "+" if DEFAULT_SIGN > 0 else "-", h.text),
                         h.clause))
    return tags, firm


def _clause_polarities(clause_of: list[int], sent_of: list[int], clause_score: dict[int, int],
                       contrast_clauses: set[int]) -> dict[int, int]:
    """Polarity of each clause, borrowed from a neighbour in the sentence when it has none.

    The previous clause lends its polarity (reversed across "but", "however"...),
    then the next one ("Case study: did the maths quickly").
    """
    # Each clause's sentence (a clause lies in one): built in C, not a step per word.
    sentence = dict(zip(clause_of, sent_of, strict=True))
    order = sorted(sentence)
    own = {c: _sign(clause_score.get(c, 0)) for c in order}
    result = dict(own)
    for k, c in enumerate(order):
        if own[c]:
            continue
        if k > 0 and sentence[order[k - 1]] == sentence[c] and result[order[k - 1]]:
            prev = result[order[k - 1]]
            result[c] = -prev if c in contrast_clauses else prev
        elif k + 1 < len(order) and sentence[order[k + 1]] == sentence[c] and own[order[k + 1]]:
            nxt = own[order[k + 1]]
            result[c] = -nxt if order[k + 1] in contrast_clauses else nxt
    return result
