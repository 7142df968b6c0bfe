"""“Ask for more info”, the third answer: the mentor asks one question, the mentee answers, the item
comes back to the mentor with the answer; the mentor's reminders pause while the mentee owes the answer.

Also runs the owner and stranger checks of every object route in tests/web/access/extras.py
against real objects."""
import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import CheckIn, Event, GoalStep, MentorReport, MicroRequest, Pairing
from mentormatch.services import reminders
from tests.conftest import csrf_from, login, post_form
from tests.web.access.cases import request_case
from tests.web.access.extras import OBJECT_CASES, OBJECT_OWNERS
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_pairing,
    add_profile,
    frozen,
    mailbox,
    mid,
    outbox,
    pairing_state,
    request_state,
    send_request,
)
from tests.web.test_rounds_support import make_round

QUESTION = "Which of the two offers are you leaning towards, and why?"
ANSWER = "The start-up: I want to own an API end to end before going for staff."


def _pairing(app, w, **values):
    add_profile(app, mid(w, w.mentor))
    return add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor), **values)


def _row(app, model, row_id):
    with app.app_context():
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row


def test_mentor_asks_and_the_proposal_waits_for_the_mentee(app, client, world, frozen, mailbox):
    pid = _pairing(app, world)
    login(client, world.mentor)
    assert "Ask for more info" in client.get("/pairings/").get_data(as_text=True)
    response = post_form(client, f"/pairings/{pid}/ask", {"question": QUESTION})
    assert response.status_code == 303
    p = _row(app, Pairing, pid)
    assert p.state == "info_requested" and p.info_question == QUESTION and p.info_asked_at == clock.now()
    told = [m for m in outbox(app) if world.mentee.email in m.to]
    assert told and QUESTION in told[0].body and f"/pairings/{pid}/info" in told[0].body
    page = client.get("/pairings/").get_data(as_text=True)
    assert "Waiting for" in page and "Ask for more info" not in page


def test_mentee_answers_and_the_proposal_returns_to_the_mentor_with_the_answer(app, client, world, frozen, mailbox):
    pid = _pairing(app, world)
    mentor = app.test_client()
    login(mentor, world.mentor)
    post_form(mentor, f"/pairings/{pid}/ask", {"question": QUESTION})
    login(client, world.mentee)
    assert QUESTION in client.get("/mentee/").get_data(as_text=True)
    clock.advance(days=1)
    response = post_form(client, f"/pairings/{pid}/info", {"answer": ANSWER})
    assert response.status_code == 303
    p = _row(app, Pairing, pid)
    assert p.state == "proposed" and p.info_answer == ANSWER and p.reminders_sent == 0
    assert p.last_reminded_at == clock.now()
    assert ANSWER in mentor.get("/pairings/").get_data(as_text=True)
    mail = [m for m in outbox(app) if world.mentor.email in m.to and "answered" in m.subject]
    assert mail and ANSWER in mail[0].body
    with app.app_context():
        moves = [(e.from_state, e.to_state) for e in db.session.scalars(
            db.select(Event).where(Event.subject_type == "pairing", Event.subject_id == pid).order_by(Event.id))]
    assert moves == [("proposed", "info_requested"), ("info_requested", "proposed")]
    # Then the mentor can still accept.
    assert post_form(mentor, f"/pairings/{pid}/accept", {}, page="/pairings/").status_code == 303
    assert pairing_state(app, pid) == "active"


def test_a_mentor_asks_only_one_question(app, client, world, frozen):
    pid = _pairing(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/ask", {"question": QUESTION})
    mentee = app.test_client()
    login(mentee, world.mentee)
    post_form(mentee, f"/pairings/{pid}/info", {"answer": ANSWER})
    html = post_form(client, f"/pairings/{pid}/ask", {"question": "And one more thing, please?"}).get_data(as_text=True)
    assert 'id="question-error"' in html and "already asked" in html
    assert _row(app, Pairing, pid).info_question == QUESTION


def test_the_mentors_reminders_pause_while_the_mentee_owes_the_answer(app, client, world, frozen, mailbox):
    """The mentee gets the reminders instead (tests/web/test_mentee_owed.py), and no mentor expiry."""
    pid = _pairing(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/ask", {"question": QUESTION})
    clock.advance(days=30)
    with app.app_context():
        report = reminders.run()
    assert f"pairing {pid}" not in report.reminded and f"pairing {pid}" not in report.expired
    assert report.mentee_reminded == [f"pairing {pid}"] and pairing_state(app, pid) == "info_requested"
    assert not [m for m in outbox(app) if "Reminder" in m.subject and world.mentor.email in m.to]


def test_reminders_start_again_after_the_answer(app, client, world, frozen, mailbox):
    pid = _pairing(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/ask", {"question": QUESTION})
    clock.advance(days=10)
    mentee = app.test_client()
    login(mentee, world.mentee)
    post_form(mentee, f"/pairings/{pid}/info", {"answer": ANSWER})
    clock.advance(days=1)
    with app.app_context():
        assert f"pairing {pid}" not in reminders.run().reminded  # a fresh waiting period after the answer
    clock.advance(days=3)
    with app.app_context():
        assert f"pairing {pid}" in reminders.run().reminded


def test_too_short_a_question_is_refused_next_to_the_field_and_nothing_changes(app, client, world, frozen):
    pid = _pairing(app, world)
    login(client, world.mentor)
    html = post_form(client, f"/pairings/{pid}/ask", {"question": "why?"}).get_data(as_text=True)
    assert 'id="question-error"' in html and "at least 10" in html
    assert pairing_state(app, pid) == "proposed"


def test_mentee_cannot_answer_when_no_question_waits(app, client, world, frozen):
    pid = _pairing(app, world)
    login(client, world.mentee)
    html = post_form(client, f"/pairings/{pid}/info", {"answer": ANSWER}).get_data(as_text=True)
    assert "Nothing is waiting" in html
    assert _row(app, Pairing, pid).info_answer == ""


def test_posted_state_and_owner_fields_are_ignored_when_asking(app, client, world, frozen):
    pid = _pairing(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/ask", {"question": QUESTION, "state": "active",
                                               "mentor_membership_id": "999", "info_answer": "forged"})
    p = _row(app, Pairing, pid)
    assert p.state == "info_requested" and p.mentor_membership_id == mid(world, world.mentor) and p.info_answer == ""


def test_question_and_answer_are_escaped(app, client, world, frozen):
    pid = _pairing(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/ask", {"question": "<script>alert(1)</script> is this ok?"})
    mentee = app.test_client()
    login(mentee, world.mentee)
    html = mentee.get(f"/pairings/{pid}/info").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


# ------------------------------------------------------------------ micro-requests


def test_request_ask_and_answer_round_trip_keeps_the_mentees_slot(app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentor)
    assert post_form(client, f"/requests/{rid}/ask", {"question": QUESTION}).status_code == 303
    assert request_state(app, rid) == "info_requested"
    mentee = app.test_client()
    login(mentee, world.mentee)
    page = mentee.get(f"/requests/{rid}").get_data(as_text=True)
    assert QUESTION in page and "Send my answer" in page
    with app.app_context():
        from mentormatch.services import micro_requests
        assert micro_requests.open_count(mid(world, world.mentee)) == 1
    assert post_form(mentee, f"/requests/{rid}/answer", {"answer": ANSWER}, page=f"/requests/{rid}").status_code == 303
    r = _row(app, MicroRequest, rid)
    assert r.state == "open" and r.info_answer == ANSWER
    assert ANSWER in client.get("/requests/inbox").get_data(as_text=True)
    assert post_form(client, f"/requests/{rid}/accept", {}, page=f"/requests/{rid}").status_code == 303
    assert request_state(app, rid) == "accepted"


def test_request_reminders_pause_while_the_mentee_owes_the_answer(app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentor)
    post_form(client, f"/requests/{rid}/ask", {"question": QUESTION})
    clock.advance(days=20)
    with app.app_context():
        report = reminders.run()
    assert f"request {rid}" not in report.reminded + report.expired
    assert request_state(app, rid) == "info_requested"


def test_the_mentee_cannot_ask_on_their_own_request(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentee)
    token = csrf_from(client.get(f"/requests/{rid}").get_data(as_text=True))
    assert client.post(f"/requests/{rid}/ask", data={"csrf_token": token, "question": QUESTION}).status_code == 403
    assert request_state(app, rid) == "open"


# ------------------------------------------------------------------ owner and stranger on real objects


@pytest.fixture
def built(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    world.round_id = make_round(app, world.program.id, world.coordinator.id)
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", answered_at=clock.now(), round_id=world.round_id)
    world.request_id = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    with app.app_context():
        checkin = CheckIn(program_id=world.program.id, pairing_id=world.pairing_id,
                          membership_id=mid(world, world.mentee), day=30)
        step = GoalStep(membership_id=mid(world, world.mentee), title="Draft the slides", position=1)
        report = MentorReport(program_id=world.program.id, mentee_membership_id=mid(world, world.mentee),
                              mentor_membership_id=mid(world, world.mentor), request_id=world.request_id,
                              note="No answer for two weeks")
        db.session.add_all([checkin, step, report])
        db.session.commit()
        world.checkin_id, world.step_id, world.report_id = checkin.id, step.id, report.id
    return world


@pytest.mark.parametrize("endpoint", sorted(OBJECT_CASES))
def test_owner_may_use_the_extra_route_on_their_own_object(endpoint, client, built):
    case = OBJECT_CASES[endpoint]
    login(client, getattr(built, OBJECT_OWNERS[endpoint]))
    assert request_case(client, case, built).status_code in case.ok


@pytest.mark.parametrize("endpoint", sorted(OBJECT_CASES))
def test_stranger_of_the_right_role_gets_404_on_a_real_extra_object(endpoint, client, built):
    case = OBJECT_CASES[endpoint]
    login(client, case.stranger(built))
    assert request_case(client, case, built).status_code == 404


def test_a_mentor_of_another_pairing_cannot_ask_on_this_one(app, client, built, make_user):
    from tests.web.test_lifecycle_data import add_mentor

    other, _ = add_mentor(app, make_user, built, "Second Mentor")
    login(client, other)
    assert request_case(client, OBJECT_CASES["pairings.ask_info"], built).status_code == 404
