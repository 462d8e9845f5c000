"""The demo data: realistic, valid, and showing the patterns the charts are for."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tappedin_widgets import models
from tappedin_widgets.demo import DemoError, clear_demo, is_demo, load_demo, read_demo


@pytest.fixture
def demo(store):
    load_demo(store, today=dt.date(2026, 11, 26))
    return store


def test_demo_has_at_least_sixty_applications_over_eight_months(demo):
    apps = demo.table("applications")
    assert len(apps) >= 60
    months = apps["applied_on"].dt.to_period("M").nunique()
    assert months >= 8


def test_demo_covers_every_record_type(demo):
    for kind in ("contacts", "feedback", "feedback_tags", "follow_ups", "reflections",
                 "interview_questions", "job_items", "must_haves", "must_have_checks",
                 "action_items"):
        assert demo.count(kind) > 0, kind


def test_demo_records_pass_the_same_validation_as_user_input(demo):
    for kind, spec in models.RECORDS.items():
        for row in demo.table(kind).to_dict("records"):
            values = {k: (None if (v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v))
                          else v) for k, v in row.items() if k in spec.names}
            models.validate(spec, values)


def test_demo_gap_in_examples_fades_after_the_action_on_it(demo):
    tags = demo.tags()
    actions = demo.table("action_items")
    star = actions["action"].str.contains("STAR stories") & (actions["theme"] == "examples_results")
    done = actions.loc[star, "done_on"].dropna().min()
    ex = tags[(tags["theme"] == "examples_results")]
    before = ex[ex["received_on"] < done]
    after = ex[ex["received_on"] >= done]
    gap_rate_before = (before["polarity"] == "-").mean()
    gap_rate_after = (after["polarity"] == "-").mean()
    assert len(before) >= 5 and len(after) >= 5
    assert gap_rate_before > 0.7 and gap_rate_after < 0.3


def test_demo_competition_is_always_a_gap(demo):
    tags = demo.tags()
    comp = tags[tags["theme"] == models.COMPETITION]
    assert len(comp) >= 3
    assert set(comp["polarity"].astype(str)) == {"-"}


def test_demo_feedback_mixes_answers_declines_and_silence(demo):
    fb = demo.table("feedback")
    assert fb["declined"].sum() >= 1
    assert fb["received_on"].isna().sum() >= 1
    assert fb["observations"].notna().sum() >= 20


@pytest.mark.parametrize("today", [dt.date(2026, 11, 26), dt.date(2027, 6, 1),
                                   dt.date(2030, 1, 7)])
def test_demo_dates_move_forward_by_whole_weeks_to_land_just_before_today(today):
    from tappedin_widgets.demo import _shifter

    anchor = read_demo()["anchor"]
    days = _shifter(anchor, today)
    assert days % 7 == 0
    landed = dt.date.fromisoformat(anchor) + dt.timedelta(days=days)
    assert today - dt.timedelta(days=7) < landed <= today


def test_demo_loaded_today_keeps_every_past_date_in_the_past(demo):
    apps = demo.table("applications")
    assert apps["outcome_on"].max() <= pd.Timestamp(dt.date.today())


def test_demo_refuses_a_store_with_data_unless_forced(store, app_id):
    store.add("must_haves", name="A four-day week")
    with pytest.raises(DemoError, match="already holds your data"):
        load_demo(store)
    assert store.count("applications") == 1
    load_demo(store, force=True)
    assert store.count("applications") >= 60
    assert "A four-day week" not in set(store.table("must_haves")["name"])


def test_demo_is_marked_and_can_be_cleared(demo):
    assert is_demo(demo)
    clear_demo(demo)
    assert not is_demo(demo)
    assert demo.is_empty()


def test_a_broken_demo_file_loads_nothing(store):
    data = read_demo()
    data["applications"] = data["applications"][:3] + [{"key": "bad", "company": "X",
                                                        "role": "Y", "stage": "astronaut"}]
    with pytest.raises(DemoError, match="not valid at application bad"):
        load_demo(store, data=data)
    assert store.is_empty()
