"""Import of a big tracker spreadsheet: time against raw sqlite3, and how long a save waits.

    python3 benchmarks/bench_import.py [--sizes 25000,200000] [--quick]

For each size, a tracker CSV of that many applications (company, job title, date
applied, status, link) is generated, then:

1. The reference: the same rows, already clean, into a fresh store file with the
   standard library's sqlite3 ``executemany`` (one transaction, the store's pragmas).
2. ``import_file(dry_run=True)`` into a fresh store: reading, mapping, validating,
   planning.
3. ``import_file`` into a fresh store. Target: the import takes at most the dry
   run plus 3x the raw insert, i.e. (import - dry run) / raw <= 3. Also how long
   its publish step held the write lock (the store logs it). Medians of --repeat
   runs, the three interleaved.
4. ``import_file`` again into a fresh store while another process saves one
   application every 50 ms (``Store.add``, as the app's form does) until the
   import returns. Target: no save waits 2 s or more.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import benchlib
from benchlib import Report, percentile

from tappedin_widgets.exchange import import_file  # noqa: E402
from tappedin_widgets.store import Store  # noqa: E402

RATIO_TARGET = 3.0
WAIT_TARGET_S = 2.0
ROLES = ("Data Analyst", "Product Manager", "BI Developer", "Software Engineer", "Designer")
STATUSES = (("Applied", "applied", "open"), ("Rejected", "applied", "rejected"),
            ("Interviewing", "interview", "open"), ("Phone screen", "screen", "open"))


def rows(n: int) -> list[tuple[str, str, dt.date, int]]:
    start = dt.date(2025, 1, 1)
    return [(f"Company {i:06d}", ROLES[i % len(ROLES)], start + dt.timedelta(days=i % 700),
             i % len(STATUSES)) for i in range(n)]


def write_csv(path: Path, data: list[tuple[str, str, dt.date, int]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Company,Job Title,Date Applied,Status,Link\n")
        for i, (company, role, applied, status) in enumerate(data):
            fh.write(f"{company},{role},{applied.isoformat()},{STATUSES[status][0]},"
                     f"https://jobs.example/{i}\n")


def raw_insert(path: Path, data: list[tuple[str, str, dt.date, int]]) -> float:
    """The reference: clean rows straight into the table, as fast as sqlite3 goes."""
    Store(path).close()
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        t = time.perf_counter()
        now = dt.datetime.now().isoformat(" ")
        values = [(company, role, None, "other", applied.isoformat(), STATUSES[s][1],
                   STATUSES[s][2], None, f"https://jobs.example/{i}", None, now, now)
                  for i, (company, role, applied, s) in enumerate(data)]
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT INTO applications (company, role, location, source, applied_on, "
                        "stage, outcome, outcome_on, job_link, notes, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        con.execute("COMMIT")
        return time.perf_counter() - t
    finally:
        con.close()


def fresh(folder: Path, name: str) -> Path:
    for p in folder.glob(name + "*"):
        p.unlink()
    backups = folder / "backups"
    if backups.is_dir():
        for p in backups.iterdir():
            p.unlink()
    return folder / name


class LockTimes(logging.Handler):
    """Collects the store's own log of how long an import's publish step held the lock."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.held: list[tuple[float, float]] = []  # (wall s, CPU s)

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("import of %d rows published"):
            self.held.append((record.args[1], record.args[2]))


LOCK_TIMES = LockTimes()


def timed_import(path: Path, csv_path: Path, *, dry_run: bool) -> float:
    store = Store(path)
    try:
        t = time.perf_counter()
        report = import_file(store, csv_path, dry_run=dry_run)
        took = time.perf_counter() - t
        assert not report.rejected and (dry_run or report.applied), report.summary()
    finally:
        store.close()
    return took


_SAVER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from tappedin_widgets.store import Store
    store, stop, waits = Store(sys.argv[1]), Path(sys.argv[2]), []
    Path(sys.argv[3]).touch()  # ready
    i = 0
    while not stop.exists():
        t = time.perf_counter()
        store.add("applications", company=f"Saved meanwhile {i}", role="Analyst")
        waits.append(time.perf_counter() - t)
        i += 1
        time.sleep(0.05)
    store.close()
    print(json.dumps(waits))
""")


def import_with_saves(path: Path, csv_path: Path) -> tuple[float, list[float]]:
    Store(path).close()
    stop, ready = path.with_suffix(".stop"), path.with_suffix(".ready")
    for p in (stop, ready):
        p.unlink(missing_ok=True)
    saver = subprocess.Popen([sys.executable, "-c", _SAVER, str(path), str(stop), str(ready)],
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(benchlib.ROOT)})
    try:
        while not ready.exists():
            time.sleep(0.05)
        time.sleep(0.5)
        took = timed_import(path, csv_path, dry_run=False)
        time.sleep(0.5)
    finally:
        stop.touch()
    out, _ = saver.communicate(timeout=600)
    return took, json.loads(out)


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3, help="runs per figure (median taken)")
    args = p.parse_args(argv)
    if not args.sizes:
        args.sizes = "10000,50000" if args.quick else "25000,200000"
    store_log = logging.getLogger("tappedin_widgets.store")
    store_log.addHandler(LOCK_TIMES)
    store_log.setLevel(logging.INFO)
    folder = benchlib.workdir(args) / "import"
    folder.mkdir(parents=True, exist_ok=True)
    report = Report("import")
    print(f"import benchmark in {folder}", flush=True)
    for n in benchlib.sizes(args):
        data = rows(n)
        csv_path = folder / f"tracker-{n}.csv"
        write_csv(csv_path, data)
        raws, drys, fulls = [], [], []
        for _ in range(args.repeat):  # interleaved, so load changes hit all three alike
            raws.append(raw_insert(fresh(folder, "raw.db"), data))
            drys.append(timed_import(fresh(folder, "dry.db"), csv_path, dry_run=True))
            fulls.append(timed_import(fresh(folder, "full.db"), csv_path, dry_run=False))
        raw, dry, full = map(statistics.median, (raws, drys, fulls))
        ratio = (full - dry) / raw
        size_mb = csv_path.stat().st_size / 1024 / 1024
        report.add("raw sqlite3 executemany", raw, "s", size=n, note=f"{n / raw:,.0f} rows/s")
        report.add("import_file dry run", dry, "s", size=n, note=f"{size_mb:.1f} MB CSV")
        report.add("import_file", full, "s", size=n)
        report.add("(import - dry run) / raw", ratio, "x", size=n,
                   target=f"<= {RATIO_TARGET:g}x", ok=ratio <= RATIO_TARGET)
        locks = LOCK_TIMES.held[-args.repeat:]  # the imports above (not the dry runs)
        if locks:  # an older store (TAPPEDIN_BENCH_SRC) doesn't log it
            held = statistics.median(h for h, _ in locks)
            cpu = statistics.median(c for _, c in locks)
            report.add("write lock held by the publish step", held, "s", size=n,
                       note=f"{cpu:.2f} s of CPU; load average {os.getloadavg()[0]:.1f}")
        took, waits = import_with_saves(fresh(folder, "busy.db"), csv_path)
        longest = max(waits) if waits else float("nan")
        report.add("longest wait of a save during the import", longest, "s", size=n,
                   target=f"< {WAIT_TARGET_S:g} s", ok=longest < WAIT_TARGET_S,
                   note=f"{len(waits)} saves while an import of {took:.1f} s ran; p95 "
                        f"{percentile(waits, 95) * 1000:.0f} ms")
        report.details[f"import_{n}"] = {"raw_s": raws, "dry_s": drys, "import_s": fulls,
                                         "lock_held_s": locks,
                                         "busy_import_s": took, "save_waits_s": waits}
        csv_path.unlink()
    report.save(args.json)
    benchlib.cleanup(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
