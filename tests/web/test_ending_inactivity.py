"""Quiet pairings (issue 14): with no message, meeting or check-in for the program's
inactive_weeks, the reminders pass nudges both once; as many weeks later it closes the pairing as
inactive and tells both. On the controllable clock, with a real SMTP server."""
import time

import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import CheckIn, Pairing, Program, User
from mentormatch.services import checkins, reminders
from mentormatch.services.people import profiles
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mid, pairing_state  # noqa: F401

SMTP = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)


@pytest.fixture
def quiet(app, world, frozen):
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", answered_at=frozen.now())
    return world


def _ours(smtp_server, count: int) -> list[dict]:
    """The nudge and closing mails (check-in invitations and the follow-up question go out in the same pass)."""
    deadline = time.monotonic() + 5
    while True:
        mails = [m for m in smtp_server.messages
                 if "A quiet few weeks" in m["subject"] or "closed as inactive" in m["subject"]]
        if len(mails) >= count or time.monotonic() > deadline:
            return mails
        time.sleep(0.02)


def _run(app):
    with app.app_context():
        report = reminders.run()
        return report.inactive_nudged, report.inactive_closed


@SMTP
def test_nudged_once_after_the_quiet_weeks_then_closed_as_inactive_and_both_told(app, quiet, smtp_server):
    pid = quiet.pairing_id
    clock.advance(weeks=6, seconds=-1)
    assert _run(app) == ([], [])
    clock.advance(seconds=1)
    assert _run(app) == ([f"pairing {pid}"], [])
    nudges = _ours(smtp_server, 2)
    assert sorted(m["to"][0] for m in nudges) == sorted([quiet.mentee.email, quiet.mentor.email])
    to_mentee = next(m for m in nudges if m["to"] == [quiet.mentee.email])
    assert to_mentee["subject"] == f"A quiet few weeks with {quiet.mentor.name}?"
    assert "for 6 weeks" in to_mentee["body"] and f"http://localhost/mentee/pairings/{pid}" in to_mentee["body"]
    smtp_server.clear()
    clock.advance(weeks=3)
    assert _run(app) == ([], []), "one nudge per quiet spell"
    clock.advance(weeks=3)
    assert _run(app) == ([], [f"pairing {pid}"])
    assert pairing_state(app, pid) == "inactive"
    closed = _ours(smtp_server, 2)
    assert all("was closed as inactive" in m["subject"] for m in closed)
    assert all(f"http://localhost/pairings/{pid}/ending" in m["body"] for m in closed)
    with app.app_context():
        assert profiles.seats_taken(mid(quiet, quiet.mentor)) == 0
        assert db.session.get(Pairing, pid).ended_by_user_id is None
    assert _run(app) == ([], [])


def test_activity_after_the_nudge_starts_a_new_quiet_spell(app, quiet):
    pid = quiet.pairing_id
    clock.advance(weeks=6)
    assert _run(app)[0] == [f"pairing {pid}"]
    clock.advance(weeks=2)
    with app.app_context():  # the day-30 check-in, answered, counts as the pair doing something together
        checkin = db.session.scalar(db.select(CheckIn).where(
            CheckIn.pairing_id == pid, CheckIn.membership_id == mid(quiet, quiet.mentee), CheckIn.day == 30))
        checkins.answer(checkin, db.session.get(User, quiet.mentee.id), 4, "Going well")
        assert db.session.get(Pairing, pid).last_activity_at == clock.now()
    clock.advance(weeks=4)
    assert _run(app) == ([], []), "not closed: they were active two weeks after the nudge"
    clock.advance(weeks=2)
    assert _run(app) == ([f"pairing {pid}"], [])
    assert pairing_state(app, pid) == "active"


def test_zero_weeks_switches_it_off_and_the_setting_is_on_the_program_form(app, client, quiet):
    login(client, quiet.coordinator)
    url = f"/coordinator/programs/{quiet.program.id}/edit"
    form = {"name": "Main program", "offers_rounds": "y", "inactive_weeks": "53"}
    html = post_form(client, url, form).get_data(as_text=True)
    assert 'id="inactive_weeks-error"' in html and "from 0 to 52" in html
    assert post_form(client, url, {**form, "inactive_weeks": "0"}).status_code == 303
    with app.app_context():
        assert db.session.get(Program, quiet.program.id).inactive_weeks == 0
    clock.advance(weeks=60)
    assert _run(app) == ([], []) and pairing_state(app, quiet.pairing_id) == "active"
