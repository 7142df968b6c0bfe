"""Issue 17: a coordinator adds a "Campus" one-choice question as a "same answer" criterion, a
mentee and mentors answer it, and the round's pairs respect it and say so in their why."""
import re

from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, Program, Question, User
from mentormatch.services import questions

from .conftest import assert_accessible, screenshot, ui_login
from .journey import DEMO_PASSWORD, seed

COORDINATOR = "coordinator@example.org"
ANA = "mentee1@example.org"      # Ana Alvarez, a named demo mentee
MAYA = "mentor1@example.org"     # Maya Mentor, a named demo mentor


def _everyone_else_answers(app, program_id: int, question_id: int) -> None:
    """The rest of the demo program answers Porto: Ana and Maya are the only ones in Lisbon. Ana
    asks for a round mentor and Maya has free seats, whatever the demo data gave them."""
    with app.app_context():
        rows = db.session.execute(db.select(Membership, User.email).join(User)
                                  .where(Membership.program_id == program_id)).all()
        for membership, email in rows:
            if email == ANA:
                db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == membership.id)).wants = "both"
            elif email == MAYA:
                profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == membership.id))
                profile.capacity_round, profile.available, profile.away_until = 20, True, None
            else:
                questions.save_answers(membership, {f"q{question_id}": ["Porto"]})
        db.session.commit()


def test_a_campus_question_steers_the_round_and_says_so(page, browser, live_server, app):
    program = seed(app)
    ui_login(page, live_server, COORDINATOR, DEMO_PASSWORD)
    page.goto(f"{live_server}/coordinator/programs/{program['id']}")
    page.get_by_role("link", name="Questions", exact=True).click()
    expect(page.get_by_role("heading", name="Program questions")).to_be_visible()
    # A repeated choice is refused next to the field, and nothing is added.
    page.get_by_label("Question", exact=True).fill("Campus")
    page.get_by_label("Kind of answer").select_option("one")
    page.get_by_label("Asked on").select_option("both")
    page.get_by_label("Choices", exact=True).fill("Lisbon\nPorto\nlisbon")
    page.get_by_label("Use in matching").select_option("same")
    page.get_by_label("Weight").fill("60")
    page.get_by_role("button", name="Add question").click()
    expect(page.locator("#choices-error")).to_contain_text("listed twice")
    page.get_by_label("Choices", exact=True).fill("Lisbon\nPorto")
    assert_accessible(page)
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Question added.")).to_be_visible()
    expect(page.locator(".question-list")).to_contain_text("same answer scores, weight 60")
    assert_accessible(page)
    screenshot(page, "questions")
    with app.app_context():
        question_id = db.session.scalar(db.select(Question.id).where(Question.program_id == program["id"]))
        assert db.session.get(Program, program["id"]) is not None
    _everyone_else_answers(app, program["id"], question_id)

    # The mentee and a mentor answer on their own pages.
    for email, form in ((ANA, "mentee/programs/{}/goals"), (MAYA, "mentor/programs/{}/profile")):
        person = browser.new_context().new_page()
        ui_login(person, live_server, email, DEMO_PASSWORD)
        person.goto(f"{live_server}/" + form.format(program["id"]))
        person.get_by_role("link", name="The program's own questions").click()
        expect(person.get_by_role("heading", name=re.compile("a few questions"))).to_be_visible()
        person.get_by_label("Lisbon").check()
        assert_accessible(person)
        if email == ANA:
            screenshot(person, "questions-answer")
        person.get_by_role("button", name="Save answers").click()
        expect(person.get_by_text("Your answers are saved.")).to_be_visible()
        expect(person.get_by_label("Lisbon")).to_be_checked()
        person.context.close()

    # A round: Ana's pair is Maya, the other one in Lisbon, and its why says so.
    page.goto(f"{live_server}/coordinator/programs/{program['id']}/rounds")
    page.get_by_role("button", name="New round").click()
    page.get_by_label("Round name").fill("Campus cohort")
    page.get_by_role("button", name="Create round").click()
    page.get_by_role("button", name="Run the optimizer").click()
    show = page.get_by_role("button", name="Show the proposal")
    expect(show).to_be_visible(timeout=30000)
    show.click()
    page.locator("#pairs").get_by_label("Search").fill("Ana Alvarez")
    row = page.locator("#pairs tbody tr").filter(has_text="Ana Alvarez").first
    expect(row).to_contain_text("Maya Mentor")
    expect(row.locator("td.why")).to_contain_text("both answered Campus: Lisbon")
    # Everyone else shares Porto: every pair in the review says the same of its campus, except a
    # Porto mentee given one of Maya's free Lisbon seats ("same answer" is a weight, not a rule).
    page.locator("#pairs").get_by_label("Search").fill("")
    rows = page.locator("#pairs tbody tr").all_inner_texts()
    assert len(rows) > 1 and all("both answered Campus:" in r or "Maya Mentor" in r for r in rows), \
        [r for r in rows if "Campus" not in r]
    screenshot(page, "questions-round-why")

    # The questions page fits a phone (390 px): nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/coordinator/programs/{program['id']}/questions")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "questions-phone")
