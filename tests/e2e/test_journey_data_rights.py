"""Data rights in a real browser (issue 17, items 3-4): a coordinator removes a mentor from the
program (the waiting mentee is released kindly, the mentor loses the program); a mentee looks at
and downloads her data, asks to delete her account, undoes it once from the email's link, confirms
again, and after the grace period the scheduled run erases it: she cannot log in, and her mentor's
history is still there with her shown as "A former member"."""
import json
import re
from datetime import timedelta

from playwright.sync_api import expect

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Message, MicroRequest
from mentormatch.services import reminders
from tests.conftest import PASSWORD
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, mid, send_request

from .conftest import assert_accessible, screenshot, ui_login


def _last_link(app, email: str, pattern: str) -> str:
    mails = [m for m in getattr(app.extensions["mailman"], "outbox", []) if m.to == [email]]
    links = [found.group(0) for m in mails if (found := re.search(pattern, m.body))]
    assert links, [m.subject for m in mails]
    return links[-1]


def test_a_coordinator_removes_a_mentor_from_the_program(browser, live_server, app, world):
    w = world
    add_profile(app, mid(w, w.mentor))
    request_id = send_request(app, w.mentee, w.program.id, mid(w, w.mentor))
    coordinator = browser.new_context().new_page()
    ui_login(coordinator, live_server, w.coordinator.email, PASSWORD)
    coordinator.goto(f"{live_server}/coordinator/programs/{w.program.id}/people/{mid(w, w.mentor)}")
    coordinator.get_by_role("link", name="Remove from the program…").click()
    assert_accessible(coordinator)
    screenshot(coordinator, "remove_member")
    coordinator.get_by_role("button", name="Remove from the program").click()
    expect(coordinator.get_by_text(f"{w.mentor.name} was removed from {w.program.name}.")).to_be_visible()
    with app.app_context():
        assert db.session.get(MicroRequest, request_id).state == "declined"
    mentee_mails = [m for m in app.extensions["mailman"].outbox if m.to == [w.mentee.email]]
    assert any("is not available right now" in m.subject for m in mentee_mails), "the kind release email"
    mentor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ui_login(mentor, live_server, w.mentor.email, PASSWORD)
    assert mentor.goto(f"{live_server}/requests/{request_id}").status == 404
    coordinator.goto(f"{live_server}/coordinator/programs/{w.program.id}/audit")
    expect(coordinator.locator("table")).to_contain_text("member → removed")
    assert_accessible(coordinator)
    screenshot(coordinator, "audit_log")


def test_a_mentee_exports_then_deletes_her_account_and_her_mentor_keeps_the_history(
        browser, live_server, app, world):
    w = world
    add_profile(app, mid(w, w.mentor))
    add_goal(app, mid(w, w.mentee), near_term_goal="Run my first design review")
    pairing = add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor), state="active")
    with app.app_context():
        db.session.add_all([
            Message(program_id=w.program.id, pairing_id=pairing, author_membership_id=mid(w, w.mentee),
                    body="Thank you for the review tips!"),
            Message(program_id=w.program.id, pairing_id=pairing, author_membership_id=mid(w, w.mentor),
                    body="Glad they helped, keep going."),
        ])
        db.session.commit()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ui_login(page, live_server, w.mentee.email, PASSWORD)
    page.goto(f"{live_server}/account/")
    assert_accessible(page)
    screenshot(page, "my_data_phone")
    page.get_by_role("button", name="See my data").click()
    expect(page.get_by_text("Run my first design review")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "fits a phone"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download it as a JSON file").click()
    with open(download.value.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["account"]["email"] == w.mentee.email

    # Ask, confirm from the email, undo from the email: nothing is deleted.
    page.goto(f"{live_server}/account/")
    page.get_by_role("button", name="Email me a link to delete my account").click()
    expect(page.get_by_text("We sent you an email")).to_be_visible()
    page.goto(_last_link(app, w.mentee.email, r"http\S+/account/delete/confirm/\S+"))
    page.get_by_role("button", name=re.compile("Yes, delete my account")).click()
    expect(page.get_by_role("heading", name="Your account will be deleted")).to_be_visible()
    page.goto(_last_link(app, w.mentee.email, r"http\S+/account/delete/undo/\S+"))
    page.get_by_role("button", name="Keep my account").click()
    expect(page.get_by_role("heading", name="Your account stays")).to_be_visible()

    # Again, for real; the grace period passes and the scheduled run erases the account.
    page.goto(f"{live_server}/account/")
    page.get_by_role("button", name="Email me a link to delete my account").click()
    page.goto(_last_link(app, w.mentee.email, r"http\S+/account/delete/confirm/\S+"))
    page.get_by_role("button", name=re.compile("Yes, delete my account")).click()
    page.goto(f"{live_server}/account/")
    expect(page.get_by_role("button", name="Keep my account")).to_be_visible()
    screenshot(page, "deletion_pending_phone")
    clock.set_now(clock.now() + timedelta(days=7, minutes=1))
    try:
        with app.app_context():
            assert len(reminders.run().accounts_erased) == 1
    finally:
        clock.set_now(None)
    page.goto(f"{live_server}/account/")
    assert "/auth/login" in page.url, "her session ended"
    page.get_by_label("Email").fill(w.mentee.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert "/auth/login" in page.url

    mentor = browser.new_context().new_page()
    ui_login(mentor, live_server, w.mentor.email, PASSWORD)
    mentor.goto(f"{live_server}/threads/pairing/{pairing}")
    expect(mentor.locator("main")).to_contain_text("A former member")
    expect(mentor.locator("main")).to_contain_text("Glad they helped, keep going.")
    expect(mentor.locator("main")).not_to_contain_text("Thank you for the review tips!")
    screenshot(mentor, "former_member_history")
