"""An email for every transition a person would want to know about (issue 14, item 4): a request
withdrawn (alone, or with "withdraw the others"), a request marked done (by either side); the
released and made-unavailable mails are in tests/web/test_release.py. Each has the one link that
helps next. The mails go through a real SMTP server."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import MicroRequest, User
from mentormatch.services import answers
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_mentor, add_profile, frozen, mid, request_state, send_request  # noqa: F401

pytestmark = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
QUESTION = "Which of my 5 slides loses you first?"


def _accept(app, request_id, mentor):
    with app.app_context():
        answers.accept(db.session.get(MicroRequest, request_id), db.session.get(User, mentor.id))


def test_the_mentor_is_told_when_a_mentee_withdraws_a_request(app, client, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    smtp_server.wait_for(1)
    smtp_server.clear()
    login(client, world.mentee)
    assert post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}").status_code == 303
    assert request_state(app, rid) == "cancelled"
    [mail] = smtp_server.wait_for(1)
    assert mail["to"] == [world.mentor.email] and mail["subject"] == "Mira Mentee withdrew a request to you"
    assert QUESTION in mail["body"] and "Nothing to do" in mail["body"]
    assert "http://localhost/requests/inbox" in mail["body"]


def test_each_mentor_is_told_when_the_others_are_withdrawn_after_an_accept(
        app, client, make_user, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    second, second_mid = add_mentor(app, make_user, world, "Sam Second")
    third, third_mid = add_mentor(app, make_user, world, "Tia Third")
    accepted = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    others = [send_request(app, world.mentee, world.program.id, m) for m in (second_mid, third_mid)]
    _accept(app, accepted, world.mentor)
    smtp_server.wait_for(4)
    smtp_server.clear()
    login(client, world.mentee)
    post_form(client, f"/requests/{accepted}/withdraw-others", {}, page=f"/requests/{accepted}")
    assert [request_state(app, r) for r in others] == ["cancelled", "cancelled"]
    smtp_server.wait_for(2)
    for mentor in (second, third):
        [mail] = smtp_server.to(mentor.email)
        assert mail["subject"] == "Mira Mentee withdrew a request to you"
        assert "got the help they needed from another mentor" in mail["body"]
    assert not smtp_server.to(world.mentor.email)


def test_the_mentee_is_told_when_the_mentor_marks_the_request_done_and_asked_what_they_did(
        app, client, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    _accept(app, rid, world.mentor)
    smtp_server.wait_for(2)
    smtp_server.clear()
    login(client, world.mentor)
    assert post_form(client, f"/requests/{rid}/done", {}, page=f"/requests/{rid}").status_code == 303
    [mail] = smtp_server.wait_for(1)
    assert mail["to"] == [world.mentee.email] and mail["subject"] == "Milo Mentor marked your request done"
    assert QUESTION in mail["body"] and "What did you do with the advice?" in mail["body"]
    assert f"http://localhost/requests/{rid}/followup" in mail["body"]


def test_the_mentor_is_told_when_the_mentee_marks_the_request_done(app, client, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    _accept(app, rid, world.mentor)
    smtp_server.wait_for(2)
    smtp_server.clear()
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/done", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "done"
    [mail] = smtp_server.wait_for(1)
    assert mail["to"] == [world.mentor.email] and mail["subject"] == "Mira Mentee marked your request done"
    assert "Thank you for helping" in mail["body"] and f"http://localhost/requests/{rid}" in mail["body"]
    assert mail["html"] is not None and f'<a href="http://localhost/requests/{rid}">' in mail["html"]


def test_a_refused_done_sends_nothing(app, client, world, frozen, smtp_server):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    smtp_server.wait_for(1)
    smtp_server.clear()
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/done", {}, page=f"/requests/{rid}")   # still open: refused
    assert request_state(app, rid) == "open"
    assert smtp_server.wait_for(1, timeout=0.3) == []
