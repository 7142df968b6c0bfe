"""A mentee withdraws an open request in a real browser (issue 14, first hour): with JavaScript on,
the confirm dialog asks first (dismissed: nothing happens; accepted: withdrawn); with JavaScript
off, the confirmation page asks instead ("Keep it" changes nothing; "Yes, withdraw it" withdraws).
Explicit waits on URLs and selectors only, never sleeps."""
import re

import pytest
from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import MicroRequest, User

from .conftest import ui_login
from .journey import DEMO_PASSWORD, seed

ANA = "mentee1@example.org"


def _open_requests(app) -> list[int]:
    with app.app_context():
        ana = db.session.scalar(db.select(User).where(User.email == ANA))
        return list(db.session.scalars(db.select(MicroRequest.id).join(MicroRequest.mentee).where(
            MicroRequest.state == "open").where(MicroRequest.mentee.has(user_id=ana.id)).order_by(MicroRequest.id)))


def _state(app, request_id: int) -> str:
    with app.app_context():
        return db.session.get(MicroRequest, request_id).state


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_withdrawing_a_request_asks_first_with_and_without_javascript(browser, live_server, app, javascript):
    seed(app)
    request_id = _open_requests(app)[0]
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(8000)
    page = context.new_page()
    ui_login(page, live_server, ANA, DEMO_PASSWORD)
    show = f"{live_server}/requests/{request_id}"
    page.goto(show)
    withdraw = page.get_by_role("button", name="Withdraw this request")
    if javascript:
        page.once("dialog", lambda dialog: dialog.dismiss())
        withdraw.click()
        expect(page).to_have_url(show)
        assert _state(app, request_id) == "open", "dismissed: nothing withdrawn"
        page.once("dialog", lambda dialog: dialog.accept())
        withdraw.click()
    else:
        withdraw.click()
        expect(page).to_have_url(re.compile(rf"/requests/{request_id}/cancel"))
        expect(page.get_by_role("heading", name="Withdraw this request?")).to_be_visible()
        page.get_by_role("button", name="Keep it").click()
        expect(page).to_have_url(show)
        assert _state(app, request_id) == "open", "kept: nothing withdrawn"
        withdraw.click()
        expect(page).to_have_url(re.compile(rf"/requests/{request_id}/cancel"))
        page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_text("Request withdrawn.")).to_be_visible()
    assert _state(app, request_id) == "cancelled"
    expect(page.get_by_role("button", name="Undo: reopen this request")).to_be_visible()
    context.close()
