"""Render every trend chart to PNG files, for people to look at.

    python benchmarks/look_at_charts.py OUT_DIR [--size 1000] [--seed 7]

Four stores, each in a temporary folder: the demo job search, an empty
store, a store with a single application, and a generated store with
``--size`` applications. Writes ``OUT_DIR/<store>_<chart>.png`` and prints
how long reading, analysing and drawing took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tappedin_widgets import analysis, charts
from tappedin_widgets.demo import load_demo
from tappedin_widgets.store import Store

ROLES = ("Product Analyst", "Senior Product Analyst", "Data Analyst", "Product Manager",
         "Product Manager, Growth", "Analytics Engineer",
         "Senior Product Manager, Payments Platform and Merchant Experience (EMEA)")
THEME_WEIGHTS = {  # theme -> (weight, share of mentions that are gaps)
    "experience": (9, 0.9), "examples_results": (8, 0.55), "communication": (8, 0.15),
    "preparation": (5, 0.6), "technical_skills": (5, 0.5), "culture_fit": (3, 0.4),
    "leadership": (3, 0.6), "enthusiasm": (3, 0.2), "compensation_logistics": (2, 1.0),
    "competition": (5, 1.0), "questions_asked": (2, 0.5), "presence": (2, 0.5),
    "qualifications": (2, 1.0), "Portfolio depth": (3, 0.7),
    "Stakeholder storytelling across teams and functions": (1, 0.5),
}  # capitalised keys are custom themes, added by label
LIKED = ("Fully remote", "fully remote!", "Small, senior team", "Great mentoring culture",
         "Real PM title", "Mission I care about", "Four-day week", "Strong data culture",
         "Friendly interviewers who clearly liked working together there")
CONCERNS = ("Long commute", "Long commute.", "On-call rotation", "Vague roadmap",
            "Pay band below my floor", "Four office days", "Reorg just announced",
            "Title is still analyst, not product")


def generated_store(path: Path, n: int, seed: int = 7) -> Store:
    """A store with ``n`` applications and plausible children, from a seeded generator."""
    rng = np.random.default_rng(seed)
    today = dt.date.today()
    store = Store(path)
    custom = {label: store.add_theme(label) for label in THEME_WEIGHTS if label[0].isupper()}
    must_ids = store.add_many("must_haves", [
        {"name": "Remote or hybrid"}, {"name": "Salary at or above my floor"},
        {"name": "Path to product management"}, {"name": "A manager who mentors"},
        {"name": "Mission I care about, explained in one sentence to a stranger"},
        {"name": "Big-name company", "retired": True}])
    span = 900
    applied = [today - dt.timedelta(days=int(d)) for d in np.sort(rng.integers(5, span, n))[::-1]]
    stages = rng.choice(["applied", "screen", "interview", "final round", "offer"], n,
                        p=[0.35, 0.3, 0.24, 0.09, 0.02])
    apps = []
    for i, (day, stage) in enumerate(zip(applied, stages, strict=False)):
        outcome = rng.choice(["rejected", "open", "withdrawn"], p=[0.8, 0.12, 0.08])
        if stage == "offer":
            outcome = rng.choice(["accepted", "withdrawn"])
        end = min(day + dt.timedelta(days=int(rng.integers(5, 60))), today)
        apps.append({"company": f"Company {i + 1:04d}", "role": str(rng.choice(ROLES)),
                     "source": str(rng.choice(["referral", "job board", "recruiter",
                                               "company site", "other"])),
                     "applied_on": day, "stage": str(stage), "outcome": str(outcome),
                     "outcome_on": None if outcome == "open" else end})
    app_ids = store.add_many("applications", apps, check_unique=False)

    feedback, follow_ups, items, checks, actions = [], [], [], [], []
    for app_id, app in zip(app_ids, apps, strict=False):
        if app["outcome"] == "rejected" and rng.random() < 0.6:
            asked = app["outcome_on"]
            got = rng.random() < 0.65
            received = min(asked + dt.timedelta(days=int(rng.integers(1, 10))), today)
            feedback.append({"application_id": app_id, "requested_on": asked,
                             "received_on": received if got else None,
                             "declined": bool(got and rng.random() < 0.08),
                             "observations": "Generated observations."})
        if app["outcome"] == "rejected" and rng.random() < 0.4:
            sent = min(app["outcome_on"] + dt.timedelta(days=1), today)
            again = sent + dt.timedelta(days=90)
            follow_ups.append({"application_id": app_id, "recipient": f"Person {app_id}",
                               "body": "Thank you.", "status": "sent", "sent_on": sent,
                               "reconnect_on": again,
                               "reconnect_status": "planned" if again > today - dt.timedelta(
                                   days=20) else "done"})
        for _ in range(int(rng.integers(0, 3))):
            items.append({"application_id": app_id, "kind": "liked",
                          "text": str(rng.choice(LIKED))})
        for _ in range(int(rng.integers(0, 3))):
            items.append({"application_id": app_id, "kind": "concern",
                          "text": str(rng.choice(CONCERNS))})
        if rng.random() < 0.7:
            for must_id in must_ids[:5]:
                checks.append({"application_id": app_id, "must_have_id": must_id,
                               "status": str(rng.choice(["present", "missing", "unknown"],
                                                        p=[0.5, 0.3, 0.2]))})
    feedback_ids = store.add_many("feedback", feedback, check_unique=False)
    themes = [custom.get(t, t) for t in THEME_WEIGHTS]
    weights = np.array([w for w, _ in THEME_WEIGHTS.values()], dtype=float)
    tags = []
    for fid, fb in zip(feedback_ids, feedback, strict=False):
        if fb["received_on"] is None or fb["declined"]:
            continue
        for k in rng.choice(len(themes), int(rng.integers(1, 4)), replace=False,
                            p=weights / weights.sum()):
            gap = rng.random() < list(THEME_WEIGHTS.values())[k][1]
            tags.append({"feedback_id": fid, "theme": themes[k], "polarity": "-" if gap else "+"})
    store.add_many("feedback_tags", tags, check_unique=False)
    store.add_many("follow_ups", follow_ups, check_unique=False)
    store.add_many("job_items", items, check_unique=False)
    store.add_many("must_have_checks", checks, check_unique=False)
    for k in range(40):
        due = today - dt.timedelta(days=int(rng.integers(-60, span - 60)))
        done = due + dt.timedelta(days=int(rng.integers(-5, 10)))
        actions.append({"application_id": int(rng.choice(app_ids)) if k % 4 else None,
                        "theme": str(rng.choice(themes[:6] + [custom["Portfolio depth"]])),
                        "action": f"Generated action {k + 1}", "due_on": due,
                        "done_on": done if done < today and rng.random() < 0.8 else None})
    store.add_many("action_items", actions, check_unique=False)
    return store


def single_application_store(path: Path) -> Store:
    """One rejection, with one of everything the charts count."""
    today = dt.date.today()
    store = Store(path)
    app_id = store.add("applications", company="Northwind Outfitters", role="Product Analyst",
                       source="referral", applied_on=today - dt.timedelta(days=40),
                       stage="interview", outcome="rejected",
                       outcome_on=today - dt.timedelta(days=12))
    fid = store.add("feedback", application_id=app_id, requested_on=today - dt.timedelta(days=12),
                    received_on=today - dt.timedelta(days=9),
                    observations="Clear communicator; wanted more numbers on impact.")
    store.set_tags(fid, [("examples_results", "-"), ("communication", "+")])
    store.add("follow_ups", application_id=app_id, recipient="Dana Whitfield", body="Thank you!",
              status="sent", sent_on=today - dt.timedelta(days=8),
              reconnect_on=today + dt.timedelta(days=60))
    store.add("job_items", application_id=app_id, kind="liked", text="Small, senior team")
    store.add("job_items", application_id=app_id, kind="concern", text="Four office days")
    must = store.add("must_haves", name="Remote or hybrid")
    store.set_check(app_id, must, "missing")
    store.add("action_items", application_id=app_id, theme="examples_results",
              action="Write five STAR stories with numbers", due_on=today + dt.timedelta(days=7))
    return store


def render(name: str, store: Store, out: Path) -> None:
    started = time.perf_counter()
    data = analysis.Data.from_store(store)
    read = time.perf_counter() - started
    timings = []
    for chart, spec in charts.CHARTS.items():
        t0 = time.perf_counter()
        fig = spec.draw(data)
        png = charts.figure_to_png(fig)
        timings.append(f"{chart} {time.perf_counter() - t0:.2f}s")
        (out / f"{name}_{chart}.png").write_bytes(png)
    print(f"{name:>6}: {len(data.applications):>5} applications, read {read:.2f}s; "
          + ", ".join(timings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--size", type=int, default=1000, help="applications in the big store")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo = Store(tmp / "demo.db")
        load_demo(demo)
        render("demo", demo, args.out)
        render("empty", Store(tmp / "empty.db"), args.out)
        render("one", single_application_store(tmp / "one.db"), args.out)
        t0 = time.perf_counter()
        big = generated_store(tmp / "big.db", args.size, args.seed)
        print(f"generated {args.size} applications in {time.perf_counter() - t0:.1f}s")
        render("big", big, args.out)
        for store in (demo, big):
            store.close()
    print(f"PNG files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
