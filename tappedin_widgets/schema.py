"""The store's tables (the latest schema) and the migrations that build it step by
step. Only :mod:`store` (and the store layer beside it) use these tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import models
from .sqlite_file import allow_null, rebuild_with_autoincrement

SCHEMA_VERSION = 4

# --------------------------------------------------------------------------
# Schema (latest version; migrations below create it step by step)

metadata = sa.MetaData()


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime, nullable=False, default=dt.datetime.now),
        sa.Column("updated_at", sa.DateTime, nullable=False, default=dt.datetime.now,
                  onupdate=dt.datetime.now),
    ]


def _fk(table: str, ondelete: str, nullable: bool = True) -> sa.Column:
    name = {"applications": "application_id", "contacts": "contact_id",
            "feedback": "feedback_id", "must_haves": "must_have_id"}[table]
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{table}.id", ondelete=ondelete),
                     nullable=nullable, index=True)


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Text, nullable=nullable)


def _choice(name: str, choices: Sequence[str], nullable: bool = True) -> sa.Column:
    quoted = ", ".join("'" + c + "'" for c in choices)
    return sa.Column(name, sa.String(20), sa.CheckConstraint(f"{name} IN ({quoted})"),
                     nullable=nullable)


applications = sa.Table(
    "applications", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _text("company", False), _text("role", False), _text("location"),
    _choice("source", models.SOURCES),  # NULL: the user didn't say how they found it
    sa.Column("applied_on", sa.Date, index=True),
    _choice("stage", models.STAGES, False),
    _choice("outcome", models.OUTCOMES, False),
    sa.Column("outcome_on", sa.Date),
    _text("job_link"), _text("notes"),
    *_stamps(),
)

contacts = sa.Table(
    "contacts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("applications", "CASCADE", False),
    _text("name", False), _text("title"), _text("email"), _text("part"),
    *_stamps(),
)

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("applications", "CASCADE", False),
    sa.Column("requested_on", sa.Date), sa.Column("received_on", sa.Date),
    _fk("contacts", "SET NULL"),
    _choice("channel", models.CHANNELS),
    sa.Column("declined", sa.Boolean, nullable=False, default=False),
    _text("observations"),
    *_stamps(),
)

feedback_tags = sa.Table(
    "feedback_tags", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("feedback", "CASCADE", False),
    sa.Column("theme", sa.String(40), nullable=False),
    _choice("polarity", models.POLARITIES, False),
    _choice("source", models.TAG_SOURCES, False),
    *_stamps(),
    sa.UniqueConstraint("feedback_id", "theme", "polarity", name="uq_tag"),
)

follow_ups = sa.Table(
    "follow_ups", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("applications", "CASCADE", False),
    _fk("contacts", "SET NULL"),
    _text("recipient", False),
    _choice("tone", models.NOTE_TONES, False),
    _text("subject"), _text("body", False),
    _choice("status", models.NOTE_STATUSES, False),
    sa.Column("sent_on", sa.Date), sa.Column("reconnect_on", sa.Date, index=True),
    _choice("reconnect_status", models.RECONNECT_STATUSES, False),
    *_stamps(),
)

reflections = sa.Table(
    "reflections", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("application_id", sa.Integer,
              sa.ForeignKey("applications.id", ondelete="CASCADE"),
              nullable=False, unique=True),
    *[_text(name) for name, _ in models.REFLECTION_QUESTIONS],
    *_stamps(),
)

interview_questions = sa.Table(
    "interview_questions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("applications", "SET NULL"),
    _text("question", False),
    sa.Column("practised", sa.Boolean, nullable=False, default=False),
    sa.Column("practised_on", sa.Date),
    *_stamps(),
)

job_items = sa.Table(
    "job_items", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("applications", "CASCADE", False),
    _choice("kind", models.JOB_ITEM_KINDS, False),
    _text("text", False),
    *_stamps(),
)

must_haves = sa.Table(
    "must_haves", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _text("name", False), _text("description"),
    sa.Column("retired", sa.Boolean, nullable=False, default=False),
    *_stamps(),
)

must_have_checks = sa.Table(
    "must_have_checks", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("applications", "CASCADE", False),
    _fk("must_haves", "CASCADE", False),
    _choice("status", models.CHECK_STATUSES, False),
    *_stamps(),
    sa.UniqueConstraint("application_id", "must_have_id", name="uq_check"),
)

action_items = sa.Table(
    "action_items", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _fk("applications", "SET NULL"),
    sa.Column("theme", sa.String(40)),
    _text("lesson"), _text("action", False),
    sa.Column("due_on", sa.Date), sa.Column("done_on", sa.Date),
    *_stamps(),
)

custom_themes = sa.Table(
    "custom_themes", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    _text("label", False), _text("description"), _text("phrases"),
    sa.Column("merged_into", sa.String(40)),
    *_stamps(),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(60), primary_key=True),
    sa.Column("value", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

TABLES: dict[str, sa.Table] = {t.name: t for t in metadata.sorted_tables}

# Children listed in the order they must be deleted / after parents for inserts.
DATA_TABLES = ("applications", "contacts", "feedback", "feedback_tags", "follow_ups",
               "reflections", "interview_questions", "job_items", "must_haves",
               "must_have_checks", "action_items", "custom_themes")

#: What makes two records "the same" (compared case-insensitively for text):
#: a second one is refused with a clear message, before the database would.
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "applications": ("company", "role", "applied_on"),
    "contacts": ("application_id", "name"),
    "feedback_tags": ("feedback_id", "theme", "polarity"),
    "reflections": ("application_id",),
    "interview_questions": ("question",),
    "job_items": ("application_id", "kind", "text"),
    "must_haves": ("name",),
    "must_have_checks": ("application_id", "must_have_id"),
    "custom_themes": ("label",),
}

# --------------------------------------------------------------------------
# Migrations: small named functions, applied in order, each in a transaction.

_V1_TABLES = [t for t in DATA_TABLES if t != "custom_themes"]


def _migrate_1_initial(conn: Connection) -> None:
    schema_version.create(conn, checkfirst=True)
    for name in _V1_TABLES:
        table = TABLES[name]
        table.create(conn)


def _qualified(conn: Connection, name: str) -> str:
    """A table name for hand-written SQL, in the store's own schema (PostgreSQL)."""
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
    quote = conn.dialect.identifier_preparer.quote
    return f"{quote(schema)}.{quote(name)}" if schema else quote(name)


def _migrate_2_custom_themes(conn: Connection) -> None:
    custom_themes.create(conn)
    settings.create(conn)
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_feedback_tags_theme "
                         f"ON {_qualified(conn, 'feedback_tags')} (theme)"))


def _migrate_3_ids_never_reused(conn: Connection) -> None:
    # PostgreSQL's id sequences never go back already; SQLite needs AUTOINCREMENT.
    if conn.dialect.name == "sqlite":
        rebuild_with_autoincrement(conn, [t for t in DATA_TABLES if t != "custom_themes"])


def _migrate_4_source_may_be_unknown(conn: Connection) -> None:
    # "How you found it" left unchosen is stored as unknown (NULL), not as a guess.
    if conn.dialect.name == "sqlite":
        allow_null(conn, "applications", "source")
    else:
        conn.execute(sa.text(f"ALTER TABLE {_qualified(conn, 'applications')} "
                             "ALTER COLUMN source DROP NOT NULL"))


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial schema", _migrate_1_initial),
    (2, "custom feedback themes and settings", _migrate_2_custom_themes),
    (3, "ids are never reused", _migrate_3_ids_never_reused),
    (4, "how an application was found may be unknown", _migrate_4_source_may_be_unknown),
)
assert MIGRATIONS[-1][0] == SCHEMA_VERSION
