"""Login, password-reset and sign-up limits: per account and per client address, read correctly
behind the configured number of proxies, and still working when the limiter's Redis is down."""
import logging

import pytest

from tests.conftest import PASSWORD, post_form
from tests.smtp import free_port


def attempt(client, email: str, password: str = "wrong password!", address: str = "192.0.2.1", headers=None):
    return post_form(client, "/auth/login", {"email": email, "password": password},
                     environ_base={"REMOTE_ADDR": address}, headers=headers or {})


def ask_reset(client, email: str, address: str = "192.0.2.1", headers=None):
    return post_form(client, "/auth/reset", {"email": email}, environ_base={"REMOTE_ADDR": address},
                     headers=headers or {})


def test_ten_failures_for_one_account_hold_it_from_that_address_only(app, client, make_user):
    a, b = make_user("mentee"), make_user("mentor")
    assert [attempt(client, a.email).status_code for _ in range(10)] == [200] * 10
    assert attempt(client, a.email.upper(), PASSWORD).status_code == 429, "A is held there, case variants too"
    assert attempt(app.test_client(), a.email, PASSWORD, address="198.51.100.7").status_code == 303, \
        "the owner logs in from another address"
    assert attempt(client, b.email, PASSWORD).status_code == 303, "B logs in from the same address"


def via_proxy(client, email: str, client_address: str, password: str = "wrong password!"):
    """A request as the one trusted proxy (PROXY_HOPS=1) forwards it from `client_address`."""
    return attempt(client, email, password, address="10.0.0.1", headers={"X-Forwarded-For": client_address})


@pytest.mark.parametrize("app", [{"PROXY_HOPS": 1}], indirect=True)
def test_failures_from_many_addresses_do_not_lock_the_owner_out(app, client, make_user):
    """Finding 3: 10 failures a minute from anywhere used to lock the owner out indefinitely."""
    owner = make_user("mentee")
    assert [via_proxy(client, owner.email, f"203.0.113.{n}").status_code for n in range(10)] == [200] * 10
    assert via_proxy(app.test_client(), f" {owner.email.upper()}", "198.51.100.9", PASSWORD).status_code == 303


@pytest.mark.parametrize("app", [{"PROXY_HOPS": 1, "LOGIN_RATE_LIMIT_PER_ACCOUNT": "12 per hour"}], indirect=True)
def test_the_per_account_cap_still_holds_across_addresses(app, client, make_user):
    owner, other = make_user("mentee"), make_user("mentor")
    assert [via_proxy(client, owner.email, f"203.0.113.{n}").status_code for n in range(13)] == [200] * 12 + [429]
    assert via_proxy(client, owner.email, "198.51.100.9", PASSWORD).status_code == 429, "a spread-out run is capped"
    assert via_proxy(client, other.email, "198.51.100.9", PASSWORD).status_code == 303, "per account only"


@pytest.mark.parametrize("app", [{"LOGIN_RATE_LIMIT": "3 per minute"}], indirect=True)
def test_successful_logins_do_not_use_up_the_account_limit(app, make_user):
    user = make_user("mentee")
    assert [attempt(app.test_client(), user.email, PASSWORD).status_code for _ in range(5)] == [303] * 5


@pytest.mark.parametrize("app", [{"LOGIN_RATE_LIMIT": "100 per minute", "LOGIN_RATE_LIMIT_PER_ADDRESS": "3 per minute"}],
                         indirect=True)
def test_without_a_proxy_a_forged_forwarded_for_does_not_dodge_the_address_limit(app, client, make_user):
    users = [make_user("mentee") for _ in range(4)]
    codes = [attempt(client, u.email, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
             for n, u in enumerate(users)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize("app", [{"PROXY_HOPS": 1, "LOGIN_RATE_LIMIT": "100 per minute",
                                  "LOGIN_RATE_LIMIT_PER_ADDRESS": "3 per minute"}], indirect=True)
def test_behind_one_proxy_two_forwarded_addresses_are_counted_apart(app, client, make_user):
    users = [make_user("mentee") for _ in range(5)]
    proxy = "10.0.0.1"  # every request reaches the app from the proxy

    def via_proxy(user, client_address, forged=""):
        chain = f"{forged}, {client_address}" if forged else client_address
        return attempt(client, user.email, address=proxy, headers={"X-Forwarded-For": chain}).status_code

    assert [via_proxy(u, "203.0.113.5") for u in users[:4]] == [200, 200, 200, 429]
    assert via_proxy(users[4], "203.0.113.6") == 200, "another client behind the same proxy"
    # The client may prepend anything; only the address the proxy itself appended counts.
    assert via_proxy(users[4], "203.0.113.5", forged="203.0.113.99") == 429


@pytest.mark.parametrize("app", [{"RESET_RATE_LIMIT": "2 per hour", "RESET_RATE_LIMIT_PER_ACCOUNT": "3 per hour",
                                  "RESET_RATE_LIMIT_PER_ADDRESS": "4 per hour"}], indirect=True)
def test_reset_requests_are_limited_per_account_and_per_address(app, client, make_user):
    a = make_user("mentee")
    assert [ask_reset(client, e).status_code for e in (a.email, a.email.upper(), a.email)] == [303, 303, 429]
    assert ask_reset(client, a.email, address="198.51.100.7").status_code == 303, "another address has its own"
    assert ask_reset(client, a.email, address="198.51.100.6").status_code == 429, "up to the account's cap"
    # Unknown emails count the same (no probing by limit), and the address has its own, higher limit.
    codes = [ask_reset(client, f"nobody{n}@example.org", address="198.51.100.8").status_code for n in range(5)]
    assert codes == [303, 303, 303, 303, 429]


@pytest.mark.parametrize("app", [{"PROXY_HOPS": 1}], indirect=True)
def test_reset_requests_from_many_addresses_leave_the_owner_a_link(app, client, make_user):
    """Finding 3 for resets: 5 requests an hour from anywhere kept the owner from getting a link."""
    owner = make_user("mentee")
    codes = [ask_reset(client, owner.email, address="10.0.0.1", headers={"X-Forwarded-For": f"203.0.113.{n}"})
             .status_code for n in range(10)]
    assert codes == [303] * 10
    assert ask_reset(app.test_client(), owner.email, address="10.0.0.1",
                     headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 303


UNREACHABLE = f"redis://127.0.0.1:{free_port()}/0"  # a port nobody listens on: connections are refused


@pytest.mark.parametrize("app", [{"RATELIMIT_STORAGE_URI": UNREACHABLE, "LOGIN_RATE_LIMIT": "3 per minute",
                                  "RESET_RATE_LIMIT": "2 per hour"}], indirect=True)
def test_with_the_limiter_redis_unreachable_login_and_reset_work_and_stay_limited(app, client, make_user, caplog):
    user = make_user("mentor")
    with caplog.at_level(logging.WARNING):
        assert attempt(client, user.email, PASSWORD).status_code == 303
    assert "falling back to in-memory storage" in caplog.text
    other = app.test_client()
    assert [attempt(other, user.email).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [ask_reset(other, user.email).status_code for _ in range(3)] == [303, 303, 429]
    assert client.get("/mentor/", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 200
