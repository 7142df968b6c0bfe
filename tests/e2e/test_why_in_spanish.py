"""A Spanish-speaking coordinator reads a round's review on a 390-pixel phone (issue 18): why each
pair, why nobody for a mentee and what would help, in Spanish, and the page still fits."""
import re

from playwright.sync_api import expect

from mentormatch.extensions import db
from mentormatch.models import User

from .conftest import ui_login
from .journey import DEMO_PASSWORD, seed
from .test_journey_round import COORDINATOR


def test_the_round_review_says_why_in_spanish_on_a_phone(browser, live_server, app):
    program = seed(app)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES", timezone_id="Europe/Madrid")
    context.set_default_timeout(8000)
    page = context.new_page()
    with app.app_context():
        db.session.scalar(db.select(User).where(User.email == COORDINATOR)).locale = "en"
        db.session.commit()
    ui_login(page, live_server, COORDINATOR, DEMO_PASSWORD)
    page.goto(f"{live_server}/coordinator/programs/{program['id']}/rounds")
    page.get_by_role("button", name="New round").click()
    page.get_by_label("Round name").fill("Ronda de primavera")
    page.get_by_role("button", name="Create round").click()
    page.get_by_role("button", name="Run the optimizer").click()
    page.get_by_role("button", name="Show the proposal").click(timeout=20000)
    expect(page.locator("#review")).to_be_visible()
    with app.app_context():
        db.session.scalar(db.select(User).where(User.email == COORDINATOR)).locale = "es"
        db.session.commit()
    page.reload()
    why = page.locator("#pairs td.why").first
    expect(why).to_contain_text(re.compile(r"h de horario laboral en común"))
    assert "working-time overlap" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the Spanish review is {width}px wide"
    context.close()
