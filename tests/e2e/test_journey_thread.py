"""Two browsers on one pairing's thread: the mentee sends with htmx, the mentor's open page shows the
message without a reload (the 5-second poll); the mentor answers from a phone-sized screen. Also
sent with JavaScript off (the plain form). Writes docs/screenshots/thread.png."""
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, mid

from .conftest import assert_accessible, screenshot, ui_login

PHONE = {"width": 390, "height": 844}


def test_a_message_sent_in_one_browser_appears_in_the_other_without_a_reload(browser, live_server, app, world):
    add_profile(app, mid(world, world.mentor))
    add_goal(app, mid(world, world.mentee))
    pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                             state="active")

    mentor = browser.new_context().new_page()
    ui_login(mentor, live_server, world.mentor.email, PASSWORD)
    mentor.goto(f"{live_server}/mentor/programs/{world.program.id}/mentees/{mid(world, world.mentee)}")
    expect(mentor.get_by_role("heading", name="Messages with Mira Mentee")).to_be_visible()
    expect(mentor.get_by_text("No messages yet.")).to_be_visible()
    mentor.evaluate("window.stillTheSamePage = true")

    mentee = browser.new_context(viewport=PHONE).new_page()
    ui_login(mentee, live_server, world.mentee.email, PASSWORD)
    mentee.goto(f"{live_server}/mentee/pairings/{pairing_id}")
    mentee.get_by_role("button", name="Send message").click()  # empty: refused next to the field
    expect(mentee.locator("#body-feedback .error")).to_contain_text("Write a message first.")
    mentee.get_by_label("Your message").fill("Hi Milo! My draft is here: https://example.org/draft. "
                                             "Is Thursday good for a call?")
    mentee.get_by_role("button", name="Send message").click()
    expect(mentee.locator("#thread-messages li")).to_have_count(1)
    expect(mentee.get_by_label("Your message")).to_have_value("")
    expect(mentee.get_by_role("link", name="https://example.org/draft")).to_have_attribute(
        "rel", "nofollow noopener noreferrer")

    # The mentor's page was open all along: the poll brings the message in.
    expect(mentor.locator("#thread-messages li")).to_have_count(1, timeout=12000)
    expect(mentor.get_by_text("Is Thursday good for a call?")).to_be_visible()
    expect(mentor.get_by_text("No messages yet.")).to_have_count(0)
    assert mentor.evaluate("window.stillTheSamePage") is True, "no reload"
    mentor.get_by_label("Your message").fill("Thursday 10:00 works. I will read the draft before.")
    mentor.get_by_role("button", name="Send message").click()

    expect(mentee.get_by_text("Thursday 10:00 works.")).to_be_visible(timeout=12000)
    assert mentee.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "fits a phone"
    assert_accessible(mentee)
    screenshot(mentee, "thread")


def test_the_thread_works_without_javascript(browser, live_server, app, world):
    add_profile(app, mid(world, world.mentor))
    pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                             state="accepted")
    page = browser.new_context(java_script_enabled=False).new_page()
    ui_login(page, live_server, world.mentee.email, PASSWORD)
    page.goto(f"{live_server}/mentee/pairings/{pairing_id}")
    page.get_by_label("Your message").fill("Sent without JavaScript <b>bold?</b>")
    page.get_by_role("button", name="Send message").click()
    expect(page).to_have_url(f"{live_server}/mentee/pairings/{pairing_id}#thread")
    expect(page.locator("#thread-messages li")).to_contain_text("Sent without JavaScript <b>bold?</b>")
