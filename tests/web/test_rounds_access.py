"""Every round route with a real round: its coordinator may use it, another program's
coordinator gets 404 (ids reveal nothing), mentors and mentees get 403."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import ImportJob
from mentormatch.models.rounds import RoundConstraint, RunPair
from mentormatch.services.rounds import runs
from tests.conftest import login
from tests.web.access.cases import request_case
from tests.web.access.rounds import CASES
from tests.web.test_rounds_support import latest_run_id, make_round, small_world

ROUND_CASES = sorted(CASES)


@pytest.fixture
def round_world(app, world):
    people = small_world(app, world.program.id)
    world.round_id = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        from mentormatch.models import Round
        from mentormatch.models.rounds import SolveRun

        run = SolveRun(round_id=world.round_id, status="queued")
        db.session.add(run)
        db.session.flush()
        round_ = db.session.get(Round, world.round_id)
        round_.state, round_.current_run_id = "solving", run.id  # as start_run leaves them
        db.session.commit()
        world.run_id = run.id
    runs.execute(world.run_id, app)
    with app.app_context():
        world.pair_id = db.session.scalar(db.select(RunPair.id).where(RunPair.run_id == world.run_id).limit(1))
        c = RoundConstraint(round_id=world.round_id, mentee_membership_id=people.ids["Di Mentee"],
                            mentor_membership_id=people.ids["Ada Mentor"], kind="forbid")
        db.session.add(c)
        job = ImportJob(program_id=world.program.id, status="done", result={"rows": 3, "updated": 0, "emailed": 3})
        db.session.add(job)
        db.session.commit()
        world.constraint_id, world.import_job_id = c.id, job.id
    assert latest_run_id(app, world.round_id) == world.run_id
    return world


@pytest.mark.parametrize("endpoint", ROUND_CASES)
def test_the_rounds_coordinator_may_use_it(endpoint, client, round_world):
    login(client, round_world.coordinator)
    assert request_case(client, CASES[endpoint], round_world).status_code in (200, 303)


@pytest.mark.parametrize("endpoint", ROUND_CASES)
def test_another_programs_coordinator_gets_404_for_a_real_round(endpoint, client, round_world):
    login(client, round_world.other_coordinator)
    assert request_case(client, CASES[endpoint], round_world).status_code == 404


@pytest.mark.parametrize("endpoint", ROUND_CASES)
def test_mentors_and_mentees_get_403_for_a_real_round(endpoint, app, round_world):
    for user in (round_world.mentor, round_world.mentee):
        client = app.test_client()
        login(client, user)
        assert request_case(client, CASES[endpoint], round_world).status_code == 403
