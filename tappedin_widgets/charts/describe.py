"""Each dashboard chart in words: its main numbers, for a screen reader (the image's
text alternative) and for anyone who prefers to read them.

Every ``*_words`` function takes the same numbers the chart is drawn from
(:mod:`.registry`'s ``*_numbers``: no second computation) and returns one or two
short sentences. Nothing here imports matplotlib.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..models import plural

Numbers = dict[str, Any]
LISTED = 3  # how many items a sentence names before it stops


def _month(value: Any) -> str:
    return pd.Timestamp(value).strftime("%B %Y")


def _listing(items: list[str]) -> str:
    return "; ".join(items)


def theme_words(numbers: Numbers) -> str:
    counts: pd.DataFrame = numbers["counts"]
    if counts.empty:
        return "Feedback themes: no feedback tagged yet."
    mine, theirs = counts[~counts["competition"]], counts[counts["competition"]]
    where = (f" across {plural(numbers['applications'], 'application')}"
             if numbers.get("applications") else "")
    parts = [f"Feedback themes{where}."]
    gaps = mine[mine["gaps"] > 0].sort_values("gaps", ascending=False, kind="stable")
    if len(gaps):
        parts.append("Most frequent gaps: " + ", ".join(
            f"{r.label} {r.gaps}" for r in gaps.head(LISTED).itertuples()) + ".")
    strengths = mine[mine["strengths"] > 0].sort_values("strengths", ascending=False,
                                                        kind="stable")
    if len(strengths):
        parts.append("Most praised strengths: " + ", ".join(
            f"{r.label} {r.strengths}" for r in strengths.head(LISTED).itertuples()) + ".")
    if len(theirs):
        parts.append(f"Competition, not about you: {int(theirs['gaps'].sum())}.")
    return " ".join(parts)


def theme_trend_words(numbers: Numbers) -> str:
    trend = numbers["trend"]
    if trend.empty:
        return "Themes over time: " + (numbers.get("empty_message") or
                                       "no feedback tagged yet.").replace("\n", " ")
    monthly: pd.DataFrame = trend.monthly
    first, last = monthly["month"].min(), monthly["month"].max()
    items = []
    for theme in trend.themes:
        rows = monthly[monthly["theme"] == theme]
        busiest = rows.sort_values("gaps", ascending=False, kind="stable").iloc[0]
        items.append(f"{rows['label'].iloc[0]}: {plural(int(rows['gaps'].sum()), 'gap')} and "
                     f"{plural(int(rows['strengths'].sum()), 'strength')}, most gaps in "
                     f"{_month(busiest['month'])} ({int(busiest['gaps'])})")
    done = len(trend.actions)
    return (f"Top gap themes month by month, {_month(first)} to {_month(last)}. "
            f"{_listing(items)}. {plural(done, 'action')} on them done.")


def funnel_words(numbers: Numbers) -> str:
    stages: pd.DataFrame = numbers["stages"]
    total = int(stages["stopped"].sum()) if not stages.empty else 0
    if not total:
        return "How far your applications got: no applications yet."
    reached = ", ".join(f"{r.stage} {r.reached}" for r in stages.itertuples())
    text = (f"How far your {plural(total, 'application')} got. "
            f"Reached each stage: {reached}.")
    rejected = int(stages["rejected"].sum())
    if rejected:
        most = stages.sort_values("rejected", ascending=False, kind="stable").iloc[0]
        text += (f" {plural(rejected, 'rejection')}, most often at {most['stage']} "
                 f"({int(most['rejected'])}).")
    return text


def must_have_words(numbers: Numbers) -> str:
    summary: pd.DataFrame = numbers["summary"]
    if summary.empty or int(summary["checked"].sum()) == 0:
        return "Must-haves: no job checked against them yet."
    checked = summary[summary["checked"] > 0]
    where = (f", {plural(numbers['applications'], 'job')} checked"
             if numbers.get("applications") else "")
    items = [f"{r.name} missing in {r.missing} of {r.checked}" for r in
             checked.head(LISTED).itertuples()]
    return f"Must-haves{where}. Most often missing: {_listing(items)}."


def liked_vs_concerns_words(numbers: Numbers) -> str:
    items: pd.DataFrame = numbers["items"]
    if items.empty:
        return ("What keeps coming up about the jobs: nothing noted yet." if
                not numbers.get("listed") else "What keeps coming up about the jobs: nothing "
                f"has come up for {plural(numbers.get('min_count', 2), 'job')} yet.")
    parts = ["What keeps coming up about the jobs."]
    for kind, title in (("liked", "Liked"), ("concern", "Concerns")):
        rows = items[items["kind"].astype(str) == kind].head(LISTED)
        if len(rows):
            parts.append(f"{title}: " + ", ".join(
                f"{r.text} ({plural(r.count, 'job')})" for r in rows.itertuples()) + ".")
    return " ".join(parts)


def activity_words(numbers: Numbers) -> str:
    monthly: pd.DataFrame = numbers["monthly"]
    if monthly.empty or not int(monthly.drop(columns=["month", "answer_rate"]).sum().sum()):
        return "Your search month by month: no activity yet."
    busiest = monthly.sort_values("applications", ascending=False, kind="stable").iloc[0]
    return (f"Your search month by month, {_month(monthly['month'].min())} to "
            f"{_month(monthly['month'].max())}: "
            f"{plural(int(monthly['applications'].sum()), 'application')}, "
            f"{plural(int(monthly['rejections'].sum()), 'rejection')}, "
            f"{plural(int(monthly['thank_you_sent'].sum()), 'thank-you note')} sent. "
            f"Feedback requests answered: {numbers['rate']}. Most applications in "
            f"{_month(busiest['month'])} ({int(busiest['applications'])}).")


def due_words(numbers: Numbers) -> str:
    due = numbers["due"]
    if due.empty:
        return "What's due: no reconnects planned and no action items yet."
    late = int(due.reconnects["late"].sum())
    text = (f"What's due: {plural(len(due.reconnects), 'reconnect')} in the next "
            f"{due.ahead} days" + (f", {late} of them late" if late else "") + ".")
    soon = [f"{r.recipient or 'someone'} at {r.company} on {pd.Timestamp(r.reconnect_on):%d %b}"
            for r in due.reconnects.head(LISTED).itertuples()]
    if soon:
        text += f" First: {_listing(soon)}."
    counts = due.action_counts
    text += (f" Action items: {counts['overdue']} overdue, {counts['open']} open, "
             f"{counts['done']} done.")
    return text


#: The coach's cohort charts: how one bar reads, and the count that orders them.
_COHORT = {
    "themes": (lambda r: f"{r.label} ({'strength' if r.polarity == '+' else 'gap'}): "
                         f"{plural(int(r.mentions), 'mention')} from "
                         f"{plural(int(r.seekers), 'job seeker')}", "mentions"),
    "must_haves": (lambda r: f"{r.shown}: lacking in {plural(int(r.jobs), 'job')} for "
                             f"{plural(int(r.seekers), 'job seeker')}", "jobs"),
    "stops": (lambda r: f"{r.stage}: {plural(int(r.rejections), 'rejection')} for "
                        f"{plural(int(r.seekers), 'job seeker')}", None),
}


def cohort_words(name: str, title: str, frame: pd.DataFrame) -> str:
    """A cohort chart (the coach's view) in words, from the frame it is drawn from:
    the largest bars (every stage, in order, for where the process stops)."""
    if frame.empty:
        return f"{title}: nothing to show yet."
    reads, order = _COHORT[name]
    rows = frame if order is None else frame.sort_values(
        order, ascending=False, kind="stable").head(LISTED)
    return f"{title}: " + _listing([reads(r) for r in rows.itertuples()]) + "."
