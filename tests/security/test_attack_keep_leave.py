"""Attack pass on keep-the-booked-time and leaving a circle: races between leaving and the other
meeting actions, and two members leaving at once. On PostgreSQL (TEST_DATABASE_URL) these are real
row-level races; SQLite serializes writers, but each racer has read the circle before the other wrote."""
import re
import threading

from icalendar import Calendar

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Circle, Meeting, User
from mentormatch.services import ServiceError, groups, meetings
from tests.conftest import post_form
from tests.web.test_circles import (  # noqa: F401
    THU,
    as_user,
    booked_by_ana,
    circle,
    make_circle,
    pick,
    propose,
    slot_ids,
    the_meeting,
)
from tests.web.test_lifecycle_data import mailbox, mid  # noqa: F401 (fixture)


def _race(app, *acts):
    """Run each act(user-facing objects loaded first) in its own thread and app context, together."""
    barrier, outcomes = threading.Barrier(len(acts)), []

    def run(act):
        with app.app_context():
            try:
                go = act()  # reads what the page would have read
                barrier.wait()
                go()
                outcomes.append("done")
            except ServiceError as error:
                db.session.rollback()
                outcomes.append(f"refused: {error}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(act,)) for act in acts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def _leaving(circle_id, user_id):
    def load():
        circle, user = db.session.get(Circle, circle_id), db.session.get(User, user_id)
        _ = [(m.left_at, m.membership.user) for m in circle.members]  # the page read the circle
        _ = meetings.meetings_of(circle)
        return lambda: groups.leave(circle, user)
    return load


def _events(mailbox, email):
    found = []
    for mail in mailbox:
        if mail.to[0] == email:
            for attachment in mail.attachments:
                found += Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
    return found


def test_the_last_two_leaving_a_circle_of_three_at_once_end_it_once(app, circle, mailbox):
    w = circle
    ids = w.program.memberships
    w.circle_id = make_circle(app, w.program.id, [ids[w.mentee.id], ids[w.ana.id], ids[w.ben.id]], name="Three")
    booked_by_ana(app, w)
    mailbox.clear()

    outcomes = _race(app, _leaving(w.circle_id, w.ana.id), _leaving(w.circle_id, w.ben.id))
    assert outcomes == ["done", "done"]
    with app.app_context():
        assert db.session.get(Circle, w.circle_id).ended_at is not None, "one member left: the circle is over"
    stored = the_meeting(app, w.circle_id)
    assert stored.state == "cancelled", "no meeting kept with nobody"
    # The one who stays gets the cancellation; no leaver is told they are the one left.
    cancelled = [e for e in _events(mailbox, w.mentee.email) if str(e["status"]) == "CANCELLED"]
    assert cancelled and max(int(e["sequence"]) for e in cancelled) == stored.sequence
    for leaver in (w.ana, w.ben):
        assert not [m for m in mailbox if m.to[0] == leaver.email and "With only you left" in m.body]


def test_a_leave_that_read_a_meeting_booked_does_not_undo_a_cancel_made_meanwhile(app, circle, mailbox):
    """Ana's leave read the meeting booked; Ben cancelled it before her leave wrote: the others'
    calendars must keep the cancellation (no REQUEST with a higher SEQUENCE after the CANCEL)."""
    w = circle
    meeting = booked_by_ana(app, w)
    mailbox.clear()
    clock.advance(minutes=5)
    with app.app_context():
        circle, ana = db.session.get(Circle, w.circle_id), db.session.get(User, w.ana.id)
        read = meetings.meetings_of(circle)  # noqa: F841 (her request read them: booked)
        with app.app_context():
            meetings.cancel(db.session.get(Meeting, meeting.id), db.session.get(User, w.ben.id), "meeting")
        groups.leave(circle, ana)
    _calendars_end_cancelled(app, w, mailbox)


def test_a_cancel_racing_a_leave_is_not_undone_in_the_calendars(app, circle, mailbox):
    w = circle
    meeting = booked_by_ana(app, w)
    mailbox.clear()
    clock.advance(minutes=5)

    def cancelling():
        row, user = db.session.get(Meeting, meeting.id), db.session.get(User, w.ben.id)
        _ = [(m.left_at, m.membership.user) for m in meetings.item_of(row).members]
        return lambda: meetings.cancel(row, user, "meeting")

    outcomes = _race(app, _leaving(w.circle_id, w.ana.id), cancelling)
    assert outcomes == ["done", "done"]
    _calendars_end_cancelled(app, w, mailbox)


def _calendars_end_cancelled(app, w, mailbox):
    stored = the_meeting(app, w.circle_id)
    assert stored.state == "cancelled"
    for stays in (w.mentee, w.ben, w.mentor):
        events = _events(mailbox, stays.email)
        assert events
        last = max(events, key=lambda e: int(e["sequence"]))
        assert str(last["status"]) == "CANCELLED", f"{stays.name}'s calendar shows the meeting cancelled"
        assert int(last["sequence"]) == stored.sequence
        assert len({int(e["sequence"]) for e in events}) == len(events), "no two versions with one SEQUENCE"


def test_a_pick_on_a_page_read_before_a_member_left_does_not_invite_them(app, circle, mailbox):
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    [slot] = slot_ids(app, meeting.id)
    mailbox.clear()
    with app.app_context():
        row, ben = db.session.get(Meeting, meeting.id), db.session.get(User, w.ben.id)
        assert meetings.side_of(meetings.item_of(row), ben) == "member"  # the pick read the circle
        with app.app_context():
            groups.leave(db.session.get(Circle, w.circle_id), db.session.get(User, w.ana.id))
        meetings.pick(row, ben, slot)
    assert not _events(mailbox, w.ana.email), "she left before it was booked: no invitation"
    _nobody_invites(w, mailbox, w.ana)


def _nobody_invites(w, mailbox, leaver):
    for stays in (w.mentee, w.ben, w.mentor):
        last = max(_events(mailbox, stays.email), key=lambda e: int(e["sequence"]))
        found = last.get("attendee")
        emails = {str(a).removeprefix("mailto:") for a in (found if isinstance(found, list) else [found])}
        assert leaver.email not in emails, "the leaver is not on the others' calendars"


def test_a_member_who_left_in_another_tab_cannot_pick_from_the_page_left_open(app, circle, mailbox):
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    [slot] = slot_ids(app, meeting.id)
    with app.app_context():
        row, ana = db.session.get(Meeting, meeting.id), db.session.get(User, w.ana.id)
        assert meetings.side_of(meetings.item_of(row), ana) == "member"
        with app.app_context():
            groups.leave(db.session.get(Circle, w.circle_id), db.session.get(User, w.ana.id))
        mailbox.clear()
        try:
            meetings.pick(row, ana, slot)
        except ServiceError:
            db.session.rollback()
    assert the_meeting(app, w.circle_id).state == "proposed"
    assert mailbox == []


def test_a_pick_racing_a_leave_does_not_invite_the_leaver_back(app, circle, mailbox):
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    [slot] = slot_ids(app, meeting.id)
    mailbox.clear()

    def picking():
        row, user = db.session.get(Meeting, meeting.id), db.session.get(User, w.ben.id)
        _ = [(m.left_at, m.membership.user) for m in meetings.item_of(row).members]
        return lambda: meetings.pick(row, user, slot)

    outcomes = _race(app, _leaving(w.circle_id, w.ana.id), picking)
    assert outcomes == ["done", "done"]
    stored = the_meeting(app, w.circle_id)
    assert stored.state == "booked"
    ana = _events(mailbox, w.ana.email)
    if ana:  # booked before she left: her cancellation is the last word
        assert str(max(ana, key=lambda e: int(e["sequence"]))["status"]) == "CANCELLED"
    _nobody_invites(w, mailbox, w.ana)


def test_the_organizer_of_a_reschedule_pending_past_its_booked_time_passes_on_when_they_leave(app, circle, mailbox):
    """Booked Thursday; Ben proposes new times; Thursday passes with them still open; the organizer
    (the mentee, who proposed the first times) leaves; Ana then picks Ben's time: the invitation's
    ORGANIZER must be someone in the meeting, not the one who left."""
    w = circle
    meeting = booked_by_ana(app, w)
    propose(as_user(app, w.ben), w, [(THU.replace(day=30), "16:00")])
    clock.set_now(clock.now().replace(day=27))  # Thursday's booked time has passed
    assert post_form(as_user(app, w.mentee), f"/circles/{w.circle_id}/leave", {},
                     page=f"/circles/{w.circle_id}").status_code == 303
    mailbox.clear()
    pick(as_user(app, w.ana), w, meeting.id, slot_ids(app, meeting.id)[0])
    assert the_meeting(app, w.circle_id).state == "booked"
    for stays in (w.ana, w.ben, w.mentor):
        [event] = _events(mailbox, stays.email)
        found = event.get("attendee")
        emails = {str(a).removeprefix("mailto:") for a in (found if isinstance(found, list) else [found])}
        assert str(event["organizer"]).removeprefix("mailto:") in emails - {w.mentee.email}


def test_the_news_of_a_leaving_names_the_circle_as_it_was_not_after_the_leaver(app, circle, mailbox):
    """A peer pair has no name: its title is its members' first names. The one left must not read
    "Ana has left your circle “Mira”" (their own name)."""
    w = circle
    ids = w.program.memberships
    w.circle_id = make_circle(app, w.program.id, [ids[w.mentee.id], ids[w.ana.id]], name="", kind="pair")
    mailbox.clear()
    assert post_form(as_user(app, w.ana), f"/circles/{w.circle_id}/leave", {},
                     page=f"/circles/{w.circle_id}").status_code == 303
    [news] = [m for m in mailbox if m.to[0] == w.mentee.email]
    first = w.mentee.name.split(" ")[0]
    assert f"“{first}, Ana”" in news.subject, news.subject


def test_a_leavers_cancellation_names_them_and_the_organizer_their_calendar_knows(app, circle, mailbox):
    """A CANCEL sent to an attendee being removed lists that attendee (RFC 5546 3.2.5), and comes
    from the ORGANIZER their copy of the event has: the leaver's own, when the meeting was theirs."""
    w = circle
    booked_by_ana(app, w)
    mailbox.clear()
    for leaver in (w.ana, w.mentee):  # an attendee, then the organizer
        assert post_form(as_user(app, leaver), f"/circles/{w.circle_id}/leave", {},
                         page=f"/circles/{w.circle_id}").status_code == 303
        [event] = [e for e in _events(mailbox, leaver.email) if str(e["status"]) == "CANCELLED"]
        found = event.get("attendee")
        emails = {str(a).removeprefix("mailto:") for a in (found if isinstance(found, list) else [found])}
        assert leaver.email in emails
        assert str(event["organizer"]) == f"mailto:{w.mentee.email}", "the organizer as their calendar has it"


def test_keep_on_a_page_read_before_other_times_were_proposed_turns_nothing_down(app, circle, mailbox):
    """Ben's page shows Ana's new times with "Keep the booked time"; meanwhile Milo proposes others
    in their place. Ben's keep must not turn down times he never saw (nor tell Milo he cannot make them)."""
    w = circle
    meeting = booked_by_ana(app, w)
    propose(as_user(app, w.ana), w, [(THU, "18:00")])
    ben = as_user(app, w.ben)
    html = ben.get(f"/circles/{w.circle_id}").get_data(as_text=True)
    keep_form = html[html.index(f"/meetings/{meeting.id}/keep"):]
    keep_form = keep_form[:keep_form.index("</form>")]
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', keep_form))
    assert fields.get("seen") and "csrf_token" in fields
    propose(as_user(app, w.mentor), w, [(THU, "19:00")])  # in place of Ana's
    mailbox.clear()
    ben.post(f"/circles/{w.circle_id}/meetings/{meeting.id}/keep", data=fields)
    stored = the_meeting(app, w.circle_id)
    assert stored.state == "proposed" and len(slot_ids(app, meeting.id)) == 1, "Milo's times still stand"
    assert mailbox == []
    # From a page that shows Milo's times, the keep does what it says.
    assert post_form(ben, f"/circles/{w.circle_id}/meetings/{meeting.id}/keep", {},
                     page=f"/circles/{w.circle_id}").status_code == 303
    assert the_meeting(app, w.circle_id).state == "booked"


def _booked_with_new_times(app, w):
    booked_by_ana(app, w)
    booked = the_meeting(app, w.circle_id)
    propose(as_user(app, w.ana), w, [(THU, "18:00")])
    return booked


def _acting(meeting_id, user_id, act):
    def load():
        row, user = db.session.get(Meeting, meeting_id), db.session.get(User, user_id)
        _ = [(m.left_at, m.membership.user) for m in meetings.item_of(row).members]
        seen = meetings.on_offer(row)
        return lambda: act(row, user, seen)
    return load


def test_two_members_keeping_at_once_turn_the_times_down_once(app, circle, mailbox):
    w = circle
    booked = _booked_with_new_times(app, w)
    mailbox.clear()
    keep = _acting(booked.id, w.ben.id, lambda row, user, seen: meetings.keep_booking(row, user, seen))
    keep_too = _acting(booked.id, w.mentor.id, lambda row, user, seen: meetings.keep_booking(row, user, seen))
    outcomes = _race(app, keep, keep_too)
    assert sorted(o[:4] for o in outcomes) == ["done", "refu"]
    stored = the_meeting(app, w.circle_id)
    assert (stored.state, stored.starts_at, stored.sequence) == ("booked", booked.starts_at, booked.sequence)
    assert [m.to[0] for m in mailbox] == [w.ana.email], "Ana hears it once"


def test_a_keep_and_a_pick_at_once_leave_one_outcome_and_calendars_that_match_it(app, circle, mailbox):
    w = circle
    booked = _booked_with_new_times(app, w)
    [slot] = slot_ids(app, booked.id)
    mailbox.clear()
    keep = _acting(booked.id, w.ben.id, lambda row, user, seen: meetings.keep_booking(row, user, seen))
    choose = _acting(booked.id, w.mentor.id, lambda row, user, seen: meetings.pick(row, user, slot))
    outcomes = _race(app, keep, choose)
    assert sorted(o[:4] for o in outcomes) == ["done", "refu"]
    stored = the_meeting(app, w.circle_id)
    assert stored.state == "booked"
    if stored.starts_at == booked.starts_at:  # the keep won: no calendar changed
        assert stored.sequence == booked.sequence and all(not m.attachments for m in mailbox)
    else:  # the pick won: everyone's calendar moves, one SEQUENCE up
        assert stored.sequence == booked.sequence + 1
        for person in w.members:
            [event] = _events(mailbox, person.email)
            assert int(event["sequence"]) == stored.sequence


def test_one_who_left_clicking_a_meeting_button_on_a_page_left_open_gets_the_page_and_the_reason(app, circle, mailbox):
    """htmx drops a 404 without a word: the click did nothing. Like a proposal, the page and why."""
    w = circle
    booked = _booked_with_new_times(app, w)
    [slot] = slot_ids(app, booked.id)
    milo = as_user(app, w.mentor)
    stale = milo.get(f"/circles/{w.circle_id}")  # the page open in another tab
    assert post_form(milo, f"/circles/{w.circle_id}/leave", {}, page=f"/circles/{w.circle_id}").status_code == 303
    milo.get(f"/circles/{w.circle_id}")  # the leaving's flash read
    token = re.search(r'name="csrf_token" value="([^"]+)"', stale.get_data(as_text=True)).group(1)
    base = f"/circles/{w.circle_id}/meetings"
    for url, data, reason in [(f"{base}/{booked.id}/keep", {}, "Only the two people meeting can cancel it."),
                              (f"{base}/{booked.id}/pick", {"slot_id": slot}, "Only the two people meeting can pick a time."),
                              (f"{base}/{booked.id}/cancel", {"seen": "meeting"}, "Only the two people meeting can cancel it."),
                              (f"{base}/999999/keep", {}, "Only the two people meeting can cancel it.")]:
        r = milo.post(url, data={"csrf_token": token, **data}, headers={"HX-Request": "true"})
        assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/circles/{w.circle_id}", url
        assert reason in milo.get(f"/circles/{w.circle_id}").get_data(as_text=True)
    assert the_meeting(app, w.circle_id).state == "proposed", "nothing changed"
