"""A store's file on disk, before it is opened: what it holds (read without changing a
byte), and the automatic backups kept beside it (pruned to the newest few)."""

from __future__ import annotations

import datetime as dt
import operator
import os
import re
import sqlite3
from pathlib import Path

from .locations import DB_FILENAME, ENV_VAR
from .models import StoreError
from .schema import SCHEMA_VERSION
from .sqlite_file import BUSY_TIMEOUT_S, read_only_uri

_SQLITE_MAGIC = b"SQLite format 3\x00"


def backup_stamp() -> str:
    """The time in a backup's name (what :data:`STAMP_RE` finds), to the microsecond."""
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def inspect_sqlite_file(path: Path) -> int:
    """The schema version of an existing SQLite file, read without changing a byte.

    0 for a missing or empty file. Raises StoreError for a file that is not a
    TAPPED IN database, is damaged, or comes from a newer version.
    """
    if not path.exists():
        return 0
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file. "
                         f"Point {ENV_VAR} at a file such as {path / DB_FILENAME}.")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as e:
        raise StoreError(f"Can't read {path}: {e.strerror}.") from None
    if not head:
        return 0
    if head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not a TAPPED IN database (it isn't a SQLite file). "
                         f"It was left untouched; point {ENV_VAR} at another file.")
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "schema_version" not in names:
                if names:
                    raise StoreError(f"{path} holds tables but is not a TAPPED IN database; "
                                     "it was left untouched.")
                return 0
            version = con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path} can't be opened as a database (it may be damaged: {e}). "
                         "It was left untouched; restore a backup or point "
                         f"{ENV_VAR} at another file.") from None
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer TAPPED IN (schema {version}, this version "
            f"knows up to {SCHEMA_VERSION}). Upgrade TAPPED IN to open it; the file was "
            "left untouched.")
    return int(version)


KEEP_BACKUPS = 5
AUTOMATIC_BACKUPS = "*-before-*"  # what backup_file(reason="before-...") names its copies
STAMP_RE = re.compile(r"(\d{8}-\d{6}(?:-\d{6})?)")
#: Files SQLite keeps beside a database: never a backup of their own.
_SIDE_FILES = ("-journal", "-wal", "-shm", ".part")


def prune_backups(folder: str | os.PathLike[str], keep: int = KEEP_BACKUPS, *,
                  database: str | os.PathLike[str] | None = None,
                  pattern: str = AUTOMATIC_BACKUPS) -> list[Path]:
    """Delete all but the newest ``keep`` finished automatic backups in a folder; return
    those deleted.

    Automatic backups are the ones TAPPED IN makes itself (``*-before-*``:
    before an import, a restore or a migration); backups you made are kept.
    With ``database``, only that database's own (``<name>-before-*<suffix>``)
    are considered: another database's backups in the same folder are kept.
    Backups still being written have hidden names and are never touched, and a
    file that vanishes meanwhile (another process pruning too) is no error.
    """
    folder = Path(folder)
    if database is not None:
        db = Path(database)
        stem = re.sub(r"([*?\[])", r"[\1]", db.stem)  # the name taken as it is
        pattern = f"{stem}-before-*{db.suffix or '.db'}"
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, float, str], Path]] = []
    for p in folder.glob(pattern):
        if p.name.startswith(".") or p.name.endswith(_SIDE_FILES) or not p.is_file():
            continue
        try:
            mtime = p.stat().st_mtime
        except FileNotFoundError:  # pruned by another process a moment ago
            continue
        m = STAMP_RE.search(p.name)
        found.append(((m.group(1) if m else "", mtime, p.name), p))
    found.sort(key=operator.itemgetter(0))
    doomed = [p for _, p in (found[:-keep] if keep > 0 else found)]
    for p in doomed:
        p.unlink(missing_ok=True)
    return doomed
