"""The store's operations for particular steps: a feedback entry's tags, a
reflection, a must-have check, and the themes (built-in and the user's own).

A base class of :class:`store.Store`: these methods use its transactions
(``_read``, ``_write``) and its ``add``/``update``, and hold the SQL of these steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd
import sqlalchemy as sa

from . import models
from .models import NotFound, ValidationError
from .schema import (
    action_items,
    custom_themes,
    feedback,
    feedback_tags,
    must_have_checks,
    reflections,
)


class StepOperations:
    """Operations of particular steps, over the transactions :class:`store.Store` keeps."""

    # -- specialised operations ---------------------------------------------

    def set_tags(self, feedback_id: int,
                 tags: Iterable[tuple[str, str] | tuple[str, str, str]]) -> None:
        """Replace the theme tags of one feedback entry with ``(theme, polarity[, source])``."""
        rows = []
        seen = set()
        for tag in tags:
            theme, polarity, *rest = tag
            if (theme, polarity) in seen:
                continue
            seen.add((theme, polarity))
            rows.append({"feedback_id": feedback_id, "theme": theme, "polarity": polarity,
                         "source": rest[0] if rest else "user"})
        with self._write() as conn:
            self._get(conn, feedback, models.FEEDBACK, feedback_id)
            conn.execute(feedback_tags.delete().where(feedback_tags.c.feedback_id == feedback_id))
            if rows:
                self.add_many("feedback_tags", rows)

    def save_reflection(self, application_id: int, **answers: Any) -> int:
        """Create or update the self-reflection of one application; return its id."""
        with self._write() as conn:
            existing = conn.execute(sa.select(reflections.c.id).where(
                reflections.c.application_id == application_id)).scalar()
            if existing is None:
                return self.add("reflections", application_id=application_id, **answers)
            self.update("reflections", existing, **answers)
            return existing

    def reflection(self, application_id: int) -> dict[str, Any] | None:
        """The self-reflection of one application, or None if not started."""
        with self._read() as conn:
            row = conn.execute(sa.select(reflections).where(
                reflections.c.application_id == application_id)).mappings().first()
        return dict(row) if row else None

    def set_check(self, application_id: int, must_have_id: int, status: str) -> None:
        """Record whether a must-have was present, missing or unknown for a job."""
        with self._write() as conn:
            existing = conn.execute(sa.select(must_have_checks.c.id).where(
                must_have_checks.c.application_id == application_id,
                must_have_checks.c.must_have_id == must_have_id)).scalar()
            if existing is None:
                self.add("must_have_checks", application_id=application_id,
                         must_have_id=must_have_id, status=status)
            else:
                self.update("must_have_checks", existing, status=status)

    # -- themes: built-in + the user's own ------------------------------------

    def themes(self, *, include_merged: bool = False) -> pd.DataFrame:
        """Every feedback theme: built-in ones first (with any renames), then custom."""
        with self._read() as conn:
            rows = {r.id: r for r in conn.execute(sa.select(custom_themes)).all()}
        out = []
        for t in models.BUILTIN_THEMES:
            r = rows.pop(t.id, None)
            if r is not None and r.merged_into and not include_merged:
                continue
            out.append({"id": t.id, "label": r.label if r else t.label,
                        "description": (r.description if r and r.description else t.description),
                        "phrases": r.phrases if r else None, "builtin": True,
                        "merged_into": r.merged_into if r else None})
        for r in sorted(rows.values(), key=lambda r: r.label.lower()):
            if r.merged_into and not include_merged:
                continue
            out.append({"id": r.id, "label": r.label, "description": r.description,
                        "phrases": r.phrases, "builtin": False, "merged_into": r.merged_into})
        frame = pd.DataFrame(out, columns=["id", "label", "description", "phrases",
                                           "builtin", "merged_into"])
        frame["builtin"] = frame["builtin"].astype(bool)
        return frame

    def add_theme(self, label: str, description: str | None = None,
                  phrases: Iterable[str] | str | None = None) -> str:
        """Add a theme of the user's own; return its id."""
        text = phrases if isinstance(phrases, str) or phrases is None else "\n".join(phrases)
        clean_label = models.clean_text(label, models.CUSTOM_THEME.field("label")) or ""
        theme_id = models.slugify(clean_label) if clean_label else ""
        with self._write() as conn:
            if theme_id in self._theme_ids(conn) or theme_id in models.THEME_IDS:
                raise ValidationError(
                    {"label": f"There is already a theme called '{clean_label}'."},
                    "custom_themes")
            return self.add("custom_themes", id=theme_id or None, label=label,
                            description=description, phrases=text)

    def rename_theme(self, theme_id: str, label: str) -> None:
        """Give a theme (built-in or custom) a new display name; its id stays."""
        with self._write() as conn:
            labels = self.themes()
            clash = labels[(labels["label"].str.lower() == str(label).strip().lower())
                           & (labels["id"] != theme_id)]
            if not clash.empty:
                raise ValidationError({"label": f"There is already a theme called '{label}'."},
                                      "custom_themes")
            exists = conn.execute(sa.select(custom_themes.c.id)
                                  .where(custom_themes.c.id == theme_id)).scalar()
            if exists is not None:
                self.update("custom_themes", theme_id, label=label)
            elif theme_id in models.THEME_IDS:
                self.add("custom_themes", id=theme_id, label=label)
            else:
                raise NotFound(f"There is no theme '{theme_id}'.")

    def merge_themes(self, source: str, target: str) -> int:
        """Fold one theme into another: its tags and actions move over. Return tags moved."""
        if source == target:
            raise ValidationError({"target": "Pick two different themes to merge."},
                                  "custom_themes")
        with self._write() as conn:
            ids = self._theme_ids(conn)
            for t in (source, target):
                if t not in ids:
                    raise NotFound(f"There is no theme '{t}'.")
            moved = 0
            tags = conn.execute(sa.select(feedback_tags)
                                .where(feedback_tags.c.theme == source)).all()
            for tag in tags:
                clash = conn.execute(sa.select(feedback_tags.c.id).where(
                    feedback_tags.c.feedback_id == tag.feedback_id,
                    feedback_tags.c.theme == target,
                    feedback_tags.c.polarity == tag.polarity)).scalar()
                if clash is None:
                    conn.execute(feedback_tags.update().where(feedback_tags.c.id == tag.id)
                                 .values(theme=target, updated_at=dt.datetime.now()))
                    moved += 1
                else:
                    conn.execute(feedback_tags.delete().where(feedback_tags.c.id == tag.id))
            conn.execute(action_items.update().where(action_items.c.theme == source)
                         .values(theme=target))
            exists = conn.execute(sa.select(custom_themes.c.id)
                                  .where(custom_themes.c.id == source)).scalar()
            if exists is not None:
                conn.execute(custom_themes.update().where(custom_themes.c.id == source)
                             .values(merged_into=target, updated_at=dt.datetime.now()))
            else:
                now = dt.datetime.now()
                conn.execute(custom_themes.insert().values(
                    id=source, label=models.THEMES[source].label, merged_into=target,
                    created_at=now, updated_at=now))
            return moved
