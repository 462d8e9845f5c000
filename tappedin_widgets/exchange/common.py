"""What export, the readers and the importer share: the export's format, limits,
errors, and how a stored value is written out (and a formula made harmless)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..models import RECORDS, ExchangeError
from ..store import DATA_TABLES

FORMAT = "tappedin-export"
FORMAT_VERSION = 1
JSON_NAME = "tappedin.json"
XLSX_NAME = "tappedin.xlsx"
ABOUT_SHEET = "about"
MAX_FILE_BYTES = 20 * 1024 * 1024        # a year of job search is well under 1 MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024   # guards against zip bombs
MAX_ROWS = 200_000
XLSX_CELL_MAX = 32_767                   # Excel refuses longer cells

STAMPS = ("created_at", "updated_at")
#: Parents before children; themes first, since tags and actions name them.
IMPORT_ORDER: tuple[str, ...] = ("custom_themes",) + tuple(
    t for t in DATA_TABLES if t != "custom_themes")

UNIQUE_MESSAGES = {
    "applications": "You already logged this role at this company on that date",
    "contacts": "This person is already listed for the application",
    "feedback_tags": "That theme is already tagged with that polarity",
    "reflections": "This application already has a reflection",
    "interview_questions": "That question is already on your list",
    "job_items": "That item is already in the list",
    "must_haves": "You already have a must-have with that name",
    "must_have_checks": "This must-have is already checked for the application",
    "custom_themes": "There is already a theme with that name",
}


class MappingError(ExchangeError):
    """The columns of a spreadsheet can't be matched to an application's fields.

    ``columns`` are the file's columns and ``mapping`` the mapping tried, so a
    form can let the person pick the right ones.
    """

    def __init__(self, message: str, columns: Sequence[str], mapping: Mapping[str, str | None]):
        super().__init__(message)
        self.columns = list(columns)
        self.mapping = dict(mapping)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)



def atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write next to the target and rename: a failed write leaves no half file."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExchangeError(f"{path} is a folder; give a file name to write to.")
    if not path.parent.is_dir():
        raise ExchangeError(f"The folder {path.parent} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return False


def plain(value: Any, kind: str | None) -> Any:
    """One stored value as plain JSON-able Python: ISO text for dates and times."""
    if is_missing(value):
        return None
    if kind == "date":
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return value.date().isoformat()
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "stamp":
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        return value.isoformat() if isinstance(value, dt.datetime) else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return str(value)


def export_columns(kind: str) -> list[str]:
    spec = RECORDS[kind]
    names = [n for n in spec.names if n != "id"]
    return ["id", *names, *STAMPS]


def value_kinds(kind: str) -> dict[str, str]:
    spec = RECORDS[kind]
    out = {f.name: f.kind for f in spec.fields}
    out.setdefault("id", "text" if kind == "custom_themes" else "int")
    out.update({s: "stamp" for s in STAMPS})
    return out


#: Text a spreadsheet would run as a formula (OWASP's list for CSV injection),
#: after any quotes that :func:`neutral` added before.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def neutral(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: a leading ' before a formula's first sign.

    OWASP's advice for CSV injection. Text that already starts with quotes and
    then such a sign gets one more, so :func:`unneutral` gives every text back.
    """
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def unneutral(value: Any) -> Any:
    """The text :func:`neutral` was given."""
    if isinstance(value, str) and value.startswith("'") and _FORMULA_START.match(value):
        return value[1:]
    return value


def unneutral_rows(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """The rows of one of our export's CSV files, with the text that was exported."""
    return [(number, {c: unneutral(v) for c, v in raw.items()}) for number, raw in rows]
