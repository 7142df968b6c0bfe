"""Ending mentorships in a real browser (issue 14): the mentee ends one early with the closing
survey, the mentor completes another and answers the survey the first one's email invited them to,
the coordinator ends a third from the round page and completes a whole round in one confirmed
step; every mentor seat comes free, and the health page shows the surveys."""
import re

import pytest
from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import Round
from tests.conftest import PASSWORD
from tests.web.test_lifecycle_data import add_mentee, add_pairing, add_profile, mid

from .conftest import assert_accessible, screenshot, ui_login


def _round(app, program_id: int, name: str) -> int:
    with app.app_context():
        round_ = Round(program_id=program_id, name=name, state="approved")
        db.session.add(round_)
        db.session.commit()
        return round_.id


@pytest.fixture
def cohort(app, world, make_user):
    """Milo mentors three mentees from the spring round (his three seats); the autumn round has two more pairs."""
    w = world
    add_profile(app, mid(w, w.mentor), capacity_round=3)
    w.spring, w.autumn = _round(app, w.program.id, "Spring cohort"), _round(app, w.program.id, "Autumn cohort")
    w.bea, bea_mid = add_mentee(app, make_user, w, "Bea Brook")
    w.bea_mid = bea_mid
    w.cal, cal_mid = add_mentee(app, make_user, w, "Cal Cruz")
    w.pairs = {name: add_pairing(app, w.program.id, m, mid(w, w.mentor), state="active", round_id=w.spring)
               for name, m in (("mira", mid(w, w.mentee)), ("bea", bea_mid), ("cal", cal_mid))}
    for name in ("Dan Dune", "Eve Elm"):
        _, m = add_mentee(app, make_user, w, name)
        add_pairing(app, w.program.id, m, mid(w, w.mentor), state="accepted",
                    round_id=w.autumn)
    return w


def _mails_to(app, email: str) -> list:
    return [m for m in getattr(app.extensions["mailman"], "outbox", []) if m.to == [email]]


def test_ending_from_each_side_and_the_coordinator_then_complete_all(page, browser, live_server, app, cohort):
    w = cohort
    # The mentee, on a phone, ends her mentorship early with the closing survey.
    mentee = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ui_login(mentee, live_server, w.mentee.email, PASSWORD)
    mentee.goto(f"{live_server}/mentee/pairings/{w.pairs['mira']}")
    mentee.get_by_role("button", name="End this mentorship").click()
    mentee.get_by_label("Ended early").check()
    mentee.get_by_label("Why did it end early?").fill("I changed teams and my goal changed with it.")
    mentee.get_by_label("Would you recommend them? (0–10)").select_option("9")
    mentee.get_by_label("What changed for you?").fill("I now plan my week around one clear goal.")
    assert_accessible(mentee)
    screenshot(mentee, "ending")
    mentee.get_by_role("button", name="End the mentorship").click()
    expect(mentee.get_by_text(f"{w.mentor.name} has been told, kindly.")).to_be_visible()
    expect(mentee.get_by_text("Thank you for your closing survey")).to_be_visible()
    expect(mentee.locator("#ending")).to_contain_text("Ended early")
    assert mentee.evaluate("document.documentElement.scrollWidth") <= 390, "fits a phone"

    # The mentor completes Bea's mentorship from her page, with his survey...
    mentor = browser.new_context().new_page()
    ui_login(mentor, live_server, w.mentor.email, PASSWORD)
    mentor.goto(f"{live_server}/mentor/programs/{w.program.id}/mentees/{w.bea_mid}")
    mentor.get_by_role("button", name="End this mentorship").click()
    mentor.get_by_label("Ended early").check()
    mentor.get_by_role("button", name="End the mentorship").click()
    expect(mentor.locator("#end-reason-error")).to_contain_text("why it ends early")  # next to the field
    mentor.get_by_label("Completed: the goal is reached, or the cohort is over").check()
    mentor.get_by_label("Would you recommend them? (0–10)").select_option("10")
    mentor.get_by_role("button", name="End the mentorship").click()
    expect(mentor.get_by_text("Bea Brook has been told, kindly.")).to_be_visible()
    # ...and answers the survey Mira's ending invited him to, from the link in his email.
    [ended] = [m for m in _mails_to(app, w.mentor.email) if "has ended" in m.subject]
    link = re.search(r"https?://\S+/pairings/\d+/ending", ended.body).group(0)
    mentor.goto(link)
    mentor.get_by_label("Would you recommend them? (0–10)").select_option("8")
    mentor.get_by_label("What changed for you?").fill("I learned to ask before advising.")
    mentor.get_by_role("button", name="Send my answers").click()
    expect(mentor.get_by_text("your answer helps the coordinator")).to_be_visible()

    # The coordinator ends Cal's from the spring round page, then completes the autumn round.
    ui_login(page, live_server, w.coordinator.email, PASSWORD)
    base = f"{live_server}/coordinator/programs/{w.program.id}/rounds"
    page.goto(f"{base}/{w.spring}")
    running = page.locator("#running")
    expect(running).to_contain_text("Running pairings (1)")
    running.get_by_role("link", name="End this one").click()
    page.get_by_role("button", name="End this mentorship").click()
    expect(page.get_by_label("Would you recommend them? (0–10)")).to_have_count(0)  # no survey for a coordinator
    page.get_by_label("Completed: the goal is reached, or the cohort is over").check()
    page.get_by_role("button", name="End the mentorship").click()
    expect(page.get_by_text("is marked completed. Both have been told.")).to_be_visible()
    page.goto(f"{base}/{w.spring}")
    expect(page.locator("#running")).to_contain_text("No pairing of this round is still running")

    page.goto(f"{base}/{w.autumn}")
    page.get_by_role("button", name="Close and complete all pairings").click()
    expect(page.get_by_role("heading", name="Complete all pairings of Autumn cohort?")).to_be_visible()
    expect(page.get_by_text("Dan Dune with Milo Mentor")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the confirm step fits a phone"
    screenshot(page, "ending-complete-all")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Complete 2 pairings and close the round").click()
    expect(page.get_by_text("2 pairings completed and the round is closed.")).to_be_visible()
    expect(page.locator("#running")).to_contain_text("No pairing of this round is still running")

    # Every seat is free again, and the health page shows what the surveys said.
    mentor.goto(f"{live_server}/mentor/programs/{w.program.id}/profile")
    expect(mentor.get_by_text("0 of 3 seats taken")).to_be_visible()
    page.goto(f"{live_server}/coordinator/programs/{w.program.id}/health")
    endings = page.locator("#endings")
    expect(endings).to_contain_text("4 completed · 1 ended early · 0 closed as inactive")
    expect(endings).to_contain_text("would recommend 9.0 of 10 on average")
    expect(endings).to_contain_text("I changed teams and my goal changed with it.")
    assert_accessible(page)
    screenshot(page, "ending-health")
