"""The ending access cases (tests/web/access/ending.py) against a real pairing and round: every
role that may use a route can, strangers of every role get 404 (another program's coordinator too)."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Round
from tests.conftest import login
from tests.web.access.cases import request_case
from tests.web.access.ending import CASES
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mid, pairing_state  # noqa: F401


@pytest.fixture
def built(app, world, frozen):
    with app.app_context():
        round_ = Round(program_id=world.program.id, name="Autumn", state="approved")
        db.session.add(round_)
        db.session.commit()
        world.round_id = round_.id
    add_profile(app, mid(world, world.mentor))
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", round_id=world.round_id)
    return world


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_every_stranger_gets_404_on_a_real_pairing_or_round(endpoint, app, built):
    case = CASES[endpoint]
    for user in (built.other_mentee, built.other_mentor, built.other_coordinator):
        if user.role in case.roles:
            assert request_case(_client(app, user), case, built).status_code == 404, user.role
    assert pairing_state(app, built.pairing_id) == "active"


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator"])
def test_each_side_and_the_coordinator_open_the_ending_page(role, app, built):
    response = request_case(_client(app, getattr(built, role)), CASES["pairings.ending"], built)
    assert response.status_code == 200 and "End this mentorship" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator"])
def test_each_side_and_the_coordinator_may_end_it(role, app, built):
    response = request_case(_client(app, getattr(built, role)), CASES["pairings.end"], built)
    assert response.status_code == 303 and pairing_state(app, built.pairing_id) == "completed"


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_each_side_may_answer_the_survey_once_it_ended(role, app, built):
    request_case(_client(app, built.coordinator), CASES["pairings.end"], built)
    assert request_case(_client(app, getattr(built, role)), CASES["pairings.survey"], built).status_code == 303


def test_the_coordinator_opens_complete_all(app, built):
    response = request_case(_client(app, built.coordinator), CASES["rounds.complete_all"], built)
    assert response.status_code == 200 and "Complete 1 pairing and close the round" in response.get_data(as_text=True)
