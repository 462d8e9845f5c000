"""Run every benchmark and print one table of results and targets.

    python3 benchmarks/run_all.py                         # 100, 10,000 and 100,000 applications
    python3 benchmarks/run_all.py --quick                 # 100 and 10,000; fewer repeats
    python3 benchmarks/run_all.py --sizes 100,10000 --only store,trends

Each benchmark runs in a process of its own (so memory and imports don't
leak from one into the next) and writes its figures as JSON; the generated
stores are built once in a shared work folder and reused. The full run takes
about 12 minutes on 2 cores, most of it the 200 refreshes of the memory
benchmark; --quick about 5. Exit status 1 if a target is missed.

The benchmarks (each can run alone, see its --help):

- bench_store.py        bulk import vs raw sqlite3, single saves, Store.table
- bench_import.py       a big tracker CSV through import_file vs raw sqlite3; saves meanwhile
- bench_trends.py       every chart computed and drawn vs bare matplotlib
- bench_first_screen.py the app's first screen vs a hello-world notebook (Chromium)
- bench_memory.py       RSS and open figures over 200 forced chart refreshes
- bench_themes.py       theme suggestions per second
- bench_windows.py      kernels left by plain GETs and reloads of the served app
- bench_limits.py       worst-case inputs within the budgets unit tests used to assert
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchlib import fmt, machine  # noqa: E402

BENCHES = ("themes", "store", "import", "trends", "memory", "first_screen", "windows",
           "limits")


def run(name: str, args: list[str], out: Path) -> tuple[dict | None, float]:
    """Run one benchmark script; its JSON figures (None if it failed) and the seconds taken."""
    k = args.index("--") if "--" in args else len(args)  # what follows "--" goes to Voilà
    cmd = [sys.executable, str(HERE / f"bench_{name}.py"), *args[:k], "--json", str(out),
           *args[k:]]
    print(f"\n== {name}: {' '.join(cmd[1:])}", flush=True)
    started = time.perf_counter()
    proc = subprocess.run(cmd)
    took = time.perf_counter() - started
    if proc.returncode != 0 or not out.exists():
        print(f"!! {name} failed (exit {proc.returncode})", flush=True)
        return None, took
    return json.loads(out.read_text(encoding="utf-8")), took


def table(results: list[dict]) -> str:
    lines = ["| benchmark | measure | applications | result | target | met |",
             "|---|---|---:|---:|---|:---:|"]
    for r in results:
        met = "" if r["ok"] is None else ("yes" if r["ok"] else "**no**")
        size = f"{r['size']:,}" if r["size"] else ""
        note = f" ({r['note']})" if r["note"] else ""
        lines.append(f"| {r['bench']} | {r['metric']}{note} | {size} | "
                     f"{fmt(r['value'], r['unit'])} | {r['target']} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=None,
                   help="comma-separated applications (default 100,10000,100000)")
    p.add_argument("--quick", action="store_true",
                   help="100 and 10,000 applications, fewer repeats and refreshes")
    p.add_argument("--only", default=",".join(BENCHES),
                   help=f"comma-separated subset of: {', '.join(BENCHES)}")
    p.add_argument("--workdir", type=Path, default=None,
                   help="keep generated stores here (default: a temporary folder, removed)")
    p.add_argument("--json", type=Path, default=None, help="write every figure here too")
    args = p.parse_args(argv)

    only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(only) - set(BENCHES)
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tappedin-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    common = ["--workdir", str(workdir)] + (["--quick"] if args.quick else []) \
        + (["--sizes", args.sizes] if args.sizes else [])
    plans: list[tuple[str, list[str]]] = []
    for name in only:
        if name == "first_screen":
            # both servers already get cli.voila_command's preheated kernels
            plans.append((name, ["--quick"] if args.quick else []))
        elif name == "memory":
            plans.append((name, ["--workdir", str(workdir)] + (["--quick"] if args.quick else [])))
        elif name in ("themes", "windows"):
            plans.append((name, ["--quick"] if args.quick else []))
        else:
            plans.append((name, common))

    info = machine()
    results: list[dict] = []
    timings: dict[str, float] = {}
    failed: list[str] = []
    try:
        for i, (name, extra) in enumerate(plans):
            data, took = run(name, extra, workdir / f"result-{i}-{name}.json")
            timings[name] = timings.get(name, 0.0) + took
            if data is None:
                failed.append(name)
                continue
            results.extend(data["results"])
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    print(f"\n# Results, {info['date']}: {info['cores']} cores, Python {info['python']}, "
          f"load average at start {info['load_average']}\n")
    print(table(results))
    print("\nTime per benchmark: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    missed = [r for r in results if r["ok"] is False]
    if missed:
        print(f"\n{len(missed)} target(s) missed: "
              + "; ".join(f"{r['bench']} {r['metric']}" + (f" @{r['size']:,}" if r["size"] else "")
                          for r in missed))
    if failed:
        print(f"\nFailed to run: {', '.join(failed)}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results,
                                         "seconds": timings}, indent=1), encoding="utf-8")
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
