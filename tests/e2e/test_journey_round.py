"""A mentor sets capacity; the coordinator runs a round, watches it, locks a pair, re-runs and approves;
the mentor accepts the proposal in place."""
import re
import time

import pytest
from playwright.sync_api import expect

import mentormatch.matching as matching

from .conftest import assert_accessible, screenshot, ui_login
from .journey import DEMO_PASSWORD, focus_of, seed

MAYA = "mentor1@example.org"  # a named demo mentor
COORDINATOR = "coordinator@example.org"


@pytest.fixture
def slow_solve(monkeypatch):
    """Make each solve take a moment longer, so the live progress component can be seen polling."""
    real = matching.solve

    def slow(*args, **kwargs):
        time.sleep(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(matching, "solve", slow)


def _wait_for_run(page) -> None:
    """The progress component polls, then replaces itself with the result and a link that takes focus."""
    show = page.get_by_role("button", name="Show the proposal")
    expect(show).to_be_visible(timeout=20000)
    expect(show).to_be_focused()
    show.click()
    expect(page.locator("#review")).to_be_visible()


def test_round_from_capacity_to_an_accepted_proposal(page, browser, live_server, app, slow_solve):
    program = seed(app)
    # The mentor makes room for more mentees this round.
    mentor = browser.new_context().new_page()
    ui_login(mentor, live_server, MAYA, DEMO_PASSWORD)
    mentor.get_by_role("button", name="Edit your profile").click()
    expect(mentor.get_by_role("heading", name="Your mentor profile")).to_be_visible()
    mentor.get_by_label("Mentees per round").fill("99")
    mentor.get_by_role("button", name="Save my profile").click()
    expect(mentor.locator("#capacity_round-feedback .error")).to_be_visible()  # 0–20, shown next to the field
    mentor.get_by_label("Mentees per round").fill("3")
    assert_accessible(mentor)
    screenshot(mentor, "mentor-profile")
    mentor.get_by_role("button", name="Save my profile").click()
    expect(mentor.get_by_text("Your profile is saved.")).to_be_visible()

    # The coordinator creates a round and runs it, watching the progress.
    ui_login(page, live_server, COORDINATOR, DEMO_PASSWORD)
    page.goto(f"{live_server}/coordinator/programs/{program['id']}/rounds")
    page.get_by_role("button", name="New round").click()
    assert_accessible(page)
    page.get_by_label("Round name").fill("Spring 2027 cohort")
    page.get_by_role("button", name="Create round").click()
    expect(page.get_by_role("heading", name=re.compile("Spring 2027 cohort"))).to_be_visible()
    page.get_by_role("button", name="Run the optimizer").click()
    expect(page.locator("#run-progress progress")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "round-progress")
    _wait_for_run(page)
    assert_accessible(page)
    screenshot(page, "round-review")

    # Lock the mentor's pair, found through the table's active search.
    page.locator("#pairs").get_by_label("Search").fill("Maya")
    row = page.locator("#pairs tbody tr").filter(has_text="Maya Mentor").first
    mentee_name = row.locator("td").first.inner_text().strip()
    row.get_by_role("button", name="Lock").click()
    expect(page.get_by_text("Pair locked.")).to_be_visible()

    # Re-run: the locked pair survives it.
    page.get_by_role("button", name="Run again").click()
    _wait_for_run(page)
    page.locator("#pairs").get_by_label("Search").fill(mentee_name)
    kept = page.locator("#pairs tbody tr").filter(has_text=mentee_name).first
    expect(kept).to_contain_text("Maya Mentor")
    expect(kept).to_contain_text("locked")
    page.get_by_role("button", name="Compare runs").click()
    assert_accessible(page)
    page.go_back()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_role("heading", name=re.compile("Spring 2027 cohort"))).to_contain_text("approved", ignore_case=True)

    # The mentor accepts the proposal in place; focus lands on the refreshed panel, not <body>.
    mentor.goto(f"{live_server}/mentor/")
    proposal = mentor.locator("#mentor-proposals li.proposal").filter(has_text=mentee_name)
    expect(proposal).to_be_visible()
    assert_accessible(mentor)
    screenshot(mentor, "mentor-home")
    proposal.get_by_role("button", name="Accept").click()
    expect(mentor.locator("#mentor-proposals li.proposal").filter(has_text=mentee_name)).to_have_count(0)
    assert focus_of(mentor) != "BODY", "focus lost after accepting a proposal"
    assert mentor.evaluate("document.getElementById('mentor-proposals').contains(document.activeElement)")
    mentor.reload()
    expect(mentor.get_by_role("main")).to_contain_text(mentee_name)
    assert_accessible(mentor)

    # Program health, as the coordinator watches it afterwards.
    page.goto(f"{live_server}/coordinator/programs/{program['id']}/health")
    assert_accessible(page)
    screenshot(page, "health")
