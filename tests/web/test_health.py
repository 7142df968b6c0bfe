"""Program health figures from known data, and the coordinator's nudge / mark-unavailable."""
import re
from datetime import timedelta

from mentormatch.extensions import db
from mentormatch.models import MentorProfile, MicroRequest, OpenRequestCounter
from mentormatch.services import health
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import T0, add_mentee, add_mentor, add_pairing, frozen, mailbox, mid, outbox  # noqa: F401


def _req(app, w, mentee_mid, mentor_mid, state, created, answered=None, ended=None):
    with app.app_context():
        db.session.add(MicroRequest(program_id=w.program.id, mentee_membership_id=mentee_mid,
                                    mentor_membership_id=mentor_mid, kind="call15", question="A specific question?",
                                    state=state, created_at=created, answered_at=answered, ended_at=ended))
        if state == "open":
            counter = db.session.get(OpenRequestCounter, mentee_mid) or OpenRequestCounter(membership_id=mentee_mid, open_requests=0)
            counter.open_requests += 1
            db.session.add(counter)
        db.session.commit()


def _known_program(app, make_user, w):
    """Mentor A answers in 2 h and 10 h (one yes, one no); B never answers (1 expired, 1 waiting
    5 days); a round pair answered yes after 6 h. Median wait 6 h; 3 of 4 resolved answered."""
    a_user, a = add_mentor(app, make_user, w, "Alma Answers")
    b_user, b = add_mentor(app, make_user, w, "Bo Silent")
    e1 = mid(w, w.mentee)
    _, e2 = add_mentee(app, make_user, w, "Nina Nopath")
    _, e3 = add_mentee(app, make_user, w, "Ola Open")
    start = T0 - timedelta(days=14)
    _req(app, w, e1, a, "accepted", start, start + timedelta(hours=2))
    _req(app, w, e2, a, "declined", start, start + timedelta(hours=10), start + timedelta(hours=10))
    _req(app, w, e2, b, "expired", start, None, start + timedelta(days=9))
    _req(app, w, e3, b, "open", T0 - timedelta(days=5))
    add_pairing(app, w.program.id, e3, a, state="active", proposed_at=start, answered_at=start + timedelta(hours=6))
    return {"a": a, "b": b, "e2": e2, "e3": e3, "b_user": b_user}


def test_health_figures_are_computed_from_known_data(app, make_user, world, frozen):
    known = _known_program(app, make_user, world)
    with app.app_context():
        from mentormatch.models import Program

        h = health.program_health(db.session.get(Program, world.program.id))
    assert (h.answered, h.expired, h.accepted) == (3, 1, 2)
    assert h.response_rate == 75 and h.acceptance_rate == 67 and h.median_hours == 6
    assert [s.name for s in h.silent] == ["Bo Silent"]
    assert (h.silent[0].waiting, h.silent[0].oldest_days, h.silent[0].expired) == (1, 5, 1)
    assert [name for _, name in h.no_path] == ["Nina Nopath"]  # the world mentee has an accepted request
    assert h.open_histogram[1] == 1 and h.open_histogram[0] == 2
    assert sum(w.sent for w in h.weeks) == 5 and sum(w.expired for w in h.weeks) == 1
    assert h.weeks[-1].sent == 0 and h.weeks[-2].sent == 1  # the open request was sent last week
    assert known["b"]


def test_health_page_shows_figures_and_an_svg_chart_without_inline_styles(app, client, make_user, world, frozen):
    _known_program(app, make_user, world)
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/health").get_data(as_text=True)
    assert re.search(r'id="fig-response">\s*75\s*%', html) and re.search(r'id="fig-acceptance">\s*67\s*%', html)
    assert "about 6 hours" in html and "Bo Silent" in html and "Nina Nopath" in html
    assert "<svg" in html and 'class="bar bar-sent"' in html
    assert "style=" not in html and "<style" not in html


def test_nudge_emails_the_silent_mentor_and_is_recorded(app, client, make_user, world, frozen, mailbox):
    known = _known_program(app, make_user, world)
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/mentors/{known['b']}/nudge"
    response = post_form(client, url, {}, page=f"/coordinator/programs/{world.program.id}/health")
    assert response.status_code == 303
    sent = [m for m in outbox(app) if known["b_user"].email in m.to]
    assert sent and "1 mentee is waiting" in sent[0].subject
    html = post_form(client, url.replace(str(known["b"]), str(known["a"])), {},
                     page=f"/coordinator/programs/{world.program.id}/health", follow_redirects=True).get_data(as_text=True)
    assert "has nothing waiting" in html


def test_the_nudge_email_has_an_html_alternative_with_the_mentor_home_link(app, client, make_user, world, frozen,
                                                                        mailbox):
    known = _known_program(app, make_user, world)
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/mentors/{known['b']}/nudge", {},
              page=f"/coordinator/programs/{world.program.id}/health")
    [mail] = [m for m in outbox(app) if known["b_user"].email in m.to]
    assert "asks you to answer what is waiting for you (1)" in mail.body and "http://localhost/mentor/" in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html" and '<a href="http://localhost/mentor/">http://localhost/mentor/</a>' in html


def test_mark_unavailable_takes_the_mentor_out_and_is_recorded(app, client, make_user, world, frozen):
    from mentormatch.models import Event

    known = _known_program(app, make_user, world)
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/mentors/{known['b']}/unavailable", {},
              page=f"/coordinator/programs/{world.program.id}/health")
    with app.app_context():
        profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == known["b"]))
        event = db.session.scalar(db.select(Event).where(Event.subject_type == "mentor"))
        assert profile.available is False
        assert (event.from_state, event.to_state, event.actor_user_id) == ("available", "unavailable", world.coordinator.id)


def test_a_coordinator_cannot_act_on_a_mentor_of_another_program(app, client, make_user, world, frozen):
    other_mentor_mid = world.other_program.memberships[world.other_mentor.id]
    login(client, world.coordinator)
    response = post_form(client, f"/coordinator/programs/{world.program.id}/mentors/{other_mentor_mid}/unavailable", {},
                         page=f"/coordinator/programs/{world.program.id}/health")
    assert response.status_code == 404


def test_the_health_nav_link_goes_straight_to_the_only_program(client, world):
    login(client, world.coordinator)
    response = client.get("/coordinator/health")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/programs/{world.program.id}/health")
