""""Your data": export everything, import a file, back up the database.

Export builds the zip in memory and offers it as a download link (a data
URL, which works under Voilà). Import is two steps: choosing a file shows a
preview (a dry run: rows to add, rows that can't be imported and why, and for
a spreadsheet from another tracker the column mapping as dropdowns); the
"Import N rows" button then imports the rows the preview accepted, with a
progress bar. Rejected rows are never imported; pressing the button is the
person's confirmation that the other rows may go in without them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w

from .. import exchange
from ..exchange import MAPPABLE, ExchangeError, ImportReport, MappingError
from ..models import RECORDS, plural
from .common import (
    Choice,
    Status,
    Workbook,
    button,
    download_link,
    esc,
    guard,
    guidance,
    heading,
    step_layout,
)

INTRO = """
<p><b>Your data.</b> Everything you write in the workbook stays in one file on this
computer. Take a copy with you at any time, or bring in applications you tracked elsewhere.</p>
"""

EXPORT_HELP = """
<p>A zip file with one CSV file per table, the same data as an Excel workbook
(<code>tappedin.xlsx</code>) and as <code>tappedin.json</code>, which you can import
again here.</p>
"""

IMPORT_HELP = """
<p>Import a TAPPED IN export (<code>.zip</code>, <code>.json</code>, <code>.xlsx</code>), or a
spreadsheet of applications from another tracker (<code>.csv</code>, <code>.xlsx</code>) with
columns such as Company, Job Title, Date Applied and Status. You will see what would be
imported before anything is written, and a backup is made first.</p>
"""

IGNORE = "(don't import)"
SHOW_REJECTED = 200


class ExchangeView(w.VBox):
    """Export, import (with preview and column mapping) and backup, for one workbook."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        # "Your export is ready" and its link hold the data as it was: a change ends them.
        self.status = Status().follows(workbook)
        self.report: ImportReport | None = None
        self._file: tuple[str, bytes] | None = None
        self._mapping: dict[str, str | None] | None = None
        self._syncing = False

        self.where = w.HTML(f"<p class='tappedin-hint'>Your data is stored in "
                            f"<code>{esc(workbook.store.location)}</code>.</p>")
        self.export_button = button("Export everything", style="primary",
                                    tooltip="Build a zip of all your data to download")
        self.download = w.HTML("")
        self.backup_button = button("Back up the database",
                                    tooltip="Copy the database file to the backups folder")
        if workbook.store.path is None:  # a server database: its administrator backs it up
            self.backup_button.layout.display = "none"

        self.upload = w.FileUpload(accept=".zip,.json,.xlsx,.csv", multiple=False,
                                   description="Choose a file", layout=w.Layout(width="auto"))
        self.preview = w.HTML("")
        # A preview is a dry run against the data as it was: once the data changes, it is
        # said to be out of date and the import waits for a new one.
        self.stale = Status()
        self.again_button = button("Preview again", tooltip="Redo the preview on your data "
                                   "as it is now")
        self.again_button.layout.display = "none"
        self.mapping_help = w.HTML("")
        self.mapping_box = w.VBox([])
        self.dropdowns: dict[str, w.Dropdown] = {}
        self.import_button = button("Import", style="primary")
        self.import_button.disabled = True
        self.import_button.layout.display = "none"
        self.progress = w.IntProgress(value=0, min=0, max=1, description="Importing",
                                      style={"description_width": "initial"},
                                      layout=w.Layout(width="min(480px, 100%)", display="none"))
        self.result = Status()

        self.export_button.on_click(guard(self.status, action="change")(lambda _b: self.export()))
        self.backup_button.on_click(guard(self.status, action="change")(lambda _b: self.backup()))
        self.upload.observe(guard(self.status, action="change")(self._on_upload), names="value")
        self.import_button.on_click(guard(self.result, action="change")(
            lambda _b: self.run_import()))
        self.again_button.on_click(guard(self.status, action="change")(
            lambda _b: self.show_preview()))

        body = step_layout(
            heading("Your data", 2), guidance(INTRO), self.where,
            heading("Export"), guidance(EXPORT_HELP),
            w.HBox([self.export_button, self.backup_button]), self.download,
            heading("Import"), guidance(IMPORT_HELP),
            self.upload, self.status, self.preview, self.stale, self.again_button,
            self.mapping_help, self.mapping_box, self.import_button, self.progress, self.result,
        )
        super().__init__([body])
        workbook.on_change(self._on_change)

    def _on_change(self, _change: Any) -> None:
        if self.download.value and not self.status.busy:
            self.download.value = ""
        if self._file is not None and self.report is not None:
            self._preview_outdated()

    def _preview_outdated(self, why: str = "Your data changed since this preview") -> None:
        """The preview no longer says what the import would do: no import until redone."""
        self.import_button.disabled = True
        self.stale.error(f"{why}: it may no longer be what the import would do. "
                         "Press “Preview again” to see it on your data as it is now.")
        self.again_button.layout.display = ""

    # -- export and backup ---------------------------------------------------

    def export(self) -> None:
        """Build the export zip and offer it as a download link."""
        self.status.info("Preparing your export…")
        data = exchange.export_bytes(self.workbook.store)
        name = exchange.default_export_name()
        self.download.value = download_link(data, name, mime="application/zip",
                                            label=f"Download {name} ({_size(len(data))})")
        self.status.ok("Your export is ready: use the download link.")

    def backup(self) -> None:
        path = exchange.backup(self.workbook.store)
        self.status.ok(f"Backed up to {path}.")

    # -- import: choose, preview, map, import ------------------------------

    def _on_upload(self, change: Any) -> None:
        self.result.clear()
        files = change.new or ()
        if not files:
            self._file = None
            self._reset_preview()
            return
        item = files[0]
        name = str(item.get("name") or "upload")
        size = int(item.get("size") or 0)
        if size > exchange.MAX_FILE_BYTES:
            self._file = None
            self._reset_preview()
            raise ExchangeError(f"{name} is {size / 1024 / 1024:.0f} MB; files up to "
                                f"{exchange.MAX_FILE_BYTES // 1024 // 1024} MB can be imported.")
        self._file = (name, bytes(item["content"]))
        self._mapping = None
        self.dropdowns = {}
        self.show_preview()

    def _reset_preview(self) -> None:
        self.report = None
        self.preview.value = ""
        self._preview_current()
        self.mapping_help.value = ""
        self.mapping_box.children = []
        self.dropdowns = {}
        self.import_button.disabled = True
        self.import_button.layout.display = "none"

    def _run(self, **kwargs: Any) -> ImportReport:
        assert self._file is not None
        name, content = self._file
        with tempfile.TemporaryDirectory(prefix="tappedin-import-") as folder:
            path = Path(folder) / (Path(name).name or "upload")
            path.write_bytes(content)
            return exchange.import_file(self.workbook.store, path, name=name,
                                        mapping=self._mapping, **kwargs)

    def show_preview(self) -> None:
        """Dry-run the chosen file with the current mapping and show what would happen."""
        if self._file is None:
            return
        self.status.clear()
        self._preview_current()
        self.import_button.disabled = True
        try:
            report = self._run(dry_run=True)
        except MappingError as e:
            self.report = None
            self._show_mapping(e.columns, e.mapping)
            self.preview.value = (f"<p class='tappedin-error' role='alert'>{esc(str(e))}</p>")
            self.import_button.layout.display = "none"
            return
        except ExchangeError:
            self._reset_preview()
            raise
        self.report = report
        if report.kind == "tracker":
            self._show_mapping(report.columns, report.mapping)
        else:
            self.mapping_help.value = ""
            self.mapping_box.children = []
        self.preview.value = preview_html(report)
        n = report.total_to_add
        self.import_button.description = f"Import {plural(n, 'row')}"
        self.import_button.tooltip = self.import_button.description
        self.import_button.disabled = n == 0
        self.import_button.layout.display = "" if n else "none"

    def _preview_current(self) -> None:
        self.stale.clear()
        self.again_button.layout.display = "none"

    def _show_mapping(self, columns: list[str], mapping: Mapping[str, str | None]) -> None:
        options = [(IGNORE, None)] + [(label, key) for key, label in MAPPABLE.items()]
        self._syncing = True
        try:
            if list(self.dropdowns) != list(columns):
                self.dropdowns = {}
                for col in columns:
                    dd = Choice(description=col, options=options, value=mapping.get(col),
                                    style={"description_width": "180px"},
                                    layout=w.Layout(width="min(520px, 100%)"))
                    dd.observe(guard(self.status, action="change")(self._on_map), names="value")
                    self.dropdowns[col] = dd
                self.mapping_box.children = list(self.dropdowns.values())
            else:
                for col, dd in self.dropdowns.items():
                    dd.value = mapping.get(col)
        finally:
            self._syncing = False
        self.mapping_help.value = ("<p class='tappedin-hint'>What each column of your file "
                                   "holds (guessed from its name; change any that are "
                                   "wrong):</p>")

    def _on_map(self, _change: Any) -> None:
        if self._syncing:
            return
        self._mapping = {col: dd.value for col, dd in self.dropdowns.items()}
        self.show_preview()

    def set_mapping(self, column: str, field: str | None) -> None:
        """Choose what one column holds (as picking in its dropdown does)."""
        self.dropdowns[column].value = field

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.max = max(int(total), 1)
        self.progress.value = min(int(done), self.progress.max)

    def run_import(self) -> None:
        """Import the rows the preview accepted, in one go, with a progress bar."""
        if self._file is None or self.report is None or not self.report.total_to_add:
            self.result.error("Choose a file to import first.")
            return
        if self.again_button.layout.display != "none":
            self.result.error("Preview the file again first: your data changed since.")
            return
        # The data may have changed where this view doesn't hear of it (another window):
        # the import goes ahead only if a new dry run still says what the preview said.
        if _outcome(self._run(dry_run=True)) != _outcome(self.report):
            self._preview_outdated("Your data changed since this preview (in another window?)")
            self.result.error("Nothing was imported: the preview was out of date.")
            return
        self.import_button.disabled = True
        self.progress.value = 0
        self.progress.bar_style = ""
        self.progress.layout.display = ""
        try:
            report = self._run(dry_run=False, skip_invalid=True, progress=self._on_progress)
        except Exception:
            self.progress.bar_style = "danger"
            self.import_button.disabled = False
            raise
        # the file is done with before the change is told: no preview of it is outdated
        self.report = report
        self._file = None
        self.progress.value = self.progress.max
        self.progress.bar_style = "success" if report.applied else "warning"
        self.preview.value = preview_html(report)
        self.mapping_help.value = ""
        self.mapping_box.children = []
        self.dropdowns = {}
        self.import_button.layout.display = "none"
        if report.applied:
            self.result.ok(report.summary() + (f" A backup of your data from before the import "
                                               f"is at {report.backup}." if report.backup else ""))
            self.workbook.changed("")
        else:
            self.result.info(report.summary())


def _outcome(report: ImportReport) -> tuple[Any, ...]:
    """What a dry run says the import would do: rows added, left out, skipped."""
    return (report.rows_to_add, [(r.table, r.row, r.reason) for r in report.rejected],
            report.skipped)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def preview_html(report: ImportReport) -> str:
    """The report as escaped HTML: counts, rows that can't be imported, warnings."""
    parts = [f"<p><b>{esc(report.source)}</b>: "
             + ("a TAPPED IN export." if report.kind == "tappedin"
                else "a spreadsheet of applications.") + "</p>",
             f"<p>{esc(report.summary())}</p>"]
    counts = report.added if report.applied else report.rows_to_add
    if counts:
        head = "Imported" if report.applied else "To add"
        rows = "".join(f"<tr><td>{esc(RECORDS[k].label)}</td><td>{n}</td></tr>"
                       for k, n in counts.items() if n)
        parts.append(f"<table class='tappedin-table'><thead><tr><th>What</th>"
                     f"<th>{head}</th></tr></thead><tbody>{rows}</tbody></table>")
    if report.rejected:
        shown = report.rejected[:SHOW_REJECTED]
        rows = "".join(f"<tr><td>{esc(RECORDS[r.table].label)}</td><td>{r.row}</td>"
                       f"<td>{esc(r.reason)}</td></tr>" for r in shown)
        more = len(report.rejected) - len(shown)
        parts.append("<p><b>Can't be imported</b> (these rows are left out):</p>"
                     "<table class='tappedin-table tappedin-rejected'><thead><tr><th>What</th>"
                     f"<th>Row</th><th>Why</th></tr></thead><tbody>{rows}</tbody></table>"
                     + (f"<p class='tappedin-hint'>…and {more} more.</p>" if more else ""))
    if report.warnings:
        items = "".join(f"<li>{esc(text)}</li>" for text in report.warnings)
        parts.append(f"<ul class='tappedin-hint'>{items}</ul>")
    return "<div class='tappedin-card'>" + "".join(parts) + "</div>"
