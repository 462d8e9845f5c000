"""The import: plan (validate every row against the file and the store), report,
then write all the rows to add or none.

An import reads the whole file, validates every row (through
:func:`models.validate`, plus references between the tables of an export and
the uniqueness rules of the store), and only then writes: all the rows it
reports as "to add", or nothing (:meth:`Store.import_rows`: other windows can
keep saving while it writes, and a record they save that clashes with the file
stops it). Rows it cannot take are listed in the report with a reason; if there
are any, nothing is written unless the caller confirms with ``skip_invalid=True``
(the app's "Import N rows" button does that after showing the preview).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import models
from ..models import RECORDS, ExchangeError, TappedInError, ValidationError, plural
from ..store import SCHEMA_VERSION, UNIQUE_KEYS, NewRow, Store, prune_backups
from ..workbooks import Uncached
from .common import IMPORT_ORDER, STAMPS, UNIQUE_MESSAGES, is_missing
from .mapping import (
    SYNONYM_FIELDS,
    ambiguous_date,
    check_mapping,
    guess_day_first,
    norm_name,
    read_date,
    read_source_value,
    read_status,
    resolve_mapping,
    short,
    shown_columns,
)
from .readers import Source, read_source

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Rejection:
    """A row that can't be imported, and why.

    ``row`` is the row as the person sees it: in a spreadsheet or CSV the
    header is row 1, so the first record is row 2; in a JSON export it is the
    record's position in its table, from 1.
    """

    table: str
    row: int
    reason: str


@dataclass
class ImportReport:
    """What an import found, and (unless a dry run) what it did."""

    source: str
    kind: str                                  # "tappedin" (an export) or "tracker"
    dry_run: bool
    rows_to_add: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)   # exact duplicates
    warnings: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)        # a tracker file's columns
    mapping: dict[str, str | None] = field(default_factory=dict)
    schema_version: int | None = None
    applied: bool = False
    added: dict[str, int] = field(default_factory=dict)
    backup: Path | None = None

    @property
    def total_to_add(self) -> int:
        return sum(self.rows_to_add.values())

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def summary(self) -> str:
        """One or two sentences for a person."""
        def counts(d: Mapping[str, int]) -> str:
            return ", ".join(f"{plural(n, RECORDS[k].label)}"
                             for k, n in d.items() if n)

        parts = []
        if self.applied:
            parts.append(f"Imported {counts(self.added)} from {self.source}.")
        elif self.total_to_add:
            verb = "Ready to import" if self.dry_run else "Nothing was imported; it would add"
            parts.append(f"{verb} {counts(self.rows_to_add)}.")
        else:
            parts.append(f"There is nothing new to import from {self.source}.")
        if self.rejected:
            n = len(self.rejected)
            parts.append(f"{plural(n, 'row')} can't be imported (see the reasons)."
                         if self.dry_run or self.applied else
                         f"{plural(n, 'row')} can't be imported: fix them, or import "
                         "the other rows only.")
        skipped = sum(self.skipped.values())
        if skipped:
            parts.append(f"{plural(skipped, 'row')} already in your workbook "
                         f"{'was' if skipped == 1 else 'were'} skipped.")
        return " ".join(parts)


Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------
# Planning: validate everything, decide what to add


@dataclass
class _Planned:
    table: str
    row: int
    old_id: Any
    values: dict[str, Any]        # cleaned; references still in the file's numbering


_NEW = "new"
_EXISTING = "existing"
_REJECTED = "rejected"


class _Planner:
    """Validates rows table by table against the file and the store."""

    def __init__(self, store: Store, report: ImportReport, progress: Progress | None,
                 total: int):
        self.store = store
        self.report = report
        self.progress = progress
        self.total = total
        self.done = 0
        self.plan: dict[str, list[_Planned]] = {}
        #: kind -> file id -> (_NEW, file id) | (_EXISTING, store id) | (_REJECTED, row)
        self.resolved: dict[str, dict[Any, tuple[str, Any]]] = {}
        self._existing: dict[str, pd.DataFrame] = {}
        self._exact: dict[str, dict[tuple, Any]] = {}
        self._unique: dict[str, dict[tuple, Any]] = {}
        self._file_exact: dict[str, dict[tuple, Any]] = {}
        self._file_unique: dict[str, dict[tuple, int]] = {}
        self._contact_app: dict[Any, Any] = {}   # file's contact id -> file's application id
        # Records changed from here on are checked again just before the import is
        # published (the margin covers clocks that tick coarsely).
        self.started = dt.datetime.now() - dt.timedelta(seconds=1)
        self._load_themes()

    # -- bookkeeping

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % 25 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def reject(self, table: str, row: int, reason: str, old_id: Any = None) -> None:
        self.report.rejected.append(Rejection(table, row, reason))
        if old_id is not None:
            self.resolved.setdefault(table, {})[old_id] = (_REJECTED, row)

    def existing(self, kind: str) -> pd.DataFrame:
        if kind not in self._existing:
            self._existing[kind] = self.store.table(kind)
            spec = RECORDS[kind]
            exact: dict[tuple, Any] = {}
            unique: dict[tuple, Any] = {}
            for rec in self._existing[kind].to_dict("records"):
                values = {f.name: _comparable(rec.get(f.name), f.kind) for f in spec.fields}
                exact.setdefault(_exact_key(spec, values), rec["id"])
                key = _unique_key(kind, values)
                if key is not None:
                    unique.setdefault(key, rec["id"])
            self._exact[kind], self._unique[kind] = exact, unique
        return self._existing[kind]

    # -- one row

    def add(self, kind: str, row: int, values: Mapping[str, Any], *, old_id: Any = None) -> None:
        """Validate one row; plan it, skip it as a duplicate, or reject it with a reason."""
        spec = RECORDS[kind]
        try:
            cleaned = models.validate(spec, values)
        except ValidationError as e:
            return self.reject(kind, row, _reason(spec, e), old_id)
        # References, in the file's numbering, to rows of the file.
        compare = dict(cleaned)
        for column, parent in spec.parents.items():
            ref = cleaned.get(column)
            if ref is None:
                continue
            state = self.resolved.get(parent, {}).get(ref)
            plabel = RECORDS[parent].label
            if state is None:
                return self.reject(kind, row, f"It refers to {_a(plabel)} {plabel} (number {ref}) "
                                              "that is not in the file.", old_id)
            if state[0] == _REJECTED:
                return self.reject(kind, row, f"Its {plabel} (row {state[1]}) can't be "
                                              "imported.", old_id)
            compare[column] = state[1] if state[0] == _EXISTING else (_NEW, parent, state[1])
        if kind == "contacts" and old_id is not None:
            self._contact_app[old_id] = cleaned["application_id"]
        if kind in ("feedback", "follow_ups") and cleaned.get("contact_id") is not None:
            owner = self._contact_app.get(cleaned["contact_id"])
            if owner is not None and owner != cleaned.get("application_id"):
                return self.reject(kind, row, "The contact it names belongs to another "
                                              "application.", old_id)
        if cleaned.get("theme") and kind != "custom_themes" and \
                cleaned["theme"] not in self.themes:
            return self.reject(kind, row, f"'{cleaned['theme']}' is not one of your feedback "
                                          "themes (nor a theme in the file).", old_id)
        self.existing(kind)
        norm = {f.name: _comparable(compare.get(f.name), f.kind) for f in spec.fields}
        exact = _exact_key(spec, norm)
        all_known = not any(isinstance(v, tuple) and v[:1] == (_NEW,) for v in norm.values())
        if all_known and exact in self._exact[kind]:
            self.skip(kind, old_id, (_EXISTING, self._exact[kind][exact]))
            return None
        first = self._file_exact.setdefault(kind, {}).get(exact)
        if first is not None:
            self.skip(kind, old_id, first)
            return None
        ukey = _unique_key(kind, norm)
        if kind == "custom_themes":
            clash = self._theme_clash(norm)
            if clash:
                return self.reject(kind, row, clash, old_id)
        if ukey is not None:
            key_known = not any(isinstance(v, tuple) for v in ukey)
            if key_known and ukey in self._unique[kind]:
                return self.reject(kind, row, f"{UNIQUE_MESSAGES[kind]} (already in your "
                                              "workbook, with other details).", old_id)
            earlier = self._file_unique.setdefault(kind, {}).get(ukey)
            if earlier is not None:
                return self.reject(kind, row, f"{UNIQUE_MESSAGES[kind]} (row {earlier} of the "
                                              "file has the same, with other details).", old_id)
            self._file_unique[kind][ukey] = row
        state = (_NEW, old_id if old_id is not None else ("row", row))
        self._file_exact[kind][exact] = state
        if old_id is not None:
            self.resolved.setdefault(kind, {})[old_id] = state
        self.plan.setdefault(kind, []).append(
            _Planned(kind, row, old_id, cleaned))
        if kind == "custom_themes":
            self._note_theme(cleaned)
        return None

    def skip(self, kind: str, old_id: Any, state: tuple[str, Any]) -> None:
        self.report.skipped[kind] = self.report.skipped.get(kind, 0) + 1
        if old_id is not None:
            self.resolved.setdefault(kind, {})[old_id] = state

    def recheck(self, changed: Mapping[str, list[dict[str, Any]]]) -> None:
        """Stop the import if a record saved meanwhile clashes with one it adds."""
        for kind, records in changed.items():
            merged = [r for r in records if kind == "custom_themes"
                      and not is_missing(r.get("merged_into"))
                      and is_missing(self._theme_rows.get(r["id"], {}).get("merged_into"))]
            if merged and (self.plan.get("custom_themes") or self.plan.get("feedback_tags")
                           or self.plan.get("action_items")):
                raise ExchangeError("Nothing was imported: your feedback themes changed in "
                                    "another window while the file was being checked. "
                                    "Import it again.")
            planned = self._file_unique.get(kind, {})
            spec = RECORDS[kind]
            for rec in records:
                key = _unique_key(kind, {f.name: _comparable(rec.get(f.name), f.kind)
                                         for f in spec.fields})
                if key is not None and key in planned:
                    raise ExchangeError(
                        f"Nothing was imported: row {planned[key]} of the file clashes with "
                        f"{_a(spec.label)} {spec.label} saved in another window while the "
                        f"file was being checked ({UNIQUE_MESSAGES[kind].lower()}). Import "
                        "it again.")

    # -- themes: built-in, the store's own, and the file's

    def _load_themes(self) -> None:
        custom = self.store.table("custom_themes")
        self._theme_rows = {r["id"]: r for r in custom.to_dict("records")}
        self.themes = set(models.THEME_IDS)
        for tid, r in self._theme_rows.items():
            if is_missing(r.get("merged_into")):
                self.themes.add(tid)
            else:
                self.themes.discard(tid)

    def _theme_clash(self, values: Mapping[str, Any]) -> str | None:
        ours = self._theme_rows.get(values["id"])
        if ours is not None:
            return (f"Theme '{values['id']}' is already in your workbook as "
                    f"'{ours['label']}', with other details.")
        return None

    def _note_theme(self, values: Mapping[str, Any]) -> None:
        if values.get("merged_into"):
            self.themes.discard(values["id"])
        else:
            self.themes.add(values["id"])


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _reason(spec: models.RecordType, e: ValidationError) -> str:
    msgs = list(e.errors.values())
    return " ".join(msgs) or f"That {spec.label} is not valid."


def _comparable(value: Any, kind: str) -> Any:
    if isinstance(value, tuple):
        return value
    if is_missing(value):
        return None
    if kind == "date":
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return value.date()
        return value
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return str(value)


def _exact_key(spec: models.RecordType, values: Mapping[str, Any]) -> tuple:
    return tuple(values.get(f.name) for f in spec.fields)


def _unique_key(kind: str, values: Mapping[str, Any]) -> tuple | None:
    keys = UNIQUE_KEYS.get(kind)
    if not keys or any(values.get(k) is None for k in keys):
        return None
    return tuple(values[k].lower() if isinstance(values[k], str) else values[k] for k in keys)


# --------------------------------------------------------------------------
# Import


def import_file(store: Store, path: str | os.PathLike[str], *,
                mapping: Mapping[str, str | None] | None = None, dry_run: bool = False,
                skip_invalid: bool = False, day_first: bool | None = None,
                progress: Progress | None = None, name: str | None = None) -> ImportReport:
    """Read a TAPPED IN export or another tracker's spreadsheet into the store.

    Everything is validated before anything is written; then the rows to add
    go in in one transaction (after an automatic backup of the store), or
    nothing does. With rejected rows nothing is written unless
    ``skip_invalid`` (the person confirmed importing the other rows).
    ``dry_run`` only reports. ``mapping`` ({column: field or None}) overrides
    :func:`guess_mapping` for a spreadsheet; ``day_first`` says how to read
    dates like 03/04/2026 when the file doesn't make it clear. ``progress``
    is called as ``progress(done, total)``; ``total`` is revised once, when
    validation ends and the number of rows to write is known. ``name`` is the
    file's original name, when ``path`` is a temporary copy.
    """
    src = read_source(path, name)
    report = ImportReport(source=src.name, kind=src.kind, dry_run=dry_run)
    if src.kind == "tappedin":
        report.schema_version = src.schema_version
        if src.schema_version is not None and src.schema_version > SCHEMA_VERSION:
            raise ExchangeError(f"{src.name} was exported by a newer TAPPED IN (schema "
                                f"{src.schema_version}; this version knows up to "
                                f"{SCHEMA_VERSION}). Upgrade TAPPED IN to import it.")
        total = sum(len(rows) for rows in src.tables.values())
        planner = _Planner(store, report, progress, total)
        _plan_export(planner, src)
    else:
        resolved = resolve_mapping(src.columns, mapping)
        report.columns, report.mapping = list(src.columns), resolved
        check_mapping(src.columns, resolved, src.name)
        planner = _Planner(store, report, progress, len(src.rows))
        _plan_tracker(planner, src, resolved, day_first)
    if progress and planner.done != planner.total:
        progress(planner.total, planner.total)
    report.rows_to_add = {k: len(v) for k, v in planner.plan.items() if v}
    for kind, n in report.skipped.items():
        report.warnings.append(f"{plural(n, RECORDS[kind].label)} already in your "
                               f"workbook (or twice in the file) will be skipped.")
    if dry_run or not report.total_to_add or (report.rejected and not skip_invalid):
        return report
    _apply(store, planner, report, progress)
    return report


def _plan_export(planner: _Planner, src: Source) -> None:
    known = set()
    for kind in IMPORT_ORDER:
        spec = RECORDS[kind]
        names = set(spec.names)
        unknown_cols: set[str] = set()
        seen_ids: set[Any] = set()
        for row, raw in src.tables.get(kind, []):
            planner.tick()
            raw = {str(k): v for k, v in raw.items()}
            unknown_cols.update(k for k in raw if k not in names and k != "id"
                                and k not in STAMPS)
            values = {k: _blank_to_none(v) for k, v in raw.items() if k in names}
            raw_id = _blank_to_none(raw.get("id"))
            if kind == "custom_themes":
                old_id = values.get("id")
            else:
                try:
                    old_id = models.clean_value(models.Field("id", "Record number", "int"), raw_id)
                except ValueError:
                    old_id = None
                if old_id is None:
                    planner.reject(kind, row, "It has no record number (id), so what belongs "
                                              "to it can't be found.")
                    continue
            if old_id is not None and old_id in seen_ids:
                planner.reject(kind, row, f"Record number {old_id} appears twice in the "
                                          "table.")
                continue
            seen_ids.add(old_id)
            planner.add(kind, row, values, old_id=old_id)
        if unknown_cols:
            planner.report.warnings.append(
                f"Columns TAPPED IN doesn't know in {kind} were ignored: "
                f"{', '.join(sorted(unknown_cols))}.")
        known.add(kind)
    extra = sorted(k for k in src.tables if k not in known)
    if extra:
        planner.report.warnings.append(f"Tables ignored: {', '.join(extra)}.")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


_JOB_LINK = models.APPLICATION.field("job_link")


def _is_link(value: Any) -> bool:
    """Whether a tracker's job link cell is a web address the store takes as one."""
    try:
        models.clean_value(_JOB_LINK, value)
    except ValueError:
        return False
    return True


def _plan_tracker(planner: _Planner, src: Source, mapping: Mapping[str, str | None],
                  day_first: bool | None) -> None:
    report = planner.report
    order = _date_orders(report, src, mapping, day_first)
    ignored = [c for c, f in mapping.items() if f is None]
    if ignored:
        report.warnings.append(f"Columns not imported: {shown_columns(ignored)}. Set one to "
                               "Notes to keep what it holds.")
    labels = {f.name: f.label for f in models.APPLICATION.fields}
    empty = 0
    for row, raw in src.rows:
        planner.tick()
        values, problems = _tracker_row(raw, mapping, labels, order)
        if not values and not problems:
            empty += 1
            continue
        if values.get("outcome") in ("offer", "accepted"):
            values["stage"] = "offer"
        if problems:
            planner.reject("applications", row, " ".join(problems))
            continue
        planner.add("applications", row, values)
    if empty:
        report.warnings.append(f"{plural(empty, 'row')} with nothing in the imported "
                               "columns were skipped.")


def _date_orders(report: ImportReport, src: Source, mapping: Mapping[str, str | None],
                 day_first: bool | None) -> dict[str, bool]:
    """Whether each date column reads day first: as asked, as its values show, or
    month first (with a warning when some dates could be read either way)."""
    date_cols = [c for c, f in mapping.items() if f in ("applied_on", "outcome_on")]
    order: dict[str, bool] = {}
    for col in date_cols:
        found = guess_day_first(r.get(col) for _, r in src.rows)
        if day_first is not None:
            order[col] = day_first
        elif found is None:
            order[col] = False
            if any(ambiguous_date(r.get(col)) for _, r in src.rows):
                report.warnings.append(f"Dates in '{col}' such as 03/04/2026 were read month "
                                       "first (4 March). If they are day first, import again "
                                       "with day-first dates.")
        else:
            order[col] = found
    return order


def _tracker_row(raw: Mapping[str, Any], mapping: Mapping[str, str | None],
                 labels: Mapping[str, str], order: Mapping[str, bool]
                 ) -> tuple[dict[str, Any], list[str]]:
    """One tracker row's application values (notes gathered), and what is wrong with it."""
    values: dict[str, Any] = {}
    notes: list[str] = []
    problems: list[str] = []
    for col, f in mapping.items():
        if f is None or f == "notes":
            continue
        value = raw.get(col)
        if is_missing(value) or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, Uncached):
            problems.append(value.reason())
            continue
        try:
            _read_cell(f, col, value, labels, order, values, notes)
        except ValueError as e:
            problems.append(str(e))
    for col, f in mapping.items():
        if f != "notes":
            continue
        value = raw.get(col)
        if is_missing(value) or not str(value).strip():
            continue
        if isinstance(value, Uncached):
            problems.append(value.reason())
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10]
        text = str(value).strip()
        notes.insert(0, text) if SYNONYM_FIELDS.get(norm_name(col)) == "notes" \
            else notes.append(f"{col}: {text}")
    if notes:
        values["notes"] = "\n".join(notes)
    return values, problems


def _read_cell(f: str, col: str, value: Any, labels: Mapping[str, str],
               order: Mapping[str, bool], values: dict[str, Any], notes: list[str]) -> None:
    """Read one cell of column ``col`` (mapped to field ``f``) into ``values`` (or
    ``notes``); ValueError says why it can't be read."""
    if f == "job_link" and not _is_link(value):
        notes.append(f"{col}: {str(value).strip()}")  # kept, as text
    elif f in ("applied_on", "outcome_on"):
        values[f] = read_date(value, labels[f], day_first=order[col])
    elif f == "outcome" and norm_name(value) in models.OUTCOMES:
        values["outcome"] = norm_name(value)  # e.g. "open", as we export it
    elif f in ("status", "stage", "outcome"):
        stage, outcome = read_status(value)
        if f in ("status", "stage") and stage:
            values["stage"] = stage
        if f in ("status", "outcome") and outcome:
            values["outcome"] = outcome
        if f == "outcome" and outcome is None:
            raise ValueError(f"Outcome '{short(value)}' is not one TAPPED IN "
                             "knows: use open, rejected, withdrawn, offer or "
                             "accepted.")
    elif f == "source":
        values["source"], keep = read_source_value(value)
        if keep:
            notes.append(f"{col}: {keep}")
    elif isinstance(value, (dt.date, dt.datetime)):
        values[f] = value.isoformat()[:10]
    elif isinstance(value, float) and value.is_integer():
        values[f] = str(int(value))
    else:
        values[f] = value


# --------------------------------------------------------------------------
# Applying: one transaction, after an automatic backup


def _apply(store: Store, planner: _Planner, report: ImportReport,
           progress: Progress | None) -> None:
    """Write the plan: all of it or nothing, holding up other windows only briefly."""
    to_write = sum(len(v) for v in planner.plan.values())
    total = planner.total + to_write
    report.backup = store.backup_file(reason="before-import")
    if report.backup is not None:
        prune_backups(report.backup.parent, database=store.path)
    else:
        report.warnings.append("No automatic backup was made (the store is not a SQLite file).")
    rows: dict[str, list[dict[str, Any]]] = {}
    position: dict[str, dict[Any, int]] = {}   # kind -> file id -> place among its rows
    for kind in IMPORT_ORDER:
        spec = RECORDS[kind]
        rows[kind] = []
        for p in planner.plan.get(kind, []):
            values = dict(p.values)
            for column, parent in spec.parents.items():
                ref = values.get(column)
                if ref is not None:
                    state = planner.resolved[parent][ref]
                    values[column] = (state[1] if state[0] == _EXISTING
                                      else NewRow(position[parent][state[1]]))
            if p.old_id is not None:
                position.setdefault(kind, {})[p.old_id] = len(rows[kind])
            rows[kind].append(values)

    def written(n: int) -> None:
        if progress:
            progress(planner.total + n, total)

    try:
        store.import_rows(rows, since=planner.started, check=planner.recheck, progress=written)
    except ExchangeError:
        raise
    except TappedInError as e:
        raise ExchangeError(f"Nothing was imported: {e}") from None
    report.added = {k: len(v) for k, v in rows.items() if v}
    report.applied = True
    log.info("imported %s into %s: %s", report.source, store.location, report.added)
