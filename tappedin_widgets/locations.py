"""Where a store lives: TAPPEDIN_DB, a checkout's data folder or the user's data
directory, as a SQLAlchemy URL; and how a location or a driver's error reads to people."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ENV_VAR = "TAPPEDIN_DB"
DB_FILENAME = "tappedin.db"


def checkout_root() -> Path | None:
    """The workbook checkout this package runs from, if any."""
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if (root / "data").is_dir() and pyproject.is_file():
        try:
            if 'name = "tappedin"' in pyproject.read_text(encoding="utf-8"):
                return root
        except OSError:
            return None
    return None


def default_location() -> str:
    """Where the store lives when TAPPEDIN_DB is not set.

    From a checkout of the workbook: ``<checkout>/data/tappedin.db`` (git-ignored).
    Installed as a package: the user data directory, e.g.
    ``~/.local/share/tappedin/tappedin.db`` on Linux.
    """
    root = checkout_root()
    if root is not None:
        return str(root / "data" / DB_FILENAME)
    import platformdirs

    return str(Path(platformdirs.user_data_dir("tappedin", appauthor=False)) / DB_FILENAME)


def resolve_url(target: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from an explicit target, TAPPEDIN_DB, or the default."""
    if target is None:
        target = os.environ.get(ENV_VAR, "").strip() or default_location()
    target = os.fspath(target)
    if "://" in target:
        return target
    path = Path(target).expanduser()
    return f"sqlite:///{path.resolve()}"


def driver_reason(e: sa.exc.DBAPIError) -> str:
    """The first line of what the database driver said, for a message to people."""
    return str(e.orig).strip().splitlines()[0] if e.orig else str(e)


def describe(url: str) -> str:
    """The location for people: a path for SQLite files, the URL without password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)
