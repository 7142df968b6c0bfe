"""Continuity: when both sides of last round's pair say “continue”, the next round prefers keeping
them, with a cap on continued pairs per mentor."""
from mentormatch.extensions import db
from mentormatch.matching import solve
from mentormatch.models import ContinueWish, Pairing
from mentormatch.models.rounds import Round
from mentormatch.services.rounds.instance import build_round_data
from tests.conftest import login, post_form
from tests.web.test_rounds_support import add_people, make_round


def _setup(app, w):
    """Last round paired Cy and Di with Bob (now completed); on topics Ada fits Cy better."""
    people = add_people(app, w.program.id,
                        mentors=[{"name": "Ada Mentor", "years": 8, "topics": ["python"], "capacity_round": 2,
                                  "groups": ["first-gen"]},
                                 {"name": "Bob Mentor", "years": 8, "topics": ["sql"], "capacity_round": 2}],
                        mentees=[{"name": "Cy Mentee", "years": 3, "topics": ["python"]},
                                 {"name": "Di Mentee", "years": 3, "topics": ["sql"]}])
    last = make_round(app, w.program.id, w.coordinator.id, name="Autumn")
    with app.app_context():
        db.session.get(Round, last).state = "closed"
        pairs = {}
        for mentee, mentor in (("Cy Mentee", "Bob Mentor"), ("Di Mentee", "Bob Mentor")):
            p = Pairing(program_id=w.program.id, round_id=last, mentee_membership_id=people.ids[mentee],
                        mentor_membership_id=people.ids[mentor], state="completed")
            db.session.add(p)
            db.session.flush()
            pairs[mentee] = p.id
        db.session.commit()
    people.pairings = pairs
    return people


def _say(app, user, pairing_id, wants="yes"):
    client = app.test_client()
    login(client, user)
    home = "/mentor/" if user.role == "mentor" else "/mentee/"
    return post_form(client, f"/pairings/{pairing_id}/continue", {"wants": wants}, page=home)


def _pairs(app, rid):
    with app.app_context():
        data = build_round_data(db.session.get(Round, rid))
        return data, {(p.mentee, p.mentor) for p in solve(data.instance).assignment}


def test_both_saying_continue_keeps_the_pair_next_round(app, world):
    people = _setup(app, world)
    cy, bob = people.ids["Cy Mentee"], people.ids["Bob Mentor"]
    rid = make_round(app, world.program.id, world.coordinator.id, rules={"continuity_bonus": 0})
    _, before = _pairs(app, rid)
    assert (f"e{cy}", f"m{people.ids['Ada Mentor']}") in before  # on paper Ada fits Cy better
    assert _say(app, people.users["Cy Mentee"], people.pairings["Cy Mentee"]).status_code == 303
    assert _say(app, people.users["Bob Mentor"], people.pairings["Cy Mentee"]).status_code == 303
    rid2 = make_round(app, world.program.id, world.coordinator.id, name="Winter", rules={"continuity_bonus": 50})
    data, after = _pairs(app, rid2)
    assert data.instance.continuing == [(f"e{cy}", f"m{bob}")]
    assert (f"e{cy}", f"m{bob}") in after


def test_one_side_alone_is_not_enough(app, world):
    people = _setup(app, world)
    _say(app, people.users["Cy Mentee"], people.pairings["Cy Mentee"])
    _say(app, people.users["Bob Mentor"], people.pairings["Cy Mentee"], "no")
    rid = make_round(app, world.program.id, world.coordinator.id, rules={"continuity_bonus": 50})
    data, _ = _pairs(app, rid)
    assert data.instance.continuing == []


def test_the_cap_on_continued_pairs_per_mentor_keeps_a_popular_mentor_from_filling_up(app, world):
    people = _setup(app, world)
    for name in ("Cy Mentee", "Di Mentee"):
        _say(app, people.users[name], people.pairings[name])
        _say(app, people.users["Bob Mentor"], people.pairings[name])
    cy, di = f"e{people.ids['Cy Mentee']}", f"e{people.ids['Di Mentee']}"
    ada, bob = f"m{people.ids['Ada Mentor']}", f"m{people.ids['Bob Mentor']}"
    uncapped = make_round(app, world.program.id, world.coordinator.id,
                          rules={"continuity_bonus": 50, "max_continued_per_mentor": None})
    assert _pairs(app, uncapped)[1] == {(cy, bob), (di, bob)}  # Bob keeps both
    capped = make_round(app, world.program.id, world.coordinator.id, name="Capped",
                        rules={"continuity_bonus": 50, "max_continued_per_mentor": 1})
    data, pairs = _pairs(app, capped)
    assert len(data.instance.continuing) == 2 and data.instance.rules.max_continued_per_mentor == 1
    assert pairs == {(cy, ada), (di, bob)}


def test_the_round_page_lists_pairs_both_want_to_continue(app, client, world):
    people = _setup(app, world)
    _say(app, people.users["Cy Mentee"], people.pairings["Cy Mentee"])
    _say(app, people.users["Bob Mentor"], people.pairings["Cy Mentee"])
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/rounds/{rid}").get_data(as_text=True)
    assert "Cy Mentee with Bob Mentor" in html and "continue (1)" in html


def test_saying_again_changes_the_answer_and_keeps_one_row(app, world):
    people = _setup(app, world)
    pid = people.pairings["Cy Mentee"]
    _say(app, people.users["Cy Mentee"], pid)
    _say(app, people.users["Cy Mentee"], pid, "no")
    with app.app_context():
        assert [w.wants for w in db.session.scalars(db.select(ContinueWish))] == [False]


def test_a_pairing_outside_a_round_cannot_be_continued(app, world):
    people = _setup(app, world)
    with app.app_context():
        p = Pairing(program_id=world.program.id, round_id=None, mentee_membership_id=people.ids["Di Mentee"],
                    mentor_membership_id=people.ids["Ada Mentor"], state="active")
        db.session.add(p)
        db.session.commit()
        pid = p.id
    _say(app, people.users["Di Mentee"], pid)
    with app.app_context():
        assert db.session.scalar(db.select(ContinueWish)) is None


def test_someone_else_cannot_say_continue_for_the_pair(app, world):
    people = _setup(app, world)
    response = _say(app, people.users["Di Mentee"], people.pairings["Cy Mentee"])
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(ContinueWish)) is None


def test_posted_membership_is_ignored(app, world):
    people = _setup(app, world)
    client = app.test_client()
    login(client, people.users["Cy Mentee"])
    post_form(client, f"/pairings/{people.pairings['Cy Mentee']}/continue",
              {"wants": "yes", "membership_id": str(people.ids["Bob Mentor"])}, page="/mentee/")
    with app.app_context():
        wishes = [(w.membership_id, w.wants) for w in db.session.scalars(db.select(ContinueWish))]
    assert wishes == [(people.ids["Cy Mentee"], True)]
