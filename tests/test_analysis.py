"""The trend analysis: small hand-built frames with answers worked out by hand."""

from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import event as sa_event

from tappedin_widgets import analysis as an
from tappedin_widgets.analysis import Data, Filters

TODAY = dt.date(2026, 6, 15)


def apps(*rows: dict) -> list[dict]:
    """Applications with ids 1..n and sensible defaults."""
    base = {"company": "Acme", "role": "Analyst", "source": "other", "stage": "applied",
            "outcome": "open"}
    return [{**base, "id": i, **row} for i, row in enumerate(rows, start=1)]


@pytest.fixture
def small() -> Data:
    """Three applications with a bit of everything hanging off each, and one orphan action."""
    return Data.from_frames(
        applications=apps(
            {"company": "Northwind", "role": "Senior Product Analyst", "source": "referral",
             "applied_on": "2026-01-31", "stage": "interview", "outcome": "rejected",
             "outcome_on": "2026-02-20"},
            {"company": "Contoso", "role": "Data Engineer", "source": "job board",
             "applied_on": "2026-02-01", "stage": "screen", "outcome": "rejected",
             "outcome_on": "2026-03-01"},
            {"company": "Fabrikam", "role": "product ANALYST", "source": "recruiter",
             "applied_on": "2026-03-10", "stage": "applied", "outcome": "open"},
        ),
        feedback=[
            {"id": 1, "application_id": 1, "requested_on": "2026-02-20",
             "received_on": "2026-02-28"},
            {"id": 2, "application_id": 2, "requested_on": "2026-03-01",
             "received_on": "2026-03-02", "declined": True},
            {"id": 3, "application_id": 2, "requested_on": "2026-03-31"},
        ],
        tags=[
            {"feedback_id": 1, "theme": "examples_results", "polarity": "-"},
            {"feedback_id": 1, "theme": "communication", "polarity": "+"},
            {"feedback_id": 1, "theme": "competition", "polarity": "-"},
            {"feedback_id": 2, "theme": "examples_results", "polarity": "-"},
            {"feedback_id": 2, "theme": "examples_results", "polarity": "+"},
        ],
        follow_ups=[
            {"id": 1, "application_id": 1, "recipient": "Dana", "body": "Thanks",
             "status": "sent", "sent_on": "2026-02-21", "reconnect_on": "2026-06-01"},
            {"id": 2, "application_id": 2, "recipient": "Lee", "body": "Thanks",
             "status": "draft", "reconnect_on": "2026-07-01"},
        ],
        job_items=[
            {"application_id": 1, "kind": "liked", "text": "Fully remote"},
            {"application_id": 2, "kind": "liked", "text": "fully  remote!"},
            {"application_id": 3, "kind": "concern", "text": "Long commute"},
        ],
        must_haves=[{"id": 1, "name": "Remote"}, {"id": 2, "name": "Mentor"}],
        must_have_checks=[
            {"application_id": 1, "must_have_id": 1, "status": "missing"},
            {"application_id": 2, "must_have_id": 1, "status": "present"},
            {"application_id": 3, "must_have_id": 2, "status": "missing"},
        ],
        action_items=[
            {"id": 1, "application_id": 1, "theme": "examples_results", "action": "STAR stories",
             "due_on": "2026-03-15", "done_on": "2026-03-14"},
            {"id": 2, "application_id": None, "theme": "preparation", "action": "Research",
             "due_on": "2026-06-01"},
            {"id": 3, "application_id": 3, "action": "Portfolio", "due_on": "2026-07-01"},
        ],
    )


# --------------------------------------------------------------------------
# The bundle


def test_from_frames_gives_the_store_dtypes(small):
    assert str(small.applications["applied_on"].dtype) == "datetime64[ns]"
    assert isinstance(small.applications["stage"].dtype, pd.CategoricalDtype)
    assert list(small.applications["stage"].cat.categories) == list(an.STAGES)
    # tags got their application and dates from the feedback they hang off
    assert list(small.tags["application_id"]) == [1, 1, 1, 2, 2]
    assert small.tags["received_on"].iloc[0] == pd.Timestamp("2026-02-28")


def test_empty_bundle_has_every_frame_and_column():
    data = Data.empty()
    assert data.is_empty
    assert "reconnect_on" in data.follow_ups.columns
    assert list(data.tags.columns) == list(an.TAG_COLUMNS)
    assert len(data.themes) == len(an.models.BUILTIN_THEMES)


def test_from_store_reads_each_table_once(store, app_id):
    fid = store.add("feedback", application_id=app_id, requested_on="2026-03-20",
                    received_on="2026-03-22")
    store.set_tags(fid, [("experience", "-")])
    selects: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    sa_event.listen(store.engine, "before_cursor_execute", record)
    try:
        data = Data.from_store(store)
    finally:
        sa_event.remove(store.engine, "before_cursor_execute", record)
    # one query per table: the seven record tables, the tags (joined with their
    # feedback and application) and the custom themes
    read = [re.search(r"\bFROM\s+(?:\S+\.)?\"?(\w+)", s).group(1) for s in selects]
    assert sorted(read) == sorted([*an._RECORD_FRAMES.values(), "feedback_tags",
                                   "custom_themes"])
    assert len(data.applications) == 1 and list(data.tags["theme"]) == ["experience"]
    assert an.theme_counts(data)["gaps"].tolist() == [1]


def test_from_store_gives_the_store_frames_in_the_trend_columns(store, app_id):
    fid = store.add("feedback", application_id=app_id, requested_on="2026-03-20",
                    received_on="2026-03-22", observations="Wanted more numbers.")
    store.set_tags(fid, [("experience", "-"), ("communication", "+")])
    store.add("action_items", application_id=app_id, theme="experience", action="STAR",
              due_on="2026-04-01")
    data = Data.from_store(store)
    for name, kind in an._RECORD_FRAMES.items():
        frame = getattr(data, name)
        assert list(frame.columns) == list(an.TREND_COLUMNS[name])
        pd.testing.assert_frame_equal(frame, store.table(kind)[list(an.TREND_COLUMNS[name])])
    pd.testing.assert_frame_equal(data.tags, store.tags())
    pd.testing.assert_frame_equal(data.themes, store.themes())


def test_analysis_does_not_import_matplotlib():
    code = ("import sys, tappedin_widgets.analysis as a; "
            "a.theme_counts(a.Data.empty()); assert 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------
# Filters


def test_no_filters_is_the_same_data(small):
    assert an.filter_data(small, Filters()) is small
    assert an.filter_data(small, None) is small


def test_role_keyword_ignores_case_and_filters_children(small):
    out = an.filter_data(small, Filters(role="analyst"))
    assert out.applications["id"].tolist() == [1, 3]
    assert out.feedback["application_id"].tolist() == [1]
    assert set(out.tags["application_id"]) == {1}
    assert out.follow_ups["application_id"].tolist() == [1]
    assert out.job_items["application_id"].tolist() == [1, 3]
    assert out.must_have_checks["application_id"].tolist() == [1, 3]
    # the orphan action item stays; the one from application 2 would go
    assert out.action_items["id"].tolist() == [1, 2, 3]
    assert len(out.must_haves) == 2 and len(out.themes) == len(small.themes)


def test_children_of_a_dropped_application_go_but_orphans_stay(small):
    out = an.filter_data(small, Filters(sources=["job board"]))
    assert out.applications["id"].tolist() == [2]
    assert out.action_items["id"].tolist() == [2]
    assert an.theme_counts(out).set_index("theme")["gaps"].to_dict() == {"examples_results": 1}


def test_date_range_is_inclusive_and_on_applied_date(small):
    out = an.filter_data(small, Filters(start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 10)))
    assert out.applications["id"].tolist() == [2, 3]
    out = an.filter_data(small, Filters(end=dt.date(2026, 1, 31)))
    assert out.applications["id"].tolist() == [1]


def test_date_range_falls_back_to_outcome_date():
    data = Data.from_frames(applications=apps(
        {"outcome": "rejected", "outcome_on": "2026-05-05"}, {}))
    out = an.filter_data(data, Filters(start=dt.date(2026, 5, 1)))
    assert out.applications["id"].tolist() == [1]


def test_stage_and_outcome_lists(small):
    assert an.filter_data(small, Filters(stages=["interview", "screen"])
                          ).applications["id"].tolist() == [1, 2]
    assert an.filter_data(small, Filters(outcomes=["open"])).applications["id"].tolist() == [3]
    assert an.filter_data(small, Filters(role="nobody")).applications.empty


# --------------------------------------------------------------------------
# a. Theme counts


def test_theme_counts_keeps_competition_apart_and_last(small):
    counts = an.theme_counts(small)
    assert counts["theme"].tolist() == ["examples_results", "communication", "competition"]
    assert counts["gaps"].tolist() == [2, 0, 1]
    assert counts["strengths"].tolist() == [1, 1, 0]
    assert counts["applications"].tolist() == [2, 1, 1]
    assert counts["competition"].tolist() == [False, False, True]
    assert counts["label"].tolist() == ["Examples & results", "Communication", "Competition"]
    assert an.themed_applications(small) == 2


def test_theme_counts_uses_renamed_and_custom_labels():
    themes = pd.DataFrame([{"id": "experience", "label": "Seniority"},
                           {"id": "portfolio", "label": "Portfolio depth"}])
    data = Data.from_frames(
        applications=apps({}), feedback=[{"id": 1, "application_id": 1}],
        tags=[{"feedback_id": 1, "theme": "portfolio", "polarity": "-"},
              {"feedback_id": 1, "theme": "experience", "polarity": "-"},
              {"feedback_id": 1, "theme": "mystery_theme", "polarity": "+"}],
        themes=themes)
    labels = an.theme_counts(data).set_index("theme")["label"].to_dict()
    assert labels == {"experience": "Seniority", "portfolio": "Portfolio depth",
                      "mystery_theme": "Mystery theme"}


def test_theme_counts_sorts_by_gaps_then_strengths_then_label():
    data = Data.from_frames(
        applications=apps({}), feedback=[{"id": 1, "application_id": 1},
                                         {"id": 2, "application_id": 1}],
        tags=[{"feedback_id": f, "theme": t, "polarity": p} for f, t, p in [
            (1, "preparation", "-"), (1, "leadership", "-"), (1, "leadership", "+"),
            (2, "presence", "-"), (2, "preparation", "+")]])
    assert an.theme_counts(data)["theme"].tolist() == ["leadership", "preparation", "presence"]


def test_theme_counts_empty_and_one_row():
    assert an.theme_counts(Data.empty()).empty
    assert list(an.theme_counts(Data.empty()).columns) == [
        "theme", "label", "gaps", "strengths", "applications", "competition"]
    one = Data.from_frames(applications=apps({}), feedback=[{"id": 1, "application_id": 1}],
                           tags=[{"feedback_id": 1, "theme": "experience", "polarity": "-"}])
    assert an.theme_counts(one).to_dict("records") == [
        {"theme": "experience", "label": "Experience", "gaps": 1, "strengths": 0,
         "applications": 1, "competition": False}]


# --------------------------------------------------------------------------
# b. Theme trend


def test_theme_trend_counts_per_month_with_zeros_between(small):
    trend = an.theme_trend(small)
    assert trend.themes == ["examples_results"]  # has gaps and an action; competition never
    rows = trend.monthly.set_index("month")
    assert rows.index.tolist() == [pd.Timestamp("2026-02-01"), pd.Timestamp("2026-03-01")]
    assert rows["gaps"].tolist() == [1, 1]
    assert rows["strengths"].tolist() == [0, 1]
    assert rows["feedback"].tolist() == [1, 1]
    assert trend.actions["done_on"].tolist() == [pd.Timestamp("2026-03-14")]


def test_theme_trend_month_boundaries_and_gap_months():
    data = Data.from_frames(
        applications=apps({}),
        feedback=[{"id": 1, "application_id": 1, "received_on": "2026-01-31"},
                  {"id": 2, "application_id": 1, "received_on": "2026-02-01"},
                  {"id": 3, "application_id": 1, "received_on": "2026-04-30"}],
        tags=[{"feedback_id": f, "theme": "experience", "polarity": "-"} for f in (1, 2, 3)])
    trend = an.theme_trend(data)
    assert trend.monthly["month"].dt.strftime("%Y-%m").tolist() == [
        "2026-01", "2026-02", "2026-03", "2026-04"]
    assert trend.monthly["gaps"].tolist() == [1, 1, 0, 1]


def test_theme_trend_without_actions_shows_top_gaps():
    data = Data.from_frames(
        applications=apps({}), feedback=[{"id": 1, "application_id": 1,
                                          "received_on": "2026-01-05"}],
        tags=[{"feedback_id": 1, "theme": t, "polarity": "-"}
              for t in ("experience", "preparation", "presence", "leadership", "competition")])
    trend = an.theme_trend(data, top=2)
    assert len(trend.themes) == 2 and COMPETITION_NOT_IN(trend.themes)
    assert trend.actions.empty


def COMPETITION_NOT_IN(themes):  # noqa: N802 - reads like a sentence in the assert
    return "competition" not in themes


def test_theme_trend_prefers_acted_on_themes_and_extends_to_action_month():
    data = Data.from_frames(
        applications=apps({}),
        feedback=[{"id": 1, "application_id": 1, "received_on": "2026-01-05"}],
        tags=[{"feedback_id": 1, "theme": "experience", "polarity": "-"},
              {"feedback_id": 1, "theme": "presence", "polarity": "-"}],
        action_items=[{"theme": "presence", "action": "Mock interviews", "done_on": "2026-03-02"},
                      {"theme": "experience", "action": "Not done yet"}])
    trend = an.theme_trend(data)
    # both have actions; only the done one is marked
    assert trend.themes == ["experience", "presence"]
    assert trend.actions["theme"].tolist() == ["presence"]
    assert trend.monthly["month"].max() == pd.Timestamp("2026-03-01")


def test_theme_trend_tag_date_falls_back_to_request_then_outcome():
    data = Data.from_frames(
        applications=apps({"outcome": "rejected", "outcome_on": "2026-05-20"}),
        feedback=[{"id": 1, "application_id": 1, "requested_on": "2026-04-10"},
                  {"id": 2, "application_id": 1}],
        tags=[{"feedback_id": 1, "theme": "experience", "polarity": "-"},
              {"feedback_id": 2, "theme": "experience", "polarity": "-"}])
    months = an.theme_trend(data).monthly.set_index("month")["gaps"]
    assert months.to_dict() == {pd.Timestamp("2026-04-01"): 1, pd.Timestamp("2026-05-01"): 1}


def test_theme_trend_empty():
    trend = an.theme_trend(Data.empty())
    assert trend.empty and trend.monthly.empty and trend.actions.empty


# --------------------------------------------------------------------------
# c. Must-haves


def test_must_have_summary_counts_and_order(small):
    summary = an.must_have_summary(small)
    assert summary["name"].tolist() == ["Mentor", "Remote"]  # 1 of 1 missing beats 1 of 2
    assert summary.set_index("name")[["present", "missing", "unknown", "checked"]
                                     ].to_dict("index") == {
        "Mentor": {"present": 0, "missing": 1, "unknown": 0, "checked": 1},
        "Remote": {"present": 1, "missing": 1, "unknown": 0, "checked": 2}}
    assert summary["missing_share"].tolist() == [1.0, 0.5]
    assert an.checked_applications(small) == 3


def test_must_have_summary_retired_only_with_checks():
    data = Data.from_frames(
        applications=apps({}),
        must_haves=[{"id": 1, "name": "Remote"}, {"id": 2, "name": "Big name", "retired": True},
                    {"id": 3, "name": "Old idea", "retired": True}, {"id": 4, "name": "Unchecked"}],
        must_have_checks=[{"application_id": 1, "must_have_id": 2, "status": "missing"},
                          {"application_id": 1, "must_have_id": 1, "status": "unknown"}])
    summary = an.must_have_summary(data)
    assert summary["name"].tolist() == ["Big name", "Remote", "Unchecked"]
    assert summary["retired"].tolist() == [True, False, False]
    assert summary["checked"].tolist() == [1, 1, 0]
    assert math.isnan(summary["missing_share"].iloc[-1])


def test_must_have_summary_empty():
    assert an.must_have_summary(Data.empty()).empty
    only_names = Data.from_frames(must_haves=[{"id": 1, "name": "Remote"}])
    assert an.must_have_summary(only_names)["checked"].tolist() == [0]


# --------------------------------------------------------------------------
# d. Liked vs concerns


def test_normalise_text_ignores_case_whitespace_and_punctuation():
    out = an.normalise_text(pd.Series(["Long commute", " long  COMMUTE. ", "On-call rotation",
                                       "on_call rotation!", "Café culture"]))
    assert out.tolist() == ["long commute", "long commute", "on call rotation",
                            "on call rotation", "café culture"]


def test_liked_vs_concerns_groups_and_counts_jobs(small):
    items = an.liked_vs_concerns(small)
    assert items.to_dict("records") == [
        {"kind": "liked", "key": "fully remote", "text": "Fully remote", "count": 2}]
    everything = an.liked_vs_concerns(small, min_count=1)
    assert everything["kind"].astype(str).tolist() == ["liked", "concern"]


def test_liked_vs_concerns_same_job_counts_once_and_top_n():
    rows = [{"application_id": 1, "kind": "concern", "text": "Vague roadmap"},
            {"application_id": 1, "kind": "concern", "text": "vague roadmap"},
            {"application_id": 2, "kind": "concern", "text": "Vague roadmap"},
            {"application_id": 2, "kind": "liked", "text": "Vague roadmap"}]
    rows += [{"application_id": a, "kind": "liked", "text": f"Perk {k}"}
             for k in range(5) for a in range(1, 4 + (k == 0))]
    data = Data.from_frames(applications=apps(*[{}] * 4), job_items=rows)
    items = an.liked_vs_concerns(data, top=2)
    concern = items[items["kind"] == "concern"]
    assert concern[["text", "count"]].values.tolist() == [["Vague roadmap", 2]]
    liked = items[items["kind"] == "liked"]
    assert liked["text"].tolist() == ["Perk 0", "Perk 1"]  # 4 jobs, then ties by text
    assert liked["count"].tolist() == [4, 3]


def test_liked_vs_concerns_empty():
    assert an.liked_vs_concerns(Data.empty()).empty


# --------------------------------------------------------------------------
# e. Funnel


def test_funnel_reached_and_conversion(small):
    f = an.funnel(small).set_index("stage")
    assert f["stopped"].tolist() == [1, 1, 1, 0, 0]
    assert f["reached"].tolist() == [3, 2, 1, 0, 0]
    assert f["reached_share"].round(3).tolist() == [1.0, 0.667, 0.333, 0.0, 0.0]
    assert math.isnan(f.loc["applied", "conversion"])
    assert f["conversion"].iloc[1:3].round(3).tolist() == [0.667, 0.5]
    assert f.loc["final round", "conversion"] == 0.0
    assert math.isnan(f.loc["offer", "conversion"])  # nobody reached the stage before
    assert f["rejected"].tolist() == [0, 1, 1, 0, 0]
    assert f["rejected_reached"].tolist() == [2, 2, 1, 0, 0]
    assert f["rejected_share"].tolist() == [0.0, 0.5, 0.5, 0.0, 0.0]


def test_funnel_empty_and_one_application():
    empty = an.funnel(Data.empty())
    assert empty["stage"].astype(str).tolist() == list(an.STAGES)
    assert empty["reached"].sum() == 0 and empty["reached_share"].isna().all()
    one = an.funnel(Data.from_frames(applications=apps({"stage": "final round",
                                                        "outcome": "rejected"})))
    assert one["reached"].tolist() == [1, 1, 1, 1, 0]
    assert one["conversion"].iloc[1:].tolist() == [1.0, 1.0, 1.0, 0.0]


# --------------------------------------------------------------------------
# f. Activity


def test_activity_by_month(small):
    act = an.activity_by_month(small).set_index("month")
    assert act.index.strftime("%Y-%m").tolist() == ["2026-01", "2026-02", "2026-03"]
    assert act["applications"].tolist() == [1, 1, 1]        # 31 Jan / 1 Feb split
    assert act["rejections"].tolist() == [0, 1, 1]
    assert act["feedback_asked"].tolist() == [0, 1, 2]
    assert act["feedback_received"].tolist() == [0, 1, 0]   # a decline is not feedback...
    assert act["feedback_declined"].tolist() == [0, 0, 1]
    assert act["answered"].tolist() == [0, 1, 1]            # ...but it is an answer
    assert act["thank_you_sent"].tolist() == [0, 1, 0]      # drafts don't count
    assert math.isnan(act["answer_rate"].iloc[0])
    assert act["answer_rate"].iloc[1:].tolist() == [1.0, 0.5]
    rate = an.answer_rate(small)
    assert (rate.part, rate.whole) == (2, 3) and str(rate) == "2 of 3 (67%)"


def test_activity_fills_empty_months_with_zeros():
    data = Data.from_frames(applications=apps({"applied_on": "2025-11-30"},
                                              {"applied_on": "2026-02-01"}))
    act = an.activity_by_month(data)
    assert act["applications"].tolist() == [1, 0, 0, 1]


def test_activity_empty():
    assert an.activity_by_month(Data.empty()).empty
    assert an.answer_rate(Data.empty()).share is None
    assert str(an.answer_rate(Data.empty())) == "none yet"


# --------------------------------------------------------------------------
# g. What's due


def test_whats_due_window_edges_and_status():
    day = pd.Timestamp(TODAY)
    # A late reconnect stays due however late (until done or skipped); "coming up"
    # reaches RECONNECT_AHEAD_DAYS (60) ahead.
    offsets = [-40, -14, 0, 60, 61]
    notes = [{"id": i + 1, "application_id": 1, "recipient": f"P{o}", "body": "x",
              "reconnect_on": day + pd.Timedelta(days=o)} for i, o in enumerate(offsets)]
    notes.append({"id": 9, "application_id": 1, "recipient": "Done", "body": "x",
                  "reconnect_on": day, "reconnect_status": "done"})
    data = Data.from_frames(applications=apps({"company": "Northwind"}), follow_ups=notes)
    due = an.whats_due(data, today=TODAY)
    assert due.reconnects["recipient"].tolist() == ["P-40", "P-14", "P0", "P60"]
    assert due.reconnects["days"].tolist() == [-40, -14, 0, 60]
    assert due.reconnects["late"].tolist() == [True, True, False, False]
    assert set(due.reconnects["company"]) == {"Northwind"}
    assert due.window == (TODAY - dt.timedelta(days=40), TODAY + dt.timedelta(days=60))


def test_whats_due_action_statuses(small):
    due = an.whats_due(small, today=TODAY)
    status = due.actions.set_index("id")["status"].astype(str).to_dict()
    assert status == {1: "done", 2: "overdue", 3: "open"}
    assert due.actions["status"].astype(str).tolist() == ["overdue", "open", "done"]
    assert due.action_counts.to_dict() == {"overdue": 1, "open": 1, "done": 1}
    assert due.actions.set_index("id").loc[2, "label"] == "Preparation"
    assert due.reconnects["recipient"].tolist() == ["Dana", "Lee"]


def test_whats_due_undated_action_is_open_and_empty_is_empty():
    data = Data.from_frames(action_items=[{"action": "Someday"}])
    assert an.whats_due(data, today=TODAY).action_counts.to_dict() == {
        "overdue": 0, "open": 1, "done": 0}
    empty = an.whats_due(Data.empty(), today=TODAY)
    assert empty.empty and empty.action_counts.sum() == 0


def test_functions_do_not_change_their_input(small):
    before = {name: getattr(small, name).copy() for name in ("applications", "tags",
                                                             "action_items")}
    for fn in (an.theme_counts, an.theme_trend, an.must_have_summary, an.liked_vs_concerns,
               an.funnel, an.activity_by_month, an.whats_due):
        fn(small)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(small, name), frame)



def _same(a, b, what: str) -> None:
    """Two analysis results equal, whatever their shape (frame, dataclass, Rate, number)."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                      obj=what)
    elif hasattr(a, "__dataclass_fields__"):
        for name in a.__dataclass_fields__:
            _same(getattr(a, name), getattr(b, name), f"{what}.{name}")
    else:
        assert a == b, what


@pytest.mark.parametrize("filters", [None, Filters(role="analyst"),
                                     Filters(outcomes=("rejected",), stages=("interview",)),
                                     Filters(start=dt.date(2026, 6, 1))],
                         ids=["all", "role", "outcome-stage", "since-june"])
def test_every_trend_of_the_demo_is_the_same_on_either_database(store, tmp_path, filters):
    """The demo in this test's store (SQLite or PostgreSQL) against the demo in a SQLite file."""
    from tappedin_widgets.demo import load_demo
    from tappedin_widgets.store import Store

    load_demo(store)
    with Store(tmp_path / "reference.db") as ref:
        load_demo(ref)
        want_data = an.filter_data(Data.from_store(ref), filters)
    got_data = an.filter_data(Data.from_store(store), filters)
    assert not got_data.is_empty
    for name in Data.__dataclass_fields__:
        _same(getattr(got_data, name), getattr(want_data, name), name)
    for fn in (an.theme_counts, an.theme_trend, an.must_have_summary, an.liked_vs_concerns,
               an.funnel, an.answer_rate, an.activity_by_month, an.themed_applications,
               an.checked_applications, lambda d: an.whats_due(d, today=TODAY)):
        _same(fn(got_data), fn(want_data), getattr(fn, "__name__", "whats_due"))
