"""A coordinator creates a program; a mentee joins it through the invite link; all pages accessible."""
from tests.conftest import PASSWORD

from .conftest import assert_accessible, screenshot, ui_login
from .journey import signup_link


def test_coordinator_creates_a_program_and_a_mentee_joins_by_invite(page, live_server, make_user, browser, app):
    coordinator = make_user("coordinator", "Cleo Coordinator")
    page.goto(live_server)
    assert_accessible(page)
    screenshot(page, "landing")

    ui_login(page, live_server, coordinator.email, PASSWORD)
    page.get_by_role("button", name="New program").click()
    assert_accessible(page)
    page.get_by_label("Program name").fill("Spring Bootcamp")
    page.get_by_label("Description").fill("Career changers meet engineers a few years ahead.")
    page.get_by_role("button", name="Create program").click()
    page.get_by_role("heading", name="Spring Bootcamp").wait_for()
    assert_accessible(page)
    screenshot(page, "coordinator-program")
    invite = page.get_by_label("For mentees").input_value()
    assert "/join/" in invite

    mentee = browser.new_context().new_page()
    mentee.goto(invite)
    assert_accessible(mentee)
    mentee.get_by_role("button", name="Create an account and join").click()
    assert_accessible(mentee)
    # The sign-up form asks only the address (the mail can only go to a plain-ASCII one).
    mentee.get_by_label("Email").fill("nïa@example.org")
    mentee.get_by_role("button", name="Email me a link").click()
    assert "plain ASCII" in mentee.locator("#email-feedback").inner_text()
    assert_accessible(mentee)
    mentee.get_by_label("Email").fill("nia@example.org")
    mentee.get_by_role("button", name="Email me a link").click()
    # The same answer for a new and a taken address: the link arrives by mail.
    mentee.get_by_role("heading", name="Check your inbox").wait_for()
    assert_accessible(mentee)
    mentee.goto(signup_link(app, "nia@example.org"))
    assert_accessible(mentee)
    # The link's page asks the name and the password: the error appears next to the field, and
    # what was typed is kept.
    mentee.get_by_label("Full name").fill("Nia Newcomer")
    mentee.get_by_label("Password").fill("short")
    mentee.get_by_role("button", name="Create my account").click()
    assert "at least 8 characters" in mentee.locator("#password-feedback").inner_text()
    assert mentee.get_by_label("Full name").input_value() == "Nia Newcomer"
    assert_accessible(mentee)
    mentee.get_by_label("Password").fill("a long enough phrase")
    mentee.get_by_role("button", name="Create my account").click()
    mentee.get_by_text("You joined Spring Bootcamp.").wait_for()
    assert mentee.url.endswith("/mentee/")

    page.reload()
    assert "Nia Newcomer" in page.content()


def test_forms_work_with_javascript_off(browser, live_server, make_user):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    coordinator = make_user("coordinator")
    ui_login(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server}/coordinator/programs/new")
    page.get_by_label("Program name").fill("No-JS Program")
    page.get_by_role("button", name="Create program").click()
    page.get_by_role("heading", name="No-JS Program").wait_for()
    context.close()
