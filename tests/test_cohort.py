"""A cohort on PostgreSQL: migrations, isolation between job seekers, the coach's counts.

Everything here runs against the real PostgreSQL server tests/run.sh starts.
Coach tests get a database of their own, so the seekers other tests create
never show up in their counts.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tappedin_widgets import cli, cohort, models
from tappedin_widgets.demo import DEMO_SETTING, load_demo
from tappedin_widgets.models import NotFound, StoreError, ValidationError
from tappedin_widgets.store import DATA_TABLES, SCHEMA_VERSION, Store


def frames(store):
    return {kind: store.table(kind) for kind in DATA_TABLES}


def assert_same(a, b):
    for kind in DATA_TABLES:
        pd.testing.assert_frame_equal(a[kind], b[kind], obj=kind)


def raw(url):
    return sa.create_engine(url)


def refused(url, *statements):
    """Run each statement on its own connection as ``url``'s role; the errors they raise."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    errors = []
    for statement in statements:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            try:
                conn.execute(statement)
            except psycopg.Error as e:
                errors.append(str(e))
            else:
                errors.append(None)
    return errors


# --------------------------------------------------------------------------
# The store on PostgreSQL


def test_a_first_version_schema_is_migrated_on_postgresql(pg_user):
    name, url = pg_user
    old = Store(url, _version=1)
    assert old.version() == 1
    app = old.add("applications", company="Northwind", role="Analyst", applied_on="2026-03-02")
    fb = old.add("feedback", application_id=app, observations="Clear, but thin on numbers")
    old.set_tags(fb, [("communication", "+"), ("examples_results", "-")])
    old.close()

    new = Store(url)
    assert new.version() == SCHEMA_VERSION
    assert new.get("applications", app)["company"] == "Northwind"
    assert sorted(new.tags()["theme"]) == ["communication", "examples_results"]
    new.add_theme("Portfolio", phrases=["portfolio"])  # a version 2 table
    with raw(url).connect() as conn:
        indexes = set(conn.execute(sa.text(
            "SELECT indexname FROM pg_indexes WHERE schemaname = :s"), {"s": name}).scalars())
        tables = set(conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": name}).scalars())
        public = set(conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert "ix_feedback_tags_theme" in indexes
    assert set(DATA_TABLES) | {"settings", "schema_version"} <= tables
    assert not public & set(DATA_TABLES)  # nothing landed outside the user's own schema
    new.close()
    assert Store(url).version() == SCHEMA_VERSION  # opening again changes nothing


def test_a_role_without_a_schema_of_its_own_is_told_whom_to_ask(pg_admin_url):
    name = f"t_{uuid.uuid4().hex[:12]}"
    with raw(pg_admin_url).begin() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{name}" LOGIN PASSWORD \'only-a-role\''))
    try:
        with pytest.raises(StoreError, match=f"cohort add-user {name}"):
            Store(cohort.user_url(pg_admin_url, name, "only-a-role"))
    finally:
        with raw(pg_admin_url).begin() as conn:
            conn.execute(sa.text(f'DROP ROLE "{name}"'))


def test_a_users_address_never_carries_the_administrators_password(pg_admin_url):
    admin = make_url(pg_admin_url)
    assert admin.password  # the test server checks passwords
    mine = make_url(cohort.user_url(pg_admin_url, "alice"))
    assert mine.username == "alice" and mine.password is None
    assert (mine.host, mine.port, mine.database) == (admin.host, admin.port, admin.database)
    assert make_url(cohort.user_url(pg_admin_url, "alice", "hers")).password == "hers"


def test_a_wrong_password_is_refused_with_a_clear_message(pg_user):
    name, url = pg_user
    wrong = make_url(url).set(password="not-the-password").render_as_string(hide_password=False)
    with pytest.raises(StoreError, match=f"refused the login for '{name}'") as e:
        Store(wrong)
    assert "not-the-password" not in str(e.value)


def test_an_unreachable_server_is_a_clear_message(pg_admin_url):
    url = make_url(pg_admin_url).set(port=1).render_as_string(hide_password=False)
    with pytest.raises(StoreError, match="Can't reach the database"):
        Store(url)


def test_a_backup_on_postgresql_points_to_export(store, backend):
    from tappedin_widgets import exchange

    if backend == "postgresql":
        with pytest.raises(exchange.ExchangeError, match="Export"):
            exchange.backup(store)
        assert exchange.backups(store) == []
    else:
        assert exchange.backup(store).is_file()


# --------------------------------------------------------------------------
# Isolation: two job seekers try to reach each other's rows through every call


@pytest.fixture
def alice(pg_user):
    store = Store(pg_user[1])
    load_demo(store)
    store.add_theme("Alice portfolio", phrases=["alice-only"])
    yield store
    store.close()


@pytest.fixture
def bob(make_seeker):
    store = Store(make_seeker("t_bob")[1])
    yield store
    store.close()


def test_a_new_seeker_sees_nothing_of_another(alice, bob):
    assert alice.count("applications") == 66
    for kind in DATA_TABLES:
        assert bob.count(kind) == 0, kind
        assert bob.table(kind).empty, kind
    assert bob.is_empty() and not alice.is_empty()
    assert bob.tags().empty
    assert "alice_portfolio" not in set(bob.themes(include_merged=True)["id"])
    assert bob.setting(DEMO_SETTING) is None and alice.setting(DEMO_SETTING) is not None
    app = int(alice.table("applications")["id"].iloc[0])
    assert bob.reflection(app) is None


def test_every_store_call_is_refused_another_seekers_rows(alice, bob):
    before = frames(alice)
    ids = {kind: [int(i) for i in alice.table(kind)["id"]]
           for kind in DATA_TABLES if kind != "custom_themes"}
    app = ids["applications"][0]
    fb = ids["feedback"][0]
    must = ids["must_haves"][0]

    for kind, kind_ids in ids.items():
        for record_id in kind_ids[:3]:
            with pytest.raises(NotFound):
                bob.get(kind, record_id)
            with pytest.raises(NotFound):
                bob.update(kind, record_id, **_harmless_change(kind))
            with pytest.raises(NotFound):
                bob.delete(kind, record_id)
        assert bob.table(kind, id=kind_ids[0]).empty
    with pytest.raises(NotFound):
        bob.set_tags(fb, [("communication", "-")])
    with pytest.raises(ValidationError, match="no longer exists"):
        bob.save_reflection(app, did_well="I was calm")
    with pytest.raises(ValidationError, match="no longer exists"):
        bob.set_check(app, must, "missing")
    with pytest.raises(ValidationError, match="no longer exists"):
        bob.add("feedback", application_id=app, observations="reaching across")
    with pytest.raises(ValidationError, match="no longer exists"):
        bob.add_many("job_items", [{"application_id": app, "kind": "liked", "text": "x"}] * 20,
                     check_unique=False)
    with pytest.raises(NotFound):
        bob.merge_themes("alice_portfolio", "communication")
    with pytest.raises(NotFound):
        bob.rename_theme("alice_portfolio", "Mine now")
    bob.rename_theme("communication", "Bob's talking")  # his own label, not hers
    bob.set_setting(DEMO_SETTING, None)
    with bob.atomic():
        bob.add("applications", company="Bob Co", role="Clerk")
    bob.wipe()

    assert_same(before, frames(alice))
    assert alice.setting(DEMO_SETTING) is not None
    assert set(alice.themes()["label"]) >= {"Communication", "Alice portfolio"}


def test_ids_that_coincide_still_reach_only_ones_own_rows(alice, bob):
    mine = bob.add("applications", company="Bob Co", role="Clerk")
    assert mine in set(alice.table("applications")["id"])  # same number, other schema
    assert bob.get("applications", mine)["company"] == "Bob Co"
    bob.update("applications", mine, outcome="rejected")
    assert alice.get("applications", mine)["company"] != "Bob Co"
    assert alice.get("applications", mine)["updated_at"] < bob.get("applications",
                                                                    mine)["updated_at"]
    bob.delete("applications", mine)
    assert alice.count("applications") == 66


def _harmless_change(kind):
    spec = models.RECORDS[kind]
    for f in spec.fields:
        if f.kind in ("text", "long"):
            return {f.name: "changed by someone else"}
    f = next(f for f in spec.fields if f.kind == "choice")
    return {f.name: f.choices[-1]}


def test_postgresql_itself_closes_one_seekers_schema_to_another(alice, bob):
    errors = refused(bob.url,
                     f'SELECT * FROM "{alice.owner}".applications',
                     f'SELECT count(*) FROM "{alice.owner}".feedback',
                     f'DELETE FROM "{alice.owner}".applications',
                     f'UPDATE "{alice.owner}".feedback SET observations = NULL',
                     f'SET search_path TO "{alice.owner}"; SELECT * FROM applications',
                     "SELECT * FROM tappedin_cohort.summary()",
                     f'CREATE TABLE "{alice.owner}".planted (id int)')
    assert all(e and ("permission denied" in e or "does not exist" in e) for e in errors), errors
    assert alice.count("applications") == 66


# --------------------------------------------------------------------------
# The coach: counts only, nothing under five job seekers


def test_the_coach_sees_the_cohorts_counts_and_nothing_else(cohort_db):
    seekers = [cohort_db.seeker() for _ in range(5)]
    # one seeker differs: a theme of their own used everywhere, extra rejections
    for _, s in seekers:  # all five name a theme of their own the same way: still not shown
        s.add_theme("Secret project", phrases=["secret"])
        s.add("feedback_tags", feedback_id=int(s.table("feedback")["id"].iloc[0]),
              theme="secret_project", polarity="-", source="user")
    name0, s0 = seekers[0]
    s0.add("applications", company="Only Me Ltd", role="Analyst", stage="offer",
           outcome="rejected")

    with cohort_db.coach() as coach:
        summary = coach.summary()
        themes = coach.feedback_themes()
        musts = coach.missing_must_haves()
        stops = coach.process_stops()

    tags = [s.tags() for _, s in seekers]
    apps = [s.table("applications") for _, s in seekers]
    assert summary == {
        "seekers": 5,
        "applications": sum(len(a) for a in apps),
        "rejections": sum(int((a["outcome"] == "rejected").sum()) for a in apps),
        "feedback_received": sum(int((s.table("feedback")["received_on"].notna()
                                      & ~s.table("feedback")["declined"]).sum())
                                 for _, s in seekers),
    }
    # theme counts: computed here from each seeker's own tables
    expected = (pd.concat([t.assign(who=i) for i, t in enumerate(tags)])
                .assign(polarity=lambda f: f["polarity"].astype(str))
                .groupby(["theme", "polarity"])
                .agg(seekers=("who", "nunique"), mentions=("id", "size")).reset_index())
    expected = expected[(expected["seekers"] >= 5)
                        & expected["theme"].isin(models.THEME_IDS)]
    got = themes.set_index(["theme", "polarity"])[["seekers", "mentions"]].sort_index()
    want = expected.set_index(["theme", "polarity"])[["seekers", "mentions"]].sort_index()
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert "secret_project" not in set(themes["theme"])  # a theme of one's own is never shown
    assert "offer" not in set(stops["stage"])  # only one seeker was rejected at an offer
    assert list(stops["stage"]) == [st for st in models.STAGES if st in set(stops["stage"])]
    assert (stops["seekers"] >= 5).all() and (musts["seekers"] >= 5).all()
    assert stops["rejections"].sum() <= summary["rejections"]

    # nothing identifying: no role names, no company, no feedback text, no notes
    shown = " ".join(map(str, [summary, themes.to_string(), musts.to_string(),
                               stops.to_string()])).lower()
    for name, _s in seekers:
        assert name not in shown
    words = set()
    for _, s in seekers:
        for kind, column in (("applications", "company"), ("feedback", "observations"),
                             ("job_items", "text"), ("follow_ups", "body")):
            words.update(v.lower() for v in s.table(kind)[column].dropna() if len(v) > 12)
    assert not any(w in shown for w in words)
    # must-haves appear only as labels five or more seekers wrote the same way
    assert set(musts["must_have"]) <= {n.lower().strip() for n in s0.table("must_haves")["name"]}
    for _, s in seekers:
        s.close()


def test_nothing_is_shown_for_fewer_than_five_seekers(cohort_db):
    stores = [cohort_db.seeker()[1] for _ in range(4)]
    cohort_db.seeker(demo=False)  # a fifth who has not logged anything yet
    with cohort_db.coach() as coach:
        assert coach.summary() is None
        assert coach.feedback_themes().empty
        assert coach.missing_must_haves().empty
        assert coach.process_stops().empty
        stores.append(cohort_db.seeker()[1])  # the fifth with data: now figures appear
        assert coach.summary()["seekers"] == 5
        assert not coach.feedback_themes().empty
    for s in stores:
        s.close()


def test_a_coach_can_call_the_counts_and_read_nothing_else(cohort_db):
    name, store = cohort_db.seeker(demo=False)
    store.add("applications", company="Northwind", role="Analyst")
    with cohort_db.coach() as coach:
        errors = refused(coach.url,
                         f'SELECT * FROM "{name}".applications',
                         "SELECT * FROM tappedin_cohort.member_schemas()",
                         'CREATE SCHEMA "coach_own"')
        assert all(e and "permission denied" in e for e in errors), errors
        with pytest.raises(StoreError, match="no space of its own"):
            Store(coach.url)
    store.close()


@pytest.mark.parametrize("plant", ["view", "type"])
def test_code_a_seeker_plants_in_their_schema_never_runs_in_the_counts(cohort_db, plant):
    """A seeker owns their schema: a view or a type of their own in place of what the
    counts read would run their code with the administrator's rights. Such a schema
    is left out of the counts instead."""
    seekers = [cohort_db.seeker() for _ in range(5)]
    name, store = seekers[0]
    grab = (f'CREATE FUNCTION "{name}".grab(x text) RETURNS text LANGUAGE plpgsql AS $$ '
            f'BEGIN ALTER ROLE "{name}" SUPERUSER; RETURN x; '
            "EXCEPTION WHEN insufficient_privilege THEN RETURN x; END $$")
    if plant == "view":
        steps = [grab, f'ALTER TABLE "{name}".feedback_tags RENAME TO real_tags',
                 f'CREATE VIEW "{name}".feedback_tags AS SELECT id, feedback_id, '
                 f'"{name}".grab(theme::text) AS theme, polarity FROM "{name}".real_tags']
    else:
        steps = [grab, f'CREATE DOMAIN "{name}".stage AS text CHECK ("{name}".grab(VALUE) '
                       "IS NOT NULL)",
                 f'ALTER TABLE "{name}".applications ALTER COLUMN stage TYPE "{name}".stage']
    assert refused(store.url, *steps) == [None] * len(steps)  # all theirs to do
    with cohort_db.coach() as coach:
        assert coach.summary() is None  # four seekers counted: under the minimum
        coach.feedback_themes()
        coach.process_stops()
    with raw(cohort_db.url).connect() as conn:
        assert conn.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = :n"),
                            {"n": name}).scalar() is False
    cohort_db.seeker()  # a fifth sound schema: counted again
    with cohort_db.coach() as coach:
        assert coach.summary()["seekers"] == 5


def test_a_seeker_cannot_see_the_cohort_counts(cohort_db):
    name, store = cohort_db.seeker(demo=False)
    with pytest.raises(cohort.CohortError, match="can't see cohort figures"):
        cohort.CohortStats(store.url).summary()
    store.close()


# --------------------------------------------------------------------------
# The administrator's commands


def test_cohort_commands_set_up_seekers_and_coaches(cohort_db, capsys, tmp_path):
    url = cohort_db.url
    assert cli.main(["--db", url, "cohort", "init"]) == 0  # again: safe
    assert cli.main(["--db", url, "cohort", "add-user", "t_cli_seeker"]) == 0
    cohort_db.roles.append("t_cli_seeker")
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    assert make_url(printed).username == "t_cli_seeker" and make_url(printed).password
    with Store(printed) as s:  # the printed address works, with its made-up password
        s.add("applications", company="Acme", role="Analyst")
        assert s.owner == "t_cli_seeker"

    secret = tmp_path / "pw.txt"
    secret.write_text("a long coach password\n", encoding="utf-8")
    assert cli.main(["--db", url, "cohort", "add-coach", "t_cli_coach",
                     "--password-file", str(secret)]) == 0
    cohort_db.roles.append("t_cli_coach")
    coach_url = capsys.readouterr().out.strip().splitlines()[-1]
    assert make_url(coach_url).password is None  # a password from a file is never printed
    assert cli.main(["--db", url, "cohort", "list"]) == 0
    out = capsys.readouterr().out
    assert "t_cli_seeker" in out and "t_cli_coach" in out

    assert cli.main(["--db", url, "cohort", "add-user", "t_cli_seeker"]) == 2
    assert "already" in capsys.readouterr().err
    assert cli.main(["--db", url, "cohort", "add-user", "Robert'); DROP"]) == 2
    assert "can't be a user name" in capsys.readouterr().err
    assert cli.main(["--db", url, "cohort", "remove-user", "t_cli_seeker"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert cli.main(["--db", url, "cohort", "remove-user", "t_cli_seeker", "--yes"]) == 0
    cohort_db.roles.remove("t_cli_seeker")
    with pytest.raises(StoreError):
        Store(printed)


def test_cohort_commands_refuse_sqlite_and_unknown_names(db_path, capsys):
    assert cli.main(["cohort", "init"]) == 2
    assert "needs PostgreSQL" in capsys.readouterr().err
    assert not db_path.exists()


def test_stamps_are_naive_local_times_on_both_databases(store):
    app = store.add("applications", company="Northwind", role="Analyst")
    stamp = store.get("applications", app)["created_at"]
    assert stamp.tzinfo is None and abs(stamp - dt.datetime.now()) < dt.timedelta(minutes=1)
