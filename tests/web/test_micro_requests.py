"""Micro-requests: the directory, sending, the cap of 5 open, monthly capacity, and every move
by the right person only."""
import threading

import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Event, MicroRequest, OpenRequestCounter, Program, User
from mentormatch.services import ServiceError, answers, micro_requests
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import (  # noqa: F401
    T0,
    add_goal,
    add_mentor,
    add_profile,
    add_term,
    frozen,
    mailbox,
    mid,
    open_count,
    outbox,
    request_state,
    send_request,
)

QUESTION = "Which of my 5 pitch slides loses you first, and why?"


def _directory(w):
    return f"/requests/programs/{w.program.id}/mentors"


def _ask_url(w, mentor_mid):
    return f"/requests/programs/{w.program.id}/mentors/{mentor_mid}/ask"


def _mentors(app, make_user, w, n, **profile):
    return [add_mentor(app, make_user, w, f"Mentor {chr(65 + i)}", **profile) for i in range(n)]


def test_mentee_sends_a_request_through_the_form_and_the_mentor_is_emailed(app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    login(client, world.mentee)
    response = post_form(client, _ask_url(world, mid(world, world.mentor)),
                         {"question": QUESTION, "kind": "call15", "context": "Slides: https://example.org/deck"})
    assert response.status_code == 303
    with app.app_context():
        req = db.session.scalar(db.select(MicroRequest))
        assert (req.state, req.kind, req.question) == ("open", "call15", QUESTION)
        assert req.created_at == T0
        event = db.session.scalar(db.select(Event))
        assert (event.subject_type, event.from_state, event.to_state, event.actor_user_id) == (
            "request", None, "open", world.mentee.id)
    assert open_count(app, mid(world, world.mentee)) == 1
    assert any(world.mentor.email in m.to and QUESTION in m.body for m in outbox(app))


def test_a_vague_or_missing_question_is_refused_next_to_the_field_and_nothing_is_saved(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    login(client, world.mentee)
    html = post_form(client, _ask_url(world, mid(world, world.mentor)), {"question": "help", "kind": "call15"}).get_data(as_text=True)
    assert 'id="question-error"' in html
    html = post_form(client, _ask_url(world, mid(world, world.mentor)), {"question": QUESTION, "kind": "lunch"}).get_data(as_text=True)
    assert 'id="kind-error"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MicroRequest)) == 0
    assert open_count(app, mid(world, world.mentee)) == 0


def test_posted_state_mentor_and_program_fields_are_ignored(app, client, make_user, world, frozen):
    add_profile(app, mid(world, world.mentor))
    other_user, other_mid = add_mentor(app, make_user, world, "Someone Else")
    login(client, world.mentee)
    post_form(client, _ask_url(world, mid(world, world.mentor)), {
        "question": QUESTION, "kind": "email", "state": "accepted", "mentor_membership_id": str(other_mid),
        "program_id": str(world.other_program.id), "mentee_membership_id": "1"})
    with app.app_context():
        req = db.session.scalar(db.select(MicroRequest))
        assert (req.state, req.mentor_membership_id, req.program_id, req.mentee_membership_id) == (
            "open", mid(world, world.mentor), world.program.id, mid(world, world.mentee))


def test_the_question_is_escaped_on_the_mentors_and_mentees_pages(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor),
                       question="<script>alert('x')</script> which slide loses you?")
    for user, url in ((world.mentor, f"/requests/{rid}"), (world.mentor, "/requests/inbox"), (world.mentee, "/requests/")):
        c = app.test_client()
        login(c, user)
        html = c.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "&lt;script&gt;" in html, url


def test_a_mentee_can_have_at_most_five_open_requests(app, make_user, world, frozen):
    mentors = _mentors(app, make_user, world, 6)
    for _, m in mentors[:5]:
        send_request(app, world.mentee, world.program.id, m)
    with pytest.raises(ServiceError, match="5 open requests"):
        send_request(app, world.mentee, world.program.id, mentors[5][1])
    assert open_count(app, mid(world, world.mentee)) == 5


def test_the_sixth_request_is_refused_on_the_page_and_a_closed_one_frees_a_slot(app, client, make_user, world, frozen):
    mentors = _mentors(app, make_user, world, 6)
    ids = [send_request(app, world.mentee, world.program.id, m) for _, m in mentors[:5]]
    login(client, world.mentee)
    html = post_form(client, _ask_url(world, mentors[5][1]), {"question": QUESTION, "kind": "call15"}).get_data(as_text=True)
    assert "already have 5 open requests" in html
    post_form(client, f"/requests/{ids[0]}/cancel", {}, page=f"/requests/{ids[0]}")
    assert request_state(app, ids[0]) == "cancelled"
    response = post_form(client, _ask_url(world, mentors[5][1]), {"question": QUESTION, "kind": "call15"})
    assert response.status_code == 303 and open_count(app, mid(world, world.mentee)) == 5


def test_the_database_refuses_a_sixth_open_request_even_if_the_code_forgets_to_check(app, world):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(OpenRequestCounter(membership_id=mid(world, world.mentee), open_requests=5))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(db.update(OpenRequestCounter).values(open_requests=OpenRequestCounter.open_requests + 1))
            db.session.commit()
        db.session.rollback()


def test_concurrent_submits_cannot_exceed_five_open_requests(app, make_user, world, frozen):
    # On PostgreSQL this is real row-level concurrency; SQLite serializes the writers, and the
    # cap must hold there too.
    mentors = _mentors(app, make_user, world, 12)
    barrier = threading.Barrier(len(mentors))
    outcomes = []

    def submit(mentor_mid):
        with app.app_context():
            mentee, program = db.session.get(User, world.mentee.id), db.session.get(Program, world.program.id)
            from mentormatch.models import Membership

            mentor = db.session.get(Membership, mentor_mid)
            barrier.wait()
            try:
                micro_requests.send(mentee, program, mentor, {"kind": "call15", "question": QUESTION})
                outcomes.append("sent")
            except ServiceError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(m,)) for _, m in mentors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["refused"] * 7 + ["sent"] * 5
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MicroRequest).where(MicroRequest.state == "open")) == 5
    assert open_count(app, mid(world, world.mentee)) == 5


def test_a_full_mentor_drops_out_of_the_directory_until_next_month(app, client, make_user, world, frozen):
    user, full = add_mentor(app, make_user, world, "Fiona Full", capacity_micro=1)
    _, other = add_mentor(app, make_user, world, "Oscar Open", capacity_micro=3)
    second_mentee = make_user("mentee", "Second Mentee")
    with app.app_context():
        from mentormatch.models import Membership

        db.session.add(Membership(program_id=world.program.id, user_id=second_mentee.id))
        db.session.commit()
    send_request(app, second_mentee, world.program.id, full)
    login(client, world.mentee)
    html = client.get(_directory(world)).get_data(as_text=True)
    assert "Oscar Open" in html and "Fiona Full" not in html
    with pytest.raises(ServiceError, match="all the requests they can take this month"):
        send_request(app, world.mentee, world.program.id, full)
    clock.set_now(T0.replace(month=4, day=1))
    assert "Fiona Full" in client.get(_directory(world)).get_data(as_text=True)
    send_request(app, world.mentee, world.program.id, full)


def test_a_declined_request_gives_the_monthly_slot_back(app, make_user, world, frozen):
    user, m = add_mentor(app, make_user, world, "Dee Decliner", capacity_micro=1)
    rid = send_request(app, world.mentee, world.program.id, m)
    with app.app_context():
        answers.decline(db.session.get(MicroRequest, rid), db.session.get(User, user.id), "no_capacity")
        assert micro_requests.used_this_month(m) == 0


def test_unavailable_and_away_mentors_are_not_listed(app, client, make_user, world, frozen):
    from datetime import date

    add_mentor(app, make_user, world, "Olive Off", available=False)
    add_mentor(app, make_user, world, "Andy Away", away_until=date(2026, 3, 20))
    add_mentor(app, make_user, world, "Ada Around")
    login(client, world.mentee)
    html = client.get(_directory(world)).get_data(as_text=True)
    assert "Ada Around" in html and "Olive Off" not in html and "Andy Away" not in html


def test_directory_filters_by_topic_language_and_context_and_htmx_gets_only_the_results(app, client, make_user, world, frozen):
    python = add_term(app, world.program.id, "Python")
    design = add_term(app, world.program.id, "Design")
    women = add_term(app, world.program.id, "Women in tech", kind="group")
    add_mentor(app, make_user, world, "Pia Python", topics=[python], languages=["en", "de"], industry="Fintech")
    add_mentor(app, make_user, world, "Dan Design", topics=[design], groups=[women], languages=["en"])
    login(client, world.mentee)
    html = client.get(f"{_directory(world)}?topic={python}").get_data(as_text=True)
    assert "Pia Python" in html and "Dan Design" not in html
    html = client.get(f"{_directory(world)}?language=de").get_data(as_text=True)
    assert "Pia Python" in html and "Dan Design" not in html
    html = client.get(f"{_directory(world)}?group={women}").get_data(as_text=True)
    assert "Dan Design" in html and "Pia Python" not in html
    response = client.get(f"{_directory(world)}?q=fintech", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="directory-results"' in html and "Pia Python" in html and "Dan Design" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert "Pia Python" in client.get(f"{_directory(world)}?topic=not-a-number").get_data(as_text=True)


def test_recommended_order_uses_the_matching_score_and_shows_why(app, client, make_user, world, frozen):
    python = add_term(app, world.program.id, "Python")
    design = add_term(app, world.program.id, "Design")
    add_goal(app, mid(world, world.mentee), topics=[python], years=2, preference="ahead")
    add_mentor(app, make_user, world, "Aaron Unrelated", topics=[design], years=30)
    add_mentor(app, make_user, world, "Zoe Python", topics=[python], years=6)
    login(client, world.mentee)
    html = client.get(_directory(world)).get_data(as_text=True)
    assert html.index("Zoe Python") < html.index("Aaron Unrelated")
    assert "covers 1 of 1 topic (Python)" in html
    html = client.get(f"{_directory(world)}?sort=name").get_data(as_text=True)
    assert html.index("Aaron Unrelated") < html.index("Zoe Python")


def test_mentor_accepts_and_the_mentee_is_offered_to_withdraw_the_others_in_one_click(app, client, make_user, world, frozen, mailbox):
    (u1, m1), (u2, m2), (u3, m3) = _mentors(app, make_user, world, 3)
    r1, r2, r3 = (send_request(app, world.mentee, world.program.id, m) for m in (m1, m2, m3))
    mentor = app.test_client()
    login(mentor, u1)
    post_form(mentor, f"/requests/{r1}/accept", {}, page=f"/requests/{r1}")
    assert request_state(app, r1) == "accepted"
    assert any(world.mentee.email in m.to and "accepted" in m.subject for m in outbox(app))
    login(client, world.mentee)
    html = client.get(f"/requests/{r1}").get_data(as_text=True)
    assert "Withdraw the other 2" in html
    post_form(client, f"/requests/{r1}/withdraw-others", {}, page=f"/requests/{r1}")
    assert [request_state(app, r) for r in (r1, r2, r3)] == ["accepted", "cancelled", "cancelled"]
    assert open_count(app, mid(world, world.mentee)) == 0


def test_mentor_declines_with_a_reason_and_the_mentee_can_ask_someone_else(app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentor)
    html = post_form(client, f"/requests/{rid}/decline", {}).get_data(as_text=True)
    assert 'id="reason-error"' in html and request_state(app, rid) == "open"
    post_form(client, f"/requests/{rid}/decline", {"reason": "not_a_fit", "note": "Ask Ada, she knows pitching"})
    assert request_state(app, rid) == "declined"
    assert open_count(app, mid(world, world.mentee)) == 0
    assert any(world.mentee.email in m.to and "someone else" in m.subject for m in outbox(app))
    mentee = app.test_client()
    login(mentee, world.mentee)
    html = mentee.get(f"/requests/{rid}").get_data(as_text=True)
    assert "Ask someone else" in html and "Ask Ada, she knows pitching" in html


def test_only_the_mentee_cancels_and_only_an_open_request(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentor)
    assert post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}").status_code == 403
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "cancelled"
    html = post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}", follow_redirects=True).get_data(as_text=True)
    assert "no longer open" in html


def test_followup_closes_the_request_and_thanks_counts_on_the_mentor_card(app, client, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    clock.advance(hours=5)
    with app.app_context():
        answers.accept(db.session.get(MicroRequest, rid), db.session.get(User, world.mentor.id))
    login(client, world.mentee)
    home_prompt = client.get("/requests/").get_data(as_text=True)
    assert "/followup" in client.get(f"/requests/{rid}").get_data(as_text=True) and home_prompt
    post_form(client, f"/requests/{rid}/followup", {"kind": "followup", "body": "I cut slide 3 and the pitch landed."})
    assert request_state(app, rid) == "done"
    post_form(client, f"/requests/{rid}/followup", {"kind": "thanks", "body": ""})
    mentor = app.test_client()
    login(mentor, world.mentor)
    assert "I cut slide 3" in mentor.get(f"/requests/{rid}").get_data(as_text=True)
    with app.app_context():
        stats = micro_requests.mentor_stats([mid(world, world.mentor)])[mid(world, world.mentor)]
    assert (stats.thanks, stats.response_rate, stats.typical) == (1, 100, "about 5 hours")
    html = client.get(_directory(world)).get_data(as_text=True)
    assert "about 5 hours" in html and "100%" in html


def test_mentor_or_mentee_marks_an_accepted_request_done_but_not_an_open_one(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentor)
    post_form(client, f"/requests/{rid}/done", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "open"
    post_form(client, f"/requests/{rid}/accept", {}, page=f"/requests/{rid}")
    post_form(client, f"/requests/{rid}/done", {}, page=f"/requests/{rid}")
    assert request_state(app, rid) == "done"
    with app.app_context():
        moves = [(e.from_state, e.to_state) for e in db.session.scalars(
            db.select(Event).where(Event.subject_id == rid, Event.subject_type == "request").order_by(Event.id))]
    assert moves == [(None, "open"), ("open", "accepted"), ("accepted", "done")]


def test_a_program_without_micro_requests_has_no_directory(app, client, world, frozen):
    with app.app_context():
        db.session.get(Program, world.program.id).offers_micro = False
        db.session.commit()
    login(client, world.mentee)
    assert client.get(_directory(world)).status_code == 404


def test_mentee_home_partial_lists_open_requests_and_follow_up_prompts(app, world, frozen):
    from flask import render_template

    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    client = app.test_client()
    login(client, world.mentee)
    with app.test_request_context():
        from flask_login import login_user

        with app.app_context():
            from mentormatch.services import home

            user = db.session.get(User, world.mentee.id)
            login_user(user)
            html = render_template("requests/_mentee_open.html", **home.mentee_home(user))
    assert "1 of 5 open requests" in html and f"/requests/{rid}" in html


def test_directory_shows_the_best_page_first_and_more_on_request(app, client, make_user, world, frozen):
    from mentormatch.requests.routes import DIRECTORY_PAGE

    for n in range(DIRECTORY_PAGE + 3):
        add_mentor(app, make_user, world, f"Mentor {n:02d}", capacity_micro=3)
    login(client, world.mentee)
    url = f"/requests/programs/{world.program.id}/mentors"
    first = client.get(url, query_string={"sort": "name"}).get_data(as_text=True)
    assert first.count('<article class="mentor-card">') == DIRECTORY_PAGE
    assert f"{DIRECTORY_PAGE} of {DIRECTORY_PAGE + 3} shown" in first and "Show more mentors" in first
    everyone = client.get(url, query_string={"sort": "name", "show": DIRECTORY_PAGE * 2},
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert everyone.count('<article class="mentor-card">') == DIRECTORY_PAGE + 3
    assert "Show more mentors" not in everyone
