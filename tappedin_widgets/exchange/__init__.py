"""Import and export: your data out of the workbook and back in.

    export_zip(store, "tappedin-export.zip")     # CSV per table + tappedin.xlsx + tappedin.json
    report = import_file(store, "huntr.csv", dry_run=True)   # what would happen
    report = import_file(store, "huntr.csv", skip_invalid=True)  # do it
    backup(store); restore("my.db", "backups/my-manual-....db")

The package's modules, each over the one before:
:mod:`.common` (the export's format, limits, errors, how values are written),
:mod:`.export`, :mod:`.mapping` (another tracker's columns and cells),
:mod:`.readers` (a file into rows) and :mod:`.importer` (plan, report, write).
Backups and restore are :mod:`tappedin_widgets.backups`' (re-exported here).

No SQL here: rows go in through :meth:`Store.import_rows` and come out through
:meth:`Store.table`.
"""

from __future__ import annotations

from ..backups import backup, backups, check_backup, restore
from ..models import ExchangeError
from ..store_files import prune_backups
from .common import FORMAT, IMPORT_ORDER, MAX_FILE_BYTES, MappingError
from .export import (
                     default_export_name,
                     export_bytes,
                     export_data,
                     export_json,
                     export_xlsx,
                     export_zip,
)
from .importer import ImportReport, Rejection, import_file
from .mapping import MAPPABLE, guess_mapping, read_date, read_status, resolve_mapping

__all__ = [
    "ExchangeError", "MappingError", "ImportReport", "Rejection", "MAPPABLE", "IMPORT_ORDER",
    "FORMAT", "MAX_FILE_BYTES",
    "export_zip", "export_xlsx", "export_json", "export_bytes", "export_data",
    "default_export_name", "import_file", "guess_mapping", "resolve_mapping", "read_status",
    "read_date", "backup", "restore", "check_backup", "prune_backups", "backups",
]
