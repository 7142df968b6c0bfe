"""Nobody waits forever, the mentee's side: after "ask for more info" the answer the mentee owes
gets reminders and then expires like the mentor's, freeing the slot or seat, on a controlled clock
(issue 14, item 2). Mail goes through a real SMTP server."""
import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Membership, MicroRequest, Pairing, User
from mentormatch.services import answers, reminders
from mentormatch.services.people.profiles import seats_taken
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_pairing,
    add_profile,
    frozen,
    mailbox,
    mid,
    open_count,
    outbox,
    pairing_state,
    request_state,
    send_request,
)

SMTP = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
QUESTION = "Which team are you on, and what did you try already?"


def _run(app):
    with app.app_context():
        return reminders.run()


def _ask(app, model, item_id, mentor):
    with app.app_context():
        answers.ask_info(db.session.get(model, item_id), db.session.get(User, mentor.id), QUESTION)


@SMTP
def test_a_question_the_mentee_leaves_unanswered_gets_two_reminders_then_expires_and_frees_the_slot(
        app, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    clock.advance(days=2)
    _ask(app, MicroRequest, rid, world.mentor)
    assert open_count(app, mid(world, world.mentee)) == 1
    smtp_server.wait_for(2)
    smtp_server.clear()

    clock.advance(days=2, hours=23)
    assert _run(app).mentee_reminded == []                    # not yet 3 days after the question
    clock.advance(hours=1)
    report = _run(app)
    assert report.mentee_reminded == [f"request {rid}"] and report.reminded == []
    assert _run(app).mentee_reminded == []                    # not twice the same day
    clock.advance(days=3)
    assert _run(app).mentee_reminded == [f"request {rid}"]
    assert request_state(app, rid) == "info_requested"
    clock.advance(days=3)
    report = _run(app)
    assert report.mentee_expired == [f"request {rid}"] and request_state(app, rid) == "expired"
    assert open_count(app, mid(world, world.mentee)) == 0     # the slot is the mentee's again

    smtp_server.wait_for(4)
    to_mentee = smtp_server.to(world.mentee.email)
    assert [m["subject"] for m in to_mentee] == [
        f"Reminder: {world.mentor.name} is waiting for your answer"] * 2 + [
        "Your request expired: the question was not answered"]
    assert QUESTION in to_mentee[0]["body"] and "1 more reminder before it expires" in to_mentee[0]["body"]
    assert f"http://localhost/requests/{rid}" in to_mentee[0]["body"]
    assert "It will expire if there is no answer" in to_mentee[1]["body"]
    [to_mentor] = smtp_server.to(world.mentor.email)
    assert "did not answer your question" in to_mentor["subject"] and "does not count against you" in to_mentor["body"]
    with app.app_context():
        assert reminders.expiries_since_available(mid(world, world.mentor)) == 0  # not the mentor's fault


@SMTP
def test_after_24_days_an_unanswered_question_no_longer_holds_one_of_the_five_slots(app, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    _ask(app, MicroRequest, rid, world.mentor)
    for _ in range(8):
        clock.advance(days=3)
        _run(app)
    assert request_state(app, rid) == "expired" and open_count(app, mid(world, world.mentee)) == 0


@SMTP
def test_an_unanswered_question_on_a_proposal_expires_and_gives_the_seat_back(app, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    _ask(app, Pairing, pid, world.mentor)
    with app.app_context():
        assert seats_taken(mid(world, world.mentor)) == 1
    for _ in range(3):
        clock.advance(days=3)
        report = _run(app)
    assert report.mentee_expired == [f"pairing {pid}"] and pairing_state(app, pid) == "expired"
    with app.app_context():
        assert seats_taken(mid(world, world.mentor)) == 0
        assert reminders.expiries_since_available(mid(world, world.mentor)) == 0
    subjects = [m["subject"] for m in smtp_server.wait_for(5) if world.mentee.email in m["to"]]
    assert subjects.count(f"Reminder: {world.mentor.name} is waiting for your answer") == 2
    assert "Your proposal expired: the question was not answered" in subjects


def test_answering_the_question_stops_the_mentees_reminders_and_restarts_the_mentors(app, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    clock.advance(days=3)
    assert _run(app).reminded == [f"request {rid}"]            # one of the mentor's two reminders used
    _ask(app, MicroRequest, rid, world.mentor)
    clock.advance(days=3)
    assert _run(app).mentee_reminded == [f"request {rid}"]
    with app.app_context():
        answers.answer_info(db.session.get(MicroRequest, rid), db.session.get(User, world.mentee.id),
                            "I am on the payments team and tried the profiler.")
    clock.advance(days=2)
    report = _run(app)
    assert report.mentee_reminded == [] and report.reminded == []
    clock.advance(days=1)
    assert _run(app).reminded == [f"request {rid}"] and request_state(app, rid) == "open"


def test_a_mentor_who_asked_again_counts_the_mentees_reminders_from_zero(app, world, frozen, mailbox):
    """The mentor's reminders before the question do not eat into the mentee's."""
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    for _ in range(2):
        clock.advance(days=3)
        _run(app)                                              # both of the mentor's reminders sent
    _ask(app, MicroRequest, rid, world.mentor)
    clock.advance(days=3)
    report = _run(app)
    assert report.mentee_reminded == [f"request {rid}"] and request_state(app, rid) == "info_requested"


@pytest.mark.parametrize("app", [{"MENTEE_REMINDER_DAYS": 1, "MENTEE_REMINDER_MAX": 0}], indirect=True)
def test_the_mentees_reminder_days_and_count_are_settings_of_their_own(app, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    other = send_request(app, world.mentee, world.program.id, _second_mentor(app, world))
    _ask(app, MicroRequest, rid, world.mentor)
    clock.advance(days=1)
    report = _run(app)
    assert report.mentee_expired == [f"request {rid}"] and report.mentee_reminded == []
    assert request_state(app, other) == "open" and report.reminded == []   # the mentor's rules: still 3 days


def _second_mentor(app, world):
    with app.app_context():
        user = User(role="mentor", name="Second Mentor", email="second.mentor@example.org", password_hash="x")
        db.session.add(user)
        db.session.flush()
        membership = Membership(program_id=world.program.id, user_id=user.id)
        db.session.add(membership)
        db.session.commit()
        membership_id = membership.id
    add_profile(app, membership_id)
    return membership_id
