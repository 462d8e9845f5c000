"""The coach's page: counts for a cohort on PostgreSQL, clear messages otherwise."""

from __future__ import annotations

import io

import nbformat
import pandas as pd
from matplotlib.image import imread
from nbclient import NotebookClient
from test_notebooks import NOTEBOOKS

from tappedin_widgets.cohort import MIN_GROUP
from tappedin_widgets.views import coach
from tappedin_widgets.views.coach import CoachView


def png_size(png: bytes) -> tuple[int, int]:
    h, w, _ = imread(io.BytesIO(png), format="png").shape
    return w, h


def test_a_cohort_of_five_shows_headline_numbers_and_three_charts(cohort_db, tmp_path):
    for _ in range(5):
        cohort_db.seeker()
    view = CoachView(cohort_db.coach_url())
    assert view.status.text == ""
    assert "5</b> job seekers" in view.headline.value
    for name, card in view.cards.items():
        assert bytes(card.image.value).startswith(b"\x89PNG"), name
        assert png_size(bytes(card.image.value))[0] >= 800
        # Its text alternative names numbers from the cohort (issue 17).
        assert card.image.tooltip.startswith(card.title) and any(
            ch.isdigit() for ch in card.image.tooltip), card.image.tooltip
        card.make_links()  # downloads are made when asked
        assert "Its numbers (CSV)" in card.links.value, name
        (tmp_path / f"coach-{name}.png").write_bytes(bytes(card.image.value))
    for store in cohort_db.stores:
        for company in store.table("applications")["company"].head(5):
            assert company not in view.headline.value


def test_a_small_cohort_gets_calm_empty_states(cohort_db):
    for _ in range(MIN_GROUP - 1):
        cohort_db.seeker()
    view = CoachView(cohort_db.coach_url())
    assert f"Fewer than {MIN_GROUP} job seekers" in view.headline.value
    for card in view.cards.values():
        assert bytes(card.image.value).startswith(b"\x89PNG")
        assert card.image.tooltip.endswith("nothing to show yet.")
        card.make_links()
        assert "Its numbers (CSV)" not in card.links.value  # no numbers to download


def test_refresh_picks_up_new_seekers(cohort_db):
    for _ in range(MIN_GROUP - 1):
        cohort_db.seeker()
    view = CoachView(cohort_db.coach_url())
    assert "Fewer than" in view.headline.value
    cohort_db.seeker()
    view.refresh_button.click()
    assert f"{MIN_GROUP}</b> job seekers" in view.headline.value


def test_a_seekers_or_a_local_address_gets_a_message_not_a_traceback(cohort_db, db_path):
    name, store = cohort_db.seeker(demo=False)
    view = CoachView(store.url)
    assert "can't see cohort figures" in view.status.text
    local = CoachView(str(db_path))
    assert "PostgreSQL" in local.status.text
    assert not db_path.exists()


def test_charts_have_titles_and_labelled_axes():
    themes = pd.DataFrame({"theme": ["communication", "communication", "experience"],
                           "polarity": ["+", "-", "-"], "seekers": [6, 5, 7],
                           "mentions": [30, 4, 12],
                           "label": ["Communication", "Communication", "Experience"]})
    musts = pd.DataFrame({"must_have": ["remote"], "shown": ["Remote"], "seekers": [5],
                          "jobs": [9]})
    stops = pd.DataFrame({"stage": pd.Categorical(["screen"], categories=["applied", "screen"]),
                          "seekers": [5], "rejections": [11]})
    for fig in (coach.themes_chart(themes), coach.must_haves_chart(musts),
                coach.stops_chart(stops)):
        ax = fig.axes[0]
        assert ax.get_title(loc="left").strip()
        assert ax.get_xlabel() and ax.get_ylabel()


def test_the_coach_notebook_runs_against_a_cohort(cohort_db, tmp_path, monkeypatch):
    for _ in range(5):
        cohort_db.seeker()
    monkeypatch.setenv("TAPPEDIN_DB", cohort_db.coach_url())
    path = next(p for p in NOTEBOOKS if p.name == "coach.ipynb")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in outputs)

