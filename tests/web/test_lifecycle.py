"""Round proposals: only the proposed mentor answers; accepted becomes active and the mentee is
told; a decline needs a reason and puts the mentee back in the pool; every change is an event."""
from mentormatch.extensions import db
from mentormatch.models import SEAT_STATES, Event, Pairing
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mailbox, mid, outbox, pairing_state  # noqa: F401


def _setup(app, w):
    add_profile(app, mid(w, w.mentor))
    return add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor), sentence="shares Fintech; 4 years ahead")


def _events(app, pairing_id):
    with app.app_context():
        return [(e.from_state, e.to_state, e.actor_user_id) for e in db.session.scalars(
            db.select(Event).where(Event.subject_type == "pairing", Event.subject_id == pairing_id).order_by(Event.id))]


def test_mentor_sees_the_proposal_with_its_why_and_accepts_it(app, client, world, frozen, mailbox):
    pid = _setup(app, world)
    login(client, world.mentor)
    page = client.get("/pairings/").get_data(as_text=True)
    assert world.mentee.name in page and "shares Fintech" in page
    response = post_form(client, f"/pairings/{pid}/accept", {}, page="/pairings/")
    assert response.status_code == 303
    assert pairing_state(app, pid) == "active"
    assert _events(app, pid) == [("proposed", "accepted", world.mentor.id), ("accepted", "active", world.mentor.id)]
    told = [m for m in outbox(app) if world.mentee.email in m.to]
    assert told and "accepted" in told[0].subject


def test_accepting_with_htmx_returns_only_the_proposals_partial(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    response = post_form(client, f"/pairings/{pid}/accept", {}, page="/pairings/", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="mentor-proposals"' in html
    assert "You accepted" in html and "HX-Request" in response.headers["Vary"]


def test_decline_needs_a_reason_and_saves_nothing_without_one(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    response = post_form(client, f"/pairings/{pid}/decline", {"note": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="reason-error"' in html and "Choose a reason." in html
    assert pairing_state(app, pid) == "proposed" and _events(app, pid) == []


def test_decline_with_other_needs_a_note_shown_next_to_the_note_field(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    html = post_form(client, f"/pairings/{pid}/decline", {"reason": "other", "note": "  "}).get_data(as_text=True)
    assert 'id="note-error"' in html
    assert pairing_state(app, pid) == "proposed"


def test_decline_puts_the_mentee_back_in_the_pool(app, client, world, frozen, mailbox):
    pid = _setup(app, world)
    login(client, world.mentor)
    response = post_form(client, f"/pairings/{pid}/decline", {"reason": "no_capacity", "note": "Full this quarter"})
    assert response.status_code == 303
    with app.app_context():
        pairing = db.session.get(Pairing, pid)
        assert pairing.state == "declined" and pairing.decline_reason == "no_capacity"
        assert pairing.decline_note == "Full this quarter" and pairing.answered_at is not None
        seats = db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(
            Pairing.mentee_membership_id == mid(world, world.mentee), Pairing.state.in_(SEAT_STATES)))
        assert seats == 0
    assert _events(app, pid) == [("proposed", "declined", world.mentor.id)]
    assert any(world.mentee.email in m.to for m in outbox(app))


def test_decline_ignores_posted_state_and_owner_fields(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/decline", {
        "reason": "not_a_fit", "state": "active", "mentor_membership_id": "999", "decline_reason": "other"})
    with app.app_context():
        pairing = db.session.get(Pairing, pid)
        assert (pairing.state, pairing.decline_reason, pairing.mentor_membership_id) == (
            "declined", "not_a_fit", mid(world, world.mentor))


def test_an_answered_proposal_cannot_be_answered_again(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/accept", {}, page="/pairings/")
    response = post_form(client, f"/pairings/{pid}/decline", {"reason": "not_a_fit"})
    assert "already been answered" in response.get_data(as_text=True)
    assert pairing_state(app, pid) == "active"


def test_mentee_cannot_answer_their_own_proposal(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentee)
    assert post_form(client, f"/pairings/{pid}/accept", {}, page="/auth/login").status_code == 403
    assert pairing_state(app, pid) == "proposed"


def test_another_mentor_gets_404_and_changes_nothing(app, client, world, make_user, frozen):
    pid = _setup(app, world)
    login(client, world.other_mentor)
    assert post_form(client, f"/pairings/{pid}/accept", {}, page="/auth/login").status_code == 404
    assert pairing_state(app, pid) == "proposed"


def test_mentor_completes_an_active_pairing_but_not_a_proposed_one(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/complete", {}, page="/pairings/")
    assert pairing_state(app, pid) == "proposed"
    post_form(client, f"/pairings/{pid}/accept", {}, page="/pairings/")
    post_form(client, f"/pairings/{pid}/complete", {}, page="/pairings/")
    assert pairing_state(app, pid) == "completed"
    assert _events(app, pid)[-1] == ("active", "completed", world.mentor.id)


def test_mentee_follows_up_and_thanks_after_an_active_pairing_and_the_mentor_is_told(app, client, world, frozen, mailbox):
    pid = _setup(app, world)
    with app.app_context():
        db.session.get(Pairing, pid).state = "active"
        db.session.commit()
    login(client, world.mentee)
    page = f"/mentee/pairings/{pid}"
    response = post_form(client, f"{page}/thanks", {"thanks-body": "<script>alert(1)</script>"}, page=page)
    assert response.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert any(world.mentor.email in m.to and "thanks" in m.subject for m in outbox(app))


def test_followup_needs_a_sentence_and_saves_nothing_when_too_short(app, client, world, frozen):
    from mentormatch.models import FollowUp

    pid = _setup(app, world)
    with app.app_context():
        db.session.get(Pairing, pid).state = "active"
        db.session.commit()
    login(client, world.mentee)
    page = f"/mentee/pairings/{pid}"
    html = post_form(client, f"{page}/followup", {"followup-body": "ok"}, page=page).get_data(as_text=True)
    assert 'id="followup-body-error"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(FollowUp)) == 0


def test_mentee_cannot_follow_up_on_a_proposal_not_yet_accepted(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentee)
    page = f"/mentee/pairings/{pid}"
    response = post_form(client, f"{page}/thanks", {"thanks-body": "thanks"}, page="/mentee/")
    assert response.status_code == 404, "no follow-up page before the mentor has accepted"
