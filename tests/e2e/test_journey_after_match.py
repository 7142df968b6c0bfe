"""Issue 13's journey, end to end in real browsers over real SMTP: a mentor accepts -> both see each
other's channels -> the mentee writes and the mentor's open page shows it without a reload -> the
mentor answers -> the mentor proposes three times, the mentee picks one -> both receive the
invitation (.ics parsed: start in UTC, UID, attendees, video link) -> rescheduled: same UID, higher
SEQUENCE -> after the meeting both answer "met" -> the coordinator's health page counts the pair.
Then the same steps with JavaScript off, where each works as a plain form."""
from datetime import datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import ContactChannels
from tests.conftest import PASSWORD
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, mid
from tests.web.test_meetings import NOW  # a Friday: Berlin is still on CET, New York already on EDT

from .conftest import ui_login

VIDEO = "https://meet.example.org/milo"
# Three times the mentor (New York) types in her own zone, and the one the mentee (Berlin) picks.
TIMES = (("2026-03-26", "10:00"), ("2026-03-27", "09:30"), ("2026-03-30", "11:00"))
PICKED_UTC = "2026-03-26T14:00:00+00:00"
MOVED = (("2026-03-31", "10:00"),)
MOVED_UTC = "2026-03-31T14:00:00+00:00"


@pytest.fixture
def proposed(app, world):
    """A round proposal between Mira (Berlin) and Milo (New York), who shares a video link and a chat."""
    clock.set_now(NOW)
    add_goal(app, mid(world, world.mentee), timezone="Europe/Berlin")
    add_profile(app, mid(world, world.mentor), timezone="America/New_York")
    with app.app_context():
        db.session.add(ContactChannels(user_id=world.mentor.id, video_url=VIDEO, show_video=True,
                                       chat_service="slack", chat_handle="@milo", show_chat=True))
        db.session.add(ContactChannels(user_id=world.mentee.id, phone="+49 30 1234567", show_phone=True))
        db.session.commit()
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    yield world
    clock.set_now(None)


def _propose(panel, times, button: str) -> None:
    """Fill the meetings panel's times (in the proposer's own zone), 30 minutes, and send."""
    for n, (day, at) in enumerate(times):
        panel.get_by_label("Date", exact=True).nth(n).fill(day)
        panel.get_by_label("Start", exact=True).nth(n).fill(at)
    panel.get_by_label("How long").select_option("30")
    panel.get_by_role("button", name=button).click()


def _invitations(smtp_server, w, n=2):
    messages = smtp_server.wait_for(n)
    assert sorted(m["to"][0] for m in messages) == sorted([w.mentee.email, w.mentor.email])
    events = []
    for message in messages:
        [attachment] = message["attachments"]
        [event] = Calendar.from_ical(attachment["content"]).walk("VEVENT")
        attendees = sorted(str(a).removeprefix("mailto:").lower() for a in event["ATTENDEE"])
        assert attendees == sorted([w.mentee.email.lower(), w.mentor.email.lower()])
        assert str(event["LOCATION"]) == VIDEO  # the mentor's shown link, the default of her proposal
        events.append(event)
    assert len({str(e["UID"]) for e in events}) == 1
    return events[0]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_accept_reach_talk_meet_and_count_as_met(browser, live_server, app, proposed, smtp_server):
    w = proposed
    mentor = browser.new_context().new_page()
    ui_login(mentor, live_server, w.mentor.email, PASSWORD)
    mentor.goto(f"{live_server}/pairings/")
    mentor.get_by_role("button", name="Accept").click()
    smtp_server.wait_for(2)
    [accepted] = smtp_server.to(w.mentee.email)
    assert accepted["reply_to"] == w.mentor.email
    assert VIDEO in accepted["body"] and "@milo" in accepted["body"]
    [mentors_copy] = smtp_server.to(w.mentor.email)  # the mentee's channels, replies to the mentee
    assert mentors_copy["reply_to"] == w.mentee.email and "+49 30 1234567" in mentors_copy["body"]
    smtp_server.clear()

    # Both see each other's channels on the pair's page.
    mentor_page = f"{live_server}/mentor/programs/{w.program.id}/mentees/{mid(w, w.mentee)}"
    mentor.goto(mentor_page)
    expect(mentor.locator(".together-contact")).to_contain_text("+49 30 1234567")
    mentor.evaluate("window.stillTheSamePage = true")
    mentee = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ui_login(mentee, live_server, w.mentee.email, PASSWORD)
    mentee.goto(f"{live_server}/mentee/pairings/{w.pairing_id}")
    contact = mentee.locator(".together-contact")
    expect(contact.get_by_role("link", name=VIDEO)).to_be_visible()
    expect(contact).to_contain_text("@milo")
    expect(contact.get_by_role("link", name=w.mentor.email)).to_be_visible()

    # A message appears on the mentor's open page without a reload; the answer comes back the same way.
    mentee.get_by_label("Your message").fill("Could we talk about my portfolio next week?")
    mentee.get_by_role("button", name="Send message").click()
    expect(mentor.locator("#thread-messages li")).to_have_count(1, timeout=12000)
    expect(mentor.locator("#thread-messages")).to_contain_text("my portfolio")
    assert mentor.evaluate("window.stillTheSamePage") is True
    mentor.get_by_label("Your message").fill("Yes: I will send three times.")
    mentor.get_by_role("button", name="Send message").click()
    expect(mentee.locator("#thread-messages")).to_contain_text("I will send three times.", timeout=12000)

    # The mentor proposes three times in her own zone; the mentee sees them in both and picks one.
    panel = mentor.locator("#meetings")
    _propose(panel, TIMES, "Send these times")
    expect(panel).to_contain_text("Waiting for Mira")
    smtp_server.wait_for(1)
    smtp_server.clear()
    mentee.reload()
    slots = mentee.locator("#meetings li.slot")
    expect(slots).to_have_count(3)
    expect(slots.nth(0)).to_contain_text("15:00–15:30 CET")
    expect(slots.nth(0)).to_contain_text("10:00–10:30 EDT")
    slots.nth(0).get_by_role("button").click()
    expect(mentee.locator("#meetings")).to_contain_text("Booked")
    first = _invitations(smtp_server, w)
    assert first.decoded("DTSTART").isoformat() == PICKED_UTC
    assert int(first.get("SEQUENCE", 0)) == 0

    # Rescheduled: the update carries the same UID and a higher SEQUENCE.
    smtp_server.clear()
    mentor.reload()
    panel = mentor.locator("#meetings")
    panel.locator("summary", has_text="Reschedule").click()
    _propose(panel, MOVED, "Send new times")
    smtp_server.wait_for(1)
    smtp_server.clear()
    mentee.reload()
    mentee.locator("#meetings li.slot").nth(0).get_by_role("button").click()
    expect(mentee.locator("#meetings")).to_contain_text("Booked")
    update = _invitations(smtp_server, w)
    assert str(update["UID"]) == str(first["UID"])
    assert int(update["SEQUENCE"]) > int(first.get("SEQUENCE", 0))
    assert update.decoded("DTSTART").isoformat() == MOVED_UTC

    # After the meeting both answer "met"; the coordinator's health page counts the pair.
    clock.set_now(datetime(2026, 3, 31, 15, 0))
    for page in (mentee, mentor):
        page.reload()
        prompt = page.locator("#meetings .met-prompt")
        prompt.get_by_label("Yes, we met").check()
        prompt.get_by_role("button", name="Answer").click()
        expect(page.locator("#meetings")).to_contain_text("Thank you for answering.")
    coordinator = browser.new_context().new_page()
    ui_login(coordinator, live_server, w.coordinator.email, PASSWORD)
    coordinator.goto(f"{live_server}/coordinator/programs/{w.program.id}/health")
    expect(coordinator.locator("#fig-met-recently")).to_contain_text("1 pair met in the last 30 days")
    expect(coordinator.locator("#fig-never-met")).to_contain_text("0 of 1 current pair never met")


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_the_same_steps_without_javascript(browser, live_server, app, proposed, smtp_server):
    w = proposed
    mentor = browser.new_context(java_script_enabled=False).new_page()
    ui_login(mentor, live_server, w.mentor.email, PASSWORD)
    mentor.goto(f"{live_server}/pairings/")
    mentor.get_by_role("button", name="Accept").click()
    smtp_server.wait_for(1)
    smtp_server.clear()
    mentee = browser.new_context(java_script_enabled=False).new_page()
    ui_login(mentee, live_server, w.mentee.email, PASSWORD)
    mentee.goto(f"{live_server}/mentee/pairings/{w.pairing_id}")
    expect(mentee.locator(".together-contact")).to_contain_text("@milo")

    mentee.get_by_label("Your message").fill("Sent as a plain form")
    mentee.get_by_role("button", name="Send message").click()
    mentor.goto(f"{live_server}/mentor/programs/{w.program.id}/mentees/{mid(w, w.mentee)}")
    expect(mentor.locator("#thread-messages")).to_contain_text("Sent as a plain form")

    panel = mentor.locator("#meetings")
    _propose(panel, TIMES, "Send these times")
    smtp_server.wait_for(1)
    smtp_server.clear()
    mentee.reload()
    mentee.locator("#meetings li.slot").nth(0).get_by_role("button").click()
    expect(mentee.locator("#meetings")).to_contain_text("Booked")
    assert _invitations(smtp_server, w).decoded("DTSTART").isoformat() == PICKED_UTC

    clock.set_now(datetime(2026, 3, 26, 15, 0))
    mentee.reload()
    prompt = mentee.locator("#meetings .met-prompt")
    prompt.get_by_label("Yes, we met").check()
    prompt.get_by_role("button", name="Answer").click()
    expect(mentee.locator("#meetings .past-meetings")).to_contain_text("Yes, we met")
