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
