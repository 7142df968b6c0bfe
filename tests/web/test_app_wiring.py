"""How the app is wired (issue 12): the app factory starts the reminder thread, registering a
blueprint starts nothing; htmx requests are told apart by htmx-flask's `request.htmx` alone."""

from flask import Flask

from mentormatch import create_app, htmx
from mentormatch.factory import BLUEPRINTS
from mentormatch.services import reminders
from tests.conftest import app_config


def test_the_app_factory_starts_the_reminder_scheduler_and_a_blueprint_does_not(_schema, monkeypatch):
    started = []
    monkeypatch.setattr(reminders, "start_scheduler", started.append)
    bare = Flask("bare")
    for blueprint, prefix in BLUEPRINTS:
        bare.register_blueprint(blueprint, url_prefix=prefix or None)
    assert started == []
    app = create_app(app_config(_schema))
    assert started == [app]


def test_htmx_helpers_follow_request_htmx(app):
    with app.test_request_context("/", headers={"HX-Request": "true"}):
        from flask import request

        assert request.htmx and htmx.is_htmx()
        redirect = htmx.redirect_htmx_aware("/somewhere")
        assert redirect.status_code == 204 and redirect.headers["HX-Redirect"] == "/somewhere"
    with app.test_request_context("/"):
        assert not htmx.is_htmx()
        assert htmx.redirect_htmx_aware("/somewhere").status_code == 303
