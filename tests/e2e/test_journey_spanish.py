"""Issue 18's journey in Spanish: a visitor whose browser speaks Spanish joins through the invite link,
signs up (the link arrives in Spanish over real SMTP), writes their goals; a coordinator reading Spanish
runs a round and approves it; the proposed mentor, who chose Español in the footer, gets the proposal in
Spanish and accepts; the mentee's acceptance mail is in Spanish too.

Every button and label is found by its Spanish text, taken from the shipped catalog: the journey only
passes when the pages show the translation (and each translation differs from the English)."""
import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, Program, User
from tests.smtp import SMTP_CONFIG

from .conftest import assert_accessible, screenshot
from .journey import DEMO_PASSWORD, email_of, seed

COORDINATOR = "coordinator@example.org"
NIA = "nia@example.org"
SPANISH = {"locale": "es-ES", "timezone_id": "Europe/Madrid", "viewport": {"width": 1280, "height": 900}}


def spanish(app):
    """The catalog's Spanish for an English msgid; fails when there is none."""
    def t(msgid: str, **values) -> str:
        with app.test_request_context(), force_locale("es"):
            text = gettext(msgid, **values)
        assert text != (msgid % values if values else msgid), f"no Spanish for {msgid!r}"
        return text
    return t


def log_in(page, base: str, email: str, password: str, t) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label(t("Email")).fill(email)
    page.get_by_label(t("Password")).fill(password)
    page.get_by_role("main").get_by_role("button", name=t("Log in")).click()
    page.wait_for_load_state()


def one_mail(smtp_server, address: str, subject: str) -> dict:
    smtp_server.wait_for(1)
    for _ in range(50):
        found = [m for m in smtp_server.to(address) if m["subject"] == subject]
        if found:
            return found[-1]
        smtp_server.wait_for(len(smtp_server.messages) + 1, timeout=0.1)
    raise AssertionError(f"no mail {subject!r} to {address}: {[m['subject'] for m in smtp_server.to(address)]}")


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_spanish_speaker_goes_from_sign_up_to_an_accepted_proposal_in_spanish(browser, live_server, app,
                                                                                 smtp_server):
    t = spanish(app)
    program = seed(app)

    # Sign-up through the mentee invite link, in a browser that speaks Spanish.
    mentee = browser.new_context(**SPANISH).new_page()
    mentee.goto(f"{live_server}/join/{program['mentee_invite']}")
    assert mentee.locator("html").get_attribute("lang") == "es"
    mentee.get_by_role("button", name=t("Create an account and join")).click()
    mentee.get_by_label(t("Email")).fill(NIA)
    mentee.get_by_role("main").get_by_role("button", name=t("Email me a link")).click()
    expect(mentee.get_by_role("heading", name=t("Check your inbox"))).to_be_visible()
    mail = one_mail(smtp_server, NIA, t("Finish creating your MentorMatch account"))
    mentee.goto(re.search(r"https?://\S+/auth/signup/finish/\S+", mail["body"]).group(0))
    mentee.get_by_label(t("Full name")).fill("Nia Nueva")
    mentee.get_by_label(t("Password")).fill("a long enough phrase")
    mentee.get_by_role("button", name=t("Create my account")).click()
    expect(mentee).to_have_url(re.compile(r"/mentee/$"))
    with app.app_context():
        assert db.session.scalar(db.select(User.locale).where(User.email == NIA)) == "es", \
            "the account keeps the language it signed up in"

    # The goal form, in Spanish.
    mentee.goto(f"{live_server}/mentee/programs/{program['id']}/goals")
    expect(mentee.get_by_role("heading", name=t("Your goals"))).to_be_visible()
    mentee.get_by_label(t("Your goal for the next 3–6 months")).fill("Pasar a análisis de datos en seis meses.")
    mentee.get_by_label(t("Find a topic")).press_sequentially("Python", delay=5)
    mentee.locator("#topic-results").get_by_role("button", name=re.compile("Python")).first.click()
    expect(mentee.locator("#topics-picker .chosen-topics")).to_contain_text("Python")
    mentee.get_by_label(t("Years of experience")).fill("2")
    mentee.get_by_label(t("Your one power question for the first conversation")).fill(
        "¿Qué dos consultas SQL debería practicar primero para una entrevista de analista?")
    mentee.locator("input[name=languages][value=en]").check()
    mentee.locator("input[name=languages][value=es]").check()
    mentee.locator("#timezone").select_option("Europe/Madrid")
    mentee.locator("#role_level").select_option("junior")
    assert_accessible(mentee)
    screenshot(mentee, "es-mentee-goal-form")
    mentee.get_by_role("button", name=t("Save my goals")).click()
    expect(mentee.get_by_text(t("Your goals are saved. Coordinators use them for the next match round."))).to_be_visible()
    with app.app_context():  # a round mentor, and room for her with every demo mentor
        goal = db.session.scalar(db.select(GoalForm).join(Membership).join(User).where(User.email == NIA))
        assert goal.wants in ("both", "round")
        for profile in db.session.scalars(db.select(MentorProfile).join(Membership)
                                          .where(Membership.program_id == program["id"])):
            profile.capacity_round, profile.available, profile.away_until = 20, True, None
        db.session.commit()

    # The coordinator, whose browser speaks Spanish, runs a round.
    coordinator = browser.new_context(**SPANISH).new_page()
    log_in(coordinator, live_server, COORDINATOR, DEMO_PASSWORD, t)
    coordinator.goto(f"{live_server}/coordinator/programs/{program['id']}/rounds")
    coordinator.get_by_role("button", name=t("New round")).click()
    coordinator.get_by_label(t("Round name")).fill("Cohorte de primavera")
    coordinator.get_by_role("button", name=t("Create round")).click()
    coordinator.get_by_role("button", name=t("Run the optimizer")).click()
    show = coordinator.get_by_role("button", name=t("Show the proposal"))
    expect(show).to_be_visible(timeout=30000)
    show.click()
    row = coordinator.locator("#pairs tbody tr").filter(has_text="Nia Nueva").first
    expect(row).to_be_visible()
    assert_accessible(coordinator)
    screenshot(coordinator, "es-round-review")
    mentor_name = row.locator("td").nth(1).inner_text().split("\n")[0].strip()
    mentor_email = email_of(app, mentor_name)
    assert mentor_email, f"no mentor named {mentor_name!r}"

    # The mentor picks Español in the footer before the round is approved.
    mentor = browser.new_context().new_page()  # an English browser: the setting decides
    log_in(mentor, live_server, mentor_email, DEMO_PASSWORD, lambda s: s)
    mentor.locator("#language-menu").select_option("es")
    mentor.locator(".language-form button").click()
    assert mentor.locator("html").get_attribute("lang") == "es"

    coordinator.once("dialog", lambda dialog: dialog.accept())
    coordinator.get_by_role("button", name=t("Approve and publish")).click()
    coordinator.wait_for_load_state()
    with app.app_context():
        program_name = db.session.get(Program, program["id"]).name
    proposal = one_mail(smtp_server, mentor_email, t("New mentee proposal in %(program)s", program=program_name))
    assert "Nia Nueva" in proposal["body"]
    assert "Hello" not in proposal["body"], "the body is in Spanish too"

    # The mentor accepts in place; the mentee's acceptance mail is in Spanish.
    mentor.goto(f"{live_server}/mentor/")
    card = mentor.locator("#mentor-proposals li.proposal").filter(has_text="Nia Nueva")
    expect(card).to_be_visible()
    assert_accessible(mentor)
    screenshot(mentor, "es-mentor-home")
    card.get_by_role("button", name=t("Accept")).click()
    expect(mentor.locator("#mentor-proposals li.proposal").filter(has_text="Nia Nueva")).to_have_count(0)
    accepted = one_mail(smtp_server, NIA, t("%(name)s accepted: your mentoring pair is on", name=mentor_name))
    assert "Hello" not in accepted["body"]
    mentee.goto(f"{live_server}/mentee/")
    expect(mentee.get_by_role("main")).to_contain_text(mentor_name)
    screenshot(mentee, "es-mentee-home")
