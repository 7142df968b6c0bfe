"""Ask the program in a real browser (issue 15, item 5): a mentee on a phone posts a question to her
circle from the circle's page (the other member answers; someone outside the circle cannot open
it), then one to the program (the vague-ask hint shows as she types), the mentor answers with htmx, a peer answers with
JavaScript off (the plain form), the asker marks the mentor's answer helpful and thanks him; the
daily digest reaches the helpers once over real SMTP, and a second pass the same day sends nothing."""
import pytest
from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import AskAnswer
from mentormatch.services import reminders
from tests.conftest import PASSWORD
from tests.smtp import SMTP_CONFIG
from tests.web.test_asks import q  # noqa: F401

from .conftest import assert_accessible, ui_login

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_mentee_asks_two_people_answer_she_thanks_one_and_the_digest_arrives_once(
        browser, live_server, app, q, smtp_server):
    mira = browser.new_context(viewport=PHONE).new_page()
    ui_login(mira, live_server, q.w.mentee.email, PASSWORD)

    # To her circle, from the circle's page: Petra (in the circle) answers; Carl (not in it) gets a 404.
    mira.goto(f"{live_server}/circles/{q.circle_id}")
    mira.get_by_role("link", name="Ask your circle a question").click()
    expect(mira.get_by_label("Ask", exact=True)).to_have_value(str(q.circle_id))  # the circle is chosen
    mira.get_by_label("Your one question").fill("Who in our circle has moved from teaching into data, and how long did it take?")
    mira.get_by_label("Career").check()
    mira.get_by_role("button", name="Ask", exact=True).click()
    expect(mira.get_by_role("heading", name="Question")).to_be_visible()
    circle_ask_url = mira.url
    petra = browser.new_context(java_script_enabled=False).new_page()
    ui_login(petra, live_server, q.petra.email, PASSWORD)
    petra.goto(f"{live_server}/circles/{q.circle_id}")
    petra.get_by_role("link", name="Questions asked in this circle").click()
    petra.get_by_role("link", name="Who in our circle has moved").click()
    petra.get_by_label("Your answer").fill("I did, from maths teaching: about a year of evenings.")
    petra.get_by_role("button", name="Post answer").click()
    expect(petra.locator(".ask-answer")).to_have_count(1)
    carl = browser.new_context().new_page()
    ui_login(carl, live_server, q.carl.email, PASSWORD)
    assert carl.goto(circle_ask_url).status == 404
    carl.goto(f"{live_server}/asks/programs/{q.w.program.id}")
    expect(carl.get_by_role("link", name="Who in our circle has moved")).to_have_count(0)
    mira.goto(circle_ask_url)
    expect(mira.locator(".ask-answer")).to_contain_text("about a year of evenings")

    # To the whole program.
    mira.goto(f"{live_server}/mentee/")
    mira.get_by_role("link", name="Questions in this program").click()
    mira.get_by_role("button", name="Ask a question").click()
    mira.get_by_label("Your one question").press_sequentially("Any advice on my career?", delay=5)
    expect(mira.locator("#body-feedback .hint")).to_be_visible()  # the vague-ask hint, as she types
    mira.get_by_role("button", name="Ask", exact=True).click()
    expect(mira.locator("#topics-feedback .error")).to_contain_text("at least one topic")  # refused next to the field
    mira.get_by_label("Your one question").fill(
        "Which of my two offers should I take: the startup or the bank, if I want to learn fast?")
    # Leaving the field re-checks it: the hint goes, and the boxes below move up. Wait for that first, or
    # the click on a box can land while the page shifts under it.
    mira.get_by_label("Your one question").blur()
    expect(mira.locator("#body-feedback .hint")).to_have_count(0)
    mira.get_by_label("Career").check()
    mira.get_by_role("button", name="Ask", exact=True).click()
    expect(mira.get_by_role("heading", name="Question")).to_be_visible()
    ask_url = mira.url
    assert mira.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "fits a phone"
    assert_accessible(mira)
    for url in (f"/asks/programs/{q.w.program.id}", f"/asks/programs/{q.w.program.id}?topic={q.topic['Career']}",
                f"/asks/programs/{q.w.program.id}/settings", f"/asks/circles/{q.circle_id}", "/mentee/"):
        mira.goto(live_server + url)
        assert mira.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        assert_accessible(mira)
    expect(mira.get_by_role("link", name="Which of my two offers")).to_have_count(0)  # not on her own home
    mira.goto(ask_url)

    milo = browser.new_context().new_page()
    ui_login(milo, live_server, q.w.mentor.email, PASSWORD)
    milo.goto(f"{live_server}/mentor/")
    milo.get_by_role("link", name="Which of my two offers").click()
    milo.evaluate("window.stillTheSamePage = true")
    milo.get_by_label("Your answer").fill("The startup: <b>you learn fastest</b> there. See https://example.org/learn.")
    milo.get_by_role("button", name="Post answer").click()
    expect(milo.locator(".ask-answer")).to_have_count(1)
    expect(milo.locator(".ask-answer")).to_contain_text("<b>you learn fastest</b>")
    expect(milo.get_by_role("link", name="https://example.org/learn")).to_have_attribute(
        "rel", "nofollow noopener noreferrer")
    assert milo.evaluate("window.stillTheSamePage") is True, "posted with htmx, no reload"

    petra.goto(ask_url)
    petra.get_by_label("Your answer").fill("I took the bank and regretted it.")
    petra.get_by_role("button", name="Post answer").click()
    expect(petra.locator(".ask-answer")).to_have_count(2)

    mira.reload()
    milo_answer = mira.locator(".ask-answer").filter(has_text="learn fastest")
    milo_answer.get_by_role("button", name="Mark helpful").click()
    expect(mira.locator(".ask-answer").filter(has_text="learn fastest").get_by_text("Helpful", exact=True)).to_be_visible()
    mira.locator(".ask-answer").filter(has_text="learn fastest").get_by_role("button", name="Thank Milo").click()
    expect(mira.locator(".ask-answer").filter(has_text="learn fastest").get_by_text("Thanked", exact=True)).to_be_visible()
    with app.app_context():
        rows = {a.body[:3]: a for a in db.session.scalars(db.select(AskAnswer))}
        assert rows["The"].helpful and rows["The"].thanked_at is not None and not rows["I t"].helpful
    thanks = smtp_server.wait_for(1)
    assert [m["to"] for m in thanks] == [[q.w.mentor.email]] and "thanked you" in thanks[0]["subject"]
    smtp_server.clear()

    with app.app_context():
        reminders.run()
    digests = smtp_server.wait_for(2)
    assert sorted(m["to"][0] for m in digests) == sorted([q.w.mentor.email, q.petra.email])
    assert all("startup or the bank" in m["body"] and ask_url in m["body"] for m in digests)
    by_whom = {m["to"][0]: m["body"] for m in digests}  # the circle's question goes to the circle only
    assert circle_ask_url in by_whom[q.petra.email] and circle_ask_url not in by_whom[q.w.mentor.email]
    with app.app_context():
        reminders.run()
    assert len(smtp_server.wait_for(3, timeout=1.5)) == 2, "once a day"

    # A coordinator on a phone hides Petra's answer with a reason; Petra reads it, Mira no longer sees it.
    cora = browser.new_context(viewport=PHONE).new_page()
    ui_login(cora, live_server, q.w.coordinator.email, PASSWORD)
    cora.goto(f"{live_server}/coordinator/programs/{q.w.program.id}")
    cora.get_by_role("link", name="Members’ questions").click()
    cora.get_by_role("link", name="Which of my two offers").click()
    regret = cora.locator(".ask-answer").filter(has_text="regretted it")
    regret.get_by_text("Hide this answer").click()
    regret.get_by_label("Why (its author reads this)").fill("Please say what you learned, not only the outcome.")
    regret.get_by_role("button", name="Hide").click()
    expect(cora.locator(".ask-answer").filter(has_text="regretted it")).to_contain_text("Hidden by a coordinator")
    assert cora.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "fits a phone"
    assert_accessible(cora)
    hidden_mail = smtp_server.wait_for(3)[2]
    assert hidden_mail["to"] == [q.petra.email] and "Please say what you learned" in hidden_mail["body"]
    petra.goto(ask_url)
    expect(petra.get_by_text("Please say what you learned")).to_be_visible()
    mira.goto(ask_url)
    expect(mira.locator(".ask-answer")).to_have_count(1)
