"""A real browser through the whole OpenID Connect code flow against a real provider (tests/oidc):
sign up through a program's invite link with the provider, log out of both, and be refused for an
unverified email."""
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from mentormatch.extensions import db
from mentormatch.models import LinkedIdentity, Membership, User
from tests.e2e.conftest import assert_accessible, screenshot
from tests.oidc.provider import running_provider, use_provider


@pytest.fixture
def sso_site(app):
    """The site on a free port, then the provider told to send the browser back there."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base
    try:
        with running_provider(base) as provider:
            use_provider(app, provider)
            yield base, provider
    finally:
        server.shutdown()
        thread.join(timeout=5)


def sign_in_at_provider(page, login: str) -> None:
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page
    page.wait_for_load_state()


def test_sign_up_through_an_invite_with_the_provider_then_log_out_of_both(app, page, world, sso_site):
    base, provider = sso_site
    page.route("**/fonts.googleapis.com/**", lambda route: route.abort())  # the provider's page font; no network here
    page.goto(f"{base}/auth/signup?invite={world.program.mentor_invite}")
    page.get_by_role("button", name="Sign up with Test IdP").click()
    assert page.url.startswith(provider.issuer)
    sign_in_at_provider(page, "ana")

    expect(page.get_by_role("heading", name="Finish signing up")).to_be_visible()
    expect(page.get_by_text("ana@example.org")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Ana Souza")
    assert_accessible(page)
    screenshot(page, "sso-finish")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "sso-finish-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Welcome, Ana Souza! You joined Main program.")).to_be_visible()
    assert page.url == f"{base}/mentor/"
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "ana@example.org"))
        assert user.role == "mentor"
        assert db.session.scalar(db.select(LinkedIdentity.subject).where(LinkedIdentity.user_id == user.id)) == "ana"
        assert db.session.scalar(db.select(Membership).where(Membership.user_id == user.id))

    # Logging out ends the provider's session too (RP-initiated logout), then comes back here.
    page.get_by_role("button", name="Log out").first.click()
    assert page.url.startswith(provider.issuer)
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(lambda url: url.split("?")[0] == f"{base}/")  # Authlib adds a state to the return
    page.goto(f"{base}/mentor/")
    assert "/auth/login" in page.url

    # The provider asks for a login again (its session ended); an unverified email is refused.
    expect(page.get_by_role("button", name="Log in with Test IdP")).to_be_visible()
    screenshot(page, "sso-login")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "sso-login-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Log in with Test IdP").click()
    sign_in_at_provider(page, "bruno")
    expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
    expect(page.get_by_text("has not verified your email address")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "bruno@example.org")) is None
