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


# One account, roles per program (issue 15): a side is checked in *that* program. The crossed
# person has the route's side in the other program (so the side check lets them in) and the
# other side in the world's program, whose items the case's URL names: they must find nothing.
ONE_SIDE = sorted(e for e, c in CASES.items() if c.stranger and len(c.roles) == 1 and c.roles[0] in ("mentee", "mentor"))


@pytest.mark.parametrize("endpoint", ONE_SIDE)
def test_the_other_side_in_the_program_gets_404(endpoint, app, client, world, make_user):
    from mentormatch.extensions import db
    from mentormatch.models import Membership

    case = CASES[endpoint]
    side = case.roles[0]
    other = "mentor" if side == "mentee" else "mentee"
    crossed = make_user(other, f"Crossed {endpoint}")
    with app.app_context():
        db.session.add_all([Membership(program_id=world.other_program.id, user_id=crossed.id, role=side),
                            Membership(program_id=world.program.id, user_id=crossed.id, role=other)])
        db.session.commit()
    login(client, crossed)
    assert request_case(client, case, world).status_code == 404
