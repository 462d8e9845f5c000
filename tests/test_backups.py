"""Automatic backups made and pruned, and imports, by several processes at once
(real processes)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tappedin_widgets import exchange
from tappedin_widgets.store import Store

#: One process: ``ROUND`` (with ``store``, ``db``, ``who`` and round ``i``) in a loop;
#: prints how many rounds failed.
_LOOP = textwrap.dedent("""
    import sys, traceback
    from pathlib import Path
    from tappedin_widgets.exchange import import_file
    from tappedin_widgets.store import Store, prune_backups
    db, who, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store(db)
    errors = 0
    for i in range(rounds):
        try:
    ROUND
        except Exception:
            errors += 1
            traceback.print_exc()
    store.close()
    print(errors)
""")

_BACKUP_AND_PRUNE = """
copy = store.backup_file(reason="before-import")
prune_backups(copy.parent, database=store.path)
"""

_IMPORT = """
csv = Path(db).parent / f"{who}-{i}.csv"
csv.write_text(f"Company,Role\\n{who} {i},Analyst\\n{who} {i},Engineer\\n")
assert import_file(store, csv).applied
"""


def run_at_once(db, round_code: str, rounds: int, processes: int = 4) -> None:
    """Run ``round_code`` ``rounds`` times in each of ``processes`` processes at once."""
    script = _LOOP.replace("\nROUND\n", "\n" + textwrap.indent(round_code.strip(), " " * 8) + "\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db), f"P{n}", str(rounds)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(processes)]
    results = [p.communicate(timeout=600) for p in procs]
    errors = [int(out.strip().splitlines()[-1]) for out, _err in results]
    assert errors == [0] * processes, "\n".join(err for _out, err in results)


def store_with(db, n: int) -> None:
    with Store(db) as store:  # big enough that a copy takes a while
        store.add_many("applications", [
            {"company": f"Company {i}", "role": "Analyst", "notes": "x" * 400}
            for i in range(n)])


def test_four_processes_backing_up_and_pruning_at_once_never_fail(tmp_path):
    db = tmp_path / "tappedin.db"
    store_with(db, 3000)
    folder = tmp_path / "backups"
    folder.mkdir()
    other = folder / "work-before-import-20200101-000000-000000.db"  # another database's
    other.write_bytes(b"kept")
    run_at_once(db, _BACKUP_AND_PRUNE, 40)
    finished = sorted(p.name for p in folder.glob("tappedin-before-*"))
    assert len(finished) == 5 and other.exists()
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]
    for name in finished:  # each one a whole copy
        with Store(folder / name) as copy:
            assert copy.count("applications") == 3000


def test_four_processes_importing_into_one_store_at_once_never_fail(tmp_path):
    db = tmp_path / "tappedin.db"
    store_with(db, 6000)
    run_at_once(db, _IMPORT, 10)
    with Store(db) as store:
        apps = store.table("applications")
    assert len(apps) == 6000 + 4 * 10 * 2 and apps["id"].is_unique
    assert len(list((tmp_path / "backups").glob("tappedin-before-import-*.db"))) == 5


def test_prune_leaves_backups_being_written_and_other_databases_alone(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [f"tappedin-before-import-2026010{i}-120000-000000.db" for i in range(1, 8)]
    unfinished = [".tappedin-before-import-20270101-000000-000000.db.77.part",
                  ".tappedin-before-import-20270101-000000-000000.db.77.part-journal",
                  "tappedin-before-import-20200101-000000-000000.db-journal",
                  "notes-before-import-20200101-000000-000000.db"]
    for n in names + unfinished:
        (folder / n).write_bytes(b"x")
    removed = exchange.prune_backups(folder, keep=5, database=tmp_path / "tappedin.db")
    assert sorted(p.name for p in removed) == names[:2]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names[2:] + unfinished)
