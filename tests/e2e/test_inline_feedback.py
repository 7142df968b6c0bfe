"""Inline feedback (a hint or an error under a field) is re-checked when the field loses focus, and it can
change height. When that focus loss is a press on the next control, the page must not move under the
pointer before the press ends, or the click lands on whatever slid into its place. CI caught this as a
lost click on a topic box right after the question's hint went away."""
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.test_asks import q  # noqa: F401

from .conftest import ui_login

PHONE = {"width": 390, "height": 844}


def test_a_box_pressed_while_the_hint_above_it_goes_away_still_gets_the_click(browser, live_server, q):
    page = browser.new_context(viewport=PHONE).new_page()
    ui_login(page, live_server, q.w.mentee.email, PASSWORD)
    page.goto(f"{live_server}/asks/programs/{q.w.program.id}/new")
    question = page.get_by_label("Your one question")
    question.press_sequentially("Any advice on my career?", delay=5)
    expect(page.locator("#body-feedback .hint")).to_be_visible()
    question.fill("Which of my two offers should I take: the startup or the bank, if I want to learn fast?")

    page.evaluate("window.__checked = 0; document.addEventListener('htmx:afterRequest', () => window.__checked++)")
    box = page.get_by_label("Career").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()  # the question loses focus: it is re-checked, and the answer arrives mid-press
    page.wait_for_function("() => window.__checked > 0")
    expect(page.locator("#body-feedback .hint")).to_be_visible()  # held while the button is down
    page.mouse.up()

    expect(page.get_by_label("Career")).to_be_checked()
    expect(page.locator("#body-feedback .hint")).to_have_count(0)  # and shown once it is released


def test_a_press_whose_release_never_reaches_the_page_does_not_hold_feedback_for_good(browser, live_server, q):
    """A press released where the page never hears it (a select's popup, a context menu, the window
    left mid-press): the next feedback, reached by keyboard, still shows."""
    page = browser.new_context(viewport=PHONE).new_page()
    ui_login(page, live_server, q.w.mentee.email, PASSWORD)
    page.goto(f"{live_server}/asks/programs/{q.w.program.id}/new")
    page.evaluate("document.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}))")  # no pointerup follows
    question = page.get_by_label("Your one question")
    question.focus()
    question.press_sequentially("Any advice on my career?", delay=5)
    page.keyboard.press("Tab")
    expect(page.locator("#body-feedback .hint")).to_be_visible()
