"""A mentee sends a micro-request through the mentor directory; the mentor accepts; the mentee follows up
and says thanks. Also sent with JavaScript off."""
import re

from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot, ui_login
from .journey import DEMO_PASSWORD, seed

MAYA = "mentor1@example.org"
MENTEE = "mentee3@example.org"  # a demo mentee with no open request yet


def _make_room(browser, base: str) -> None:
    """Maya raises her monthly micro-request capacity (the demo fills it), through her profile."""
    context = browser.new_context()
    mentor = context.new_page()
    ui_login(mentor, base, MAYA, DEMO_PASSWORD)
    mentor.get_by_role("button", name="Edit your profile").click()
    mentor.get_by_label("Micro-requests per month").fill("12")
    mentor.get_by_role("button", name="Save my profile").click()
    expect(mentor.get_by_text("Your profile is saved.")).to_be_visible()
    context.close()


def _ask_maya(page, base: str, program_id: int, question: str) -> None:
    page.goto(f"{base}/requests/programs/{program_id}/mentors?q=Maya")
    page.get_by_role("button", name="Ask Maya").click()
    expect(page.get_by_role("heading", name="Ask Maya Mentor")).to_be_visible()
    page.get_by_role("button", name="Send request").click()  # empty: refused, error next to the field
    expect(page.locator("#question-feedback .error")).to_contain_text("Ask one specific question.")
    page.get_by_label("Your one question").fill(question)
    page.get_by_label("A 15-minute call").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Sent to Maya Mentor.")).to_be_visible()


def test_mentee_asks_a_mentor_who_accepts_then_gets_a_follow_up_and_thanks(page, browser, live_server, app):
    program = seed(app)
    _make_room(browser, live_server)
    ui_login(page, live_server, MENTEE, DEMO_PASSWORD)

    # The directory's active search narrows the cards as the mentee types.
    page.goto(f"{live_server}/requests/programs/{program['id']}/mentors")
    expect(page.get_by_role("heading", name="Ask a mentor")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "directory")
    page.get_by_label("Search").press_sequentially("Maya", delay=5)
    expect(page).to_have_url(re.compile(r"q=Maya"))
    expect(page.get_by_role("button", name="Ask Maya")).to_be_visible()
    question = "Could you look at my 5-slide pitch for the data migration and tell me which slide loses you?"
    _ask_maya(page, live_server, program["id"], question)
    assert_accessible(page)

    mentor = browser.new_context().new_page()
    ui_login(mentor, live_server, MAYA, DEMO_PASSWORD)
    mentor.goto(f"{live_server}/requests/inbox")
    item = mentor.locator("main li, main article").filter(has_text=question[:40]).last
    assert_accessible(mentor)
    item.get_by_role("button", name="Accept").click()
    mentor.wait_for_load_state()
    assert_accessible(mentor)

    page.reload()
    expect(page.get_by_role("main")).to_contain_text("Accepted")
    page.get_by_role("button", name="Tell them what you did with it").click()
    assert_accessible(page)
    page.get_by_label("What I did with the advice").check()
    page.get_by_label("Your message").fill("I cut slide 3 and the <script>alert(1)</script> demo ran fine.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to Maya Mentor. Thank you for closing the loop.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("<script>alert(1)</script>")  # shown as text, not run
    page.get_by_role("button", name=re.compile("Tell them what you did with it|Send a follow-up or thanks")).click()
    page.get_by_label("A thank-you").check()
    page.get_by_label("Your message").fill("Thank you, the pitch went well.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("main")).to_contain_text("Thank you, the pitch went well.")
    assert_accessible(page)

    # The mentor sees both on the request.
    mentor.goto(page.url)
    expect(mentor.get_by_role("main")).to_contain_text("Thank you, the pitch went well.")
    expect(mentor.get_by_role("main")).to_contain_text("I cut slide 3")


def test_micro_request_is_sent_with_javascript_off(browser, live_server, app):
    program = seed(app)
    _make_room(browser, live_server)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    ui_login(page, live_server, MENTEE, DEMO_PASSWORD)
    # The directory search is a plain GET form without JavaScript.
    page.goto(f"{live_server}/requests/programs/{program['id']}/mentors")
    page.get_by_label("Search").fill("Maya")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=Maya"))
    _ask_maya(page, live_server, program["id"], "Which of my two offers has the better learning curve, given this list?")
    context.close()
