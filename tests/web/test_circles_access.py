"""Who may see and use a circle's page, thread and meetings (issue 15, item 4): its members, and its
program's coordinators to read; a stranger, a member of another circle, another program's
coordinator and a member removed from the program get 404 on every route (403 where their role
never may); a circle's meeting is not reachable through a pair's meeting routes."""
from datetime import datetime

import pytest

from mentormatch.extensions import db
from mentormatch.models import Membership
from tests.conftest import login
from tests.web.access.cases import request_case
from tests.web.access.circles import CASES
from tests.web.access.meetings import CASES as PAIR_CASES
from tests.web.test_circles import THU, as_user, circle, mid, page, propose, the_meeting  # noqa: F401


@pytest.fixture
def arranged(app, circle):
    """The circle with times proposed by Mira, and Ben removed from the program."""
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00"), (THU, "17:00")])
    w.circle_meeting_id = the_meeting(app, w.circle_id).id
    with app.app_context():
        db.session.get(Membership, mid(w, w.ben)).removed_at = datetime(2026, 3, 20, 11, 0)
        db.session.commit()
    return w


@pytest.mark.parametrize("who", ["other_mentee", "other_mentor", "dana", "other_coordinator", "ben"])
def test_outsiders_get_404_on_every_circle_route_and_403_where_their_role_never_may(app, arranged, who):
    w = arranged
    user = getattr(w, who)
    client = app.test_client()
    login(client, user)
    for endpoint, case in sorted(CASES.items()):
        expected = 404 if user.role in case.roles else 403
        assert request_case(client, case, w).status_code == expected, (who, endpoint)


def test_the_programs_coordinator_reads_the_page_thread_and_invitation_but_never_writes(app, arranged):
    w = arranged
    coordinator = as_user(app, w.coordinator)
    assert coordinator.get(page(w)).status_code == 200
    assert coordinator.get(f"{page(w)}/messages", headers={"HX-Request": "true"}).status_code == 200
    for endpoint in ("circles.post", "circles.propose", "circles.pick", "circles.met", "circles.leave"):
        assert request_case(coordinator, CASES[endpoint], w).status_code == 403, endpoint


def test_members_use_the_routes_and_a_circle_meeting_is_not_a_pair_meeting(app, arranged):
    w = arranged
    ana = as_user(app, w.ana)
    assert ana.get(page(w)).status_code == 200
    assert "Pick this time" in ana.get(page(w)).get_data(as_text=True)
    assert request_case(ana, CASES["circles.post"], w).status_code == 303
    for url in (f"/meetings/{w.circle_meeting_id}", f"/meetings/{w.circle_meeting_id}/invite.ics"):
        assert ana.get(url).status_code == 404, url
    w.meeting_id = w.circle_meeting_id
    assert request_case(ana, PAIR_CASES["meetings.pick"], w).status_code == 404
    assert request_case(ana, PAIR_CASES["meetings.cancel"], w).status_code == 404
