"""One suite, two databases: TEST_DATABASE_URL picks PostgreSQL, else a SQLite file.

The schema is created once per run; each test gets a fresh app from the factory and empty tables.

Parallel runs (pytest-xdist, `make test` uses `-n 2`): everything a test shares lives per worker.
Each worker process gets its own SQLite file (tmp_path_factory is per worker), its own PostgreSQL
database (<TEST_DATABASE_URL's name>_gw0, _gw1, ... on the same server, created for the session and
dropped at its end), its own SMTP port (tests/smtp.py picks one per process) and its own RQ queue
names (the tests that use Redis name their queues with a random suffix per process).
REDIS_URL_FOR_TESTS, when set, is the Redis the tests use (TEST_REDIS_URL for the test modules).
"""
import itertools
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from mentormatch import create_app
from mentormatch.core import outbox
from mentormatch.core.security import hash_password
from mentormatch.extensions import db
from mentormatch.models import Membership, Program, ProgramCoordinator, User
from tests.smtp import _smtp_controller, smtp_server  # noqa: F401 (fixtures, defined once for the session)

PASSWORD = "correct horse battery"

if os.environ.get("REDIS_URL_FOR_TESTS"):  # before the test modules read TEST_REDIS_URL at import
    os.environ.setdefault("TEST_REDIS_URL", os.environ["REDIS_URL_FOR_TESTS"])

WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1", ... under xdist; None in a serial run

# The browser tests (tests/e2e) drive Debian's Chromium through Playwright.
CHROMIUM = os.environ.get("MENTORMATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_MISSING = ("Chromium is missing: install Debian's package with `apt-get install chromium` (the browser "
                    f"tests drive it through Playwright; looked for {CHROMIUM}, MENTORMATCH_CHROMIUM names another).")
BROWSER_TESTS = Path(__file__).resolve().parent / "e2e"


def _runs_browser_tests(config) -> bool:
    """Whether the paths given to pytest (or testpaths) include tests/e2e, less --ignore'd ones."""
    def resolve(arg: str) -> Path:
        path = Path(arg.split("::")[0])
        if not path.is_absolute():
            here = config.invocation_params.dir / path
            path = here if here.exists() else config.rootpath / path
        return path.resolve()

    ignored = [resolve(str(i)) for i in (config.getoption("ignore") or [])]
    if any(i == BROWSER_TESTS or i in BROWSER_TESTS.parents for i in ignored):
        return False
    paths = [resolve(a) for a in config.args] or [config.invocation_params.dir.resolve()]
    return any(p == BROWSER_TESTS or p in BROWSER_TESTS.parents or BROWSER_TESTS in p.parents for p in paths)


# Tests that need the machine to themselves, marked `alone`: `make test` runs them after the parallel pass, in one
# process (`-m "not alone"` on the xdist workers, then `-m alone`). Measured: in parallel runs on this 2-core
# machine the short load test (SQLite and PostgreSQL) and the killed-web-worker test (PostgreSQL) missed their
# deadlines. (xdist_group cannot do it here: pytest-xdist 3.8 renames item._nodeid, which pytest 9 no longer reads.)
ALONE = ("tests/load/", "tests/security/test_faults_mail.py")


def pytest_itemcollected(item):
    if item.nodeid.startswith(ALONE):
        item.add_marker(pytest.mark.alone)


def pytest_configure(config):
    """Stop before any test runs, with one sentence, when the browser tests would run without a browser.
    Here (not in tests/e2e/conftest.py) because under xdist only this conftest is loaded by the main process,
    which then stops before starting any worker."""
    config.addinivalue_line("markers", "alone: needs the machine to itself; `make test` runs it after the parallel pass")
    if not os.path.exists(CHROMIUM) and _runs_browser_tests(config):
        raise pytest.UsageError(CHROMIUM_MISSING)


def _admin_engine(url):
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"  # a file per worker already
        return
    if not WORKER:
        yield url
        return
    # One PostgreSQL database per worker, on TEST_DATABASE_URL's server, fresh for this session.
    server = make_url(url)
    name = f"{server.database}_{WORKER}"
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "locmem",
        "SERVER_NAME": None,
        "PUBLIC_URL": "http://localhost",
        "MAIL_DELIVERY": "inline",
        "RATELIMIT_STORAGE_URI": "memory://",
        **extra,
    }


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(app_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return database_url


# The names core.jobs.dispatch gives the threads it starts ("solve-12", "workbook-3", ...).
_JOB_THREAD = re.compile(r"(solve|workbook|import)-\d+")


def _wait_for_job_threads(timeout_s: float = 120) -> None:
    """A job a test started in a thread (the default runner) may still be writing when the test
    ends; emptying the tables under it deadlocks on PostgreSQL (TRUNCATE against its reads), so
    teardown waits for it first."""
    for thread in threading.enumerate():
        if _JOB_THREAD.fullmatch(thread.name):
            thread.join(timeout_s)


def _empty_all_tables() -> None:
    _wait_for_job_threads()
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_schema, request):
    """No app context stays pushed: each request gets its own, as in production (its own `g`,
    its own database session). Test code that touches the database opens `app.app_context()`."""
    extra = getattr(request, "param", None) or {}
    app = create_app(app_config(_schema, **extra))
    yield app
    outbox.stop_sender_thread(app)  # a sender thread must not wake later and send another test's mail
    with app.app_context():
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@lru_cache(maxsize=1)
def password_hash() -> str:
    # Argon2id is slow by design; hash the shared test password once per run.
    return hash_password(PASSWORD)


_counter = itertools.count(1)


@event.listens_for(Membership, "before_insert")
def _side_of_the_account(mapper, connection, membership):
    """Tests only: a membership made without a side takes its account's role (users.role), as every
    membership did before the role moved onto it (issue 15). The app always names the side."""
    if membership.role is None:
        user = membership.__dict__.get("user")  # a loaded relationship; never lazy-load inside a flush
        membership.role = user.role if user is not None else connection.scalar(
            text("SELECT role FROM users WHERE id = :id"), {"id": membership.user_id})


def snapshot(obj, *names) -> SimpleNamespace:
    """Plain values of a row, safe to use after its session is gone."""
    return SimpleNamespace(**{name: getattr(obj, name) for name in names})


@pytest.fixture
def make_user(app):
    def make(role: str, name: str | None = None, email: str | None = None) -> SimpleNamespace:
        n = next(_counter)
        with app.app_context():
            user = User(
                role=role,
                name=name or f"{role.title()} {n}",
                email=email or f"{role}{n}@example.org",
                password_hash=password_hash(),
            )
            db.session.add(user)
            db.session.commit()
            return snapshot(user, "id", "email", "name", "role")

    return make


@pytest.fixture
def make_program(app):
    def make(coordinator, name: str = "Program", members=(), *, sides: dict | None = None) -> SimpleNamespace:
        """`members` join on their account's side unless `sides` ({user id: 'mentee'|'mentor'}) says."""
        with app.app_context():
            program = Program(name=name, description="", offers_rounds=True, offers_micro=True)
            program.coordinators.append(ProgramCoordinator(user_id=coordinator.id))
            db.session.add(program)
            db.session.flush()
            memberships = {}
            for member in members:
                membership = Membership(program_id=program.id, user_id=member.id,
                                        role=(sides or {}).get(member.id, member.role))
                db.session.add(membership)
                db.session.flush()
                memberships[member.id] = membership.id
            db.session.commit()
            result = snapshot(program, "id", "name", "mentor_invite", "mentee_invite")
            result.memberships = memberships
            return result

    return make


@pytest.fixture
def world(make_user, make_program):
    """One user per role who belong together, plus a stranger of each role in another program."""

    class World:
        pass

    w = World()
    w.coordinator = make_user("coordinator", "Cora Coordinator")
    w.mentor = make_user("mentor", "Milo Mentor")
    w.mentee = make_user("mentee", "Mira Mentee")
    w.program = make_program(w.coordinator, "Main program", [w.mentor, w.mentee])
    w.other_coordinator = make_user("coordinator", "Otto Outsider")
    w.other_mentor = make_user("mentor", "Olga Outsider")
    w.other_mentee = make_user("mentee", "Oren Outsider")
    w.other_program = make_program(w.other_coordinator, "Other program", [w.other_mentor, w.other_mentee])
    return w


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def post_form(client, url: str, data: dict, *, page: str | None = None, **kwargs):
    """Post like a browser: fetch the page that holds the form, take its CSRF token, submit."""
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_from(html), **data}, **kwargs)


def login(client, user, password: str = PASSWORD):
    response = post_form(client, "/auth/login", {"email": user.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response


@pytest.fixture
def login_as(client):
    def do(user):
        login(client, user)
        return client

    return do
