"""Every "ask the program" route on real rows (a circle question of Mira's, answered by Petra, her
circle's other member): the people it is for may use it; a stranger, the other program's
coordinator and, for what belongs to the circle, the program's members outside it get 404."""
import pytest

from tests.conftest import login
from tests.web.access.asks import CASES
from tests.web.access.cases import request_case
from tests.web.test_asks import client_of, new_answer, new_ask, q  # noqa: F401

OWNERS = {
    "asks.program": ("mentee", "mentor", "coordinator", "petra"), "asks.circle": ("mentee", "coordinator", "petra"),
    "asks.new": ("mentee", "petra"), "asks.hint": ("mentee",), "asks.settings": ("mentee", "mentor", "petra"),
    "asks.show": ("mentee", "coordinator", "petra"), "asks.answer": ("petra",), "asks.close": ("mentee",),
    "asks.hide": ("coordinator",), "asks.unhide": ("coordinator",), "asks.helpful": ("mentee",),
    "asks.thank": ("mentee",), "asks.hide_answer": ("coordinator",), "asks.unhide_answer": ("coordinator",),
}
IN_THE_CIRCLE = ("asks.circle", "asks.show", "asks.answer")


@pytest.fixture
def rows(app, q):
    q.w.ask_id = new_ask(app, q, circle=True)
    q.w.answer_id = new_answer(app, q.w.ask_id, q.petra_mid)
    q.w.circle_id = q.circle_id
    return q


def _user(q, name):
    return q.petra if name == "petra" else getattr(q.w, name)


def test_every_route_has_its_owners():
    assert set(OWNERS) == set(CASES)


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_the_people_it_is_for_may_use_it(app, rows, endpoint):
    for name in OWNERS[endpoint]:
        response = request_case(client_of(app, _user(rows, name)), CASES[endpoint], rows.w)
        assert response.status_code in CASES[endpoint].ok + (422,) and response.status_code != 404, name


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_strangers_other_coordinators_and_circle_outsiders_get_404(app, rows, endpoint):
    case = CASES[endpoint]
    outsiders = [case.stranger(rows.w)] if case.stranger else []
    if "coordinator" in case.roles:
        outsiders.append(rows.w.other_coordinator)
    if endpoint in IN_THE_CIRCLE:
        outsiders += [rows.carl, rows.w.mentor] if "mentor" in case.roles else [rows.carl]
    if endpoint in ("asks.close", "asks.helpful", "asks.thank"):
        outsiders.append(rows.petra)  # a member who is not the asker
    assert outsiders or not case.roles or endpoint in ("asks.hint",)
    for user in outsiders:
        client = app.test_client()
        login(client, user)
        assert request_case(client, case, rows.w).status_code == 404, (endpoint, user.name)
