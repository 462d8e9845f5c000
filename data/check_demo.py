"""Check the hand-written demo data set (data/demo.json) and print its patterns.

Run from the repository root:

    PYTHONPATH=. python3 data/check_demo.py

It (a) validates every record with tappedin_widgets.models.validate, using
dummy ids for the *_id fields, (b) checks that every cross-reference (given_by,
to, must-have keys, theme ids) resolves, and (c) prints the patterns the
dashboard charts should show. Exit status 1 if anything is wrong.

Dates are validated the way the loader will store them: shifted so that the
"anchor" date lands on today. The summary prints the dates as written.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

from tappedin_widgets import models  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO = HERE / "demo.json"

# Keys in demo.json that are structure, not fields of a record type.
APP_CHILDREN = ("key", "contacts", "feedback", "follow_ups", "reflection", "interview_questions",
                "job_items", "must_have_checks", "action_items")

problems: list[str] = []


def problem(where: str, message: str) -> None:
    problems.append(f"{where}: {message}")


def date_fields(record: models.RecordType) -> set[str]:
    return {f.name for f in record.fields if f.kind == "date"}


def shifted(values: dict, record: models.RecordType, shift: dt.timedelta) -> dict:
    out = dict(values)
    for name in date_fields(record):
        if out.get(name):
            out[name] = (dt.date.fromisoformat(out[name]) + shift).isoformat()
    return out


def check(record_name: str, values: dict, where: str, shift: dt.timedelta) -> dict | None:
    record = models.RECORDS[record_name]
    try:
        return models.validate(record, shifted(values, record, shift))
    except models.ValidationError as e:
        problem(where, f"{record.label}: {e.errors}")
        return None


def month(d: str | None) -> str:
    return d[:7] if d else "-"


def main() -> int:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    anchor = dt.date.fromisoformat(data["anchor"])
    shift = models.today() - anchor
    past_dates: list[tuple[str, str]] = []  # (date, where) for every 'past' date

    def note_past(record_name: str, values: dict, where: str) -> None:
        record = models.RECORDS[record_name]
        for f in record.fields:
            if f.kind == "date" and f.past and values.get(f.name):
                past_dates.append((values[f.name], f"{where}.{f.name}"))

    # ---- must-haves
    mh_keys = {}
    for i, mh in enumerate(data["must_haves"], 1):
        values = {k: v for k, v in mh.items() if k != "key"}
        check("must_haves", values, f"must_have {mh.get('key')}", shift)
        if mh["key"] in mh_keys:
            problem(f"must_have {mh['key']}", "duplicate key")
        mh_keys[mh["key"]] = i

    counts: Counter = Counter()
    seen_apps: set[str] = set()
    # pattern accumulators
    tag_by_month: dict[str, Counter] = defaultdict(Counter)
    stage_rejected: Counter = Counter()
    outcome_counts: Counter = Counter()
    missing: Counter = Counter()
    check_status: dict[str, Counter] = defaultdict(Counter)
    fb = Counter()
    fb_delay: list[int] = []
    notes = Counter()
    note_words: list[int] = []
    reconnect_gap: list[int] = []
    rej_late = rej_late_with_note = 0
    questions = Counter()
    job_texts: Counter = Counter()
    job_kinds: Counter = Counter()
    job_apps = refl_apps = 0
    actions = Counter()
    action_list: list[dict] = []
    with_obs = competition_fb = untagged_fb = 0
    applied_months: Counter = Counter()

    for app in data["applications"]:
        key = app.get("key", "?")
        where = f"application {key}"
        if key in seen_apps:
            problem(where, "duplicate key")
        seen_apps.add(key)
        unknown = [k for k in app if k not in APP_CHILDREN and k not in models.APPLICATION.names]
        if unknown:
            problem(where, f"unknown keys {unknown}")
        values = {k: v for k, v in app.items() if k not in APP_CHILDREN}
        check("applications", values, where, shift)
        note_past("applications", values, where)
        counts["applications"] += 1
        applied_months[month(app.get("applied_on"))] += 1
        if not ("2026-03-01" <= app["applied_on"] <= "2026-11-20"):
            problem(where, f"applied_on {app['applied_on']} outside 2026-03-01..2026-11-20")
        outcome_counts[app["outcome"]] += 1
        if app["outcome"] == "rejected":
            stage_rejected[app["stage"]] += 1
        if app["outcome"] == "open" and app.get("outcome_on"):
            problem(where, "open application with an outcome date")
        if app["outcome"] != "open" and not app.get("outcome_on"):
            problem(where, "closed application without an outcome date")

        # contacts
        contacts = {}
        for c in app.get("contacts", []):
            values = {k: v for k, v in c.items() if k != "key"}
            check("contacts", {"application_id": 1, **values}, f"{where} contact {c.get('key')}", shift)
            if c["key"] in contacts:
                problem(where, f"duplicate contact key {c['key']}")
            contacts[c["key"]] = c
            counts["contacts"] += 1
        stage_rank = models.STAGES.index(app["stage"])
        if stage_rank >= 1 and not (1 <= len(contacts) <= 3):
            problem(where, f"reached {app['stage']} but has {len(contacts)} contacts (want 1-3)")

        def contact_id(ref, what):
            if ref is None:
                return None
            if ref not in contacts:
                problem(where, f"{what} '{ref}' is not a contact of this application")
                return None
            return list(contacts).index(ref) + 1

        # feedback + tags
        for j, f in enumerate(app.get("feedback", []), 1):
            w = f"{where} feedback {j}"
            values = {k: v for k, v in f.items() if k not in ("given_by", "tags")}
            values["contact_id"] = contact_id(f.get("given_by"), "given_by")
            check("feedback", {"application_id": 1, **values}, w, shift)
            note_past("feedback", values, w)
            counts["feedback"] += 1
            fb["asked"] += bool(f.get("requested_on"))
            if f.get("received_on"):
                fb["answered"] += 1
                fb["declined" if f.get("declined") else "observations"] += 1
                fb_delay.append((dt.date.fromisoformat(f["received_on"])
                                 - dt.date.fromisoformat(f["requested_on"])).days)
            else:
                fb["no reply"] += 1
            if f.get("declined") and (f.get("observations") or f.get("tags")):
                problem(w, "declined feedback should have no observations or tags")
            if f.get("observations"):
                with_obs += 1
                if not f.get("tags"):
                    untagged_fb += 1
            themes_here = set()
            for theme, polarity in f.get("tags", []):
                check("feedback_tags", {"feedback_id": 1, "theme": theme, "polarity": polarity,
                                        "source": "user"}, w, shift)
                counts["feedback_tags"] += 1
                if theme not in models.THEME_IDS:
                    problem(w, f"theme '{theme}' is not in models.THEME_IDS")
                if theme == models.COMPETITION and polarity != "-":
                    problem(w, "competition must always be '-'")
                if theme in themes_here:
                    problem(w, f"theme '{theme}' tagged twice")
                themes_here.add(theme)
                tag_by_month[month(f.get("received_on"))][(theme, polarity)] += 1
            if models.COMPETITION in themes_here:
                competition_fb += 1

        # thank-you notes
        late = app["outcome"] == "rejected" and stage_rank >= models.STAGES.index("interview")
        rej_late += late
        if late and app.get("follow_ups"):
            rej_late_with_note += 1
        for j, n in enumerate(app.get("follow_ups", []), 1):
            w = f"{where} note {j}"
            values = {k: v for k, v in n.items() if k != "to"}
            values["contact_id"] = contact_id(n.get("to"), "to")
            check("follow_ups", {"application_id": 1, **values}, w, shift)
            note_past("follow_ups", values, w)
            counts["follow_ups"] += 1
            notes[n.get("status")] += 1
            notes[f"reconnect {n.get('reconnect_status')}"] += 1
            if n.get("to") in contacts and contacts[n["to"]]["name"] != n.get("recipient"):
                problem(w, "recipient does not match the contact's name")
            words = len(n["body"].split())
            note_words.append(words)
            if not 80 <= words <= 150:
                problem(w, f"note body has {words} words (want 80-150)")
            if n.get("sent_on") and n.get("reconnect_on"):
                reconnect_gap.append((dt.date.fromisoformat(n["reconnect_on"])
                                      - dt.date.fromisoformat(n["sent_on"])).days)
            if n.get("reconnect_on", "") > "2027-02-28":
                problem(w, "reconnect_on later than 2027-02")

        # reflection
        if app.get("reflection"):
            refl = app["reflection"]
            check("reflections", {"application_id": 1, **refl}, f"{where} reflection", shift)
            counts["reflections"] += 1
            refl_apps += 1
            if len([v for v in refl.values() if v]) != 5:
                problem(where, "reflection should answer all five questions")

        for j, q in enumerate(app.get("interview_questions", []), 1):
            check("interview_questions", {"application_id": 1, **q}, f"{where} question {j}", shift)
            note_past("interview_questions", q, f"{where} question {j}")
            counts["interview_questions"] += 1
            questions["practised" if q.get("practised") else "not practised"] += 1
            if q.get("practised") != bool(q.get("practised_on")):
                problem(f"{where} question {j}", "practised and practised_on disagree")

        if app.get("job_items"):
            job_apps += 1
        for j, item in enumerate(app.get("job_items", []), 1):
            check("job_items", {"application_id": 1, **item}, f"{where} job item {j}", shift)
            counts["job_items"] += 1
            job_texts[item["text"]] += 1
            job_kinds[item["kind"]] += 1

        for mh, status in app.get("must_have_checks", {}).items():
            if mh not in mh_keys:
                problem(where, f"must-have key '{mh}' is not defined")
                continue
            check("must_have_checks", {"application_id": 1, "must_have_id": mh_keys[mh],
                                       "status": status}, f"{where} check {mh}", shift)
            counts["must_have_checks"] += 1
            check_status[mh][status] += 1
            if status == "missing":
                missing[mh] += 1

        for j, a in enumerate(app.get("action_items", []), 1):
            check("action_items", {"application_id": 1, **a}, f"{where} action {j}", shift)
            note_past("action_items", a, f"{where} action {j}")
            action_list.append(a)

    for j, a in enumerate(data.get("action_items", []), 1):
        check("action_items", a, f"top-level action {j}", shift)
        note_past("action_items", a, f"top-level action {j}")
        action_list.append(a)
    for a in action_list:
        counts["action_items"] += 1
        actions["done" if a.get("done_on") else "not done"] += 1
        if a.get("theme") and a["theme"] not in models.THEME_IDS:
            problem("action item", f"theme '{a['theme']}' is not in models.THEME_IDS")

    latest = max(past_dates)
    if latest[0] > data["anchor"]:
        problem(latest[1], f"past date {latest[0]} is after the anchor {data['anchor']}")

    # ------------------------------------------------------------ summary
    print(f"Persona: {data['persona']}   anchor {data['anchor']}   "
          f"(validated with dates shifted by {shift.days:+d} days; latest past date {latest[0]})")
    print("\nRecords:")
    for name in ("applications", "contacts", "feedback", "feedback_tags", "follow_ups", "reflections",
                 "interview_questions", "job_items", "must_have_checks", "action_items"):
        print(f"  {name:20s} {counts[name]:4d}")
    print(f"  {'must_haves':20s} {len(data['must_haves']):4d}  "
          f"({sum(m['retired'] for m in data['must_haves'])} retired)")

    print("\nApplications per month (applied_on):",
          "  ".join(f"{m[5:]}:{n}" for m, n in sorted(applied_months.items())))
    print("Outcomes:", dict(outcome_counts))
    print("Stage reached, rejected applications:",
          {s: stage_rejected[s] for s in models.STAGES if stage_rejected[s]})

    months = sorted(m for m in tag_by_month if m != "-")
    print("\nTheme tags per month of received feedback  (- gap / + strength)")
    print("  " + "month".ljust(22) + "".join(m[5:].rjust(7) for m in months) + "  total")
    for theme, pol in [("examples_results", "-"), ("examples_results", "+"), ("communication", "+"),
                       ("experience", "-"), ("preparation", "-"), ("preparation", "+"), ("competition", "-")]:
        row = [tag_by_month[m][(theme, pol)] for m in months]
        print("  " + f"{theme} {pol}".ljust(22) + "".join(str(n).rjust(7) for n in row)
              + str(sum(row)).rjust(7))
    other = Counter()
    for m in months:
        for (theme, pol), n in tag_by_month[m].items():
            if theme not in ("examples_results", "communication", "experience", "preparation", "competition"):
                other[f"{theme} {pol}"] += n
    print("  other tags:", dict(other))
    ex_before = sum(tag_by_month[m][("examples_results", "-")] for m in months if m <= "2026-06")
    ex_after = sum(tag_by_month[m][("examples_results", "-")] for m in months if m > "2026-06")
    exp_after = sum(tag_by_month[m][("examples_results", "+")] for m in months if m > "2026-06")
    print(f"  examples_results: {ex_before} gaps Mar-Jun; after the STAR action (done 2026-06-14): "
          f"{ex_after} gap(s), {exp_after} strengths")
    prep_before = sum(tag_by_month[m][("preparation", "-")] for m in months if m <= "2026-08")
    print(f"  preparation gaps up to Aug: {prep_before}; after the research action (done 2026-08-10): "
          f"{sum(tag_by_month[m][('preparation', '-')] for m in months if m > '2026-08')}")
    print(f"  feedback with observations: {with_obs}; naming competition: {competition_fb} "
          f"({competition_fb / with_obs:.0%}); no theme at all: {untagged_fb}")

    print("\nFeedback requests:", fb["asked"], "| answered:", fb["answered"],
          f"({fb['answered'] / fb['asked']:.0%})", "| with observations:", fb["observations"],
          "| declined:", fb["declined"], "| no reply:", fb["no reply"],
          f"| days to answer: {min(fb_delay)}-{max(fb_delay)}")
    rejected = outcome_counts["rejected"]
    print(f"  asked after {fb['asked']} of {rejected} rejections ({fb['asked'] / rejected:.0%})")

    print("\nMust-haves: missing / present / unknown")
    for mh in data["must_haves"]:
        c = check_status[mh["key"]]
        flag = " (retired)" if mh["retired"] else ""
        print(f"  {mh['name'][:38]:38s} {c['missing']:3d} {c['present']:3d} {c['unknown']:3d}{flag}")
    print("  most often missing:", ", ".join(f"{k} {n}" for k, n in missing.most_common()))

    print(f"\nThank-you notes: {counts['follow_ups']} ({notes['sent']} sent, {notes['draft']} draft); "
          f"rejected at interview or later: {rej_late}, with a note: {rej_late_with_note}")
    print(f"  words {min(note_words)}-{max(note_words)}; reconnect gap after sending "
          f"{min(reconnect_gap)}-{max(reconnect_gap)} days; reconnect status: "
          f"planned {notes['reconnect planned']}, done {notes['reconnect done']}, "
          f"skipped {notes['reconnect skipped']}")
    print(f"Self-reflections: {refl_apps}   interview questions: {counts['interview_questions']} "
          f"({questions['practised']} practised)")
    print(f"Job reflection: {job_apps} applications, {job_kinds['liked']} liked / "
          f"{job_kinds['concern']} concerns; recurring:",
          ", ".join(f"{t} x{n}" for t, n in job_texts.most_common() if n > 1))
    print(f"Action items: {counts['action_items']} ({actions['done']} done, {actions['not done']} open)")
    for a in sorted(action_list, key=lambda a: a["due_on"]):
        print(f"  {a['due_on']}  {(a.get('theme') or '-'):22s} "
              f"{('done ' + a['done_on']) if a.get('done_on') else 'open':16s} {a['action'][:60]}")

    if problems:
        print(f"\n{len(problems)} PROBLEM(S):")
        for p in problems:
            print("  " + p)
        return 1
    print("\nAll records validate; every reference resolves.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
