"""Record types, fixed choices and validation.

Every value that reaches the store passes through :func:`validate` first, so a
form, the CLI and the importer all reject bad input with the same clear,
named errors. Nothing here speaks SQL.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------
# Errors


class TappedInError(Exception):
    """Base class for every error a person may see a message for."""


class ValidationError(TappedInError, ValueError):
    """One or more values were not acceptable.

    ``errors`` maps a field name to a sentence a person understands; forms
    show each one next to its field.
    """

    def __init__(self, errors: Mapping[str, str] | str, record: str | None = None):
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors: dict[str, str] = dict(errors)
        self.record = record
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        for name, msg in self.errors.items():
            parts.append(msg if not name else msg)
        return " ".join(parts)


class NotFound(TappedInError, LookupError):
    """The record asked for does not exist (any more)."""


class StoreError(TappedInError):
    """The database cannot be used (wrong file, too new, unreachable)."""


class ExchangeError(TappedInError):
    """A file can't be exported, imported, backed up or restored; nothing was written."""


# --------------------------------------------------------------------------
# Fixed choices (order matters: it is the order shown and charted)

SOURCES = ("referral", "job board", "recruiter", "company site", "other")
STAGES = ("applied", "screen", "interview", "final round", "offer")
OUTCOMES = ("open", "rejected", "withdrawn", "offer", "accepted")
CHANNELS = ("phone", "video call", "email", "in person", "other")
POLARITIES = ("+", "-")
TAG_SOURCES = ("user", "suggested")
NOTE_STATUSES = ("draft", "sent")
NOTE_TONES = ("warm", "brief", "formal")
RECONNECT_STATUSES = ("planned", "done", "skipped")
JOB_ITEM_KINDS = ("liked", "concern")
CHECK_STATUSES = ("present", "missing", "unknown")

POLARITY_LABELS = {"+": "strength", "-": "gap"}


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str


#: The built-in feedback theme taxonomy. ``competition`` is special: it is a
#: reason outside the candidate's control, always a "-", and charted apart.
BUILTIN_THEMES: tuple[Theme, ...] = (
    Theme("experience", "Experience",
          "Years, seniority, domain or industry background, level (including overqualified)."),
    Theme("technical_skills", "Technical skills",
          "Hard skills, coding, tools, technical depth, case or skills-test performance."),
    Theme("communication", "Communication",
          "Clarity, conciseness, listening, articulation, written communication."),
    Theme("examples_results", "Examples & results",
          "Concrete examples, STAR answers, quantified impact, depth on your own contribution."),
    Theme("preparation", "Preparation",
          "Research on the company, role or product; being prepared for the interview."),
    Theme("culture_fit", "Culture fit", "Values, team fit, working style."),
    Theme("leadership", "Leadership",
          "Leading people or projects, ownership, initiative, stakeholders, strategic thinking."),
    Theme("enthusiasm", "Enthusiasm",
          "Motivation, interest in the role or company, energy, passion."),
    Theme("compensation_logistics", "Pay & logistics",
          "Salary expectations, location, relocation, remote work, availability, start date."),
    Theme("competition", "Competition",
          "Internal candidate, a closer match, role filled, cancelled or on hold: not about you."),
    Theme("questions_asked", "Questions asked", "The questions you asked, or did not ask."),
    Theme("presence", "Presence",
          "Confidence, nerves, body language, professionalism, punctuality, appearance."),
    Theme("qualifications", "Qualifications",
          "Degrees, certifications, licences, languages, work authorisation, formal requirements."),
)
THEME_IDS: tuple[str, ...] = tuple(t.id for t in BUILTIN_THEMES)
THEMES: dict[str, Theme] = {t.id: t for t in BUILTIN_THEMES}
COMPETITION = "competition"

REFLECTION_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("did_well", "What did I do well, before and during the interviews?"),
    ("underprepared", "Which questions should I have been better prepared to answer?"),
    ("learned_process", "What did I learn from the process itself?"),
    ("learned_self", "What did I learn about myself, and about other people?"),
    ("do_differently", "Given the feedback, what will I do differently next time?"),
)

# --------------------------------------------------------------------------
# Limits

SHORT_MAX = 200          # names, titles, companies, roles
MEDIUM_MAX = 2_000       # list items, questions, action texts, links
LONG_MAX = 50_000        # feedback, notes, reflection answers
EARLIEST = dt.date(1970, 1, 1)
FUTURE_YEARS = 5         # due/reconnect dates may lie this far ahead, no further

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_SLUG = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def today() -> dt.date:
    return dt.date.today()


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and the word that agrees with it: "1 piece", "3 pieces" (one rule for every
    count the app writes)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


# --------------------------------------------------------------------------
# Field specs


@dataclass(frozen=True)
class Field:
    """One input of a record type.

    kind is one of: text, long, date, bool, choice, int, email, url, slug.
    ``past`` dates may not lie after today (+1 day of slack for time zones);
    other dates may lie up to FUTURE_YEARS ahead.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    max_len: int | None = None
    past: bool = False
    default: Any = None

    @functools.cached_property
    def limit(self) -> int:
        if self.max_len is not None:
            return self.max_len
        return {"text": SHORT_MAX, "long": LONG_MAX, "email": SHORT_MAX,
                "url": MEDIUM_MAX, "slug": 40}.get(self.kind, SHORT_MAX)


@dataclass(frozen=True)
class RecordType:
    name: str           # table name
    label: str          # "application", used in messages
    fields: tuple[Field, ...]
    parents: Mapping[str, str] = field(default_factory=dict)  # fk column -> table
    checks: tuple[Any, ...] = ()  # callables(values) -> dict of errors

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @functools.cached_property
    def name_set(self) -> frozenset[str]:
        return frozenset(self.names)

    @functools.cached_property
    def plan(self) -> tuple[tuple[Field, str, Callable[[Field, Any], Any], Any, bool], ...]:
        """What :func:`validate` does per field, looked up once: field, name, cleaner,
        default, required."""
        return tuple((f, f.name, _CLEANERS[f.kind], f.default, f.required) for f in self.fields)


def _dates_in_order(first: str, second: str, message: str):
    def check(values: Mapping[str, Any]) -> dict[str, str]:
        a, b = values.get(first), values.get(second)
        if a is not None and b is not None and b < a:
            return {second: message}
        return {}
    return check


def _outcome_date(values: Mapping[str, Any]) -> dict[str, str]:
    if values.get("outcome") == "offer" and values.get("stage") not in (None, "offer"):
        return {"stage": "An offer means the stage reached is 'offer'."}
    return {}


def _sent_needs_date(values: Mapping[str, Any]) -> dict[str, str]:
    if values.get("status") == "sent" and values.get("sent_on") is None:
        return {"sent_on": "Say when the note was sent."}
    return {}


APPLICATION = RecordType(
    "applications", "application",
    (
        Field("company", "Company", required=True),
        Field("role", "Role", required=True),
        Field("location", "Location"),
        Field("source", "Source", "choice", choices=SOURCES, default="other"),
        Field("applied_on", "Applied on", "date", past=True),
        Field("stage", "Stage reached", "choice", choices=STAGES, default="applied"),
        Field("outcome", "Outcome", "choice", choices=OUTCOMES, default="open"),
        Field("outcome_on", "Outcome on", "date", past=True),
        Field("job_link", "Job link", "url"),
        Field("notes", "Notes", "long"),
    ),
    checks=(_dates_in_order("applied_on", "outcome_on",
                            "The outcome can't come before the application."),
            _outcome_date),
)

CONTACT = RecordType(
    "contacts", "contact",
    (
        Field("application_id", "Application", "int", required=True),
        Field("name", "Name", required=True),
        Field("title", "Title"),
        Field("email", "Email", "email"),
        Field("part", "Their part in the process"),
    ),
    parents={"application_id": "applications"},
)

FEEDBACK = RecordType(
    "feedback", "feedback",
    (
        Field("application_id", "Application", "int", required=True),
        Field("requested_on", "Asked on", "date", past=True),
        Field("received_on", "Received on", "date", past=True),
        Field("contact_id", "Given by", "int"),
        Field("channel", "Channel", "choice", choices=CHANNELS),
        Field("declined", "They declined to give feedback", "bool", default=False),
        Field("observations", "Their observations, in their words", "long"),
    ),
    parents={"application_id": "applications", "contact_id": "contacts"},
    checks=(_dates_in_order("requested_on", "received_on",
                            "Feedback can't arrive before you asked for it."),),
)

FEEDBACK_TAG = RecordType(
    "feedback_tags", "theme tag",
    (
        Field("feedback_id", "Feedback", "int", required=True),
        Field("theme", "Theme", "slug", required=True),
        Field("polarity", "Strength or gap", "choice", required=True, choices=POLARITIES),
        Field("source", "Set by", "choice", choices=TAG_SOURCES, default="user"),
    ),
    parents={"feedback_id": "feedback"},
)

FOLLOW_UP = RecordType(
    "follow_ups", "thank-you note",
    (
        Field("application_id", "Application", "int", required=True),
        Field("contact_id", "To (contact)", "int"),
        Field("recipient", "To", required=True),
        Field("tone", "Tone", "choice", choices=NOTE_TONES, default="warm"),
        Field("subject", "Subject", max_len=300),
        Field("body", "Note", "long", required=True),
        Field("status", "Status", "choice", choices=NOTE_STATUSES, default="draft"),
        Field("sent_on", "Sent on", "date", past=True),
        Field("reconnect_on", "Reconnect on", "date"),
        Field("reconnect_status", "Reconnect", "choice", choices=RECONNECT_STATUSES,
              default="planned"),
    ),
    parents={"application_id": "applications", "contact_id": "contacts"},
    checks=(_sent_needs_date,
            _dates_in_order("sent_on", "reconnect_on",
                            "Reconnect after the note was sent, not before.")),
)

REFLECTION = RecordType(
    "reflections", "self-reflection",
    (Field("application_id", "Application", "int", required=True),)
    + tuple(Field(name, question, "long") for name, question in REFLECTION_QUESTIONS),
    parents={"application_id": "applications"},
)

INTERVIEW_QUESTION = RecordType(
    "interview_questions", "interview question",
    (
        Field("application_id", "Application", "int"),
        Field("question", "Question", "text", required=True, max_len=MEDIUM_MAX),
        Field("practised", "Practised", "bool", default=False),
        Field("practised_on", "Practised on", "date", past=True),
    ),
    parents={"application_id": "applications"},
)

JOB_ITEM = RecordType(
    "job_items", "job reflection item",
    (
        Field("application_id", "Application", "int", required=True),
        Field("kind", "Column", "choice", required=True, choices=JOB_ITEM_KINDS),
        Field("text", "Item", "text", required=True, max_len=MEDIUM_MAX),
    ),
    parents={"application_id": "applications"},
)

MUST_HAVE = RecordType(
    "must_haves", "must-have",
    (
        Field("name", "Must-have", required=True),
        Field("description", "What it means to you", max_len=MEDIUM_MAX),
        Field("retired", "Retired", "bool", default=False),
    ),
)

MUST_HAVE_CHECK = RecordType(
    "must_have_checks", "must-have check",
    (
        Field("application_id", "Application", "int", required=True),
        Field("must_have_id", "Must-have", "int", required=True),
        Field("status", "Status", "choice", required=True, choices=CHECK_STATUSES),
    ),
    parents={"application_id": "applications", "must_have_id": "must_haves"},
)

ACTION_ITEM = RecordType(
    "action_items", "action item",
    (
        Field("application_id", "From application", "int"),
        Field("theme", "Theme", "slug"),
        Field("lesson", "Lesson", "text", max_len=MEDIUM_MAX),
        Field("action", "Action", "text", required=True, max_len=MEDIUM_MAX),
        Field("due_on", "Due", "date"),
        Field("done_on", "Done on", "date", past=True),
    ),
    parents={"application_id": "applications"},
)

CUSTOM_THEME = RecordType(
    "custom_themes", "theme",
    (
        Field("id", "Id", "slug", required=True),
        Field("label", "Name", required=True, max_len=60),
        Field("description", "Description", max_len=MEDIUM_MAX),
        Field("phrases", "Key phrases (one per line)", "long", max_len=MEDIUM_MAX * 5),
        Field("merged_into", "Merged into", "slug"),
    ),
)

RECORDS: dict[str, RecordType] = {
    r.name: r for r in (
        APPLICATION, CONTACT, FEEDBACK, FEEDBACK_TAG, FOLLOW_UP, REFLECTION,
        INTERVIEW_QUESTION, JOB_ITEM, MUST_HAVE, MUST_HAVE_CHECK, ACTION_ITEM,
        CUSTOM_THEME,
    )
}

# --------------------------------------------------------------------------
# Cleaning single values

# C0 controls (bar tab and newlines) and DEL: invisible, and they break exports
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any, f: Field) -> str | None:
    """Normalise a text value; None for empty. Raises ValueError with a message."""
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, float) and value != value:  # NaN from pandas
            return None
        value = str(value)
    if _CONTROL.search(value):
        raise ValueError(f"{f.label} contains invisible control characters; "
                         "please retype or paste it as plain text.")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value.isascii():  # ASCII is NFC already
        value = unicodedata.normalize("NFC", value)
    kind = f.kind
    if kind == "text":
        value = " ".join(value.split())
    elif kind in ("email", "url", "slug", "choice"):
        value = value.strip()
    if not value or not value.strip():
        return None
    if len(value) > f.limit:
        raise ValueError(f"{f.label} is too long: {len(value):,} characters, "
                         f"at most {f.limit:,} fit.")
    return value


def parse_date(value: Any, label: str = "Date") -> dt.date | None:
    """Accept a date, datetime, pandas Timestamp or ISO text; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp / NaT
        if str(value) == "NaT":
            return None
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" \
                else _raise_date(label, text)
        except ValueError:
            _raise_date(label, text)
    raise ValueError(f"{label} must be a date like 2026-03-14.")


def _raise_date(label: str, text: str):
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise ValueError(f"{label}: '{shown}' is not a real date; use the form 2026-03-14.")


def _clean_text_kind(f: Field, value: Any) -> Any:
    v = clean_text(value, f)
    if v is None:
        return None
    if f.kind == "email" and not _EMAIL.match(v):
        raise ValueError(f"'{v[:60]}' doesn't look like an email address.")
    if f.kind == "url" and not _URL.match(v):
        raise ValueError("A job link should start with http:// or https://.")
    if f.kind == "slug" and not _SLUG.match(v):
        raise ValueError(f"{f.label}: use lower-case letters, digits and _ only.")
    return v


def _clean_choice(f: Field, value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    v = value.strip() if isinstance(value, str) else str(value).strip()
    if v in f.choices:
        return v
    if not v:
        return None
    lowered = {c.lower(): c for c in f.choices}
    if v.lower() in lowered:
        return lowered[v.lower()]
    shown = v if len(v) <= 40 else v[:37] + "..."
    raise ValueError(f"{f.label} must be one of: {', '.join(f.choices)} (got '{shown}').")


def _clean_bool(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise ValueError(f"{f.label} must be yes or no.")


def _clean_int(f: Field, value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{f.label} must be a record number.")
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{f.label} must be a record number.") from None
    if n != value and not isinstance(value, str):
        raise ValueError(f"{f.label} must be a record number.")
    if n <= 0 or n > 2**62:
        raise ValueError(f"{f.label} must be a record number.")
    return n


def _clean_date(f: Field, value: Any) -> Any:
    d = parse_date(value, f.label)
    if d is None:
        return None
    if d < EARLIEST:
        raise ValueError(f"{f.label} is before 1970; please check the year.")
    limit = today() + (dt.timedelta(days=1) if f.past
                       else dt.timedelta(days=366 * FUTURE_YEARS))
    if d > limit:
        if f.past:
            raise ValueError(f"{f.label} is in the future.")
        raise ValueError(f"{f.label} is more than {FUTURE_YEARS} years ahead; "
                         "please check the year.")
    return d


_CLEANERS: dict[str, Callable[[Field, Any], Any]] = {
    "text": _clean_text_kind, "long": _clean_text_kind, "email": _clean_text_kind,
    "url": _clean_text_kind, "slug": _clean_text_kind, "choice": _clean_choice,
    "bool": _clean_bool, "int": _clean_int, "date": _clean_date,
}


def clean_value(f: Field, value: Any) -> Any:
    """One field's value, cleaned (None for empty); ValueError with a message if invalid."""
    try:
        cleaner = _CLEANERS[f.kind]
    except KeyError:
        raise AssertionError(f"unknown field kind {f.kind}") from None
    return cleaner(f, value)


def validate(record: RecordType | str, values: Mapping[str, Any], *,
             partial: bool = False, current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return cleaned values or raise ValidationError listing every problem.

    With ``partial`` only the given fields are checked (an update); cross-field
    checks then see them merged over ``current``.
    """
    if isinstance(record, str):
        record = RECORDS[record]
    unknown = [k for k in values if k not in record.name_set]
    if unknown:
        raise ValidationError({k: f"'{k}' is not a field of a {record.label}." for k in unknown},
                              record.name)
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    get = values.get
    for f, name, clean, default, required in record.plan:
        if partial and name not in values:
            continue
        value = get(name)
        try:  # None cleans to None whatever the kind
            v = None if value is None else clean(f, value)
        except ValueError as e:
            errors[name] = str(e)
            continue
        if v is None:
            if default is not None and not partial:
                v = default
            elif required:
                errors[name] = f"{f.label} is needed."
                continue
        cleaned[name] = v
    if not errors and record.checks:
        merged = {**current, **cleaned} if current else cleaned  # checks only read it
        for check in record.checks:
            errors.update(check(merged))
    if errors:
        raise ValidationError(errors, record.name)
    return cleaned


def validate_many(record: RecordType | str, rows: Iterable[Mapping[str, Any]]
                  ) -> list[dict[str, Any]]:
    """:func:`validate` for many new records: every row cleaned, or the first bad row's
    errors, naming the row ("Row 3: ...") when it is not the first."""
    if isinstance(record, str):
        record = RECORDS[record]
    cleaned = []
    for i, row in enumerate(rows):
        try:
            cleaned.append(validate(record, row))
        except ValidationError as e:
            if i:
                e.errors = {k: f"Row {i + 1}: {v}" for k, v in e.errors.items()}
            raise
    return cleaned


def theme_label(theme_id: str, custom: Mapping[str, str] | None = None) -> str:
    if theme_id in THEMES:
        return THEMES[theme_id].label
    if custom and theme_id in custom:
        return custom[theme_id]
    return theme_id.replace("_", " ").capitalize()


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "theme_" + slug
    return slug[:40].rstrip("_")


#: The columns of every theme tag as the store gives them (``Store.tags()``): the tag,
#: its feedback's application, and the dates the trends place it by.
TAG_COLUMNS = ("id", "feedback_id", "theme", "polarity", "source", "application_id",
               "received_on", "requested_on", "outcome_on", "applied_on")
