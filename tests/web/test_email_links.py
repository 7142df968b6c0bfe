"""Answer from the email: links signed for one person, item and action; a GET only shows a
confirmation page; the POST works once; used, expired or tampered links change nothing."""
import re
from urllib.parse import urlparse

from mentormatch.core import answer_links, clock
from mentormatch.extensions import db
from mentormatch.models import MentorProfile, Pairing, UsedEmailToken, User
from mentormatch.services import reminders
from mentormatch.services.answers import email_links
from tests.conftest import csrf_from, login, post_form
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

LINK_RE = re.compile(r"(http://localhost/pairings/by-email/[\w.\-]+)")


def _link(app, user_id, kind, item_id, action) -> str:
    with app.test_request_context():
        url = answer_links.action_url(db.session.get(User, user_id), kind, item_id, action)
    return urlparse(url).path


def _pairing(app, w):
    add_profile(app, mid(w, w.mentor))
    return add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor))


def _used(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(UsedEmailToken))


def test_opening_a_link_shows_one_button_and_changes_nothing(app, client, world, frozen):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "accept")
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert world.mentee.name in html and f"Answering as <strong>{world.mentor.name}</strong>" in html
    main = html.split('<main', 1)[1].split('</main>', 1)[0]  # the footer's language menu is a form of its own
    assert main.count('type="submit"') == 1 and main.count('method="post"') == 1  # one form, one button
    assert pairing_state(app, pid) == "proposed" and _used(app) == 0


def test_accept_by_link_without_logging_in_then_the_link_is_spent(app, client, world, frozen, mailbox):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "accept")
    response = post_form(client, path, {})
    assert response.status_code == 200 and "Accepted" in response.get_data(as_text=True)
    assert pairing_state(app, pid) == "active" and _used(app) == 1
    assert any(world.mentee.email in m.to and "accepted" in m.subject for m in outbox(app))
    again = client.get(path)
    assert again.status_code == 410 and "already used" in again.get_data(as_text=True)
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    replay = client.post(path, data={"csrf_token": token})
    assert replay.status_code == 410 and pairing_state(app, pid) == "active" and _used(app) == 1


def test_an_expired_link_gets_a_clear_page_and_changes_nothing(app, client, world, frozen):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "accept")
    clock.advance(days=7, seconds=5)
    response = client.get(path)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 410
    assert pairing_state(app, pid) == "proposed" and _used(app) == 0


def test_a_link_still_works_just_before_it_expires(app, client, world, frozen):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "accept")
    clock.advance(days=6, hours=23)
    assert post_form(client, path, {}).status_code == 200
    assert pairing_state(app, pid) == "active"


def test_a_tampered_link_is_refused_and_changes_nothing(app, client, world, frozen):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "accept")
    token = path.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest
    response = client.get(f"/pairings/by-email/{forged}")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)
    csrf = csrf_from(client.get("/auth/login").get_data(as_text=True))
    assert client.post(f"/pairings/by-email/{forged}", data={"csrf_token": csrf}).status_code == 400
    assert pairing_state(app, pid) == "proposed"


def test_a_link_signed_with_another_key_or_salt_is_refused(app, client, world, frozen):
    from itsdangerous import URLSafeTimedSerializer

    pid = _pairing(app, world)
    for secret, salt in (("other-secret", answer_links.SALT), ("test-secret", "password-reset")):
        token = URLSafeTimedSerializer(secret, salt=salt).dumps(
            {"u": world.mentor.id, "k": "pairing", "i": pid, "a": "accept", "j": "x" * 32})
        assert client.get(f"/pairings/by-email/{token}").status_code == 400
    assert pairing_state(app, pid) == "proposed"


def test_a_link_is_bound_to_its_person(app, client, world, frozen):
    """A link made for another mentor (say, forwarded from their inbox) cannot answer this pairing."""
    pid = _pairing(app, world)
    path = _link(app, world.other_mentor.id, "pairing", pid, "accept")
    assert client.get(path).status_code == 400
    assert pairing_state(app, pid) == "proposed"


def test_a_link_is_bound_to_its_action(app, client, world, frozen):
    """A decline link declines (with a reason); it never accepts, whatever is posted."""
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "decline")
    html = post_form(client, path, {"action": "accept"}).get_data(as_text=True)
    assert 'id="reason-error"' in html
    assert pairing_state(app, pid) == "proposed" and _used(app) == 0  # bad input: the link stays usable
    response = post_form(client, path, {"reason": "no_capacity", "state": "active"})
    assert response.status_code == 200 and pairing_state(app, pid) == "declined"


def test_decline_by_link_can_pause_the_mentor_in_the_same_step(app, client, world, frozen):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "decline")
    post_form(client, path, {"reason": "no_capacity", "pause": "off"})
    assert pairing_state(app, pid) == "declined"
    with app.app_context():
        assert db.session.scalar(db.select(MentorProfile.available).where(
            MentorProfile.membership_id == mid(world, world.mentor))) is False


def test_ask_for_info_by_link(app, client, world, frozen, mailbox):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "info")
    assert post_form(client, path, {"question": "What would you like to get out of this?"}).status_code == 200
    assert pairing_state(app, pid) == "info_requested"
    assert any(world.mentee.email in m.to for m in outbox(app))


def test_a_link_for_an_item_already_answered_changes_nothing(app, client, world, frozen):
    pid = _pairing(app, world)
    accept = _link(app, world.mentor.id, "pairing", pid, "accept")
    decline = _link(app, world.mentor.id, "pairing", pid, "decline")
    mentor = app.test_client()
    login(mentor, world.mentor)
    post_form(mentor, f"/pairings/{pid}/accept", {}, page="/pairings/")
    assert client.get(decline).status_code == 409 and client.get(accept).status_code == 409
    assert pairing_state(app, pid) == "active" and _used(app) == 0


def test_posting_without_the_forms_csrf_token_is_refused(app, client, world, frozen):
    pid = _pairing(app, world)
    path = _link(app, world.mentor.id, "pairing", pid, "accept")
    assert client.post(path, data={}).status_code == 400
    assert pairing_state(app, pid) == "proposed" and _used(app) == 0


def test_request_accept_by_link(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    path = _link(app, world.mentor.id, "request", rid, "accept")
    assert "Which of my 5 slides" in client.get(path).get_data(as_text=True)
    assert post_form(client, path, {}).status_code == 200
    assert request_state(app, rid) == "accepted"


def test_request_and_reminder_emails_carry_the_three_links(app, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    app.config["SERVER_NAME"] = "localhost"
    with app.app_context():
        from mentormatch.models import Membership, Program
        from mentormatch.services import micro_requests
        micro_requests.send(db.session.get(User, world.mentee.id), db.session.get(Program, world.program.id),
                            db.session.get(Membership, mid(world, world.mentor)),
                            {"kind": "call15", "question": "Which of my 5 slides loses you first?"})
    clock.advance(days=4)
    with app.app_context():
        assert f"pairing {pid}" in reminders.run().reminded
    mails = [m for m in outbox(app) if world.mentor.email in m.to]
    assert len(mails) >= 2
    for mail in mails:
        links = LINK_RE.findall(mail.body)
        assert len(links) >= 3, mail.body
        assert all(client_path.startswith("http://localhost/pairings/by-email/") for client_path in links)


def test_the_round_proposal_email_carries_links_for_each_mentee(app, world, frozen, mailbox):
    from mentormatch.models.rounds import Round, RunPair, SolveRun
    from mentormatch.services.rounds import publish
    from tests.web.test_rounds_support import make_round, small_world

    people = small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    app.config["SERVER_NAME"] = "localhost"
    with app.app_context():
        r = db.session.get(Round, rid)
        run = SolveRun(round_id=rid, status="done", kind="full", pair_count=1)
        db.session.add(run)
        db.session.flush()
        db.session.add(RunPair(run_id=run.id, mentee_membership_id=people.ids["Cy Mentee"],
                               mentor_membership_id=people.ids["Ada Mentor"], mentee_name="Cy Mentee",
                               mentor_name="Ada Mentor", score=80))
        r.state = "proposed"
        db.session.commit()
        publish.approve_round(r, db.session.get(User, world.coordinator.id))
        pid = db.session.scalar(db.select(Pairing.id).where(Pairing.round_id == rid))
    mail = [m for m in outbox(app) if people.emails["Ada Mentor"] in m.to][0]
    links = LINK_RE.findall(mail.body)
    assert len(links) == 3 and "Cy Mentee:" in mail.body
    with app.test_request_context():
        link = email_links.read(urlparse(links[0]).path.rsplit("/", 1)[1])
        assert link.item.id == pid and link.action == "accept" and link.user.id == people.users["Ada Mentor"].id
