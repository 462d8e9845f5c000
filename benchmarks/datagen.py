"""A seeded, synthetic job search of any size, in the demo data's proportions.

    python3 benchmarks/datagen.py --applications 10000 --db /tmp/bench-10k.db

Per application, on average (data/demo.json: 66 applications, 49 feedback,
71 tags, 89 contacts, 22 notes, 20 reflections, 27 interview questions,
139 job items, 251 must-have checks, 14 action items):

====================  =====
contacts              1.35
feedback              0.74
feedback tags         1.08
thank-you notes       0.33
reflections           0.30
interview questions   0.41
job items             2.1
must-have checks      3.8
action items          0.21
====================  =====

Records refer to their parents by 1-based position in the parent list
(``application_id=1`` is the first application generated), which is also the
id they get in a fresh database. :func:`load_with_store` maps them through the
ids :meth:`Store.add_many` returns; :func:`load_raw` inserts them with the
standard library's sqlite3 alone, as the reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tappedin_widgets import models  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"

#: Child records per application (see the module docstring).
RATIOS = {"contacts": 1.35, "feedback": 0.74, "tags_per_feedback": 1.45, "follow_ups": 0.33,
          "reflections": 0.30, "interview_questions": 0.41, "job_items": 2.1,
          "must_have_checks": 3.8, "action_items": 0.21}

#: Insert order (parents first).
KINDS = ("must_haves", "applications", "contacts", "feedback", "feedback_tags", "follow_ups",
         "reflections", "interview_questions", "job_items", "must_have_checks", "action_items")

_ADJ = ("Northwind", "Blue", "Bright", "Harbor", "Summit", "Cedar", "Atlas", "Lumen", "Maple",
        "Quartz", "River", "Golden", "Pioneer", "Silver", "Granite", "Willow", "Copper",
        "Orbit", "Evergreen", "Falcon", "Prairie", "Beacon", "Crescent", "Juniper", "Meridian",
        "Nimbus", "Oakridge", "Polar", "Redwood", "Tidal")
_NOUN = ("Outfitters", "Analytics", "Health", "Labs", "Systems", "Logistics", "Learning",
         "Media", "Foods", "Energy", "Robotics", "Finance", "Travel", "Retail", "Software",
         "Insights", "Mobility", "Studios", "Networks", "Partners")
_SUFFIX = ("", " Inc.", " Ltd", " Group", " Co.", " GmbH", " & Sons", " Collective")
_ROLES = ("Product Analyst", "Senior Product Analyst", "Data Analyst", "Business Analyst",
          "Analytics Engineer", "Associate Product Manager", "Product Manager",
          "Data Scientist", "Growth Analyst", "Insights Analyst", "Marketing Analyst",
          "BI Developer", "Product Operations Lead", "Research Analyst", "Pricing Analyst")
_CITIES = ("Portland, OR", "Seattle, WA", "Denver, CO", "Austin, TX", "Remote", "Chicago, IL",
           "Boston, MA", "San Diego, CA", None)
_LIKED = ("Mission I care about", "Strong analytics culture", "Friendly team", "Remote-first",
          "Good mentoring", "Clear path to product", "Interesting data", "Modern stack",
          "Short commute", "Flexible hours", "Learning budget", "Small team",
          "Great manager", "Impactful work", "Good salary", "Four-day week")
_CONCERNS = ("Long commute", "Salary below my range", "Too many office days", "Vague role",
             "No mentoring", "Legacy tools", "High turnover", "On-call rota",
             "Slow hiring process", "Unclear growth path", "Big team, little ownership",
             "Lots of travel", "Reporting only, no analysis", "Startup risk")
_MUST_HAVES = ("Remote or hybrid (at most 2 office days)", "Salary at or above 85k",
               "Clear path to product management", "Supportive manager / mentoring",
               "Mission I care about", "Learning budget", "Small team", "Big-name company")
_QUESTIONS = ("Tell me about a time you changed a decision with data",
              "How would you size this market", "Walk me through a project that failed",
              "What metric would you pick for this feature", "Why do you want to work here",
              "How do you handle conflicting stakeholder requests",
              "Describe your most complex SQL query", "How would you design this experiment")
_SENTENCES = ("I explained the funnel work clearly and stayed calm in the case study.",
              "I should have prepared concrete numbers for every story.",
              "The process took five rounds; the take-home was the deciding step.",
              "I learned that I do my best thinking when I slow down and ask questions.",
              "Next time I will lead with the result, then the method.",
              "Research the team's product before the screen, not the night before.",
              "I was too modest about my own contribution.",
              "The panel valued people who asked sharp questions about their work.")


def _weighted_themes() -> list[str]:
    # gaps and strengths concentrate on a few themes, as in real feedback
    weights = (9, 8, 6, 7, 5, 3, 5, 4, 2, 6, 2, 3, 2)
    return [t for t, w in zip(models.THEME_IDS, weights, strict=False) for _ in range(w)]


def _texts(path: Path) -> list[str]:
    if not path.is_file():
        return list(_SENTENCES)
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@dataclass
class Dataset:
    """Rows per kind, as plain dicts of Python values (dates as ``datetime.date``)."""

    applications_n: int
    seed: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.rows.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def generate(n: int, seed: int = 2026, today: dt.date | None = None) -> Dataset:
    """A job search of ``n`` applications over the last three years, seeded."""
    rng = random.Random(seed)
    today = today or models.today()
    span = 3 * 365
    themes = _weighted_themes()
    feedback_texts = _texts(DATA / "feedback_dev.jsonl")
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}

    for i, name in enumerate(_MUST_HAVES):
        rows["must_haves"].append({"name": name, "description": f"Why it matters ({i + 1}).",
                                   "retired": name == "Big-name company"})
    n_musts = len(_MUST_HAVES)

    seen: set[tuple[str, str, dt.date]] = set()
    question_no = 0
    contacts_of: list[list[int]] = []
    for a in range(1, n + 1):
        while True:
            company = (f"{rng.choice(_ADJ)} {rng.choice(_NOUN)}{rng.choice(_SUFFIX)}")
            role = rng.choice(_ROLES)
            applied = today - dt.timedelta(days=rng.randint(3, span))
            key = (company.lower(), role.lower(), applied)
            if key not in seen:
                seen.add(key)
                break
        r = rng.random()
        stage = ("applied" if r < 0.35 else "screen" if r < 0.6 else "interview" if r < 0.85
                 else "final round" if r < 0.97 else "offer")
        if stage == "offer":
            outcome = rng.choice(("offer", "accepted", "withdrawn"))
        else:
            outcome = rng.choices(("open", "rejected", "withdrawn"), (2, 7, 1))[0]
        outcome_on = (None if outcome == "open"
                      else min(today, applied + dt.timedelta(days=rng.randint(5, 60))))
        slug = company.lower().split()[0]
        rows["applications"].append({
            "company": company, "role": role, "location": rng.choice(_CITIES),
            "source": rng.choice(models.SOURCES), "applied_on": applied, "stage": stage,
            "outcome": outcome, "outcome_on": outcome_on,
            "job_link": f"https://careers.{slug}.example/jobs/{a}",
            "notes": rng.choice(_SENTENCES) if rng.random() < 0.6 else None,
        })

        # contacts: 1 or 2 (1.35 on average)
        people = []
        for c in range(1 + (rng.random() < RATIOS["contacts"] - 1)):
            rows["contacts"].append({
                "application_id": a, "name": f"Contact {a}-{c + 1}",
                "title": rng.choice(("Recruiter", "Hiring manager", "Team lead")),
                "email": f"person{a}.{c + 1}@{slug}.example", "part": "interviewer"})
            people.append(len(rows["contacts"]))
        contacts_of.append(people)

        when = outcome_on or applied
        if rng.random() < RATIOS["feedback"]:
            declined = rng.random() < 0.15
            received = None if rng.random() < 0.2 else min(today, when + dt.timedelta(
                days=rng.randint(0, 10)))
            rows["feedback"].append({
                "application_id": a, "requested_on": when, "received_on": received,
                "contact_id": rng.choice(people), "channel": rng.choice(models.CHANNELS),
                "declined": declined,
                "observations": None if declined else rng.choice(feedback_texts)})
            fid = len(rows["feedback"])
            if not declined:
                picked: set[tuple[str, str]] = set()
                for _ in range(rng.choices((0, 1, 2, 3), (1, 3, 3, 3))[0]):
                    picked.add((rng.choice(themes), "-" if rng.random() < 0.65 else "+"))
                for theme, polarity in sorted(picked):
                    rows["feedback_tags"].append({
                        "feedback_id": fid, "theme": theme, "polarity": polarity,
                        "source": "user" if rng.random() < 0.7 else "suggested"})

        if rng.random() < RATIOS["follow_ups"]:
            sent = rng.random() < 0.8
            sent_on = min(today, when + dt.timedelta(days=1)) if sent else None
            reconnect = (sent_on or today) + dt.timedelta(days=rng.randint(30, 120))
            rows["follow_ups"].append({
                "application_id": a, "contact_id": people[0],
                "recipient": f"Contact {a}-1", "tone": rng.choice(models.NOTE_TONES),
                "subject": "Thank you, and the door is open",
                "body": " ".join(rng.choice(_SENTENCES) for _ in range(5)),
                "status": "sent" if sent else "draft", "sent_on": sent_on,
                "reconnect_on": reconnect,
                "reconnect_status": "done" if reconnect < today and rng.random() < 0.6
                else "planned"})

        if rng.random() < RATIOS["reflections"]:
            rows["reflections"].append({"application_id": a, **{
                q: rng.choice(_SENTENCES) for q, _ in models.REFLECTION_QUESTIONS}})

        if rng.random() < RATIOS["interview_questions"]:
            question_no += 1
            rows["interview_questions"].append({
                "application_id": a,
                "question": f"{rng.choice(_QUESTIONS)}? (variant {question_no})",
                "practised": rng.random() < 0.5, "practised_on": None})

        k = rng.choices((0, 1, 2, 3, 4, 5), (3, 2, 3, 3, 2, 1))[0]
        items: set[tuple[str, str]] = set()
        for _ in range(k):
            kind = "liked" if rng.random() < 0.55 else "concern"
            text = rng.choice(_LIKED if kind == "liked" else _CONCERNS)
            if rng.random() < 0.1:  # same item, other spelling: grouped by normalise_text
                text = text.lower() + "!"
            items.add((kind, text))
        for kind, text in sorted(items):
            rows["job_items"].append({"application_id": a, "kind": kind, "text": text})

        checked = rng.sample(range(1, n_musts + 1), rng.choices((0, 3, 4, 5, 6),
                                                                (2, 2, 3, 3, 2))[0])
        for m in sorted(checked):
            rows["must_have_checks"].append({
                "application_id": a, "must_have_id": m,
                "status": rng.choices(models.CHECK_STATUSES, (5, 3, 2))[0]})

        if rng.random() < RATIOS["action_items"]:
            due = when + dt.timedelta(days=rng.randint(7, 60))
            done = (min(today, due - dt.timedelta(days=rng.randint(0, 5)))
                    if rng.random() < 0.5 else None)
            rows["action_items"].append({
                "application_id": a, "theme": rng.choice(themes),
                "lesson": rng.choice(_SENTENCES), "action": rng.choice(_SENTENCES),
                "due_on": due, "done_on": done})
    return Dataset(n, seed, rows)


# --------------------------------------------------------------------------
# Loading


def load_with_store(store, data: Dataset) -> dict[str, list[int]]:
    """Insert everything through ``Store.add_many``, in one transaction; return ids per kind.

    Into an empty store the rows go in as generated (their references are the
    ids the parents get there, which is checked); into one with data, the
    references are mapped through the ids ``add_many`` returned.
    """
    ids: dict[str, list[int]] = {}
    parents = {"application_id": "applications", "contact_id": "contacts",
               "feedback_id": "feedback", "must_have_id": "must_haves"}
    fresh = store.is_empty()
    with store.atomic():
        for kind in KINDS:
            rows = data.rows[kind]
            if not fresh:
                mapped = []
                for row in rows:
                    row = dict(row)
                    for column, parent in parents.items():
                        if row.get(column) is not None:
                            row[column] = ids[parent][row[column] - 1]
                    mapped.append(row)
                rows = mapped
            ids[kind] = store.add_many(kind, rows)
            if fresh and ids[kind] != list(range(1, len(rows) + 1)):
                raise AssertionError(f"{kind}: ids are not 1..n in an empty store")
    return ids


def _sql_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):  # SQLAlchemy's SQLite DateTime storage format
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_raw(path: Path, data: Dataset) -> None:
    """The reference: plain sqlite3 executemany into an existing (empty) store file.

    Same pragmas as the store (WAL, synchronous=NORMAL, foreign keys on), one
    transaction, no validation. Parents get ids 1..n, as in a fresh store.
    """
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        now = _sql_value(dt.datetime.now())
        con.execute("BEGIN IMMEDIATE")
        for kind in KINDS:
            spec = models.RECORDS[kind]
            columns = [*spec.names, "created_at", "updated_at"]
            defaults = [f.default for f in spec.fields]
            names = spec.names
            values = [tuple(_sql_value(row.get(c, d))
                            for c, d in zip(names, defaults, strict=False))
                      + (now, now) for row in data.rows[kind]]
            sql = (f"INSERT INTO {kind} ({', '.join(columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            con.executemany(sql, values)
        con.execute("COMMIT")
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, help="write the data set into this (new) store")
    args = parser.parse_args(argv)
    data = generate(args.applications, args.seed)
    print(json.dumps(data.counts))
    if args.db:
        from tappedin_widgets.store import Store

        with Store(args.db) as store:
            load_with_store(store, data)
        print(f"written to {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
