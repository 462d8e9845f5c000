"""Backups and restore of a SQLite store: a copy made safely while the app runs, a
backup checked before it is restored, the data before a restore kept. The SQLite
file work itself (copies, checks) is the store layer's, in :mod:`sqlite_file`."""

from __future__ import annotations

import logging
import os
import sqlite3  # for its error type only: the file work is sqlite_file's
from pathlib import Path

from sqlalchemy.engine import make_url

from . import locations
from .locations import resolve_url
from .models import ExchangeError, StoreError
from .sqlite_file import check_folder, copy_database_over, keep_copy, quick_check
from .store import Store
from .store_files import STAMP_RE, backup_stamp, inspect_sqlite_file, prune_backups

log = logging.getLogger(__name__)


def backup(store: Store, dest: str | os.PathLike[str] | None = None) -> Path:
    """Copy the store's database file (safe while the app runs); return the copy's path.

    Without ``dest`` the copy goes to the ``backups`` folder beside the database;
    a folder as ``dest`` gets a dated file name inside it.
    """
    if store.path is None:
        raise ExchangeError(f"Only a SQLite file can be backed up this way; {store.location} "
                            "is not one. Use Export instead.")
    if not store.path.exists():
        raise ExchangeError(f"There is no database at {store.path} yet; nothing to back up.")
    name = f"{store.path.stem}-manual-{backup_stamp()}{store.path.suffix or '.db'}"
    if dest is None and store.read_only:
        raise ExchangeError(f"{store.location} is read-only ({store.read_only}), so no backups "
                            "folder can be made beside it: name a folder or file to back up "
                            "into (tappedin backup DEST).")
    if dest is None:
        folder = store.path.parent / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
    else:
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / name
    if not target.parent.is_dir():
        raise ExchangeError(f"The folder {target.parent} does not exist.")
    if target.exists() and target.resolve() == store.path.resolve():
        raise ExchangeError("A backup can't overwrite the database it copies.")
    try:
        store.backup_file(target)  # written aside and renamed when complete
    except sqlite3.Error as e:
        raise ExchangeError(f"The backup failed ({e}); nothing was written.") from None
    return target


def check_backup(backup_path: str | os.PathLike[str]) -> int:
    """The schema version of a TAPPED IN backup; ExchangeError if it can't be restored."""
    path = Path(backup_path).expanduser()
    if not path.is_file():
        raise ExchangeError(f"There is no backup file at {path}.")
    try:
        version = inspect_sqlite_file(path)
    except StoreError as e:
        raise ExchangeError(f"{path.name} can't be restored: {e}") from None
    if version == 0:
        raise ExchangeError(f"{path.name} can't be restored: it is not a TAPPED IN database "
                            "(it is empty).")
    try:
        result = quick_check(path)
    except sqlite3.Error as e:
        raise ExchangeError(f"{path.name} can't be restored: it can't be read ({e}).") from None
    if result != "ok":
        raise ExchangeError(f"{path.name} can't be restored: it is damaged ({result}).")
    return version


def restore(store_path_or_url: str | os.PathLike[str], backup_path: str | os.PathLike[str]
            ) -> Path | None:
    """Replace a store's data with a backup's, safely while the app runs.

    The backup is checked first (a TAPPED IN database of a schema this
    version can open); the current data is backed up (``*-before-restore-*``
    in the backups folder, whose path is returned, None if there was no data);
    then the backup is copied in with SQLite's backup API and brought up to
    the current schema. A refused backup leaves the store untouched.
    """
    url = resolve_url(store_path_or_url)
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        raise ExchangeError("Restoring a backup works for a SQLite database file only.")
    current = Path(u.database)
    source = Path(backup_path).expanduser()
    check_backup(source)
    if current.exists() and current.resolve() == source.resolve():
        raise ExchangeError("That backup is the database itself; pick a backup file.")
    check_folder(current, Path(locations.default_location()))  # never a made-up (mistyped) folder
    safety: Path | None = None
    current_ok = True
    if current.exists() and current.stat().st_size > 0:
        folder = current.parent / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        safety = folder / f"{current.stem}-before-restore-{backup_stamp()}{current.suffix or '.db'}"
        current_ok = keep_copy(current, safety)
        prune_backups(folder, database=current)
    try:
        copy_database_over(source, current, in_place=current_ok)
    except sqlite3.Error as e:
        raise ExchangeError(f"The restore failed ({e}); your data before it is kept at "
                            f"{safety}.") from None
    Store(current).close()  # an older backup is migrated now, not on the next open
    log.info("restored %s from %s (previous data at %s)", current, source, safety)
    return safety


def backups(store_or_folder: Store | str | os.PathLike[str]) -> list[Path]:
    """The backups in a store's backups folder (or a folder), newest first."""
    if isinstance(store_or_folder, Store):
        if store_or_folder.path is None:
            return []
        folder = store_or_folder.path.parent / "backups"
    else:
        folder = Path(store_or_folder)
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (STAMP_RE.search(p.name).group(1)
                                        if STAMP_RE.search(p.name) else "", p.name),
                  reverse=True)
