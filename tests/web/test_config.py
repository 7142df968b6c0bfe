"""Configuration rules from the environment."""
import pytest
from sqlalchemy import text

from mentormatch import create_app
from mentormatch.extensions import db
from tests.conftest import app_config


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_secret_key_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("MENTORMATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PUBLIC_URL", "https://mentoring.example.org")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["SECRET_KEY"] == "s" * 40


def test_postgres_urls_use_psycopg3():
    app = create_app(app_config("postgresql://user@db.example.org/mm"))
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    # A host that drops packets fails the connection in seconds instead of hanging a worker.
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"connect_timeout": 5}


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'x.sqlite'}"))
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.engine.dispose()
