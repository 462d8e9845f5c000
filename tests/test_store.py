"""The store: every record type round-trips, bad input is refused whole."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest
import sqlalchemy as sa

from tappedin_widgets import models
from tappedin_widgets.models import NotFound, StoreError, ValidationError
from tappedin_widgets.store import DATA_TABLES, SCHEMA_VERSION, TABLES, Store


def _parents(store: Store) -> dict[str, int]:
    app = store.add("applications", company="Acme", role="Data Analyst", applied_on="2026-04-01")
    contact = store.add("contacts", application_id=app, name="Dana Whitfield",
                        title="Recruiter", email="dana@acme.example", part="recruiter")
    fb = store.add("feedback", application_id=app, contact_id=contact, channel="phone",
                   requested_on="2026-04-20", received_on="2026-04-21",
                   observations="Clear communicator; examples were a bit vague.")
    must = store.add("must_haves", name="Remote or hybrid")
    return {"application_id": app, "contact_id": contact, "feedback_id": fb, "must_have_id": must}


# One valid record of every type, and one change to apply to it.
SAMPLES = {
    "applications": ({"company": "Globex", "role": "Product Manager", "location": "Leeds",
                      "source": "recruiter", "applied_on": "2026-05-01", "stage": "final round",
                      "outcome": "rejected", "outcome_on": "2026-06-01",
                      "job_link": "https://globex.example/jobs/42", "notes": "Loved the team."},
                     {"stage": "interview", "notes": "Second thoughts"}),
    "contacts": ({"name": "Priya Nair", "title": "Hiring manager", "email": "priya@acme.example",
                  "part": "panel lead"}, {"title": "Head of Product"}),
    "feedback": ({"requested_on": "2026-04-22", "received_on": "2026-04-25", "channel": "email",
                  "observations": "Strong SQL but lacking stakeholder examples."},
                 {"declined": True, "observations": None}),
    "feedback_tags": ({"theme": "technical_skills", "polarity": "+", "source": "suggested"},
                      {"polarity": "-", "source": "user"}),
    "follow_ups": ({"recipient": "Dana Whitfield", "tone": "warm", "subject": "Thank you",
                    "body": "Dear Dana, thank you for your time.", "status": "draft",
                    "reconnect_on": "2027-01-20"},
                   {"status": "sent", "sent_on": "2026-04-23"}),
    "reflections": ({"did_well": "Stayed calm.", "underprepared": "Tell me about a conflict.",
                     "learned_process": "Four rounds.", "learned_self": "I like small teams.",
                     "do_differently": "Prepare STAR stories."},
                    {"did_well": "Stayed calm and curious."}),
    "interview_questions": ({"question": "Tell me about a time you disagreed with a manager."},
                            {"practised": True, "practised_on": "2026-05-02"}),
    "job_items": ({"kind": "liked", "text": "Small, senior team"},
                  {"kind": "concern", "text": "Long commute"}),
    "must_haves": ({"name": "Salary at or above 85k", "description": "Base pay"},
                   {"retired": True}),
    "must_have_checks": ({"status": "missing"}, {"status": "present"}),
    "action_items": ({"theme": "examples_results", "lesson": "Answers lacked numbers",
                      "action": "Write eight STAR stories", "due_on": "2026-12-15"},
                     {"done_on": "2026-05-10"}),
    "custom_themes": ({"id": "portfolio", "label": "Portfolio", "phrases": "portfolio\ncase study"},
                      {"label": "Portfolio quality"}),
}


def _sample(store: Store, kind: str) -> dict:
    parents = _parents(store) if kind != "applications" else {}
    values = dict(SAMPLES[kind][0])
    for column in models.RECORDS[kind].parents:
        if column in parents:
            values[column] = parents[column]
    if kind == "must_have_checks":
        values["must_have_id"] = parents["must_have_id"]
    return values


def test_every_record_type_has_a_sample():
    assert set(SAMPLES) == set(DATA_TABLES)


def test_record_specs_match_the_table_columns():
    for kind, spec in models.RECORDS.items():
        columns = set(TABLES[kind].c.keys()) - {"id", "created_at", "updated_at"}
        assert set(spec.names) - {"id"} == columns, kind


@pytest.mark.parametrize("kind", DATA_TABLES)
def test_every_record_type_round_trips_through_create_read_update_delete(store, kind):
    values = _sample(store, kind)
    record_id = store.add(kind, **values)
    got = store.get(kind, record_id)
    for key, value in values.items():
        expected = dt.date.fromisoformat(value) if key.endswith("_on") else value
        assert got[key] == expected, key

    change = SAMPLES[kind][1]
    store.update(kind, record_id, **change)
    got = store.get(kind, record_id)
    for key, value in change.items():
        expected = dt.date.fromisoformat(value) if key.endswith("_on") and value else value
        assert got[key] == expected, key

    frame = store.table(kind)
    assert record_id in set(frame["id"])

    store.delete(kind, record_id)
    with pytest.raises(NotFound):
        store.get(kind, record_id)
    assert record_id not in set(store.table(kind)["id"])


def test_reads_return_real_dtypes(store, app_id):
    store.add("feedback", application_id=app_id, requested_on="2026-03-20", channel="phone")
    apps = store.table("applications")
    assert str(apps["applied_on"].dtype).startswith("datetime64")
    assert isinstance(apps["stage"].dtype, pd.CategoricalDtype)
    assert list(apps["stage"].cat.categories) == list(models.STAGES)
    assert isinstance(apps["outcome"].dtype, pd.CategoricalDtype)
    fb = store.table("feedback")
    assert fb["declined"].dtype == bool
    assert str(fb["received_on"].dtype).startswith("datetime64")
    assert pd.isna(fb["received_on"].iloc[0])


def test_empty_tables_still_have_their_dtypes(store):
    apps = store.table("applications")
    assert apps.empty
    assert str(apps["applied_on"].dtype).startswith("datetime64")
    assert isinstance(apps["source"].dtype, pd.CategoricalDtype)


def test_unknown_choice_is_refused_with_the_allowed_values(store):
    with pytest.raises(ValidationError) as e:
        store.add("applications", company="Acme", role="Analyst", stage="banana")
    assert "applied, screen, interview, final round, offer" in e.value.errors["stage"]
    assert store.count("applications") == 0


def test_missing_required_fields_are_named(store):
    with pytest.raises(ValidationError) as e:
        store.add("applications", company="   ", role="")
    assert e.value.errors == {"company": "Company is needed.", "role": "Role is needed."}


@pytest.mark.parametrize("bad, message", [
    ("2026-02-30", "not a real date"),
    ("next tuesday", "not a real date"),
    ("1899-01-01", "before 1970"),
    ("2999-01-01", "in the future"),
])
def test_impossible_and_future_dates_are_refused(store, bad, message):
    with pytest.raises(ValidationError) as e:
        store.add("applications", company="Acme", role="Analyst", applied_on=bad)
    assert message in e.value.errors["applied_on"]


def test_outcome_before_application_is_refused(store):
    with pytest.raises(ValidationError) as e:
        store.add("applications", company="Acme", role="Analyst",
                  applied_on="2026-05-01", outcome_on="2026-04-01")
    assert "before the application" in e.value.errors["outcome_on"]


def test_a_partial_update_is_checked_against_the_stored_values(store, app_id):
    with pytest.raises(ValidationError):
        store.update("applications", app_id, outcome_on="2026-01-01")
    assert store.get("applications", app_id)["outcome_on"] == dt.date(2026, 3, 20)


def test_references_to_missing_records_are_refused(store):
    with pytest.raises(ValidationError) as e:
        store.add("contacts", application_id=999, name="Ghost")
    assert "no longer exists" in e.value.errors["application_id"]


def test_foreign_keys_are_enforced_by_the_database_itself(store):
    from tappedin_widgets.schema import contacts

    with pytest.raises(sa.exc.IntegrityError):
        with store.engine.begin() as conn:  # past the store's own checks
            conn.execute(contacts.insert().values(
                application_id=12345, name="x", created_at=dt.datetime(2026, 1, 1),
                updated_at=dt.datetime(2026, 1, 1)))


def test_store_connections_have_foreign_keys_wal_and_a_busy_timeout(db_path):
    with Store(db_path) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_contact_from_another_application_cannot_give_feedback(store, app_id):
    other = store.add("applications", company="Initech", role="Analyst")
    stranger = store.add("contacts", application_id=other, name="Bill")
    with pytest.raises(ValidationError) as e:
        store.add("feedback", application_id=app_id, contact_id=stranger)
    assert "another application" in e.value.errors["contact_id"]


def test_deleting_an_application_removes_what_hangs_off_it_but_keeps_lessons(store):
    ids = _parents(store)
    app = ids["application_id"]
    store.set_tags(ids["feedback_id"], [("communication", "+")])
    q = store.add("interview_questions", application_id=app, question="Why us?")
    act = store.add("action_items", application_id=app, action="Research the product")
    store.delete("applications", app)
    assert store.count("contacts") == 0
    assert store.count("feedback") == 0
    assert store.count("feedback_tags") == 0
    assert pd.isna(store.get("interview_questions", q)["application_id"])
    assert store.get("action_items", act)["application_id"] is None


def test_a_failed_write_rolls_back_whole(store):
    with pytest.raises(ValidationError):
        with store.atomic():
            store.add("applications", company="Acme", role="Analyst")
            store.add("must_haves", name="Remote")
            store.add("applications", company="Acme", role="Analyst", stage="nope")
    assert store.count("applications") == 0
    assert store.count("must_haves") == 0


def test_add_many_validates_every_row_before_writing_any(store):
    rows = [{"company": "A", "role": "r"}, {"company": "B", "role": "r"},
            {"company": "C", "role": "r", "applied_on": "2026-13-01"}]
    with pytest.raises(ValidationError) as e:
        store.add_many("applications", rows)
    assert "Row 3" in e.value.message
    assert store.count("applications") == 0


def test_an_exception_inside_atomic_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.add("applications", company="Acme", role="Analyst")
            raise RuntimeError("power cut")
    assert store.count("applications") == 0


def test_duplicates_get_a_clear_message(store):
    store.add("must_haves", name="Remote or hybrid")
    with pytest.raises(ValidationError) as e:
        store.add("must_haves", name="remote OR hybrid")
    assert "already have a must-have" in e.value.message
    store.add("applications", company="Acme", role="Analyst", applied_on="2026-03-01")
    with pytest.raises(ValidationError):
        store.add("applications", company="ACME", role="analyst", applied_on="2026-03-01")


def test_tags_are_replaced_as_a_set(store):
    ids = _parents(store)
    fb = ids["feedback_id"]
    store.set_tags(fb, [("communication", "+"), ("examples_results", "-", "suggested")])
    store.set_tags(fb, [("communication", "+"), ("communication", "-")])
    tags = store.table("feedback_tags", feedback_id=fb)
    assert sorted(zip(tags["theme"], tags["polarity"].astype(str), strict=False)) == [
        ("communication", "+"), ("communication", "-")]


def test_frames_read_chosen_columns_as_the_tables_give_them(store):
    ids = _parents(store)
    fb = store.add("feedback", application_id=ids["application_id"], requested_on="2026-03-20",
                   received_on="2026-03-22", declined=True)
    store.set_tags(fb, [("communication", "+"), ("experience", "-", "suggested")])
    columns = {"feedback": ("id", "application_id", "requested_on", "received_on", "declined"),
               "applications": ("id", "company", "applied_on", "stage")}
    read = store.frames(columns, with_tags=True)
    assert set(read) == {"feedback", "applications", "tags"}
    for kind, names in columns.items():
        pd.testing.assert_frame_equal(read[kind], store.table(kind)[list(names)])
    tags = store.tags()
    pd.testing.assert_frame_equal(read["tags"], tags)
    mine = tags[tags["feedback_id"] == fb].sort_values("theme")
    assert mine["theme"].tolist() == ["communication", "experience"]
    assert mine["polarity"].astype(str).tolist() == ["+", "-"]
    assert mine["source"].astype(str).tolist()[1] == "suggested"
    assert mine["received_on"].tolist() == [pd.Timestamp("2026-03-22")] * 2
    assert mine["application_id"].tolist() == [ids["application_id"]] * 2
    assert str(tags["id"].dtype) == "Int64" and str(tags["received_on"].dtype) == "datetime64[ns]"


def test_frames_refuse_an_unknown_kind_or_column(store):
    with pytest.raises(ValueError, match="unknown record type"):
        store.frames({"horoscopes": ("id",)})
    with pytest.raises(ValueError, match="applications has no column salary_hopes"):
        store.frames({"applications": ("id", "salary_hopes")})


def test_an_unknown_theme_is_refused(store):
    ids = _parents(store)
    with pytest.raises(ValidationError) as e:
        store.set_tags(ids["feedback_id"], [("astrology", "+")])
    assert "not one of your feedback themes" in e.value.message
    assert store.count("feedback_tags") == 0


def test_custom_themes_can_be_added_renamed_and_merged(store):
    ids = _parents(store)
    theme = store.add_theme("Portfolio", "Work samples", ["portfolio", "case study"])
    assert theme == "portfolio"
    store.set_tags(ids["feedback_id"], [(theme, "-"), ("technical_skills", "-")])
    store.rename_theme(theme, "Portfolio & samples")
    store.rename_theme("communication", "Talking clearly")
    labels = dict(zip(store.themes()["id"], store.themes()["label"], strict=False))
    assert labels["portfolio"] == "Portfolio & samples"
    assert labels["communication"] == "Talking clearly"
    moved = store.merge_themes("portfolio", "technical_skills")
    assert moved == 0  # the same tag already existed on the target, so it folded in
    assert "portfolio" not in set(store.themes()["id"])
    tags = store.table("feedback_tags")
    assert list(tags["theme"]) == ["technical_skills"]


def test_reflections_are_saved_once_per_application(store, app_id):
    store.save_reflection(app_id, did_well="Kept calm")
    store.save_reflection(app_id, do_differently="Bring numbers")
    assert store.count("reflections") == 1
    r = store.reflection(app_id)
    assert (r["did_well"], r["do_differently"]) == ("Kept calm", "Bring numbers")


def test_must_have_checks_are_upserted(store, app_id):
    m = store.add("must_haves", name="Remote")
    store.set_check(app_id, m, "missing")
    store.set_check(app_id, m, "present")
    checks = store.table("must_have_checks")
    assert list(checks["status"].astype(str)) == ["present"]


def test_a_new_store_is_at_the_latest_schema(store):
    assert store.version() == SCHEMA_VERSION


def test_migrating_a_first_version_file_keeps_every_row(db_path):
    old = Store(db_path, _version=1)
    assert old.version() == 1
    ids = _parents(old)
    old.set_tags(ids["feedback_id"], [("communication", "+")])
    old.add("follow_ups", application_id=ids["application_id"], recipient="Dana", body="Thanks")
    old.save_reflection(ids["application_id"], did_well="Calm")
    old.add("interview_questions", question="Why product?")
    old.add("job_items", application_id=ids["application_id"], kind="liked", text="Mission")
    old.set_check(ids["application_id"], ids["must_have_id"], "missing")
    old.add("action_items", action="Practise", theme="communication")
    before = {name: old.table(name).drop(columns=["updated_at"]) for name in DATA_TABLES
              if name != "custom_themes"}
    with old.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("custom_themes")
    old.close()

    new = Store(db_path)
    assert new.version() == SCHEMA_VERSION
    for name, frame in before.items():
        pd.testing.assert_frame_equal(new.table(name).drop(columns=["updated_at"]), frame)
    backups = list((db_path.parent / "backups").glob("*.db"))
    assert len(backups) == 1
    assert Store(backups[0], migrate=False).version() == 1
    new.add_theme("Portfolio")


def test_a_store_from_a_newer_version_is_refused_and_untouched(db_path):
    s = Store(db_path)
    with s.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')"))
    s.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer TAPPED IN"):
        Store(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my cover letter draft")
    with pytest.raises(StoreError, match="not a TAPPED IN database"):
        Store(path)
    assert path.read_text() == "my cover letter draft"


def test_a_sqlite_file_of_another_program_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a TAPPED IN database"):
        Store(path)
    assert path.read_bytes() == before


def test_a_corrupt_file_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "broken.db"
    good = Store(path)
    good.add("applications", company="Acme", role="Analyst")
    good.close()
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        Store(path)


def test_where_the_data_lives_follows_the_environment(tmp_path, monkeypatch):
    from tappedin_widgets.store import default_location, resolve_url

    monkeypatch.setenv("TAPPEDIN_DB", str(tmp_path / "mine.db"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'mine.db'}"
    monkeypatch.setenv("TAPPEDIN_DB", "postgresql+psycopg://me@localhost/tappedin")
    assert resolve_url() == "postgresql+psycopg://me@localhost/tappedin"
    monkeypatch.delenv("TAPPEDIN_DB")
    assert resolve_url().endswith("tappedin.db")
    assert default_location().endswith("tappedin.db")


# -- arbitrary Unicode ------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)

TEXT_FIELDS = [(kind, f) for kind, spec in models.RECORDS.items() for f in spec.fields
               if f.kind in ("text", "long") and kind != "custom_themes"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_printable, which=st.sampled_from(TEXT_FIELDS))
def test_any_unicode_text_round_trips_through_every_text_field(store, text, which):
    kind, field = which
    with store.atomic():
        values = _sample(store, kind)
        try:
            expected = models.clean_value(field, text)
        except ValueError as too_long:  # up to 300 characters; short text fields take 200
            before = store.count(kind)
            with pytest.raises(ValidationError) as e:
                store.add(kind, **{**values, field.name: text})
            assert str(too_long) in e.value.message and store.count(kind) == before
            return
        if expected is None and field.required:
            return
        values[field.name] = text
        try:
            record_id = store.add(kind, **values)
        except ValidationError as e:
            # only a would-be duplicate may refuse printable text
            assert "already" in e.message
            return
        assert store.get(kind, record_id)[field.name] == expected
        frame = store.table(kind)
        stored = frame.loc[frame["id"] == record_id, field.name].iloc[0]
        assert (pd.isna(stored) and expected is None) or stored == expected
        store.wipe()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=50).map(lambda t: t + "\x00"))
def test_control_characters_are_refused_and_nothing_is_written(store, text):
    with pytest.raises(ValidationError) as e:
        store.add("applications", company=text, role="Analyst")
    assert "control characters" in e.value.errors["company"]
    assert store.count("applications") == 0


def test_a_megabyte_of_text_gets_a_clear_message(store, app_id):
    with pytest.raises(ValidationError) as e:
        store.add("feedback", application_id=app_id, observations="x" * 1_000_000)
    assert "too long" in e.value.errors["observations"]
    assert store.count("feedback") == 0


def test_migrations_keep_only_the_last_few_automatic_backups(db_path):
    from tappedin_widgets.store import KEEP_BACKUPS

    Store(db_path, _version=1).close()
    folder = db_path.parent / "backups"
    folder.mkdir()
    for i in range(8):
        (folder / f"tappedin-before-import-20260101-00000{i}.db").write_bytes(b"")
    (folder / "tappedin-manual-20250101-000000.db").write_bytes(b"")
    Store(db_path).close()
    automatic = sorted(folder.glob("*-before-*"))
    assert len(automatic) == KEEP_BACKUPS
    assert any(f"before-v{SCHEMA_VERSION}" in p.name for p in automatic)
    assert (folder / "tappedin-manual-20250101-000000.db").exists()


def _first_repeat_by_hand(rows):
    names = [k for k in rows[0] if k not in ("created_at", "updated_at")]
    seen = set()
    for i, row in enumerate(rows):
        key = "\x1f".join(str(row[n]) for n in names).lower()
        if key in seen:
            return i
        seen.add(key)
    return None


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({
    "company": st.sampled_from(["Acme", "ACME", "Initech"]),
    "role": st.sampled_from(["Analyst", "analyst", "Clerk"]),
    "notes": st.sampled_from(["", "Long notes", "long NOTES", None]),
    "created_at": st.floats()}), min_size=1, max_size=25),
    probe=st.sampled_from([(), ("company",), ("company", "role"), ("role", "missing")]))
def test_bulk_repeat_check_finds_the_row_the_one_by_one_check_would(rows, probe):
    from tappedin_widgets.staging import first_repeat

    assert first_repeat(rows, probe) == _first_repeat_by_hand(rows)


def test_a_bulk_add_leaves_the_garbage_collector_as_it_found_it(store):
    import gc

    assert gc.isenabled()
    store.add_many("applications", [{"company": f"C{i}", "role": "R"} for i in range(50)])
    assert gc.isenabled()
    with pytest.raises(ValidationError):
        store.add_many("applications", [{"company": "C", "role": ""}])
    assert gc.isenabled()
    gc.disable()
    try:
        store.add("applications", company="Off", role="R")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("kind", [k for k in DATA_TABLES if k != "custom_themes"])
def test_ids_are_never_reused_after_a_delete(store, kind):
    """A window still showing a deleted record must not write into a newer one."""
    values = _sample(store, kind)
    gone = store.add(kind, **values)
    store.delete(kind, gone)
    again = store.add(kind, **values)
    assert again > gone
    with pytest.raises(NotFound, match="deleted in another window"):
        store.update(kind, gone, **SAMPLES[kind][1])
    # a bulk add after deleting the newest rows starts past them too
    store.delete(kind, again)
    if kind == "applications":
        many = store.add_many(kind, [dict(values, company=f"Co {i}") for i in range(10)])
        assert min(many) > again


def test_an_application_deleted_in_one_window_is_not_saved_into_by_another(store_url):
    from tappedin_widgets.views.common import Workbook
    from tappedin_widgets.views.self_reflection import ReflectionAnswers

    here, there = Workbook(Store(store_url)), Workbook(Store(store_url))
    first = there.store.add("applications", company="Acme", role="Analyst")
    here.application_id = first
    answers = ReflectionAnswers(here, debounce=60)
    answers.show(first)
    there.store.delete("applications", first)
    newer = there.store.add("applications", company="Globex", role="Engineer")
    assert newer != first
    with pytest.raises(NotFound, match="deleted in another window"):
        here.store.update("applications", here.application_id, notes="typed here")
    assert there.store.get("applications", newer)["notes"] is None
    # the reflection typed in the old window is not saved into the newer application
    answers.fields["did_well"].value = "Kept calm"
    assert answers.flush() is False
    assert "no longer exists" in answers.status.text
    assert there.store.reflection(newer) is None
    here.store.close()
    there.store.close()


def test_a_second_version_file_gets_ids_that_are_never_reused_and_keeps_every_row(db_path):
    old = Store(db_path, _version=2)
    ids = _parents(old)
    old.set_tags(ids["feedback_id"], [("communication", "+")])
    old.add("action_items", application_id=ids["application_id"], action="Practise")
    newest = old.add("applications", company="Zeta", role="Analyst")
    before = {name: old.table(name) for name in DATA_TABLES}
    with old.engine.connect() as conn:
        plain = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name='applications'")
        assert "AUTOINCREMENT" not in plain.scalar()
    old.close()

    new = Store(db_path)
    assert new.version() == SCHEMA_VERSION
    for name, frame in before.items():
        pd.testing.assert_frame_equal(new.table(name), frame)
    with new.engine.connect() as conn:
        tables = dict(conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type='table'").all())
        indexes = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='index'")}
    for name in DATA_TABLES:
        assert ("AUTOINCREMENT" in tables[name]) == (name != "custom_themes"), name
    assert {"ix_feedback_tags_theme", "ix_contacts_application_id"} <= indexes
    # the links still hold: refused when broken, cascading on delete
    with pytest.raises(ValidationError):
        new.add("contacts", application_id=newest + 100, name="Nobody")
    new.delete("applications", newest)
    assert new.add("applications", company="Eta", role="Analyst") > newest
    new.delete("applications", ids["application_id"])
    assert new.count("contacts") == 0 and new.count("feedback_tags") == 0
    backups = list((db_path.parent / "backups").glob(f"*-before-v{SCHEMA_VERSION}-*.db"))
    assert len(backups) == 1 and Store(backups[0], migrate=False).version() == 2
    new.close()


@pytest.mark.slow
def test_two_processes_opening_an_old_store_at_once_both_get_the_latest_schema(db_path):
    import subprocess
    import sys

    old = Store(db_path, _version=2)
    for i in range(200):
        old.add("applications", company=f"Co {i}", role="Analyst")
    old.close()
    go = db_path.with_name("go")
    opener = ("import os, sys, time; from tappedin_widgets.store import Store\n"
              "while not os.path.exists(sys.argv[2]): time.sleep(0.005)\n"
              "s = Store(sys.argv[1]); print(s.version(), s.count('applications'))")
    procs = [subprocess.Popen([sys.executable, "-c", opener, str(db_path), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    import time

    time.sleep(4)  # every process imported and waiting: they open the store together
    go.touch()
    results = [p.communicate(timeout=120) for p in procs]
    for (stdout, stderr), p in zip(results, procs, strict=False):
        assert p.returncode == 0, stderr
        assert stdout.split() == [str(SCHEMA_VERSION), "200"]


def _source_required_as_in_version_3(url: str) -> None:
    """Make a version 3 store's applications.source NOT NULL, as version 3 made it (a
    store built today at version 3 has the latest table layout)."""
    if url.startswith("postgresql"):
        store = Store(url, migrate=False)
        try:
            with store.engine.begin() as conn:
                conn.execute(sa.text(f'ALTER TABLE "{store.owner}".applications '
                                     "ALTER COLUMN source SET NOT NULL"))
        finally:
            store.close()
        return
    conn = sqlite3.connect(url)
    try:
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'source VARCHAR(20) CHECK', "
                     "'source VARCHAR(20) NOT NULL CHECK') WHERE name = 'applications'")
        conn.commit()
    finally:
        conn.close()


def test_version_4_lets_how_an_application_was_found_be_unknown(store_url):
    old = Store(store_url, _version=3)
    kept = old.add("applications", company="Northwind", role="Analyst", source="job board")
    other = old.add("applications", company="Contoso", role="Analyst", source="other")
    old.close()
    _source_required_as_in_version_3(store_url)
    old = Store(store_url, migrate=False)
    with pytest.raises(sa.exc.IntegrityError):  # what version 3 refused: no source
        with old.engine.begin() as conn:
            conn.execute(TABLES["applications"].insert().values(
                company="X", role="Y", stage="applied", outcome="open",
                created_at=dt.datetime.now(), updated_at=dt.datetime.now()))
    old.close()

    new = Store(store_url)
    assert new.version() == SCHEMA_VERSION == 4
    # Existing answers are kept as they were, ids too.
    assert new.get("applications", kept)["source"] == "job board"
    assert new.get("applications", other)["source"] == "other"
    unknown = new.add("applications", company="Fabrikam", role="Analyst")
    assert new.get("applications", unknown)["source"] is None
    assert unknown > other
    with pytest.raises(ValidationError):
        new.add("applications", company="A", role="B", source="a friend of mine")
    new.close()
