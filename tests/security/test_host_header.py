"""Links in mail come from PUBLIC_URL, never from the request: a forged Host header must not put
an attacker's host (with a valid reset token or a one-click answer token) into anyone's inbox.
In production the app serves only its own host names."""
import re

import pytest

from mentormatch import create_app
from tests.conftest import PASSWORD, app_config, csrf_from
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_profile, mid

PUBLIC = "https://mentoring.example.org"
EVIL = "http://evil.example"
URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s>\"')]+", re.I)


def forged_post(client, path: str, data: dict):
    """A browser-like form post whose every request carries the attacker's Host header."""
    html = client.get(path, base_url=EVIL, headers={"X-Forwarded-Host": "evil.example"}).get_data(as_text=True)
    return client.post(path, base_url=EVIL, headers={"X-Forwarded-Host": "evil.example"},
                       data={"csrf_token": csrf_from(html), **data})


def links_in(messages) -> list[str]:
    return [url for m in messages for url in URL.findall(m["body"])]


@pytest.mark.parametrize("app", [SMTP_CONFIG | {"PUBLIC_URL": PUBLIC}], indirect=True)
def test_reset_and_notification_mail_link_only_to_the_public_url(app, world, smtp_server):
    attacker = app.test_client()
    assert forged_post(attacker, "/auth/reset", {"email": world.mentee.email}).status_code == 303
    [reset] = smtp_server.wait_for(1)
    assert "/auth/reset/" in reset["body"]

    # A notification with one-click answer links: the mentee asks a mentor, from a forged host.
    add_profile(app, mid(world, world.mentor))
    mentee = app.test_client()
    assert forged_post(mentee, "/auth/login", {"email": world.mentee.email, "password": PASSWORD}).status_code == 303
    ask = f"/requests/programs/{world.program.id}/mentors/{mid(world, world.mentor)}/ask"
    response = forged_post(mentee, ask, {"question": "Which of my five slides loses you first, and why?",
                                         "kind": "call15"})
    assert response.status_code == 303
    messages = smtp_server.wait_for(2)
    assert [m["to"] for m in messages] == [[world.mentee.email], [world.mentor.email]]
    assert "/pairings/by-email/" in messages[1]["body"]
    links = links_in(messages)
    assert len(links) >= 4
    assert all(link.startswith(PUBLIC + "/") for link in links), links
    assert not any("evil" in m["body"] for m in messages)


def production_app(_schema, **extra):
    return create_app(app_config(_schema, ENV_NAME="production", PUBLIC_URL=PUBLIC, **extra))


def test_production_answers_400_to_a_host_it_does_not_serve(_schema):
    client = production_app(_schema).test_client()
    assert client.get("/auth/login", base_url=EVIL).status_code == 400
    assert client.get("/auth/login", base_url=PUBLIC).status_code == 200
    extra = production_app(_schema, TRUSTED_HOSTS_EXTRA=["www.mentoring.example.org"]).test_client()
    assert extra.get("/auth/login", base_url="https://www.mentoring.example.org").status_code == 200
    assert extra.get("/auth/login", base_url=EVIL).status_code == 400


@pytest.mark.parametrize("url", ["", "mentoring.example.org", "javascript:alert(1)", "https://x.org/?next=evil"])
def test_production_refuses_to_start_without_a_valid_public_url(_schema, url):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(app_config(_schema, ENV_NAME="production", PUBLIC_URL=url))
