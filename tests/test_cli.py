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


def _run_into(stdout, *args: str, env_db: Path) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, TAPPEDIN_DB=str(env_db))
    return subprocess.run([sys.executable, "-m", "tappedin_widgets.cli", *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, env=env, timeout=120)


def _closed_pipe():
    """The writing end of a pipe whose reader is gone (as in `tappedin ... | true`)."""
    import os

    read, write = os.pipe()
    os.close(read)
    return write


def _tracker_csv(tmp_path: Path) -> Path:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text("Company,Role,Date applied\nAcme,Analyst,2026-03-02\n"
                     "Globex,Engineer,2026-03-09\n", encoding="utf-8")
    return sheet


@pytest.mark.parametrize("where", ["/dev/full", "closed pipe"])
def test_demo_import_and_backup_say_they_are_done_when_stdout_fails(tmp_path, where):
    import os

    db = tmp_path / "mine.db"
    commands = [(["demo"], "Loaded the demo"),
                (["import", str(_tracker_csv(tmp_path))], "Imported"),
                (["backup", str(tmp_path / "copy.db")], "Backed up to")]
    for args, said in commands:
        target = open(where, "w") if where == "/dev/full" else _closed_pipe()
        try:
            result = _run_into(target, *args, env_db=db)
        finally:
            target.close() if where == "/dev/full" else os.close(target)
        assert "Nothing was changed" not in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"tappedin: done. {said}"), (args, result.stderr)
        assert result.returncode == (0 if where == "closed pipe" else 1), (args, result.stderr)
    with Store(db) as s:
        companies = set(s.table("applications")["company"])
    assert {"Acme", "Globex"} <= companies and len(companies) >= 60
    assert (tmp_path / "copy.db").exists()


def test_the_done_message_names_the_change(tmp_path):
    db = tmp_path / "mine.db"
    with open("/dev/full", "w") as full:
        result = _run_into(full, "import", str(_tracker_csv(tmp_path)), env_db=db)
    assert "2 applications" in result.stderr and "No space left" in result.stderr
