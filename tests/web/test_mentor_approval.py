"""Mentor approval: a program can require a coordinator to approve each mentor before they
appear in the directory or in round pools."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Membership, Program
from mentormatch.models.rounds import Round
from mentormatch.services import ServiceError
from mentormatch.services.rounds.instance import build_round_data
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import add_profile, frozen, mailbox, mid, outbox, send_request  # noqa: F401
from tests.web.test_rounds_support import make_round


def _require(app, w, on=True):
    with app.app_context():
        db.session.get(Program, w.program.id).requires_mentor_approval = on
        db.session.commit()


def _directory(app, w):
    client = app.test_client()
    login(client, w.mentee)
    return client.get(f"/requests/programs/{w.program.id}/mentors").get_data(as_text=True)


def _pool_mentors(app, w):
    rid = make_round(app, w.program.id, w.coordinator.id)
    with app.app_context():
        return [m.id for m in build_round_data(db.session.get(Round, rid)).instance.mentors]


def test_coordinator_switches_approval_on_in_the_program_form(app, client, world):
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/edit"
    response = post_form(client, url, {"name": "Main program", "offers_rounds": "y", "offers_micro": "y",
                                       "requires_mentor_approval": "y"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Program, world.program.id).requires_mentor_approval is True


def test_without_approval_required_mentors_appear_as_before(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    assert world.mentor.name in _directory(app, world)
    assert _pool_mentors(app, world) == [f"m{mid(world, world.mentor)}"]


def test_an_unapproved_mentor_is_in_neither_directory_nor_round_pool(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    _require(app, world)
    assert world.mentor.name not in _directory(app, world)
    assert _pool_mentors(app, world) == []
    with pytest.raises(ServiceError):
        send_request(app, world.mentee, world.program.id, mid(world, world.mentor))


def test_coordinator_approves_from_the_health_page_and_the_mentor_appears(app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    _require(app, world)
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/health"
    assert "Mentors waiting for approval (1)" in client.get(page).get_data(as_text=True)
    url = f"/coordinator/programs/{world.program.id}/mentors/{mid(world, world.mentor)}/approve"
    assert post_form(client, url, {}, page=page).status_code == 303
    with app.app_context():
        assert db.session.get(Membership, mid(world, world.mentor)).approved_at is not None
    assert world.mentor.name in _directory(app, world)
    assert _pool_mentors(app, world) == [f"m{mid(world, world.mentor)}"]
    assert any(world.mentor.email in m.to and "approved" in m.subject for m in outbox(app))
    assert "Mentors waiting for approval" not in client.get(page).get_data(as_text=True)


def test_approving_twice_or_a_mentee_is_refused(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    _require(app, world)
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/health"
    url = f"/coordinator/programs/{world.program.id}/mentors/{mid(world, world.mentor)}/approve"
    post_form(client, url, {}, page=page)
    html = client.get(post_form(client, url, {}, page=page).headers["Location"]).get_data(as_text=True)
    assert "already approved" in html
    mentee_url = f"/coordinator/programs/{world.program.id}/mentors/{mid(world, world.mentee)}/approve"
    post_form(client, mentee_url, {}, page=page)
    with app.app_context():
        assert db.session.get(Membership, mid(world, world.mentee)).approved_at is None


def test_a_coordinator_of_another_program_cannot_approve(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    _require(app, world)
    login(client, world.other_coordinator)
    url = f"/coordinator/programs/{world.program.id}/mentors/{mid(world, world.mentor)}/approve"
    assert post_form(client, url, {}, page="/coordinator/").status_code == 404
    with app.app_context():
        assert db.session.get(Membership, mid(world, world.mentor)).approved_at is None
