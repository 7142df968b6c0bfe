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
    from tests.web.test_auth import finish, finish_link, signup

    signup(client, email="bidi@example.org")
    finish(client, finish_link(app, "bidi@example.org"), name="Sam \u202eSignup\u202c")
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


CONTROLS = "\r\n\t\x1b\x7f"  # NUL too, but forms refuse it earlier (400, mentormatch/bad_input.py)


def test_ascii_controls_become_spaces_in_names_whatever_writes_them(app):
    with app.app_context():
        user = User(email="crlf@example.org", name="Eve\r\nBcc: spy@evil.example", role="mentee", password_hash="x")
        program = Program(name="Two\r\nBcc: x@evil.example", description="")
        db.session.add_all([user, program])
        db.session.commit()
        assert (user.name, program.name) == ("Eve  Bcc: spy@evil.example", "Two  Bcc: x@evil.example")


def test_a_program_renamed_with_a_line_break_keeps_one_line_and_a_blank_name_is_refused(app, client, world):
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/edit"
    assert post_form(client, url, {"name": "Two\r\nBcc: x@evil.example", "offers_micro": "y"}).status_code == 303
    response = post_form(client, url, {"name": f"\u202e{CONTROLS}", "offers_micro": "y"})
    assert response.status_code == 200 and "Give the program a name." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Program, world.program.id).name == "Two  Bcc: x@evil.example"


def test_the_csv_import_strips_bidi_and_control_characters_from_names_and_topics(app, client, world):
    """Finding 14: the bulk insert skipped the model's validator, and terms were not covered."""
    from mentormatch.models import Term
    from tests.web.test_csv_import import upload

    login(client, world.coordinator)
    text = ('Name,Email,Role,Topics,Groups\n'
            '"\u202eevil\u202c Name",bidi1@example.org,mentee,\u202eDeep\u202c,\u2066Women\u2069 in tech\n'
            '"Line\r\nBreak",crlf1@example.org,mentee,"Py\tthon",\n')
    html = upload(client, world.program.id, text).get_data(as_text=True)
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "Line  Break" in rows and not set(BIDI) & set(rows), "the preview shows what will be stored"
    assert upload(client, world.program.id, text, confirm=True).status_code == 303
    with app.app_context():
        names = set(db.session.scalars(db.select(User.name).where(User.email.in_(["bidi1@example.org",
                                                                                  "crlf1@example.org"]))))
        terms = set(db.session.scalars(db.select(Term.name).where(Term.program_id == world.program.id)))
    assert names == {"evil Name", "Line  Break"}
    assert {"Deep", "Women in tech", "Py thon"} <= terms
    assert not any(set(BIDI + CONTROLS) & set(t) for t in terms)
    mails = [m for m in app.extensions["mailman"].outbox if m.to == ["crlf1@example.org"]]
    assert mails and "Hello Line  Break," in mails[0].body
