"""Owner and stranger checks for every lifecycle route that needs a real pairing or request:
the access cases in tests/web/access/lifecycle.py, run against objects built here."""
import pytest

from tests.conftest import login
from tests.web.access.cases import request_case
from tests.web.access.lifecycle import CASES, OBJECT_CASES, OBJECT_OWNERS
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mid, send_request  # noqa: F401


@pytest.fixture
def built(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    world.request_id = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    return world


@pytest.mark.parametrize("endpoint", sorted(OBJECT_CASES))
def test_owner_may_use_the_route_on_their_own_object(endpoint, client, built):
    case = OBJECT_CASES[endpoint]
    login(client, getattr(built, OBJECT_OWNERS[endpoint]))
    assert request_case(client, case, built).status_code in case.ok


@pytest.mark.parametrize("endpoint", sorted(OBJECT_CASES))
def test_stranger_of_the_right_role_gets_404_on_a_real_object(endpoint, client, built):
    case = OBJECT_CASES[endpoint]
    login(client, case.stranger(built))
    assert request_case(client, case, built).status_code == 404


def test_the_mentee_may_not_answer_their_own_request_nor_the_mentor_withdraw_it(app, built):
    mentee, mentor = app.test_client(), app.test_client()
    login(mentee, built.mentee)
    login(mentor, built.mentor)
    assert request_case(mentee, CASES["requests.accept"], built).status_code == 403
    assert request_case(mentor, CASES["requests.cancel"], built).status_code == 403


def test_coordinator_nudge_and_unavailable_work_on_their_own_mentor(client, built):
    login(client, built.coordinator)
    assert request_case(client, CASES["health.nudge"], built).status_code == 303
    assert request_case(client, CASES["health.mark_unavailable"], built).status_code == 303
