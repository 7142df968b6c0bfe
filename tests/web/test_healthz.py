"""/healthz reports the database and Redis as one word each: 200 while the database answers
(Redis down or not configured is reported, not fatal), 503 when it does not; nothing else leaks."""
import os
import socket

import pytest

from mentormatch import create_app
from mentormatch.extensions import db
from tests.conftest import app_config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_health(app):
    response = app.test_client().get("/healthz")
    assert response.content_type == "application/json"
    return response.status_code, response.get_json()


def health_of(database_url: str, redis_url: str):
    app = create_app(app_config(database_url, REDIS_URL=redis_url))
    try:
        return get_health(app)
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("app", [{"REDIS_URL": None}], indirect=True)
def test_database_up_and_redis_not_configured_is_healthy(app):
    assert get_health(app) == (200, {"status": "ok", "database": "ok", "redis": "not configured"})


@pytest.mark.parametrize("app", [{"REDIS_URL": REDIS_URL}], indirect=True)
def test_database_and_redis_up_is_healthy(app):
    assert get_health(app) == (200, {"status": "ok", "database": "ok", "redis": "ok"})


def test_redis_on_a_closed_port_is_reported_but_not_fatal(_schema):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    assert health_of(_schema, url) == (200, {"status": "degraded", "database": "ok", "redis": "down"})


@pytest.mark.parametrize("bad_url", [
    "postgresql+psycopg://postgres@127.0.0.1:{port}/mentormatch",
    "sqlite:////nonexistent-dir/{port}/mentormatch.sqlite",
])
def test_a_database_that_does_not_answer_is_503_and_leaks_nothing(bad_url, tmp_path):
    port = closed_port()
    code, body = health_of(bad_url.format(port=port), f"redis://127.0.0.1:{closed_port()}/0")
    assert (code, body) == (503, {"status": "down", "database": "down", "redis": "down"})
    assert str(port) not in str(body)
