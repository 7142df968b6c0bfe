"""Data rights (issue 17, items 3-4): export, account deletion with its grace period and undo,
a member removed by a coordinator, co-coordinators, the audit log and retention, on the
controlled clock (core/clock). The column-by-column erasure check is test_data_rights_erase.py."""
import csv
import io
import json
import re
from datetime import timedelta

import pytest

from mentormatch.core import answer_links
from mentormatch.extensions import db
from mentormatch.models import (
    Event,
    GoalForm,
    Membership,
    Message,
    MicroRequest,
    OutboxMessage,
    Pairing,
    Program,
    ProgramCoordinator,
    User,
)
from mentormatch.services import reminders
from mentormatch.services.answers.release import RELEASED
from mentormatch.services.data_rights import retention
from tests.conftest import PASSWORD, csrf_from, login, post_form
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, frozen, mid, send_request  # noqa: F401

LINK = re.compile(r"http://localhost(/account/delete/(?:confirm|undo)/\S+)")


def _mail_to(app, email: str, subject_part: str) -> OutboxMessage:
    with app.app_context():
        rows = list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == email)
                                       .order_by(OutboxMessage.id)))
        matching = [r for r in rows if subject_part in r.subject]
        assert matching, [r.subject for r in rows]
        db.session.expunge_all()
        return matching[-1]


def _link(app, email: str, subject_part: str) -> str:
    return LINK.search(_mail_to(app, email, subject_part).body).group(1)


def _post(client, url: str, data=None, page: str = "/account/"):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def _due(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).deletion_due_at


# -- export -----------------------------------------------------------------------------------

def test_a_person_exports_their_own_data_and_nobody_elses(app, client, world):
    add_goal(app, mid(world, world.mentee), near_term_goal="Learn to negotiate my salary")
    add_goal(app, world.other_program.memberships[world.other_mentee.id], near_term_goal="Someone else's secret goal")
    login(client, world.mentee)
    response = client.get("/account/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["format"] == "mentormatch-personal-data" and data["account"]["email"] == world.mentee.email
    assert "password_hash" not in data["account"]
    goals = next(s for s in data["sections"] if s["table"] == "goal_forms")["rows"]
    assert [g["near_term_goal"] for g in goals] == ["Learn to negotiate my salary"]
    assert [m["program"] for m in data["memberships"]] == ["Main program"]
    page = client.get("/account/data").get_data(as_text=True)
    assert "Learn to negotiate my salary" in page and "Someone else" not in page
    assert "Someone else" not in response.get_data(as_text=True)


# -- deletion ---------------------------------------------------------------------------------

def test_deletion_confirmed_by_email_undone_twice_then_erased_after_the_grace_period(
        app, client, world, frozen):  # noqa: F811
    mentee, mentor = world.mentee, world.mentor
    add_profile(app, mid(world, mentor))
    request_id = send_request(app, mentee, world.program.id, mid(world, mentor))
    login(client, mentor)
    assert _post(client, "/account/delete").status_code == 303
    assert _due(app, mentor.id) is None, "nothing changes before the email's link is followed"
    confirm = _link(app, mentor.email, "Confirm: delete")
    assert "Yes, delete my account" in app.test_client().get(confirm).get_data(as_text=True)
    outsider = app.test_client()
    assert outsider.post(confirm.replace("confirm/", "confirm/x")).status_code in (400, 404)
    assert post_form(app.test_client(), confirm, {}).status_code == 200
    assert _due(app, mentor.id) == frozen.now() + timedelta(days=7)
    assert app.test_client().get(confirm).status_code == 404, "a confirm link confirms once"
    # Undo 1: the link in the email (a page with a button).
    undo = _link(app, mentor.email, "will be deleted on")
    assert post_form(app.test_client(), undo, {}).status_code == 200
    assert _due(app, mentor.id) is None
    assert app.test_client().get(undo).status_code == 404, "an undo link undoes the deletion it was sent for"
    # Undo 2: the button on the account page, while logged in.
    _post(client, "/account/delete")
    post_form(app.test_client(), _link(app, mentor.email, "Confirm: delete"), {})
    assert "Keep my account" in client.get("/account/").get_data(as_text=True)
    assert _post(client, "/account/delete/undo").status_code == 303 and _due(app, mentor.id) is None
    # For real this time.
    _post(client, "/account/delete")
    post_form(app.test_client(), _link(app, mentor.email, "Confirm: delete"), {})
    with app.app_context():
        item = db.session.get(MicroRequest, request_id)
        answer_url = answer_links.action_url(db.session.get(User, mentor.id), "request", item.id, "accept")
    frozen.advance(days=7, seconds=1)
    with app.app_context():
        assert reminders.run().accounts_erased == [f"user {mentor.id}"]
        erased = db.session.get(User, mentor.id)
        assert erased.name == "A former member" and erased.email != mentor.email
        item = db.session.get(MicroRequest, request_id)
        assert (item.state, item.decline_reason) == ("declined", RELEASED), "what waited on them is released"
    released = _mail_to(app, mentee.email, "is not available right now")
    assert "A former member" in released.subject and mentor.name not in released.body
    # Sessions ended, cannot log in, cannot reset, no link reaches it.
    assert client.get("/account/").status_code == 302
    login_page = post_form(app.test_client(), "/auth/login", {"email": mentor.email, "password": PASSWORD})
    assert login_page.status_code != 303
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))
    post_form(app.test_client(), "/auth/reset", {"email": mentor.email})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == before
    assert app.test_client().get(answer_url.replace("http://localhost", "")).status_code in (400, 404, 410)
    assert app.test_client().get(undo).status_code == 404
    # The mentee's side: the request is still in their list, the mentor shown as a former member.
    mentee_client = app.test_client()
    login(mentee_client, mentee)
    assert "A former member" in mentee_client.get(f"/requests/{request_id}").get_data(as_text=True)


def test_the_only_coordinator_of_a_program_cannot_delete_their_account(app, client, world):
    login(client, world.coordinator)
    response = _post(client, "/account/delete")
    assert response.status_code == 303
    assert "Appoint another coordinator first" in client.get("/account/").get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == world.coordinator.email)).all()


# -- removing a member ------------------------------------------------------------------------

def test_a_removed_mentor_releases_what_waits_and_loses_access(app, client, world, frozen):  # noqa: F811
    mentor_mid = mid(world, world.mentor)
    add_profile(app, mentor_mid)
    request_id = send_request(app, world.mentee, world.program.id, mentor_mid)
    active = add_pairing(app, world.program.id, mid(world, world.mentee), mentor_mid, state="active")
    mentor_client = app.test_client()
    login(mentor_client, world.mentor)
    assert mentor_client.get(f"/requests/{request_id}").status_code == 200
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/people/{mentor_mid}/remove"
    assert "Remove from the program" in client.get(url).get_data(as_text=True)
    assert post_form(client, url, {}).status_code == 303
    with app.app_context():
        item = db.session.get(MicroRequest, request_id)
        assert (item.state, item.decline_reason) == ("declined", RELEASED)
        pairing = db.session.get(Pairing, active)
        assert pairing.state == "ended_early" and pairing.end_reason
        assert db.session.get(Membership, mentor_mid).removed_at == frozen.now()
        events = db.session.scalars(db.select(Event).where(Event.subject_type == "member")).all()
        assert [(e.subject_id, e.to_state, e.actor_user_id) for e in events] == [
            (mentor_mid, "removed", world.coordinator.id)]
    assert "Milo Mentor is not available right now" in _mail_to(app, world.mentee.email, "not available").subject
    assert _mail_to(app, world.mentee.email, "has ended").body
    # No access to the program any more; their other data (the account) is untouched.
    assert mentor_client.get(f"/requests/{request_id}").status_code == 404
    assert "Main program" not in mentor_client.get("/mentor/").get_data(as_text=True)
    # The coordinator's people list no longer counts them; removing twice is refused, kindly.
    again = post_form(client, url, {}, page=f"/coordinator/programs/{world.program.id}/people/{mentor_mid}")
    assert again.status_code == 303
    assert "already been removed" in client.get(again.headers["Location"]).get_data(as_text=True)
    # Joining again through the invite link is refused.
    response = post_form(mentor_client, f"/join/{world.program.mentor_invite}", {})
    assert response.status_code == 200 and "A coordinator removed you" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membership, mentor_mid).removed_at is not None


def test_a_removed_mentee_has_their_pending_request_withdrawn(app, client, world):
    mentor_mid, mentee_mid = mid(world, world.mentor), mid(world, world.mentee)
    add_profile(app, mentor_mid)
    request_id = send_request(app, world.mentee, world.program.id, mentor_mid)
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/people/{mentee_mid}/remove", {})
    with app.app_context():
        assert db.session.get(MicroRequest, request_id).state == "cancelled"
    mentee_client = app.test_client()
    login(mentee_client, world.mentee)
    assert mentee_client.get(f"/requests/{request_id}").status_code == 404


# -- co-coordinators --------------------------------------------------------------------------

def test_co_coordinators_are_listed_and_removed_but_never_the_last(app, client, world, make_user):
    second = make_user("coordinator", "Cleo Second")
    with app.app_context():
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=second.id))
        db.session.commit()
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}"
    assert "Cleo Second" in client.get(page).get_data(as_text=True)
    remove = f"/coordinator/programs/{world.program.id}/coordinators/{second.id}/remove"
    assert post_form(client, remove, {}, page=page).status_code == 303
    second_client = app.test_client()
    login(second_client, second)
    assert second_client.get(page).status_code == 404, "a removed co-coordinator loses the program"
    last = f"/coordinator/programs/{world.program.id}/coordinators/{world.coordinator.id}/remove"
    response = post_form(client, last, {}, page=page)
    assert "at least one coordinator" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgramCoordinator).where(
            ProgramCoordinator.program_id == world.program.id)) == 1


# -- audit log --------------------------------------------------------------------------------

def test_the_audit_log_filters_and_exports_csv(app, client, world, frozen):  # noqa: F811
    mentor_mid = mid(world, world.mentor)
    add_profile(app, mentor_mid)
    send_request(app, world.mentee, world.program.id, mentor_mid)
    frozen.advance(days=3)
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/people/{mentor_mid}/remove", {})
    with app.app_context():
        db.session.add(Event(program_id=world.other_program.id, subject_type="member", subject_id=1,
                             to_state="removed", note="=other program secret", at=frozen.now()))
        db.session.commit()
    base = f"/coordinator/programs/{world.program.id}/audit"
    page = client.get(base).get_data(as_text=True)
    assert "Cora Coordinator" in page and "member → removed" in page.replace("member → removed", "member → removed")
    assert "other program secret" not in page
    only_members = client.get(base + "?kind=member").get_data(as_text=True)
    assert "removed" in only_members and "request " not in only_members
    day = frozen.now().date()
    earlier = client.get(f"{base}?until={(day - timedelta(days=1)).isoformat()}").get_data(as_text=True)
    assert "removed" not in earlier and "open" in earlier
    by_actor = client.get(f"{base}?actor={world.coordinator.id}").get_data(as_text=True)
    assert "Cora Coordinator" in by_actor and "the system" not in by_actor
    response = client.get(f"{base}?kind=member&format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["at", "actor", "kind", "subject", "what", "note"]
    assert [r[1:4] for r in rows[1:]] == [["Cora Coordinator", "member", "member: Milo Mentor"]]
    bad = client.get(f"{base}?since=2026-13-45&until=2026-01-01")
    assert bad.status_code == 400 and "Not a valid date" in bad.get_data(as_text=True)
    reversed_range = client.get(f"{base}?since=2026-05-01&until=2026-01-01")
    assert reversed_range.status_code == 400 and "before the start date" in reversed_range.get_data(as_text=True)
    assert client.get(f"{base}?actor=999999").status_code == 400
    assert client.get(f"{base}?kind=nope").status_code == 400


# -- retention --------------------------------------------------------------------------------

@pytest.mark.parametrize("app", [{"RETENTION_DAYS": 30}], indirect=True)
def test_retention_reports_first_then_anonymises_an_ended_program(app, client, world, frozen):  # noqa: F811
    mentee_mid, mentor_mid = mid(world, world.mentee), mid(world, world.mentor)
    add_goal(app, mentee_mid, near_term_goal="A goal that should not outlive the program")
    add_goal(app, world.other_program.memberships[world.other_mentee.id], near_term_goal="Another program's goal stays")
    pairing = add_pairing(app, world.program.id, mentee_mid, mentor_mid, state="active")
    with app.app_context():
        db.session.add(Message(program_id=world.program.id, pairing_id=pairing, author_membership_id=mentee_mid,
                               body="Private words"))
        db.session.commit()
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/end", {},
              page=f"/coordinator/programs/{world.program.id}")
    frozen.advance(days=29)
    with app.app_context():
        assert retention.run(dry_run=True).programs == [], "not before the retention period"
    frozen.advance(days=1, seconds=1)
    with app.app_context():
        dry = retention.run(dry_run=True)
        assert [(name, members) for name, members, _ in dry.programs] == [("Main program", 2)]
        assert "would anonymise 1 ended program" in dry.summary()
        assert db.session.scalar(db.select(GoalForm.near_term_goal).where(GoalForm.membership_id == mentee_mid)) \
            == "A goal that should not outlive the program", "a dry run changes nothing"
        report = reminders.run()
        assert report.programs_anonymised == ["Main program"]
        assert db.session.scalar(db.select(GoalForm.near_term_goal).where(GoalForm.membership_id == mentee_mid)) == ""
        assert db.session.scalar(db.select(Message.body).where(Message.pairing_id == pairing)) == "(removed)"
        assert db.session.get(Program, world.program.id).anonymised_at == frozen.now()
        assert db.session.scalar(db.select(GoalForm.near_term_goal).where(
            GoalForm.membership_id == world.other_program.memberships[world.other_mentee.id])) == "Another program's goal stays"
        assert db.session.get(Pairing, pairing) is not None, "the figures stay"
        assert retention.run().programs == [], "once"


def test_retention_is_off_unless_configured_and_refuses_a_bad_setting(app):
    with app.app_context():
        assert "Retention is off" in retention.run(dry_run=True).summary()
        app.config["RETENTION_DAYS"] = "soon"
        with pytest.raises(ValueError, match="whole number"):
            retention.run(dry_run=True)


def test_an_erased_account_appears_in_no_program(app, client, world, frozen):  # noqa: F811
    with app.app_context():
        db.session.add(Membership(program_id=world.other_program.id, user_id=world.mentor.id))
        db.session.commit()
    other_people = f"/coordinator/programs/{world.other_program.id}/people"
    login(client, world.other_coordinator)
    assert world.mentor.name in client.get(other_people).get_data(as_text=True), "there before"
    with app.app_context():
        db.session.get(User, world.mentor.id).deletion_due_at = frozen.now()
        db.session.commit()
        reminders.run()
        assert all(m.removed_at is not None for m in db.session.scalars(
            db.select(Membership).where(Membership.user_id == world.mentor.id)))
    for page in (other_people, f"/coordinator/programs/{world.other_program.id}"):
        html = client.get(page).get_data(as_text=True)
        assert world.mentor.name not in html and "A former member" not in html, page


@pytest.mark.parametrize("app", [{"RETENTION_DAYS": 0}], indirect=True)
def test_the_retention_command_reports_on_a_dry_run_and_changes_nothing(app, client, world):
    add_goal(app, mid(world, world.mentee), near_term_goal="Still here after the dry run")
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/end", {},
              page=f"/coordinator/programs/{world.program.id}")
    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0 and "would anonymise 1 ended program(s)" in result.output
    assert "Main program: 2 member(s)" in result.output
    with app.app_context():
        assert db.session.get(Program, world.program.id).anonymised_at is None
        assert db.session.scalar(db.select(GoalForm.near_term_goal)) == "Still here after the dry run"
    result = app.test_cli_runner().invoke(args=["retention"])
    assert "anonymised 1 ended program(s)" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(GoalForm.near_term_goal)) == ""


def test_two_coordinators_removing_the_same_member_at_once_remove_and_release_once(app, world, make_user):
    from tests.security.test_races import race

    mentor_mid = mid(world, world.mentor)
    add_profile(app, mentor_mid)
    request_id = send_request(app, world.mentee, world.program.id, mentor_mid)
    second = make_user("coordinator", "Cleo Second")
    with app.app_context():
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=second.id))
        db.session.commit()
    coordinators = [world.coordinator.id, second.id]

    def action(i, barrier):
        from mentormatch.services.data_rights import members

        program, member = db.session.get(Program, world.program.id), db.session.get(Membership, mentor_mid)
        actor = db.session.get(User, coordinators[i])
        _ = member.user.role
        barrier.wait()
        members.remove(program, member, actor)
        return "removed"

    outcomes = race(app, 2, action)
    assert sorted(outcomes) == ["This person has already been removed from the program.", "removed"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Event).where(
            Event.subject_type == "member", Event.to_state == "removed")) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(Event).where(
            Event.subject_type == "request", Event.subject_id == request_id, Event.to_state == "declined")) == 1
        assert len(db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.to == world.mentee.email, OutboxMessage.subject.contains("not available"))).all()) == 1


def test_the_program_page_title_is_only_the_programs_name(app, client, world):
    """The "Ending the program" section once landed inside the title block too."""
    login(client, world.coordinator)
    page = client.get(f"/coordinator/programs/{world.program.id}").get_data(as_text=True)
    assert re.search(r"<title>(.*?)</title>", page, re.S).group(1) == f"{world.program.name} · MentorMatch"
    assert page.count('id="program-end"') == 1
