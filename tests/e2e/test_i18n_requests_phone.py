"""Spanish is about a quarter longer than English: at phone width (390 px) the pages of requests, goal
steps and a pair's meetings and messages still fit, with nothing wider than the screen."""
import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import User
from tests.conftest import PASSWORD
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, mid, send_request
from tests.web.test_meetings import NOW

from .conftest import ui_login


@pytest.fixture
def spanish_pair(app, world):
    clock.set_now(NOW)
    add_goal(app, mid(world, world.mentee), timezone="Europe/Berlin")
    add_profile(app, mid(world, world.mentor), timezone="America/New_York")
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", answered_at=NOW)
    world.request_id = send_request(app, world.mentee, world.program.id, mid(world, world.mentor),
                                    question="¿Cuál de mis 5 diapositivas te pierde primero, y por qué?")
    with app.app_context():
        db.session.get(User, world.mentee.id).locale = "es"
        db.session.commit()
    yield world
    clock.set_now(None)


def _overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_spanish_pages_fit_a_phone(page, live_server, spanish_pair):
    w = spanish_pair
    page.set_viewport_size({"width": 390, "height": 844})
    ui_login(page, live_server, w.mentee.email, PASSWORD)
    pages = {
        "directory": (f"/requests/programs/{w.program.id}/mentors", "Pregunta a un mentor"),
        "request": (f"/requests/{w.request_id}", "Retirar esta solicitud"),
        "mine": ("/requests/", "Tus solicitudes"),
        "steps": (f"/steps/programs/{w.program.id}", "Tu objetivo, paso a paso"),
        "pairing": (f"/mentee/pairings/{w.pairing_id}", "Propón hasta tres horarios"),
    }
    for name, (path, text) in pages.items():
        page.goto(live_server + path)
        assert text in page.content(), name
        assert _overflow(page) <= 0, f"{name} is {_overflow(page)} px wider than the phone"
