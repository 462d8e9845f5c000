"""The store's file: complete on its own after a clean stop, never in a made-up folder,
and readable (not writable) when it is read-only."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_cli import run

from tappedin_widgets import locations
from tappedin_widgets.models import StoreError
from tappedin_widgets.store import Store


def _copy_db_alone(db: Path, dest_dir: Path) -> Path:
    """Copy just the .db file, as someone backing up "a file" would."""
    dest_dir.mkdir()
    return Path(shutil.copy(db, dest_dir / db.name))


def _companies(db: Path) -> set[str]:
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT company FROM applications")}
    finally:
        con.close()


@pytest.fixture
def other_window(db_path):
    """Another program holding the database open (the app, say): no last-close checkpoint."""
    s = Store(db_path)
    s.close()
    con = sqlite3.connect(db_path)
    con.execute("SELECT count(*) FROM applications").fetchone()
    yield con
    con.close()


# --------------------------------------------------------------------------
# The .db file alone holds everything


def test_a_closed_store_leaves_everything_in_the_db_file(db_path, other_window, tmp_path):
    s = Store(db_path)
    s.add("applications", company="Acme", role="Analyst")
    s.close()
    assert _companies(_copy_db_alone(db_path, tmp_path / "copy")) == {"Acme"}


def test_a_process_that_stops_without_closing_its_store_leaves_the_db_complete(
        db_path, other_window, tmp_path):
    # a kernel told to shut down ends like this: the interpreter exits normally
    script = textwrap.dedent("""
        from tappedin_widgets.views.common import Workbook
        Workbook().store.add("applications", company="Globex", role="Engineer")
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120,
                   env=dict(os.environ, TAPPEDIN_DB=str(db_path)))
    assert _companies(_copy_db_alone(db_path, tmp_path / "copy")) == {"Globex"}


def test_backup_leaves_the_db_file_complete_before_it_returns(db_path, other_window, tmp_path):
    with sqlite3.connect(db_path) as con:  # a write the app made, still in the log
        con.execute("INSERT INTO applications (company, role, source, stage, outcome, "
                    "created_at, updated_at) VALUES ('Initech', 'Analyst', 'other', "
                    "'applied', 'open', '2026-03-01', '2026-03-01')")
    assert (db_path.with_name(db_path.name + "-wal")).stat().st_size > 0
    result = run("backup", str(tmp_path / "b.db"), env_db=db_path)
    assert result.returncode == 0, result.stderr
    assert _companies(_copy_db_alone(db_path, tmp_path / "copy")) == {"Initech"}
    assert _companies(tmp_path / "b.db") == {"Initech"}


# --------------------------------------------------------------------------
# No folders made up on the way


def test_a_store_in_a_folder_that_does_not_exist_is_refused_and_nothing_is_made(tmp_path):
    typo = tmp_path / "Documnets" / "jobs" / "tappedin.db"
    with pytest.raises(StoreError, match="does not exist"):
        Store(typo)
    assert not (tmp_path / "Documnets").exists()


def test_commands_on_a_mistyped_folder_say_so_and_create_nothing(tmp_path):
    typo = tmp_path / "Documnets" / "tappedin.db"
    for args in (["demo"], ["export", str(tmp_path / "out.zip")], ["backup"]):
        result = run(*args, env_db=typo)
        assert result.returncode == 2, (args, result.stderr)
        assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "Documnets").exists()
    assert not (tmp_path / "out.zip").exists()


def test_restore_into_a_mistyped_folder_is_refused_and_makes_nothing(tmp_path):
    good = tmp_path / "mine.db"
    assert run("demo", env_db=good).returncode == 0
    assert run("backup", str(tmp_path / "copy.db"), env_db=good).returncode == 0
    result = run("restore", str(tmp_path / "copy.db"), "--yes",
                 env_db=tmp_path / "Documnets" / "tappedin.db")
    assert result.returncode == 2 and "does not exist" in result.stderr, result.stderr
    assert not (tmp_path / "Documnets").exists()


def test_export_of_a_store_that_does_not_exist_writes_nothing(tmp_path):
    missing = tmp_path / "never-made.db"
    result = run("export", str(tmp_path / "out.json"), env_db=missing)
    assert result.returncode == 2
    assert "no workbook at" in result.stderr
    assert not (tmp_path / "out.json").exists() and not missing.exists()


def test_the_default_data_folder_is_still_made_when_missing(tmp_path, monkeypatch):
    home = tmp_path / "share" / "tappedin" / "tappedin.db"
    monkeypatch.delenv("TAPPEDIN_DB", raising=False)
    monkeypatch.setattr(locations, "default_location", lambda: str(home))
    with Store() as s:
        assert s.path == home and home.exists()


# --------------------------------------------------------------------------
# A read-only store opens read-only

READ_ONLY_CHECK = textwrap.dedent('''
    import os, sys, json
    from tappedin_widgets import exchange
    from tappedin_widgets.store import Store
    from tappedin_widgets.views.common import Workbook
    from tappedin_widgets.views.trends import TrendsView
    from tappedin_widgets.views.self_reflection import ReflectionAnswers

    out = {}
    store = Store(sys.argv[1])
    out["read_only"] = store.read_only
    out["applications"] = store.count("applications")
    wb = Workbook(store)
    trends = TrendsView(wb)
    trends.more_section.selected_index = 0  # every chart, not only the two it opens with
    out["charts"] = sum(bool(card.image.value) for card in trends.cards.values())
    out["trends_status"] = trends.status.text
    exchange.export_json(store, sys.argv[2])
    out["exported"] = os.path.getsize(sys.argv[2])
    view = ReflectionAnswers(wb, debounce=60)
    view.show(wb.application_id)
    next(iter(view.fields.values())).value = "Stayed calm when the panel pushed back."
    out["saved"] = view.flush()
    out["message"] = view.status.text
    import datetime as dt
    from tappedin_widgets.sqlite_file import ReadOnlyStore
    try:  # the import's own connection checks too, not only _write()
        store.import_rows({"applications": [{"company": "Acme", "role": "Analyst"}]},
                          since=dt.datetime.now(), check=lambda changed: None)
        out["import_rows"] = "written"
    except ReadOnlyStore as e:
        out["import_rows"] = str(e)
    print(json.dumps(out))
''')


def _as_someone_who_cannot_write(db: Path) -> list[str]:
    """Make the store read-only; the command prefix that runs a process bound by it.

    File and folder lose their write bits. Root writes anyway, so as root the
    process runs without the capabilities that override file permissions.
    """
    db.chmod(0o444)
    db.parent.chmod(0o555)
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test a read-only store as root"
    return [setpriv, "--bounding-set=-dac_override,-fowner"]


@pytest.mark.slow
def test_a_read_only_store_shows_trends_exports_and_says_why_forms_cant_save(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "tappedin.db"
    assert run("demo", env_db=db).returncode == 0
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = db.read_bytes()
    prefix = _as_someone_who_cannot_write(db)
    env = dict(os.environ, TAPPEDIN_DB=str(db), TAPPEDIN_DRAW_HELPER="0", MPLBACKEND="Agg",
               HOME=str(out_dir), MPLCONFIGDIR=str(out_dir / "mpl"))
    try:
        result = subprocess.run([*prefix, sys.executable, "-c", READ_ONLY_CHECK, str(db),
                                 str(out_dir / "export.json")], capture_output=True, text=True,
                                env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        import json

        out = json.loads(result.stdout.strip().splitlines()[-1])
        assert out["read_only"] and out["applications"] >= 60
        assert out["charts"] >= 5 and not out["trends_status"]
        assert out["saved"] is False
        assert out["exported"] > 10_000
        assert "read-only" in out["message"] and "can't be saved" in out["message"]
        assert "read-only" in out["import_rows"], out["import_rows"]
        cli = subprocess.run([*prefix, sys.executable, "-m", "tappedin_widgets.cli", "demo",
                              "--force"], capture_output=True, text=True, env=env, timeout=120)
        assert cli.returncode == 2 and "read-only" in cli.stderr, cli.stderr
        assert "damaged" not in cli.stderr
        tracker = out_dir / "tracker.csv"
        tracker.write_text("Company,Role\nAcme,Analyst\n", encoding="utf-8")
        imported = subprocess.run([*prefix, sys.executable, "-m", "tappedin_widgets.cli",
                                   "import", str(tracker)], capture_output=True, text=True,
                                  env=env, timeout=120)
        assert imported.returncode == 2 and "read-only" in imported.stderr, imported.stderr
        assert "Traceback" not in imported.stderr
        for args, said in ((["backup"], "backup DEST"),
                           (["backup", str(out_dir / "copy.db")], "Backed up to")):
            made = subprocess.run([*prefix, sys.executable, "-m", "tappedin_widgets.cli", *args],
                                  capture_output=True, text=True, env=env, timeout=120)
            assert said in made.stdout + made.stderr, (args, made.stderr)
        with Store(out_dir / "copy.db") as copy:
            assert copy.count("applications") == out["applications"]
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["tappedin.db"]
