"""Nothing lost: many writers at once, and writers killed mid-transaction."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tappedin_widgets.store import Store

WRITER = textwrap.dedent('''
    import sys, random
    from tappedin_widgets.store import Store
    from tappedin_widgets.models import ValidationError
    db, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rnd = random.Random(who)
    store = Store(db)
    mine = []
    for i in range(n):
        kind = i % 5
        tag = f"{who}-{i}"
        if kind == 0 or not mine:
            app = store.add("applications", company=f"Co {tag}", role="Analyst",
                            applied_on="2026-03-01")
            mine.append(app)
        elif kind == 1:
            with store.atomic():
                fb = store.add("feedback", application_id=rnd.choice(mine),
                               observations=f"note {tag}")
                store.set_tags(fb, [("communication", "+"), ("experience", "-")])
        elif kind == 2:
            store.save_reflection(rnd.choice(mine), did_well=f"did well {tag}")
        elif kind == 3:
            store.add("job_items", application_id=rnd.choice(mine), kind="liked",
                      text=f"item {tag}")
        else:
            store.update("applications", rnd.choice(mine), notes=f"updated {tag}")
    print("done", len(mine))
''')


def _integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_four_processes_making_250_mixed_writes_each_lose_nothing(tmp_path):
    db = tmp_path / "shared.db"
    Store(db).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [subprocess.Popen([sys.executable, str(script), str(db), f"w{k}", "250"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(4)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=False):
        assert p.returncode == 0, err
        assert "locked" not in err
    with Store(db) as s:
        apps = s.table("applications")
        feedback = s.table("feedback")
        items = s.table("job_items")
        tags = s.table("feedback_tags")
    for k in range(4):
        for i in range(250):
            tag = f"w{k}-{i}"
            if i % 5 == 0:
                assert f"Co {tag}" in set(apps["company"]), tag
            elif i % 5 == 1:
                assert f"note {tag}" in set(feedback["observations"]), tag
            elif i % 5 == 3:
                assert f"item {tag}" in set(items["text"]), tag
    assert len(tags) == 2 * len(feedback)
    assert _integrity(db) == "ok"


KILLED = textwrap.dedent('''
    import sys
    from tappedin_widgets.store import Store
    store = Store(sys.argv[1])
    i = 0
    print("ready", flush=True)
    while True:
        with store.atomic():
            app = store.add("applications", company=f"Kill {sys.argv[2]}-{i}", role="Analyst")
            for n in range(3):
                store.add("contacts", application_id=app, name=f"Person {n}")
            fb = store.add("feedback", application_id=app, observations="x" * 2000)
            store.set_tags(fb, [("communication", "+")])
        i += 1
''')


@pytest.mark.slow
def test_a_writer_killed_mid_transaction_20_times_leaves_no_partial_entry(tmp_path):
    db = tmp_path / "killed.db"
    Store(db).close()
    script = tmp_path / "killed.py"
    script.write_text(KILLED)
    rnd = random.Random(7)
    kills = 0
    for round_ in range(20):
        proc = subprocess.Popen([sys.executable, str(script), str(db), str(round_)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rnd.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        # the store opens, passes the integrity check, and every application is whole
        with Store(db) as s:
            apps = s.table("applications")
            contacts = s.table("contacts")
            fb = s.table("feedback")
            tags = s.table("feedback_tags")
        assert _integrity(db) == "ok"
        per_app = contacts.groupby("application_id").size()
        assert set(per_app.reindex(apps["id"], fill_value=0)) <= {3}
        assert len(fb) == len(apps) and len(tags) == len(fb)
    assert kills == 20
    assert len(apps) > 0
