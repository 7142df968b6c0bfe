"""One account, roles per program (issue 15): a person joins program A as a mentor and program B
as a mentee through the two invite links, with one account and no second sign-up; the navigation
shows both sides; they answer A's mentor question on the mentor side and plan a goal step in B on
the mentee side. Explicit waits on URLs and selectors only, never sleeps."""
import re

from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import GoalStep, Membership, Program, QuestionAnswer
from mentormatch.services import questions

from .conftest import assert_accessible, ui_login

PASSWORD = "correct horse battery"


def _programs(app, make_user, make_program) -> tuple:
    coordinator = make_user("coordinator", "Cora Coordinator")
    a = make_program(coordinator, "Alpha guild")
    b = make_program(coordinator, "Beta circle")
    with app.app_context():
        questions.define(db.session.get(Program, a.id), {"label": "Which city are you in?", "kind": "one",
                                                         "audience": "mentors", "choices": "Lisbon\nPorto"})
    return a, b


def test_one_account_joins_as_mentor_in_one_program_and_mentee_in_another(page, live_server, app, make_user,
                                                                           make_program):
    a, b = _programs(app, make_user, make_program)
    sam = make_user("mentor", "Sam Both")  # an account that signed up as a mentor, in no program yet
    ui_login(page, live_server, sam.email, PASSWORD)

    # Program A's mentor invite: the join page names the account; one click joins.
    page.goto(f"{live_server}/join/{a.mentor_invite}")
    expect(page.get_by_role("heading", name="Join Alpha guild")).to_be_visible()
    expect(page.get_by_text(sam.email)).to_be_visible()
    page.get_by_role("button", name="Join the program").click()
    expect(page).to_have_url(re.compile(r"/mentor/$"))
    expect(page.get_by_text("You joined Alpha guild.")).to_be_visible()

    # Program B's mentee invite, same account.
    page.goto(f"{live_server}/join/{b.mentee_invite}")
    expect(page.get_by_role("heading", name="Join Beta circle")).to_be_visible()
    page.get_by_role("button", name="Join the program").click()
    expect(page).to_have_url(re.compile(r"/mentee/$"))
    expect(page.get_by_text("You joined Beta circle.")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Beta circle")
    expect(main).not_to_contain_text("Alpha guild")  # the mentee home lists only the mentee side

    # Both sides in the navigation, a badge per side.
    nav = page.locator("nav .nav-row")
    expect(nav.get_by_role("link", name="Mentee home")).to_be_visible()
    expect(nav.get_by_role("link", name="Mentor home")).to_be_visible()
    expect(nav.locator(".role-badge")).to_have_count(2)
    assert_accessible(page)

    # Mentee side, program B: a goal step.
    page.goto(f"{live_server}/steps/programs/{b.id}")
    page.get_by_label("New step").fill("Book a call with a designer")
    page.get_by_role("button", name="Add step").click()
    expect(page.locator("#goal-steps")).to_contain_text("Book a call with a designer")

    # Mentor side, program A: answer the program's mentor question from the profile page.
    nav.get_by_role("link", name="Mentor home").click()
    expect(page).to_have_url(re.compile(r"/mentor/$"))
    expect(page.locator("main")).to_contain_text("Alpha guild")
    expect(page.locator("main")).not_to_contain_text("Beta circle")
    page.goto(f"{live_server}/mentor/programs/{a.id}/profile")
    page.get_by_role("link", name="The program's own questions").click()
    expect(page.get_by_role("heading", name=re.compile("a few questions"))).to_be_visible()
    page.get_by_label("Porto").check()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()

    # A mentor in A cannot act as a mentor in B, where they are a mentee.
    response = page.goto(f"{live_server}/mentor/programs/{b.id}/profile")
    assert response.status == 404

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/mentor/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "both sides' navigation fits a phone"
    page.locator("details.nav-menu summary").click()
    expect(page.locator("details.nav-menu").get_by_role("link", name="Mentee home")).to_be_visible()

    with app.app_context():
        sides = dict(db.session.execute(db.select(Membership.program_id, Membership.role)
                                        .where(Membership.user_id == sam.id)).all())
        assert sides == {a.id: "mentor", b.id: "mentee"}
        assert db.session.scalar(db.select(GoalStep.title).join(Membership).where(Membership.program_id == b.id)) \
            == "Book a call with a designer"
        assert db.session.scalar(db.select(db.func.count()).select_from(QuestionAnswer).join(Membership).where(
            Membership.program_id == a.id, Membership.role == "mentor")) == 1
