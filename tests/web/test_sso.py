"""OpenID Connect sign-in against a real provider (tests/oidc: `oidc-provider` under Node, on
loopback): the code flow through the test client, its refusals, linking, SSO-only programs, logout."""
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from mentormatch import create_app
from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import LinkedIdentity, Membership, Program, User
from tests.conftest import app_config, login, post_form
from tests.oidc.provider import running_provider, sign_in_at_provider, use_provider

SITE = "http://localhost"  # PUBLIC_URL of the tests' apps: the provider sends the browser back here


@pytest.fixture(scope="module")
def idp():
    with running_provider(SITE) as provider:
        yield provider


@pytest.fixture
def sso(app, idp):
    use_provider(app, idp)
    return idp


def outbox(app) -> list:
    return list(getattr(app.extensions["mailman"], "outbox", []))


def authorize_url(client, **params) -> str:
    response = client.get("/auth/sso/test/start", query_string=params)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def provider_answer(client, login_name: str, **params) -> str:
    """Start at the site, sign in at the provider; the callback path (with code and state) back to the site."""
    url = sign_in_at_provider(requests.Session(), authorize_url(client, **params), login_name)
    assert url.startswith(SITE + "/auth/sso/test/callback?")
    return url[len(SITE):]


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return (db.session.scalar(db.select(db.func.count(User.id))),
                db.session.scalar(db.select(db.func.count(LinkedIdentity.id))),
                db.session.scalar(db.select(db.func.count(Membership.id))))


def test_the_authorization_request_uses_pkce_s256_state_and_nonce(client, sso):
    query = parse_qs(urlsplit(authorize_url(client)).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0] and query["response_type"] == ["code"]
    assert "openid" in query["scope"][0].split() and query["redirect_uri"] == [f"{SITE}/auth/sso/test/callback"]


def test_first_sign_in_through_an_invite_link_makes_the_account_and_joins_the_program(app, client, sso, world):
    callback = provider_answer(client, "ana", invite=world.program.mentee_invite)
    response = client.get(callback)
    assert response.status_code == 303 and response.headers["Location"].endswith("/auth/sso/finish")
    page = client.get("/auth/sso/finish").get_data(as_text=True)
    assert "ana@example.org" in page and "Main program" in page and 'name="role"' in page
    response = post_form(client, "/auth/sso/finish", {"name": "Ana Souza", "role": "mentor"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/mentee/")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "ana@example.org"))
        assert user.role == "mentee"  # the invite decides, not the posted role
        assert user.password_hash.startswith("!")  # no password signs this account in
        identity = db.session.scalar(db.select(LinkedIdentity).where(LinkedIdentity.user_id == user.id))
        assert (identity.issuer, identity.subject) == (sso.issuer, "ana")
        assert db.session.scalar(db.select(Membership).where(Membership.user_id == user.id,
                                                             Membership.program_id == world.program.id))
    assert client.get("/mentee/").status_code == 200

    # Signing in again goes straight to the linked account.
    post_form(client, "/auth/logout", {}, page="/mentee/")
    response = client.get(provider_answer(client, "ana"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/mentee/")
    assert counts(app)[:2] == (7, 1)


def test_a_wrong_state_or_missing_parameters_get_an_error_page_and_create_nothing(app, client, sso, world):
    before = counts(app)
    callback = provider_answer(client, "carla")
    forged = re.sub(r"state=[^&]+", "state=someone-elses-state", callback)
    response = client.get(forged)
    assert response.status_code == 400 and "could not be verified" in response.get_data(as_text=True)
    assert counts(app) == before and client.get("/auth/sso/finish").status_code == 404
    response = client.get(callback)  # a foreign state spoils nothing: the real answer still goes through
    assert response.status_code == 303 and response.headers["Location"].endswith("/auth/sso/finish")
    assert client.get(callback).status_code == 400  # and only once
    for incomplete in ("/auth/sso/test/callback", "/auth/sso/test/callback?code=abc",
                       "/auth/sso/test/callback?state=abc"):
        response = client.get(incomplete)
        assert response.status_code == 400 and "incomplete" in response.get_data(as_text=True)
    assert client.get("/auth/sso/nosuch/callback?code=a&state=b").status_code == 404
    assert counts(app) == before


def test_a_replayed_code_is_refused_by_the_provider(app, client, sso, world):
    callback = provider_answer(client, "carla")
    assert client.get(callback).status_code == 303  # the first use: on to the finish page
    before = counts(app)
    # A fresh state in this browser's session, then the old code with it: the provider refuses the code.
    fresh = parse_qs(urlsplit(authorize_url(client)).query)["state"][0]
    replay = re.sub(r"state=[^&]+", f"state={fresh}", callback)
    response = client.get(replay)
    assert response.status_code == 400 and "could not be verified" in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_token_signed_by_another_key_is_refused(app, client, world):
    with running_provider(SITE, rogue_keys=True) as rogue:
        use_provider(app, rogue)
        before = counts(app)
        response = client.get(provider_answer(client, "carla"))
        assert response.status_code == 400 and "could not be verified" in response.get_data(as_text=True)
        assert counts(app) == before
        assert client.get("/auth/sso/finish").status_code == 404


def test_an_expired_token_is_refused(app, client, sso, world):
    callback = provider_answer(client, "carla")
    before = counts(app)
    clock.set_now(clock.now() + timedelta(hours=2))  # the provider's ID tokens live one hour
    try:
        response = client.get(callback)
    finally:
        clock.set_now(None)
    assert response.status_code == 400 and "could not be verified" in response.get_data(as_text=True)
    assert counts(app) == before


def test_an_unverified_email_is_refused(app, client, sso, world):
    before = counts(app)
    response = client.get(provider_answer(client, "bruno"))
    assert response.status_code == 403 and "not verified your email" in response.get_data(as_text=True)
    assert counts(app) == before
    assert client.get("/auth/sso/finish").status_code == 404


def test_an_existing_account_is_linked_only_through_the_mailed_link(app, client, sso, make_user):
    owner = make_user("mentor", "Ana Souza", "ana@example.org")
    response = client.get(provider_answer(client, "ana"))
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    assert counts(app)[1] == 0  # never by email match alone
    assert client.get("/mentor/").status_code == 302  # not signed in
    mails = [m for m in outbox(app) if m.to == ["ana@example.org"]]
    assert len(mails) == 1 and "Link your Test IdP sign-in" in mails[0].subject
    link = re.search(r"http://localhost(/auth/sso/link/\S+)", mails[0].body).group(1)
    assert client.get(link).status_code == 200 and counts(app)[1] == 0  # opening it (a mail scanner) links nothing
    assert client.get("/auth/sso/link/forged-token").status_code == 404
    response = post_form(client, link, {})
    assert response.status_code == 303 and response.headers["Location"].endswith("/mentor/")
    with app.app_context():
        identity = db.session.scalar(db.select(LinkedIdentity))
        assert (identity.user_id, identity.subject) == (owner.id, "ana")
    post_form(client, "/auth/logout", {}, page="/mentor/")
    response = client.get(provider_answer(client, "ana"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/mentor/")


def test_a_signed_in_person_links_the_provider_account_to_their_own(app, client, sso, world):
    login(client, world.mentee)
    response = client.get(provider_answer(client, "carla"))
    assert response.status_code == 303
    with app.app_context():
        identity = db.session.scalar(db.select(LinkedIdentity))
        assert identity.user_id == world.mentee.id and identity.subject == "carla"
    # The same provider account cannot then be linked to someone else.
    post_form(client, "/auth/logout", {}, page="/mentee/")
    login(client, world.mentor)
    response = client.get(provider_answer(client, "carla"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/mentee/")  # signs in as its owner
    assert counts(app)[1] == 1


def test_a_program_that_requires_sso_refuses_its_members_passwords(app, client, sso, world):
    with app.app_context():
        db.session.get(Program, world.program.id).requires_sso = True
        db.session.commit()
    response = post_form(client, "/auth/login", {"email": world.mentee.email, "password": "correct horse battery"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "single sign-on" in page and "Log in with Test IdP" in page
    assert client.get("/mentee/").status_code == 302
    login(client, world.other_mentee)  # another program's member keeps the password
    post_form(client, "/auth/logout", {}, page="/mentee/")
    login(client, world.coordinator)  # coordinators are never locked out by their program's setting


def test_logout_ends_the_provider_session_too(app, client, sso, world):
    client.get(provider_answer(client, "carla"))
    post_form(client, "/auth/sso/finish", {"name": "Carla Reis", "role": "mentor"})
    response = post_form(client, "/auth/logout", {}, page="/mentor/")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == sso.metadata["end_session_endpoint"]
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == [f"{SITE}/"] and query["id_token_hint"][0].count(".") == 2
    assert client.get("/mentor/").status_code == 302  # the local session is over


def test_next_cannot_redirect_off_site(app, client, sso, world):
    login(client, world.mentee)
    response = client.get(provider_answer(client, "carla", next="https://evil.example/x"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/mentee/")
    post_form(client, "/auth/logout", {}, page="/mentee/")
    response = client.get(provider_answer(client, "carla", next="/mentee/requests"))
    assert response.headers["Location"].endswith("/mentee/requests")


def test_provider_settings_are_checked_at_startup(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", "corp")
    monkeypatch.setenv("OIDC_CORP_DISCOVERY_URL", "https://id.example.org/.well-known/openid-configuration")
    monkeypatch.setenv("OIDC_CORP_CLIENT_ID", "mentormatch")
    from mentormatch.config import from_env
    with pytest.raises(RuntimeError, match="OIDC_CORP_CLIENT_SECRET must be set"):
        create_app({**from_env(), **app_config("sqlite://"), "OIDC_PROVIDERS": from_env()["OIDC_PROVIDERS"]})
    monkeypatch.setenv("OIDC_CORP_CLIENT_SECRET", "s3cret")
    app = create_app({**app_config("sqlite://"), "OIDC_PROVIDERS": from_env()["OIDC_PROVIDERS"]})
    assert app.config["OIDC_PROVIDERS"]["corp"]["label"] == "Corp"
    with pytest.raises(RuntimeError, match="OIDC_CORP_DISCOVERY_URL must be an https URL"):
        create_app({**app_config("sqlite://"), "ENV_NAME": "production", "PUBLIC_URL": "https://m.example.org",
                    "OIDC_PROVIDERS": {"corp": {**app.config["OIDC_PROVIDERS"]["corp"],
                                                "discovery_url": "http://id.example.org/x"}}})


def test_an_invite_link_while_signed_in_or_for_a_linked_account_leads_to_the_join_page(app, client, sso, world):
    """The same account joins another program on the invite's side: from a signed-in session the
    SSO start goes straight to the join page; a returning SSO account signs in, then goes there."""
    login(client, world.other_mentee)
    response = client.get("/auth/sso/test/start", query_string={"invite": world.program.mentor_invite})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/join/{world.program.mentor_invite}")
    post_form(client, "/auth/logout", {}, page="/mentee/")

    client.get(provider_answer(client, "carla"))  # carla's account, made at her first sign-in
    post_form(client, "/auth/sso/finish", {"name": "Carla Reis", "role": "mentor"})
    post_form(client, "/auth/logout", {}, page="/mentor/")
    response = client.get(provider_answer(client, "carla", invite=world.program.mentee_invite))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/join/{world.program.mentee_invite}")
    page = client.get(f"/join/{world.program.mentee_invite}").get_data(as_text=True)
    assert world.program.name in page and 'name="csrf_token"' in page  # signed in: the confirm step
    # A bad invite on the start is ignored: the usual sign-in, nothing joined.
    post_form(client, "/auth/logout", {}, page="/mentor/")
    response = client.get(provider_answer(client, "carla", invite="not-a-token"))
    assert response.status_code == 303 and "/join/" not in response.headers["Location"]
