"""Reading an import's file: a TAPPED IN export (zip, xlsx, JSON, CSV) or another
tracker's spreadsheet (CSV, TSV, xlsx) into a :class:`Source`, before any validation.
Zip members are inflated through :mod:`unzip` (a hard cap, whatever the headers say);
workbooks' merged cells and unsaved formulas are found by :mod:`workbooks`."""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models import RECORDS, ExchangeError, article
from ..store import DATA_TABLES
from ..unzip import CappedZip, UnzipError
from ..workbooks import SheetMarks, sheet_marks
from .common import (
    ABOUT_SHEET,
    FORMAT,
    JSON_NAME,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    XLSX_NAME,
    export_columns,
    unneutral_rows,
)
from .mapping import guess_mapping

log = logging.getLogger(__name__)

@dataclass
class Source:
    """What a file holds, before any validation."""

    name: str
    kind: str                                    # "tappedin" or "tracker"
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    schema_version: int | None = None
    exported_at: str | None = None


def read_source(path: str | os.PathLike[str], name: str | None = None) -> Source:
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
        raise ExchangeError(f"{name} is not {article(what)} file (it may be damaged, or "
                            "renamed). Nothing was imported.")
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


def _read_zip(zf: zipfile.ZipFile, name: str) -> Source:
    _check_unpacked(zf, name)
    capped = CappedZip(zf, name, MAX_UNPACKED_BYTES)
    names = {Path(i.filename).name: i.filename for i in zf.infolist() if not i.is_dir()}
    if JSON_NAME in names:
        return _read_json(_zip_text(capped, names[JSON_NAME], name), name)
    csvs = {Path(n).stem: full for n, full in names.items() if n.endswith(".csv")}
    if "applications" in csvs:
        src = Source(name, "tappedin")
        for kind in DATA_TABLES:
            if kind in csvs:
                src.tables[kind] = unneutral_rows(
                    _csv_rows(_zip_text(capped, csvs[kind], name), name)[1])
        return src
    if XLSX_NAME in names:
        return _read_xlsx_bytes(capped.read(names[XLSX_NAME]), name)
    raise ExchangeError(f"{name} is a zip file but not a TAPPED IN export (it has no "
                        f"{JSON_NAME} and no applications.csv). Nothing was imported.")


def _zip_text(capped: CappedZip, member: str, name: str) -> str:
    return _decode(capped.read(member), f"{member} in {name}", Path(member).suffix.lower())


def _read_xlsx_bytes(data: bytes, name: str) -> Source:
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
            src = Source(name, "tappedin",
                          schema_version=_int_or_none(about.get("schema_version")),
                          exported_at=str(about.get("exported_at") or ""))
            for kind in DATA_TABLES:
                if kind in sheets:
                    _cols, src.tables[kind] = _sheet_rows(sheets[kind], name)
            return src
        for ws in book.worksheets:
            columns, rows = _sheet_rows(ws, name, sheet_marks(ws))
            if columns:
                return Source(name, "tracker", columns=columns, rows=rows)
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


def _read_csv_tracker(text: str, name: str) -> Source:
    columns, rows = _csv_rows(text, name)
    if not columns:
        raise ExchangeError(f"{name} is empty: there is nothing to import.")
    if len(columns) == 1 and not guess_mapping(columns):
        raise ExchangeError(f"{name} doesn't look like a spreadsheet of applications (it has "
                            "a single column). Nothing was imported.")
    if columns == export_columns("applications"):  # our export's applications.csv on its own
        rows = unneutral_rows(rows)
    return Source(name, "tracker", columns=columns, rows=rows)


def _read_json(text: str, name: str) -> Source:
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
    src = Source(name, "tappedin", schema_version=_int_or_none(data.get("schema_version")),
                  exported_at=data.get("exported_at"))
    for kind, rows in tables.items():
        if kind not in RECORDS:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ExchangeError(f"{name} is a damaged TAPPED IN export ({kind} is not a list "
                                "of records).")
        src.tables[kind] = [(i + 1, r) for i, r in enumerate(rows)]
    return src
