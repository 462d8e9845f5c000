""""Your data" view: driven without a browser, asserted on the store."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import zipfile

import pytest

from tappedin_widgets import exchange
from tappedin_widgets.demo import load_demo
from tappedin_widgets.store import DATA_TABLES, Store
from tappedin_widgets.views.common import Workbook
from tappedin_widgets.views.exchange import ExchangeView

TRACKER = (b"Company,Job Title,Date Applied,Status,Salary\n"
           b"Acme,Analyst,2026-03-02,Rejected,80k\n"
           b"Globex,Engineer,2026-03-05,Interviewing,\n"
           b"<script>alert(1)</script>,Hacker,2026-03-06,<b>Wat</b>,\n")


@pytest.fixture
def workbook(store):
    return Workbook(store)


@pytest.fixture
def view(workbook):
    return ExchangeView(workbook)


def upload(view, name, content: bytes):
    view.upload.value = ({"name": name, "type": "", "size": len(content),
                          "last_modified": dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
                          "content": memoryview(content)},)


def test_export_offers_a_download_link_holding_the_zip(view, store):
    load_demo(store)
    view.export_button.click()
    html = view.download.value
    assert "download='tappedin-export-" in html
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        tables = json.loads(zf.read("tappedin.json"))["tables"]
    assert len(tables["applications"]) == store.count("applications")
    assert "ready" in view.status.text


def test_a_tracker_csv_previews_maps_and_imports_with_a_progress_bar(view, workbook, store):
    upload(view, "huntr.csv", TRACKER)
    assert store.is_empty()  # the preview writes nothing
    assert view.dropdowns["Job Title"].value == "role"
    assert view.dropdowns["Salary"].value is None
    assert "&lt;b&gt;Wat&lt;/b&gt;" in view.preview.value  # the reason, escaped
    assert "<script>" not in view.preview.value
    assert view.import_button.description == "Import 2 rows"

    view.set_mapping("Salary", "notes")  # the person keeps the salary column
    assert view.report.mapping["Salary"] == "notes"

    revision = workbook.revision
    view.import_button.click()
    apps = store.table("applications").set_index("company")
    assert list(apps.index) == ["Acme", "Globex"]
    assert apps.loc["Acme", "outcome"] == "rejected" and apps.loc["Acme", "notes"] == "Salary: 80k"
    assert apps.loc["Globex", "stage"] == "interview"
    assert view.progress.value == view.progress.max > 1
    assert view.progress.layout.display == ""
    assert "Imported 2 applications" in view.result.text
    assert "1 row can't be imported" in view.result.text
    assert workbook.revision == revision + 1


def test_a_file_with_unknown_columns_asks_for_the_mapping(view, store):
    upload(view, "sheet.csv", b"Firma,Stelle\nAcme,Analyst\n")
    assert "company" in view.preview.value.lower()
    assert view.import_button.layout.display == "none"
    view.set_mapping("Firma", "company")
    view.set_mapping("Stelle", "role")
    assert view.import_button.description == "Import 1 row"
    view.import_button.click()
    assert list(store.table("applications")["company"]) == ["Acme"]


@pytest.mark.parametrize("name, content", [
    ("junk.zip", b"\x00\x01 not a zip at all"),
    ("junk.csv", bytes(range(256)) * 8),
    ("empty.json", b""),
], ids=["not-a-zip", "binary", "empty"])
def test_a_bad_file_shows_a_message_and_writes_nothing(view, store, name, content):
    upload(view, name, content)
    assert view.status.text and "Traceback" not in view.status.text
    assert "tappedin-error" in view.status.value
    assert view.import_button.layout.display == "none"
    view.import_button.click()
    assert store.is_empty()


def test_a_tapped_in_export_goes_back_in_whole(view, store, tmp_path):
    source = Store(tmp_path / "source.db")
    load_demo(source)
    data = exchange.export_bytes(source)
    upload(view, "tappedin-export.zip", data)
    total = sum(source.count(k) for k in DATA_TABLES)
    assert view.import_button.description == f"Import {total} rows"
    assert view.dropdowns == {} and view.mapping_box.children == ()
    view.import_button.click()
    for kind in DATA_TABLES:
        assert store.count(kind) == source.count(kind), kind
    assert view.progress.value == view.progress.max
    source.close()


def test_an_unexpected_error_during_import_is_a_calm_message(view, store, monkeypatch):
    upload(view, "huntr.csv", TRACKER)

    def boom(*_a, **_k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(exchange, "import_file", boom)
    view.import_button.click()
    assert "Sorry, that didn't work" in view.result.text and "kaboom" not in view.result.text
    assert store.is_empty()


def test_backup_button_copies_the_database(view, store, app_id):
    view.backup_button.click()
    assert "Backed up to" in view.status.text
    assert len(exchange.backups(store)) == 1


def test_an_unmapped_column_shows_dont_import_as_chosen_not_a_blank_box(view):
    upload(view, "huntr.csv", TRACKER)
    salary = view.dropdowns["Salary"]
    assert salary.value is None and salary.index == 0 and salary.label == "(don't import)"
    view.set_mapping("Salary", "notes")
    view.set_mapping("Salary", None)  # back to "don't import": still shown as chosen
    assert salary.index == 0 and salary.label == "(don't import)"
    assert all(dd.index is not None for dd in view.dropdowns.values())


def test_the_export_link_and_its_message_go_when_the_data_changes(view, workbook, store):
    load_demo(store)
    view.export_button.click()
    assert view.download.value and "ready" in view.status.text
    store.add("applications", company="Initech", role="Analyst")
    workbook.changed("applications")  # the zip no longer holds everything
    assert view.download.value == "" and view.status.text == ""


def test_a_file_that_is_not_really_excel_says_an_excel(view, store):
    upload(view, "fake.xlsx", b"Company,Role\nA,B\n")
    assert "is not an Excel (.xlsx) file" in view.status.text
    assert store.is_empty()


def _log_acme(store):
    """The first row of TRACKER, logged by hand meanwhile (the import would skip it now)."""
    store.add("applications", company="Acme", role="Analyst", stage="applied",
              outcome="rejected", applied_on=dt.date(2026, 3, 2))


def test_a_preview_is_out_of_date_once_the_data_changes(view, workbook, store):
    upload(view, "huntr.csv", TRACKER)
    assert view.import_button.description == "Import 2 rows" and view.stale.text == ""
    assert view.again_button.layout.display == "none"
    _log_acme(store)
    workbook.changed("applications")  # logged in another tab of the app
    assert "changed since this preview" in view.stale.text
    assert "Preview again" in view.stale.text
    assert view.import_button.disabled and view.again_button.layout.display == ""
    view.import_button.click()  # nothing acts on the outdated preview
    assert store.count("applications") == 1
    assert "Preview the file again first" in view.result.text

    view.again_button.click()
    assert view.stale.text == "" and view.again_button.layout.display == "none"
    assert view.import_button.description == "Import 1 row"
    view.import_button.click()
    assert sorted(store.table("applications")["company"]) == ["Acme", "Globex"]


def test_an_import_checks_the_preview_against_the_data_as_it_is_now(view, workbook, store):
    upload(view, "huntr.csv", TRACKER)
    _log_acme(store)  # in another window: this view hears nothing of it
    view.import_button.click()
    assert store.count("applications") == 1  # nothing imported
    assert "Nothing was imported: the preview was out of date" in view.result.text
    assert "another window" in view.stale.text and view.import_button.disabled
    view.again_button.click()
    view.import_button.click()
    assert sorted(store.table("applications")["company"]) == ["Acme", "Globex"]
    assert "Imported 1 application" in view.result.text
    # its own change leaves no preview outdated behind
    assert view.stale.text == "" and view.again_button.layout.display == "none"
