"""A mentee in Berlin proposes three times; her mentor in New York sees each in both zones (one
marked outside her working hours), picks one, and both receive the calendar invitation over SMTP.
Screenshots: the slot picker (meetings.png, and at phone width) and the invitation email."""
import html as html_lib
from datetime import datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from mentormatch.core import clock
from tests.conftest import PASSWORD
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, mid
from tests.web.test_meetings import NOW

from .conftest import SCREENSHOTS, assert_accessible, ui_login

VIDEO = "https://meet.example.org/mira-milo"


@pytest.fixture
def pair(app, world):
    clock.set_now(NOW)
    add_goal(app, mid(world, world.mentee), timezone="Europe/Berlin")
    add_profile(app, mid(world, world.mentor), timezone="America/New_York")
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", answered_at=NOW)
    yield world
    clock.set_now(None)


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_propose_three_times_the_other_picks_and_both_get_the_invitation(page, browser, live_server, app, pair,
                                                                         smtp_server):
    w = pair
    ui_login(page, live_server, w.mentee.email, PASSWORD)
    page.goto(f"{live_server}/mentee/pairings/{w.pairing_id}")
    panel = page.locator("#meetings")
    for n, (day, at) in enumerate((("2026-03-26", "16:00"), ("2026-03-30", "16:00"), ("2026-03-30", "20:00")), 1):
        panel.get_by_label("Date", exact=True).nth(n - 1).fill(day)
        panel.get_by_label("Start", exact=True).nth(n - 1).fill(at)
    panel.get_by_label("How long").select_option("30")
    panel.get_by_label("Video link (optional)").fill(VIDEO)
    panel.screenshot(path=str(_shot("meetings-propose")))
    assert_accessible(page)
    panel.get_by_role("button", name="Send these times").click()
    expect(panel.get_by_text("Times sent to Milo Mentor")).to_be_visible()
    expect(panel.get_by_text("Waiting for Milo")).to_be_visible()
    assert len(smtp_server.wait_for(1)) == 1

    mentor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    ui_login(mentor, live_server, w.mentor.email, PASSWORD)
    mentor.goto(f"{live_server}/mentor/programs/{w.program.id}/mentees/{mid(w, w.mentee)}#meetings")
    slots = mentor.locator("#meetings li.slot")
    expect(slots).to_have_count(3)
    expect(slots.nth(0)).to_contain_text("Thu 26 Mar 2026, 11:00–11:30 EDT")
    expect(slots.nth(0)).to_contain_text("Thu 26 Mar 2026, 16:00–16:30 CET")
    expect(slots.nth(1)).to_contain_text("Mon 30 Mar 2026, 10:00–10:30 EDT")
    expect(slots.nth(2)).to_contain_text("outside Mira’s working hours")
    assert_accessible(mentor)
    mentor.locator("#meetings").screenshot(path=str(_shot("meetings")))

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ui_login(phone, live_server, w.mentor.email, PASSWORD)
    phone.goto(mentor.url)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    phone.locator("#meetings").screenshot(path=str(_shot("meetings-phone")))
    mentee_phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ui_login(mentee_phone, live_server, w.mentee.email, PASSWORD)
    mentee_phone.goto(f"{live_server}/mentee/pairings/{w.pairing_id}")
    mentee_phone.get_by_text("Change your times").click()  # the propose form, unfolded
    width = mentee_phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the mentee's page is {width}px wide on a 390px phone"

    smtp_server.clear()
    slots.nth(0).get_by_role("button", name="Pick Thu 26 Mar 2026, 11:00–11:30 EDT").click()
    expect(mentor.locator("#meetings")).to_contain_text("Booked")
    assert_accessible(mentor)
    expect(mentor.get_by_role("button", name="Add to calendar")
           .or_(mentor.get_by_role("link", name="Add to calendar"))).to_be_visible()
    messages = smtp_server.wait_for(2)
    assert sorted(m["to"][0] for m in messages) == sorted([w.mentee.email, w.mentor.email])
    for message in messages:
        [attachment] = message["attachments"]
        [event] = Calendar.from_ical(attachment["content"]).walk("VEVENT")
        assert event.decoded("DTSTART").isoformat() == "2026-03-26T15:00:00+00:00"
        assert str(event["LOCATION"]) == VIDEO

    # She would rather move it; he keeps the booked time (htmx), and her new times are gone.
    page.reload()
    panel.locator("summary", has_text="Reschedule").click()
    panel.get_by_label("Date", exact=True).nth(0).fill("2026-03-30")
    panel.get_by_label("Start", exact=True).nth(0).fill("16:00")
    panel.get_by_role("button", name="Send new times").click()
    expect(panel.get_by_text("Waiting for Milo")).to_be_visible()
    mentor.reload()
    mentor.get_by_role("button", name="Keep the booked time").click()
    expect(mentor.locator("#meetings")).to_contain_text("The booked time stands.")
    expect(mentor.locator("#meetings li.slot")).to_have_count(0)
    expect(mentor.locator("#meetings .meeting-booked")).to_contain_text("Thu 26 Mar 2026, 11:00–11:30 EDT")

    # After the meeting, the mentee answers "did you meet?" on her page (htmx swaps the panel).
    clock.set_now(datetime(2026, 3, 26, 16, 0))
    page.reload()
    prompt = page.locator("#meetings .met-prompt")
    prompt.get_by_label("Yes, we met").check()
    prompt.get_by_label("Anything to add? (one line, optional)").fill("Good first talk")
    page.locator("#meetings").screenshot(path=str(_shot("meetings-did-you-meet")))
    prompt.get_by_role("button", name="Answer").click()
    expect(page.locator("#meetings")).to_contain_text("Thank you for answering.")
    expect(page.locator("#meetings .past-meetings")).to_contain_text("Yes, we met")

    # The mentee's copy, as a mail client would show it, for the screenshot.
    mail = next(m for m in messages if m["to"] == [w.mentee.email])
    [attachment] = mail["attachments"]
    viewer = browser.new_context(viewport={"width": 720, "height": 440}).new_page()
    viewer.set_content(f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Invitation email</title>
      <style>body{{font-family:sans-serif;margin:0;background:#f3f4f6}} header{{background:#fff;padding:12px 16px;
      border-bottom:1px solid #ddd}} header p{{margin:2px 0}} .att{{display:inline-block;margin-top:6px;padding:4px 8px;
      border:1px solid #ccc;border-radius:4px;background:#fafafa}} iframe{{border:0;width:100%;height:330px;background:#fff}}</style>
      </head><body><header><p><strong>{html_lib.escape(mail["subject"])}</strong></p>
      <p>To: {html_lib.escape(mail["to"][0])}</p>
      <p class="att">Attachment: {html_lib.escape(attachment["filename"])} · {attachment["content_type"]}; method={attachment["method"]}</p>
      </header><iframe title="Message" srcdoc="{html_lib.escape(mail["html"])}"></iframe></body></html>""")
    viewer.screenshot(path=str(_shot("invitation-email")), full_page=True)


def _shot(name: str):
    """A screenshot of one element or page, kept current in docs/screenshots by the test run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
