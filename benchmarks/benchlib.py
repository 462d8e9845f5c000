"""Small helpers the benchmark scripts share: timing, memory, results, cached stores."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "benchmarks"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
# Measure another copy of the package (e.g. an older checkout, for before/after figures):
# TAPPEDIN_BENCH_SRC=/path/to/checkout python3 benchmarks/bench_trends.py
if os.environ.get("TAPPEDIN_BENCH_SRC"):
    sys.path.insert(0, os.environ["TAPPEDIN_BENCH_SRC"])

os.environ.setdefault("MPLBACKEND", "Agg")

DEFAULT_SIZES = (100, 10_000, 100_000)
QUICK_SIZES = (100, 10_000)


@dataclass
class Result:
    """One measured figure, with its target (if any) and whether it was met."""

    bench: str
    metric: str
    size: int | None
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""


@dataclass
class Report:
    bench: str
    results: list[Result] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, metric: str, value: float, unit: str, *, size: int | None = None,
            target: str = "", ok: bool | None = None, note: str = "") -> Result:
        r = Result(self.bench, metric, size, float(value), unit, target, ok, note)
        self.results.append(r)
        flag = "" if ok is None else ("  ok" if ok else "  MISSED")
        where = f" @{size:,}" if size else ""
        print(f"  {metric}{where}: {fmt(value, unit)}"
              + (f"  (target {target})" if target else "") + flag + (f"  [{note}]" if note else ""),
              flush=True)
        return r

    def save(self, path: Path | None) -> None:
        if path is None:
            return
        data = {"bench": self.bench, "machine": machine(),
                "results": [asdict(r) for r in self.results], "details": self.details}
        Path(path).write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:+.1f} MB" if value < 0 or value < 1000 else f"{value:,.0f} MB"
    if unit.endswith("/s"):
        return f"{value:,.0f} {unit}"
    if unit == "":
        return f"{value:,.0f}"
    return f"{value:,.3g} {unit}"


def machine() -> dict[str, Any]:
    try:
        load = os.getloadavg()
    except OSError:  # pragma: no cover
        load = (float("nan"),) * 3
    return {"python": platform.python_version(), "cores": os.cpu_count(),
            "platform": platform.platform(), "load_average": [round(x, 2) for x in load],
            "date": time.strftime("%Y-%m-%d %H:%M")}


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--sizes", default=None,
                   help="comma-separated numbers of applications (default 100,10000,100000; "
                        "--quick: 100,10000)")
    p.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    p.add_argument("--workdir", type=Path, default=None,
                   help="where stores are built and cached (default: a temporary folder)")
    p.add_argument("--json", type=Path, default=None, help="also write the results here")
    return p


def sizes(args: argparse.Namespace) -> list[int]:
    if args.sizes:
        return [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return list(QUICK_SIZES if args.quick else DEFAULT_SIZES)


def workdir(args: argparse.Namespace) -> Path:
    """The folder for generated stores: ``--workdir``, or a temporary one (see :func:`cleanup`)."""
    if args.workdir is None:
        args.workdir = Path(tempfile.mkdtemp(prefix="tappedin-bench-"))
        args.temporary_workdir = True
    args.workdir.mkdir(parents=True, exist_ok=True)
    return args.workdir


def cleanup(args: argparse.Namespace) -> None:
    """Remove the work folder if it was a temporary one."""
    if getattr(args, "temporary_workdir", False):
        shutil.rmtree(args.workdir, ignore_errors=True)


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs (seconds) and the last run's return value."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks."""
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] \
        if 0 < q < 100 else (min(values) if q <= 0 else max(values))


def rss_mb(pid: int | str = "self") -> float:
    """A process's resident set size, in MB (Linux); this one's by default."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def store_file(n: int, folder: Path, seed: int = 2026) -> Path:
    """A store with ``n`` generated applications, built once per folder and reused."""
    from datagen import generate, load_with_store

    from tappedin_widgets.store import Store

    path = folder / f"store-{n}-seed{seed}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".building")
    for stale in folder.glob(partial.name + "*"):
        stale.unlink()
    data = generate(n, seed)
    with Store(partial) as store:
        load_with_store(store, data)
    # fold the WAL into the file so the copy below is complete on its own
    import sqlite3

    con = sqlite3.connect(partial)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    partial.rename(path)
    return path
