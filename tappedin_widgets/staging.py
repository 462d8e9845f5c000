"""An import's rows on their way into a SQLite store: staged, then published in one step.

:meth:`Store.import_rows` writes an import's rows first into temporary tables
of its own connection (``temp.tappedin_stage_<table>``). Writing there takes
no lock on the store, so other windows keep saving meanwhile; it is done in
chunks. One short write transaction then copies each table's rows in with a
single ``INSERT ... SELECT``, ids after the largest the table has used.

A reference to a row of the same import (a :class:`NewRow`) is staged as the
parent's position in a column of its own, and becomes the parent's id when
published: the parent's table is published first, so its first id is known.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .batching import chunks
from .models import RECORDS
from .sqlite_file import next_id

CHUNK = 20_000
_PREFIX = "tappedin_stage_"
#: The column holding a :class:`NewRow`'s position, beside the reference column.
_NEW_SUFFIX = "__new"
_STAMPS = ("created_at", "updated_at")


class NewRow:
    """A reference to the parent at position ``pos`` (from 0) among the same import's rows
    of the parent's kind."""

    __slots__ = ("pos",)

    def __init__(self, pos: int):
        self.pos = pos


def _own_ids(table: sa.Table) -> bool:
    """Whether rows bring their own ids (custom themes: a text id)."""
    return table.name == "custom_themes"


def _columns(table: sa.Table) -> list[str]:
    return [c for c in table.c.keys() if c != "id" or _own_ids(table)]


def _name(table: sa.Table) -> str:
    return f'temp."{_PREFIX}{table.name}"'


def create(conn: Connection, table: sa.Table) -> str:
    """Create an empty temporary table for ``table``'s rows; return the INSERT for it."""
    names = _columns(table) + [c + _NEW_SUFFIX for c in RECORDS[table.name].parents]
    quoted = ", ".join(f'"{c}"' for c in names)
    with conn.begin():
        drop(conn, table)
        conn.exec_driver_sql(f'CREATE TEMP TABLE "{_PREFIX}{table.name}" '
                             f"(seq INTEGER PRIMARY KEY, {quoted})")
    marks = ", ".join("?" * (len(names) + 1))
    return f"INSERT INTO {_name(table)} (seq, {quoted}) VALUES ({marks})"


def drop(conn: Connection, table: sa.Table) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_name(table)}")


def params(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]], start: int,
           now: dt.datetime) -> list[tuple[Any, ...]]:
    """Rows numbered from ``start``, as the driver takes them, converted as SQLAlchemy
    converts them; stamped ``now``."""
    parents = RECORDS[table.name].parents
    columns = []
    for name in _columns(table):
        values = [now] * len(rows) if name in _STAMPS else [r.get(name) for r in rows]
        if name in parents:
            values = [None if isinstance(v, NewRow) else v for v in values]
        process = table.c[name].type._cached_bind_processor(conn.dialect)
        if process is not None:  # dates, stamps, booleans: few distinct values
            converted = {v: None if v is None else process(v) for v in set(values)}
            values = list(map(converted.__getitem__, values))
        columns.append(values)
    for name in parents:
        columns.append([v.pos if isinstance(v, NewRow) else None
                        for v in (r.get(name) for r in rows)])
    return list(zip(range(start, start + len(rows)), *columns, strict=False))


def publish(conn: Connection, table: sa.Table, tops: Mapping[str, int]) -> int:
    """Copy ``table``'s staged rows in (in a write transaction); return the largest id
    before them. ``tops`` has that figure for the parent tables published before."""
    parents = RECORDS[table.name].parents
    top = 0 if _own_ids(table) else next_id(conn, table) - 1
    picked = []
    for c in _columns(table):
        if c in parents:  # a stored parent, or a new one: its position after its kind's top
            picked.append(f'COALESCE("{c}", "{c}{_NEW_SUFFIX}" + {tops.get(parents[c], 0) + 1})')
        else:
            picked.append(f'"{c}"')
    names = _columns(table)
    if not _own_ids(table):
        names = ["id", *names]
        picked.insert(0, f"seq + {top + 1}")
    quoted = ", ".join(f'"{n}"' for n in names)
    conn.exec_driver_sql(f'INSERT INTO main."{table.name}" ({quoted}) '
                         f'SELECT {", ".join(picked)} FROM {_name(table)} ORDER BY seq')
    return top


# --------------------------------------------------------------------------
# Reading and comparing many rows at once


def read_in(conn: Connection, query: sa.Select, column: sa.Column,
             ids: set[int]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` whose integer ``column`` is one of ``ids``, as tuples.

    Many ids close together (a bulk import) are read as one range on the
    column's index (a few extra rows may come back); otherwise in batches of
    ``IN (...)``.
    """
    if not ids:
        return []
    low, high = min(ids), max(ids)
    if len(ids) > 500 and high - low < 4 * len(ids):
        return list(map(tuple, conn.execute(query.where(column.between(low, high))).all()))
    rows: list[tuple[Any, ...]] = []
    for batch in chunks(sorted(ids), 500):
        rows.extend(map(tuple, conn.execute(query.where(column.in_(batch))).all()))
    return rows


def values_by_column(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> list[list[Any]]:
    """The values of ``names`` in every row, column by column."""
    return [list(map(operator.itemgetter(name), rows)) for name in names]


def first_repeat(rows: Sequence[Mapping[str, Any]],
                  probe: Sequence[str] = ()) -> int | None:
    """The first row equal to an earlier one (text compared ignoring case), if any.

    Stamps aside, every value is compared as ``str(v).lower()``, like the
    one-by-one check in :meth:`Store.add_many`. Validated text holds no
    control characters, so joining with \x1f can't make two rows look alike.

    Rows equal in full are equal in any few columns, so the ``probe`` columns
    (short ones, e.g. the record's unique key) are compared first, and whole
    rows only where those repeat: long free text is joined for a handful of
    rows instead of all of them.
    """
    names = [k for k in rows[0] if k not in ("created_at", "updated_at")]
    probe = [k for k in probe if k in names]
    candidates: Sequence[int] = range(len(rows))
    if probe and len(probe) < len(names):
        short = row_keys(rows, probe)
        if len(set(short)) == len(short):
            return None
        counts: dict[str, int] = {}
        for key in short:
            counts[key] = counts.get(key, 0) + 1
        candidates = [i for i, key in enumerate(short) if counts[key] > 1]
        rows = [rows[i] for i in candidates]
    keys = row_keys(rows, names)
    if len(set(keys)) == len(keys):
        return None
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            return candidates[i]
        seen.add(key)
    return None  # pragma: no cover - the sizes above differ only with a repeat


def row_keys(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> list[str]:
    """Each row's ``names`` values as one lower-cased string, for finding repeats."""
    as_text = [map(str, column) for column in values_by_column(rows, names)]
    return list(map(str.lower, map("\x1f".join, zip(*as_text, strict=False))))
