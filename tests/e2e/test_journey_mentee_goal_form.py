"""A mentee joins through the invite link and writes their goals, helped by inline checks as they type."""
import re

from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot
from .journey import focus_of, seed, signup_link


def _sign_up(page, app, invite: str, name: str, email: str, *, check: bool = True) -> None:
    page.goto(invite)
    page.get_by_role("button", name="Create an account and join").click()
    if check:  # axe needs JavaScript: the no-JS journey skips it (the same pages are scanned with JS on)
        assert_accessible(page)
        screenshot(page, "signup")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    page.goto(signup_link(app, email))
    if check:
        screenshot(page, "signup-finish")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/mentee/$"))


def test_mentee_goal_form_shows_hints_and_errors_while_typing_and_keeps_focus(page, live_server, app):
    program = seed(app)
    _sign_up(page, app, f"{live_server}/join/{program['mentee_invite']}", "Nia Newcomer", "nia@example.org")
    page.get_by_role("button", name="Fill in your goals").click()
    expect(page.get_by_role("heading", name="Your goals")).to_be_visible()
    assert_accessible(page)

    # A vague power question: the hint appears while typing, no submit; focus stays in the box.
    question = page.get_by_label("Your one power question for the first conversation")
    question.press_sequentially("Any advice on breaking into tech?", delay=5)
    expect(page.locator("#power_question-feedback .hint")).to_contain_text("big, open ask")
    assert focus_of(page) == "TEXTAREA#power_question[name=power_question]"

    # A bad value gets its error next to the field, without a submit; fixing it clears the error.
    years = page.get_by_label("Years of experience")
    years.fill("99")
    years.press("Tab")
    expect(page.locator("#years-feedback .error")).to_be_visible()
    assert page.url.endswith(f"/mentee/programs/{program['id']}/goals")
    assert focus_of(page) != "BODY"
    years.fill("3")
    years.press("Tab")
    expect(page.locator("#years-feedback .error")).to_have_count(0)

    # Adding a topic replaces the picker; keyboard focus must land inside it, not on <body>.
    page.get_by_label("Find a topic").press_sequentially("Python", delay=5)
    add = page.locator("#topic-results").get_by_role("button", name=re.compile("Python"))
    add.first.click()
    expect(page.locator("#topics-picker .chosen-topics")).to_contain_text("Python")
    focused = focus_of(page)
    assert focused != "BODY", "focus lost after adding a topic"
    assert page.evaluate("document.getElementById('topics-picker').contains(document.activeElement)"), focused

    page.get_by_label("Your goal for the next 3–6 months").fill("Lead my first feature end to end at work.")
    page.get_by_label("Your long-term ambition").fill("A staff engineer who mentors others.")
    question.fill("Could you look at my 5-slide design doc and tell me which part is unclear?")
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Time zone", exact=True).select_option("Europe/Lisbon")
    page.get_by_label("Current role level").select_option("junior")
    expect(page.locator("#power_question-feedback .hint")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "mentee-goal-form")

    page.get_by_role("button", name="Save my goals").click()
    expect(page.get_by_text("Your goals are saved.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Lead my first feature end to end at work.")
    assert_accessible(page)
    screenshot(page, "mentee-home")


def test_mentee_goal_form_saves_with_javascript_off(browser, live_server, app):
    program = seed(app)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_up(page, app, f"{live_server}/join/{program['mentee_invite']}", "Noa Noscript", "noa@example.org", check=False)
    page.goto(f"{live_server}/mentee/programs/{program['id']}/goals")
    page.get_by_label("Your goal for the next 3–6 months").fill("Pass the AWS associate exam by March.")
    # The topic picker works as plain form posts: search, then add.
    page.get_by_label("Find a topic").fill("Python")
    page.locator("#topics-picker").get_by_role("button", name="Search").click()
    page.locator("#topic-results").get_by_role("button", name=re.compile("Python")).first.click()
    expect(page.locator("#topics-picker .chosen-topics")).to_contain_text("Python")
    # A bad value without JavaScript: the error comes back next to the field after the submit.
    page.get_by_label("Years of experience").fill("99")
    page.get_by_role("button", name="Save my goals").click()
    expect(page.locator("#years-feedback .error")).to_be_visible()
    page.get_by_label("Years of experience").fill("2")
    page.get_by_label("Your one power question for the first conversation").fill(
        "Which two AWS services should I practise first for the associate exam?")
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Time zone", exact=True).select_option("Europe/Lisbon")
    page.get_by_label("Current role level").select_option("junior")
    page.get_by_role("button", name="Save my goals").click()
    expect(page.get_by_text("Your goals are saved.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Pass the AWS associate exam by March.")
    context.close()
