"""The store: the only module that speaks SQL about one job seeker's data.

SQLite by default, through SQLAlchemy Core; a ``postgresql+psycopg://`` URL
serves a cohort, each job seeker in the schema named like their database role
(see :mod:`tappedin_widgets.cohort` for the administrator's side). Rows go in
as plain values (validated by :mod:`tappedin_widgets.models`), and come out
as pandas DataFrames with real dtypes.

    store = Store("sqlite:///my.db")          # or Store() for the default
    app_id = store.add("applications", company="Acme", role="Analyst")
    store.update("applications", app_id, outcome="rejected")
    store.table("applications")               # a DataFrame
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from . import locations, models, staging
from .batching import chunks, collector_paused
from .frames import TAGS_QUERY, driver_frame, typed_frame, typed_tags
from .locations import (
    DB_FILENAME,
    ENV_VAR,
    checkout_root,
    default_location,
    describe,
    driver_reason,
    resolve_url,
)
from .models import RECORDS, TAG_COLUMNS, NotFound, RecordType, StoreError, ValidationError
from .schema import (
    DATA_TABLES,
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
    UNIQUE_KEYS,
    contacts,
    custom_themes,
    schema_version,
    settings,
)
from .sqlite_file import (
    BUSY_TIMEOUT_S,
    ReadOnlyStore,
    check_folder,
    checkpoint,
    next_id,
    read_only_message,
    read_only_reason,
    read_only_uri,
    renamed_when_done,
    sqlite_copy,
    sqlite_engine,
)
from .staging import NewRow, first_repeat, read_in, values_by_column
from .store_files import (
    AUTOMATIC_BACKUPS,
    KEEP_BACKUPS,
    STAMP_RE,
    inspect_sqlite_file,
    prune_backups,
)
from .store_steps import StepOperations

log = logging.getLogger(__name__)

#: Names the store layer's modules define that callers have always imported from here.
__all__ = [
    "Store", "NewRow", "StoreError", "ReadOnlyStore", "SCHEMA_VERSION", "DATA_TABLES", "TABLES",
    "UNIQUE_KEYS", "BUSY_TIMEOUT_S", "ENV_VAR", "DB_FILENAME", "KEEP_BACKUPS",
    "AUTOMATIC_BACKUPS", "STAMP_RE", "checkout_root", "default_location", "resolve_url",
    "describe", "driver_reason", "inspect_sqlite_file", "prune_backups", "sqlite_copy",
    "renamed_when_done", "read_only_uri", "typed_frame", "typed_tags",
]

#: Up to this many new rows are checked for duplicates one query each; more at once.
_FEW_ROWS = 8


class Store(StepOperations):
    """One job seeker's data: applications and everything the five steps record."""

    def __init__(self, target: str | os.PathLike[str] | None = None, *,
                 migrate: bool = True, create: bool = True, _version: int = SCHEMA_VERSION):
        """Open (and bring up to date) the store at ``target``.

        A SQLite file that does not exist yet is created, in the default data
        folder or an existing one (never in folders made up on the way); with
        ``create=False`` it is refused instead. A file that can't be written is
        opened read-only: reads work, every write raises :class:`ReadOnlyStore`.
        """
        self.url = resolve_url(target)
        u = make_url(self.url)
        self.is_sqlite = u.get_backend_name() == "sqlite"
        self.path: Path | None = None
        #: Why the store can't be written (None: it can).
        self.read_only: str | None = None
        if self.is_sqlite and u.database not in (None, "", ":memory:"):
            self.path = Path(u.database)
            inspect_sqlite_file(self.path)
            if not self.path.exists():
                check_folder(self.path, Path(locations.default_location()), make=create)
                if not create:
                    raise StoreError(f"There is no workbook at {self.path} (check "
                                     f"{ENV_VAR} or --db); nothing was written.")
            self.read_only = read_only_reason(self.path)
        #: PostgreSQL: the schema holding this user's tables (named like their role).
        self.owner: str | None = None
        try:
            self.engine = (sqlite_engine(self.url, self.path if self.read_only else None)
                           if self.is_sqlite else sa.create_engine(self.url, pool_pre_ping=True))
        except ImportError as e:
            hint = (' Install the PostgreSQL driver: pip install "tappedin[postgres]".'
                    if u.get_backend_name() == "postgresql" else "")
            raise StoreError(f"Can't use the database address {describe(self.url)}: "
                             f"{e}.{hint}") from None
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as e:
            raise StoreError(f"Can't use the database address {describe(self.url)}: {e}") from None
        self._engine = self.engine
        if u.get_backend_name() == "postgresql":
            self.owner = self._own_schema()
            # Every statement the store sends names this schema and no other.
            self.engine = self.engine.execution_options(
                schema_translate_map={None: self.owner})
        self._local = threading.local()
        self.schema = 0
        if migrate:
            self._ensure_schema(_version)
        _OPEN_STORES.add(self)

    # -- lifecycle ---------------------------------------------------------

    @property
    def location(self) -> str:
        return describe(self.url)

    def close(self) -> None:
        """Let go of the database; a SQLite file is left holding everything on its own."""
        _OPEN_STORES.discard(self)
        self.checkpoint()  # a copy of the .db file alone is then complete
        self._engine.dispose()

    def checkpoint(self) -> bool:
        """Fold a SQLite store's write-ahead log into its file now; True if all of it went."""
        if not self.is_sqlite or self.path is None or self.read_only or not self.path.exists():
            return True
        with self._engine.connect() as conn:
            return checkpoint(conn.connection.dbapi_connection)

    def _own_schema(self) -> str:
        """The PostgreSQL schema that holds this user's data: the one named like their role.

        Each job seeker connects as their own role; what they can reach is
        decided by who they are, never by a name the caller passes in. The
        schema is created when the role may do so (a single-user server);
        in a cohort an administrator creates it with ``tappedin cohort add-user``.
        """
        try:
            with self._engine.connect() as conn:
                role = conn.execute(sa.text("SELECT current_user")).scalar_one()
                exists = conn.execute(sa.text(
                    "SELECT has_schema_privilege(:r, n.oid, 'USAGE') "
                    "AND has_schema_privilege(:r, n.oid, 'CREATE') "
                    "FROM pg_namespace n WHERE n.nspname = :r"), {"r": role}).first()
                conn.rollback()
                if exists is None:
                    try:
                        with conn.begin():
                            conn.execute(sa.text(
                                f"CREATE SCHEMA {conn.dialect.identifier_preparer.quote(role)} "
                                "AUTHORIZATION CURRENT_USER"))
                    except sa.exc.ProgrammingError:
                        raise StoreError(
                            f"The database account '{role}' has no space of its own in "
                            f"{self.location} yet. Ask whoever runs your workbook server to "
                            f"add you: tappedin cohort add-user {role}") from None
                elif not exists[0]:
                    raise StoreError(f"The schema '{role}' in {self.location} belongs to "
                                     "someone else; TAPPED IN left it alone.")
                return role
        except sa.exc.OperationalError as e:
            reason = driver_reason(e)
            if "password authentication failed" in reason:
                user = make_url(self.url).username
                raise StoreError(f"The database at {self.location} refused the login for "
                                 f"'{user}': check the password in {ENV_VAR}.") from None
            raise StoreError(f"Can't reach the database at {self.location}: {reason}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    # -- schema and migrations ----------------------------------------------

    def version(self) -> int:
        """The schema version of the database (0 for a new, empty one)."""
        try:
            with self.engine.connect() as conn:
                return self._version_in(conn)
        except sa.exc.DatabaseError as e:
            raise StoreError(f"{self.location} can't be opened as a database "
                             f"(it may be damaged): {e.orig}. It was left untouched.") from None

    def _version_in(self, conn: Connection) -> int:
        insp = sa.inspect(conn)
        if not insp.has_table("schema_version", schema=self.owner):
            if insp.get_table_names(schema=self.owner):
                raise StoreError(f"{self.location} holds tables but is not a TAPPED IN "
                                 "database; it was left untouched.")
            return 0
        return int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0)

    def _ensure_schema(self, target: int) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.location} was written by a newer TAPPED IN (schema {current}, this "
                f"version knows up to {SCHEMA_VERSION}). Upgrade TAPPED IN to open it; "
                "the file was left untouched.")
        self.schema = current
        pending = [m for m in MIGRATIONS if current < m[0] <= target]
        if not pending:
            return
        if self.read_only:
            raise ReadOnlyStore(f"{self.location} needs updating for this version of TAPPED IN, "
                                f"but it is read-only ({self.read_only}). Make the file and its "
                                "folder writable and open it again; it was left untouched.")
        with self._migration() as conn:
            # Under the write lock: another process (a second kernel, say) may have
            # migrated meanwhile; then there is nothing left to do, nor to back up.
            current = self._version_in(conn)
            pending = [m for m in MIGRATIONS if current < m[0] <= target]
            if pending and current > 0:
                copy = self.backup_file(reason=f"before-v{pending[-1][0]}")
                if copy is not None:
                    prune_backups(copy.parent, database=self.path)
            for version, name, step in pending:
                step(conn)
                conn.execute(schema_version.insert().values(
                    version=version, name=name, applied_at=dt.datetime.now()))
                log.info("migrating %s to schema %s (%s)", self.location, version, name)
        self.schema = max([current, *(m[0] for m in pending)])

    @contextmanager
    def _migration(self) -> Iterator[Connection]:
        """One write transaction for all pending migrations, all of them or none.

        On SQLite, foreign keys are off meanwhile: a migration that swaps a parent
        table for a new one must not cascade into its children (it checks the
        links itself before the end). The pragma only takes effect outside a
        transaction, so it is set on the driver's connection before the
        transaction begins, and set back after.
        """
        if not self.is_sqlite:
            with self._write() as conn:
                yield conn
            return
        with self.engine.connect().execution_options(tappedin_write=True) as conn:
            raw = conn.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    yield conn
            finally:
                raw.execute("PRAGMA foreign_keys=ON")

    def backup_file(self, dest: str | os.PathLike[str] | None = None, *,
                    reason: str = "backup") -> Path | None:
        """Copy a SQLite store aside with SQLite's online backup (safe while in use)."""
        if self.path is None or not self.path.exists():
            return None
        if dest is None and self.read_only:  # an automatic backup, before a change
            raise ReadOnlyStore(read_only_message(self.location, self.read_only))
        if dest is None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            folder = self.path.parent / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            dest = folder / f"{self.path.stem}-{reason}-{stamp}{self.path.suffix or '.db'}"
        dest = Path(dest)
        sqlite_copy(self.path, dest)
        return dest

    # -- transactions ---------------------------------------------------------

    def _check_writable(self) -> None:
        """Every save ends here (through :meth:`_write` or an import's own
        connection): one message for all of them on a read-only store."""
        if self.read_only:
            raise ReadOnlyStore(read_only_message(self.location, self.read_only))

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        self._check_writable()
        conn = getattr(self._local, "conn", None)
        if conn is not None:  # nested: a savepoint inside the outer transaction
            with conn.begin_nested():
                yield conn
            return
        with self.engine.connect().execution_options(tappedin_write=True) as conn:
            self._local.conn = conn
            try:
                with conn.begin():
                    yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        """Group several writes into one transaction: all of them or none."""
        with self._write():
            yield self

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    # -- validation helpers -----------------------------------------------

    def _spec(self, kind: str) -> RecordType:
        try:
            return RECORDS[kind]
        except KeyError:
            raise ValueError(f"unknown record type {kind!r}") from None

    def _theme_ids(self, conn: Connection) -> set[str]:
        if self.schema < 2:
            return set(models.THEME_IDS)
        rows = conn.execute(sa.select(custom_themes.c.id, custom_themes.c.merged_into)).all()
        ids = set(models.THEME_IDS)
        ids.update(r.id for r in rows if r.merged_into is None)
        ids.difference_update(r.id for r in rows if r.merged_into is not None)
        return ids

    def _check_refs(self, conn: Connection, spec: RecordType,
                    rows: Sequence[Mapping[str, Any]]) -> None:
        """Clear messages for references to records that do not exist."""
        for column, parent in spec.parents.items():
            wanted = {r[column] for r in rows if r.get(column) is not None}
            if not wanted:
                continue
            table = TABLES[parent]
            low, high = min(wanted), max(wanted)
            if len(wanted) > 500 and conn.execute(  # every id in the range is there: all found
                    sa.select(sa.func.count()).where(table.c.id.between(low, high))
            ).scalar() == high - low + 1:
                continue
            found = {r[0] for r in read_in(conn, sa.select(table.c.id), table.c.id, wanted)}
            missing = wanted - found
            if missing:
                label = RECORDS[parent].label
                raise ValidationError({column: f"That {label} no longer exists "
                                               f"(number {min(missing)})."}, spec.name)
        if "contact_id" in spec.parents:
            pairs = {(r["contact_id"], r["application_id"]) for r in rows
                     if r.get("contact_id") is not None and r.get("application_id") is not None}
            owners = dict(read_in(conn, sa.select(contacts.c.id, contacts.c.application_id),
                                   contacts.c.id, {c for c, _ in pairs}))
            if any(owners.get(contact_id) != app_id for contact_id, app_id in pairs):
                raise ValidationError({"contact_id": "That person belongs to another "
                                                     "application."}, spec.name)
        if "theme" in spec.names and spec.name != "custom_themes":
            themes = {r["theme"] for r in rows if r.get("theme")}
            if themes:
                unknown = themes - self._theme_ids(conn)
                if unknown:
                    raise ValidationError({"theme": f"'{sorted(unknown)[0]}' is not one of your "
                                                    "feedback themes."}, spec.name)

    def _check_unique(self, conn: Connection, spec: RecordType, row: Mapping[str, Any],
                      exclude_id: Any = None) -> None:
        """Turn would-be duplicates into clear messages before the database does."""
        table = TABLES[spec.name]
        keys = UNIQUE_KEYS.get(spec.name)
        if not keys or any(row.get(k) is None for k in keys):
            return
        cond = []
        for k in keys:
            col = table.c[k]
            value = row[k]
            cond.append(sa.func.lower(col) == value.lower() if isinstance(value, str)
                        else col == value)
        if exclude_id is not None:
            cond.append(table.c.id != exclude_id)
        if conn.execute(sa.select(table.c.id).where(*cond).limit(1)).first() is not None:
            self._duplicate(spec, row)

    def _first_stored_duplicate(self, conn: Connection, spec: RecordType,
                                rows: Sequence[Mapping[str, Any]]) -> int | None:
        """:meth:`_check_unique` for many new rows with a few reads: the first clashing row.

        Stored keys are read through the database's own ``lower()`` and compared
        with Python's ``str.lower()`` of the new values, as the one-row check
        compares them.
        """
        table = TABLES[spec.name]
        keys = UNIQUE_KEYS.get(spec.name)
        if not keys:
            return None
        sample = next((r for r in rows if all(r.get(k) is not None for k in keys)), None)
        if sample is None:
            return None
        texts = [isinstance(sample[k], str) for k in keys]
        query = sa.select(*[sa.func.lower(table.c[k]) if t else table.c[k]
                            for k, t in zip(keys, texts, strict=False)])
        first = keys[0]
        if not texts[0] and first.endswith("_id"):  # scoped to a parent: read only its rows
            parents = {r[first] for r in rows if r.get(first) is not None}
            stored = set(read_in(conn, query, table.c[first], parents))
        else:
            stored = set(map(tuple, conn.execute(query).all()))
        if not stored:  # e.g. a first import
            return None
        for i, row in enumerate(rows):
            key = tuple(row.get(k) for k in keys)
            if None in key:
                continue
            if tuple(v.lower() if isinstance(v, str) else v for v in key) in stored:
                return i
        return None

    def _duplicate(self, spec: RecordType, row: Mapping[str, Any]) -> None:
        """The clear message for a record that is already there."""
        keys = UNIQUE_KEYS[spec.name]
        messages = {
            "applications": "You already logged this role at this company on that date.",
            "contacts": "This person is already listed for the application.",
            "feedback_tags": "That theme is already tagged with that polarity.",
            "reflections": "This application already has a reflection.",
            "interview_questions": "That question is already on your list.",
            "job_items": "That item is already in the list.",
            "must_haves": f"You already have a must-have called '{row.get('name')}'.",
            "must_have_checks": "This must-have is already checked for the application.",
            "custom_themes": f"There is already a theme called '{row.get('label')}'.",
        }
        raise ValidationError({keys[-1]: messages[spec.name]}, spec.name)

    # -- generic create / read / update / delete ---------------------------

    def add(self, kind: str, /, **values: Any) -> Any:
        """Validate and insert one record; return its id."""
        return self.add_many(kind, [values])[0]

    def add_many(self, kind: str, rows: Iterable[Mapping[str, Any]], *,
                 check_unique: bool = True) -> list[Any]:
        """Validate every row first, then insert them all in one transaction."""
        spec = self._spec(kind)
        with collector_paused():  # a million short-lived dicts, no cycles
            return self._add_many(spec, kind, rows, check_unique)

    def _add_many(self, spec: RecordType, kind: str, rows: Iterable[Mapping[str, Any]],
                  check_unique: bool) -> list[Any]:
        cleaned = models.validate_many(spec, rows)
        if not cleaned:
            return []
        if kind == "custom_themes":
            for row in cleaned:
                row.setdefault("id", models.slugify(row["label"]))
        table = TABLES[kind]
        now = dt.datetime.now()
        for row in cleaned:
            row["created_at"] = row["updated_at"] = now
        with self._write() as conn:
            self._check_refs(conn, spec, cleaned)
            if check_unique and len(cleaned) <= _FEW_ROWS:
                seen: set[tuple[Any, ...]] = set()
                for row in cleaned:
                    self._check_unique(conn, spec, row)
                    key = tuple(str(v).lower() for k, v in row.items()
                                if k not in ("created_at", "updated_at"))
                    if len(cleaned) > 1 and key in seen:
                        raise ValidationError({"": f"The same {spec.label} appears twice."}, kind)
                    seen.add(key)
            elif check_unique:
                # the same checks, in bulk; the row the one-by-one loop would stop at decides
                stored = self._first_stored_duplicate(conn, spec, cleaned)
                twice = first_repeat(cleaned, UNIQUE_KEYS.get(kind, spec.names[:2]))
                if stored is not None and (twice is None or stored <= twice):
                    self._duplicate(spec, cleaned[stored])
                if twice is not None:
                    raise ValidationError({"": f"The same {spec.label} appears twice."}, kind)
            try:
                if kind == "custom_themes":
                    conn.execute(table.insert(), cleaned)
                    return [r["id"] for r in cleaned]
                if self.is_sqlite:
                    return self._insert_sqlite(conn, table, cleaned)
                result = conn.execute(table.insert().returning(table.c.id,
                                                               sort_by_parameter_order=True),
                                      cleaned)
                return list(result.scalars())
            except sa.exc.IntegrityError as e:
                raise self._integrity(spec, e) from None

    def _insert_sqlite(self, conn: Connection, table: sa.Table,
                       rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert validated rows with one driver-level ``executemany``; return their ids.

        Ids are given explicitly: one more than the largest ever used, in row order,
        which is what SQLite's AUTOINCREMENT would pick, and nobody else can write
        meanwhile (write transactions begin IMMEDIATE). Values are converted
        with the bind processors SQLAlchemy itself uses, so what is stored is
        identical to an ``insert()`` through SQLAlchemy.
        """
        names = list(rows[0])
        columns = values_by_column(rows, names)
        for i, name in enumerate(names):
            process = table.c[name].type._cached_bind_processor(conn.dialect)
            if process is not None:  # dates, stamps, booleans: few distinct values
                converted = {v: None if v is None else process(v) for v in set(columns[i])}
                columns[i] = list(map(converted.__getitem__, columns[i]))
        first = next_id(conn, table)
        ids = range(first, first + len(rows))
        quoted = ", ".join(f'"{c}"' for c in ["id", *names])
        marks = ", ".join("?" * (len(names) + 1))
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
        conn.exec_driver_sql(sql, list(zip(ids, *columns, strict=False)))
        return list(ids)

    def update(self, kind: str, record_id: Any, /, **values: Any) -> None:
        """Change some fields of one record; the rest stay as they are."""
        spec = self._spec(kind)
        table = TABLES[kind]
        with self._write() as conn:
            current = self._get(conn, table, spec, record_id)
            cleaned = models.validate(spec, values, partial=True, current=current)
            if not cleaned:
                return
            merged = {**current, **cleaned}
            self._check_refs(conn, spec, [merged])
            self._check_unique(conn, spec, merged, exclude_id=record_id)
            cleaned["updated_at"] = dt.datetime.now()
            try:
                conn.execute(table.update().where(table.c.id == record_id).values(**cleaned))
            except sa.exc.IntegrityError as e:
                raise self._integrity(spec, e) from None

    def delete(self, kind: str, record_id: Any) -> None:
        """Delete one record (and what hangs off it: contacts, feedback, notes...)."""
        spec = self._spec(kind)
        table = TABLES[kind]
        with self._write() as conn:
            self._get(conn, table, spec, record_id)
            conn.execute(table.delete().where(table.c.id == record_id))

    def get(self, kind: str, record_id: Any) -> dict[str, Any]:
        """One record as a dict of Python values; NotFound if it is gone."""
        spec = self._spec(kind)
        with self._read() as conn:
            return self._get(conn, TABLES[kind], spec, record_id)

    def _get(self, conn: Connection, table: sa.Table, spec: RecordType,
             record_id: Any) -> dict[str, Any]:
        row = conn.execute(sa.select(table).where(table.c.id == record_id)).mappings().first()
        if row is None:
            raise NotFound(f"That {spec.label} no longer exists (it may have been deleted "
                           "in another window).")
        return dict(row)

    def table(self, kind: str, /, **where: Any) -> pd.DataFrame:
        """All records of a kind as a DataFrame, optionally filtered by equality
        (a list value: any of its values)."""
        spec = self._spec(kind)
        table = TABLES[kind]
        query = sa.select(table).order_by(table.c.id)
        for column, value in where.items():
            query = query.where(table.c[column].is_(None) if value is None
                                else table.c[column].in_(value) if isinstance(value, list)
                                else table.c[column] == value)
        with self._read() as conn:
            result = conn.execute(query)
            frame = pd.DataFrame(list(map(tuple, result.all())), columns=list(result.keys()))
        return typed_frame(spec, frame)

    def count(self, kind: str) -> int:
        table = TABLES[self._spec(kind).name]
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar())

    def is_empty(self) -> bool:
        return all(self.count(k) == 0 for k in ("applications", "must_haves", "action_items",
                                                 "interview_questions"))

    def _integrity(self, spec: RecordType, e: sa.exc.IntegrityError) -> ValidationError:
        log.warning("integrity error on %s: %s", spec.name, e.orig)
        text = str(e.orig).lower()
        if "unique" in text:
            return ValidationError({"": f"That {spec.label} is already there."}, spec.name)
        if "foreign key" in text:
            return ValidationError({"": f"That {spec.label} refers to something that no longer "
                                        "exists."}, spec.name)
        return ValidationError({"": f"That {spec.label} could not be saved: a value is not "
                                    "allowed."}, spec.name)

    # -- bulk import: staged, then published in one short step ---------------

    def import_rows(self, rows: Mapping[str, Sequence[Mapping[str, Any]]], *,
                    since: dt.datetime,
                    check: Callable[[dict[str, list[dict[str, Any]]]], None],
                    progress: Callable[[int], None] | None = None) -> dict[str, list[Any]]:
        """Insert validated rows of several kinds, all of them or none; return their ids.

        ``rows`` maps each kind to its rows, parents before children, each one
        cleaned by :func:`models.validate` (uniqueness is the caller's to check);
        a reference to a row of the same call is a :class:`NewRow`. Before the
        rows become visible, ``check`` gets every other record changed since
        ``since`` (kind -> records typed as :meth:`table` types them) and may
        raise to stop the import. ``progress(rows_written)`` follows the writing.

        On SQLite the rows are first written to temporary tables of this
        connection, which lock nobody out, in chunks; one short write
        transaction then copies them in, with ids after the largest there.
        Other windows wait for that step only. On PostgreSQL they go in in one
        transaction, in chunks: inserts there don't block other writers.
        """
        kinds = [k for k in rows if rows[k]]
        watched = [k for k in dict.fromkeys([*kinds, "custom_themes"]) if k in UNIQUE_KEYS]
        with collector_paused():
            if self.is_sqlite:
                return self._import_sqlite(rows, kinds, watched, since, check, progress)
            ids: dict[str, list[Any]] = {}
            with self._write() as conn:
                done = 0
                for kind in kinds:
                    spec = RECORDS[kind]
                    ids[kind] = []
                    for chunk in chunks(rows[kind], staging.CHUNK):
                        values = [{c: (ids[spec.parents[c]][v.pos] if isinstance(v, NewRow)
                                       else v) for c, v in row.items()} for row in chunk]
                        ids[kind].extend(self.add_many(kind, values, check_unique=False))
                        done += len(chunk)
                        if progress:
                            progress(done)
                # Last, so that what others committed while this wrote is seen too.
                changed = self._changed_since(conn, watched, since)
                own = {k: set(v) for k, v in ids.items()}
                check({k: [r for r in recs if r["id"] not in own.get(k, ())]
                       for k, recs in changed.items()})
            return ids

    def _changed_since(self, conn: Connection, kinds: Sequence[str], since: dt.datetime
                       ) -> dict[str, list[dict[str, Any]]]:
        """The records of ``kinds`` added or changed at ``since`` or later."""
        out = {}
        for kind in kinds:
            table = TABLES[kind]
            query = sa.select(table).where(table.c.updated_at >= since).order_by(table.c.id)
            frame = typed_frame(RECORDS[kind], driver_frame(conn, query, table.c.keys()))
            out[kind] = frame.to_dict("records")
        return out

    def _import_sqlite(self, rows: Mapping[str, Sequence[Mapping[str, Any]]],
                       kinds: Sequence[str], watched: Sequence[str], since: dt.datetime,
                       check: Callable[[dict[str, list[dict[str, Any]]]], None],
                       progress: Callable[[int], None] | None) -> dict[str, list[Any]]:
        self._check_writable()
        now = dt.datetime.now()
        staged: list[sa.Table] = []
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            # Room for the whole publish step in memory: without it SQLite writes pages
            # of the unfinished transaction out to the WAL while holding the write lock.
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute("PRAGMA cache_size=-131072")  # 128 MB, only as much as is used
            try:
                done = 0
                for kind in kinds:
                    table = TABLES[kind]
                    insert = staging.create(conn, table)
                    staged.append(table)
                    for start in range(0, len(rows[kind]), staging.CHUNK):
                        chunk = rows[kind][start:start + staging.CHUNK]
                        with conn.begin():  # a temporary table: no lock on the store
                            conn.exec_driver_sql(insert, staging.params(conn, table, chunk,
                                                                        start, now))
                        done += len(chunk)
                        if progress:
                            progress(done)
                conn.execution_options(tappedin_write=True)
                tops: dict[str, int] = {}
                try:
                    with conn.begin():  # the one short step other writers wait for
                        locked = (time.perf_counter(), time.process_time())
                        check(self._changed_since(conn, watched, since))
                        for kind in kinds:
                            tops[kind] = staging.publish(conn, TABLES[kind], tops)
                    log.info("import of %d rows published; the write lock was held %.3f s "
                             "(%.3f s of CPU)", done, time.perf_counter() - locked[0],
                             time.process_time() - locked[1])
                except sa.exc.IntegrityError as e:
                    raise self._integrity(RECORDS[kind], e) from None
                except sa.exc.OperationalError as e:
                    raise StoreError(f"The rows could not be saved ({driver_reason(e)}).") from None
            finally:
                conn.execution_options(tappedin_write=False)
                with conn.begin():
                    for table in staged:
                        staging.drop(conn, table)
                raw.execute(f"PRAGMA cache_size={int(cache)}")
        return {k: (list(range(tops[k] + 1, tops[k] + 1 + len(rows[k])))
                    if k != "custom_themes" else [r["id"] for r in rows[k]]) for k in kinds}

    # -- whole-store views used by several steps ----------------------------

    def tags(self) -> pd.DataFrame:
        """Every theme tag joined with its feedback's application and dates."""
        return self.frames({}, with_tags=True)["tags"]

    def frames(self, columns: Mapping[str, Sequence[str]], *,
               with_tags: bool = False) -> dict[str, pd.DataFrame]:
        """Chosen ``columns`` of each kind, in id order with the store's dtypes, all read
        in one transaction; with ``with_tags``, :meth:`tags` too, as ``"tags"``.

        Rows are taken as the database driver returns them: SQLAlchemy's own rows
        cost more to build than the query itself (about 60 % of reading 10,000
        applications), and the frame gets its dtypes column by column anyway.
        """
        for kind, names in columns.items():
            unknown = sorted(set(names) - set(TABLES[self._spec(kind).name].c.keys()))
            if unknown:
                raise ValueError(f"{kind} has no column {', '.join(unknown)}")
        out = {}
        with self._read() as conn:
            for kind, names in columns.items():
                table = TABLES[kind]
                query = sa.select(*(table.c[c] for c in names)).order_by(table.c.id)
                out[kind] = typed_frame(RECORDS[kind], driver_frame(conn, query, names))
            if with_tags:
                out["tags"] = typed_tags(driver_frame(conn, TAGS_QUERY, TAG_COLUMNS))
        return out

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A small piece of workbook state (e.g. when the demo was loaded)."""
        with self._read() as conn:
            value = conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar()
        return default if value is None else value

    def set_setting(self, key: str, value: str | None) -> None:
        with self._write() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            if value is not None:
                conn.execute(settings.insert().values(key=key, value=value,
                                                      updated_at=dt.datetime.now()))

    def wipe(self) -> None:
        """Delete every record (the schema stays). Used by `tappedin demo --force`."""
        with self._write() as conn:
            for name in reversed(DATA_TABLES):
                conn.execute(TABLES[name].delete())
            conn.execute(settings.delete())


#: Stores not closed yet: closed at exit, so a clean stop leaves the .db file complete.
_OPEN_STORES: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def _close_open_stores() -> None:
    for store in list(_OPEN_STORES):
        try:
            store.close()
        except Exception:  # at exit: nothing left to tell
            log.debug("closing %s at exit failed", store, exc_info=True)
