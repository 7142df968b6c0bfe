"""Who may read and write a thread, on real accepted items: the two people; a coordinator of the
program only once a report was filed about that item, and read-only; nobody else (a stranger, the
mentee's other mentor, the other program's coordinator) even learns that it exists: 404."""
import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import MentorReport
from tests.conftest import login
from tests.web.access.cases import request_case
from tests.web.access.threads import CASES
from tests.web.test_lifecycle_data import (
    add_mentor,
    add_pairing,
    frozen,  # noqa: F401
    mid,
)
from tests.web.test_threads import client_of, pair, send, thread_url  # noqa: F401

OWNERS = {"threads.show": ("mentee", "mentor"), "threads.poll": ("mentee", "mentor"),
          "threads.post": ("mentee", "mentor"), "threads.quick_take": ("mentor",)}


@pytest.fixture
def other_mentor(app, make_user, pair):
    """The same mentee's other current mentor, in the same program: not part of this thread."""
    user, membership_id = add_mentor(app, make_user, pair, "Otis Othermentor")
    add_pairing(app, pair.program.id, mid(pair, pair.mentee), membership_id, state="active")
    return user


def report(app, w, **item) -> None:
    with app.app_context():
        db.session.add(MentorReport(program_id=w.program.id, mentee_membership_id=mid(w, w.mentee),
                                    mentor_membership_id=mid(w, w.mentor), note="", created_at=clock.now(), **item))
        db.session.commit()


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_the_two_people_may_use_every_thread_route(app, pair, endpoint):
    for role in OWNERS[endpoint]:
        client = client_of(app, getattr(pair, role))
        assert request_case(client, CASES[endpoint], pair).status_code in CASES[endpoint].ok, role


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_a_stranger_the_other_mentor_and_the_other_coordinator_get_404(app, pair, other_mentor, endpoint):
    case = CASES[endpoint]
    outsiders = [case.stranger(pair)]
    if "mentor" in case.roles:
        outsiders.append(other_mentor)
    if "coordinator" in case.roles:
        outsiders.append(pair.other_coordinator)
    for user in outsiders:
        client = app.test_client()
        login(client, user)
        assert request_case(client, case, pair).status_code == 404, user.name


def test_the_mentees_other_mentor_gets_404_on_both_threads(app, pair, other_mentor):
    client = client_of(app, other_mentor)
    assert client.get(thread_url(pair)).status_code == 404
    assert client.get(thread_url(pair, "request")).status_code == 404


def test_the_programs_coordinator_reads_only_once_a_report_was_filed_and_never_writes(app, pair):
    send(client_of(app, pair.mentee), pair, "Are you still there?")
    coordinator = client_of(app, pair.coordinator)
    assert coordinator.get(thread_url(pair)).status_code == 404, "no report: not theirs to read"
    health = f"/coordinator/programs/{pair.program.id}/health"
    assert "Read their conversation" not in coordinator.get(health).get_data(as_text=True)
    report(app, pair, pairing_id=pair.pairing_id)
    assert f'href="{thread_url(pair)}"' in coordinator.get(health).get_data(as_text=True), "linked from the report"
    html = coordinator.get(thread_url(pair)).get_data(as_text=True)
    assert "Are you still there?" in html
    assert "You can read this conversation because a report was filed about it. It is read-only for you." in html
    assert 'name="body"' not in html
    assert request_case(coordinator, CASES["threads.post"], pair).status_code == 403
    assert coordinator.get(thread_url(pair, "request")).status_code == 404, "the report names the pairing only"
    other = client_of(app, pair.other_coordinator)
    assert other.get(thread_url(pair)).status_code == 404, "another program's coordinator, report or not"
