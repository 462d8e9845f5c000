"""Counts and trends across applications: pure pandas, no drawing.

Read everything once into a :class:`Data` bundle, narrow it with
:class:`Filters`, then ask one function per chart for a tidy DataFrame::

    data = filter_data(Data.from_store(store), Filters(role="analyst"))
    theme_counts(data)          # per theme: gaps, strengths (competition apart)
    theme_trend(data)           # per month x theme, plus when actions were done
    must_have_summary(data)     # per must-have: present / missing / unknown
    liked_vs_concerns(data)     # recurring job-reflection items per column
    funnel(data)                # how far applications got, stage to stage
    activity_by_month(data)     # applications, rejections, feedback, notes
    whats_due(data)             # reconnects coming up, action items by status
    gap_themes(data)            # gap themes, for step 5's suggestions
    search_numbers(store)       # the counts step 5's summary is made of

Each rule lives here once and the views render what it returns: when an
action is overdue (:func:`action_status`), which reconnects are due
(:func:`reconnects_due`), the search summary numbers, the gap suggestions.

Every function is vectorised and copes with empty frames; none of them
reads the store or imports matplotlib (charts.py draws what they return).

Dates each count is placed on (documented once, here):

- a theme tag: when its feedback was received, else asked for, else the
  application's outcome date, else its applied date (tags with none of
  these are left out of the trend, not out of the counts);
- an application (for filters and the activity chart): ``applied_on``;
- a rejection: the application's ``outcome_on``;
- feedback asked / received: ``requested_on`` / ``received_on``;
- a thank-you note: ``sent_on`` of a note whose status is "sent".
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import models
from .models import COMPETITION, RECORDS, STAGES, TAG_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store

__all__ = [
    "Data", "Filters", "filter_data", "Rate", "ThemeTrend", "Due",
    "theme_labels", "themed_applications", "theme_counts", "theme_trend",
    "must_have_summary", "checked_applications", "normalise_text", "liked_vs_concerns",
    "funnel", "activity_by_month", "answer_rate", "whats_due", "month_start",
    "action_status", "reconnects_due", "gap_themes", "search_numbers",
]

THEME_COLUMNS = ("id", "label", "description", "phrases", "builtin", "merged_into")
_TAG_DATES = ("received_on", "requested_on", "outcome_on", "applied_on")
_RECORD_FRAMES = {"applications": "applications", "feedback": "feedback",
                  "follow_ups": "follow_ups", "job_items": "job_items",
                  "must_haves": "must_haves", "must_have_checks": "must_have_checks",
                  "action_items": "action_items"}
#: The columns the trends use, per frame: all that :meth:`Data.from_store` reads.
#: Free text (notes, observations, note bodies) and time stamps stay in the store.
TREND_COLUMNS: dict[str, tuple[str, ...]] = {
    "applications": ("id", "company", "role", "source", "applied_on", "stage", "outcome",
                     "outcome_on"),
    "feedback": ("id", "application_id", "requested_on", "received_on", "declined"),
    "follow_ups": ("id", "application_id", "recipient", "status", "sent_on", "reconnect_on",
                   "reconnect_status"),
    "job_items": ("id", "application_id", "kind", "text"),
    "must_haves": ("id", "name", "retired"),
    "must_have_checks": ("id", "application_id", "must_have_id", "status"),
    "action_items": ("id", "application_id", "theme", "action", "due_on", "done_on"),
}
ACTION_STATUSES = ("overdue", "open", "done")
#: How far ahead a planned reconnect counts as "coming up". A note's reconnect is
#: planned about three months after sending (notes.default_reconnect): a longer
#: horizon would list every note the day it is sent.
RECONNECT_AHEAD_DAYS = 60
#: The due chart shows at least this many days back (late reconnects reach further).
DUE_CHART_BACK_DAYS = 14
#: Stages that mean an application reached an interview.
REACHED_INTERVIEW = ("interview", "final round", "offer")


# --------------------------------------------------------------------------
# The bundle of frames


def _typed(kind: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    """A frame with every column and dtype the store gives ``kind``."""
    if frame is None:  # (typing an empty frame took ~15 ms a kind, each time)
        return _empty_typed(kind).copy()
    return _typed_frame(kind, frame)


@functools.cache
def _empty_typed(kind: str) -> pd.DataFrame:
    return _typed_frame(kind, None)


def _typed_frame(kind: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    from .store import typed_frame  # the store owns the dtype rules

    spec = RECORDS[kind]
    columns = ["id", *spec.names, "created_at", "updated_at"]
    frame = pd.DataFrame(columns=columns) if frame is None else frame.copy()
    for column in columns:
        if column not in frame.columns:
            frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for f in spec.fields:  # what the store would have filled in on the way in
        if f.default is not None and frame[f.name].isna().any():
            frame[f.name] = frame[f.name].astype(object).where(frame[f.name].notna(), f.default)
    return typed_frame(spec, frame.reset_index(drop=True))


def _builtin_themes() -> pd.DataFrame:
    return pd.DataFrame(
        [{"id": t.id, "label": t.label, "description": t.description, "phrases": None,
          "builtin": True, "merged_into": None} for t in models.BUILTIN_THEMES],
        columns=list(THEME_COLUMNS))


def _typed_tags(tags: pd.DataFrame | None, feedback: pd.DataFrame,
                applications: pd.DataFrame) -> pd.DataFrame:
    """Tags shaped like ``Store.tags()``; missing links and dates joined in."""
    from .store import typed_tags  # the store owns the dtype rules

    frame = pd.DataFrame(columns=list(TAG_COLUMNS)) if tags is None else tags.copy()
    frame = frame.reset_index(drop=True)
    if "id" not in frame.columns:
        frame["id"] = range(1, len(frame) + 1)
    if "application_id" not in frame.columns and "feedback_id" in frame.columns:
        links = feedback[["id", "application_id"]].rename(columns={"id": "feedback_id"})
        frame = frame.merge(links, on="feedback_id", how="left")
    for column in ("feedback_id", "application_id", "source"):
        if column not in frame.columns:
            frame[column] = pd.Series([None] * len(frame), dtype=object)
    missing_fb = [c for c in ("received_on", "requested_on") if c not in frame.columns]
    if missing_fb:
        fb = feedback[["id", *missing_fb]].rename(columns={"id": "feedback_id"})
        frame = frame.merge(fb.astype({"feedback_id": "Int64"}),
                            on="feedback_id", how="left") if len(frame) else \
            frame.assign(**{c: pd.NaT for c in missing_fb})
    missing_app = [c for c in ("outcome_on", "applied_on") if c not in frame.columns]
    if missing_app:
        ap = applications[["id", *missing_app]].rename(columns={"id": "application_id"})
        frame["application_id"] = frame["application_id"].astype("Int64")
        frame = frame.merge(ap, on="application_id", how="left") if len(frame) else \
            frame.assign(**{c: pd.NaT for c in missing_app})
    return typed_tags(frame)[list(TAG_COLUMNS)]


@dataclass
class Data:
    """Every frame the trends need, read once from the store.

    Build it with :meth:`from_store`, or with :meth:`from_frames` in tests
    and benchmarks (missing frames become empty ones with the store's dtypes).
    """

    applications: pd.DataFrame
    feedback: pd.DataFrame
    tags: pd.DataFrame
    follow_ups: pd.DataFrame
    job_items: pd.DataFrame
    must_haves: pd.DataFrame
    must_have_checks: pd.DataFrame
    action_items: pd.DataFrame
    themes: pd.DataFrame

    @classmethod
    def from_store(cls, store: Store) -> Data:
        """Read each table the charts use exactly once, all in one transaction.

        Only the columns the trends use are read (:data:`TREND_COLUMNS`),
        with the store's dtypes; ``tags`` and ``themes`` are what
        ``Store.tags()`` and ``Store.themes()`` give.
        """
        read = store.frames({kind: TREND_COLUMNS[name] for name, kind in _RECORD_FRAMES.items()},
                            with_tags=True)
        frames = {name: read[kind] for name, kind in _RECORD_FRAMES.items()}
        return cls(tags=read["tags"], themes=store.themes(), **frames)

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame | list[dict[str, Any]] | None) -> Data:
        """A bundle from plain frames (or lists of dicts), coerced to the store's dtypes.

        Missing values get the store's defaults (a note's reconnect is
        "planned", an application's stage "applied"...).
        ``tags`` may omit the joined columns (application, dates): they are
        looked up in ``feedback`` and ``applications``.
        """
        unknown = set(frames) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown frames: {', '.join(sorted(unknown))}")
        as_frames = {k: (pd.DataFrame(v) if isinstance(v, list) else v) for k, v in frames.items()}
        typed = {name: _typed(kind, as_frames.get(name)) for name, kind in _RECORD_FRAMES.items()}
        tags = _typed_tags(as_frames.get("tags"), typed["feedback"], typed["applications"])
        themes = as_frames.get("themes")
        themes = _builtin_themes() if themes is None else themes.reset_index(drop=True)
        return cls(tags=tags, themes=themes, **typed)

    @classmethod
    def empty(cls) -> Data:
        return cls.from_frames()

    @property
    def is_empty(self) -> bool:
        """Nothing recorded at all (built-in themes don't count)."""
        return all(getattr(self, f.name).empty for f in fields(self) if f.name != "themes")


# --------------------------------------------------------------------------
# Filters


@dataclass
class Filters:
    """Which applications the trends look at; empty fields filter nothing.

    ``start`` / ``end`` (inclusive) apply to the date the application was
    made (``applied_on``): it is known from the first entry on, while an
    outcome date is missing for every open application. An application with
    no ``applied_on`` falls back to its ``outcome_on``; with neither, it is
    left out whenever a date range is set.
    ``stages``, ``outcomes`` and ``sources`` keep applications whose value is
    one of those listed; ``role`` keeps roles containing it, ignoring case.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    stages: Sequence[str] = ()
    outcomes: Sequence[str] = ()
    sources: Sequence[str] = ()
    role: str = ""

    @property
    def active(self) -> bool:
        return bool(self.start or self.end or self.stages or self.outcomes or self.sources
                    or (self.role or "").strip())


def filter_data(data: Data, filters: Filters | None) -> Data:
    """Keep the applications that pass ``filters`` and everything hanging off them.

    Action items not tied to any application always stay; must-haves and
    themes are not per application and stay as they are.
    """
    if filters is None or not filters.active:
        return data
    apps = data.applications
    keep = pd.Series(True, index=apps.index)
    if filters.start or filters.end:
        when = apps["applied_on"].fillna(apps["outcome_on"])
        if filters.start:
            keep &= when >= pd.Timestamp(filters.start)
        if filters.end:
            keep &= when < pd.Timestamp(filters.end) + pd.Timedelta(days=1)
        keep &= when.notna()
    for column, wanted in (("stage", filters.stages), ("outcome", filters.outcomes),
                           ("source", filters.sources)):
        if wanted:
            keep &= apps[column].isin(list(wanted)).fillna(False).astype(bool)
    role = (filters.role or "").strip()
    if role:
        keep &= apps["role"].str.contains(role, case=False, regex=False).fillna(False).astype(bool)
    kept_apps = apps[keep.to_numpy(dtype=bool)]
    ids = kept_apps["id"].dropna().astype("int64").to_numpy()

    def children(frame: pd.DataFrame, *, orphans_stay: bool = False) -> pd.DataFrame:
        linked = frame["application_id"].isin(ids).fillna(False).astype(bool)
        if orphans_stay:
            linked |= frame["application_id"].isna()
        return frame[linked.to_numpy(dtype=bool)]

    return replace(
        data,
        applications=kept_apps,
        feedback=children(data.feedback),
        tags=children(data.tags),
        follow_ups=children(data.follow_ups),
        job_items=children(data.job_items),
        must_have_checks=children(data.must_have_checks),
        action_items=children(data.action_items, orphans_stay=True),
    )


# --------------------------------------------------------------------------
# Small shared helpers


def month_start(dates: pd.Series) -> pd.Series:
    """The first day of each date's month (NaT stays NaT), as datetime64[ns]."""
    dates = pd.to_datetime(dates)
    months = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]")
    return pd.Series(months.astype("datetime64[ns]"), index=dates.index, name=dates.name)


def _month_grid(*months: pd.Series) -> pd.DatetimeIndex:
    """Every month from the earliest to the latest of the given months."""
    values = pd.concat([pd.Series(dtype="datetime64[ns]"), *(m.dropna() for m in months)],
                       ignore_index=True)
    if values.empty:
        return pd.DatetimeIndex([], dtype="datetime64[ns]", name="month")
    return pd.date_range(values.min(), values.max(), freq="MS", name="month").astype(
        "datetime64[ns]")


def theme_labels(data: Data) -> dict[str, str]:
    """Theme id -> the label the person sees (their renames included)."""
    labels = {t.id: t.label for t in models.BUILTIN_THEMES}
    if not data.themes.empty:
        labels.update(dict(zip(data.themes["id"].astype(str), data.themes["label"].astype(str),
                               strict=False)))
    return labels


def _label(theme_ids: pd.Series, data: Data) -> pd.Series:
    labels = theme_labels(data)
    return theme_ids.astype(str).map(lambda t: labels.get(t) or models.theme_label(t)).astype(str)


def _tag_dates(tags: pd.DataFrame) -> pd.Series:
    when = tags["received_on"]
    for column in _TAG_DATES[1:]:
        when = when.fillna(tags[column])
    return when


@dataclass(frozen=True)
class Rate:
    """``part`` of ``whole``, e.g. feedback requests answered of those made."""

    part: int
    whole: int

    @property
    def share(self) -> float | None:
        return self.part / self.whole if self.whole else None

    def __str__(self) -> str:
        if not self.whole:
            return "none yet"
        return f"{self.part} of {self.whole} ({self.share:.0%})"


# --------------------------------------------------------------------------
# a. Feedback themes


def themed_applications(data: Data) -> int:
    """How many applications have at least one theme tag on their feedback."""
    return int(data.tags["application_id"].dropna().nunique())


def theme_counts(data: Data) -> pd.DataFrame:
    """Per theme: how often it came up as a gap ("-") and as a strength ("+").

    Columns: theme, label, gaps, strengths, applications (distinct ones it
    came up in), competition (True for reasons outside the candidate's
    control, which are listed last). Candidate themes are sorted by gaps,
    then strengths, then label.
    """
    columns = ["theme", "label", "gaps", "strengths", "applications", "competition"]
    tags = data.tags
    if tags.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            columns, ("str", "str", "int64", "int64", "int64", "bool"), strict=False)})
    polarity = tags["polarity"].astype(str)
    by_theme = (tags.assign(gaps=(polarity == "-").astype("int64"),
                            strengths=(polarity == "+").astype("int64"))
                .groupby("theme", observed=True))
    counts = by_theme[["gaps", "strengths"]].sum()
    counts["applications"] = by_theme["application_id"].nunique()
    counts = counts.reset_index()
    counts["theme"] = counts["theme"].astype(str)
    counts["label"] = _label(counts["theme"], data)
    counts["competition"] = counts["theme"] == COMPETITION
    counts = counts.astype({"gaps": "int64", "strengths": "int64", "applications": "int64"})
    counts = counts.sort_values(["competition", "gaps", "strengths", "label"],
                                ascending=[True, False, False, True], kind="stable")
    return counts[columns].reset_index(drop=True)


@dataclass
class ThemeTrend:
    """Monthly counts for a few themes, and when actions on them were done.

    ``monthly``: one row per month x theme (every month from the first
    tagged feedback on, zeros included): month, theme, label, gaps,
    strengths, feedback (feedback entries with any tag that month).
    ``actions``: done action items of those themes: theme, label, action,
    due_on, done_on, done_month. ``themes``: the theme ids shown, in order.
    """

    monthly: pd.DataFrame
    actions: pd.DataFrame
    themes: list[str]

    @property
    def empty(self) -> bool:
        return not self.themes


def theme_trend(data: Data, themes: Sequence[str] | None = None, top: int = 3) -> ThemeTrend:
    """How often chosen themes came up per month, and when actions were done.

    By default the ``top`` themes with the most gaps that also have an
    action item; if no gap theme has an action, simply the top gap themes.
    Competition is never picked by default.
    """
    tags = data.tags.assign(when=_tag_dates(data.tags))
    tags = tags[tags["when"].notna()]
    actions = data.action_items[data.action_items["theme"].notna()]
    if themes is None:
        counts = theme_counts(data)
        gaps = counts[(counts["gaps"] > 0) & ~counts["competition"]]
        acted = gaps[gaps["theme"].isin(actions["theme"].astype(str))]
        themes = list((acted if not acted.empty else gaps)["theme"].head(top))
    themes = [str(t) for t in themes]
    tags = tags[tags["theme"].isin(themes)]
    done = actions[actions["theme"].isin(themes) & actions["done_on"].notna()]
    done = done.assign(theme=done["theme"].astype(str), done_month=month_start(done["done_on"]))
    tags = tags.assign(month=month_start(tags["when"]))
    grid = _month_grid(tags["month"], done["done_month"])
    if tags.empty:  # nothing dated to draw for the chosen themes
        themes = []
    index = pd.MultiIndex.from_product([grid, themes], names=["month", "theme"])
    polarity = tags["polarity"].astype(str)
    monthly = (tags.assign(gaps=(polarity == "-").astype("int64"),
                           strengths=(polarity == "+").astype("int64"))
               .groupby(["month", "theme"])[["gaps", "strengths"]].sum()
               .reindex(index, fill_value=0).reset_index())
    all_tags = data.tags.assign(month=month_start(_tag_dates(data.tags)))
    per_month = all_tags.groupby("month")["feedback_id"].nunique()
    monthly["feedback"] = monthly["month"].map(per_month).fillna(0).astype("int64")
    monthly["label"] = _label(monthly["theme"], data)
    monthly = monthly.astype({"gaps": "int64", "strengths": "int64"})
    monthly = monthly[["month", "theme", "label", "gaps", "strengths", "feedback"]]
    done = done[done["theme"].isin(themes)]
    done = done.assign(label=_label(done["theme"], data)).sort_values("done_on")
    done = done[["theme", "label", "action", "due_on", "done_on", "done_month"]]
    return ThemeTrend(monthly.reset_index(drop=True), done.reset_index(drop=True), themes)


# --------------------------------------------------------------------------
# c. Must-haves


def checked_applications(data: Data) -> int:
    """How many applications have at least one must-have check."""
    return int(data.must_have_checks["application_id"].dropna().nunique())


def must_have_summary(data: Data) -> pd.DataFrame:
    """Per must-have: how often it was present, missing or unknown.

    Columns: must_have_id, name, present, missing, unknown, checked,
    missing_share (of checks), retired. Most often missing first. Retired
    must-haves appear only if some job was checked against them.
    """
    statuses = list(models.CHECK_STATUSES)
    checks = data.must_have_checks
    if checks.empty:
        counts = pd.DataFrame(columns=statuses)
    else:
        counts = (checks.groupby([checks["must_have_id"].astype("Int64"), checks["status"]],
                                 observed=True).size().unstack(fill_value=0))
        counts.columns = counts.columns.astype(str)
    counts = counts.reindex(columns=statuses, fill_value=0)
    counts.index.name = "must_have_id"
    musts = data.must_haves[["id", "name", "retired"]].rename(columns={"id": "must_have_id"})
    musts = musts.astype({"must_have_id": "Int64"})
    summary = musts.merge(counts.reset_index().astype({"must_have_id": "Int64"}),
                          on="must_have_id", how="left")
    summary[statuses] = summary[statuses].fillna(0).astype("int64")
    summary["checked"] = summary[statuses].sum(axis=1).astype("int64")
    summary = summary[~summary["retired"] | (summary["checked"] > 0)]
    summary["missing_share"] = (summary["missing"] / summary["checked"].where(
        summary["checked"] > 0)).astype("float64")
    summary["name"] = summary["name"].astype(str)
    summary = summary.sort_values(["missing", "missing_share", "name"],
                                  ascending=[False, False, True], kind="stable",
                                  na_position="last")
    return summary[["must_have_id", "name", *statuses, "checked", "missing_share",
                    "retired"]].reset_index(drop=True)


# --------------------------------------------------------------------------
# d. Liked vs concerns


def normalise_text(text: pd.Series) -> pd.Series:
    """Lower case, punctuation as spaces, whitespace collapsed: for grouping items."""
    text = text.astype("str")
    # the same few items come back again and again: normalise each spelling once
    codes, spellings = pd.factorize(text, use_na_sentinel=False)
    keys = (pd.Series(spellings, dtype=text.dtype).str.normalize("NFKC").str.casefold()
            .str.replace(r"[^\w\s]|_", " ", regex=True)
            .str.replace(r"\s+", " ", regex=True).str.strip())
    return pd.Series(keys.to_numpy()[codes], index=text.index, dtype=keys.dtype)


def liked_vs_concerns(data: Data, top: int = 8, min_count: int = 2) -> pd.DataFrame:
    """The job-reflection items that keep coming up, per column (liked / concern).

    Items are grouped by their normalised text; ``count`` is how many jobs
    an item came up for (an item repeated within one job counts once), and
    ``text`` is the spelling used most often. Keeps items in at least
    ``min_count`` jobs, the ``top`` most frequent of each kind.
    Columns: kind, key, text, count.
    """
    columns = ["kind", "key", "text", "count"]
    items = data.job_items[data.job_items["text"].notna()]
    if items.empty:
        return pd.DataFrame({"kind": pd.Categorical([], categories=models.JOB_ITEM_KINDS),
                             "key": pd.Series(dtype="str"), "text": pd.Series(dtype="str"),
                             "count": pd.Series(dtype="int64")})
    items = items.assign(key=normalise_text(items["text"]), text=items["text"].astype(str))
    items = items[items["key"] != ""]
    spelled = (items.groupby(["kind", "key", "text"], observed=True, sort=False).size()
               .rename("uses").reset_index()
               .sort_values("uses", ascending=False, kind="stable")
               .drop_duplicates(["kind", "key"])[["kind", "key", "text"]])
    counts = (items.groupby(["kind", "key"], observed=True)["application_id"].nunique()
              .rename("count").reset_index())
    out = counts.merge(spelled, on=["kind", "key"], how="left")
    out = out[out["count"] >= min_count]
    out = out.sort_values(["kind", "count", "text"], ascending=[True, False, True], kind="stable")
    out = out.groupby("kind", observed=True).head(top)
    out["kind"] = pd.Categorical(out["kind"].astype(str), categories=models.JOB_ITEM_KINDS)
    out["count"] = out["count"].astype("int64")
    return out[columns].reset_index(drop=True)


# --------------------------------------------------------------------------
# e. Funnel


def funnel(data: Data) -> pd.DataFrame:
    """How far applications got: one row per stage, in pipeline order.

    Columns:
    - ``stopped``: applications whose furthest stage is this one;
    - ``reached``: applications that got at least this far, with
      ``reached_share`` (of all) and ``conversion`` (of those that reached
      the stage before; NaN for the first stage);
    - ``rejected``: rejected applications stopped at this stage, with
      ``rejected_share`` (of all rejections);
    - ``rejected_reached``: rejected applications that got at least this far.
    Open applications count where they are now: they may still go further.
    """
    apps = data.applications
    stage = pd.Categorical(apps["stage"].astype("object"), categories=STAGES)
    stopped = pd.Series(stage).value_counts().reindex(STAGES, fill_value=0)
    rejected_mask = (apps["outcome"].astype(str) == "rejected").to_numpy()
    rejected = (pd.Series(stage[rejected_mask]).value_counts()
                .reindex(STAGES, fill_value=0))
    out = pd.DataFrame({"stage": pd.Categorical(STAGES, categories=STAGES),
                        "stopped": stopped.to_numpy(dtype="int64"),
                        "rejected": rejected.to_numpy(dtype="int64")})
    out["reached"] = out["stopped"][::-1].cumsum()[::-1].astype("int64")
    out["rejected_reached"] = out["rejected"][::-1].cumsum()[::-1].astype("int64")
    total, total_rejected = int(out["stopped"].sum()), int(out["rejected"].sum())
    out["reached_share"] = out["reached"] / total if total else float("nan")
    previous = out["reached"].shift(1)
    out["conversion"] = (out["reached"] / previous.where(previous > 0)).astype("float64")
    out["rejected_share"] = out["rejected"] / total_rejected if total_rejected else float("nan")
    return out[["stage", "stopped", "reached", "reached_share", "conversion", "rejected",
                "rejected_share", "rejected_reached"]]


# --------------------------------------------------------------------------
# f. Activity per month


def answer_rate(data: Data) -> Rate:
    """Feedback requests that got an answer (feedback or a polite no) of those made."""
    fb = data.feedback
    asked = fb["requested_on"].notna()
    answered = asked & (fb["received_on"].notna() | fb["declined"].astype(bool))
    return Rate(int(answered.sum()), int(asked.sum()))


def activity_by_month(data: Data) -> pd.DataFrame:
    """What happened each month, every month from the first event to the last.

    Columns: month, applications, rejections, feedback_asked,
    feedback_received (real feedback), feedback_declined, thank_you_sent,
    answered (of the requests made that month, those answered so far) and
    answer_rate (answered / feedback_asked; NaN for months with no request).
    """
    apps, fb, notes = data.applications, data.feedback, data.follow_ups
    rejected = apps["outcome"].astype(str) == "rejected"
    declined = fb["declined"].astype(bool)
    sent = notes["status"].astype(str) == "sent"
    answered = fb["requested_on"].notna() & (fb["received_on"].notna() | declined)
    events = {
        "applications": month_start(apps["applied_on"]),
        "rejections": month_start(apps["outcome_on"][rejected.to_numpy()]),
        "feedback_asked": month_start(fb["requested_on"]),
        "feedback_received": month_start(fb["received_on"][(~declined).to_numpy()]),
        "feedback_declined": month_start(fb["received_on"][declined.to_numpy()]),
        "thank_you_sent": month_start(notes["sent_on"][sent.to_numpy()]),
        "answered": month_start(fb["requested_on"][answered.to_numpy()]),
    }
    grid = _month_grid(*events.values())
    out = pd.DataFrame({"month": grid})
    for name, months in events.items():
        out[name] = out["month"].map(months.dropna().value_counts()).fillna(0).astype("int64")
    out["answer_rate"] = (out["answered"] / out["feedback_asked"].where(
        out["feedback_asked"] > 0)).astype("float64")
    return out


# --------------------------------------------------------------------------
# g. What's due


@dataclass
class Due:
    """Reconnects coming up and action items by status.

    ``reconnects``: :func:`reconnects_due` (late ones however late, up to
    ``ahead`` days on); ``before``: how far back the latest one lies (at least
    DUE_CHART_BACK_DAYS), so ``window`` spans them all.
    ``actions``: every action item with ``status`` overdue / open / done
    (overdue: not done and due before today; open: not done and due today,
    later or undated), label (its theme's) and days (due date - today).
    """

    reconnects: pd.DataFrame
    actions: pd.DataFrame
    today: dt.date
    before: int = DUE_CHART_BACK_DAYS
    ahead: int = RECONNECT_AHEAD_DAYS
    window: tuple[dt.date, dt.date] = field(init=False)

    def __post_init__(self) -> None:
        self.window = (self.today - dt.timedelta(days=self.before),
                       self.today + dt.timedelta(days=self.ahead))

    @property
    def action_counts(self) -> pd.Series:
        """Action items per status, every status present (zeros included)."""
        return (self.actions["status"].value_counts()
                .reindex(list(ACTION_STATUSES), fill_value=0).astype("int64"))

    @property
    def empty(self) -> bool:
        return self.reconnects.empty and self.actions.empty


def action_status(actions: pd.DataFrame, today: dt.date | None = None) -> pd.Series:
    """Each action item's status: "done" (has a done date), "overdue" (not done, due
    before today) or "open" (not done; due today, later, or undated)."""
    now = pd.Timestamp(today or models.today())
    done = actions["done_on"].notna()
    overdue = ~done & (actions["due_on"] < now).fillna(False).astype(bool)
    return pd.Series("open", index=actions.index).mask(overdue, "overdue").mask(done, "done")


def reconnects_due(follow_ups: pd.DataFrame, applications: pd.DataFrame,
                   today: dt.date | None = None, ahead: int = RECONNECT_AHEAD_DAYS
                   ) -> pd.DataFrame:
    """Planned reconnects due by ``today + ahead``, late ones however late, soonest first.

    A missed reconnect stays due until it is marked done or skipped: dropping it
    after a while would lose the reminder without a word. Columns: follow_up_id,
    application_id, reconnect_on, days (negative: that many days late), company,
    role, recipient, late.
    """
    now = pd.Timestamp(today or models.today())
    planned = follow_ups["reconnect_status"].astype(str) == "planned"
    when = follow_ups["reconnect_on"]
    keep = (planned & when.notna() & (when <= now + pd.Timedelta(days=ahead))).fillna(False)
    due = follow_ups[keep.to_numpy(dtype=bool)][["id", "application_id", "reconnect_on",
                                                 "recipient"]]
    apps = applications[["id", "company", "role"]].rename(columns={"id": "application_id"})
    due = due.astype({"application_id": "Int64"}).merge(
        apps.astype({"application_id": "Int64"}), on="application_id", how="left")
    due = due.rename(columns={"id": "follow_up_id"})
    due["days"] = (due["reconnect_on"] - now).dt.days.astype("int64")
    due["late"] = due["days"] < 0
    return due.sort_values(["reconnect_on", "follow_up_id"], kind="stable")[
        ["follow_up_id", "application_id", "reconnect_on", "days", "company", "role",
         "recipient", "late"]].reset_index(drop=True)


def whats_due(data: Data, today: dt.date | None = None,
              ahead: int = RECONNECT_AHEAD_DAYS) -> Due:
    """Reconnects due (:func:`reconnects_due`) and where the action items stand."""
    today = today or models.today()
    now = pd.Timestamp(today)
    reconnects = reconnects_due(data.follow_ups, data.applications, today, ahead)
    before = max([DUE_CHART_BACK_DAYS, *(-reconnects["days"]).tolist()])

    actions = data.action_items
    done = actions["done_on"].notna()
    status = action_status(actions, today)
    actions = actions.assign(
        status=pd.Categorical(status, categories=ACTION_STATUSES),
        label=_label(actions["theme"].fillna(""), data).where(actions["theme"].notna()),
        days=(actions["due_on"] - now).dt.days.astype("Int64"))
    order = actions["due_on"].where(~done, actions["done_on"])
    actions = (actions.assign(_order=order)
               .sort_values(["status", "_order", "id"], kind="stable")
               .drop(columns="_order"))
    actions = actions[["id", "application_id", "theme", "label", "action", "due_on", "done_on",
                       "status", "days"]].reset_index(drop=True)
    return Due(reconnects, actions, today, int(before), ahead)


# --------------------------------------------------------------------------
# h. Step 5: the search so far, and what to work on


def gap_themes(data: Data) -> pd.DataFrame:
    """Gap themes named in feedback (competition left out: not about the candidate).

    Columns: theme, label, applications (how many applications named it as a gap),
    most first; plus application_id -> themes in :attr:`DataFrame.attrs`
    ``["by_application"]`` (in the order they were tagged).
    """
    tags = data.tags
    gaps = tags[(tags["polarity"].astype(str) == "-")
                & (tags["theme"].astype(str) != COMPETITION)]
    counts = (gaps.groupby(gaps["theme"].astype(str))["application_id"].nunique()
              .sort_values(ascending=False, kind="stable"))
    out = pd.DataFrame({"theme": counts.index.astype(str),
                        "label": _label(pd.Series(counts.index.astype(str)), data).to_numpy(),
                        "applications": counts.to_numpy(dtype="int64")})
    by_app: dict[int, list[str]] = {}
    for app_id, theme in zip(gaps["application_id"], gaps["theme"].astype(str), strict=False):
        if not pd.isna(app_id):
            themes = by_app.setdefault(int(app_id), [])
            if theme not in themes:
                themes.append(theme)
    out.attrs["by_application"] = by_app
    return out


_STAGE_ORDER = {stage: i for i, stage in enumerate(models.STAGES)}


def search_numbers(store: Store, today: dt.date | None = None) -> dict[str, Any]:
    """The counts step 5's summary is made of, as a plain dict (one read per table)."""
    today = today or models.today()
    apps = store.table("applications")
    feedback = store.table("feedback")
    tagged = set(store.table("feedback_tags")["feedback_id"].dropna().astype(int))
    actions = store.table("action_items")
    questions = store.table("interview_questions")
    # Something learned: they shared observations (or you tagged themes), not a decline.
    # (Column-wise: row by row, the date columns made this 0.2 s on 1,000 applications.)
    said = feedback["observations"].astype("string").str.strip().ne("").fillna(False)
    declined = feedback["declined"].astype("boolean").fillna(False)
    learned = int((~declined & (said | feedback["id"].isin(tagged))).sum())
    first = apps["applied_on"].min() if not apps.empty else pd.NaT
    status = action_status(actions, today)
    return {
        "applications": len(apps),
        "since": None if pd.isna(first) else first.date(),
        "interviews": int(apps["stage"].isin(REACHED_INTERVIEW).sum()),
        # the furthest stage any application reached ("final round", not "interview")
        "furthest": max(apps["stage"].dropna().astype(str), key=_STAGE_ORDER.get, default=None),
        "offers": int(apps["outcome"].isin(("offer", "accepted")).sum()),
        "open": int((apps["outcome"] == "open").sum()),
        "feedback": len(feedback),
        "feedback_learned": learned,
        "actions": len(actions),
        "actions_done": int((status == "done").sum()),
        "actions_overdue": int((status == "overdue").sum()),
        "questions": len(questions),
        "questions_practised": int(questions["practised"].sum()),
    }
