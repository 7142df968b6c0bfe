"""Every route in the URL map has an access case, and every case holds for every role.

A new route without a case fails `test_every_route_has_an_access_case`: add it to the area's
module in tests/web/access/.
"""
import importlib
import pkgutil

import pytest

from mentormatch import create_app
from tests.conftest import app_config, login

from . import access
from .access.cases import request_case

ROLES = ("mentee", "mentor", "coordinator")


def all_cases() -> dict:
    cases = {}
    for module in pkgutil.iter_modules(access.__path__):
        if module.name != "cases":
            cases.update(importlib.import_module(f"{access.__name__}.{module.name}").CASES)
    return cases


CASES = all_cases()


def routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def test_every_route_has_an_access_case():
    app = create_app(app_config("sqlite://"))
    missing = sorted(routes(app) - set(CASES))
    assert not missing, f"routes without an access case: {missing}"
    stale = sorted(set(CASES) - routes(app))
    assert not stale, f"access cases for routes that no longer exist: {stale}"


def test_every_view_declares_its_access_rule():
    app = create_app(app_config("sqlite://"))
    undeclared = [e for e in routes(app) if not hasattr(app.view_functions[e], "access")]
    assert not undeclared


def _user_of_role(world, role):
    return {"mentee": world.mentee, "mentor": world.mentor, "coordinator": world.coordinator}[role]


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_anonymous_is_sent_to_login(endpoint, client, world):
    case = CASES[endpoint]
    response = request_case(client, case, world)
    if case.roles:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code in case.ok


@pytest.mark.parametrize("endpoint", sorted(e for e, c in CASES.items() if c.roles))
def test_wrong_roles_get_403(endpoint, app, world):
    case = CASES[endpoint]
    for role in set(ROLES) - set(case.roles):
        client = app.test_client()
        login(client, _user_of_role(world, role))
        assert request_case(client, case, world).status_code == 403, role


@pytest.mark.parametrize("endpoint", sorted(e for e, c in CASES.items() if c.stranger))
def test_stranger_of_the_right_role_gets_404(endpoint, client, world):
    case = CASES[endpoint]
    login(client, case.stranger(world))
    assert request_case(client, case, world).status_code == 404


@pytest.mark.parametrize("endpoint", sorted(e for e, c in CASES.items() if c.owner))
def test_owner_may_use_it(endpoint, client, world):
    case = CASES[endpoint]
    login(client, case.owner(world))
    assert request_case(client, case, world).status_code in case.ok
