"""`tappedin ...`: the command line.

Every command prints a plain message on bad input and exits with status 2;
no traceback reaches the person typing.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .models import TappedInError

log = logging.getLogger("tappedin")

#: What the running command has done for good (a commit, a file written): reported
#: even when printing it fails, and never followed by "Nothing was changed".
_DONE: list[str] = []


class _OutputFailed(Exception):
    """Standard output could not be written (a closed pipe, a full disk)."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def out(text: str = "") -> None:
    """Print a line of a command's output; a failure to print becomes :class:`_OutputFailed`."""
    try:
        print(text, flush=True)
    except OSError as e:
        raise _OutputFailed(e) from None


def done(text: str) -> None:
    """Print what a command has just done for good, remembering it first."""
    _DONE.append(text)
    out(text)


def _silence_stdout() -> None:
    """Send the rest of standard output nowhere, so exiting doesn't fail on it again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. under a test runner)
        pass
    finally:
        os.close(devnull)


def _output_failed(error: OSError) -> int:
    """Tell, on stderr, what was done although its output could not be written.

    A closed pipe (``tappedin import f.csv | head -1``) is how a reader says it
    has seen enough: not an error. A full disk or a broken terminal is.
    """
    _silence_stdout()
    pipe = isinstance(error, BrokenPipeError)
    if _DONE:
        note = "" if pipe else f" (the output could not be written: {error.strerror or error})"
        print(f"tappedin: done. {' '.join(_DONE)}{note}", file=sys.stderr)
    elif not pipe:
        print(f"tappedin: the output could not be written ({error.strerror or error}).",
              file=sys.stderr)
    return 0 if pipe else 1


def notebooks_dir() -> Path:
    """The workbook's notebooks: the checkout's, or the copy shipped in the package."""
    from .locations import checkout_root

    root = checkout_root()
    if root is not None and (root / "notebooks").is_dir():
        return root / "notebooks"
    return Path(__file__).resolve().parent / "notebooks"


def _open_store(args: argparse.Namespace, *, create: bool = True):
    from .store import Store

    return Store(getattr(args, "db", None) or None, create=create)


def cmd_where(args: argparse.Namespace) -> int:
    from .store import describe, resolve_url

    url = resolve_url(args.db)
    out(describe(url))
    if args.verbose:
        source = "--db" if args.db else ("TAPPEDIN_DB" if os.environ.get("TAPPEDIN_DB")
                                        else "default")
        print(f"(chosen by {source}; set TAPPEDIN_DB to a file path or a database URL "
              "to use another store)", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import load_demo

    store = _open_store(args)
    if args.if_empty and not args.force and not store.is_empty():
        out(f"Your store at {store.location} already holds data; the demo was not loaded.")
        store.close()
        return 0
    try:
        counts = load_demo(store, force=args.force)
    finally:
        store.close()
    total = counts.get("applications", 0)
    done(f"Loaded the demo job search into {store.location}: {total} applications, "
          f"{counts.get('feedback', 0)} feedback entries, "
          f"{counts.get('follow_ups', 0)} thank-you notes, "
          f"{counts.get('reflections', 0)} reflections.")
    return 0


def cmd_lab(args: argparse.Namespace, extra: Sequence[str]) -> int:
    folder = notebooks_dir()
    if not folder.is_dir():
        raise TappedInError(f"The workbook notebooks were not found at {folder}.")
    store = _open_store(args)  # fail early, with a clear message, on a bad store
    env = dict(os.environ, TAPPEDIN_DB=store.url)
    store.close()
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={folder}",
           "--ServerApp.ip=127.0.0.1", *extra]
    if args.no_browser:
        cmd.append("--no-browser")
    told = any(a == "--allow-root" or a.startswith("--ServerApp.allow_root") for a in extra)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and not told:
        # JupyterLab refuses root unless told; root is usual in a container.
        cmd.append("--allow-root")
        print("Running as root (as in most containers), so JupyterLab gets --allow-root.")
    print(f"Opening the workbook in JupyterLab ({folder}); your data: {store.location}")
    # In a session of its own: Ctrl+C reaches only us (JupyterLab would stop to ask
    # "Shutdown this Jupyter server?"), and we stop it and its kernels together.
    proc = subprocess.Popen(cmd, env=env, start_new_session=_GROUPS)
    return _wait_or_stop(proc, group=_GROUPS)


#: Whether a child can be given a process group of its own (POSIX).
_GROUPS = hasattr(os, "killpg")


def _stop_on_sigterm() -> None:
    """A service manager's SIGTERM stops us as Ctrl+C does (and so our server child too)."""
    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _stop_child(proc: subprocess.Popen, *, group: bool = False, wait: float = 10) -> None:
    """SIGTERM a server we started (it shuts its kernels down), SIGKILL if it hangs;
    ``group``: its whole process group, which it leads (anything it left behind too)."""
    def send(sig: int) -> None:
        try:
            if group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        except ProcessLookupError:  # already gone
            pass

    send(signal.SIGTERM)
    try:
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        proc.wait()
    if group:
        send(signal.SIGKILL)  # a kernel that outlived its server


def _wait_or_stop(proc: subprocess.Popen, *, group: bool) -> int:
    """Wait for the child server; on Ctrl+C or SIGTERM, stop it and say so."""
    _stop_on_sigterm()
    try:
        return proc.wait()
    except KeyboardInterrupt:
        _stop_child(proc, group=group, wait=20)
        print("Stopped.")
        return 0


def cmd_export(args: argparse.Namespace) -> int:
    from . import exchange

    with _open_store(args, create=False) as store:
        fmt = args.format or (Path(args.path).suffix.lstrip(".").lower() if args.path else "zip")
        if fmt not in ("zip", "xlsx", "json"):
            raise TappedInError(f"Can't export as '.{fmt}': use a .zip, .xlsx or .json file.")
        path = Path(args.path) if args.path else Path(exchange.default_export_name()).with_suffix(
            f".{fmt}")
        writer = {"zip": exchange.export_zip, "xlsx": exchange.export_xlsx,
                  "json": exchange.export_json}[fmt]
        written = writer(store, path)
    done(f"Exported everything to {written}")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    from . import reminders

    with _open_store(args, create=False) as store:
        if args.ics == "-":
            data, _count = reminders.calendar_bytes(store)
        elif args.ics:
            path, count = reminders.write_ics(store, args.ics)
        else:
            items = reminders.reminders(store)
    if args.ics == "-":
        _write_bytes(data)  # the calendar alone: a message would spoil the file
    elif args.ics:
        done(f"Wrote {reminders.count_phrase(count)} to {path}. Open it with your calendar "
             "to add them; importing a newer file later updates them instead of adding "
             "them twice.")
    elif not items:
        out("Nothing to remind you of: no open action has a due date and no reconnect is "
            "planned.")
    else:
        for item in items:
            out(f"{item.day:%a %d %b %Y}  {item.summary}")
        out(f"({reminders.count_phrase(len(items))}; `tappedin reminders --ics FILE.ics` "
            "puts them in your calendar)")
    return 0


def _write_bytes(data: bytes) -> None:
    """Write a file's bytes to standard output; a failure becomes :class:`_OutputFailed`."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as e:
        raise _OutputFailed(e) from None


def _parse_maps(pairs: Sequence[str]) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        if "=" not in pair:
            raise TappedInError(f"--map takes COLUMN=FIELD (got '{pair}').")
        column, field = pair.split("=", 1)
        mapping[column.strip()] = field.strip() or None
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    from . import exchange

    with _open_store(args) as store:
        day_first = True if args.day_first else (False if args.month_first else None)
        try:
            report = exchange.import_file(store, args.file, mapping=_parse_maps(args.map),
                                          dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                                          day_first=day_first)
        except exchange.MappingError as e:
            print(f"tappedin: {e}", file=sys.stderr)
            print("Columns found: " + ", ".join(e.columns), file=sys.stderr)
            print("Map them with --map \"COLUMN=FIELD\" (fields: "
                  + ", ".join(sorted(set(exchange.MAPPABLE))) + ").", file=sys.stderr)
            return 2
    (done if report.applied else out)(report.summary())
    for r in report.rejected:
        out(f"  {r.table} row {r.row}: {r.reason}")
    for warning in report.warnings:
        out(f"  note: {warning}")
    if report.rejected and not report.applied and not args.dry_run:
        out("Nothing was written. Fix those rows, or add --skip-invalid to import the rest.")
        return 1
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from . import exchange

    with _open_store(args, create=False) as store:
        copy = exchange.backup(store, args.dest)
        # the .db file alone then holds everything too (people copy files)
        store.checkpoint()
    done(f"Backed up to {copy}")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from . import exchange

    with _open_store(args) as store:
        found = exchange.backups(store)
    if not found:
        out("No backups yet. `tappedin backup` makes one.")
    for path in found:
        out(str(path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from . import exchange
    from .store import resolve_url

    exchange.check_backup(args.backup)
    target = args.db or resolve_url()
    if not args.yes:
        if not sys.stdin.isatty():
            raise TappedInError("Restoring replaces your current data; add --yes to confirm.")
        answer = input(f"Replace the data in {target} with {args.backup}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            out("Nothing was changed.")
            return 0
    kept = exchange.restore(target, args.backup)
    done(f"Restored from {args.backup}." + (f" Your previous data was kept in {kept}."
                                             if kept else ""))
    return 0


def _admin_url(args: argparse.Namespace) -> str:
    from .store import resolve_url

    return resolve_url(args.db)


def _password(args: argparse.Namespace) -> tuple[str | None, bool]:
    """The new role's password and whether it was made up here (to be shown once)."""
    from .cohort import new_password

    if args.no_password:
        return None, False
    if args.password_file:
        try:
            text = Path(args.password_file).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise TappedInError(f"Can't read the password file {args.password_file}: "
                                f"{getattr(e, 'strerror', None) or e}.") from None
        password = text.splitlines()[0].strip() if text.strip() else ""
        if len(password) < 8:
            raise TappedInError("The password in that file is shorter than 8 characters.")
        return password, False
    return new_password(), True


def cmd_cohort(args: argparse.Namespace) -> int:
    from . import cohort

    url = _admin_url(args)
    action = args.cohort_action
    if action == "init":
        cohort.init(url)
        done("The cohort is ready: add job seekers with `tappedin cohort add-user NAME` "
              "and coaches with `tappedin cohort add-coach NAME`.")
    elif action in ("add-user", "add-coach"):
        password, made_up = _password(args)
        add = cohort.add_user if action == "add-user" else cohort.add_coach
        name = add(url, args.name, password)
        who = "job seeker" if action == "add-user" else "coach"
        done(f"Added {who} '{name}'. Their TAPPEDIN_DB:")
        done(cohort.user_url(url, name, password if made_up else None))
        if made_up:
            print("(the password is shown only this once)", file=sys.stderr)
    elif action == "remove-user":
        if not args.yes:
            raise TappedInError(f"This deletes '{args.name}' and everything they stored, for "
                                "good. Export their data first if they want it, then run "
                                "again with --yes.")
        cohort.remove_user(url, args.name)
        done(f"Removed '{args.name}' and their data.")
    elif action == "list":
        for group, names in cohort.members(url).items():
            label = "Job seekers" if group == cohort.SEEKERS else "Coaches"
            out(f"{label} ({len(names)}): {', '.join(names) if names else '-'}")
    return 0


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve_token(host: str, require_token: bool) -> str | None:
    """A fresh token whenever others could reach the app (or when asked for one)."""
    import secrets

    if require_token or host not in LOOPBACK:
        return secrets.token_urlsafe(24)
    return None


#: Pages that may hold a kernel at once (each about 200 MB); see voila_server.
MAX_WINDOWS = 6


def voila_command(notebook: Path, port: int, host: str, extra: Sequence[str] = (),
                  token: str | None = None, max_windows: int = MAX_WINDOWS) -> list[str]:
    """The Voilà command line that serves the app (Voilà as :mod:`.voila_server` runs it)."""
    auth = [f"--Voila.token={token}"] if token else []
    return [
        sys.executable, "-m", "tappedin_widgets.voila_server", str(notebook), "--no-browser",
        f"--port={port}", f"--Voila.ip={host}", "--Voila.port_retries=0",
        "--show_tracebacks=False", "--theme=light",
        # One kernel is warmed up before anyone connects (imports done); the app then
        # waits for the page request before it reads the store (preheat.wait_for_request).
        "--preheat_kernel=True", "--pool_size=1",
        # A page that is closed or reloaded shuts its kernel down (voila_server sets
        # the cookie that request needs); a kernel nobody is connected to (a plain
        # GET, a lost shutdown request) is culled after 40 s, looked for every 10 s.
        "--MappingKernelManager.cull_idle_timeout=40",
        "--MappingKernelManager.cull_interval=10",
        f"--TappedInVoila.max_windows={max_windows}",
        *auth,
        *extra,
    ]


def cmd_serve(args: argparse.Namespace, extra: Sequence[str]) -> int:
    from .demo import load_demo

    notebook = notebooks_dir() / ("coach.ipynb" if args.coach else "dashboard.ipynb")
    if not notebook.is_file():
        raise TappedInError(f"The notebook was not found at {notebook}.")
    if args.coach:
        from .cohort import CohortStats
        from .store import describe, resolve_url

        url_env = resolve_url(args.db)
        location = describe(url_env)
        with CohortStats(url_env) as stats:  # fail here, with a message, on a wrong address
            stats.summary()
    else:
        with _open_store(args) as store:
            if store.is_empty() and not args.no_demo:
                counts = load_demo(store)
                print(f"Your store was empty, so a demo job search was loaded "
                      f"({counts.get('applications', 0)} applications) to explore. "
                      "Clear it from the app when you're ready to log your own.")
            url_env = store.url
            location = store.location
    host = args.host
    token = serve_token(host, args.token)
    if host not in LOOPBACK:
        print(f"Listening on {host}: anyone who can reach this machine AND has the token "
              "below can open your workbook. Share the address only with people you trust.")
    try:
        port = args.port or free_port(host if host != "localhost" else "127.0.0.1")
    except OSError as e:
        raise TappedInError(f"Can't listen on {host}: {e.strerror}.") from None
    env = dict(os.environ, TAPPEDIN_DB=url_env)
    cmd = voila_command(notebook, port, host, extra, token, args.max_windows)
    address = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)

    _stop_on_sigterm()
    from .preheat import READY

    # The address is printed once Voilà listens AND a preheated kernel is waiting for
    # the first page: opened before that, the page took 16 s (the kernel's start-up).
    listening = ready = announced = False
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if args.verbose:
                sys.stderr.write(line)
            listening = listening or "running at" in line.lower()
            ready = ready or READY in line
            if not announced and listening and ready:
                announced = True
                print(f"TAPPED IN is running at {address}  (data: {location})", flush=True)
                print("Press Ctrl+C to stop.", flush=True)
            elif "error" in line.lower() and not args.verbose:
                sys.stderr.write(line)
        return proc.wait()
    except KeyboardInterrupt:
        _stop_child(proc)
        print("Stopped.")
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tappedin",
        description="TAPPED IN: turn each job rejection into progress. Your data stays in a "
                    "local database; `tappedin where` shows which.",
    )
    parser.add_argument("--db", metavar="PATH_OR_URL",
                        help="use this store instead of TAPPEDIN_DB or the default")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("where", help="print where your data is stored",
                       description="Print the location of the store: TAPPEDIN_DB if set "
                                   "(a file path or a SQLAlchemy URL), otherwise data/tappedin.db "
                                   "in a checkout of the workbook, or the user data directory "
                                   "(e.g. ~/.local/share/tappedin/tappedin.db) when installed.")
    p.add_argument("-v", "--verbose", action="store_true", help="also say what chose it")
    p.set_defaults(func=cmd_where)

    p = sub.add_parser("demo", help="load the demo job search into an empty store",
                       description="Load a realistic, hand-written job search (60+ applications "
                                   "over 8+ months) to explore the workbook with. Refuses a "
                                   "store that already holds data unless --force.")
    p.add_argument("--force", action="store_true",
                   help="replace everything in the store with the demo data")
    p.add_argument("--if-empty", action="store_true",
                   help="load only into an empty store; leave a store with data alone "
                        "(and exit 0)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="open the workbook as an app in your browser (Voilà)",
                       description="Serve the workbook's dashboard (the five steps and the "
                                   "trends, as tabs) with Voilà on 127.0.0.1 and print its "
                                   "address. An empty store gets the demo data first. Extra "
                                   "arguments after -- go to Voilà.")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only). Any "
                        "other address lets others reach the app, so a token is required "
                        "and printed with the address")
    p.add_argument("--token", action="store_true",
                   help="require a token even on 127.0.0.1")
    p.add_argument("--max-windows", type=int, default=MAX_WINDOWS, metavar="N",
                   help=f"how many windows or tabs may have the app open at once (default "
                        f"{MAX_WINDOWS}; each holds about 200 MB); one more is asked to close "
                        "some first")
    p.add_argument("--no-demo", action="store_true",
                   help="don't load the demo data into an empty store")
    p.add_argument("--coach", action="store_true",
                   help="serve the coach's cohort page instead (TAPPEDIN_DB: a coach's "
                        "PostgreSQL address; see docs/deploy.md)")
    p.add_argument("-v", "--verbose", action="store_true", help="show Voilà's own log")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", help="export everything (zip of CSVs + XLSX + JSON)",
                       description="Write all your data to a file you keep: a .zip with one "
                                   "CSV per table, an XLSX workbook and a JSON file (default), "
                                   "or just the .xlsx or .json.")
    p.add_argument("path", nargs="?", help="file to write (default tappedin-export-DATE.zip)")
    p.add_argument("--format", choices=("zip", "xlsx", "json"),
                   help="file type (default: from the file name, else zip)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="import an export, or another tracker's spreadsheet",
                       description="Read a TAPPED IN export (.zip, .json, .xlsx) or a CSV/XLSX "
                                   "of applications from another tracker. Everything is checked "
                                   "first and reported; then all rows go in at once, or none.")
    p.add_argument("file", help="the file to import")
    p.add_argument("--dry-run", action="store_true", help="only report what would be imported")
    p.add_argument("--skip-invalid", action="store_true",
                   help="import the valid rows even if some are rejected")
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="map a spreadsheet column to a field (COLUMN= skips it); repeatable")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--day-first", action="store_true", help="read 03/04/2026 as 3 April")
    order.add_argument("--month-first", action="store_true", help="read 03/04/2026 as 4 March")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("reminders", help="your reconnects and actions' due dates, for a "
                                         "calendar",
                       description="List the reconnects you planned and your open actions' "
                                   "due dates, soonest first. With --ics, write them as an "
                                   "iCalendar file to import into your calendar: one all-day "
                                   "reminder each; done items are left out, and importing a "
                                   "newer file updates the same reminders.")
    p.add_argument("--ics", metavar="PATH",
                   help="write a calendar file (.ics) here, whole or not at all; - writes it "
                        "to standard output")
    p.set_defaults(func=cmd_reminders)

    p = sub.add_parser("backup", help="back up the database (safe while the app runs)",
                       description="Copy the database with SQLite's online backup, safe while "
                                   "the app runs. Default: the backups folder beside it.")
    p.add_argument("dest", nargs="?", help="file or folder for the copy")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help="list the backups, newest first",
                       description="List the backups in the folder beside the database, "
                                   "newest first (automatic ones are made before every "
                                   "migration and import; the last 5 are kept).")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="replace your data with a backup",
                       description="Check a backup, keep a copy of the current data, then "
                                   "replace it with the backup's (safe while the app runs).")
    p.add_argument("backup", help="the backup file")
    p.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "cohort", help="run the workbook for many job seekers on PostgreSQL",
        description="For a career centre: with TAPPEDIN_DB (or --db) set to a PostgreSQL "
                    "superuser's URL, set up a cohort where every job seeker has a database "
                    "account and a schema of their own, and coaches see counts only. "
                    "See docs/deploy.md.")
    csub = p.add_subparsers(dest="cohort_action", metavar="ACTION", required=True)
    csub.add_parser("init", help="set up the cohort (once; safe to run again after upgrades)")
    for action, who in (("add-user", "a job seeker"), ("add-coach", "a coach")):
        c = csub.add_parser(action, help=f"add {who} (prints their TAPPEDIN_DB address)")
        c.add_argument("name", help="their user name: lower-case letters, digits and _")
        how = c.add_mutually_exclusive_group()
        how.add_argument("--password-file", metavar="FILE",
                         help="take the password from the first line of FILE "
                              "(default: make one up and print it once)")
        how.add_argument("--no-password", action="store_true",
                         help="no password: PostgreSQL authenticates them another way")
    c = csub.add_parser("remove-user", help="delete a job seeker and all their data")
    c.add_argument("name")
    c.add_argument("--yes", action="store_true", help="yes, delete their data for good")
    csub.add_parser("list", help="list job seekers and coaches")
    p.set_defaults(func=cmd_cohort)

    p = sub.add_parser("lab", help="open the workbook's notebooks in JupyterLab",
                       description="Open JupyterLab on the workbook's notebooks, on 127.0.0.1. "
                                   "Extra arguments after -- go to JupyterLab.")
    p.add_argument("--no-browser", action="store_true", help="don't open a browser tab")
    p.set_defaults(func=cmd_lab)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _DONE.clear()
    try:
        if args.func in (cmd_lab, cmd_serve):
            return args.func(args, extra)
        code = args.func(args)
        try:
            sys.stdout.flush()
        except OSError as e:
            raise _OutputFailed(e) from None
        return code
    except _OutputFailed as e:
        return _output_failed(e.error)
    except TappedInError as e:
        print(f"tappedin: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # last resort: a message, the details in the log
        log.debug("unexpected error", exc_info=True)
        # only say nothing changed when nothing was done for good yet
        after = (f" This was already done: {' '.join(_DONE)}" if _DONE
                 else " Nothing was changed.")
        print(f"tappedin: something went wrong ({type(e).__name__}: {e}).{after}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
