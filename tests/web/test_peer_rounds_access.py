"""Every route a peer round's review uses, with a real peer round: its coordinator may use it,
another program's coordinator gets 404 (ids reveal nothing), mentors and mentees get 403; and a
group id of another round (of another program) is 404 even to a coordinator who owns the URL's round."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Round
from mentormatch.models.rounds import RoundConstraint, RunGroup, SolveRun
from mentormatch.services.rounds import runs
from tests.conftest import login, post_form
from tests.web.access.cases import request_case
from tests.web.access.peer_rounds import CASES
from tests.web.access.rounds import CASES as ROUND_CASES
from tests.web.test_peer_rounds import peer_round, peers

SHARED = ("rounds.show", "rounds.settings", "rounds.run", "rounds.progress", "rounds.cancel", "rounds.approve",
          "rounds.close", "rounds.remove_constraint")
ALL = {**CASES, **{k: ROUND_CASES[k] for k in SHARED}}


def solved_peer_round(app, world, program_id, coordinator_id):
    rid = peer_round(app, program_id, coordinator_id)
    with app.app_context():
        run = SolveRun(round_id=rid, status="queued")
        db.session.add(run)
        db.session.flush()
        r = db.session.get(Round, rid)
        r.state, r.current_run_id = "solving", run.id
        db.session.commit()
        run_id = run.id
    runs.execute(run_id, app)
    with app.app_context():
        group = db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == run_id).order_by(RunGroup.id)).first()
        return rid, run_id, group.id, [m.membership_id for m in group.members]


@pytest.fixture
def peer_world(app, world):
    peers(app, world.program.id, n=4)
    rid, run_id, gid, members = solved_peer_round(app, world, world.program.id, world.coordinator.id)
    world.round_id = world.peer_round_id = rid
    world.run_id, world.group_id = run_id, gid
    world.forbid_a, world.forbid_b = members
    with app.app_context():
        c = RoundConstraint(round_id=rid, mentee_membership_id=members[0], mentor_membership_id=members[1],
                            kind="forbid")
        db.session.add(c)
        db.session.commit()
        world.constraint_id = c.id
    return world


@pytest.mark.parametrize("endpoint", sorted(ALL))
def test_the_peer_rounds_coordinator_may_use_it(endpoint, client, peer_world):
    login(client, peer_world.coordinator)
    assert request_case(client, ALL[endpoint], peer_world).status_code in (200, 303)


@pytest.mark.parametrize("endpoint", sorted(ALL))
def test_another_programs_coordinator_gets_404_for_a_real_peer_round(endpoint, client, peer_world):
    login(client, peer_world.other_coordinator)
    assert request_case(client, ALL[endpoint], peer_world).status_code == 404


@pytest.mark.parametrize("endpoint", sorted(ALL))
def test_mentors_and_mentees_get_403_for_a_real_peer_round(endpoint, app, peer_world):
    for user in (peer_world.mentor, peer_world.mentee):
        client = app.test_client()
        login(client, user)
        assert request_case(client, ALL[endpoint], peer_world).status_code == 403


@pytest.mark.parametrize("action", ["lock", "forbid"])
def test_a_group_of_another_programs_round_is_404_and_unchanged(action, app, client, peer_world):
    """The other program's coordinator edits the ids in a URL of their own round: 404, nothing changes."""
    w = peer_world
    peers(app, w.other_program.id, n=4, prefix="other")
    own_rid, _, own_gid, _ = solved_peer_round(app, w, w.other_program.id, w.other_coordinator.id)
    login(client, w.other_coordinator)
    target = f"/coordinator/programs/{w.other_program.id}/rounds/{own_rid}/groups/{w.group_id}/{action}"
    response = post_form(client, target, {"first": str(w.forbid_a), "second": str(w.forbid_b)},
                         page=f"/coordinator/programs/{w.other_program.id}/rounds/{own_rid}")
    assert response.status_code == 404
    with app.app_context():
        group = db.session.get(RunGroup, w.group_id)
        assert group is not None and group.locked is False
        assert db.session.scalar(db.select(db.func.count()).select_from(RoundConstraint)
                                 .where(RoundConstraint.round_id == own_rid)) == 0
    assert own_gid != w.group_id
