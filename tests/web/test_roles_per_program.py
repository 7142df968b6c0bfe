"""One account, roles per program (issue 15, item 1): the side lives on the membership.

A person joins another program on the other side with the same account; the other side of a
program they are in only where the coordinator allows it; every scoped getter checks the side in
*that* program; the navigation and the home pages follow the sides the person has.
"""
import threading

import pytest

from mentormatch.extensions import db
from mentormatch.models import Membership, Pairing, Program, User
from mentormatch.services import ServiceError, programs
from mentormatch.services.rounds.instance import build_round_data, mentee_key, mentor_key
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile
from tests.web.test_rounds_support import make_round


def sides(app, user_id: int) -> dict:
    with app.app_context():
        return {(p, r) for p, r in db.session.execute(db.select(Membership.program_id, Membership.role)
                                                      .where(Membership.user_id == user_id)).all()}


def allow_both(app, program_id: int, on: bool = True) -> None:
    with app.app_context():
        db.session.get(Program, program_id).allows_both_sides = on
        db.session.commit()


# -- joining ---------------------------------------------------------------------------------------

def test_a_mentor_joins_another_program_as_a_mentee_and_sees_both_sides(app, client, world):
    login(client, world.mentor)
    page = client.get(f"/join/{world.other_program.mentee_invite}").get_data(as_text=True)
    assert world.mentor.email in page  # the confirm step names the account that joins
    response = post_form(client, f"/join/{world.other_program.mentee_invite}", {})
    assert response.status_code == 303 and response.headers["Location"] == "/mentee/"
    assert sides(app, world.mentor.id) == {(world.program.id, "mentor"), (world.other_program.id, "mentee")}
    with app.app_context():
        assert db.session.get(User, world.mentor.id).role == "mentor"  # the account is unchanged

    mentee_home = client.get("/mentee/").get_data(as_text=True)
    assert "Other program" in mentee_home and "Main program" not in mentee_home
    mentor_home = client.get("/mentor/").get_data(as_text=True)
    assert "Main program" in mentor_home and "Other program" not in mentor_home
    for text in ("Mentee home", "Mentor home", "My requests", "Requests to me"):
        assert text in mentor_home
    assert 'role-badge role-mentee' in mentor_home and 'role-badge role-mentor' in mentor_home


def test_a_single_side_account_keeps_its_navigation(client, world):
    login(client, world.mentee)
    page = client.get("/mentee/").get_data(as_text=True)
    assert "Mentor home" not in page and "Mentee home" not in page and 'role-badge role-mentor' not in page
    assert client.get("/mentor/").status_code == 403


def test_signed_in_the_sign_up_page_of_an_invite_leads_to_the_join_step(client, world):
    login(client, world.mentee)
    response = client.get(f"/auth/signup?invite={world.other_program.mentor_invite}")
    assert response.status_code == 303 and response.headers["Location"] == f"/join/{world.other_program.mentor_invite}"


def test_the_other_side_of_the_same_program_is_refused_unless_allowed(app, client, world):
    login(client, world.mentee)
    response = post_form(client, f"/join/{world.program.mentor_invite}", {}, follow_redirects=True)
    assert "You are a mentee in this program already" in response.get_data(as_text=True)
    assert sides(app, world.mentee.id) == {(world.program.id, "mentee")}

    allow_both(app, world.program.id)
    response = post_form(client, f"/join/{world.program.mentor_invite}", {})
    assert response.status_code == 303 and response.headers["Location"] == "/mentor/"
    assert sides(app, world.mentee.id) == {(world.program.id, "mentee"), (world.program.id, "mentor")}
    # Joining the same side again is a no-op, not a second row.
    post_form(client, f"/join/{world.program.mentor_invite}", {})
    assert len(sides(app, world.mentee.id)) == 2


def test_a_coordinator_turns_both_sides_on_in_the_program_settings(app, client, world):
    login(client, world.coordinator)
    page = client.get(f"/coordinator/programs/{world.program.id}/edit").get_data(as_text=True)
    assert "One person may be both a mentee and a mentor here" in page and 'name="allows_both_sides"' in page
    response = post_form(client, f"/coordinator/programs/{world.program.id}/edit",
                         {"name": "Main program", "description": "", "offers_rounds": "y", "offers_micro": "y",
                          "allows_both_sides": "y", "inactive_weeks": "6"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Program, world.program.id).allows_both_sides is True


def test_the_database_keeps_one_membership_per_side(app, world):
    with app.app_context():
        db.session.add(Membership(program_id=world.program.id, user_id=world.mentee.id, role="mentee"))
        with pytest.raises(Exception, match="(?i)unique"):
            db.session.commit()
        db.session.rollback()
        db.session.add(Membership(program_id=world.program.id, user_id=world.mentee.id, role="coach"))
        with pytest.raises(Exception, match="(?i)check|ck_memberships_role"):
            db.session.commit()


def test_the_service_refuses_the_other_side_and_a_coordinator(app, world):
    with app.app_context():
        mentee, program = db.session.get(User, world.mentee.id), db.session.get(Program, world.program.id)
        with pytest.raises(ServiceError, match="does not let one person be both"):
            programs.join(mentee, program, "mentor")
        with pytest.raises(ServiceError, match="coordinator account"):
            programs.join(db.session.get(User, world.coordinator.id), program, "mentee")
        assert programs.sides_of(mentee) == ("mentee",)
        assert programs.sides_of(db.session.get(User, world.coordinator.id)) == ("coordinator",)


def test_two_parallel_joins_on_the_same_side_make_one_membership(app, world):
    barrier, outcomes = threading.Barrier(2), []

    def one():
        with app.app_context():
            try:
                user, program = db.session.get(User, world.mentee.id), db.session.get(Program, world.other_program.id)
                barrier.wait()
                outcomes.append(programs.join(user, program, "mentor").role)
            except ServiceError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    racers = [threading.Thread(target=one) for _ in range(2)]
    for t in racers:
        t.start()
    for t in racers:
        t.join(60)
    assert outcomes == ["mentor", "mentor"]
    assert sides(app, world.mentee.id) == {(world.program.id, "mentee"), (world.other_program.id, "mentor")}


def test_two_parallel_joins_on_both_sides_of_a_program_that_forbids_it_make_one(app, world):
    barrier, outcomes = threading.Barrier(2), []

    def one(side):
        with app.app_context():
            try:
                user, program = db.session.get(User, world.mentee.id), db.session.get(Program, world.other_program.id)
                barrier.wait()
                outcomes.append(programs.join(user, program, side).role)
            except ServiceError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    racers = [threading.Thread(target=one, args=(side,)) for side in ("mentee", "mentor")]
    for t in racers:
        t.start()
    for t in racers:
        t.join(60)
    assert sum(1 for o in outcomes if o in ("mentee", "mentor")) == 1
    assert sum(1 for o in outcomes if "does not let one person be both" in o) == 1
    assert len([s for s in sides(app, world.mentee.id) if s[0] == world.other_program.id]) == 1


# -- access: the side in *that* program ------------------------------------------------------------

@pytest.fixture
def two_sided(app, client, world, make_user):
    """The world's mentor (mentor in Main) joins Other as a mentee; Other has a mentor with a
    pairing to them, and Main has a mentee paired with them."""
    with app.app_context():
        programs.join(db.session.get(User, world.mentor.id), db.session.get(Program, world.other_program.id), "mentee")
        as_mentee = db.session.scalar(db.select(Membership.id).where(
            Membership.user_id == world.mentor.id, Membership.program_id == world.other_program.id))
    other_mentor_mid = world.other_program.memberships[world.other_mentor.id]
    other_mentee_mid = world.other_program.memberships[world.other_mentee.id]
    add_profile(app, other_mentor_mid)
    mentee_pairing = add_pairing(app, world.other_program.id, as_mentee, other_mentor_mid, state="accepted")
    other_pairing = add_pairing(app, world.other_program.id, other_mentee_mid, other_mentor_mid, state="accepted")
    login(client, world.mentor)
    return {"as_mentee": as_mentee, "mentee_pairing": mentee_pairing, "other_pairing": other_pairing,
            "other_mentor_mid": other_mentor_mid, "other_mentee_mid": other_mentee_mid}


def test_a_mentor_in_one_program_cannot_act_as_a_mentor_where_they_are_a_mentee(client, world, two_sided):
    other = world.other_program.id
    for url in (f"/mentor/programs/{other}/profile", f"/mentor/programs/{other}/mentees/{two_sided['other_mentee_mid']}",
                f"/mentor/programs/{other}/mentees/{two_sided['as_mentee']}",
                f"/programs/{other}/my-answers?side=mentor"):
        assert client.get(url).status_code == 404, url
    # The pairing where they are the mentee does not answer to them as its mentor.
    assert client.get(f"/pairings/{two_sided['mentee_pairing']}/decline").status_code == 404
    assert client.get(f"/pairings/{two_sided['other_pairing']}/decline").status_code == 404
    # Their own side there works.
    assert client.get(f"/mentee/programs/{other}/goals").status_code == 200
    assert client.get(f"/steps/programs/{other}").status_code == 200


def test_a_mentee_in_one_program_cannot_act_as_a_mentee_where_they_are_a_mentor(client, world, two_sided):
    main = world.program.id
    for url in (f"/mentee/programs/{main}/goals", f"/steps/programs/{main}", f"/requests/programs/{main}/mentors",
                f"/requests/programs/{main}/mentors/{world.program.memberships[world.mentor.id]}/ask",
                f"/programs/{main}/my-answers?side=mentee"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/mentor/programs/{main}/profile").status_code == 200


def test_a_person_on_both_sides_never_asks_themselves(app, client, world):
    allow_both(app, world.program.id)
    login(client, world.mentor)
    post_form(client, f"/join/{world.program.mentee_invite}", {})
    own_mentor_side = world.program.memberships[world.mentor.id]
    add_profile(app, own_mentor_side)
    assert client.get(f"/requests/programs/{world.program.id}/mentors/{own_mentor_side}/ask").status_code == 404
    assert "Ask Milo" not in client.get(f"/requests/programs/{world.program.id}/mentors").get_data(as_text=True)


def test_a_person_on_both_sides_of_a_round_is_never_their_own_mentor(app, world):
    allow_both(app, world.program.id)
    with app.app_context():
        programs.join(db.session.get(User, world.mentor.id), db.session.get(Program, world.program.id), "mentee")
        as_mentee = db.session.scalar(db.select(Membership.id).where(
            Membership.user_id == world.mentor.id, Membership.role == "mentee"))
    as_mentor = world.program.memberships[world.mentor.id]
    add_goal(app, as_mentee)
    add_profile(app, as_mentor)
    round_id = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        from mentormatch.models.rounds import Round
        data = build_round_data(db.session.get(Round, round_id))
        assert mentee_key(as_mentee) in {m.id for m in data.instance.mentees}
        assert (mentee_key(as_mentee), mentor_key(as_mentor)) in data.instance.forbidden
        assert db.session.scalar(db.select(db.func.count()).select_from(Pairing)) == 0


def test_an_account_that_only_takes_part_on_the_other_side_lands_on_that_home(app, client, world, make_user):
    sam = make_user("mentor", "Sam Switch")  # signed up as a mentor, never joined as one
    login(client, sam)
    post_form(client, f"/join/{world.program.mentee_invite}", {})
    fresh = app.test_client()
    response = login(fresh, sam)
    assert response.headers["Location"] == "/mentee/"
    assert fresh.get("/").headers["Location"].endswith("/mentee/")
