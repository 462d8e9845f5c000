"""Export, import and backups, with real files in tmp_path and a real store."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import sqlite3
import zipfile

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from tappedin_widgets import exchange, staging
from tappedin_widgets.demo import load_demo
from tappedin_widgets.exchange import ExchangeError, MappingError, guess_mapping, import_file
from tappedin_widgets.exchange import export as exchange_export
from tappedin_widgets.models import THEME_IDS
from tappedin_widgets.store import DATA_TABLES, SCHEMA_VERSION, Store

STAMPS = ["created_at", "updated_at"]


@pytest.fixture
def demo(store):
    load_demo(store)
    # Exercise the theme table too: a theme of the user's own and a renamed one.
    store.add_theme("Portfolio", "Work samples", ["portfolio", "case study"])
    store.rename_theme("communication", "Talking")
    store.add_theme("Work samples")
    store.merge_themes("work_samples", "portfolio")  # a merged theme travels too
    fid = int(store.table("feedback").iloc[0]["id"])
    store.add("feedback_tags", feedback_id=fid, theme="portfolio", polarity="-")
    return store


@pytest.fixture
def other(tmp_path):
    (tmp_path / "other").mkdir()  # only the default data folder is made for a store
    s = Store(tmp_path / "other" / "other.db")
    yield s
    s.close()


def frames(store, *, stamps=False):
    """Every table, without the created/updated stamps (an import sets its own)."""
    out = {}
    for kind in DATA_TABLES:
        frame = store.table(kind)
        out[kind] = frame if stamps else frame.drop(columns=STAMPS)
    return out


def assert_same_data(a, b):
    for kind in DATA_TABLES:
        pd.testing.assert_frame_equal(a[kind], b[kind], obj=kind)


def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


TRACKER_CSV = """Employer,Position Title,Where,Applied,Stage,Posting URL,Comments,Salary
Acme,Data Analyst,"Berlin, DE",03/14/2026,Rejected,https://acme.example/jobs/1,"Nice team
two lines",80k
Globex,Analyst,Remote,03/20/2026,Interviewing,,,
Initech,BI Developer,,2026-04-01,Offer,,,
Umbrella,Scientist,,04/02/2026,Bookmarked,,,
Hooli,Product Manager,,04/03/2026,Wat,,,
"""

# --------------------------------------------------------------------------
# Export


def test_export_zip_holds_a_csv_per_table_a_workbook_and_json(demo, tmp_path):
    path = exchange.export_zip(demo, tmp_path / "out.zip")
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert names == {f"{k}.csv" for k in DATA_TABLES} | {"tappedin.xlsx", "tappedin.json"}
        data = json.loads(zf.read("tappedin.json").decode("utf-8"))
        apps_csv = zf.read("applications.csv").decode("utf-8")
        book = openpyxl.load_workbook(zf.open("tappedin.xlsx"), read_only=True)
        assert set(DATA_TABLES) <= set(book.sheetnames)
    assert data["schema_version"] == SCHEMA_VERSION
    dt.datetime.fromisoformat(data["exported_at"])
    assert len(data["tables"]["applications"]) == demo.count("applications")
    first = data["tables"]["applications"][0]
    assert first["id"] == 1 and dt.date.fromisoformat(first["applied_on"])
    assert apps_csv.splitlines()[0].startswith("id,company,role,")
    assert f",{first['applied_on']}," in apps_csv  # ISO dates


def test_an_export_of_an_empty_store_has_headers_only(store, tmp_path):
    path = exchange.export_zip(store, tmp_path / "empty.zip")
    with zipfile.ZipFile(path) as zf:
        assert zf.read("contacts.csv").decode().strip() == \
            "id,application_id,name,title,email,part,created_at,updated_at"


def test_spreadsheet_cells_that_look_like_formulas_stay_text(store, tmp_path):
    store.add("applications", company="=HYPERLINK(\"http://x\")", role="+1 Analyst")
    path = exchange.export_xlsx(store, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    cell = book["applications"]["B2"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


FORMULAS = {"company": '=HYPERLINK("http://evil.example","Acme")', "role": "+1 Analyst",
            "location": "'-already quoted", "notes": "@SUM(A1:A9)\n- first\n=second"}


def _csv_only(full, slim):
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(slim, "w") as dst:
        for name in src.namelist():
            if name.endswith(".csv"):
                dst.writestr(name, src.read(name))
    return slim


def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote(store, other, tmp_path):
    store.add("applications", **FORMULAS)
    store.add("applications", company="Plain Co", role="Analyst", notes="a - b = c")
    full = exchange.export_zip(store, tmp_path / "out.zip")
    with zipfile.ZipFile(full) as zf:
        text = zf.read("applications.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for field, value in FORMULAS.items():  # OWASP: a ' before = + - @ tab and CR
        assert rows[0][field] == "'" + value
    assert rows[1]["company"] == "Plain Co" and rows[1]["notes"] == "a - b = c"
    # The round trip gives back the text, from the CSV files alone too.
    import_file(other, _csv_only(full, tmp_path / "csv-only.zip"))
    assert_same_data(frames(store), frames(other))


def test_our_applications_csv_on_its_own_imports_with_the_original_text(store, other,
                                                                         tmp_path):
    store.add("applications", **FORMULAS)
    with zipfile.ZipFile(exchange.export_zip(store, tmp_path / "out.zip")) as zf:
        path = tmp_path / "applications.csv"
        path.write_bytes(zf.read("applications.csv"))
    report = import_file(other, path)
    assert report.applied, (report.summary(), report.rejected)
    got = other.get("applications", 1)
    assert {f: got[f] for f in FORMULAS} == FORMULAS


def test_a_failed_export_leaves_no_half_file(demo, tmp_path, monkeypatch):
    def boom(_data):
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(exchange_export, "_xlsx_bytes", boom)
    with pytest.raises(RuntimeError):
        exchange.export_zip(demo, tmp_path / "out.zip")
    assert list(tmp_path.glob("out.zip*")) == [] and list(tmp_path.glob(".out.zip*")) == []


def test_an_export_over_an_old_file_replaces_it_whole(demo, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    exchange.export_json(demo, target)
    assert json.loads(target.read_text())["format"] == exchange.FORMAT


# --------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("kind", ["zip", "json", "xlsx"])
def test_export_then_import_into_an_empty_store_gives_identical_data(demo, other, tmp_path,
                                                                    kind):
    path = getattr(exchange, f"export_{kind}")(demo, tmp_path / f"out.{kind}")
    report = import_file(other, path)
    assert report.applied and not report.rejected and not report.warnings
    # Same rows, same values, same ids; created_at/updated_at are set by the import.
    assert_same_data(frames(demo), frames(other))
    pd.testing.assert_frame_equal(other.themes(include_merged=True),
                                  demo.themes(include_merged=True))


def test_a_zip_of_csv_files_alone_imports_too(demo, other, tmp_path):
    full = exchange.export_zip(demo, tmp_path / "out.zip")
    import_file(other, _csv_only(full, tmp_path / "csv-only.zip"))
    assert_same_data(frames(demo), frames(other))


def test_ids_with_gaps_are_renumbered_and_every_reference_follows(demo, other, tmp_path):
    apps = demo.table("applications")
    for app_id in apps["id"].iloc[[0, 3, 4]]:
        demo.delete("applications", int(app_id))
    path = exchange.export_json(demo, tmp_path / "gaps.json")
    import_file(other, path)
    a, b = frames(demo), frames(other)
    for kind in DATA_TABLES:
        assert len(a[kind]) == len(b[kind]), kind
    # Same content once ids are replaced by what they point at.
    old_apps = a["applications"].set_index("id")["company"]
    new_apps = b["applications"].set_index("id")["company"]
    assert list(a["contacts"]["application_id"].map(old_apps)) == \
        list(b["contacts"]["application_id"].map(new_apps))
    old_contacts = a["contacts"].set_index("id")["name"]
    new_contacts = b["contacts"].set_index("id")["name"]
    assert list(a["feedback"]["contact_id"].map(old_contacts)) == \
        list(b["feedback"]["contact_id"].map(new_contacts))
    cols = [c for c in a["feedback"].columns if c not in ("id", "application_id", "contact_id")]
    pd.testing.assert_frame_equal(a["feedback"][cols], b["feedback"][cols])


def test_importing_the_same_export_again_adds_nothing_and_warns(demo, tmp_path):
    path = exchange.export_zip(demo, tmp_path / "out.zip")
    before = frames(demo, stamps=True)
    report = import_file(demo, path)
    assert not report.applied and report.total_to_add == 0
    assert report.skipped["applications"] == demo.count("applications")
    assert any("already in your workbook" in w for w in report.warnings)
    assert_same_data(before, frames(demo, stamps=True))


def test_an_import_into_a_store_with_data_appends_with_new_ids(demo, other, tmp_path):
    mine = other.add("applications", company="Mine Inc", role="Analyst")
    path = exchange.export_json(demo, tmp_path / "out.json")
    report = import_file(other, path)
    assert report.applied
    apps = other.table("applications")
    assert len(apps) == demo.count("applications") + 1
    assert apps.iloc[0]["id"] == mine and apps.iloc[0]["company"] == "Mine Inc"
    northwind = int(apps[apps["company"] == "Northwind Outfitters"]["id"].iloc[0])
    old = int(demo.table("applications").query("company == 'Northwind Outfitters'")["id"].iloc[0])
    assert northwind == old + 1
    names = lambda s, i: set(s.table("contacts", application_id=i)["name"])  # noqa: E731
    assert names(other, northwind) == names(demo, old)


# --------------------------------------------------------------------------
# Dry run, rejected rows, confirmation


def test_a_dry_run_reports_and_writes_nothing(demo, other, tmp_path):
    path = exchange.export_zip(demo, tmp_path / "out.zip")
    report = import_file(other, path, dry_run=True)
    assert report.dry_run and not report.applied
    assert report.rows_to_add["applications"] == demo.count("applications")
    assert report.rows_to_add["feedback_tags"] == demo.count("feedback_tags")
    assert other.is_empty() and other.count("custom_themes") == 0
    assert not (other.path.parent / "backups").exists()


def _edited_export(demo, tmp_path):
    data = exchange.export_data(demo)
    apps = data["tables"]["applications"]
    apps[1]["applied_on"] = "2026-02-30"          # not a real date
    apps[2]["outcome"] = "ghosted"                # not a choice
    bad_ids = {apps[1]["id"], apps[2]["id"]}
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, bad_ids, data


def test_bad_rows_are_rejected_with_reasons_and_nothing_written_without_confirmation(
        demo, other, tmp_path):
    path, bad_ids, data = _edited_export(demo, tmp_path)
    report = import_file(other, path)
    assert not report.applied and other.is_empty()
    apps = [r for r in report.rejected if r.table == "applications"]
    assert [(r.row, r.reason) for r in apps] == [
        (2, "Applied on: '2026-02-30' is not a real date; use the form 2026-03-14."),
        (3, "Outcome must be one of: open, rejected, withdrawn, offer, accepted (got 'ghosted')."),
    ]
    # What hangs off a rejected application is rejected too, saying why.
    children = [r for r in report.rejected if r.table == "contacts"]
    expected = sum(1 for c in data["tables"]["contacts"] if c["application_id"] in bad_ids)
    assert len(children) == expected > 0
    assert children[0].reason == "Its application (row 2) can't be imported."
    assert "can't be imported" in report.summary()


def test_confirming_imports_the_valid_rows_only(demo, other, tmp_path):
    path, bad_ids, data = _edited_export(demo, tmp_path)
    report = import_file(other, path, skip_invalid=True)
    assert report.applied
    assert other.count("applications") == demo.count("applications") - 2
    apps = other.table("applications")
    assert sorted(zip(apps["company"], apps["role"], strict=False)) == sorted(
        (a["company"], a["role"]) for a in data["tables"]["applications"]
        if a["id"] not in bad_ids)
    assert report.rejected and report.added["applications"] == len(apps)


def test_a_reference_to_a_record_missing_from_the_file_is_rejected(demo, other, tmp_path):
    data = exchange.export_data(demo)
    data["tables"]["contacts"][0]["application_id"] = 9999
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    report = import_file(other, path, dry_run=True)
    assert report.rejected[0].table == "contacts"
    assert "number 9999" in report.rejected[0].reason


def test_an_import_that_fails_midway_writes_nothing(demo, other, tmp_path, monkeypatch):
    path = exchange.export_json(demo, tmp_path / "out.json")
    real = staging.publish

    def flaky(conn, table, tops):  # applications and contacts are in by then
        if table.name == "follow_ups":
            raise sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O"))
        return real(conn, table, tops)

    monkeypatch.setattr(staging, "publish", flaky)
    with pytest.raises(ExchangeError, match="Nothing was imported.*disk I/O"):
        import_file(other, path)
    assert other.is_empty() and other.count("contacts") == 0


def test_progress_is_reported_up_to_the_total(demo, other, tmp_path):
    path = exchange.export_zip(demo, tmp_path / "out.zip")
    calls = []
    import_file(other, path, progress=lambda done, total: calls.append((done, total)))
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)
    assert calls[-1][0] == calls[-1][1] > 0


def _while_writing(report_total, action):
    """A progress callback that runs ``action`` once, while the import writes."""
    done_actions = []

    def progress(done, total):
        if total > report_total and done > report_total and not done_actions:
            done_actions.append(action())
    return progress, done_actions


TWO_APPS_CSV = "Company,Role,Applied\nAcme,Analyst,2026-03-01\nGlobex,Dev,2026-03-02\n"


@pytest.mark.sqlite_only
def test_another_window_can_save_while_an_import_writes(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", TWO_APPS_CSV)

    def save_elsewhere():
        probe = sqlite3.connect(store.path, timeout=1)  # "database is locked" after 1 s
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
        finally:
            probe.close()
        with Store(store.path) as window:
            return window.add("applications", company="Initech", role="Saved meanwhile")

    progress, saved = _while_writing(2, save_elsewhere)
    report = import_file(store, path, progress=progress)
    assert saved and report.applied and report.added == {"applications": 2}
    apps = store.table("applications")
    assert sorted(apps["company"]) == ["Acme", "Globex", "Initech"]
    assert apps["id"].is_unique


def test_a_clash_saved_while_an_import_writes_stops_it_and_nothing_is_added(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", TWO_APPS_CSV)

    def clash():
        with Store(store.url) as window:
            return window.add("applications", company="GLOBEX", role="dev",
                              applied_on="2026-03-02")

    progress, saved = _while_writing(2, clash)
    with pytest.raises(ExchangeError, match="row 3 of the file clashes with an application "
                                            "saved in another window"):
        import_file(store, path, progress=progress)
    assert saved and list(store.table("applications")["company"]) == ["GLOBEX"]


def test_a_theme_merged_while_an_import_writes_its_tags_stops_it(demo, other, tmp_path):
    path = exchange.export_json(demo, tmp_path / "out.json")
    total = sum(len(v) for v in exchange.export_data(demo)["tables"].values())
    used = list(demo.tags()["theme"].unique())
    assert used[0] in THEME_IDS and used[1] in THEME_IDS  # built-in: in any store

    def merge():
        with Store(other.url) as window:
            return window.merge_themes(used[0], used[1])

    progress, merged = _while_writing(total, merge)
    with pytest.raises(ExchangeError, match="themes changed in another window"):
        import_file(other, path, progress=progress)
    assert merged and other.is_empty() and other.count("feedback_tags") == 0


# --------------------------------------------------------------------------
# Spreadsheets from other trackers


def test_guess_mapping_ignores_case_spacing_and_punctuation():
    assert guess_mapping(["COMPANY ", "job_title", "Date-Applied", "status", "URL", "notes",
                          "Excitement"]) == {
        "COMPANY ": "company", "job_title": "role", "Date-Applied": "applied_on",
        "status": "status", "URL": "job_link", "notes": "notes"}
    assert guess_mapping(["Company", "Position", "Location", "Date Applied", "Status",
                          "Job URL"])["Position"] == "role"


@pytest.mark.parametrize("text, expected", [
    ("Rejected", (None, "rejected")),
    ("Interviewing", ("interview", None)),
    ("Phone screen", ("screen", None)),
    ("Applied", ("applied", None)),
    ("Final Round", ("final round", None)),
    ("Offer", ("offer", "offer")),
    ("Offer accepted", ("offer", "accepted")),
    ("Offer declined", ("offer", "withdrawn")),
    ("Withdrew", (None, "withdrawn")),
    ("Rejected after final round", ("final round", "rejected")),
    ("", (None, None)),
])
def test_status_words_map_to_stage_and_outcome(text, expected):
    assert exchange.read_status(text) == expected


def test_a_tracker_csv_maps_through_the_guess_and_the_persons_choices(store, tmp_path):
    path = write_csv(tmp_path / "huntr.csv", TRACKER_CSV)
    report = import_file(store, path, dry_run=True)
    assert report.kind == "tracker"
    assert report.mapping == {"Employer": "company", "Position Title": "role",
                              "Where": "location", "Applied": "applied_on", "Stage": "status",
                              "Posting URL": "job_link", "Comments": "notes", "Salary": None}
    assert report.rows_to_add == {"applications": 3}
    assert [(r.row, r.reason.split(";")[0]) for r in report.rejected] == [
        (5, "Status 'Bookmarked' means you haven't applied yet"),
        (6, "Status 'Wat' is not one TAPPED IN knows. Use one of: Applied, Screen, "
            "Interviewing, Final round, Offer, Accepted, Rejected, Withdrawn.")]
    assert store.is_empty()

    report = import_file(store, path, mapping={"Salary": "notes"},
                         skip_invalid=True)
    assert report.applied and report.added == {"applications": 3}
    apps = store.table("applications").set_index("company")
    acme = apps.loc["Acme"]
    assert (acme["role"], acme["location"], acme["stage"], acme["outcome"]) == \
        ("Data Analyst", "Berlin, DE", "applied", "rejected")
    assert acme["applied_on"] == pd.Timestamp("2026-03-14")
    assert acme["notes"] == "Nice team\ntwo lines\nSalary: 80k"
    assert acme["job_link"] == "https://acme.example/jobs/1"
    assert (apps.loc["Globex", "stage"], apps.loc["Globex", "outcome"]) == ("interview", "open")
    assert (apps.loc["Initech", "stage"], apps.loc["Initech", "outcome"]) == ("offer", "offer")


def test_a_tracker_row_already_logged_is_skipped_and_a_clash_is_rejected(store, tmp_path):
    store.add("applications", company="Globex", role="Analyst", location="Remote",
              applied_on="2026-03-20", stage="interview")
    store.add("applications", company="acme", role="data analyst", applied_on="2026-03-14")
    report = import_file(store, write_csv(tmp_path / "t.csv", TRACKER_CSV), dry_run=True)
    assert report.skipped == {"applications": 1}
    clash = [r for r in report.rejected if r.row == 2]  # Acme, with another outcome
    assert clash and "already logged this role" in clash[0].reason


def test_day_first_dates_are_recognised(store, tmp_path):
    path = write_csv(tmp_path / "eu.csv", "Company;Role;Date applied\nA;X;25/03/2026\n"
                                           "B;Y;02/04/2026\n")
    import_file(store, path)
    assert list(store.table("applications")["applied_on"].dt.date) == \
        [dt.date(2026, 3, 25), dt.date(2026, 4, 2)]


def test_a_tracker_xlsx_with_real_date_cells(store, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Company", "Job Title", "Date Applied", "Status"])
    sheet.append(["Acme", "Analyst", dt.datetime(2026, 3, 2), "Applied"])
    sheet.append(["Globex", "Engineer", dt.datetime(2026, 3, 5), "Rejected"])
    book.save(tmp_path / "teal.xlsx")
    report = import_file(store, tmp_path / "teal.xlsx")
    assert report.applied and report.kind == "tracker"
    assert list(store.table("applications")["outcome"]) == ["open", "rejected"]


def test_columns_with_no_company_or_title_raise_a_mapping_error(store, tmp_path):
    path = write_csv(tmp_path / "odd.csv", "Firma,Stelle,Status\nA,B,Applied\n")
    with pytest.raises(MappingError) as info:
        import_file(store, path)
    assert "company" in str(info.value) and info.value.columns == ["Firma", "Stelle", "Status"]
    report = import_file(store, path, mapping={"Firma": "company", "Stelle": "role"})
    assert report.applied and store.count("applications") == 1


def test_two_columns_for_one_field_is_a_mapping_error(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", TRACKER_CSV)
    with pytest.raises(MappingError, match="choose one"):
        import_file(store, path, mapping={"Where": "company"})


# --------------------------------------------------------------------------
# Files that are not what they claim


def _big(path):
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return path


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "empty"),
    ("blank.csv", b"  \n\n", "empty"),
    ("junk.bin", bytes(range(256)) * 40, "binary"),
    ("junk.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary"),
    ("fake.zip", b"this is not a zip", "not a zip"),
    ("fake.xlsx", b"Company,Role\nA,B\n", "is not an Excel (.xlsx) file"),
    ("broken.json", b'{"format": "tappedin-export", "tables": {', "not valid JSON"),
    ("other.json", b'{"hello": "world"}', "not a TAPPED IN export"),
    ("one-column.csv", b"Hello\nworld\n", "single column"),
    ("words.csv", b"Foo,Bar\n1,2\n", "doesn't look like a list of applications"),
])
def test_malformed_files_raise_a_clear_exchange_error_and_write_nothing(
        store, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExchangeError) as info:
        import_file(store, path)
    assert message.lower() in str(info.value).lower()
    assert name in str(info.value) or message == "binary"
    assert store.is_empty() and not (tmp_path / "backups").exists()


def test_a_50_mb_file_is_refused_before_reading(store, tmp_path):
    with pytest.raises(ExchangeError, match="50 MB"):
        import_file(store, _big(tmp_path / "huge.csv"))


def test_a_zip_that_is_not_an_export_is_refused(store, tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("cat.jpg", b"\xff\xd8\xff")
    with pytest.raises(ExchangeError, match="not a TAPPED IN export"):
        import_file(store, path)


def test_an_export_from_a_newer_version_is_refused(demo, other, tmp_path):
    data = exchange.export_data(demo)
    data["schema_version"] = SCHEMA_VERSION + 1
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ExchangeError, match="newer TAPPED IN"):
        import_file(other, path)
    assert other.is_empty()


# --------------------------------------------------------------------------
# Backups


def _touch_backups(folder, names):
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes(b"x")


def test_prune_keeps_the_five_newest_automatic_backups(tmp_path):
    folder = tmp_path / "backups"
    auto = [f"tappedin-before-import-2026010{i}-120000-000000.db" for i in range(1, 9)]
    _touch_backups(folder, auto + ["tappedin-manual-20250101-000000-000000.db"])
    removed = exchange.prune_backups(folder, keep=5)
    assert sorted(p.name for p in removed) == auto[:3]
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(auto[3:] + ["tappedin-manual-20250101-000000-000000.db"])


@pytest.mark.sqlite_only
def test_an_import_backs_up_first_and_keeps_five_automatic_backups(store, tmp_path):
    folder = store.path.parent / "backups"
    _touch_backups(folder, [f"tappedin-before-import-2020010{i}-000000-000000.db"
                            for i in range(1, 7)])
    store.add("applications", company="Before", role="Import")
    report = import_file(store, write_csv(tmp_path / "t.csv", "Company,Role\nAcme,Analyst\n"))
    assert report.backup is not None and report.backup.parent == folder
    with Store(report.backup) as copy:  # the backup holds the data from before the import
        assert list(copy.table("applications")["company"]) == ["Before"]
    autos = sorted(folder.glob("*-before-*"))
    assert len(autos) == 5 and report.backup in autos


@pytest.mark.sqlite_only
def test_backup_and_restore_round_trip(demo, tmp_path):
    before = frames(demo, stamps=True)
    copy = exchange.backup(demo, tmp_path / "copy.db")
    demo.wipe()
    demo.add("applications", company="After", role="Backup")
    safety = exchange.restore(demo.path, copy)
    assert_same_data(before, frames(demo, stamps=True))  # the running store sees it
    with Store(safety) as old:
        assert list(old.table("applications")["company"]) == ["After"]


@pytest.mark.sqlite_only
def test_backup_without_a_destination_goes_to_the_backups_folder(store, app_id):
    path = exchange.backup(store)
    assert path.parent == store.path.parent / "backups" and "-manual-" in path.name
    assert exchange.backups(store) == [path]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("content", [b"not a database at all", b""])
def test_restore_refuses_a_file_that_is_not_a_tapped_in_database(store, app_id, tmp_path,
                                                                 content):
    junk = tmp_path / "junk.db"
    junk.write_bytes(content)
    before = frames(store, stamps=True)
    with pytest.raises(ExchangeError, match="can't be restored"):
        exchange.restore(store.path, junk)
    assert_same_data(before, frames(store, stamps=True))
    assert not (store.path.parent / "backups").exists()


@pytest.mark.sqlite_only
def test_restore_refuses_another_sqlite_database(store, app_id, tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(ExchangeError, match="not a TAPPED IN database"):
        exchange.restore(store.path, other)
    assert store.count("applications") == 1


@pytest.mark.sqlite_only
def test_restore_refuses_a_backup_from_a_newer_version(store, app_id, tmp_path):
    newer = exchange.backup(store, tmp_path / "newer.db")
    con = sqlite3.connect(newer)
    con.execute("INSERT INTO schema_version VALUES (?, 'future', '2030-01-01 00:00:00')",
                (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    store.add("applications", company="Still", role="Here")
    with pytest.raises(ExchangeError, match="newer TAPPED IN"):
        exchange.restore(store.path, newer)
    assert store.count("applications") == 2


def test_a_stage_column_beside_a_status_column_gives_stage_and_outcome(store, tmp_path):
    assert guess_mapping(["Company", "Role", "Stage", "Status"])["Status"] == "outcome"
    path = write_csv(tmp_path / "t.csv", "Company,Role,Stage,Status\nA,B,Final round,Rejected\n")
    import_file(store, path)
    app = store.table("applications").iloc[0]
    assert (app["stage"], app["outcome"]) == ("final round", "rejected")


def test_references_and_rules_of_the_store_are_checked_before_writing(demo, tmp_path):
    """Each clash the store would refuse is a rejected row, not a failed import."""
    data = exchange.export_data(demo)
    t = data["tables"]
    question = t["interview_questions"][0]["question"]
    t["applications"] = [dict(t["applications"][0], company="Brand New Co")]
    app = t["applications"][0]["id"]
    t["contacts"] = [c for c in t["contacts"] if c["application_id"] == app][:1]
    t["feedback"] = [dict(t["feedback"][0], application_id=app, contact_id=9_000)]
    t["feedback_tags"] = [dict(t["feedback_tags"][0], feedback_id=t["feedback"][0]["id"],
                               theme="no_such_theme")]
    t["interview_questions"] = [dict(t["interview_questions"][0], application_id=app)]
    for kind in ("follow_ups", "reflections", "job_items", "must_have_checks",
                 "action_items", "must_haves", "custom_themes"):
        t[kind] = []
    path = tmp_path / "clashes.json"
    path.write_text(json.dumps(data))
    report = import_file(demo, path, dry_run=True)
    reasons = {r.table: r.reason for r in report.rejected}
    assert "number 9000" in reasons["feedback"]
    assert reasons["feedback_tags"] == "Its feedback (row 1) can't be imported."
    assert reasons["interview_questions"].startswith("That question is already on your list")
    assert report.rows_to_add == {"applications": 1, "contacts": 1}
    assert question in set(demo.table("interview_questions")["question"])


def test_a_tag_naming_an_unknown_theme_is_rejected(demo, other, tmp_path):
    data = exchange.export_data(demo)
    data["tables"]["feedback_tags"][0]["theme"] = "no_such_theme"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    report = import_file(other, path, dry_run=True)
    assert [(r.table, r.row) for r in report.rejected] == [("feedback_tags", 1)]
    assert "'no_such_theme' is not one of your feedback themes" in report.rejected[0].reason


def test_a_note_to_a_contact_of_another_application_is_rejected(demo, other, tmp_path):
    data = exchange.export_data(demo)
    note = data["tables"]["follow_ups"][0]
    stranger = next(c for c in data["tables"]["contacts"]
                    if c["application_id"] != note["application_id"])
    note["contact_id"] = stranger["id"]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    report = import_file(other, path, dry_run=True)
    assert [r.reason for r in report.rejected] == [
        "The contact it names belongs to another application."]


# --------------------------------------------------------------------------
# Spreadsheets as other programs write them


@pytest.mark.parametrize("encoding, sep, ext", [
    ("utf-16", "\t", ".txt"),        # Excel's "Unicode Text": BOM, little-endian, tabs
    ("utf-16-be", "\t", ".csv"),
    ("utf-8-sig", ",", ".csv"),      # Excel's "CSV UTF-8": a BOM before the header
])
def test_utf16_and_utf8_with_bom_spreadsheets_are_read(store, tmp_path, encoding, sep, ext):
    text = sep.join(["Company", "Job Title", "Date Applied"]) + "\r\n" + \
        sep.join(["Zürich Versicherung", "Analystin", "2026-03-14"]) + "\r\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / f"tracker{ext}"
    path.write_bytes(data)
    report = import_file(store, path)
    assert report.applied and report.mapping["Company"] == "company"
    row = store.get("applications", int(store.table("applications")["id"].iloc[0]))
    assert (row["company"], row["role"], row["applied_on"]) == \
        ("Zürich Versicherung", "Analystin", dt.date(2026, 3, 14))


def test_a_job_link_that_is_not_a_web_address_is_kept_as_text(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", "Company,Role,Link\n"
                     "Acme,Analyst,see email from Jo\nGlobex,Dev,https://globex.example/1\n")
    report = import_file(store, path)
    assert report.applied and not report.rejected
    apps = store.table("applications").set_index("company")
    assert pd.isna(apps.loc["Acme", "job_link"])
    assert apps.loc["Acme", "notes"] == "Link: see email from Jo"
    assert apps.loc["Globex", "job_link"] == "https://globex.example/1"


def test_a_merged_cell_counts_for_every_row_it_covers(store, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Company", "Role", "Notes"])
    ws.append(["Acme", "Analyst", "spans two rows"])
    ws.append([None, "Engineer", None])
    ws.append(["Globex", "Dev", "own row"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("C2:C3")
    book.save(tmp_path / "merged.xlsx")
    report = import_file(store, tmp_path / "merged.xlsx")
    assert report.applied and not report.rejected, report.rejected
    apps = store.table("applications")
    assert list(zip(apps["company"], apps["role"], apps["notes"], strict=False)) == [
        ("Acme", "Analyst", "spans two rows"), ("Acme", "Engineer", "spans two rows"),
        ("Globex", "Dev", "own row")]


def test_a_formula_with_no_saved_result_is_refused_naming_its_cell(store, tmp_path):
    book = openpyxl.Workbook()  # openpyxl saves formulas without results, as scripts do
    ws = book.active
    ws.append(["Company", "Role"])
    ws.append(['="Ac"&"me"', "Analyst"])
    ws.append(["Globex", "Dev"])
    book.save(tmp_path / "formulas.xlsx")
    report = import_file(store, tmp_path / "formulas.xlsx", dry_run=True)
    assert [(r.row, r.reason[:60]) for r in report.rejected] == [
        (2, 'Cell A2 holds a formula (="Ac"&"me") whose result was never ')]
    assert "save it again" in report.rejected[0].reason
    assert report.rows_to_add == {"applications": 1}
