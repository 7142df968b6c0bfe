"""Attacks on data rights (issue 17) and the issue 13/14 finish that HOLD today: kept as regression
tests. What breaks is in test_attack_open.py."""
import csv
import io
import json
import threading

from mentormatch.extensions import db
from mentormatch.models import Event, LoginSession, Membership, OutboxMessage, ProgramCoordinator, User
from mentormatch.services import reminders
from mentormatch.services.data_rights import deletion
from tests.conftest import login, post_form
from tests.web.test_data_rights import _due, _link, _post
from tests.web.test_ending_meetings import pair  # noqa: F401
from tests.web.test_lifecycle_data import add_profile, frozen, mid, send_request  # noqa: F401


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def _ask_and_confirm(app, user) -> None:
    c = _client(app, user)
    assert _post(c, "/account/delete").status_code == 303
    assert post_form(app.test_client(), _link(app, user.email, "Confirm: delete"), {}).status_code == 200


# -- foreign ids and role confusion -----------------------------------------------------------

def test_remove_member_refuses_every_role_but_this_programs_coordinator(app, world):
    target = mid(world, world.mentee)
    url = f"/coordinator/programs/{world.program.id}/people/{target}/remove"
    for user in (world.other_coordinator, world.mentor, world.mentee, world.other_mentee):
        c = _client(app, user)
        assert c.get(url).status_code in (403, 404), user.name
        token_page = "/account/"
        assert _post(c, url, page=token_page).status_code in (403, 404), user.name
    assert app.test_client().post(url).status_code in (302, 400, 403)
    with app.app_context():
        assert db.session.get(Membership, target).removed_at is None


def test_a_coordinator_cannot_remove_another_programs_member_through_their_own_program(app, world):
    foreign = world.other_program.memberships[world.other_mentee.id]
    c = _client(app, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/people/{foreign}/remove"
    assert c.get(url).status_code == 404
    assert _post(c, url).status_code == 404
    with app.app_context():
        assert db.session.get(Membership, foreign).removed_at is None


def test_remove_coordinator_and_end_program_of_another_program_are_404(app, world):
    c = _client(app, world.coordinator)
    base = f"/coordinator/programs/{world.other_program.id}"
    assert _post(c, f"{base}/coordinators/{world.other_coordinator.id}/remove").status_code == 404
    assert _post(c, f"{base}/end").status_code == 404
    assert c.get(f"{base}/audit").status_code == 404
    assert c.get(f"{base}/audit?format=csv").status_code == 404
    # Through their own program, naming a coordinator of another program: nothing happens.
    _post(c, f"/coordinator/programs/{world.program.id}/coordinators/{world.other_coordinator.id}/remove")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgramCoordinator).where(
            ProgramCoordinator.program_id == world.other_program.id)) == 1


def test_members_cannot_read_the_audit_log(app, world):
    for user in (world.mentor, world.mentee):
        c = _client(app, user)
        assert c.get(f"/coordinator/programs/{world.program.id}/audit").status_code in (403, 404)
        assert c.get(f"/coordinator/programs/{world.program.id}/audit?format=csv").status_code in (403, 404)


def test_the_data_export_ignores_an_id_in_the_url(app, world):
    c = _client(app, world.mentee)
    for query in (f"?user_id={world.mentor.id}", f"?u={world.mentor.id}", f"?id={world.other_mentee.id}"):
        data = json.loads(c.get("/account/data.json" + query).get_data(as_text=True))
        assert data["account"]["email"] == world.mentee.email
    assert app.test_client().get("/account/data.json").status_code == 302


# -- hostile input ----------------------------------------------------------------------------

def test_script_in_a_name_is_escaped_in_the_audit_log_and_formula_names_are_neutral_in_csv(app, world, make_user):
    hostile = make_user("mentee", "<script>alert(1)</script>\u202e=HYPERLINK(\"http://evil\")")
    formula_coordinator = make_user("coordinator", "=HYPERLINK(\"http://evil\",\"x\")")
    with app.app_context():
        m = Membership(program_id=world.program.id, user_id=hostile.id)
        db.session.add(m)
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=formula_coordinator.id))
        db.session.commit()
        member_id = m.id
    c = _client(app, formula_coordinator)
    assert post_form(c, f"/coordinator/programs/{world.program.id}/people/{member_id}/remove", {}).status_code == 303
    page = c.get(f"/coordinator/programs/{world.program.id}/audit").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    rows = list(csv.reader(io.StringIO(
        c.get(f"/coordinator/programs/{world.program.id}/audit?format=csv").get_data(as_text=True))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_deletion_links_come_from_public_url_not_the_host_header(app, world):
    from tests.conftest import PASSWORD, csrf_from
    from tests.security.test_host_header import forged_post
    c = app.test_client()
    assert forged_post(c, "/auth/login", {"email": world.mentee.email, "password": PASSWORD}).status_code == 303
    evil = {"base_url": "http://evil.example", "headers": {"X-Forwarded-Host": "evil.example"}}
    token = csrf_from(c.get("/account/", **evil).get_data(as_text=True))
    assert c.post("/account/delete", data={"csrf_token": token}, **evil).status_code == 303
    with app.app_context():
        mails = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == world.mentee.email)).all()
    assert mails and all("evil.example" not in m.body and "http://localhost/account/delete/confirm/" in m.body
                         for m in mails)


# -- tokens -----------------------------------------------------------------------------------

def test_a_confirm_token_cannot_be_used_as_an_undo_token_or_for_someone_else(app, world):
    login_c = _client(app, world.mentee)
    _post(login_c, "/account/delete")
    confirm = _link(app, world.mentee.email, "Confirm: delete")
    token = confirm.rsplit("/", 1)[1]
    assert app.test_client().get(f"/account/delete/undo/{token}").status_code == 404
    assert app.test_client().get(f"/account/delete/confirm/{token[:-2]}xx").status_code == 404
    with app.app_context():
        assert _due(app, world.mentee.id) is None


def test_a_pending_deletion_account_can_still_undo_and_nothing_is_erased_early(app, world, frozen):  # noqa: F811
    _ask_and_confirm(app, world.mentee)
    frozen.advance(days=6)
    with app.app_context():
        assert reminders.run().accounts_erased == []
    c = _client(app, world.mentee)
    assert _post(c, "/account/delete/undo").status_code == 303
    assert _due(app, world.mentee.id) is None
    frozen.advance(days=3)
    with app.app_context():
        reminders.run()
        assert db.session.get(User, world.mentee.id).erased_at is None


# -- after erasure ----------------------------------------------------------------------------

def test_after_erasure_every_session_link_and_name_is_gone(app, world, frozen):  # noqa: F811
    mentor_mid = mid(world, world.mentor)
    add_profile(app, mentor_mid)
    send_request(app, world.mentee, world.program.id, mentor_mid)
    live = [_client(app, world.mentee), _client(app, world.mentee)]
    _ask_and_confirm(app, world.mentee)
    undo = _link(app, world.mentee.email, "will be deleted on")
    frozen.advance(days=7, seconds=1)
    with app.app_context():
        reminders.run()
        assert not db.session.scalars(db.select(LoginSession).where(LoginSession.user_id == world.mentee.id)).all()
        notes = [e.note for e in db.session.scalars(db.select(Event))]
    for c in live:
        assert c.get("/account/data.json").status_code == 302
        assert c.get("/mentee/").status_code == 302
    assert app.test_client().get(undo).status_code == 404
    assert post_form(app.test_client(), undo, {}, page="/auth/login").status_code == 404
    assert all(world.mentee.name not in n for n in notes)
    coordinator = _client(app, world.coordinator)
    audit_csv = coordinator.get(f"/coordinator/programs/{world.program.id}/audit?format=csv").get_data(as_text=True)
    assert world.mentee.name not in audit_csv and world.mentee.email not in audit_csv
    assert "A former member" in audit_csv
    people = coordinator.get(f"/coordinator/programs/{world.program.id}/people").get_data(as_text=True)
    assert world.mentee.name not in people and world.mentee.email not in people
    mentor_home = _client(app, world.mentor).get("/mentor/").get_data(as_text=True)
    assert world.mentee.name not in mentor_home


# -- parallel requests ------------------------------------------------------------------------

def _in_parallel(*calls):
    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_coordinators_removing_the_same_member_at_once_remove_once(app, world, make_user):
    second = make_user("coordinator", "Cleo Second")
    with app.app_context():
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=second.id))
        db.session.commit()
    mentor_mid = mid(world, world.mentor)
    add_profile(app, mentor_mid)
    send_request(app, world.mentee, world.program.id, mentor_mid)
    url = f"/coordinator/programs/{world.program.id}/people/{mentor_mid}/remove"
    clients = [_client(app, world.coordinator), _client(app, second)]
    from tests.conftest import csrf_from
    tokens = [csrf_from(c.get(url).get_data(as_text=True)) for c in clients]
    statuses = _in_parallel(*[(lambda c=c, t=t: c.post(url, data={"csrf_token": t}).status_code)
                              for c, t in zip(clients, tokens, strict=True)])
    assert all(s == 303 for s in statuses), statuses
    with app.app_context():
        removed = db.session.scalars(db.select(Event).where(Event.subject_type == "member",
                                                            Event.to_state == "removed")).all()
        released = db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.to == world.mentee.email, OutboxMessage.subject.contains("not available"))).all()
    assert len(removed) == 1 and len(released) == 1


def test_double_undo_at_once_sends_one_undone_mail_or_refuses_kindly(app, world):
    _ask_and_confirm(app, world.mentee)
    undo = _link(app, world.mentee.email, "will be deleted on")
    from tests.conftest import csrf_from
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_from(c.get(undo).get_data(as_text=True)) for c in clients]
    statuses = _in_parallel(*[(lambda c=c, t=t: c.post(undo, data={"csrf_token": t}).status_code)
                              for c, t in zip(clients, tokens, strict=True)])
    assert all(s in (200, 404) for s in statuses), statuses
    assert _due(app, world.mentee.id) is None
    with app.app_context():
        assert deletion.user_for_token(undo.rsplit("/", 1)[1], "undo") is None


# -- a removed member, an erased member: the pair's thread and meetings -------------------------

def _removed_pair(app, pair):
    from mentormatch.models import Pairing
    from tests.web.test_ending_meetings import _book
    meeting_id = _book(app, Pairing, pair.pairing_id, pair.mentee, pair.mentor)
    mentor = _client(app, pair.mentor)
    assert mentor.get(f"/threads/pairing/{pair.pairing_id}").status_code == 200
    assert mentor.get(f"/meetings/{meeting_id}/invite.ics").status_code == 200
    coordinator = _client(app, pair.coordinator)
    assert post_form(coordinator, f"/coordinator/programs/{pair.program.id}/people/{mid(pair, pair.mentor)}/remove",
                     {}).status_code == 303
    return mentor, meeting_id


def test_a_removed_member_loses_the_pairs_thread_and_meetings_at_once(app, pair):
    from mentormatch.models import Message
    mentor, meeting_id = _removed_pair(app, pair)
    page = "/account/"
    for url in (f"/threads/pairing/{pair.pairing_id}", f"/threads/pairing/{pair.pairing_id}/messages",
                f"/meetings/{meeting_id}", f"/meetings/{meeting_id}/invite.ics"):
        assert mentor.get(url).status_code == 404, url
    for url, data in ((f"/threads/pairing/{pair.pairing_id}/messages", {"body": "still here?"}),
                      (f"/meetings/pairings/{pair.pairing_id}/propose", {"duration": "30"}),
                      (f"/meetings/{meeting_id}/cancel", {}), (f"/meetings/{meeting_id}/met", {"answer": "yes"})):
        assert _post(mentor, url, data, page=page).status_code == 404, url
    with app.app_context():
        assert not db.session.scalars(db.select(Message).where(Message.body == "still here?")).all()


def test_another_programs_coordinator_never_reads_along_even_with_a_report(app, pair):
    from mentormatch.models import MentorReport, Pairing
    from tests.web.test_ending_meetings import _book
    meeting_id = _book(app, Pairing, pair.pairing_id, pair.mentee, pair.mentor)
    with app.app_context():
        db.session.add(MentorReport(program_id=pair.program.id, mentee_membership_id=mid(pair, pair.mentee),
                                    mentor_membership_id=mid(pair, pair.mentor), pairing_id=pair.pairing_id,
                                    note="no answer"))
        db.session.commit()
    outsider = _client(app, pair.other_coordinator)
    for url in (f"/threads/pairing/{pair.pairing_id}", f"/meetings/{meeting_id}", f"/meetings/{meeting_id}/invite.ics"):
        assert outsider.get(url).status_code == 404, url
    for stranger in (pair.other_mentor, pair.other_mentee):
        assert _client(app, stranger).get(f"/meetings/{meeting_id}/invite.ics").status_code == 404
    assert _client(app, pair.coordinator).get(f"/meetings/{meeting_id}").status_code == 200
    assert _post(_client(app, pair.coordinator), f"/threads/pairing/{pair.pairing_id}/messages",
                 {"body": "coordinator writes"}).status_code in (403, 404)


def test_the_ics_after_erasure_names_nobody(app, pair):
    from mentormatch.core import clock
    from mentormatch.models import Pairing
    from tests.web.test_ending_meetings import _book
    meeting_id = _book(app, Pairing, pair.pairing_id, pair.mentee, pair.mentor)
    old = {pair.mentor.email, pair.mentor.name}
    _ask_and_confirm(app, pair.mentor)
    clock.advance(days=7, seconds=1)
    with app.app_context():
        reminders.run()
        leftovers = [m for m in db.session.scalars(db.select(OutboxMessage))
                     if any(o in (m.body + m.subject + (m.html or "") + json.dumps(m.attachments or [])) for o in old)]
    assert leftovers == []
    mentee = _client(app, pair.mentee)
    ics = mentee.get(f"/meetings/{meeting_id}/invite.ics")
    if ics.status_code == 200:
        assert all(o not in ics.get_data(as_text=True) for o in old)
    page = mentee.get(f"/pairings/{pair.pairing_id}").get_data(as_text=True)
    assert all(o not in page for o in old)


def test_an_erased_account_cannot_log_in_or_reset_under_its_placeholder_address(app, world, frozen):  # noqa: F811
    from tests.conftest import PASSWORD
    _ask_and_confirm(app, world.mentee)
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        placeholder = db.session.get(User, world.mentee.id).email
        before = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))
    for email in (placeholder, world.mentee.email):
        assert post_form(app.test_client(), "/auth/login", {"email": email, "password": PASSWORD}).status_code != 303
        post_form(app.test_client(), "/auth/reset", {"email": email})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == before


def test_hostile_ids_and_filters_answer_404_or_400_never_500(app, world):
    c = _client(app, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}"
    for url in (f"{base}/people/99999999999999/remove", "/coordinator/programs/99999999999999/audit",
                f"{base}/audit?actor=99999999999999999999", f"{base}/audit?since=" + "9" * 5000,
                f"{base}/audit?kind=%00", f"{base}/audit?until=2026-01-01%00"):
        assert c.get(url).status_code in (400, 404), url
    assert _post(c, f"{base}/coordinators/99999999999999/remove").status_code in (303, 404)
