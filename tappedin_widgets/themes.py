"""Suggest feedback themes, each with a polarity, from interviewer feedback.

``suggest_themes("Strong technical answers, but we went with someone with more
people-management experience.")`` gives ``technical_skills +`` and
``leadership -``. It combines the learned model shipped in the package
(``theme_model``; ``theme_user`` adds what a user taught it) with the rules in
this module; the rules alone are ``rule_themes``.

The rules are pure and offline: text is split into sentences, clauses (at
contrast words such as *but*, *however*) and comma segments; theme cue phrases
and sentiment words are found with compiled regular expressions; each cue takes
its polarity from its own wording ("nervous", "overqualified"), from negators
and comparatives just before it ("not confident", "more concise"), or from the
sentiment of its segment and clause. ``competition`` is always "-". Every tag
carries the words that triggered it (``evidence``), so the form can explain a
suggestion.

``discover_groups`` groups feedback that matched no theme (TF-IDF and
average-linkage clustering on cosine similarity, numpy only) so a person can
name a new custom theme.

The rules do no I/O; the model file is read once, on the first suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .theme_discovery import discover_groups
from .theme_rules import (
    MAX_CHARS,
    CustomTheme,
    RuleScan,
    ThemeGroup,
    ThemeTag,
    compile_custom,
    rule_themes,
    scan_rules,
)

__all__ = [
    "CustomTheme", "ThemeTag", "ThemeGroup", "suggest_themes", "rule_themes", "scan_rules",
    "RuleScan", "compile_custom", "discover_groups", "custom_from_frame", "MAX_CHARS",
]


def suggest_themes(text: str, custom: Sequence[CustomTheme] | None = None) -> list[ThemeTag]:
    """Suggest theme tags for one piece of feedback, sorted, without duplicates.

    The shipped learned model combined with the rules (``theme_model``); the
    rules alone if the model file is missing or unreadable. ``custom`` may be a
    :class:`theme_user.UserThemes` (custom themes plus what was learned from
    the user's own tags). The same theme may come back with both polarities;
    ``competition`` is always "-". Each tag's ``evidence`` says why. Never
    raises on odd text; the same text gives the same tags.
    """
    from . import theme_model  # imported here: numpy and the model only when suggesting

    return theme_model.suggest(text, custom)


def custom_from_frame(frame: Any, store: Any = None) -> tuple[CustomTheme, ...]:
    """The user's own themes with key phrases, from ``Store.themes()``, for the suggester.

    Given the ``store``, also what was learned from the user's tagged feedback
    (a ``theme_user.UserThemes``), so suggestions adapt to their corrections.
    """
    out = []
    own = frame[~frame["builtin"].astype(bool) & frame["merged_into"].isna()]
    for row in own.to_dict("records"):
        phrases = row.get("phrases")
        if not isinstance(phrases, str) or not phrases.strip():
            continue
        description = row.get("description")
        out.append(CustomTheme(
            id=str(row["id"]), label=str(row["label"]),
            description=description if isinstance(description, str) else "",
            phrases=tuple(p.strip() for p in phrases.splitlines() if p.strip())))
    if store is not None:
        from .theme_user import user_themes

        return user_themes(tuple(out), store)
    return tuple(out)
