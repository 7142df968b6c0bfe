"""Every field the people fill in counts, or says it does not: mentors' preferences and the
minimum overlap are round settings, the pool holds only mentees who asked for a round mentor,
and the goal form says background and location are shown, not matched on."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import GoalForm
from mentormatch.models.rounds import Round, RunPair, RunUnmatched
from mentormatch.services.rounds.instance import build_round_data, pool_mentee_ids
from tests.conftest import login, post_form
from tests.web.test_rounds_support import add_people, latest_run_id, make_round, small_world

INLINE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)
ROUND_FORM = {"name": "Spring round", "topics": "40", "context": "20", "stage": "25", "tz": "15",
              "mentors_per_mentee": "1", "team_by": "industry", "balance_slack": "5"}


def new_round(client, world, **fields):
    return post_form(client, f"/coordinator/programs/{world.program.id}/rounds/new", {**ROUND_FORM, **fields})


def test_mentor_preferences_and_minimum_overlap_are_round_settings_with_help(app, client, world):
    login(client, world.coordinator)
    page = client.get(f"/coordinator/programs/{world.program.id}/rounds/new").get_data(as_text=True)
    assert "Mentor&#39;s preferences" in page or "Mentor's preferences" in page
    assert "a mentor who stated no preference is content with anyone" in page
    assert "Minimum overlap of working hours" in page and "9:00–17:00" in page
    assert new_round(client, world, mentor_pref="30", min_overlap="4").status_code == 303
    with app.app_context():
        round_ = db.session.scalars(db.select(Round)).one()
        assert round_.weights["mentor_pref"] == 30 and round_.rules["min_overlap"] == 4
        inst = build_round_data(round_).instance
        assert inst.weights.mentor_pref == 30 and inst.rules.min_tz_overlap == 4.0
    # An older form without the new fields keeps the defaults (off).
    assert new_round(client, world, name="Old form").status_code == 303
    with app.app_context():
        old = db.session.scalar(db.select(Round).where(Round.name == "Old form"))
        inst = build_round_data(old).instance
        assert inst.weights.mentor_pref == 0 and inst.rules.min_tz_overlap is None


def test_a_bad_minimum_overlap_is_a_field_error_and_saves_nothing(app, client, world):
    login(client, world.coordinator)
    r = new_round(client, world, min_overlap="12")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="min_overlap-error"' in html and "Between 0 and 8." in html
    r = new_round(client, world, mentor_pref="101")
    assert r.status_code == 200 and 'id="mentor_pref-error"' in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Round)) == 0


@INLINE
def test_the_mentor_preference_weight_changes_who_gets_the_seat(app, client, world):
    # One seat; two mentees alike except their career stage.  The mentor prefers peers.
    people = add_people(app, world.program.id,
                        mentors=[{"name": "Pia Mentor", "years": 4, "topics": ["python"], "capacity_round": 1,
                                  "prefers_stages": ["peer"]}],
                        mentees=[{"name": "Junior Mentee", "years": 0, "topics": ["python"]},
                                 {"name": "Peer Mentee", "years": 4, "topics": ["python"], "preference": "peer"}])
    login(client, world.coordinator)

    def winner(mentor_pref: int) -> str:
        rid = make_round(app, world.program.id, world.coordinator.id, name=f"w{mentor_pref}",
                         weights={"topics": 40, "context": 0, "stage": 0, "tz": 0, "mentor_pref": mentor_pref})
        url = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
        assert post_form(client, url + "/run", {}, page=url).status_code == 303
        with app.app_context():
            return db.session.scalar(db.select(RunPair.mentee_name).where(RunPair.run_id == latest_run_id(app, rid)))

    assert people.ids
    assert winner(0) == "Junior Mentee"  # a tie on topics: broken by id, the mentor's wish does not count
    assert winner(50) == "Peer Mentee"


@INLINE
def test_a_minimum_overlap_keeps_far_apart_pairs_out_and_says_why(app, client, world):
    add_people(app, world.program.id,
               mentors=[{"name": "Tokyo Mentor", "years": 8, "topics": ["python"], "capacity_round": 1,
                         "timezone": "Asia/Tokyo"}],
               mentees=[{"name": "Lima Mentee", "years": 2, "topics": ["python"], "timezone": "America/Lima"}])
    login(client, world.coordinator)
    rid = make_round(app, world.program.id, world.coordinator.id, rules={"min_overlap": 2})
    url = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    assert post_form(client, url + "/run", {}, page=url).status_code == 303
    with app.app_context():
        run_id = latest_run_id(app, rid)
        assert db.session.scalar(db.select(db.func.count()).select_from(RunPair).where(RunPair.run_id == run_id)) == 0
        reasons = db.session.scalar(db.select(RunUnmatched.reasons).where(RunUnmatched.run_id == run_id))
        assert ["below_min_overlap", 1] in reasons


def test_the_pool_holds_only_mentees_who_asked_for_a_round_mentor(app, world):
    people = small_world(app, world.program.id)
    cy, di, ed = (people.ids[n] for n in ("Cy Mentee", "Di Mentee", "Ed Mentee"))
    with app.app_context():
        def goal(mid):
            return db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == mid))

        goal(di).wants = "micro"
        goal(ed).wants = "cohort"
        db.session.commit()
        assert pool_mentee_ids(Round(program_id=world.program.id, pool={})) == sorted([cy, ed])


def test_the_goal_form_says_background_and_location_are_shown_not_matched(client, world):
    login(client, world.mentee)
    html = client.get(f"/mentee/programs/{world.program.id}/goals").get_data(as_text=True)
    assert "background and location are shown to your mentor, not matched on" in html
    assert "We match on the ticked ones" not in html
