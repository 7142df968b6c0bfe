"""HSTS in production only; bidirectional control characters never reach a page inside a name."""
import pytest

from mentormatch import create_app
from mentormatch.extensions import db
from mentormatch.models import Program, User
from tests.conftest import app_config, login, post_form

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_production_answers_with_hsts(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    production = create_app(app_config("sqlite://", ENV_NAME="production", TESTING=False))
    hsts = production.test_client().get("/", base_url="https://localhost").headers.get("Strict-Transport-Security")
    assert hsts == "max-age=31536000; includeSubDomains"


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_bidi_controls_are_stripped_from_names_whatever_writes_them(app):
    with app.app_context():
        user = User(email="rtl@example.org", name=f"Eve{BIDI} \u202egnp.exe", role="mentee", password_hash="x")
        program = Program(name="Spring\u202e 2026", description="")
        db.session.add_all([user, program])
        db.session.commit()
        user.name = "Eve \u2067Admin\u2069"
        db.session.commit()
        assert (user.name, program.name) == ("Eve Admin", "Spring 2026")


def test_a_name_from_the_sign_up_form_is_stored_and_shown_without_bidi_controls(app, client):
    from tests.web.test_auth import finish_link, signup

    signup(client, name="Sam \u202eSignup\u202c", email="bidi@example.org")
    post_form(client, finish_link(app, "bidi@example.org"), {})
    html = client.get("/mentee/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User.name).where(User.email == "bidi@example.org")) == "Sam Signup"
    assert not set(BIDI) & set(html)


@pytest.mark.parametrize("role", ["mentee", "coordinator"])
def test_the_header_shows_the_user_name_isolated(client, make_user, role):
    # Names stored before the validator existed (or in another script's direction) cannot
    # reorder the header around them.
    user = make_user(role, name="مريم")
    login(client, user)
    assert "<bdi>مريم</bdi>" in client.get(f"/{role}/").get_data(as_text=True)
