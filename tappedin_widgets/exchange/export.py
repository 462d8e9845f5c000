"""Export: every table out, as a zip (CSV per table, tappedin.xlsx, tappedin.json),
an Excel workbook or one JSON file. Rows come out through :meth:`Store.table`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..store import DATA_TABLES, SCHEMA_VERSION, Store
from .common import (
    ABOUT_SHEET,
    FORMAT,
    FORMAT_VERSION,
    JSON_NAME,
    XLSX_CELL_MAX,
    XLSX_NAME,
    atomic_write,
    export_columns,
    neutral,
    now,
    plain,
    value_kinds,
)

log = logging.getLogger(__name__)

def default_export_name(today: dt.date | None = None) -> str:
    return f"tappedin-export-{(today or dt.date.today()).isoformat()}.zip"


def export_data(store: Store) -> dict[str, Any]:
    """Every table as plain records, with the schema version and the export time."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for kind in DATA_TABLES:
        frame = store.table(kind)
        kinds = value_kinds(kind)
        cols = export_columns(kind)
        tables[kind] = [{c: plain(rec.get(c), kinds[c]) for c in cols}
                        for rec in frame.to_dict("records")]
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_version": store.schema or SCHEMA_VERSION,
            "exported_at": now().isoformat(), "tables": tables}


def _json_bytes(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _csv_text(kind: str, rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cols = export_columns(kind)
    writer.writerow(cols)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else
                         ("true" if row[c] is True else "false" if row[c] is False
                          else neutral(row[c]))
                         for c in cols])
    return out.getvalue()


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
        kinds = value_kinds(kind)
        cols = export_columns(kind)
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
    return atomic_write(path, export_bytes(store))


def export_xlsx(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write everything to an Excel workbook, one sheet per table."""
    data, warnings = _xlsx_bytes(export_data(store))
    for text in warnings:
        log.warning("export: %s", text)
    return atomic_write(path, data)


def export_json(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write everything to one JSON file (the most faithful single-file export)."""
    return atomic_write(path, _json_bytes(export_data(store)))
