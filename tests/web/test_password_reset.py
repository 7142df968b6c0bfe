"""Forgot your password: a signed, expiring, single-use link sent by email."""
import re

from mentormatch.core.security import verify_password
from mentormatch.extensions import db
from mentormatch.models import User
from tests.conftest import PASSWORD, login, post_form

LINK = re.compile(r"http://localhost(/auth/reset/\S+)")


def outbox():
    from flask import current_app

    mailman = current_app.extensions["mailman"]
    if not hasattr(mailman, "outbox"):
        mailman.outbox = []  # the locmem backend creates it on first send
    return mailman.outbox


def ask_for_link(app, client, email):
    response = post_form(client, "/auth/reset", {"email": email})
    assert response.status_code == 303
    return response


def sent_link(app) -> str:
    messages = [m for m in outbox() if "Set your MentorMatch password" in m.subject]
    assert messages, "no reset email"
    return LINK.search(messages[-1].body).group(1)


def test_reset_link_sets_a_new_password_once(app, client, make_user):
    user = make_user("mentee")
    with app.app_context():
        outbox().clear()
        ask_for_link(app, client, user.email.upper())
        link = sent_link(app)
    response = post_form(client, link, {"password": "a fresh passphrase"})
    assert response.status_code == 303 and response.headers["Location"] == "/mentee/"
    with app.app_context():
        assert verify_password(db.session.get(User, user.id).password_hash, "a fresh passphrase")
    assert app.test_client().get(link).status_code == 404, "the link works once"


def test_unknown_email_gets_the_same_answer_and_no_mail(app, client):
    with app.app_context():
        outbox().clear()
        response = ask_for_link(app, client, "nobody@example.org")
        assert response.headers["Location"] == "/auth/login"
        assert not outbox()


def test_tampered_or_expired_links_change_nothing(app, client, make_user, monkeypatch):
    user = make_user("mentor")
    with app.app_context():
        outbox().clear()
        ask_for_link(app, client, user.email)
        link = sent_link(app)
    assert client.get(link[:-3] + "abc").status_code == 404
    from mentormatch.services import accounts

    monkeypatch.setattr(accounts, "RESET_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
    login(client, user, PASSWORD)


def test_a_weak_new_password_is_refused_next_to_the_field(app, client, make_user):
    user = make_user("mentee")
    with app.app_context():
        outbox().clear()
        ask_for_link(app, client, user.email)
        link = sent_link(app)
    response = post_form(client, link, {"password": "12345678"})
    assert "most common" in response.get_data(as_text=True)
    with app.app_context():
        assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)
