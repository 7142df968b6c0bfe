"""Attacks on data rights (issue 17) that broke before their mends: each test failed then. The
attacks that held from the start live in test_attack_data_rights.py."""
import re
from datetime import date

from mentormatch.extensions import db
from mentormatch.models import OutboxMessage, ProgramCoordinator, User
from mentormatch.services import reminders
from tests.conftest import csrf_from, login, post_form
from tests.web.test_data_rights import _due, _link, _post
from tests.web.test_ending_meetings import pair  # noqa: F401
from tests.web.test_lifecycle_data import frozen  # noqa: F401


def _ask_and_confirm(app, user) -> None:
    client = app.test_client()
    login(client, user)
    assert _post(client, "/account/delete").status_code == 303
    assert post_form(app.test_client(), _link(app, user.email, "Confirm: delete"), {}).status_code == 200
    assert _due(app, user.id) is not None


def test_two_co_coordinators_cannot_both_delete_and_leave_the_program_with_no_coordinator(
        app, world, make_user, frozen):  # noqa: F811
    """Once one co-coordinator waits for deletion, the other is the last one staying: their own
    request is refused in words, and the program keeps a coordinator after the erasure."""
    second = make_user("coordinator", "Cleo Second")
    with app.app_context():
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=second.id))
        db.session.commit()
    _ask_and_confirm(app, world.coordinator)
    client = app.test_client()
    login(client, second)
    page = client.post("/account/delete", data={"csrf_token": csrf_from(client.get("/account/data").get_data(
        as_text=True))}, follow_redirects=True).get_data(as_text=True)
    assert "Appoint another coordinator first" in page
    assert _due(app, second.id) is None
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        left = db.session.scalar(db.select(db.func.count()).select_from(ProgramCoordinator).where(
            ProgramCoordinator.program_id == world.program.id))
    assert left == 1, "the program was left with no coordinator at all"


def test_an_old_confirm_link_deletes_again_after_the_person_pressed_undo(app, world, frozen):  # noqa: F811
    """Undo means "keep my account"; the confirm mail's link (valid 2 days) re-arms the deletion
    because user_for_token only refuses a confirm link while a deletion is already due."""
    mentee = world.mentee
    client = app.test_client()
    login(client, mentee)
    _post(client, "/account/delete")
    confirm = _link(app, mentee.email, "Confirm: delete")
    post_form(app.test_client(), confirm, {})
    assert _post(client, "/account/delete/undo").status_code == 303 and _due(app, mentee.id) is None
    frozen.advance(hours=1)
    replay = app.test_client().get(confirm)
    assert replay.status_code == 404, "the confirm link still works after undo"


def test_erasing_a_short_name_deletes_other_peoples_unsent_mail(app, world, make_user, make_program, frozen):  # noqa: F811
    """erase.erase_user deletes every outbox row whose body/subject CONTAINS the name (a LIKE, and
    unescaped): a member called "Ann" takes a stranger's pending "Annual ..." mail with them."""
    ann = make_user("mentee", "Ann")
    make_program(world.other_coordinator, "Ann's program", [ann])
    with app.app_context():
        db.session.add(OutboxMessage(program_id=world.other_program.id, to=world.other_mentee.email,
                                     subject="Annual check-in", body="Annual check-in for Other program."))
        db.session.commit()
    _ask_and_confirm(app, ann)
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        assert db.session.get(User, ann.id).erased_at is not None
        kept = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == world.other_mentee.email)).all()
    assert [m.subject for m in kept] == ["Annual check-in"], "a stranger's mail was deleted with Ann's account"


def test_erasing_a_name_with_a_percent_sign_deletes_the_whole_outbox(app, world, make_user, make_program, frozen):  # noqa: F811
    """The same LIKE without escaping: a name of "%" matches every message of every program."""
    joker = make_user("mentee", "%")
    make_program(world.other_coordinator, "Joker's program", [joker])
    with app.app_context():
        db.session.add(OutboxMessage(program_id=world.other_program.id, to=world.other_mentee.email,
                                     subject="Your meeting", body="See you on Tuesday."))
        db.session.commit()
    _ask_and_confirm(app, joker)
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        kept = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == world.other_mentee.email)).all()
    assert [m.subject for m in kept] == ["Your meeting"], "the whole outbox went with an account named '%'"


def test_a_mentors_data_export_shows_the_mentees_report_about_them(app, world):
    """personal.py lists MentorReport by mentor_membership_id ("Reports about me"), and export.collect
    dumps every column: the reported mentor reads who reported them (mentee_membership_id) and the
    note the mentee wrote for the coordinator."""
    from mentormatch.models import MentorReport
    from tests.web.test_lifecycle_data import mid
    with app.app_context():
        db.session.add(MentorReport(program_id=world.program.id, mentee_membership_id=mid(world, world.mentee),
                                    mentor_membership_id=mid(world, world.mentor),
                                    note="He never answers; please do not tell him it was me"))
        db.session.commit()
    c = app.test_client()
    login(c, world.mentor)
    body = c.get("/account/data.json").get_data(as_text=True)
    page = c.get("/account/data").get_data(as_text=True)
    assert "please do not tell him" not in body and "please do not tell him" not in page


def test_undo_racing_the_erasure_mails_the_erased_address_and_claims_the_account_is_kept(app, world, frozen):  # noqa: F811
    """The undo page's POST loads the user (user_for_token), the scheduled erasure commits, then
    deletion.undo runs on the stale row: it is not a conditional update (no erased_at check), so it
    queues "your account will not be deleted" to the old, erased address."""
    from mentormatch.services.data_rights import deletion
    _ask_and_confirm(app, world.mentee)
    undo = _link(app, world.mentee.email, "will be deleted on")
    frozen.advance(days=7, seconds=1)
    with app.app_context():
        user = deletion.user_for_token(undo.rsplit("/", 1)[1], "undo")
        assert user is not None, "the link is valid just before the erasure"
        with app.app_context():  # the scheduler's own session, committed in between
            reminders.run()
        try:
            deletion.undo(user)
        except Exception:  # noqa: BLE001 - refusing is the right outcome
            db.session.rollback()
    with app.app_context():
        erased = db.session.get(User, world.mentee.id)
        after = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == world.mentee.email)).all()
        assert erased.erased_at is not None
    assert after == [], "mail to the erased address after the erasure: " + ", ".join(m.subject for m in after)


def test_removing_a_member_leaves_their_booked_meeting_in_both_calendars(app, pair):
    """Every ending must call the pair's meetings off (meetings.call_off, reached through
    lifecycle._ended); data_rights/members.end_mentorships ends the pairing with its own move() and
    never calls it, so the removed member's booked meeting stays "booked" and no cancellation goes out."""
    from mentormatch.models import Meeting, Pairing
    from tests.web.test_ending_meetings import _book
    from tests.web.test_lifecycle_data import mid
    w = pair
    meeting_id = _book(app, Pairing, w.pairing_id, w.mentee, w.mentor)
    c = app.test_client()
    login(c, w.coordinator)
    assert post_form(c, f"/coordinator/programs/{w.program.id}/people/{mid(w, w.mentor)}/remove", {}).status_code == 303
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).state == "cancelled", "the meeting is still booked"


def test_an_erased_account_leaves_its_booked_meeting_in_both_calendars(app, pair):
    """The same through erasure (deletion._leave_programs -> members.end_mentorships)."""
    from mentormatch.core import clock
    from mentormatch.models import Meeting, Pairing
    from tests.web.test_ending_meetings import _book
    w = pair
    meeting_id = _book(app, Pairing, w.pairing_id, w.mentee, w.mentor, day=date(2026, 4, 9))
    _ask_and_confirm(app, w.mentor)
    clock.advance(days=7, seconds=1)  # the meeting is still 13 days ahead
    with app.app_context():
        reminders.run()
        meeting = db.session.get(Meeting, meeting_id)
        assert db.session.get(Pairing, w.pairing_id).state == "ended_early"
        assert meeting.starts_at > clock.now() and meeting.state == "cancelled", meeting.state


def test_a_coordinator_waiting_for_deletion_can_remove_the_last_other_coordinator(app, world, make_user, frozen):  # noqa: F811
    """programs_end.remove_coordinator counts coordinators due for deletion as staying: A asks to be
    deleted (allowed, B is there), then removes B; the erasure leaves the program with nobody."""
    second = make_user("coordinator", "Cleo Second")
    with app.app_context():
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=second.id))
        db.session.commit()
    _ask_and_confirm(app, world.coordinator)
    c = app.test_client()
    login(c, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}"
    post_form(c, f"{page}/coordinators/{second.id}/remove", {}, page=page)
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        left = db.session.scalar(db.select(db.func.count()).select_from(ProgramCoordinator).where(
            ProgramCoordinator.program_id == world.program.id))
    assert left >= 1, "the program was left with no coordinator at all"


def test_two_confirms_at_once_schedule_twice_and_the_first_mails_undo_link_is_dead(app, world):
    """The confirm page's POST loads the user (user_for_token), then deletion.confirm checks
    deletion_due_at on that loaded row: not a conditional update. Two clicks at once both pass, the
    second overwrites the due date, and the undo link in the first "scheduled" mail stops working."""
    from mentormatch.services.data_rights import deletion
    c = app.test_client()
    login(c, world.mentee)
    _post(c, "/account/delete")
    token = _link(app, world.mentee.email, "Confirm: delete").rsplit("/", 1)[1]
    with app.app_context():
        first = deletion.user_for_token(token, "confirm")
        with app.app_context():  # the second click, in its own request
            second = deletion.user_for_token(token, "confirm")
            assert second is not None
            deletion.confirm(second)
        deletion.confirm(first)
    with app.app_context():
        scheduled = [m for m in db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.to == world.mentee.email).order_by(OutboxMessage.id)) if "will be deleted on" in m.subject]
    first_undo = re.search(r"/account/delete/undo/\S+", scheduled[0].body).group(0)
    dead = app.test_client().get(first_undo).status_code == 404
    assert len(scheduled) == 1, f"{len(scheduled)} 'scheduled' mails for one deletion (first undo link dead: {dead})"
