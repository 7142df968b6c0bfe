"""A coordinator finds that an email could not be delivered, sees why on the program's Mail page
(at desktop and phone width), and sends it again once the mail server is back."""
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from mentormatch.core import outbox
from mentormatch.extensions import db
from tests.smtp import Inbox, free_port

from .conftest import assert_accessible, screenshot, ui_login
from .journey import DEMO_PASSWORD, seed

COORDINATOR = "coordinator@example.org"
PORT = free_port()


def test_a_failed_email_is_shown_and_sent_again(page, browser, live_server, app):
    program = seed(app)
    # The mail server is down: the message is tried twice, then counted as failed.
    app.extensions["mailman"].backend = "smtp"
    app.extensions["mailman"].server, app.extensions["mailman"].port = "127.0.0.1", PORT
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    with app.app_context():
        outbox.queue("mentor1@example.org", outbox.Mail("You have a new mentee proposal", "Hello", ""), program_id=program["id"])
        db.session.commit()

    ui_login(page, live_server, COORDINATOR, DEMO_PASSWORD)
    page.goto(f"{live_server}/coordinator/programs/{program['id']}")
    page.get_by_role("link", name="See which, and retry").click()
    expect(page.get_by_role("heading", name="Mail delivery")).to_be_visible()
    row = page.locator("tbody tr", has_text="mentor1@example.org")
    expect(row).to_contain_text("ConnectionRefusedError")
    assert_accessible(page)
    screenshot(page, "mail-delivery")

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ui_login(phone, live_server, COORDINATOR, DEMO_PASSWORD)
    phone.goto(page.url)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    screenshot(phone, "mail-delivery-phone")

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=PORT)
    server.start()
    try:
        row.get_by_role("button", name="Retry").click()
        expect(page.get_by_text("1 email will be sent again now.")).to_be_visible()
        assert [m["to"] for m in inbox.wait_for(1)] == [["mentor1@example.org"]]
        expect(page.locator("#mail-sent")).to_have_text("1")
    finally:
        server.stop()
