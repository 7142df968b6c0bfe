"""Check-ins at 30 and 60 days: `remind` invites both sides once; they answer 1-5 and a comment;
coordinators see the results per program with low scores flagged."""
from datetime import timedelta

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import CheckIn
from mentormatch.services import checkins, reminders
from tests.conftest import csrf_from, login, post_form
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mailbox, mid, outbox  # noqa: F401


def _active(app, w, days_ago: int) -> int:
    add_profile(app, mid(w, w.mentor))
    start = clock.now() - timedelta(days=days_ago)
    return add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor), state="active",
                       proposed_at=start, answered_at=start, followup_asked_at=start)


def _rows(app):
    with app.app_context():
        return sorted((c.membership_id, c.day, c.score) for c in db.session.scalars(db.select(CheckIn)))


def _id_for(app, membership_id):
    with app.app_context():
        return db.session.scalar(db.select(CheckIn.id).where(CheckIn.membership_id == membership_id))


def test_no_check_in_before_30_days(app, world, frozen, mailbox):
    _active(app, world, 29)
    with app.app_context():
        assert reminders.run().checkins == []
    assert _rows(app) == []


def test_both_sides_are_invited_at_30_days_once(app, world, frozen, mailbox):
    _active(app, world, 30)
    with app.app_context():
        assert len(reminders.run().checkins) == 2
        assert reminders.run().checkins == []  # cron running again sends nothing new
    assert _rows(app) == sorted([(mid(world, world.mentee), 30, None), (mid(world, world.mentor), 30, None)])
    invited = [m for m in outbox(app) if "30 days in" in m.subject]
    assert {m.to[0] for m in invited} == {world.mentee.email, world.mentor.email}


def test_the_check_in_email_has_an_html_alternative_with_the_answer_link(app, world, frozen, mailbox):
    _active(app, world, 30)
    with app.app_context():
        reminders.run()
    [mail] = [m for m in outbox(app) if "30 days in" in m.subject and world.mentee.email in m.to]
    assert "Two questions, one minute" in mail.body
    link = _id_for(app, mid(world, world.mentee))
    url = f"http://localhost/checkins/{link}"
    assert url in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html" and f'<a href="{url}">{url}</a>' in html


def test_at_60_days_a_second_check_in(app, world, frozen, mailbox):
    _active(app, world, 30)
    with app.app_context():
        reminders.run()
    clock.advance(days=30)
    with app.app_context():
        assert len(reminders.run().checkins) == 2
    assert sorted(d for _, d, _ in _rows(app)) == [30, 30, 60, 60]


def test_a_pairing_not_active_gets_no_check_in(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor), state="completed",
                answered_at=clock.now() - timedelta(days=40))
    with app.app_context():
        assert checkins.send_due() == []


def test_mentee_answers_and_the_coordinator_sees_a_low_score_flagged(app, client, world, frozen):
    _active(app, world, 31)
    with app.app_context():
        reminders.run()
    login(client, world.mentee)
    cid = _id_for(app, mid(world, world.mentee))
    assert "30-day check-in" in client.get("/mentee/").get_data(as_text=True)
    response = post_form(client, f"/checkins/{cid}", {"score": "2", "comment": "We missed two meetings."})
    assert response.status_code == 303
    coordinator = app.test_client()
    login(coordinator, world.coordinator)
    html = coordinator.get(f"/checkins/programs/{world.program.id}").get_data(as_text=True)
    assert "Low: 2" in html and "We missed two meetings." in html
    assert "1 low score" in coordinator.get(f"/coordinator/programs/{world.program.id}/health").get_data(as_text=True)


def test_a_score_out_of_range_is_refused_and_nothing_saved(app, client, world, frozen):
    _active(app, world, 31)
    with app.app_context():
        reminders.run()
    login(client, world.mentor)
    cid = _id_for(app, mid(world, world.mentor))
    html = post_form(client, f"/checkins/{cid}", {"score": "9"}).get_data(as_text=True)
    assert 'id="score-error"' in html
    assert all(score is None for _, _, score in _rows(app))


def test_a_check_in_is_answered_once(app, client, world, frozen):
    _active(app, world, 31)
    with app.app_context():
        reminders.run()
    login(client, world.mentor)
    cid = _id_for(app, mid(world, world.mentor))
    post_form(client, f"/checkins/{cid}", {"score": "4"})
    token = csrf_from(client.get(f"/checkins/{cid}").get_data(as_text=True))
    client.post(f"/checkins/{cid}", data={"csrf_token": token, "score": "1"})
    with app.app_context():
        assert db.session.get(CheckIn, cid).score == 4


def test_the_other_side_cannot_answer_my_check_in(app, client, world, frozen):
    _active(app, world, 31)
    with app.app_context():
        reminders.run()
    login(client, world.mentor)
    cid = _id_for(app, mid(world, world.mentee))
    assert client.get(f"/checkins/{cid}").status_code == 404


def test_posted_membership_and_day_are_ignored_and_comment_escaped(app, client, world, frozen):
    _active(app, world, 31)
    with app.app_context():
        reminders.run()
    login(client, world.mentee)
    cid = _id_for(app, mid(world, world.mentee))
    post_form(client, f"/checkins/{cid}", {"score": "5", "comment": "<script>alert(1)</script>",
                                           "membership_id": "1", "day": "60"})
    with app.app_context():
        c = db.session.get(CheckIn, cid)
        assert (c.membership_id, c.day, c.score) == (mid(world, world.mentee), 30, 5)
    coordinator = app.test_client()
    login(coordinator, world.coordinator)
    html = coordinator.get(f"/checkins/programs/{world.program.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
