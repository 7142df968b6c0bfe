"""Reminders and expiry with a controllable clock; the emails go through a real SMTP server."""
import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Event, MentorProfile
from mentormatch.services import reminders
from tests.conftest import login
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_mentor,
    add_pairing,
    add_profile,
    frozen,
    mid,
    open_count,
    pairing_state,
    request_state,
    send_request,
)

SMTP = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)


def _run(app):
    with app.app_context():
        return reminders.run()


@SMTP
def test_an_unanswered_request_gets_two_reminders_then_expires_and_the_mentee_is_told(app, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    assert len(smtp_server.wait_for(1)) == 1  # the mentor was told of the request itself
    smtp_server.clear()

    clock.advance(days=2, hours=23)
    assert _run(app).reminded == []                                   # not yet 3 days
    clock.advance(hours=1)
    assert _run(app).reminded == [f"request {rid}"]
    assert _run(app).reminded == []                                   # not twice for the same day
    clock.advance(days=3)
    assert _run(app).reminded == [f"request {rid}"]
    assert request_state(app, rid) == "open"
    clock.advance(days=3)
    report = _run(app)
    assert report.expired == [f"request {rid}"] and request_state(app, rid) == "expired"

    messages = smtp_server.wait_for(3)
    to_mentor = smtp_server.to(world.mentor.email)
    assert len(to_mentor) == 2 and all("Reminder" in m["subject"] for m in to_mentor)
    assert "1 more reminder" in to_mentor[0]["body"] and "will expire" in to_mentor[1]["body"]
    to_mentee = smtp_server.to(world.mentee.email)
    assert len(to_mentee) == 1 and "expired" in to_mentee[0]["subject"] and len(messages) == 3
    assert open_count(app, mid(world, world.mentee)) == 0          # the slot is free for someone else
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.to_state == "expired"))
        assert event.actor_user_id is None and event.at == clock.now()


@SMTP
def test_an_unanswered_proposal_expires_and_the_mentee_returns_to_the_pool(app, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    for _ in range(3):
        clock.advance(days=3)
        _run(app)
    assert pairing_state(app, pid) == "expired"
    assert any("did not answer" in m["subject"] for m in smtp_server.wait_for(3) if world.mentee.email in m["to"])


@SMTP
def test_an_answer_stops_the_reminders(app, client, world, frozen, smtp_server):
    from tests.conftest import post_form

    add_profile(app, mid(world, world.mentor))
    pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    clock.advance(days=3)
    _run(app)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/accept", {}, page="/pairings/")
    clock.advance(days=10)
    report = _run(app)
    assert report.reminded == [] and report.expired == [] and pairing_state(app, pid) == "active"


@SMTP
def test_a_mentor_with_two_expiries_is_marked_unavailable_told_why_and_shown_to_the_coordinator(
        app, client, make_user, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    for _ in range(3):
        clock.advance(days=3)
        report = _run(app)
    assert len(report.expired) == 2 and report.unavailable == [f"mentor {mid(world, world.mentor)}"]
    with app.app_context():
        profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mid(world, world.mentor)))
        assert profile.available is False
    told = [m for m in smtp_server.wait_for(6) if world.mentor.email in m["to"] and "paused" in m["subject"]]
    assert told and "2 requests or proposals to you expired" in told[0]["body"]
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/health").get_data(as_text=True)
    assert world.mentor.name in html and "expired without an answer" in html
    # The directory no longer offers them.
    mentee = app.test_client()
    login(mentee, world.mentee)
    assert world.mentor.name not in mentee.get(f"/requests/programs/{world.program.id}/mentors").get_data(as_text=True)


@SMTP
def test_one_expiry_is_not_enough_to_pause_a_mentor(app, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    for _ in range(3):
        clock.advance(days=3)
        report = _run(app)
    assert report.expired and report.unavailable == []


@pytest.mark.parametrize("app", [{"REMINDER_DAYS": 1, "MENTOR_EXPIRY_LIMIT": 1}], indirect=True)
def test_reminder_days_and_expiry_limit_are_settings(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    for _ in range(3):
        clock.advance(days=1)
        report = _run(app)
    assert request_state(app, rid) == "expired" and report.unavailable


@SMTP
def test_the_mentee_is_asked_by_email_what_they_did_with_the_advice_once(app, world, frozen, smtp_server):
    from mentormatch.models import MicroRequest, User
    from mentormatch.services import answers

    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    with app.app_context():
        answers.accept(db.session.get(MicroRequest, rid), db.session.get(User, world.mentor.id))
    smtp_server.clear()
    clock.advance(days=3)
    assert _run(app).followups_asked == [f"request {rid}"]
    assert _run(app).followups_asked == []
    asked = smtp_server.wait_for(1)
    assert asked[0]["to"] == [world.mentee.email] and "What did you do" in asked[0]["subject"]


@SMTP
def test_the_remind_command_runs_from_cron(app, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    clock.advance(days=3)
    result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s), 0 expired" in result.output
    assert any("Reminder" in m["subject"] for m in smtp_server.wait_for(2))


def test_the_scheduler_starts_only_when_an_interval_is_set(app):
    app.config["TESTING"] = False
    assert reminders.start_scheduler(app) is None  # REMINDER_INTERVAL_MINUTES unset


@SMTP
def test_a_scheduler_tick_sends_due_reminders_and_survives_a_failed_pass(app, world, frozen, smtp_server, monkeypatch):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    clock.advance(days=3)

    def broken():
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(reminders, "run", broken)
        assert reminders.tick(app) is None       # logged, not raised: the thread lives on
    assert reminders.tick(app).startswith("1 reminder(s), 0 expired, 0 mentor(s) marked unavailable")
    assert any("Reminder" in m["subject"] for m in smtp_server.wait_for(2))
    assert request_state(app, rid) == "open"
