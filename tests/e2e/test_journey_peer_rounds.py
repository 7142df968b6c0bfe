"""Peer pairs and peer circles, walked in a real browser: mentees say what they can help with on their
goal form (through the topic picker); the coordinator creates a peer-pairs round, runs it, reads why
each pair fits, forbids one pair (in place, htmx), re-runs and approves; every member's email arrives
over real SMTP. Then a circle round of 4-8 people the same way. The review page fits a 390 px phone."""
import re

import pytest
from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import Circle, GoalForm, Membership, Term, User
from mentormatch.models.rounds import Round
from tests.smtp import SMTP_CONFIG

from .conftest import assert_accessible, screenshot, ui_login
from .journey import DEMO_PASSWORD, seed

COORDINATOR = "coordinator@example.org"
ANA, BEN = "mentee1@example.org", "mentee2@example.org"


def _give_strengths(app, program_id: int) -> None:
    """The demo mentees other than Ana and Ben say what they can help with (a topic someone else wants)."""
    with app.app_context():
        topics = list(db.session.scalars(db.select(Term.id).where(Term.program_id == program_id, Term.kind == "topic")
                                         .order_by(Term.id)))
        forms = db.session.scalars(db.select(GoalForm).join(Membership, Membership.id == GoalForm.membership_id)
                                   .where(Membership.program_id == program_id).order_by(GoalForm.id)).all()
        for i, g in enumerate(forms):
            if not g.strengths:
                g.strengths = [topics[(i * 3) % len(topics)], topics[(i * 3 + 1) % len(topics)]]
        db.session.commit()


def _add_strength_in_browser(browser, base: str, program_id: int, email: str, search: str) -> str:
    """The mentee adds one strength through the picker (htmx search, then the result's button) and saves."""
    context = browser.new_context()
    page = context.new_page()
    ui_login(page, base, email, DEMO_PASSWORD)
    page.goto(f"{base}/mentee/programs/{program_id}/goals")
    expect(page.get_by_role("heading", name="What you can help with")).to_be_visible()
    picker = page.locator("#strengths-picker")
    picker.get_by_label("Find a strength").press_sequentially(search, delay=5)
    add = page.locator("#strengths-results").get_by_role("button", name=re.compile(search, re.I)).first
    expect(add).to_be_visible()
    add.click()
    chosen = picker.locator(".chosen-topics")
    expect(chosen).to_contain_text(re.compile(search, re.I))
    name = chosen.locator(".topic-name").last.inner_text().strip()
    assert_accessible(page)
    page.get_by_role("button", name="Save my goals").click()
    expect(page.get_by_text("Your goals are saved.")).to_be_visible()
    context.close()
    return name


def _create_round(page, base: str, program_id: int, name: str, kind: str, sizes=None) -> None:
    page.goto(f"{base}/coordinator/programs/{program_id}/rounds")
    page.get_by_role("button", name="New round").click()
    page.get_by_label("Round name").fill(name)
    choice = page.locator(f"#round-kind input[name=kind][value={kind}]")
    expect(choice).to_be_visible()
    choice.check()
    if sizes:
        page.get_by_label("Smallest circle").fill(str(sizes[0]))
        page.get_by_label("Largest circle").fill(str(sizes[1]))
    assert_accessible(page)
    page.get_by_role("button", name="Create round").click()
    expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()


def _run(page) -> None:
    """Press run (or run again); the progress component polls, then offers the proposal."""
    page.locator("main").get_by_role("button", name=re.compile("Run the optimizer|Run again")).first.click()
    show = page.get_by_role("button", name="Show the proposal")
    expect(show).to_be_visible(timeout=60000)
    show.click()
    expect(page.locator("#review")).to_be_visible()


def _approve(page, name: str) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve and form the groups").click()
    expect(page.get_by_role("heading", name=re.compile(name))).to_contain_text("approved", ignore_case=True)


def _fits_a_phone(browser, base: str, url: str, shot: str | None = None) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    ui_login(page, base, COORDINATOR, DEMO_PASSWORD)
    page.goto(url)
    expect(page.locator("#review")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the review page is {width}px wide on a 390px phone"
    if shot:
        screenshot(page, shot)
    phone.close()


def _members_and_mail(app, smtp_server, round_id: int, subject: str) -> None:
    """Each member of each formed group got their own email, over SMTP, naming the others."""
    with app.app_context():
        groups = [[(m.membership.user.email, m.membership.user.name) for m in c.members]
                  for c in db.session.scalars(db.select(Circle).where(Circle.round_id == round_id))]
    everyone = [email for group in groups for email, _name in group]
    assert groups and len(everyone) == len(set(everyone))
    smtp_server.wait_for(len(everyone), timeout=20)
    for group in groups:
        for email, _name in group:
            [mail] = [m for m in smtp_server.to(email) if subject in m["subject"]]
            for _other_email, other in group:
                if other != _name:
                    assert other in mail["body"], f"{email}'s mail does not name {other}"
            assert "Why these people:" in mail["body"]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_peer_pairs_and_circles_from_strengths_to_formed_groups(page, browser, live_server, app, smtp_server):
    program = seed(app)
    pid = program["id"]
    _give_strengths(app, pid)
    # Two mentees fill in what they can help with in the browser, through the real picker.
    ana_offers = _add_strength_in_browser(browser, live_server, pid, ANA, "Python")
    ben_offers = _add_strength_in_browser(browser, live_server, pid, BEN, "Inter")
    with app.app_context():
        names = dict(db.session.execute(db.select(Term.id, Term.name).where(Term.program_id == pid)).all())
        for email, offered in ((ANA, ana_offers), (BEN, ben_offers)):
            form = db.session.scalar(db.select(GoalForm).join(Membership, Membership.id == GoalForm.membership_id)
                                     .join(User, User.id == Membership.user_id)
                                     .where(Membership.program_id == pid, User.email == email))
            assert offered in [names[t] for t in form.strengths]

    # Peer pairs: create, run, read the explanations.
    ui_login(page, live_server, COORDINATOR, DEMO_PASSWORD)
    _create_round(page, live_server, pid, "Peer pairs spring", "peer")
    _run(page)
    cards = page.locator("#review li.group-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    why = cards.first.locator(".why").inner_text()
    assert re.search(r"can help .+ with ", why), why
    # Sentences that open with a clause ("you both share …") still start with a capital on the page.
    assert cards.first.locator(".why").evaluate("el => getComputedStyle(el, '::first-letter').textTransform") == "uppercase"
    expect(page.locator("#unmatched")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "peer-round-review")
    round_url = page.url.split("#")[0]
    with app.app_context():
        round_id = db.session.scalar(db.select(Round.id).where(Round.name == "Peer pairs spring"))
    _fits_a_phone(browser, live_server, round_url, "phone-peer-round-review")

    # Forbid one pair, in place (htmx: the page does not reload, the region is replaced).
    victim = cards.nth(1)
    victim_id = victim.get_attribute("id")
    pair_names = victim.locator("header strong").inner_text()
    page.evaluate("window.__same_page = true")
    victim.get_by_text("Forbid two of them together").click()
    victim.get_by_role("button", name="Forbid: never group these two").click()
    expect(page.get_by_text("These two will never be grouped together")).to_be_visible()
    expect(page.locator(f"#{victim_id}")).to_have_count(0)
    assert page.evaluate("window.__same_page === true"), "the forbid reloaded the whole page"
    first, second = [n.strip() for n in pair_names.split(",")]
    expect(page.locator("#rules tbody tr").filter(has_text=first).filter(has_text=second)).to_have_count(1)
    assert_accessible(page)

    # Re-run: the two are not paired again; approve; each member's mail arrives.
    _run(page)
    for text in page.locator("#review li.group-card header strong").all_inner_texts():
        assert not (first in text and second in text), f"{first} and {second} were paired again"
    _approve(page, "Peer pairs spring")
    expect(page.locator("#formed")).to_be_visible()
    _members_and_mail(app, smtp_server, round_id, "You have a peer in")
    smtp_server.clear()

    # Peer circles of 4 to 8.
    _create_round(page, live_server, pid, "Circles spring", "circle", sizes=(4, 8))
    expect(page.locator("#peer-settings")).to_contain_text("Circles of 4 to 8 people.")
    _run(page)
    circles = page.locator("#review li.group-card")
    expect(circles.first).to_be_visible()
    for text in circles.locator("header strong").all_inner_texts():
        assert 4 <= len(text.split(",")) <= 8, text
    # Lock one circle in place (htmx), then approve.
    circles.first.get_by_role("button", name="Lock this group").click()
    expect(page.get_by_text("Group locked: it stays as it is in every re-run.")).to_be_visible()
    expect(circles.first.get_by_role("button", name="Unlock")).to_be_focused()
    assert_accessible(page)
    screenshot(page, "circle-round-review")
    circle_url = page.url.split("#")[0]
    _fits_a_phone(browser, live_server, circle_url)
    with app.app_context():
        circle_round = db.session.scalar(db.select(Round.id).where(Round.name == "Circles spring"))
    _approve(page, "Circles spring")
    _members_and_mail(app, smtp_server, circle_round, "You are in a peer circle in")
