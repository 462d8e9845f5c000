"""The demo data set: a hand-written job search to explore the workbook with.

The set lives in ``data/demo.json``. Its dates are moved forward on loading,
by whole weeks, so that its last day lands shortly before today and the
"coming up" lists stay meaningful whenever it is loaded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .locations import checkout_root
from .models import TappedInError, ValidationError
from .store import Store

DATE_KEYS = {"applied_on", "outcome_on", "requested_on", "received_on", "sent_on",
             "reconnect_on", "practised_on", "due_on", "done_on"}


DEMO_SETTING = "demo_loaded_on"


class DemoError(TappedInError):
    """The demo data can't be loaded (store not empty, file missing)."""


def demo_path() -> Path:
    root = checkout_root()
    if root is not None and (root / "data" / "demo.json").is_file():
        return root / "data" / "demo.json"
    return Path(__file__).resolve().parent / "data" / "demo.json"


def read_demo(path: Path | None = None) -> dict[str, Any]:
    path = path or demo_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoError(f"The demo data file is missing ({path}).") from None


def _shifter(anchor: str | None, today: dt.date | None) -> int:
    """Days to add: whole weeks, so the anchor lands within a week before today."""
    if not anchor:
        return 0
    today = today or dt.date.today()
    gap = (today - dt.date.fromisoformat(anchor)).days
    return max(0, gap // 7) * 7


def _shift(record: Mapping[str, Any], days: int) -> dict[str, Any]:
    out = {}
    for key, value in record.items():
        if key in DATE_KEYS and value:
            value = (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
        out[key] = value
    return out


def _pick(record: Mapping[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in drop and v is not None}


def load_demo(store: Store, *, force: bool = False, data: Mapping[str, Any] | None = None,
              today: dt.date | None = None) -> dict[str, int]:
    """Load the demo set into the store, in one transaction; return counts per table.

    Refuses a store that already holds data unless ``force``, which replaces it.
    """
    data = data if data is not None else read_demo()
    if not store.is_empty() and not force:
        raise DemoError(f"{store.location} already holds your data; the demo was not loaded. "
                        "Use --force to replace everything with the demo, or point "
                        "TAPPEDIN_DB at another file.")
    days = _shifter(data.get("anchor"), today)
    counts: dict[str, int] = {}

    def add(kind: str, /, **values: Any) -> Any:
        counts[kind] = counts.get(kind, 0) + 1
        return store.add(kind, **_shift(values, days))

    with store.atomic():
        if force:
            store.wipe()
        must = {}
        for m in data.get("must_haves", []):
            must[m["key"]] = add("must_haves", **_pick(m, "key"))
        for theme in data.get("custom_themes", []):
            counts["custom_themes"] = counts.get("custom_themes", 0) + 1
            store.add_theme(theme["label"], theme.get("description"), theme.get("phrases"))
        for a in data.get("applications", []):
            where = f"application {a.get('key')} ({a.get('company')})"
            try:
                app_id = add("applications", **_pick(
                    a, "key", "contacts", "feedback", "follow_ups", "reflection",
                    "interview_questions", "job_items", "must_have_checks", "action_items"))
                people = {}
                for c in a.get("contacts", []):
                    people[c["key"]] = add("contacts", application_id=app_id,
                                           **_pick(c, "key"))
                for f in a.get("feedback", []):
                    fid = add("feedback", application_id=app_id,
                              contact_id=people.get(f.get("given_by")),
                              **_pick(f, "given_by", "tags"))
                    tags = [tuple(t) for t in f.get("tags", [])]
                    if tags:
                        store.set_tags(fid, [(t[0], t[1], t[2] if len(t) > 2 else "user")
                                             for t in tags])
                        counts["feedback_tags"] = counts.get("feedback_tags", 0) + len(tags)
                for n in a.get("follow_ups", []):
                    add("follow_ups", application_id=app_id, contact_id=people.get(n.get("to")),
                        **_pick(n, "to"))
                if a.get("reflection"):
                    add("reflections", application_id=app_id, **_pick(a["reflection"]))
                for q in a.get("interview_questions", []):
                    add("interview_questions", application_id=app_id, **_pick(q))
                for item in a.get("job_items", []):
                    add("job_items", application_id=app_id, **_pick(item))
                for key, status in a.get("must_have_checks", {}).items():
                    add("must_have_checks", application_id=app_id, must_have_id=must[key],
                        status=status)
                for act in a.get("action_items", []):
                    add("action_items", application_id=app_id, **_pick(act))
            except ValidationError as e:
                raise DemoError(f"The demo data is not valid at {where}: {e.message}") from None
        for act in data.get("action_items", []):
            add("action_items", **_pick(act))
        store.set_setting(DEMO_SETTING, dt.date.today().isoformat())
    return counts


def is_demo(store: Store) -> bool:
    """Whether the store holds the demo set (loaded and not cleared since)."""
    return store.setting(DEMO_SETTING) is not None and not store.is_empty()


def clear_demo(store: Store) -> None:
    """Remove the demo data so the user can start with their own."""
    store.wipe()
