"""Store: bulk import vs raw sqlite3, single form saves, reading every table.

    python3 benchmarks/bench_store.py [--sizes 100,10000,100000] [--quick]

1. Bulk import of a generated job search (datagen.py) through ``Store.add_many``
   (every kind, parents first, one transaction) into a fresh file; in the same
   run the same rows go into another fresh file of the same schema (made by a
   Store) with the standard library's sqlite3 ``executemany``, the reference.
   Target: the Store within 2x of raw sqlite3.
2. Single saves with the largest store present: ``Store.add`` of one
   application and ``Store.save_reflection`` (half new, half updates), each
   timed alone. Target: p95 under 20 ms.
3. ``Store.table`` for every kind (and ``Store.tags``), per size.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import sys
import time
from pathlib import Path

import benchlib
from benchlib import Report, best, percentile
from datagen import generate, load_raw, load_with_store  # noqa: E402

from tappedin_widgets.models import RECORDS  # noqa: E402
from tappedin_widgets.store import Store  # noqa: E402

IMPORT_TARGET = 2.0
SAVE_TARGET_MS = 20.0


def _fresh(folder: Path, name: str) -> Path:
    for p in folder.glob(name + "*"):
        p.unlink()
    return folder / name


def bulk_import(report: Report, n: int, folder: Path, repeat: int) -> Path:
    data = generate(n)
    rows = data.total
    store_times, raw_times = [], []
    kept = None
    for i in range(repeat):
        # the reference first, then the store, each into a fresh file
        raw_path = _fresh(folder, f"raw-{n}.db")
        Store(raw_path).close()
        gc.collect()
        t = time.perf_counter()
        load_raw(raw_path, data)
        raw_times.append(time.perf_counter() - t)

        path = _fresh(folder, f"import-{n}-{i}.db")
        store = Store(path)
        gc.collect()
        t = time.perf_counter()
        load_with_store(store, data)
        store_times.append(time.perf_counter() - t)
        store.close()
        if kept is not None:
            for p in folder.glob(kept.name + "*"):
                p.unlink()
        kept = path
        for p in folder.glob(raw_path.name + "*"):
            p.unlink()
    s, r = min(store_times), min(raw_times)
    report.add("bulk import, Store.add_many", s, "s", size=n,
               note=f"{rows:,} rows, {rows / s:,.0f} rows/s, best of {repeat}")
    report.add("bulk import, raw sqlite3 executemany", r, "s", size=n,
               note=f"{rows / r:,.0f} rows/s")
    bulk = n >= 10_000  # the target is about bulk imports; 100 rows are fixed costs
    report.add("bulk import ratio Store / raw", s / r, "x", size=n,
               target=f"<= {IMPORT_TARGET:g}x" if bulk else "",
               ok=(s / r <= IMPORT_TARGET) if bulk else None)
    report.details[f"import_{n}"] = {"rows": data.counts, "store_s": store_times,
                                     "raw_s": raw_times}
    return kept


def single_saves(report: Report, path: Path, n: int, saves: int) -> None:
    store = Store(path)
    try:
        apps = store.count("applications")
        today = dt.date.today()
        add_ms = []
        for i in range(saves):
            t = time.perf_counter()
            store.add("applications", company=f"Bench Co {i}", role="Product Analyst",
                      applied_on=today - dt.timedelta(days=i % 300), stage="interview",
                      outcome="rejected", outcome_on=today, source="referral",
                      location="Remote", notes="Saved from the form.")
            add_ms.append((time.perf_counter() - t) * 1000)
        refl_ms = []
        step = max(1, apps // saves)
        for i in range(saves):
            app_id = 1 + (i * step) % apps  # some have a reflection already (update), most not
            t = time.perf_counter()
            store.save_reflection(app_id, did_well=f"Stayed calm in round {i}.",
                                  do_differently="Lead with the result.")
            refl_ms.append((time.perf_counter() - t) * 1000)
    finally:
        store.close()
    for name, ms in (("Store.add(application)", add_ms), ("Store.save_reflection", refl_ms)):
        p95 = percentile(ms, 95)
        report.add(f"{name} p50", percentile(ms, 50), "ms", size=n, note=f"{saves} saves")
        report.add(f"{name} p95", p95, "ms", size=n, target=f"< {SAVE_TARGET_MS:g} ms",
                   ok=p95 < SAVE_TARGET_MS)
    report.details[f"saves_{n}"] = {"add_ms": add_ms, "reflection_ms": refl_ms}


def read_tables(report: Report, path: Path, n: int, repeat: int) -> None:
    store = Store(path)
    try:
        per_kind = {}
        for kind in RECORDS:
            per_kind[kind], _ = best(lambda k=kind: store.table(k), repeat)
        per_kind["tags()"], _ = best(store.tags, repeat)
    finally:
        store.close()
    total = sum(v for k, v in per_kind.items() if k != "tags()")
    slowest = max((k for k in per_kind if k != "tags()"), key=per_kind.get)
    report.add("Store.table, every kind", total, "s", size=n,
               note=f"slowest {slowest} {per_kind[slowest]:.3f} s; "
                    f"Store.tags() {per_kind['tags()']:.3f} s")
    report.details[f"tables_{n}"] = per_kind


def main(argv: list[str] | None = None) -> int:
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--saves", type=int, default=200)
    args = p.parse_args(argv)
    folder = benchlib.workdir(args) / "store"
    folder.mkdir(parents=True, exist_ok=True)
    report = Report("store")
    print(f"store benchmark in {folder}", flush=True)
    largest = None
    for n in benchlib.sizes(args):
        repeat = 1 if n >= 100_000 else (2 if n >= 10_000 or args.quick else 3)
        kept = bulk_import(report, n, folder, repeat)
        read_tables(report, kept, n, 1 if n >= 100_000 else 3)
        if largest is not None:
            for p_ in folder.glob(largest[1].name + "*"):
                p_.unlink()
        largest = (n, kept)
    n, path = largest
    single_saves(report, path, n, args.saves if not args.quick else min(args.saves, 100))
    report.save(args.json)
    shutil.rmtree(folder, ignore_errors=True)  # the imported files are not reused
    benchlib.cleanup(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
