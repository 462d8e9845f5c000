"""What a store kept in one SQLite file needs beyond SQL: where its folder may be
created, whether it can be written, its write-ahead log folded back into the
file, and ids that are never handed out twice.

Used by :mod:`tappedin_widgets.store`; nothing here knows about job searches.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from .models import StoreError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30


class ReadOnlyStore(StoreError):
    """The store can be read but not written: its file or its folder is read-only."""


def read_only_reason(path: Path) -> str | None:
    """Why a SQLite store at ``path`` can't be written (None when it can).

    SQLite writes the file itself and, beside it, its write-ahead log
    (``-wal``/``-shm``) and journals: the folder must be writable too.
    """
    if not path.exists():
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


def read_only_message(location: str, reason: str) -> str:
    """The one sentence every attempt to save into a read-only store gets."""
    return (f"Your workbook at {location} is read-only ({reason}), so this can't be saved. "
            "You can still look at your trends and export your data; make the file and its "
            "folder writable (or point TAPPEDIN_DB at a writable copy) to save again.")


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` without ever writing to it or beside it.

    A write-ahead-logged file needs its ``-shm`` file to be read; when that
    can't be created (a read-only folder) and no other program holds the
    file open (there is no ``-wal``), the file is opened as immutable.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK | os.X_OK) and not wal.exists():
        uri += "&immutable=1"
    return uri


def check_folder(path: Path, default: Path, *, make: bool = True) -> None:
    """Create the folder of the store at ``path`` only if it is the default data folder.

    Any other missing folder is most likely a typing mistake in TAPPEDIN_DB
    or --db: say so instead of quietly making folders and an empty store.
    With ``make=False`` no folder is made at all.
    """
    folder = path.parent
    if folder.is_dir():
        return
    if make and folder.resolve() == default.parent.resolve():
        folder.mkdir(parents=True, exist_ok=True)
        return
    if folder.exists():
        raise StoreError(f"{folder} is not a folder, so the store {path} can't be kept there.")
    raise StoreError(f"The folder {folder} does not exist, so there is no store at {path}. "
                     "Check the path in TAPPEDIN_DB (or --db) for a typing mistake, or create "
                     "the folder first if you meant a new place.")


def checkpoint(dbapi_conn: sqlite3.Connection, wait_ms: int = 2000) -> bool:
    """Fold the write-ahead log back into the database file; True if all of it went.

    Afterwards the ``.db`` file alone holds every committed change, so copying
    just that file (as people back up files) loses nothing. Waits at most
    ``wait_ms`` for readers in other processes; whatever is left is folded in
    by the next checkpoint.
    """
    try:
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        busy, _log, _done = dbapi_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
    except sqlite3.Error as e:  # e.g. a read-only file: nothing of ours to fold in
        log.debug("checkpoint skipped: %s", e)
        return False


# --------------------------------------------------------------------------
# Ids never reused: INTEGER PRIMARY KEY AUTOINCREMENT

_ID_COLUMN = re.compile(r"^(\s*)id INTEGER NOT NULL,", re.MULTILINE)
_ID_KEY = re.compile(r",\s*PRIMARY KEY \(id\)")  # with the comma before it: it may be last


def _autoincrement_sql(sql: str, name: str, new_name: str) -> str:
    """The CREATE TABLE of ``name`` with its id made AUTOINCREMENT, named ``new_name``."""
    head = f"CREATE TABLE {name} ("
    if not sql.startswith(head) or not _ID_COLUMN.search(sql) or not _ID_KEY.search(sql):
        raise StoreError(f"The table {name} is not laid out as TAPPED IN made it; the store "
                         "was left as it was.")
    sql = f'CREATE TABLE "{new_name}" (' + sql[len(head):]
    sql = _ID_COLUMN.sub(r"\1id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,", sql, count=1)
    return _ID_KEY.sub("", sql, count=1)


def rebuild_with_autoincrement(conn: Connection, tables: Sequence[str]) -> None:
    """Give ``tables`` ids that are never reused (SQLite's AUTOINCREMENT), keeping every row.

    Without it SQLite hands the largest id out again once that row is deleted,
    and a window still showing the deleted record would write into the new
    one. A table can't gain AUTOINCREMENT in place, so each is copied into a
    new one and swapped in (SQLite's documented way to change a table). Runs
    inside the caller's transaction with foreign keys off (nothing cascades
    while a parent is swapped); the links are checked before it commits. The
    sequence starts at the largest id ever used that is still known.
    """
    for name in tables:
        sql = _create_sql(conn, name)
        if sql is None or "AUTOINCREMENT" in sql.upper():
            continue
        new = f"{name}__autoincrement"
        _swap_in(conn, name, new, _autoincrement_sql(sql, name, new))
    _check_links(conn)


def _create_sql(conn: Connection, name: str) -> str | None:
    return conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type='table' AND name=?",
                                (name,)).scalar()


def _swap_in(conn: Connection, name: str, new: str, create_new: str) -> None:
    """Copy table ``name`` into ``new`` (made by ``create_new``), then put it in its place,
    with the old table's indexes: SQLite's documented way to change a table."""
    indexes = [r[0] for r in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
        (name,))]
    columns = ", ".join(f'"{r[1]}"' for r in conn.exec_driver_sql(
        f'PRAGMA table_info("{name}")'))
    conn.exec_driver_sql(create_new)
    conn.exec_driver_sql(f'INSERT INTO "{new}" ({columns}) SELECT {columns} FROM "{name}"')
    conn.exec_driver_sql(f'DROP TABLE "{name}"')
    conn.exec_driver_sql(f'ALTER TABLE "{new}" RENAME TO "{name}"')
    for index in indexes:
        conn.exec_driver_sql(index)


def _check_links(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise StoreError(f"A link in the table {broken[0]} points at a missing record; the "
                         "store was left as it was.")


def allow_null(conn: Connection, name: str, column: str) -> None:
    """Let ``column`` of table ``name`` hold NULL (SQLite can't drop a NOT NULL in place),
    keeping every row and id; nothing happens if it already can. Same conditions as
    :func:`rebuild_with_autoincrement`."""
    sql = _create_sql(conn, name)
    head = re.match(rf'CREATE TABLE\s+"?{re.escape(name)}"?\s*\(', sql or "")
    line = re.compile(rf'^(\s*"?{re.escape(column)}"?\s[^\n]*?) NOT NULL', re.MULTILINE)
    if sql is None or head is None or not line.search(sql):
        return
    new = f"{name}__nullable"
    create = f'CREATE TABLE "{new}" (' + line.sub(r"\1", sql[head.end():], count=1)
    _swap_in(conn, name, new, create)
    _check_links(conn)


def next_id(conn: Connection, table: sa.Table) -> int:
    """The id SQLite's AUTOINCREMENT would give the next row of ``table``.

    One more than the largest id ever used: the table's largest, or the
    sequence's, which remembers rows since deleted.
    """
    top = conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    has_sequence = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='sqlite_sequence'").first()
    if has_sequence:
        seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name=?",
                                   (table.name,)).scalar()
        top = max(top, seq or 0)
    return int(top) + 1


def sqlite_engine(url: str, read_only: Path | None = None) -> Engine:
    """An engine on a SQLite file; with ``read_only`` (the file), one that never writes."""
    if read_only is not None:
        uri = read_only_uri(read_only)
        engine = sa.create_engine(url, creator=lambda: sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False))
    else:
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        if read_only is None:  # setting the journal mode writes to the file
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        # Writers take the write lock up front, so two writers never deadlock
        # upgrading a read lock; a lock that is still busy after the timeout
        # is retried with backoff before anyone sees "database is locked".
        mode = "IMMEDIATE" if conn.get_execution_options().get("tappedin_write") else "DEFERRED"
        delay = 0.05
        for attempt in range(8):
            try:
                conn.exec_driver_sql(f"BEGIN {mode}")
                return
            except sa.exc.OperationalError as e:
                if "locked" not in str(e) or attempt == 7:
                    raise
                time.sleep(delay + random.random() * delay)
                delay = min(delay * 2, 2.0)

    return engine


def sqlite_copy(source: Path, dest: Path) -> None:
    """Copy one SQLite database over another with the online backup API (safe while in use).

    The copy is written under a hidden name beside ``dest`` and renamed when
    complete, so no other process sees (or prunes) a half-written copy.
    """
    # read-only: a store that can't be written (see Store.read_only) can still be copied
    src = sqlite3.connect(read_only_uri(source), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails fast on junk
        with renamed_when_done(dest) as tmp:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
            finally:
                out.close()
    finally:
        src.close()


@contextmanager
def renamed_when_done(dest: Path) -> Iterator[Path]:
    """A hidden temporary path beside ``dest``, renamed to ``dest`` if the block succeeds.

    The name carries the process id, so two processes never share one; what is
    left of a failed write (and its journal) is removed.
    """
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        for p in (tmp, tmp.with_name(tmp.name + "-journal")):
            p.unlink(missing_ok=True)


def quick_check(path: Path) -> str:
    """SQLite's ``PRAGMA quick_check`` of a database file, opened read-only: "ok" or
    what is damaged. Raises ``sqlite3.Error`` if the file can't be read at all."""
    con = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        return str(con.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        con.close()


def keep_copy(current: Path, dest: Path) -> bool:
    """Copy the database ``current`` to ``dest`` before it is replaced; whether it was a
    readable database. A damaged one is kept byte for byte instead."""
    try:
        sqlite_copy(current, dest)
    except sqlite3.DatabaseError:
        with renamed_when_done(dest) as tmp:
            shutil.copy2(current, tmp)
        return False
    return True


def copy_database_over(source: Path, current: Path, *, in_place: bool) -> None:
    """Copy the database ``source`` over ``current`` with SQLite's backup API.

    ``in_place``: through SQLite, safe while other connections use ``current``;
    otherwise (``current`` is damaged) written beside it and renamed over it.
    """
    src = sqlite3.connect(read_only_uri(source), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        if in_place:
            dst = sqlite3.connect(current, timeout=BUSY_TIMEOUT_S)
            try:
                src.backup(dst)
            finally:
                dst.close()
        else:
            tmp = current.with_name(f".{current.name}.restore")
            tmp.unlink(missing_ok=True)
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
            os.replace(tmp, current)
    finally:
        src.close()
