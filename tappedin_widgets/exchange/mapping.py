"""Another tracker's spreadsheet: which column feeds which field of an application,
and how its status, source and date cells read."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .. import models
from .common import MappingError, is_missing

#: Fields a spreadsheet column can feed. "status" is read into stage and outcome.
MAPPABLE: dict[str, str] = {
    "company": "Company",
    "role": "Role / job title",
    "location": "Location",
    "source": "Source",
    "applied_on": "Applied on",
    "status": "Status (stage and outcome)",
    "stage": "Stage reached",
    "outcome": "Outcome",
    "outcome_on": "Outcome on",
    "job_link": "Job link",
    "notes": "Notes (several columns allowed)",
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "company": ("company", "company name", "companyname", "employer", "organization",
                "organisation", "org", "business", "firm", "hiring company"),
    "role": ("role", "job title", "title", "position", "position title", "job", "job name",
             "job position", "role title", "jobtitle", "opening"),
    "location": ("location", "job location", "city", "place", "office", "where",
                 "work location"),
    "source": ("source", "found via", "found on", "channel", "job source", "where found",
               "referral source", "how found", "board"),
    "applied_on": ("date applied", "applied on", "applied", "application date", "applied date",
                   "date of application", "applied at", "submitted", "date submitted",
                   "applied_on"),
    "status": ("status", "application status", "job status", "state", "pipeline",
               "list", "column", "progress", "result"),
    "stage": ("stage", "stage reached", "pipeline stage"),
    "outcome": ("outcome", "decision", "final outcome"),
    "outcome_on": ("outcome on", "outcome date", "date rejected", "rejected on",
                   "rejection date", "decision date", "closed on", "date closed",
                   "outcome_on", "response date"),
    "job_link": ("url", "link", "job url", "job link", "posting", "posting url", "job posting",
                 "job posting url", "listing url", "website", "job_link", "posting link"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "memo"),
}


@functools.lru_cache(maxsize=65536)  # a big tracker repeats its few status words
def norm_name(text: str) -> str:
    return _NOT_ALNUM.sub(" ", str(text).lower()).strip()


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


SYNONYM_FIELDS = {norm_name(s): f for f, names in _SYNONYMS.items() for s in names}


def guess_mapping(columns: Iterable[str]) -> dict[str, str]:
    """Which application field each column feeds, judged by its name.

    Case, spacing and punctuation don't matter ("Job Title", "job_title",
    "JOB-TITLE"). Columns not recognised are left out; a field is given to
    the first column that claims it (except notes, which several can feed).
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for col in columns:
        f = SYNONYM_FIELDS.get(norm_name(col))
        if f is None or (f in taken and f != "notes"):
            continue
        out[col] = f
        taken.add(f)
    # A lone "Stage" column in a tracker holds "Rejected" as often as "Interview";
    # a "Stage" beside a "Status" is the stage, and the status then says how it ended.
    by_field = {f: c for c, f in out.items()}
    if "stage" in by_field and "outcome" not in by_field:
        if "status" in by_field:
            out[by_field["status"]] = "outcome"
        else:
            out[by_field["stage"]] = "status"
    elif "status" in by_field and "outcome" in by_field and "stage" not in by_field:
        out[by_field["status"]] = "stage"
    return out


def resolve_mapping(columns: Sequence[str], mapping: Mapping[str, str | None] | None = None
                    ) -> dict[str, str | None]:
    """The guessed mapping with the person's choices laid over it (None: don't import)."""
    out: dict[str, str | None] = {c: None for c in columns}
    out.update(guess_mapping(columns))
    for col, f in (mapping or {}).items():
        if col not in out:
            raise MappingError(f"There is no column '{col}' in the file.", columns, out)
        if f is not None and f not in MAPPABLE:
            raise MappingError(f"'{f}' is not something a column can be imported into.",
                               columns, out)
        out[col] = f
    return out


def check_mapping(columns: Sequence[str], mapping: Mapping[str, str | None], name: str) -> None:
    by_field: dict[str, list[str]] = {}
    for col, f in mapping.items():
        if f is not None:
            by_field.setdefault(f, []).append(col)
    for f, cols in by_field.items():
        if f != "notes" and len(cols) > 1:
            raise MappingError(f"The columns {', '.join(repr(c) for c in cols)} are all set to "
                               f"{MAPPABLE[f]}; choose one.", columns, mapping)
    if "status" in by_field and ("stage" in by_field or "outcome" in by_field):
        raise MappingError("Choose either one Status column, or separate Stage and Outcome "
                           "columns, not both.", columns, mapping)
    if not by_field:
        raise MappingError(f"{name} doesn't look like a list of applications: none of its "
                           f"columns ({shown_columns(columns)}) is a company, job title, "
                           "date or status. Pick what each column holds.", columns, mapping)
    missing = [MAPPABLE[f] for f in ("company", "role") if f not in by_field]
    if missing:
        raise MappingError(f"Say which column holds the {' and the '.join(missing).lower()} "
                           f"(columns in {name}: {shown_columns(columns)}).", columns, mapping)


def shown_columns(columns: Sequence[str]) -> str:
    shown = ", ".join(columns[:12])
    return shown + (", ..." if len(columns) > 12 else "")


# Status words from other trackers. Stage words say how far it went; outcome
# words say how it ended. "Rejected after interview" gives both.
_STAGE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("offer", ("offer", "offered", "hired", "accepted")),
    ("final round", ("final", "final round", "final interview", "onsite", "on site",
                     "on-site", "last round", "panel")),
    ("interview", ("interview", "interviewing", "interviews", "interviewed", "technical",
                   "assessment", "take home", "case study", "second round", "2nd round",
                   "first round", "1st round")),
    ("screen", ("screen", "screening", "phone screen", "recruiter call", "phone call",
                "hr call", "recruiter screen", "phone")),
    ("applied", ("applied", "applying", "application sent", "submitted", "sent",
                 "in review", "under review", "pending", "waiting", "open", "active",
                 "in progress")),
)
_OUTCOME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("accepted", ("accepted", "hired", "offer accepted", "signed")),
    ("withdrawn", ("withdrawn", "withdrew", "withdraw", "not interested", "declined offer",
                   "i declined", "dropped out", "pulled out")),
    ("rejected", ("rejected", "rejection", "declined", "not selected", "not moving forward",
                  "unsuccessful", "no offer", "turned down", "ghosted", "no response",
                  "no reply", "closed", "position filled", "filled", "denied", "refused")),
    ("offer", ("offer", "offered", "offer received")),
)
_NOT_APPLIED = ("wishlist", "wish list", "saved", "bookmarked", "bookmark", "interested",
                "to apply", "not applied", "not yet applied", "planning", "draft", "watching")


def _words(text: str) -> str:
    return " " + norm_name(text) + " "


def _has(text: str, phrase: str) -> bool:
    return f" {norm_name(phrase)} " in text


def read_status(value: Any) -> tuple[str | None, str | None]:
    """(stage, outcome) from a tracker's status text; raises ValueError if unknown.

    "Rejected" -> (None, "rejected"); "Interviewing" -> ("interview", None);
    "Rejected after final round" -> ("final round", "rejected"). Empty -> (None, None).
    """
    if is_missing(value) or not str(value).strip():
        return None, None
    return _read_status_text(str(value))


@functools.lru_cache(maxsize=4096)  # the same few words on every row of a big tracker
def _read_status_text(value: str) -> tuple[str | None, str | None]:
    text = _words(value)
    if any(_has(text, p) for p in _NOT_APPLIED):
        raise ValueError(f"Status '{short(value)}' means you haven't applied yet; TAPPED IN "
                         "keeps applications you sent. Change it to 'Applied' to import it.")
    stage = next((s for s, words in _STAGE_WORDS if any(_has(text, p) for p in words)), None)
    outcome = next((o for o, words in _OUTCOME_WORDS if any(_has(text, p) for p in words)), None)
    if outcome == "offer" and stage is None:
        stage = "offer"
    if outcome == "accepted":
        stage = "offer"
    if stage == "offer" and outcome is None:
        outcome = "offer"
    if stage == "offer" and outcome == "rejected" and _has(text, "declined"):
        outcome = "withdrawn"  # "offer declined": you said no
    if stage is None and outcome is None:
        raise ValueError(f"Status '{short(value)}' is not one TAPPED IN knows. Use one of: "
                         "Applied, Screen, Interviewing, Final round, Offer, Accepted, "
                         "Rejected, Withdrawn.")
    return stage, outcome


_SOURCE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("referral", ("referral", "referred", "referred by", "friend", "network", "networking",
                  "colleague", "former colleague")),
    ("recruiter", ("recruiter", "agency", "headhunter", "recruitment agency", "inbound",
                   "recruiter reached out")),
    ("company site", ("company site", "company website", "careers page", "career page",
                      "careers site", "website", "direct", "company")),
    ("job board", ("job board", "linkedin", "indeed", "glassdoor", "monster", "ziprecruiter",
                   "wellfound", "angellist", "dice", "otta", "welcome to the jungle",
                   "hired", "handshake", "seek", "stepstone", "xing", "board", "job site")),
)


def read_source_value(value: Any) -> tuple[str | None, str | None]:
    """(source choice, original text worth keeping in notes, or None)."""
    if is_missing(value) or not str(value).strip():
        return None, None
    raw = str(value).strip()
    if raw.lower() in models.SOURCES:
        return raw.lower(), None
    text = _words(raw)
    for choice, words in _SOURCE_WORDS:
        if any(_has(text, p) for p in words):
            return choice, raw if norm_name(raw) != choice else None
    return "other", raw


def short(value: Any, n: int = 40) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= n else text[: n - 3] + "..."


# -- dates written the many ways trackers write them

_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_TEXT_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y",
                 "%d-%b-%Y", "%d-%b-%y", "%d %b, %Y", "%a, %b %d, %Y", "%A, %B %d, %Y",
                 "%b %Y", "%B %Y")


def guess_day_first(values: Iterable[Any]) -> bool | None:
    """True/False if a column's numeric dates show their order; None if they never do."""
    day_first = month_first = 0
    for v in values:
        if not isinstance(v, str):
            continue
        m = _NUMERIC_DATE.match(v.strip().split(" ")[0])
        if not m or len(m.group(1)) == 4:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        day_first += a > 12 >= b
        month_first += b > 12 >= a
    if day_first != month_first:
        return day_first > month_first
    return None


def ambiguous_date(value: Any) -> bool:
    """03/04/2026: 3 April or 4 March?"""
    if not isinstance(value, str):
        return False
    m = _NUMERIC_DATE.match(value.strip().split(" ")[0])
    return bool(m) and len(m.group(1)) <= 2 and int(m.group(1)) <= 12 and int(m.group(2)) <= 12


def read_date(value: Any, label: str, *, day_first: bool = False) -> dt.date | None:
    """A date from ISO text, a spreadsheet date, 03/14/2026, 14.03.2026 or 'Mar 14, 2026'."""
    if is_missing(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return models.parse_date(value, label)
    text = " ".join(str(value).split())
    if not text:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return models.parse_date(text, label)
    m = _NUMERIC_DATE.match(text.split(" ")[0])
    if m:
        a, b, c = (int(g) for g in m.groups())
        if len(m.group(1)) == 4:
            y, mo, d = a, b, c
        else:
            y = c + 2000 if c < 100 else c
            d, mo = (a, b) if day_first else (b, a)
        try:
            return dt.date(y, mo, d)
        except ValueError:
            pass
    else:
        for fmt in _TEXT_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise ValueError(f"{label}: '{short(value)}' is not a date TAPPED IN can read; "
                     "use the form 2026-03-14.")
