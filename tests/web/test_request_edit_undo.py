"""A mentee edits a request the mentor has not answered, and undoes a withdrawal within 10 minutes."""
from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import MicroRequest
from tests.conftest import csrf_from, login, post_form
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_profile,
    frozen,
    mailbox,
    mid,
    open_count,
    outbox,
    request_state,
    send_request,
)

NEW = {"question": "Which one of my 3 slides should I cut first?", "kind": "feedback", "context": "Deck v2"}


def _setup(app, w):
    add_profile(app, mid(w, w.mentor))
    return send_request(app, w.mentee, w.program.id, mid(w, w.mentor))


def _req(app, rid):
    with app.app_context():
        r = db.session.get(MicroRequest, rid)
        return r.question, r.kind, r.context, r.state, r.mentor_membership_id


def test_mentee_edits_a_pending_request_and_the_mentor_is_told(app, client, world, frozen, mailbox):
    rid = _setup(app, world)
    login(client, world.mentee)
    assert "Edit" in client.get(f"/requests/{rid}").get_data(as_text=True)
    assert post_form(client, f"/requests/{rid}/edit", NEW).status_code == 303
    assert _req(app, rid)[:4] == (NEW["question"], "feedback", "Deck v2", "open")
    assert any(world.mentor.email in m.to and "edited" in m.subject for m in outbox(app))


def test_an_answered_request_can_no_longer_be_edited(app, client, world, frozen):
    rid = _setup(app, world)
    mentor = app.test_client()
    login(mentor, world.mentor)
    post_form(mentor, f"/requests/{rid}/accept", {}, page=f"/requests/{rid}")
    login(client, world.mentee)
    html = post_form(client, f"/requests/{rid}/edit", NEW).get_data(as_text=True)
    assert "Only a request still waiting" in html
    assert _req(app, rid)[0] != NEW["question"]


def test_bad_edit_shows_the_error_next_to_the_field_and_saves_nothing(app, client, world, frozen):
    rid = _setup(app, world)
    before = _req(app, rid)
    login(client, world.mentee)
    html = post_form(client, f"/requests/{rid}/edit", {**NEW, "question": "short"}).get_data(as_text=True)
    assert 'id="question-error"' in html
    assert _req(app, rid) == before


def test_edit_ignores_posted_mentor_and_state(app, client, world, frozen):
    rid = _setup(app, world)
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/edit", {**NEW, "state": "accepted", "mentor_membership_id": "1"})
    q, kind, ctx, state, mentor = _req(app, rid)
    assert state == "open" and mentor == mid(world, world.mentor)


def test_the_mentor_cannot_edit_the_mentees_request(app, client, world, frozen):
    rid = _setup(app, world)
    login(client, world.mentor)
    token = csrf_from(client.get(f"/requests/{rid}").get_data(as_text=True))
    assert client.post(f"/requests/{rid}/edit", data={"csrf_token": token, **NEW}).status_code == 403


def test_edited_text_is_escaped(app, client, world, frozen):
    rid = _setup(app, world)
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/edit", {**NEW, "question": "<script>alert(1)</script> which slide to cut?"})
    mentor = app.test_client()
    login(mentor, world.mentor)
    html = mentor.get(f"/requests/{rid}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_undo_a_withdrawal_within_ten_minutes(app, client, world, frozen):
    rid = _setup(app, world)
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "cancelled" and open_count(app, mid(world, world.mentee)) == 0
    clock.advance(minutes=9)
    assert "Undo" in client.get(f"/requests/{rid}").get_data(as_text=True)
    assert post_form(client, f"/requests/{rid}/undo", {}, page=f"/requests/{rid}").status_code == 303
    assert request_state(app, rid) == "open" and open_count(app, mid(world, world.mentee)) == 1


def test_no_undo_after_ten_minutes(app, client, world, frozen):
    rid = _setup(app, world)
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}")
    clock.advance(minutes=11)
    assert "Undo" not in client.get(f"/requests/{rid}").get_data(as_text=True)
    post_form(client, f"/requests/{rid}/undo", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "cancelled" and open_count(app, mid(world, world.mentee)) == 0


def test_a_decline_cannot_be_undone_by_the_mentee(app, client, world, frozen):
    rid = _setup(app, world)
    mentor = app.test_client()
    login(mentor, world.mentor)
    post_form(mentor, f"/requests/{rid}/decline", {"reason": "no_capacity"})
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/undo", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "declined"


def test_undo_respects_the_open_request_cap(app, client, world, frozen, make_user):
    from tests.web.test_lifecycle_data import add_mentor

    rid = _setup(app, world)
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}")
    for i in range(5):
        _, m = add_mentor(app, make_user, world, f"Extra Mentor {i}")
        send_request(app, world.mentee, world.program.id, m)
    post_form(client, f"/requests/{rid}/undo", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "cancelled" and open_count(app, mid(world, world.mentee)) == 5
