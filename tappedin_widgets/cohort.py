"""A cohort on PostgreSQL: job seekers kept apart, coaches given aggregates only.

Each job seeker is a PostgreSQL login role with a schema of the same name;
:class:`~tappedin_widgets.store.Store` reads and writes only that schema, and
PostgreSQL's own privileges stop any other seeker's role from reaching it.
A coach is a role that may only call the functions in the ``tappedin_cohort``
schema. Those functions run with their owner's rights, read every seeker's
tables and return counts only: no text anyone wrote, no names, and no figure
that fewer than :data:`MIN_GROUP` job seekers contribute to.

The administrator's side (``tappedin cohort ...``) needs a URL whose role may
create roles and schemas, e.g. the database owner.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from . import models
from .models import StoreError
from .store import driver_reason

SEEKERS = "tappedin_seeker"
COACHES = "tappedin_coach"
FUNCTIONS_SCHEMA = "tappedin_cohort"
#: No figure is shown that fewer job seekers than this contribute to.
MIN_GROUP = 5
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_RESERVED = {"public", "postgres", SEEKERS, COACHES, FUNCTIONS_SCHEMA}


class CohortError(StoreError):
    """A cohort command that can't be carried out, with the reason for people."""


def check_name(name: str) -> str:
    """A role name the cohort accepts: lower-case letters, digits and _, at most 63."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise CohortError(f"'{name}' can't be a user name here: use lower-case letters, digits "
                          "and _ (starting with a letter or _), at most 63 characters.")
    if name in _RESERVED or name.startswith("pg_"):
        raise CohortError(f"'{name}' is reserved; pick another user name.")
    return name


def _engine(url: str) -> Engine:
    if make_url(url).get_backend_name() != "postgresql":
        raise CohortError("A cohort needs PostgreSQL: set TAPPEDIN_DB to a "
                          "postgresql+psycopg://... address.")
    try:
        return sa.create_engine(url)
    except ImportError as e:
        raise CohortError(f'{e}. Install the driver: pip install "tappedin[postgres]".') from None


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _run(url: str, work) -> object:
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            return work(conn)
    except sa.exc.OperationalError as e:
        reason = driver_reason(e)
        raise CohortError(f"Can't reach the database: {reason}") from None
    except sa.exc.ProgrammingError as e:
        reason = driver_reason(e)
        raise CohortError(f"The database refused: {reason}") from None
    finally:
        engine.dispose()


def _role_exists(conn: Connection, name: str) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                        {"n": name}).first() is not None


def _ensure_group(conn: Connection, name: str) -> None:
    # two administrators (or test workers) at once: the second finds it made
    conn.execute(sa.text(
        f"DO $$ BEGIN CREATE ROLE {_q(conn, name)} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"))


def _create_login(conn: Connection, name: str, password: str | None, group: str) -> None:
    if _role_exists(conn, name):
        raise CohortError(f"There is already a database role called '{name}'.")
    q = _q(conn, name)
    conn.execute(sa.text(f"CREATE ROLE {q} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                         "INHERIT"))
    if password is not None:
        # DDL takes no bound parameters: psycopg quotes the literal on our side
        from psycopg import sql

        with conn.connection.driver_connection.cursor() as cur:
            cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)))
    conn.execute(sa.text(f"GRANT {_q(conn, group)} TO {q}"))  # CONNECT comes with the group


def add_user(admin_url: str, name: str, password: str | None = None) -> str:
    """Create a job seeker: a login role and the schema of the same name, theirs alone."""
    check_name(name)

    def work(conn: Connection) -> str:
        _ensure_group(conn, SEEKERS)
        _create_login(conn, name, password, SEEKERS)
        q = _q(conn, name)
        conn.execute(sa.text(f"CREATE SCHEMA {q} AUTHORIZATION {q}"))
        conn.execute(sa.text(f"REVOKE ALL ON SCHEMA {q} FROM PUBLIC"))
        return name

    return _run(admin_url, work)


def remove_user(admin_url: str, name: str) -> None:
    """Delete a job seeker's role and every row they stored (their whole schema)."""
    check_name(name)

    def work(conn: Connection) -> None:
        if not _role_exists(conn, name):
            raise CohortError(f"There is no user called '{name}'.")
        q = _q(conn, name)
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {q} CASCADE"))
        conn.execute(sa.text(f"DROP OWNED BY {q}"))
        conn.execute(sa.text(f"DROP ROLE {q}"))

    _run(admin_url, work)


def add_coach(admin_url: str, name: str, password: str | None = None) -> str:
    """Create a coach: a login role that may call the cohort functions and nothing else."""
    check_name(name)

    def work(conn: Connection) -> str:
        _require_init(conn)
        _create_login(conn, name, password, COACHES)
        return name

    return _run(admin_url, work)


def members(admin_url: str) -> dict[str, list[str]]:
    """The cohort's job seekers and coaches (for the administrator, who may see names)."""
    def work(conn: Connection) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for group in (SEEKERS, COACHES):
            out[group] = list(conn.execute(sa.text(
                "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid "
                "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = :g ORDER BY 1"),
                {"g": group}).scalars())
        return out

    return _run(admin_url, work)


# --------------------------------------------------------------------------
# What a coach may ask: functions that return counts over every seeker.
#
# They run with the rights of the administrator who ran ``tappedin cohort
# init`` (a superuser, so they can read each seeker's schema), search only
# pg_catalog, quote every schema name, and drop any row fewer than
# MIN_GROUP seekers contribute to. Coaches get EXECUTE on these four and
# nothing else; seekers get nothing here at all.

#: The columns the counts read. A seeker owns their schema and could swap a table
#: for a view, or a column's type for one of their own, whose code would then run
#: with the administrator's rights inside these functions; so a schema counts only
#: while each of these is a column of an ordinary table with a built-in type. The
#: queries read ``ONLY`` those tables (no inherited children) and resolve every
#: operator in pg_catalog.
_COLUMNS_READ = (("applications", "outcome"), ("applications", "stage"),
                 ("feedback", "received_on"), ("feedback", "declined"),
                 ("feedback_tags", "theme"), ("feedback_tags", "polarity"),
                 ("must_haves", "id"), ("must_haves", "name"),
                 ("must_have_checks", "must_have_id"), ("must_have_checks", "status"),
                 ("schema_version", "version"))

_MEMBER_SCHEMAS = f"""
CREATE OR REPLACE FUNCTION {FUNCTIONS_SCHEMA}.member_schemas() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT n.nspname::text FROM pg_namespace n JOIN pg_roles r ON r.rolname = n.nspname
    WHERE pg_has_role(r.oid, '{SEEKERS}', 'MEMBER')
      AND NOT EXISTS (
        SELECT 1 FROM (VALUES {", ".join(f"('{t}', '{c}')" for t, c in _COLUMNS_READ)})
                      AS need(tab, col)
        WHERE NOT EXISTS (
          SELECT 1 FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid
          JOIN pg_type t ON t.oid = a.atttypid
          WHERE c.relnamespace = n.oid AND c.relname = need.tab AND c.relkind = 'r'
            AND a.attname = need.col AND NOT a.attisdropped
            AND t.typnamespace = 'pg_catalog'::regnamespace))
    ORDER BY 1
$f$"""


def _aggregate(name: str, columns: str, per_seeker: str, outer: str) -> str:
    """A coach-facing function: ``per_seeker`` (with %1$I for the schema) unioned over
    every seeker, tagged with who, then ``outer`` over it (a GROUP BY whose HAVING keeps
    groups of at least the minimum)."""
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTIONS_SCHEMA}.{name}() RETURNS TABLE({columns})
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    parts text;
BEGIN
    SELECT string_agg(format($q${per_seeker}$q$, s, md5(s)), ' UNION ALL ')
      INTO parts FROM {FUNCTIONS_SCHEMA}.member_schemas() AS s;
    IF parts IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format($q${outer}$q$, parts);
END
$f$"""


def _function_sql() -> list[str]:
    themes = "ARRAY[" + ", ".join(f"'{t}'" for t in models.THEME_IDS) + "]::text[]"
    k = MIN_GROUP
    return [
        _MEMBER_SCHEMAS,
        _aggregate(
            "summary", "seekers bigint, applications bigint, rejections bigint, "
            "feedback_received bigint",
            "SELECT %2$L::text AS who, count(*) AS apps, "
            "count(*) FILTER (WHERE a.outcome = 'rejected') AS rejected, "
            "(SELECT count(*) FROM ONLY %1$I.feedback f WHERE f.received_on IS NOT NULL "
            "AND NOT f.declined) AS received FROM ONLY %1$I.applications a",
            "SELECT count(*) FILTER (WHERE apps > 0), sum(apps)::bigint, sum(rejected)::bigint, "
            f"sum(received)::bigint FROM (%s) x HAVING count(*) FILTER (WHERE apps > 0) >= {k}"),
        _aggregate(
            "feedback_themes", "theme text, polarity text, seekers bigint, mentions bigint",
            "SELECT %2$L::text AS who, t.theme::text AS theme, t.polarity::text AS polarity "
            "FROM ONLY %1$I.feedback_tags t",
            f"SELECT theme, polarity, count(DISTINCT who), count(*) FROM (%s) x "
            f"WHERE theme = ANY ({themes}) GROUP BY 1, 2 HAVING count(DISTINCT who) >= {k} "
            "ORDER BY 4 DESC, 1, 2"),
        _aggregate(
            "missing_must_haves", "must_have text, shown text, seekers bigint, jobs bigint",
            "SELECT %2$L::text AS who, lower(btrim(m.name)) AS must_have, "
            "btrim(m.name) AS shown "
            "FROM ONLY %1$I.must_have_checks c "
            "JOIN ONLY %1$I.must_haves m ON m.id = c.must_have_id "
            "WHERE c.status = 'missing'",
            # the same must-have, however each person capitalised it; shown the commonest way
            "SELECT must_have, mode() WITHIN GROUP (ORDER BY shown), count(DISTINCT who), "
            f"count(*) FROM (%s) x GROUP BY 1 HAVING count(DISTINCT who) >= {k} "
            "ORDER BY 4 DESC, 1"),
        _aggregate(
            "process_stops", "stage text, seekers bigint, rejections bigint",
            "SELECT %2$L::text AS who, a.stage::text AS stage FROM ONLY %1$I.applications a "
            "WHERE a.outcome = 'rejected'",
            f"SELECT stage, count(DISTINCT who), count(*) FROM (%s) x "
            f"GROUP BY 1 HAVING count(DISTINCT who) >= {k} ORDER BY 1"),
    ]


COACH_FUNCTIONS = ("summary", "feedback_themes", "missing_must_haves", "process_stops")


def _require_init(conn: Connection) -> None:
    if conn.execute(sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :s"),
                    {"s": FUNCTIONS_SCHEMA}).first() is None:
        raise CohortError("This database has no cohort yet: run `tappedin cohort init` first.")


def init(admin_url: str) -> None:
    """Set up (or bring up to date) the cohort: group roles and the coach's functions."""
    def work(conn: Connection) -> None:
        if not conn.execute(sa.text("SELECT rolsuper FROM pg_roles "
                                    "WHERE rolname = current_user")).scalar():
            raise CohortError("Run the cohort commands as a PostgreSQL superuser: the coach's "
                              "counts are computed with the rights of whoever set them up, "
                              "and they need to read every job seeker's tables.")
        _ensure_group(conn, SEEKERS)
        _ensure_group(conn, COACHES)
        # so the database can be closed to everyone else (REVOKE CONNECT ... FROM PUBLIC)
        database = _q(conn, conn.execute(sa.text("SELECT current_database()")).scalar_one())
        for group in (SEEKERS, COACHES):
            conn.execute(sa.text(f"GRANT CONNECT ON DATABASE {database} TO {_q(conn, group)}"))
        schema = _q(conn, FUNCTIONS_SCHEMA)
        conn.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        conn.execute(sa.text(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC"))
        with conn.connection.driver_connection.cursor() as cur:
            for name in COACH_FUNCTIONS:  # an upgrade may change what they return
                cur.execute(f"DROP FUNCTION IF EXISTS {schema}.{name}()")
            for statement in _function_sql():  # no parameters: psycopg sends them as they are
                cur.execute(statement)
        conn.execute(sa.text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM PUBLIC"))
        conn.execute(sa.text(f"GRANT USAGE ON SCHEMA {schema} TO {_q(conn, COACHES)}"))
        for name in COACH_FUNCTIONS:
            conn.execute(sa.text(f"GRANT EXECUTE ON FUNCTION {schema}.{name}() "
                                 f"TO {_q(conn, COACHES)}"))

    _run(admin_url, work)


# --------------------------------------------------------------------------
# The coach's side


class CohortStats:
    """Cohort-level figures for a coach, read through the aggregate-only functions.

    Each method returns a small DataFrame; a figure that fewer than
    :data:`MIN_GROUP` job seekers contribute to never leaves the database.
    """

    def __init__(self, url: str):
        self.url = url
        self.engine = _engine(url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> CohortStats:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, name: str) -> pd.DataFrame:
        try:
            with self.engine.connect() as conn:
                result = conn.execute(sa.text(f"SELECT * FROM {FUNCTIONS_SCHEMA}.{name}()"))
                return pd.DataFrame(result.all(), columns=list(result.keys()))
        except sa.exc.OperationalError as e:
            reason = driver_reason(e)
            raise CohortError(f"Can't reach the database: {reason}") from None
        except sa.exc.ProgrammingError as e:
            if "permission denied" in str(e.orig) or "does not exist" in str(e.orig):
                raise CohortError("This account can't see cohort figures: ask the "
                                  "administrator to run `tappedin cohort add-coach` for "
                                  "you (and `tappedin cohort init` once).") from None
            raise

    def summary(self) -> dict[str, int] | None:
        """Seekers, applications, rejections and feedback received; None under the minimum."""
        frame = self._call("summary")
        if frame.empty:
            return None
        return {k: int(v) for k, v in frame.iloc[0].items()}

    def feedback_themes(self) -> pd.DataFrame:
        frame = self._call("feedback_themes")
        frame["label"] = [models.THEMES[t].label for t in frame["theme"]]
        return frame.astype({"seekers": int, "mentions": int})

    def missing_must_haves(self) -> pd.DataFrame:
        return self._call("missing_must_haves").astype({"seekers": int, "jobs": int})

    def process_stops(self) -> pd.DataFrame:
        frame = self._call("process_stops")
        frame["stage"] = pd.Categorical(frame["stage"], categories=models.STAGES, ordered=True)
        return frame.sort_values("stage").reset_index(drop=True).astype(
            {"seekers": int, "rejections": int})


def user_url(admin_url: str, name: str, password: str | None = None) -> str:
    """The address a user connects with: the admin's server and database, their role."""
    u = make_url(admin_url)
    # not URL.set(): it leaves the administrator's password in place when given None
    mine = URL.create(u.drivername, username=name, password=password, host=u.host,
                      port=u.port, database=u.database, query=u.query)
    return mine.render_as_string(hide_password=False)


def new_password() -> str:
    return secrets.token_urlsafe(18)


__all__: Iterable[str] = ["CohortError", "CohortStats", "MIN_GROUP", "init", "add_user",
                          "add_coach", "remove_user", "members", "user_url", "check_name",
                          "new_password"]
