"""Micro -> macro (issue 14, item 3): after a micro-request is done and followed up, the mentee asks
that mentor for ongoing mentorship in one step; the mentor answers it like a round proposal, and a
seat is held race-safe (the race runs on PostgreSQL when TEST_DATABASE_URL is set, and on SQLite)."""
import pytest

from mentormatch import matching
from mentormatch.extensions import db
from mentormatch.models import MentorProfile, MicroRequest, Pairing, Round, User
from mentormatch.services import answers, micro_requests, ongoing
from mentormatch.services.people.profiles import seats_taken
from mentormatch.services.rounds.instance import build_round_data
from tests.conftest import login, post_form
from tests.security.test_races import race
from tests.web.access.cases import request_case
from tests.web.access.release import CASES
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_mentee,
    add_profile,
    frozen,
    mailbox,
    mid,
    outbox,
    pairing_state,
    send_request,
)
from tests.web.test_rounds_support import add_people, make_round

HOPE = "Growing into a tech lead over the next six months."


def _done(app, world, mentee=None, followup=True) -> int:
    """A micro-request of `mentee` to the world's mentor, accepted, and (by default) followed up: done."""
    mentee = mentee or world.mentee
    rid = send_request(app, mentee, world.program.id, mid(world, world.mentor))
    with app.app_context():
        req = db.session.get(MicroRequest, rid)
        answers.accept(req, db.session.get(User, world.mentor.id))
        if followup:
            micro_requests.add_followup(db.session.get(User, mentee.id), request=req, kind="followup",
                                        body="I cut slide 3 and the pitch landed.")
        else:
            micro_requests.mark_done(req, db.session.get(User, world.mentor.id))
    return rid


def _asked(app, rid) -> Pairing | None:
    with app.app_context():
        pairing = db.session.scalar(db.select(Pairing).where(Pairing.from_request_id == rid))
        if pairing is not None:
            db.session.expunge(pairing)
        return pairing


def test_after_a_good_micro_request_the_mentee_asks_and_the_mentor_accepts_into_a_seat(
        app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    rid = _done(app, world)
    login(client, world.mentee)
    html = client.get(f"/requests/{rid}").get_data(as_text=True)
    assert "Ask for ongoing mentorship" in html and 'for="hope"' in html
    mailbox.clear()
    response = post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}")
    assert response.status_code == 303
    pairing = _asked(app, rid)
    assert (pairing.state, pairing.round_id, pairing.mentee_membership_id) == ("proposed", None, mid(world, world.mentee))
    assert pairing.why["micro"] == "worked together on a micro-request" and pairing.why["hope"] == HOPE
    with app.app_context():
        assert seats_taken(mid(world, world.mentor)) == 1               # held while the mentor decides
    [mail] = outbox(app)
    assert mail.to == [world.mentor.email] and mail.subject == "Mira Mentee asks you for ongoing mentorship"
    assert HOPE in mail.body and "http://localhost/pairings/" in mail.body and "no login needed" in mail.body
    assert "a seat is held for you" in client.get(f"/requests/{rid}").get_data(as_text=True)
    assert client.get("/mentee/").status_code == 200   # the mentee's home lists a proposal outside rounds

    mentor = app.test_client()
    login(mentor, world.mentor)
    proposals = mentor.get("/pairings/").get_data(as_text=True)
    assert "Mira Mentee" in proposals and "worked together on a micro-request" in proposals
    assert post_form(mentor, f"/pairings/{pairing.id}/accept", {}, page="/pairings/").status_code == 303
    assert pairing_state(app, pairing.id) == "active"
    assert "is your mentor" in client.get(f"/requests/{rid}").get_data(as_text=True)
    # From here it is a pairing like a round's: its page works without a round.
    page = client.get(f"/mentee/pairings/{pairing.id}")
    assert page.status_code == 200 and "Milo Mentor" in page.get_data(as_text=True)
    mentee_page = mentor.get(f"/mentor/programs/{world.program.id}/mentees/{mid(world, world.mentee)}")
    assert mentee_page.status_code == 200 and "Mira Mentee" in mentee_page.get_data(as_text=True)


def test_a_mentor_who_declines_gives_the_seat_back(app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    rid = _done(app, world)
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}")
    mentor = app.test_client()
    login(mentor, world.mentor)
    pid = _asked(app, rid).id
    post_form(mentor, f"/pairings/{pid}/decline", {"reason": "no_capacity"})
    assert pairing_state(app, pid) == "declined"
    with app.app_context():
        assert seats_taken(mid(world, world.mentor)) == 0
    assert "could not take you on" in client.get(f"/requests/{rid}").get_data(as_text=True)


def test_only_after_the_follow_up(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = _done(app, world, followup=False)
    login(client, world.mentee)
    html = client.get(f"/requests/{rid}").get_data(as_text=True)
    assert "Tell your mentor what you did with the advice first" in html and "Ask for ongoing mentorship" not in html
    html = post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}").get_data(as_text=True)
    assert "Tell your mentor what you did with the advice first" in html and _asked(app, rid) is None


def test_an_open_request_cannot_be_turned_into_mentorship(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentee)
    assert 'id="ongoing"' not in client.get(f"/requests/{rid}").get_data(as_text=True)
    html = post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}").get_data(as_text=True)
    assert "once the request is done" in html and _asked(app, rid) is None


def test_a_too_short_hope_is_refused_next_to_the_field_over_htmx_too(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = _done(app, world)
    login(client, world.mentee)
    response = post_form(client, f"/requests/{rid}/ongoing", {"hope": "mentor me"}, page=f"/requests/{rid}",
                         headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<section id=\"ongoing\"")
    assert 'id="hope-error"' in html and "at least 15 characters" in html and _asked(app, rid) is None


def test_no_seat_free_is_said_in_words_and_asking_twice_is_refused(app, client, make_user, world, frozen):
    add_profile(app, mid(world, world.mentor), capacity_round=0)
    rid = _done(app, world)
    login(client, world.mentee)
    html = post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}").get_data(as_text=True)
    assert "has no seat free for ongoing mentorship right now" in html and _asked(app, rid) is None
    with app.app_context():
        from_db = db.session.get(User, world.mentee.id)
        with pytest.raises(ongoing.ServiceError):
            ongoing.ask(db.session.get(MicroRequest, rid), from_db, HOPE)  # still no seat
        db.session.rollback()
    _set_capacity(app, world, 2)
    assert post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}").status_code == 303
    html = post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}").get_data(as_text=True)
    assert "You asked on" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Pairing)) == 1


def _set_capacity(app, world, seats: int) -> None:
    with app.app_context():
        db.session.execute(db.update(MentorProfile).where(MentorProfile.membership_id == mid(world, world.mentor))
                           .values(capacity_round=seats))
        db.session.commit()


def test_two_mentees_asking_at_once_for_the_last_seat_get_one_seat(app, make_user, world, frozen):
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    mentees = [world.mentee] + [add_mentee(app, make_user, world, f"Racer {i}")[0] for i in range(3)]
    requests = [_done(app, world, mentee) for mentee in mentees]

    def action(i, barrier):
        req = db.session.get(MicroRequest, requests[i])
        user = db.session.get(User, mentees[i].id)
        _ = (req.mentor.user.name, req.mentee.user_id, req.question)  # loaded before the start
        barrier.wait()
        ongoing.ask(req, user, HOPE)
        return "asked"

    outcomes = race(app, len(mentees), action)
    assert sorted(outcomes) == sorted(["asked"] + [str(ongoing.NO_SEAT) % {"name": "Milo Mentor"}] * 3)
    with app.app_context():
        assert seats_taken(mid(world, world.mentor)) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(Pairing)) == 1


def test_the_same_ask_twice_at_once_makes_one_proposal(app, world, frozen):
    add_profile(app, mid(world, world.mentor), capacity_round=5)
    rid = _done(app, world)

    def action(i, barrier):
        req, user = db.session.get(MicroRequest, rid), db.session.get(User, world.mentee.id)
        _ = (req.mentor.user.name, req.mentee.user_id, req.question)
        barrier.wait()
        ongoing.ask(req, user, HOPE)
        return "asked"

    outcomes = race(app, 3, action)
    assert outcomes.count("asked") == 1
    assert all(o == "asked" or "already" in o or "You asked" in o for o in outcomes), outcomes
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Pairing)) == 1


def test_access_owner_may_ask_stranger_gets_404_and_the_mentor_403(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    world.request_id = _done(app, world)
    case = CASES["requests.ask_ongoing"]
    for user, expected in ((world.other_mentee, 404), (world.mentor, 403)):
        other = app.test_client()
        login(other, user)
        assert request_case(other, case, world).status_code == expected
    login(client, world.mentee)
    assert request_case(client, case, world).status_code == 303 and _asked(app, world.request_id) is not None


def _round_result(app, world, round_id):
    with app.app_context():
        data = build_round_data(db.session.get(Round, round_id))
        result = matching.solve(data.instance)
        return data.instance.history, {p.mentee: p for p in result.assignment}


@pytest.mark.parametrize("thanked", [True, False])
def test_a_round_weighs_good_micro_history_and_the_pairs_why_says_so(app, world, frozen, thanked):
    people = add_people(app, world.program.id, mentors=[
        {"name": "Ada Mentor", "years": 8, "topics": ["python"], "capacity_round": 1, "capacity_micro": 4},
        {"name": "Zed Mentor", "years": 8, "topics": ["python"], "capacity_round": 1, "capacity_micro": 4}],
        mentees=[{"name": "Cy Mentee", "years": 3, "topics": ["python"]}])
    cy, zed = people.users["Cy Mentee"], people.ids["Zed Mentor"]
    rid = send_request(app, cy, world.program.id, zed)
    with app.app_context():
        req = db.session.get(MicroRequest, rid)
        answers.accept(req, db.session.get(User, people.users["Zed Mentor"].id))
        mentee = db.session.get(User, cy.id)
        micro_requests.add_followup(mentee, request=req, kind="followup", body="I shipped the refactor you suggested.")
        if thanked:
            micro_requests.add_followup(mentee, request=req, kind="thanks", body="")
    plain = make_round(app, world.program.id, world.coordinator.id, name="No bonus", rules={"history_bonus": 0})
    weighed = make_round(app, world.program.id, world.coordinator.id, name="With bonus")

    history, pairs = _round_result(app, world, weighed)
    cy_key = f"e{people.ids['Cy Mentee']}"
    if not thanked:  # done and followed up, but never thanked: not "good history" yet
        assert history == [] and "history" not in pairs[cy_key].why
        return
    assert history == [(cy_key, f"m{zed}")]
    assert pairs[cy_key].mentor == f"m{zed}" and pairs[cy_key].why["history"] == 10
    assert "worked together on a micro-request" in pairs[cy_key].sentence
    weighed_score = pairs[cy_key].score
    _, pairs = _round_result(app, world, plain)   # a coordinator who sets the bonus to 0: no points for it
    assert "history" not in pairs[cy_key].why and pairs[cy_key].score == weighed_score - 10


def test_the_micro_history_bonus_is_a_round_setting_checked_next_to_its_field(app, client, world):
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/rounds/new"
    html = client.get(url).get_data(as_text=True)
    assert 'for="history_bonus"' in html and "worked together on a micro-request" in html
    html = post_form(client, url, {"name": "Autumn", "history_bonus": "60", "topics": "40", "context": "20", "stage": "25",
                                   "tz": "15", "mentors_per_mentee": "1", "balance_slack": "5", "objective": "coverage"}
                     ).get_data(as_text=True)
    assert 'id="history_bonus-error"' in html and "Between 0 and 50." in html


def test_the_matching_core_reads_writes_and_scores_history_pairs():
    """The core stays pure: history is plain data in the instance file, its bonus a rule."""
    people = dict(languages=["en"], tz=0.0, years=8, topics=["python"])
    instance = matching.Instance(
        mentees=[matching.Mentee(id="e1", languages=["en"], tz=0.0, years=3, topics=["python"])],
        mentors=[matching.Mentor(id="m1", capacity=1, **people), matching.Mentor(id="m2", capacity=1, **people)],
        rules=matching.Rules(history_bonus=7), history=[("e1", "m2")])
    data = matching.instance_to_dict(instance)
    assert data["history"] == [{"mentee": "e1", "mentor": "m2"}] and data["rules"]["history_bonus"] == 7
    again = matching.read_instance(data)
    assert again.history == [("e1", "m2")] and again.rules.history_bonus == 7
    [pair] = matching.solve(again).assignment
    assert (pair.mentor, pair.why["history"]) == ("m2", 7) and "worked together on a micro-request" in pair.sentence
    assert matching.score_pair(again, "e1", "m2")["score"] == matching.score_pair(again, "e1", "m1")["score"] + 7
    bad = {**data, "history": [{"mentee": "e1", "mentor": "m9"}]}
    with pytest.raises(matching.InstanceError, match="unknown mentor id"):
        matching.read_instance(bad)


def test_the_asks_why_is_stored_as_parts_and_read_in_the_mentors_language(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    rid = _done(app, world)
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/ongoing", {"hope": HOPE}, page=f"/requests/{rid}")
    pairing = _asked(app, rid)
    question = "Which of my 5 slides loses you first?"
    assert pairing.sentence_parts == [["micro_request", {"question": question, "name": "Mira Mentee", "hope": HOPE}]]
    assert pairing.sentence == f"You worked together on a micro-request (“{question}”). Mira Mentee hopes to work on: {HOPE}"
    mentor = app.test_client()
    login(mentor, world.mentor)
    spanish = f"Trabajaron juntos en un micropedido («{question}»). Mira Mentee espera trabajar en: {HOPE}"
    html = mentor.get("/pairings/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert spanish in html and "worked together" not in html
    # An ask stored before the parts were kept reads back from its English sentence.
    with app.app_context():
        db.session.get(Pairing, pairing.id).sentence_parts = None
        db.session.commit()
    html = mentor.get("/pairings/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert spanish in html and "worked together" not in html
