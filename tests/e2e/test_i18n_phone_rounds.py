"""Issue 18: Spanish runs about a quarter longer than English; the coordinator's round, question,
health and report pages still fit a 390-pixel phone when the browser asks for Spanish."""
import re

import pytest

from .conftest import ui_login
from .journey import DEMO_PASSWORD
from .test_phone_fit import HOME, PHONE, crawl, demo_site  # noqa: F401


@pytest.fixture
def phone_es(browser):
    context = browser.new_context(viewport=PHONE, locale="es-ES", timezone_id="Europe/Madrid")
    context.set_default_timeout(8000)
    yield context.new_page()
    context.close()


def test_the_coordinators_pages_in_spanish_fit_a_390_pixel_phone(phone_es, demo_site):  # noqa: F811
    base, program = demo_site
    email, _home = HOME["coordinator"]
    ui_login(phone_es, base, email, DEMO_PASSWORD)
    pid = program["id"]
    starts = [f"/coordinator/programs/{pid}/rounds", f"/coordinator/programs/{pid}/health",
              f"/coordinator/programs/{pid}/report", f"/coordinator/programs/{pid}/questions",
              f"/coordinator/programs/{pid}/import"]
    phone_es.goto(base + starts[0])
    assert phone_es.get_by_role("heading", name="Rondas de emparejamiento").is_visible()
    visited, too_wide = crawl(phone_es, base, starts)
    assert any(re.fullmatch(r"/coordinator/programs/\d+/rounds/\d+", p) for p in visited), visited
    assert len(visited) >= 8, f"the crawl reached only {visited}"
    assert not too_wide, "pages wider than a 390px phone in Spanish:\n" + "\n".join(too_wide)
