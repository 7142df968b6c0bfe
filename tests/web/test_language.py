"""The language a page is in (issue 18): the person's setting, else a visitor's choice, else the
browser's, else English; the menu in the footer sets it; its `next` goes nowhere but this site."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import User
from tests.conftest import csrf_from, login


def lang_of(html: str) -> str:
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def choose(client, lang: str, next_: str = "/auth/login"):
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    return client.post("/language", data={"csrf_token": token, "lang": lang, "next": next_})


@pytest.mark.parametrize("header, expected", [
    ("es-MX,es;q=0.9,en;q=0.5", "es"), ("pt-BR,pt;q=0.9", "pt"), ("de-DE,fr;q=0.8", "en"), ("", "en"),
])
def test_a_visitor_gets_the_browsers_language_when_it_is_shipped(client, header, expected):
    html = client.get("/auth/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert lang_of(html) == expected


def test_the_footer_menu_sets_a_visitors_language_over_the_browsers(client):
    r = choose(client, "pt")
    assert r.status_code == 303 and r.headers["Location"] == "/auth/login"
    html = client.get("/auth/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert lang_of(html) == "pt"
    assert "Idioma" in html, "the footer's own label is translated"


def test_a_signed_in_persons_setting_is_stored_and_wins_over_the_browser(app, client, world):
    login(client, world.mentee)
    assert choose(client, "es", "/mentee/").status_code == 303
    with app.app_context():
        assert db.session.get(User, world.mentee.id).locale == "es"
    client.delete_cookie("lang")
    html = client.get("/mentee/", headers={"Accept-Language": "pt"}).get_data(as_text=True)
    assert lang_of(html) == "es"


def test_an_unknown_language_changes_nothing(app, client, world):
    login(client, world.mentee)
    r = choose(client, "xx")
    assert r.status_code == 303
    with app.app_context():
        assert db.session.get(User, world.mentee.id).locale is None
    assert "lang=" not in r.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("next_", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_the_menu_never_sends_anyone_off_the_site(client, next_):
    r = choose(client, "es", next_)
    assert r.status_code == 303 and r.headers["Location"] == "/"
