"""Bad input everywhere: every form gets the same battery, then Hypothesis.

Each value either saves exactly as cleaned (the store keeps what was meant) or
is refused with a message next to the field and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import ipywidgets as w
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tappedin_widgets import models
from tappedin_widgets.demo import load_demo
from tappedin_widgets.views.common import Form, Workbook
from tappedin_widgets.views.inputs import DateInput, TextBox

BATTERY = {
    "empty": "",
    "whitespace": "   \t  ",
    "megabyte": "x" * 1_000_000,
    "emoji": "Great energy 🎉🙂👩🏽‍💻",
    "right_to_left": "مقابلة جيدة جدا",
    "combining": "Zoe\u0308 Ødegård e\u0301\u0301",
    "control": "bell\x07here",
    "nul": "a\x00b",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
}
BAD_DATES = {"1900": dt.date(1900, 1, 1), "far_future": dt.date(2999, 1, 1)}


def _views(workbook):
    from tappedin_widgets.views.continue_search import ContinueSearchView
    from tappedin_widgets.views.feedback import FeedbackView
    from tappedin_widgets.views.job_reflection import JobReflectionView
    from tappedin_widgets.views.start import StartView
    from tappedin_widgets.views.themes import ThemesView

    return [StartView(workbook), FeedbackView(workbook), JobReflectionView(workbook),
            ContinueSearchView(workbook), ThemesView(workbook)]


def _forms(obj, seen=None):
    """Every Form reachable from a view (through attributes and widget children)."""
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    found = [obj] if isinstance(obj, Form) else []
    if isinstance(obj, (w.Widget, Form)) or hasattr(obj, "__dict__"):
        for value in list(vars(obj).values()) if hasattr(obj, "__dict__") else []:
            if isinstance(value, (Form, w.Widget)) or (
                    hasattr(value, "__dict__") and type(value).__module__.startswith(
                        "tappedin_widgets")):
                found += _forms(value, seen)
    if isinstance(obj, w.Box):
        for child in obj.children:
            found += _forms(child, seen)
    return found


@pytest.fixture
def forms(store):
    load_demo(store)
    workbook = Workbook(store)
    views = _views(workbook)
    found = []
    for view in views:
        found += _forms(view)
    assert len({f.record.name for f in found}) >= 7
    return store, found


def _text_fields(form):
    return [(name, f) for name, f in form.fields.items()
            if isinstance(f.widget, (w.Text, w.Textarea, TextBox))]


def _counts(store):
    return {kind: store.count(kind) for kind in models.RECORDS}


@pytest.mark.parametrize("case", BATTERY)
def test_every_form_answers_bad_text_with_a_message_or_saves_it_cleanly(forms, case):
    store, found = forms
    value = BATTERY[case]
    tried = 0
    for form in found:
        for name, field in _text_fields(form):
            before = _counts(store)
            form.clear()
            field.value = value
            cleaned = form.check(show_all=True)
            spec = form.record.field(name)
            try:
                expected = models.clean_value(spec, value)
                refused = expected is None and spec.required
            except ValueError:
                refused = True
            if refused:
                assert cleaned is None, (form.record.name, name, case)
                assert form.save.disabled
                assert field.error, (form.record.name, name, case)
                form.save.click()
                assert _counts(store) == before, (form.record.name, name, case)
                assert field.value == value  # what was typed stays
            else:
                stored = cleaned.get(name) if cleaned else None
                assert cleaned is None or stored == expected, (form.record.name, name, case)
            tried += 1
    assert tried >= 15


@pytest.mark.parametrize("case", BAD_DATES)
def test_every_form_refuses_impossible_or_far_future_dates_inline(forms, case):
    store, found = forms
    tried = 0
    for form in found:
        for name, field in form.fields.items():
            if not isinstance(field.widget, DateInput):
                continue
            before = _counts(store)
            field.value = BAD_DATES[case]
            assert form.check(show_all=True) is None, (form.record.name, name)
            assert field.error, (form.record.name, name)
            form.save.click()
            assert _counts(store) == before
            field.value = None
            tried += 1
    assert tried >= 3


def test_html_typed_into_a_form_is_stored_as_plain_text(store):
    from tappedin_widgets.views.start import StartView

    view = StartView(Workbook(store))
    editor = view.applications
    editor.start_new()
    editor.fields["company"].value = BATTERY["html"]
    editor.fields["role"].value = "Analyst"
    editor.save_button.click()
    assert store.table("applications")["company"].iloc[0] == BATTERY["html"]
    assert "&lt;script&gt;" in view.applications.mode.value
    assert "<script>" not in view.applications.mode.value


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(company=st.text(max_size=300), role=st.text(max_size=300))
def test_any_text_in_the_application_form_saves_cleanly_or_is_refused_whole(store, company,
                                                                             role):
    from tappedin_widgets.views.start import StartView

    view = StartView(Workbook(store))
    editor = view.applications
    editor.start_new()
    before = store.count("applications")
    editor.fields["company"].value = company
    editor.fields["role"].value = role
    editor.save()  # never raises, whatever was typed
    after = store.table("applications")
    if len(after) == before + 1:
        row = after.iloc[-1]
        assert row["company"] == unicodedata.normalize("NFC", " ".join(company.split()))
    else:
        assert len(after) == before
        assert editor.status.text or any(f.error for f in editor.fields.values())
        assert editor.fields["company"].value == company
    store.wipe()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text(max_size=2000))
def test_any_text_in_a_reflection_autosaves_cleanly_or_says_not_saved(store, app_id, text):
    from tappedin_widgets.views.self_reflection import SelfReflectionView

    view = SelfReflectionView(Workbook(store), debounce=60)
    view.workbook.application_id = app_id
    view.answers.fields["learned_self"].widget.value = text
    view.flush()
    saved = (store.reflection(app_id) or {}).get("learned_self")
    if not text.strip():  # blank to Python (e.g. a lone form feed): there is nothing to save
        assert saved is None
        assert "Not saved" not in view.status.text
        assert view.answers.fields["learned_self"].widget.value == text
        return
    try:
        expected = models.clean_value(models.REFLECTION.field("learned_self"), text)
    except ValueError:
        assert saved is None
        assert "Not saved" in view.status.text
        assert view.answers.fields["learned_self"].widget.value == text
    else:
        assert saved == expected
    # the next example starts without a reflection, on the same application (ids are
    # never reused, so a wiped and re-added application would have another one)
    reflection = store.reflection(app_id)
    if reflection is not None:
        store.delete("reflections", reflection["id"])


def test_the_importer_and_cli_answer_the_battery_row_by_row(tmp_path):
    import csv
    import subprocess
    import sys

    from tappedin_widgets.store import Store

    sheet = tmp_path / "tracker.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Company", "Job Title", "Date Applied", "Status"])
        for case, value in BATTERY.items():
            if case != "nul":  # a NUL cannot live in a CSV cell at all
                out.writerow([value, f"Role {case}", "2026-03-01", "Rejected"])
        out.writerow(["Dated", "Role impossible", "2026-02-30", "Rejected"])
        out.writerow(["Future", "Role future", "2999-01-01", "Rejected"])
        out.writerow(["Enum", "Role enum", "2026-03-01", "Astronaut"])
        out.writerow(["Twice", "Role twice", "2026-03-01", "Rejected"])
        out.writerow(["Twice", "Role twice", "2026-03-01", "Rejected"])
    db = tmp_path / "s.db"
    env = {"TAPPEDIN_DB": str(db), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "tappedin_widgets.cli", "import", str(sheet)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for reason in ("not a real date", "Astronaut", "control characters", "too long"):
        assert reason in result.stdout, reason
    with Store(db) as s:
        assert s.count("applications") == 0  # nothing partial
    forced = subprocess.run([sys.executable, "-m", "tappedin_widgets.cli", "import", str(sheet),
                             "--skip-invalid"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert forced.returncode == 0, forced.stderr
    with Store(db) as s:
        companies = set(s.table("applications")["company"])
    assert BATTERY["html"] in companies and BATTERY["emoji"] in companies
    assert BATTERY["right_to_left"] in companies
    assert not any("\x07" in c for c in companies)
    assert list(s.table("applications")["company"]).count("Twice") == 1


@pytest.mark.parametrize("action, done", [("save", "saved"), ("draw", "drawn"),
                                          ("load", "loaded"), ("show", "shown"),
                                          ("delete", "deleted"), ("check", "checked")])
def test_an_unexpected_error_says_what_was_not_done_in_plain_words(action, done):
    from tappedin_widgets.views.common import Status, guard

    status = Status()

    @guard(status, action=action)
    def fails():
        raise RuntimeError("boom")

    fails()
    assert f"nothing was {done}." in status.text
