"""Shared fixtures: a real store for every test.

SQLite in a temporary folder by default. The store, analysis, exchange and
cohort suites also run every ``store`` test against the PostgreSQL server that
tests/run.sh starts (TAPPEDIN_TEST_PG, an administrator's URL): each test gets
a fresh job seeker of its own (a role and its schema), removed afterwards.
"""

from __future__ import annotations

import os
import uuid

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

from tappedin_widgets.store import Store  # noqa: E402

#: Suites whose ``store`` tests run on both databases.
BOTH_BACKENDS = {"test_store", "test_analysis", "test_exchange", "test_cohort"}


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rpartition(".")[2]
    if (module in BOTH_BACKENDS and "backend" in metafunc.fixturenames
            and metafunc.definition.get_closest_marker("sqlite_only") is None):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_admin_url():
    """The test PostgreSQL server's administrator URL; fails under CI if there is none."""
    url = os.environ.get("TAPPEDIN_TEST_PG", "").strip()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TAPPEDIN_TEST_PG is not set: run the suite with bash tests/run.sh, "
                        "which starts PostgreSQL")
        pytest.skip("no PostgreSQL server (TAPPEDIN_TEST_PG); bash tests/run.sh starts one")
    return url


@pytest.fixture
def pg_user(pg_admin_url):
    """A fresh job seeker on the test PostgreSQL server: (name, url)."""
    from tappedin_widgets import cohort

    name, url = new_seeker(pg_admin_url)
    yield name, url
    cohort.remove_user(pg_admin_url, name)


@pytest.fixture
def make_seeker(pg_admin_url):
    """Make more fresh job seekers in a test: ``make_seeker(prefix)`` -> (name, url)."""
    from tappedin_widgets import cohort

    made: list[str] = []

    def make(prefix: str = "t") -> tuple[str, str]:
        name, url = new_seeker(pg_admin_url, prefix)
        made.append(name)
        return name, url

    yield make
    for name in made:
        cohort.remove_user(pg_admin_url, name)


def new_seeker(admin_url: str, prefix: str = "t") -> tuple[str, str]:
    """A job seeker made with ``cohort.add_user`` and a made-up password: (name, url)."""
    from tappedin_widgets import cohort

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    password = cohort.new_password()
    cohort.add_user(admin_url, name, password)
    return name, cohort.user_url(admin_url, name, password)


class CohortDB:
    """A cohort in a database of its own (so other tests' seekers never count)."""

    def __init__(self, url: str):
        self.url = url
        self.roles: list[str] = []
        self.stores: list[Store] = []

    def seeker(self, *, demo: bool = True) -> tuple[str, Store]:
        from tappedin_widgets.demo import load_demo

        name, url = new_seeker(self.url, "t_s")
        self.roles.append(name)
        store = Store(url)
        self.stores.append(store)
        if demo:
            load_demo(store)
        return name, store

    def coach_url(self) -> str:
        from tappedin_widgets import cohort

        name = f"t_c_{uuid.uuid4().hex[:8]}"
        cohort.add_coach(self.url, name, password="coach-secret")
        self.roles.append(name)
        return cohort.user_url(self.url, name, "coach-secret")

    def coach(self):
        from tappedin_widgets import cohort

        return cohort.CohortStats(self.coach_url())


@pytest.fixture
def cohort_db(pg_admin_url):
    """A fresh database with ``tappedin cohort init`` done: a :class:`CohortDB`."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from tappedin_widgets import cohort

    db = f"t_cohort_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{db}"'))
    url = make_url(pg_admin_url).set(database=db).render_as_string(hide_password=False)
    cohort.init(url)
    helper = CohortDB(url)
    yield helper
    for store in helper.stores:
        store.close()
    for name in helper.roles:
        cohort.remove_user(url, name)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{db}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def backend(request):
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "tappedin.db"
    monkeypatch.setenv("TAPPEDIN_DB", str(path))
    return path


@pytest.fixture
def store_url(backend, db_path, request, monkeypatch):
    """Where the test's store lives: a SQLite path, or a fresh PostgreSQL user's URL."""
    if backend == "postgresql":
        _name, url = request.getfixturevalue("pg_user")
        monkeypatch.setenv("TAPPEDIN_DB", url)
        return url
    return str(db_path)


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.close()


@pytest.fixture
def app_id(store):
    return store.add("applications", company="Northwind", role="Product Analyst",
                     applied_on="2026-03-02", stage="interview", outcome="rejected",
                     outcome_on="2026-03-20", source="referral")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
