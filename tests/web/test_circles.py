"""The circle page (issue 15, item 4): members, facilitator and contact channels, the "why" in the
reader's language, the shared thread with N readers (unread, mail batching per member, escaping,
rate limit), meetings for all members (invitation over real SMTP with every attendee, "did you
meet?" asked of each), leaving and ending, and "Your circles" on the home pages.
Access: test_circles_access.py; the pick race on PostgreSQL: test_circles_race.py."""
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from icalendar import Calendar

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import (
    Circle,
    CircleMember,
    ContactChannels,
    Meeting,
    MeetingAnswer,
    MeetingSlot,
    Membership,
    Message,
    ThreadRead,
    User,
)
from mentormatch.services import ServiceError, meetings, reminders, threads, why
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_home_queries import counted
from tests.web.test_lifecycle_data import add_goal, add_profile, mailbox, mid  # noqa: F401

NOW = datetime(2026, 3, 20, 12, 0)  # a Friday, UTC
THU = date(2026, 3, 26)             # Berlin CET (UTC+1), New York EDT (UTC-4), Tokyo JST (UTC+9)
HX = {"HX-Request": "true"}
WHY = [["shares", {"items": ["career change"]}], ["overlap", {"hours": 3}]]


def add_member(app, program_id: int, user) -> int:
    with app.app_context():
        membership = Membership(program_id=program_id, user_id=user.id)
        db.session.add(membership)
        db.session.commit()
        return membership.id


def make_circle(app, program_id: int, member_ids: list[int], name: str = "Career changers",
                facilitator: int | None = None, kind: str = "circle") -> int:
    with app.app_context():
        circle = Circle(program_id=program_id, kind=kind, name=name, sentence_parts=WHY, created_at=clock.now())
        circle.members = [CircleMember(membership_id=m, facilitator=m == facilitator) for m in member_ids]
        db.session.add(circle)
        db.session.commit()
        return circle.id


@pytest.fixture
def circle(app, world, make_user):
    """A circle of four in the main program (three mentees and the mentor as facilitator, in four
    zones; Ben reads Spanish), and another circle of the same program with Dana in it."""
    clock.set_now(NOW)
    w = world
    w.ana, w.ben, w.dana = make_user("mentee", "Ana Alves"), make_user("mentee", "Ben Brandt"), make_user("mentee", "Dana Diaz")
    for person in (w.ana, w.ben, w.dana):
        w.program.memberships[person.id] = add_member(app, w.program.id, person)
    add_goal(app, mid(w, w.mentee), timezone="Europe/Berlin")
    add_goal(app, mid(w, w.ana), timezone="America/Sao_Paulo")
    add_goal(app, mid(w, w.ben), timezone="Asia/Tokyo")
    add_profile(app, mid(w, w.mentor), timezone="America/New_York")
    with app.app_context():
        db.session.get(User, w.ben.id).locale = "es"
        db.session.add(ContactChannels(user_id=w.ana.id, phone="+44 20 7946 0958", show_phone=True))
        db.session.commit()
    w.members = [w.mentee, w.ana, w.ben, w.mentor]
    w.circle_id = make_circle(app, w.program.id, [mid(w, u) for u in w.members], facilitator=mid(w, w.mentor))
    w.other_circle_id = make_circle(app, w.program.id, [mid(w, w.dana)], name="Night owls")
    yield w
    clock.set_now(None)


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    return client


def page(w) -> str:
    return f"/circles/{w.circle_id}"


def send(client, w, body, **kwargs):
    return post_form(client, f"{page(w)}/messages", {"body": body}, page=page(w), **kwargs)


def propose(client, w, slots, duration=30, video=""):
    data = {"duration": str(duration), "video_link": video}
    for n, (day, at) in enumerate(slots, start=1):
        data[f"slot{n}_date"], data[f"slot{n}_time"] = day, at
    return post_form(client, f"{page(w)}/meetings/propose", data, page=page(w))


def the_meeting(app, circle_id) -> Meeting:
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).where(Meeting.circle_id == circle_id).order_by(Meeting.id.desc()))
        db.session.expunge(meeting)
        return meeting


def slot_ids(app, meeting_id) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(MeetingSlot.id).where(MeetingSlot.meeting_id == meeting_id)
                                       .order_by(MeetingSlot.starts_at)))


def pick(client, w, meeting_id, slot_id):
    return post_form(client, f"{page(w)}/meetings/{meeting_id}/pick", {"slot_id": str(slot_id)}, page=page(w))


def booked_by_ana(app, w) -> Meeting:
    """The mentee proposes Thursday 16:00 and Ana picks it: the meeting as read before the pick."""
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    pick(as_user(app, w.ana), w, meeting.id, slot_ids(app, meeting.id)[0])
    return meeting


# -- the page --------------------------------------------------------------------------------------

def test_the_page_shows_members_facilitator_channels_and_why_in_the_readers_language(app, circle):
    w = circle
    html = as_user(app, w.mentee).get(page(w)).get_data(as_text=True)
    assert "Career changers" in html
    for person in w.members:
        assert f"<bdi>{person.name}</bdi>" in html
    assert html.count("Facilitator</span>") == 1 and html.index("Milo Mentor") < html.index("Facilitator</span>")
    assert "+44 20 7946 0958" in html and f"mailto:{w.ben.email}" in html, "members of a live circle see channels"
    assert 'name="body"' in html and "/meetings/propose" in html
    with app.test_request_context():
        english = why.pair_text({"sentence": "", "sentence_parts": WHY})
        with force_locale("es"):
            spanish = why.pair_text({"sentence": "", "sentence_parts": WHY})
    assert english != spanish and english in html
    spanish_page = as_user(app, w.ben).get(page(w)).get_data(as_text=True)
    assert spanish in spanish_page and english not in spanish_page
    coordinator = as_user(app, w.coordinator).get(page(w)).get_data(as_text=True)
    assert "as a coordinator of the program" in coordinator and "It is read-only for you." in coordinator
    assert 'name="body"' not in coordinator and "/meetings/propose" not in coordinator
    assert "+44 20 7946 0958" not in coordinator, "a coordinator reads along; channels are between members"
    assert "/end" in coordinator and "/leave" not in coordinator


def test_a_peer_pair_gets_the_same_page(app, circle):
    w = circle
    pair_id = make_circle(app, w.program.id, [mid(w, w.ana), mid(w, w.ben)], name="", kind="pair")
    html = as_user(app, w.ana).get(f"/circles/{pair_id}").get_data(as_text=True)
    assert "Peer pair" in html and "<bdi>Ana, Ben</bdi>" in html and f"mailto:{w.ben.email}" in html
    assert post_form(as_user(app, w.ben), f"/circles/{pair_id}/messages", {"body": "Hi Ana"},
                     page=f"/circles/{pair_id}").status_code == 303


# -- the thread ------------------------------------------------------------------------------------

def test_every_other_member_is_mailed_at_most_once_an_hour_and_not_while_on_the_page(app, circle, mailbox):
    w = circle
    mentee = as_user(app, w.mentee)
    assert send(mentee, w, "Hello circle").status_code == 303
    to = sorted(m.to[0] for m in mailbox)
    assert to == sorted([w.ana.email, w.ben.email, w.mentor.email]), "each other member, not the author"
    by = {m.to[0]: m for m in mailbox}
    assert by[w.ana.email].subject == "New message in your circle “Career changers”"
    assert "Mira Mentee, " in by[w.ana.email].body and "Hello circle" in by[w.ana.email].body
    assert f"http://localhost/circles/{w.circle_id}#thread" in by[w.ana.email].body
    assert by[w.ana.email].reply_to == [], "a circle's email goes back to the site, not to one member"
    assert "Career changers" in by[w.ben.email].subject and "Hello" not in by[w.ben.email].body.split("\n")[2]
    mailbox.clear()
    send(mentee, w, "A second one within the hour")
    assert mailbox == [], "at most one email per thread per hour for each member"
    clock.advance(minutes=61)
    ben = as_user(app, w.ben)
    assert ben.get(f"{page(w)}/messages?after=0", headers=HX).status_code == 200  # Ben's open page polls
    send(mentee, w, "After the hour")
    assert sorted(m.to[0] for m in mailbox) == sorted([w.ana.email, w.mentor.email]), "Ben is on the page"
    ana_mail = next(m for m in mailbox if m.to[0] == w.ana.email)
    assert "A second one within the hour" in ana_mail.body and "After the hour" in ana_mail.body
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ThreadRead)
                                 .where(ThreadRead.circle_id == w.circle_id)) == 4


def test_unread_counts_per_member_on_the_home_pages_in_fixed_queries(app, circle):
    w = circle
    mentee = as_user(app, w.mentee)
    send(mentee, w, "One")
    send(mentee, w, "Two")
    ana = as_user(app, w.ana)
    home = ana.get("/mentee/").get_data(as_text=True)
    assert "Your circles" in home and f'href="/circles/{w.circle_id}"' in home and "2 unread messages" in home
    mentor_home = as_user(app, w.mentor).get("/mentor/").get_data(as_text=True)
    assert "Your circles" in mentor_home and "2 unread messages" in mentor_home
    assert "unread message" not in mentee.get("/mentee/").get_data(as_text=True), "what I wrote I have read"
    ana.get(page(w))
    assert "unread message" not in ana.get("/mentee/").get_data(as_text=True)
    assert "Night owls" not in home, "only the circles one is in"

    def statements() -> int:
        with counted(app) as seen:
            assert ana.get("/mentee/").status_code == 200
        return len(seen)

    one = statements()
    for n in range(3):
        cid = make_circle(app, w.program.id, [mid(w, w.ana), mid(w, w.mentee), mid(w, w.dana)], name=f"More {n}")
        with app.app_context():
            db.session.add(Message(program_id=w.program.id, circle_id=cid, author_membership_id=mid(w, w.dana),
                                   body="hi", created_at=clock.now()))
            db.session.commit()
    assert statements() == one
    assert ana.get("/mentee/").get_data(as_text=True).count("1 unread message") == 3


def test_hostile_text_is_escaped_and_direction_overrides_are_stripped(app, circle):
    w = circle
    mentee = as_user(app, w.mentee)
    send(mentee, w, '<script>alert(1)</script> "><img src=x onerror=alert(2)> see https://example.org/\u202egpj.exe')
    html = as_user(app, w.ana).get(page(w)).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    with app.app_context():
        [body] = db.session.scalars(db.select(Message.body).where(Message.circle_id == w.circle_id)).all()
    assert "\u202e" not in body and body.endswith("https://example.org/gpj.exe")


def test_an_empty_message_is_refused_next_to_the_field_and_changes_nothing(app, circle):
    w = circle
    response = send(as_user(app, w.mentee), w, "   ")
    assert response.status_code == 422 and 'id="body-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


@pytest.mark.parametrize("app", [{"MESSAGE_RATE_LIMIT": "2 per day"}], indirect=True)
def test_posting_is_rate_limited_per_person(app, circle):
    w = circle
    mentee, ana = as_user(app, w.mentee), as_user(app, w.ana)
    assert [send(mentee, w, f"Message {n}").status_code for n in range(3)] == [303, 303, 429]
    held = send(mentee, w, "Kept for later", headers=HX)
    assert held.status_code == 200 and "You are sending messages quickly" in held.get_data(as_text=True)
    assert "Kept for later</textarea>" in held.get_data(as_text=True)
    assert send(ana, w, "Another member still may").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 3


def test_the_htmx_post_and_poll_answer_with_partials(app, circle):
    w = circle
    mentee, ana = as_user(app, w.mentee), as_user(app, w.ana)
    partial = send(mentee, w, "First", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and 'id="thread"' in partial and "First" in partial
    polled = ana.get(f"{page(w)}/messages?after=0", headers=HX).get_data(as_text=True)
    assert "First" in polled and "every 5s" in polled
    with app.app_context():
        last = db.session.scalar(db.select(db.func.max(Message.id)))
    assert "First" not in ana.get(f"{page(w)}/messages?after={last}", headers=HX).get_data(as_text=True)


# -- leaving and ending ----------------------------------------------------------------------------

def test_a_member_leaves_after_confirming_reads_only_what_was_written_before_and_the_others_are_told(app, circle, mailbox):
    w = circle
    mentee, ana = as_user(app, w.mentee), as_user(app, w.ana)
    send(mentee, w, "Before Ana left")
    confirm = ana.get(f"{page(w)}/leave").get_data(as_text=True)
    assert "Leave this circle?" in confirm and "Yes, leave the circle" in confirm
    mailbox.clear()
    clock.advance(minutes=5)
    assert post_form(ana, f"{page(w)}/leave", {}, page=page(w)).status_code == 303
    told = sorted(m.to[0] for m in mailbox)
    assert told == sorted([w.mentee.email, w.ben.email, w.mentor.email])
    english = [m for m in mailbox if m.to[0] != w.ben.email]
    assert all("Ana Alves has left your circle" in m.subject and "nothing about you" in m.body for m in english)
    clock.advance(minutes=5)
    mailbox.clear()
    send(mentee, w, "After Ana left")
    assert w.ana.email not in [m.to[0] for m in mailbox], "no more mail for one who left"
    html = ana.get(page(w)).get_data(as_text=True)
    assert "Before Ana left" in html and "After Ana left" not in html
    assert 'name="body"' not in html and "You left this circle" in html
    refused = send(ana, w, "Can I still?")
    assert refused.status_code == 422 and "You left this circle" in refused.get_data(as_text=True)
    assert "Career changers" not in ana.get("/mentee/").get_data(as_text=True)
    assert "Ana Alves" not in mentee.get(page(w)).get_data(as_text=True), "the members list is who is in it now"


def test_a_coordinator_ends_the_circle_its_page_is_read_only_and_a_booked_meeting_is_cancelled(app, circle, mailbox):
    w = circle
    mentee = as_user(app, w.mentee)
    propose(mentee, w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    pick(as_user(app, w.ana), w, meeting.id, slot_ids(app, meeting.id)[0])
    coordinator = as_user(app, w.coordinator)
    assert "End this circle?" in coordinator.get(f"{page(w)}/end").get_data(as_text=True)
    mailbox.clear()
    assert post_form(coordinator, f"{page(w)}/end", {}, page=page(w)).status_code == 303
    ended = [m for m in mailbox if not m.attachments]
    cancelled = [m for m in mailbox if m.attachments]  # the cancellation for calendars
    assert "Your circle “Career changers” has ended" in next(m for m in ended if m.to[0] == w.ana.email).subject
    assert sorted(m.to[0] for m in ended) == sorted(u.email for u in w.members)
    assert sorted(m.to[0] for m in cancelled) == sorted(u.email for u in w.members)
    assert "As the circle has ended" in next(m for m in cancelled if m.to[0] == w.ana.email).body
    assert the_meeting(app, w.circle_id).state == "cancelled"
    html = mentee.get(page(w)).get_data(as_text=True)
    assert "This circle has ended" in html and 'name="body"' not in html and "/meetings/propose" not in html
    assert "every 5s" not in html, "an ended thread is not polled"
    assert "closed" in send(mentee, w, "Still here?").get_data(as_text=True)
    again = post_form(coordinator, f"{page(w)}/end", {}, page=page(w), follow_redirects=True)
    assert "already ended" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_a_member_cannot_end_a_circle(app, circle):
    w = circle
    assert as_user(app, w.mentee).get(f"{page(w)}/end").status_code == 403


# -- meetings --------------------------------------------------------------------------------------

@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_every_member_gets_the_invitation_with_all_attendees_in_their_own_zone_and_language(app, circle, smtp_server):
    w = circle
    mentee = as_user(app, w.mentee)
    assert propose(mentee, w, [(THU, "16:00"), (THU, "17:00")]).status_code == 303
    proposals = smtp_server.wait_for(3)
    assert sorted(m["to"][0] for m in proposals) == sorted([w.ana.email, w.ben.email, w.mentor.email])
    meeting = the_meeting(app, w.circle_id)
    first, _second = slot_ids(app, meeting.id)
    refused = pick(mentee, w, meeting.id, first)
    assert "You proposed these times" in refused.get_data(as_text=True), "any OTHER member picks"
    smtp_server.clear()
    assert pick(as_user(app, w.ben), w, meeting.id, first).status_code == 303
    booked = smtp_server.wait_for(4)
    assert sorted(m["to"][0] for m in booked) == sorted(u.email for u in w.members)
    uids = set()
    for message in booked:
        [attachment] = [a for a in message["attachments"] if a["content_type"] == "text/calendar"]
        [event] = Calendar.from_ical(attachment["content"]).walk("VEVENT")
        value = event.get("ATTENDEE")
        attendees = {str(a).removeprefix("mailto:") for a in (value if isinstance(value, list) else [value])}
        assert attendees == {u.email for u in w.members}
        assert str(event["ORGANIZER"]) == f"mailto:{w.mentee.email}"
        assert event.decoded("DTSTART") == datetime(2026, 3, 26, 15, 0, tzinfo=event.decoded("DTSTART").tzinfo)
        # Each invitation in its reader's language: Ben's own; the others have none stored, so
        # theirs is the site's default, not the language of the request that sent it (Ben's pick).
        spanish = message["to"] == [w.ben.email]
        assert str(event["SUMMARY"]) == ("Círculo: Career changers" if spanish else "Circle: Career changers")
        uids.add(str(event["UID"]))
    assert len(uids) == 1
    by = {m["to"][0]: m for m in booked}
    assert "16:00–16:30 CET" in by[w.mentee.email]["body"]
    assert "11:00–11:30 EDT" in by[w.mentor.email]["body"]
    assert "00:00–00:30 JST" in by[w.ben.email]["body"] and "vie 27 mar 2026" in by[w.ben.email]["body"], \
        "Ben reads it in Spanish, in Tokyo time"
    assert "Ana Alves" in by[w.mentee.email]["body"] and "Ben Brandt" in by[w.mentee.email]["body"]
    ics = as_user(app, w.coordinator).get(f"{page(w)}/meetings/{meeting.id}/invite.ics")
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")


def test_did_you_meet_is_asked_of_each_member_once_and_answered_once_each(app, circle, mailbox):
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    pick(as_user(app, w.mentor), w, meeting.id, slot_ids(app, meeting.id)[0])
    mailbox.clear()
    clock.set_now(datetime(2026, 3, 26, 15, 31))
    with app.app_context():
        assert reminders.run().meetings_asked == [f"meeting {meeting.id}"]
        assert reminders.run().meetings_asked == []
    asked = [m for m in mailbox if m.subject.startswith("Did you meet") or m.subject.startswith("¿")]
    assert sorted(m.to[0] for m in asked) == sorted(u.email for u in w.members)
    ana = as_user(app, w.ana)
    assert "Did the circle meet?" in ana.get(page(w)).get_data(as_text=True)
    assert post_form(ana, f"{page(w)}/meetings/{meeting.id}/met", {"answer": "yes"}, page=page(w)).status_code == 303
    again = post_form(ana, f"{page(w)}/meetings/{meeting.id}/met", {"answer": "no"}, page=page(w))
    assert "already answered" in again.get_data(as_text=True)
    for person in (w.mentee, w.ben):
        post_form(as_user(app, person), f"{page(w)}/meetings/{meeting.id}/met", {"answer": "yes"}, page=page(w))
    assert the_meeting(app, w.circle_id).state == "booked", "one member has not answered yet"
    post_form(as_user(app, w.mentor), f"{page(w)}/meetings/{meeting.id}/met", {"answer": "moved"}, page=page(w))
    assert the_meeting(app, w.circle_id).state == "done"
    with app.app_context():
        answers = dict(db.session.execute(db.select(MeetingAnswer.membership_id, MeetingAnswer.met)
                                          .where(MeetingAnswer.meeting_id == meeting.id)).all())
    assert answers == {mid(w, w.ana): "yes", mid(w, w.mentee): "yes", mid(w, w.ben): "yes", mid(w, w.mentor): "moved"}


def test_cancelling_a_booked_meeting_tells_every_member(app, circle, mailbox):
    w = circle
    meeting = booked_by_ana(app, w)
    mailbox.clear()
    ben = as_user(app, w.ben)
    assert post_form(ben, f"{page(w)}/meetings/{meeting.id}/cancel", {}, page=page(w)).status_code == 303
    assert sorted(m.to[0] for m in mailbox) == sorted(u.email for u in w.members)
    stored = the_meeting(app, w.circle_id)
    assert stored.state == "cancelled" and stored.sequence == 1


def test_a_member_keeps_the_booked_time_when_another_proposes_new_ones(app, circle, mailbox):
    w = circle
    meeting = booked_by_ana(app, w)
    propose(as_user(app, w.ben), w, [(THU, "18:00")])
    mailbox.clear()
    ana = as_user(app, w.ana)
    assert post_form(ana, f"{page(w)}/meetings/{meeting.id}/keep", {}, page=page(w)).status_code == 303
    stored = the_meeting(app, w.circle_id)
    assert stored.state == "booked" and slot_ids(app, meeting.id) == []
    assert [m.to[0] for m in mailbox] == [w.ben.email]  # the one who proposed them; no calendar changes
    assert "Pick this time" not in ana.get(page(w)).get_data(as_text=True)


def test_bad_times_are_refused_next_to_the_field_and_change_nothing(app, circle):
    w = circle
    response = propose(as_user(app, w.mentee), w, [(date(2026, 3, 19), "10:00")])
    assert response.status_code == 422 and "This time has passed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0


def test_the_database_keeps_one_item_per_message_and_one_answer_per_member(app, circle):
    w = circle
    with app.app_context():
        author = mid(w, w.mentee)
        for values in ({"circle_id": w.circle_id, "request_id": None, "pairing_id": None, "body": "ok"},):
            db.session.add(Message(program_id=w.program.id, author_membership_id=author, **values))
            db.session.commit()
        db.session.add(Message(program_id=w.program.id, author_membership_id=author, body="neither"))
        with pytest.raises(Exception):  # noqa: B017 - IntegrityError on PostgreSQL and SQLite alike
            db.session.commit()
        db.session.rollback()
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    with app.app_context():
        db.session.add(MeetingAnswer(meeting_id=meeting.id, membership_id=author, met="yes"))
        db.session.commit()
        db.session.add(MeetingAnswer(meeting_id=meeting.id, membership_id=author, met="no"))
        with pytest.raises(Exception):  # noqa: B017
            db.session.commit()
        db.session.rollback()


def test_the_services_refuse_a_member_who_left(app, circle):
    w = circle
    with app.app_context():
        circle_row = db.session.get(Circle, w.circle_id)
        row = next(m for m in circle_row.members if m.membership_id == mid(w, w.ana))
        row.left_at = clock.now()
        db.session.commit()
        ana = db.session.get(User, w.ana.id)
        with pytest.raises(ServiceError):
            threads.post(circle_row, ana, "hello")
        assert meetings.side_of(circle_row, ana) is None


def test_the_circle_page_leads_to_its_questions_and_lets_a_mentee_member_ask_there(app, circle):
    w = circle
    html = as_user(app, w.mentee).get(f"/circles/{w.circle_id}").get_data(as_text=True)
    assert f"/asks/circles/{w.circle_id}" in html
    assert f"circle={w.circle_id}" in html, "a mentee member can ask the circle"
    mentor_html = as_user(app, w.mentor).get(f"/circles/{w.circle_id}").get_data(as_text=True)
    assert f"/asks/circles/{w.circle_id}" in mentor_html and f"circle={w.circle_id}" not in mentor_html
