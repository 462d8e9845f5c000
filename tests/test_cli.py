"""The command line: every command documented, bad input gives a message, not a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tappedin_widgets import cli
from tappedin_widgets.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env_db: Path | None = None, **kw) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    if env_db is not None:
        env["TAPPEDIN_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "tappedin_widgets.cli", *args],
                          capture_output=True, text=True, env=env, timeout=120, **kw)


def commands() -> list[str]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert f"tappedin {command}" in result.stdout
    assert len(result.stdout.splitlines()) > 3


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in commands():
        assert re.search(rf"`tappedin {command}\b", readme), command


def test_where_prints_the_store_chosen_by_the_environment(tmp_path):
    target = tmp_path / "mine.db"
    result = run("where", env_db=target)
    assert result.returncode == 0
    assert result.stdout.strip() == str(target)


def test_demo_fills_an_empty_store_and_refuses_a_full_one(tmp_path):
    target = tmp_path / "demo.db"
    first = run("demo", env_db=target)
    assert first.returncode == 0, first.stderr
    assert "Loaded the demo" in first.stdout
    with Store(target) as s:
        apps = s.count("applications")
    assert apps >= 60

    again = run("demo", env_db=target)
    assert again.returncode == 2
    assert "already holds your data" in again.stderr
    assert "Traceback" not in again.stderr

    skipped = run("demo", "--if-empty", env_db=target)
    assert skipped.returncode == 0
    assert "not loaded" in skipped.stdout

    forced = run("demo", "--force", env_db=target)
    assert forced.returncode == 0, forced.stderr
    with Store(target) as s:
        assert s.count("applications") == apps


def test_a_wrong_file_gives_a_message_and_no_traceback(tmp_path):
    target = tmp_path / "cv.db"
    target.write_text("not a database")
    result = run("demo", env_db=target)
    assert result.returncode == 2
    assert "not a TAPPED IN database" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text() == "not a database"


def test_an_unknown_command_is_explained(tmp_path):
    result = run("fly", env_db=tmp_path / "x.db")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_export_then_import_into_an_empty_store_gives_the_same_data(tmp_path):
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    assert run("demo", env_db=source).returncode == 0
    exported = run("export", str(tmp_path / "all.zip"), env_db=source)
    assert exported.returncode == 0, exported.stderr
    imported = run("import", str(tmp_path / "all.zip"), env_db=target)
    assert imported.returncode == 0, imported.stderr
    assert "Imported" in imported.stdout
    with Store(source) as a, Store(target) as b:
        for kind in ("applications", "feedback", "feedback_tags", "reflections", "job_items"):
            left = a.table(kind).drop(columns=["created_at", "updated_at"])
            right = b.table(kind).drop(columns=["created_at", "updated_at"])
            assert left.equals(right), kind


def test_a_tracker_spreadsheet_with_a_bad_row_writes_nothing_and_says_why(tmp_path):
    sheet = tmp_path / "huntr.csv"
    sheet.write_text("Company,Job Title,Date Applied,Status\n"
                     "Acme,Analyst,2026-03-14,Rejected\n"
                     "Foo,PM,2026-02-30,Banana\n")
    result = run("import", str(sheet), env_db=tmp_path / "s.db")
    assert result.returncode == 1
    assert "row 3" in result.stdout and "not a real date" in result.stdout
    assert "Traceback" not in result.stderr
    with Store(tmp_path / "s.db") as s:
        assert s.count("applications") == 0
    forced = run("import", str(sheet), "--skip-invalid", env_db=tmp_path / "s.db")
    assert forced.returncode == 0
    with Store(tmp_path / "s.db") as s:
        assert list(s.table("applications")["company"]) == ["Acme"]


def test_backup_and_restore_bring_the_data_back(tmp_path):
    db = tmp_path / "mine.db"
    run("demo", env_db=db)
    made = run("backup", str(tmp_path / "copy.db"), env_db=db)
    assert made.returncode == 0
    with Store(db) as s:
        s.wipe()
    refused = run("restore", str(tmp_path / "copy.db"), env_db=db)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    restored = run("restore", str(tmp_path / "copy.db"), "--yes", env_db=db)
    assert restored.returncode == 0, restored.stderr
    with Store(db) as s:
        assert s.count("applications") >= 60


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01 not sqlite")
    result = run("restore", str(junk), "--yes", env_db=tmp_path / "x.db")
    assert result.returncode == 2
    assert "can't be restored" in result.stderr
