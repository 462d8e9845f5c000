"""Import, export and backups: your data out of the workbook and back in.

    export_zip(store, "tappedin-export.zip")     # CSV per table + tappedin.xlsx + tappedin.json
    report = import_file(store, "huntr.csv", dry_run=True)   # what would happen
    report = import_file(store, "huntr.csv", skip_invalid=True)  # do it
    backup(store); restore("my.db", "backups/my-manual-....db")

An import reads the whole file, validates every row (through
:func:`models.validate`, plus references between the tables of an export and
the uniqueness rules of the store), and only then writes: all the rows it
reports as "to add", or nothing (:meth:`Store.import_rows`: other windows can
keep saving while it writes, and a record they save that clashes with the file
stops it). Rows it cannot take are
listed in the report with a reason; if there are any, nothing is written
unless the caller confirms with ``skip_invalid=True`` (the app's "Import N
rows" button does that after showing the preview).

No SQL here: rows go in through :meth:`Store.import_rows`, come out through
:meth:`Store.table`; backups use SQLite's online backup API. Zip members are
inflated through :mod:`unzip` (a hard cap, whatever the headers say), and
workbooks' merged cells and unsaved formulas are found by :mod:`workbooks`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas as pd
from sqlalchemy.engine import make_url

from . import models
from .models import RECORDS, StoreError, TappedInError, ValidationError
from .store import (_STAMP_RE, AUTOMATIC_BACKUPS, BUSY_TIMEOUT_S, DATA_TABLES, KEEP_BACKUPS,
                    SCHEMA_VERSION, UNIQUE_KEYS, Store, _inspect_sqlite_file, prune_backups,
                    NewRow, renamed_when_done, resolve_url, sqlite_copy)
from .unzip import CappedZip, UnzipError
from .workbooks import SheetMarks, Uncached, sheet_marks

log = logging.getLogger(__name__)

FORMAT = "tappedin-export"
FORMAT_VERSION = 1
JSON_NAME = "tappedin.json"
XLSX_NAME = "tappedin.xlsx"
ABOUT_SHEET = "about"
MAX_FILE_BYTES = 20 * 1024 * 1024        # a year of job search is well under 1 MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024   # guards against zip bombs
MAX_ROWS = 200_000
XLSX_CELL_MAX = 32_767                   # Excel refuses longer cells

STAMPS = ("created_at", "updated_at")
#: Parents before children; themes first, since tags and actions name them.
IMPORT_ORDER: tuple[str, ...] = ("custom_themes",) + tuple(
    t for t in DATA_TABLES if t != "custom_themes")

UNIQUE_MESSAGES = {
    "applications": "You already logged this role at this company on that date",
    "contacts": "This person is already listed for the application",
    "feedback_tags": "That theme is already tagged with that polarity",
    "reflections": "This application already has a reflection",
    "interview_questions": "That question is already on your list",
    "job_items": "That item is already in the list",
    "must_haves": "You already have a must-have with that name",
    "must_have_checks": "This must-have is already checked for the application",
    "custom_themes": "There is already a theme with that name",
}


class ExchangeError(TappedInError):
    """A file can't be exported, imported or restored; nothing was written."""


class MappingError(ExchangeError):
    """The columns of a spreadsheet can't be matched to an application's fields.

    ``columns`` are the file's columns and ``mapping`` the mapping tried, so a
    form can let the person pick the right ones.
    """

    def __init__(self, message: str, columns: Sequence[str], mapping: Mapping[str, str | None]):
        super().__init__(message)
        self.columns = list(columns)
        self.mapping = dict(mapping)


# --------------------------------------------------------------------------
# Small helpers


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def default_export_name(today: dt.date | None = None) -> str:
    return f"tappedin-export-{(today or dt.date.today()).isoformat()}.zip"


def _atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write next to the target and rename: a failed write leaves no half file."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExchangeError(f"{path} is a folder; give a file name to write to.")
    if not path.parent.is_dir():
        raise ExchangeError(f"The folder {path.parent} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return False


def _plain(value: Any, kind: str | None) -> Any:
    """One stored value as plain JSON-able Python: ISO text for dates and times."""
    if _is_missing(value):
        return None
    if kind == "date":
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return value.date().isoformat()
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "stamp":
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        return value.isoformat() if isinstance(value, dt.datetime) else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return str(value)


def _columns(kind: str) -> list[str]:
    spec = RECORDS[kind]
    names = [n for n in spec.names if n != "id"]
    return ["id", *names, *STAMPS]


def _kinds(kind: str) -> dict[str, str]:
    spec = RECORDS[kind]
    out = {f.name: f.kind for f in spec.fields}
    out.setdefault("id", "text" if kind == "custom_themes" else "int")
    out.update({s: "stamp" for s in STAMPS})
    return out


# --------------------------------------------------------------------------
# Export


def export_data(store: Store) -> dict[str, Any]:
    """Every table as plain records, with the schema version and the export time."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for kind in DATA_TABLES:
        frame = store.table(kind)
        kinds = _kinds(kind)
        cols = _columns(kind)
        tables[kind] = [{c: _plain(rec.get(c), kinds[c]) for c in cols}
                        for rec in frame.to_dict("records")]
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_version": store.schema or SCHEMA_VERSION,
            "exported_at": _now().isoformat(), "tables": tables}


def _json_bytes(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


#: Text a spreadsheet would run as a formula (OWASP's list for CSV injection),
#: after any quotes that :func:`_neutral` added before.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def _neutral(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: a leading ' before a formula's first sign.

    OWASP's advice for CSV injection. Text that already starts with quotes and
    then such a sign gets one more, so :func:`_unneutral` gives every text back.
    """
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def _unneutral(value: Any) -> Any:
    """The text :func:`_neutral` was given."""
    if isinstance(value, str) and value.startswith("'") and _FORMULA_START.match(value):
        return value[1:]
    return value


def _csv_text(kind: str, rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cols = _columns(kind)
    writer.writerow(cols)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else
                         ("true" if row[c] is True else "false" if row[c] is False
                          else _neutral(row[c]))
                         for c in cols])
    return out.getvalue()


def _unneutral_rows(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """The rows of one of our export's CSV files, with the text that was exported."""
    return [(number, {c: _unneutral(v) for c, v in raw.items()}) for number, raw in rows]


def _xlsx_bytes(data: Mapping[str, Any]) -> tuple[bytes, list[str]]:
    """The workbook, and warnings for cells Excel can't hold in full."""
    from openpyxl import Workbook as XlsxWorkbook
    from openpyxl.cell import WriteOnlyCell

    book = XlsxWorkbook(write_only=True)
    warnings: list[str] = []
    about = book.create_sheet(ABOUT_SHEET)
    for key in ("format", "format_version", "schema_version", "exported_at"):
        about.append([key, data[key]])
    for kind, rows in data["tables"].items():
        sheet = book.create_sheet(kind)
        kinds = _kinds(kind)
        cols = _columns(kind)
        sheet.append(cols)
        for i, row in enumerate(rows):
            cells = []
            for c in cols:
                value = row.get(c)
                if value is not None and kinds[c] == "date":
                    value = dt.date.fromisoformat(value)
                elif value is not None and kinds[c] == "stamp":
                    value = dt.datetime.fromisoformat(value)
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    if len(value) > XLSX_CELL_MAX:
                        cell.value = value[:XLSX_CELL_MAX]
                        warnings.append(f"{kind} row {i + 2}, {c}: cut to {XLSX_CELL_MAX:,} "
                                        "characters in the spreadsheet (the CSV and JSON "
                                        "files hold all of it).")
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                elif isinstance(value, dt.date):
                    cell.number_format = ("yyyy-mm-dd hh:mm:ss" if isinstance(value, dt.datetime)
                                          else "yyyy-mm-dd")
                cells.append(cell)
            sheet.append(cells)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue(), warnings


def export_bytes(store: Store) -> bytes:
    """The full export (CSV per table, tappedin.xlsx, tappedin.json) as zip bytes."""
    data = export_data(store)
    xlsx, warnings = _xlsx_bytes(data)
    for text in warnings:
        log.warning("export: %s", text)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for kind, rows in data["tables"].items():
            zf.writestr(f"{kind}.csv", _csv_text(kind, rows).encode("utf-8"))
        zf.writestr(XLSX_NAME, xlsx)
        zf.writestr(JSON_NAME, _json_bytes(data))
    return buf.getvalue()


def export_zip(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write everything to a zip: one CSV per table, tappedin.xlsx and tappedin.json."""
    return _atomic_write(path, export_bytes(store))


def export_xlsx(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write everything to an Excel workbook, one sheet per table."""
    data, warnings = _xlsx_bytes(export_data(store))
    for text in warnings:
        log.warning("export: %s", text)
    return _atomic_write(path, data)


def export_json(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write everything to one JSON file (the most faithful single-file export)."""
    return _atomic_write(path, _json_bytes(export_data(store)))


# --------------------------------------------------------------------------
# Reading files


@dataclass
class _Source:
    """What a file holds, before any validation."""

    name: str
    kind: str                                    # "tappedin" or "tracker"
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    schema_version: int | None = None
    exported_at: str | None = None


def _read_source(path: str | os.PathLike[str], name: str | None = None) -> _Source:
    p = Path(path)
    name = name or p.name
    if not p.is_file():
        raise ExchangeError(f"There is no file at {p}.")
    size = p.stat().st_size
    if size == 0:
        raise ExchangeError(f"{name} is empty: there is nothing to import.")
    if size > MAX_FILE_BYTES:
        raise ExchangeError(f"{name} is {size / 1024 / 1024:.0f} MB; files up to "
                            f"{MAX_FILE_BYTES // 1024 // 1024} MB can be imported. Is it the "
                            "right file?")
    ext = Path(name).suffix.lower()
    with p.open("rb") as fh:
        head = fh.read(4)
    is_zip = head == b"PK\x03\x04" and zipfile.is_zipfile(p)
    if ext in (".zip", ".xlsx", ".xlsm") and not is_zip:
        what = "zip" if ext == ".zip" else "Excel (.xlsx)"
        raise ExchangeError(f"{name} is not a {what} file (it may be damaged, or renamed). "
                            "Nothing was imported.")
    if is_zip:
        try:
            with zipfile.ZipFile(p) as zf:
                if _is_xlsx(zf):
                    _check_unpacked(zf, name)
                    return _read_xlsx_bytes(p.read_bytes(), name)
                return _read_zip(zf, name)
        except UnzipError as e:
            raise ExchangeError(str(e)) from None
        except zipfile.BadZipFile:
            raise ExchangeError(f"{name} is a damaged zip file; nothing was imported.") from None
    data = p.read_bytes()
    text = _decode(data, name, ext)
    stripped = text.lstrip()
    if ext == ".json" or (ext != ".csv" and stripped[:1] in ("{", "[")):
        return _read_json(text, name)
    return _read_csv_tracker(text, name)


def _decode(data: bytes, name: str, ext: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ExchangeError(f"{name} starts like UTF-16 text but isn't readable as it "
                                "(it may be damaged). Nothing was imported.") from None
    if b"\x00" in data[:65536]:
        raise ExchangeError(f"{name} is not a text, spreadsheet or TAPPED IN export file "
                            "(it looks like binary data). Nothing was imported.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if ext not in (".csv", ".tsv", ".txt"):
            raise ExchangeError(f"{name} is not a file TAPPED IN can read (it isn't UTF-8 text, "
                                "a zip or an Excel workbook). Nothing was imported.") from None
        text = data.decode("cp1252", errors="replace")  # CSV saved by older Excel
    junk = sum(1 for c in text[:65536] if c < " " and c not in "\t\r\n")
    if junk > 10:
        raise ExchangeError(f"{name} is not a text, spreadsheet or TAPPED IN export file "
                            "(it holds control characters). Nothing was imported.")
    if not text.strip():
        raise ExchangeError(f"{name} is empty: there is nothing to import.")
    return text


def _is_xlsx(zf: zipfile.ZipFile) -> bool:
    names = zf.namelist()
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _check_unpacked(zf: zipfile.ZipFile, name: str) -> None:
    if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED_BYTES:
        raise ExchangeError(f"{name} unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} "
                            "MB; that is too big to import. Nothing was imported.")


def _read_zip(zf: zipfile.ZipFile, name: str) -> _Source:
    _check_unpacked(zf, name)
    capped = CappedZip(zf, name, MAX_UNPACKED_BYTES)
    names = {Path(i.filename).name: i.filename for i in zf.infolist() if not i.is_dir()}
    if JSON_NAME in names:
        return _read_json(_zip_text(capped, names[JSON_NAME], name), name)
    csvs = {Path(n).stem: full for n, full in names.items() if n.endswith(".csv")}
    if "applications" in csvs:
        src = _Source(name, "tappedin")
        for kind in DATA_TABLES:
            if kind in csvs:
                src.tables[kind] = _unneutral_rows(
                    _csv_rows(_zip_text(capped, csvs[kind], name), name)[1])
        return src
    if XLSX_NAME in names:
        return _read_xlsx_bytes(capped.read(names[XLSX_NAME]), name)
    raise ExchangeError(f"{name} is a zip file but not a TAPPED IN export (it has no "
                        f"{JSON_NAME} and no applications.csv). Nothing was imported.")


def _zip_text(capped: CappedZip, member: str, name: str) -> str:
    return _decode(capped.read(member), f"{member} in {name}", Path(member).suffix.lower())


def _read_xlsx_bytes(data: bytes, name: str) -> _Source:
    from openpyxl import load_workbook

    try:
        # openpyxl trusts the sizes in the zip's headers: it gets a copy whose sizes
        # were counted while inflating, within the cap.
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            data = CappedZip(zf, name, MAX_UNPACKED_BYTES).repacked()
    except zipfile.BadZipFile:
        raise ExchangeError(f"{name} can't be read as an Excel workbook (it may be damaged). "
                            "Nothing was imported.") from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        log.info("unreadable xlsx %s: %r", name, e)
        raise ExchangeError(f"{name} can't be read as an Excel workbook (it may be damaged). "
                            "Nothing was imported.") from None
    try:
        sheets = {ws.title: ws for ws in book.worksheets}
        about = {}
        if ABOUT_SHEET in sheets:
            for row in sheets[ABOUT_SHEET].iter_rows(values_only=True, max_col=2):
                if row and row[0] is not None:
                    about[str(row[0])] = row[1] if len(row) > 1 else None
        if about.get("format") == FORMAT:
            src = _Source(name, "tappedin",
                          schema_version=_int_or_none(about.get("schema_version")),
                          exported_at=str(about.get("exported_at") or ""))
            for kind in DATA_TABLES:
                if kind in sheets:
                    _cols, src.tables[kind] = _sheet_rows(sheets[kind], name)
            return src
        for ws in book.worksheets:
            columns, rows = _sheet_rows(ws, name, sheet_marks(ws))
            if columns:
                return _Source(name, "tracker", columns=columns, rows=rows)
        raise ExchangeError(f"{name} has no rows to import: every sheet is empty.")
    finally:
        book.close()


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _header(values: Iterable[Any], name: str) -> list[str]:
    cols = ["" if v is None else str(v).strip() for v in values]
    while cols and not cols[-1]:
        cols.pop()
    seen: dict[str, int] = {}
    out = []
    for i, c in enumerate(cols):
        c = c or f"Column {i + 1}"
        if c in seen:
            seen[c] += 1
            c = f"{c} ({seen[c]})"
        else:
            seen[c] = 1
        out.append(c)
    return out


def _sheet_rows(ws: Any, name: str, marks: SheetMarks | None = None
                ) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """A sheet's header and rows; with ``marks``, merged cells and unsaved formulas
    read as people read them (see :mod:`workbooks`)."""
    columns: list[str] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    merged_values: dict[tuple[int, int], Any] = {}
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if marks is not None:
            values = marks.apply(number, values, merged_values)
        if not columns:
            if any(v is not None and str(v).strip() for v in values):
                columns = _header(values, name)
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ExchangeError(f"{name} has more than {MAX_ROWS:,} rows; split it up.")
        rows.append((number, {c: (values[i] if i < len(values) else None)
                              for i, c in enumerate(columns)}))
    return columns, rows


def _csv_rows(text: str, name: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    first_line = text[:65536].split("\n", 1)[0]
    try:  # only the delimiter: the sniffer's guesses about quoting are unreliable
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    # A cell may be as big as the file: an over-long value is then one rejected row
    # with a reason, not an unreadable file.
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        columns: list[str] = []
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, values in enumerate(reader, start=1):  # rows as a spreadsheet counts them
            if not columns:
                if any(v.strip() for v in values):
                    columns = _header(values, name)
                continue
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ExchangeError(f"{name} has more than {MAX_ROWS:,} rows; split it up.")
            rows.append((number, {c: (values[i] if i < len(values) else None)
                                         for i, c in enumerate(columns)}))
    except csv.Error as e:
        raise ExchangeError(f"{name} is not a readable CSV file ({e}). Nothing was "
                            "imported.") from None
    return columns, rows


def _read_csv_tracker(text: str, name: str) -> _Source:
    columns, rows = _csv_rows(text, name)
    if not columns:
        raise ExchangeError(f"{name} is empty: there is nothing to import.")
    if len(columns) == 1 and not guess_mapping(columns):
        raise ExchangeError(f"{name} doesn't look like a spreadsheet of applications (it has "
                            "a single column). Nothing was imported.")
    if columns == _columns("applications"):  # our export's applications.csv on its own
        rows = _unneutral_rows(rows)
    return _Source(name, "tracker", columns=columns, rows=rows)


def _read_json(text: str, name: str) -> _Source:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ExchangeError(f"{name} is not valid JSON (line {e.lineno}: {e.msg}). Nothing "
                            "was imported.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"{name} is a JSON file but not a TAPPED IN export. Nothing was "
                            "imported.")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ExchangeError(f"{name} is a damaged TAPPED IN export (it has no tables).")
    src = _Source(name, "tappedin", schema_version=_int_or_none(data.get("schema_version")),
                  exported_at=data.get("exported_at"))
    for kind, rows in tables.items():
        if kind not in RECORDS:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ExchangeError(f"{name} is a damaged TAPPED IN export ({kind} is not a list "
                                "of records).")
        src.tables[kind] = [(i + 1, r) for i, r in enumerate(rows)]
    return src


# --------------------------------------------------------------------------
# Column mapping for spreadsheets from other trackers

#: Fields a spreadsheet column can feed. "status" is read into stage and outcome.
MAPPABLE: dict[str, str] = {
    "company": "Company",
    "role": "Role / job title",
    "location": "Location",
    "source": "Source",
    "applied_on": "Applied on",
    "status": "Status (stage and outcome)",
    "stage": "Stage reached",
    "outcome": "Outcome",
    "outcome_on": "Outcome on",
    "job_link": "Job link",
    "notes": "Notes (several columns allowed)",
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "company": ("company", "company name", "companyname", "employer", "organization",
                "organisation", "org", "business", "firm", "hiring company"),
    "role": ("role", "job title", "title", "position", "position title", "job", "job name",
             "job position", "role title", "jobtitle", "opening"),
    "location": ("location", "job location", "city", "place", "office", "where",
                 "work location"),
    "source": ("source", "found via", "found on", "channel", "job source", "where found",
               "referral source", "how found", "board"),
    "applied_on": ("date applied", "applied on", "applied", "application date", "applied date",
                   "date of application", "applied at", "submitted", "date submitted",
                   "applied_on"),
    "status": ("status", "application status", "job status", "state", "pipeline",
               "list", "column", "progress", "result"),
    "stage": ("stage", "stage reached", "pipeline stage"),
    "outcome": ("outcome", "decision", "final outcome"),
    "outcome_on": ("outcome on", "outcome date", "date rejected", "rejected on",
                   "rejection date", "decision date", "closed on", "date closed",
                   "outcome_on", "response date"),
    "job_link": ("url", "link", "job url", "job link", "posting", "posting url", "job posting",
                 "job posting url", "listing url", "website", "job_link", "posting link"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "memo"),
}


@functools.lru_cache(maxsize=65536)  # a big tracker repeats its few status words
def _norm_name(text: str) -> str:
    return _NOT_ALNUM.sub(" ", str(text).lower()).strip()


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


_LOOKUP = {_norm_name(s): f for f, names in _SYNONYMS.items() for s in names}


def guess_mapping(columns: Iterable[str]) -> dict[str, str]:
    """Which application field each column feeds, judged by its name.

    Case, spacing and punctuation don't matter ("Job Title", "job_title",
    "JOB-TITLE"). Columns not recognised are left out; a field is given to
    the first column that claims it (except notes, which several can feed).
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for col in columns:
        f = _LOOKUP.get(_norm_name(col))
        if f is None or (f in taken and f != "notes"):
            continue
        out[col] = f
        taken.add(f)
    # A lone "Stage" column in a tracker holds "Rejected" as often as "Interview";
    # a "Stage" beside a "Status" is the stage, and the status then says how it ended.
    by_field = {f: c for c, f in out.items()}
    if "stage" in by_field and "outcome" not in by_field:
        if "status" in by_field:
            out[by_field["status"]] = "outcome"
        else:
            out[by_field["stage"]] = "status"
    elif "status" in by_field and "outcome" in by_field and "stage" not in by_field:
        out[by_field["status"]] = "stage"
    return out


def resolve_mapping(columns: Sequence[str], mapping: Mapping[str, str | None] | None = None
                    ) -> dict[str, str | None]:
    """The guessed mapping with the person's choices laid over it (None: don't import)."""
    out: dict[str, str | None] = {c: None for c in columns}
    out.update(guess_mapping(columns))
    for col, f in (mapping or {}).items():
        if col not in out:
            raise MappingError(f"There is no column '{col}' in the file.", columns, out)
        if f is not None and f not in MAPPABLE:
            raise MappingError(f"'{f}' is not something a column can be imported into.",
                               columns, out)
        out[col] = f
    return out


def _check_mapping(columns: Sequence[str], mapping: Mapping[str, str | None], name: str) -> None:
    by_field: dict[str, list[str]] = {}
    for col, f in mapping.items():
        if f is not None:
            by_field.setdefault(f, []).append(col)
    for f, cols in by_field.items():
        if f != "notes" and len(cols) > 1:
            raise MappingError(f"The columns {', '.join(repr(c) for c in cols)} are all set to "
                               f"{MAPPABLE[f]}; choose one.", columns, mapping)
    if "status" in by_field and ("stage" in by_field or "outcome" in by_field):
        raise MappingError("Choose either one Status column, or separate Stage and Outcome "
                           "columns, not both.", columns, mapping)
    if not by_field:
        raise MappingError(f"{name} doesn't look like a list of applications: none of its "
                           f"columns ({_shown_columns(columns)}) is a company, job title, "
                           "date or status. Pick what each column holds.", columns, mapping)
    missing = [MAPPABLE[f] for f in ("company", "role") if f not in by_field]
    if missing:
        raise MappingError(f"Say which column holds the {' and the '.join(missing).lower()} "
                           f"(columns in {name}: {_shown_columns(columns)}).", columns, mapping)


def _shown_columns(columns: Sequence[str]) -> str:
    shown = ", ".join(columns[:12])
    return shown + (", ..." if len(columns) > 12 else "")


# Status words from other trackers. Stage words say how far it went; outcome
# words say how it ended. "Rejected after interview" gives both.
_STAGE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("offer", ("offer", "offered", "hired", "accepted")),
    ("final round", ("final", "final round", "final interview", "onsite", "on site",
                     "on-site", "last round", "panel")),
    ("interview", ("interview", "interviewing", "interviews", "interviewed", "technical",
                   "assessment", "take home", "case study", "second round", "2nd round",
                   "first round", "1st round")),
    ("screen", ("screen", "screening", "phone screen", "recruiter call", "phone call",
                "hr call", "recruiter screen", "phone")),
    ("applied", ("applied", "applying", "application sent", "submitted", "sent",
                 "in review", "under review", "pending", "waiting", "open", "active",
                 "in progress")),
)
_OUTCOME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("accepted", ("accepted", "hired", "offer accepted", "signed")),
    ("withdrawn", ("withdrawn", "withdrew", "withdraw", "not interested", "declined offer",
                   "i declined", "dropped out", "pulled out")),
    ("rejected", ("rejected", "rejection", "declined", "not selected", "not moving forward",
                  "unsuccessful", "no offer", "turned down", "ghosted", "no response",
                  "no reply", "closed", "position filled", "filled", "denied", "refused")),
    ("offer", ("offer", "offered", "offer received")),
)
_NOT_APPLIED = ("wishlist", "wish list", "saved", "bookmarked", "bookmark", "interested",
                "to apply", "not applied", "not yet applied", "planning", "draft", "watching")


def _words(text: str) -> str:
    return " " + _norm_name(text) + " "


def _has(text: str, phrase: str) -> bool:
    return f" {_norm_name(phrase)} " in text


def read_status(value: Any) -> tuple[str | None, str | None]:
    """(stage, outcome) from a tracker's status text; raises ValueError if unknown.

    "Rejected" -> (None, "rejected"); "Interviewing" -> ("interview", None);
    "Rejected after final round" -> ("final round", "rejected"). Empty -> (None, None).
    """
    if _is_missing(value) or not str(value).strip():
        return None, None
    return _read_status_text(str(value))


@functools.lru_cache(maxsize=4096)  # the same few words on every row of a big tracker
def _read_status_text(value: str) -> tuple[str | None, str | None]:
    text = _words(value)
    if any(_has(text, p) for p in _NOT_APPLIED):
        raise ValueError(f"Status '{_short(value)}' means you haven't applied yet; TAPPED IN "
                         "keeps applications you sent. Change it to 'Applied' to import it.")
    stage = next((s for s, words in _STAGE_WORDS if any(_has(text, p) for p in words)), None)
    outcome = next((o for o, words in _OUTCOME_WORDS if any(_has(text, p) for p in words)), None)
    if outcome == "offer" and stage is None:
        stage = "offer"
    if outcome == "accepted":
        stage = "offer"
    if stage == "offer" and outcome is None:
        outcome = "offer"
    if stage == "offer" and outcome == "rejected" and _has(text, "declined"):
        outcome = "withdrawn"  # "offer declined": you said no
    if stage is None and outcome is None:
        raise ValueError(f"Status '{_short(value)}' is not one TAPPED IN knows. Use one of: "
                         "Applied, Screen, Interviewing, Final round, Offer, Accepted, "
                         "Rejected, Withdrawn.")
    return stage, outcome


_SOURCE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("referral", ("referral", "referred", "referred by", "friend", "network", "networking",
                  "colleague", "former colleague")),
    ("recruiter", ("recruiter", "agency", "headhunter", "recruitment agency", "inbound",
                   "recruiter reached out")),
    ("company site", ("company site", "company website", "careers page", "career page",
                      "careers site", "website", "direct", "company")),
    ("job board", ("job board", "linkedin", "indeed", "glassdoor", "monster", "ziprecruiter",
                   "wellfound", "angellist", "dice", "otta", "welcome to the jungle",
                   "hired", "handshake", "seek", "stepstone", "xing", "board", "job site")),
)


def read_source_value(value: Any) -> tuple[str | None, str | None]:
    """(source choice, original text worth keeping in notes, or None)."""
    if _is_missing(value) or not str(value).strip():
        return None, None
    raw = str(value).strip()
    if raw.lower() in models.SOURCES:
        return raw.lower(), None
    text = _words(raw)
    for choice, words in _SOURCE_WORDS:
        if any(_has(text, p) for p in words):
            return choice, raw if _norm_name(raw) != choice else None
    return "other", raw


def _short(value: Any, n: int = 40) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= n else text[: n - 3] + "..."


# -- dates written the many ways trackers write them

_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_TEXT_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y",
                 "%d-%b-%Y", "%d-%b-%y", "%d %b, %Y", "%a, %b %d, %Y", "%A, %B %d, %Y",
                 "%b %Y", "%B %Y")


def _day_first(values: Iterable[Any]) -> bool | None:
    """True/False if a column's numeric dates show their order; None if they never do."""
    day_first = month_first = 0
    for v in values:
        if not isinstance(v, str):
            continue
        m = _NUMERIC_DATE.match(v.strip().split(" ")[0])
        if not m or len(m.group(1)) == 4:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        day_first += a > 12 >= b
        month_first += b > 12 >= a
    if day_first != month_first:
        return day_first > month_first
    return None


def _ambiguous_date(value: Any) -> bool:
    """03/04/2026: 3 April or 4 March?"""
    if not isinstance(value, str):
        return False
    m = _NUMERIC_DATE.match(value.strip().split(" ")[0])
    return bool(m) and len(m.group(1)) <= 2 and int(m.group(1)) <= 12 and int(m.group(2)) <= 12


def read_date(value: Any, label: str, *, day_first: bool = False) -> dt.date | None:
    """A date from ISO text, a spreadsheet date, 03/14/2026, 14.03.2026 or 'Mar 14, 2026'."""
    if _is_missing(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return models.parse_date(value, label)
    text = " ".join(str(value).split())
    if not text:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return models.parse_date(text, label)
    m = _NUMERIC_DATE.match(text.split(" ")[0])
    if m:
        a, b, c = (int(g) for g in m.groups())
        if len(m.group(1)) == 4:
            y, mo, d = a, b, c
        else:
            y = c + 2000 if c < 100 else c
            d, mo = (a, b) if day_first else (b, a)
        try:
            return dt.date(y, mo, d)
        except ValueError:
            pass
    else:
        for fmt in _TEXT_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise ValueError(f"{label}: '{_short(value)}' is not a date TAPPED IN can read; "
                     "use the form 2026-03-14.")


# --------------------------------------------------------------------------
# The report


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
            return ", ".join(f"{n} {_plural(RECORDS[k].label, n)}"
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
            parts.append(f"{n} {_plural('row', n)} can't be imported (see the reasons)."
                         if self.dry_run or self.applied else
                         f"{n} {_plural('row', n)} can't be imported: fix them, or import "
                         "the other rows only.")
        skipped = sum(self.skipped.values())
        if skipped:
            parts.append(f"{skipped} {_plural('row', skipped)} already in your workbook "
                         f"{'was' if skipped == 1 else 'were'} skipped.")
        return " ".join(parts)


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    if word.endswith("y") and not word.endswith("ey"):
        return word[:-1] + "ies"
    if word in ("feedback",):
        return "feedback entries"
    return word + "s"


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
                      and not _is_missing(r.get("merged_into"))
                      and _is_missing(self._theme_rows.get(r["id"], {}).get("merged_into"))]
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
            if _is_missing(r.get("merged_into")):
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
    msgs = []
    for name, msg in e.errors.items():
        msgs.append(msg)
    return " ".join(msgs) or f"That {spec.label} is not valid."


def _comparable(value: Any, kind: str) -> Any:
    if isinstance(value, tuple):
        return value
    if _is_missing(value):
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
    src = _read_source(path, name)
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
        _check_mapping(src.columns, resolved, src.name)
        planner = _Planner(store, report, progress, len(src.rows))
        _plan_tracker(planner, src, resolved, day_first)
    if progress and planner.done != planner.total:
        progress(planner.total, planner.total)
    report.rows_to_add = {k: len(v) for k, v in planner.plan.items() if v}
    for kind, n in report.skipped.items():
        report.warnings.append(f"{n} {_plural(RECORDS[kind].label, n)} already in your "
                               f"workbook (or twice in the file) will be skipped.")
    if dry_run or not report.total_to_add or (report.rejected and not skip_invalid):
        return report
    _apply(store, planner, report, progress)
    return report


def _plan_export(planner: _Planner, src: _Source) -> None:
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


def _plan_tracker(planner: _Planner, src: _Source, mapping: Mapping[str, str | None],
                  day_first: bool | None) -> None:
    report = planner.report
    date_cols = [c for c, f in mapping.items() if f in ("applied_on", "outcome_on")]
    order: dict[str, bool] = {}
    for col in date_cols:
        found = _day_first(r.get(col) for _, r in src.rows)
        if day_first is not None:
            order[col] = day_first
        elif found is None:
            order[col] = False
            if any(_ambiguous_date(r.get(col)) for _, r in src.rows):
                report.warnings.append(f"Dates in '{col}' such as 03/04/2026 were read month "
                                       "first (4 March). If they are day first, import again "
                                       "with day-first dates.")
        else:
            order[col] = found
    ignored = [c for c, f in mapping.items() if f is None]
    if ignored:
        report.warnings.append(f"Columns not imported: {_shown_columns(ignored)}. Set one to "
                               "Notes to keep what it holds.")
    notes_cols = [c for c, f in mapping.items() if f == "notes"]
    labels = {f.name: f.label for f in models.APPLICATION.fields}
    empty = 0
    for row, raw in src.rows:
        planner.tick()
        values: dict[str, Any] = {}
        notes: list[str] = []
        problems: list[str] = []
        for col, f in mapping.items():
            if f is None or f == "notes":
                continue
            value = raw.get(col)
            if _is_missing(value) or (isinstance(value, str) and not value.strip()):
                continue
            if isinstance(value, Uncached):
                problems.append(value.reason())
                continue
            try:
                if f == "job_link" and not _is_link(value):
                    notes.append(f"{col}: {str(value).strip()}")  # kept, as text
                elif f in ("applied_on", "outcome_on"):
                    values[f] = read_date(value, labels[f], day_first=order[col])
                elif f == "outcome" and _norm_name(value) in models.OUTCOMES:
                    values["outcome"] = _norm_name(value)  # e.g. "open", as we export it
                elif f in ("status", "stage", "outcome"):
                    stage, outcome = read_status(value)
                    if f in ("status", "stage") and stage:
                        values["stage"] = stage
                    if f in ("status", "outcome") and outcome:
                        values["outcome"] = outcome
                    if f == "outcome" and outcome is None:
                        raise ValueError(f"Outcome '{_short(value)}' is not one TAPPED IN "
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
            except ValueError as e:
                problems.append(str(e))
        for col in notes_cols:
            value = raw.get(col)
            if _is_missing(value) or not str(value).strip():
                continue
            if isinstance(value, Uncached):
                problems.append(value.reason())
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                value = value.isoformat()[:10]
            text = str(value).strip()
            notes.insert(0, text) if _LOOKUP.get(_norm_name(col)) == "notes" \
                else notes.append(f"{col}: {text}")
        if notes:
            values["notes"] = "\n".join(notes)
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
        report.warnings.append(f"{empty} {_plural('row', empty)} with nothing in the imported "
                               "columns were skipped.")


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


# --------------------------------------------------------------------------
# Backups and restore


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
    name = f"{store.path.stem}-manual-{_stamp()}{store.path.suffix or '.db'}"
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
        version = _inspect_sqlite_file(path)
    except StoreError as e:
        raise ExchangeError(f"{path.name} can't be restored: {e}") from None
    if version == 0:
        raise ExchangeError(f"{path.name} can't be restored: it is not a TAPPED IN database "
                            "(it is empty).")
    con = None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                              timeout=BUSY_TIMEOUT_S)
        result = con.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as e:
        raise ExchangeError(f"{path.name} can't be restored: it can't be read ({e}).") from None
    finally:
        if con is not None:
            con.close()
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
    from .sqlite_file import check_folder  # here, not at the top: fewer lines to merge
    from .store import default_location

    check_folder(current, Path(default_location()))  # never a made-up (mistyped) folder
    safety: Path | None = None
    current_ok = True
    if current.exists() and current.stat().st_size > 0:
        folder = current.parent / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        safety = folder / f"{current.stem}-before-restore-{_stamp()}{current.suffix or '.db'}"
        try:
            sqlite_copy(current, safety)
        except sqlite3.DatabaseError:
            current_ok = False  # a damaged database: keep its bytes, then replace it
            with renamed_when_done(safety) as tmp:
                shutil.copy2(current, tmp)
        prune_backups(folder, database=current)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True,
                          timeout=BUSY_TIMEOUT_S)
    try:
        if current_ok:
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
    except sqlite3.Error as e:
        raise ExchangeError(f"The restore failed ({e}); your data before it is kept at "
                            f"{safety}.") from None
    finally:
        src.close()
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
    return sorted(files, key=lambda p: (_STAMP_RE.search(p.name).group(1)
                                        if _STAMP_RE.search(p.name) else "", p.name),
                  reverse=True)


__all__ = [
    "ExchangeError", "MappingError", "ImportReport", "Rejection", "MAPPABLE", "IMPORT_ORDER",
    "export_zip", "export_xlsx", "export_json", "export_bytes", "export_data",
    "default_export_name", "import_file", "guess_mapping", "resolve_mapping", "read_status",
    "read_date", "backup", "restore", "check_backup", "prune_backups", "backups",
]

