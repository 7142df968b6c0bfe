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


def test_ten_failures_for_one_account_do_not_block_another_from_the_same_address(app, client, make_user):
    a, b = make_user("mentee"), make_user("mentor")
    assert [attempt(client, a.email).status_code for _ in range(10)] == [200] * 10
    assert attempt(client, a.email.upper(), PASSWORD).status_code == 429, "account A is held, case variants too"
    assert attempt(app.test_client(), a.email, PASSWORD, address="198.51.100.7").status_code == 429, \
        "from any address"
    assert attempt(client, b.email, PASSWORD).status_code == 303, "B logs in from the same address"


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


@pytest.mark.parametrize("app", [{"RESET_RATE_LIMIT": "2 per hour", "RESET_RATE_LIMIT_PER_ADDRESS": "4 per hour"}],
                         indirect=True)
def test_reset_requests_are_limited_per_account_and_per_address(app, client, make_user):
    a = make_user("mentee")
    assert [ask_reset(client, e).status_code for e in (a.email, a.email.upper(), a.email)] == [303, 303, 429]
    assert ask_reset(client, a.email, address="198.51.100.7").status_code == 429
    # Unknown emails count the same (no probing by limit), and the address has its own, higher limit.
    codes = [ask_reset(client, f"nobody{n}@example.org", address="198.51.100.8").status_code for n in range(5)]
    assert codes == [303, 303, 303, 303, 429]


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
