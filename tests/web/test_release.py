"""Nobody waits for a mentor who is not there (issue 14, item 2): the four ways a mentor becomes
unavailable all release what waits on them in one transaction (services/answers/release.py).
Pending requests and proposals are declined with the reason "unavailable" (not an answer, not an
expiry), slots and seats come back, each mentee gets a kind email over real SMTP with a link to
similar mentors who have room, and round proposals are flagged for repair on the round page."""
from datetime import timedelta

import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import MentorProfile, MicroRequest, Pairing, Round, User
from mentormatch.services import answers, reminders
from mentormatch.services.people.profiles import seats_taken
from mentormatch.services.rounds.publish import freed_mentees
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_mentee,
    add_pairing,
    add_profile,
    add_term,
    frozen,
    mid,
    open_count,
    request_state,
    send_request,
)
from tests.web.test_people_support import profile_data, terms  # noqa: F401

SMTP = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
RELEASED_SUBJECT = "Milo Mentor is not available right now: others can help"


class Waiting:
    """What waits on the world's mentor: a pending request, an info_requested request and a round
    proposal (three mentees), and an accepted request that must stay as it is."""


def _waiting(app, world, make_user, topic: int) -> Waiting:
    w = Waiting()
    mentor = mid(world, world.mentor)
    add_profile(app, mentor, topics=[topic], capacity_round=2)
    w.request = send_request(app, world.mentee, world.program.id, mentor)
    w.asked_mentee, asked_mid = add_mentee(app, make_user, world, "Asha Asked")
    w.asked = send_request(app, w.asked_mentee, world.program.id, mentor)
    w.proposed_mentee, w.proposed_mid = add_mentee(app, make_user, world, "Pia Proposed")
    w.happy_mentee, happy_mid = add_mentee(app, make_user, world, "Hal Helped")
    w.accepted = send_request(app, w.happy_mentee, world.program.id, mentor)
    with app.app_context():
        round_ = Round(program_id=world.program.id, name="Spring", state="approved")
        db.session.add(round_)
        db.session.commit()
        w.round_id = round_.id
        mentor_user = db.session.get(User, world.mentor.id)
        answers.ask_info(db.session.get(MicroRequest, w.asked), mentor_user, "What have you tried so far, please?")
        answers.accept(db.session.get(MicroRequest, w.accepted), mentor_user)
    w.pairing = add_pairing(app, world.program.id, w.proposed_mid, mentor, round_id=w.round_id)
    w.mentee_mids = (mid(world, world.mentee), asked_mid)
    return w


def _assert_released(app, world, w: Waiting, smtp_server, topic: int):
    with app.app_context():
        for model, item_id in ((MicroRequest, w.request), (MicroRequest, w.asked), (Pairing, w.pairing)):
            row = db.session.get(model, item_id)
            assert (row.state, row.decline_reason, row.answered_at) == ("declined", "unavailable", None)
            assert row.ended_at == clock.now()
        assert db.session.get(MicroRequest, w.accepted).state == "accepted"  # what was accepted goes on
        assert seats_taken(mid(world, world.mentor)) == 0
        assert w.proposed_mid in freed_mentees(db.session.get(Round, w.round_id))
    assert [open_count(app, m) for m in w.mentee_mids] == [0, 0]
    link = f"http://localhost/requests/programs/{world.program.id}/mentors?topic={topic}"
    for mentee in (world.mentee, w.asked_mentee, w.proposed_mentee):
        [mail] = [m for m in smtp_server.to(mentee.email) if m["subject"] == RELEASED_SUBJECT]
        assert "It is nothing about you" in mail["body"] and link in mail["body"]
        assert f'<a href="{link}">' in mail["html"]
    assert not [m for m in smtp_server.to(w.happy_mentee.email) if m["subject"] == RELEASED_SUBJECT]
    [request_mail] = [m for m in smtp_server.to(world.mentee.email) if m["subject"] == RELEASED_SUBJECT]
    assert "Which of my 5 slides loses you first?" in request_mail["body"] and "Your slot is free again" in request_mail["body"]
    [round_mail] = [m for m in smtp_server.to(w.proposed_mentee.email) if m["subject"] == RELEASED_SUBJECT]
    assert "Your coordinator will look for another mentor for you" in round_mail["body"]


def _profile(app, world) -> MentorProfile:
    with app.app_context():
        profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mid(world, world.mentor)))
        db.session.expunge(profile)
        return profile


@SMTP
def test_switching_availability_off_releases_every_waiting_request_and_proposal(
        app, client, make_user, world, frozen, smtp_server, terms):
    w = _waiting(app, world, make_user, terms.security)
    smtp_server.clear()
    login(client, world.mentor)
    data = profile_data(terms, topics=[str(terms.security)])
    del data["available"]  # the unticked checkbox
    assert post_form(client, f"/mentor/programs/{world.program.id}/profile", data).status_code == 303
    assert _profile(app, world).available is False
    smtp_server.wait_for(3)
    _assert_released(app, world, w, smtp_server, terms.security)


@SMTP
def test_an_away_date_releases_them_too(app, client, make_user, world, frozen, smtp_server, terms):
    w = _waiting(app, world, make_user, terms.security)
    smtp_server.clear()
    login(client, world.mentor)
    back = (clock.today() + timedelta(days=20)).isoformat()
    post_form(client, f"/mentor/programs/{world.program.id}/profile",
              profile_data(terms, topics=[str(terms.security)], away_until=back))
    smtp_server.wait_for(3)
    _assert_released(app, world, w, smtp_server, terms.security)


def test_saving_the_profile_while_staying_available_releases_nothing(app, client, make_user, world, frozen, terms):
    w = _waiting(app, world, make_user, terms.security)
    login(client, world.mentor)
    post_form(client, f"/mentor/programs/{world.program.id}/profile", profile_data(terms, capacity_round="3"))
    assert request_state(app, w.request) == "open" and request_state(app, w.asked) == "info_requested"


@SMTP
def test_decline_and_pause_releases_the_others(app, client, make_user, world, frozen, smtp_server):
    topic = add_term(app, world.program.id, "Public speaking")
    w = _waiting(app, world, make_user, topic)
    extra_mentee, extra_mid = add_mentee(app, make_user, world, "Dora Declined")
    declined = add_pairing(app, world.program.id, extra_mid, mid(world, world.mentor), round_id=w.round_id)
    smtp_server.clear()
    login(client, world.mentor)
    response = post_form(client, f"/pairings/{declined}/decline", {"reason": "no_capacity", "pause": "off"})
    assert response.status_code == 303 and _profile(app, world).available is False
    with app.app_context():
        row = db.session.get(Pairing, declined)
        assert (row.state, row.decline_reason) == ("declined", "no_capacity")  # the answer itself stays an answer
        assert freed_mentees(db.session.get(Round, w.round_id)) == sorted([w.proposed_mid, extra_mid])
    smtp_server.wait_for(4)
    _assert_released(app, world, w, smtp_server, topic)
    assert not [m for m in smtp_server.to(extra_mentee.email) if m["subject"] == RELEASED_SUBJECT]


@SMTP
def test_a_coordinator_marking_a_mentor_unavailable_releases_and_tells_the_mentor(
        app, client, make_user, world, frozen, smtp_server):
    topic = add_term(app, world.program.id, "Hiring")
    w = _waiting(app, world, make_user, topic)
    smtp_server.clear()
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/mentors/{mid(world, world.mentor)}/unavailable", {},
              page=f"/coordinator/programs/{world.program.id}/health")
    assert _profile(app, world).available is False
    smtp_server.wait_for(4)
    _assert_released(app, world, w, smtp_server, topic)
    [told] = smtp_server.to(world.mentor.email)
    assert told["subject"] == "Your coordinator paused your mentoring in Main program"
    assert "Cora Coordinator" in told["body"] and "The 3 that were waiting for you went back" in told["body"]
    assert f"http://localhost/mentor/programs/{world.program.id}/profile" in told["body"]
    assert told["reply_to"] == world.coordinator.email
    # The round page flags the released proposal for repair.
    html = client.get(f"/coordinator/programs/{world.program.id}/rounds/{w.round_id}").get_data(as_text=True)
    assert "Needs repair:" in html and "1 proposal was released because the mentor became unavailable" in html
    assert "Repair: find them new mentors" in html


@SMTP
def test_the_automatic_pause_after_expiries_releases_what_is_still_waiting(
        app, make_user, world, frozen, smtp_server):
    topic = add_term(app, world.program.id, "Negotiation")
    mentor = mid(world, world.mentor)
    add_profile(app, mentor, topics=[topic])
    early_mentee, early_mid = add_mentee(app, make_user, world, "Eli Early")
    send_request(app, early_mentee, world.program.id, mentor)
    add_pairing(app, world.program.id, early_mid, mentor)
    for _ in range(2):                 # the early items' two reminders, on days 3 and 6
        clock.advance(days=3)
        with app.app_context():
            reminders.run()
    clock.advance(days=2)
    late = send_request(app, world.mentee, world.program.id, mentor)  # day 8: one day before the others expire
    smtp_server.wait_for(5)
    smtp_server.clear()
    clock.advance(days=1)
    with app.app_context():
        report = reminders.run()
    assert len(report.expired) == 2 and report.unavailable == [f"mentor {mentor}"]
    with app.app_context():
        row = db.session.get(MicroRequest, late)
        assert (row.state, row.decline_reason) == ("declined", "unavailable")
    assert open_count(app, mid(world, world.mentee)) == 0
    [mail] = [m for m in smtp_server.wait_for(4) if world.mentee.email in m["to"]]
    assert mail["subject"] == RELEASED_SUBJECT
    assert f"mentors?topic={topic}" in mail["body"]
