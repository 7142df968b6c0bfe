"""Messages between the two people of an accepted pairing or micro-request (issue 13, item 2):
posting (plain form and htmx), the poll, validation, escaping, read-only threads, the quick take,
unread counts and the rate limit. Mail batching: test_threads_mail.py; access: test_threads_access.py."""
import re

import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import MentorReport, Message, MicroRequest, Pairing, ThreadRead, User
from mentormatch.services import threads
from tests.conftest import csrf_from, login, post_form
from tests.web.test_home_queries import counted
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mid, send_request  # noqa: F401

HX = {"HX-Request": "true"}


def accept_request(app, request_id: int) -> None:
    with app.app_context():
        db.session.get(MicroRequest, request_id).state = "accepted"
        db.session.commit()


@pytest.fixture
def pair(app, world, frozen):
    """An accepted pairing and an accepted request between the world's mentee and mentor."""
    add_profile(app, mid(world, world.mentor))
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="accepted")
    world.request_id = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    accept_request(app, world.request_id)
    return world


def thread_url(w, kind="pairing"):
    return f"/threads/{kind}/{w.pairing_id if kind == 'pairing' else w.request_id}"


def send(client, w, body, kind="pairing", **kwargs):
    return post_form(client, f"{thread_url(w, kind)}/messages", {"body": body}, page=thread_url(w, kind), **kwargs)


def bodies(app, **where) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(Message.body).filter_by(**where).order_by(Message.id)))


def client_of(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_the_two_write_with_a_plain_form_and_the_newest_is_at_the_bottom(app, pair):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    response = send(mentee, pair, "Hello Milo, when suits you?")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/mentee/pairings/{pair.pairing_id}#thread")
    clock.advance(minutes=3)
    response = send(mentor, pair, "Thursday at 10?")
    assert response.headers["Location"].endswith(
        f"/mentor/programs/{pair.program.id}/mentees/{mid(pair, pair.mentee)}#thread")
    html = mentee.get(f"/mentee/pairings/{pair.pairing_id}").get_data(as_text=True)
    assert 'id="thread"' in html and "Only the two of you can read this conversation." in html
    assert html.index("Hello Milo, when suits you?") < html.index("Thursday at 10?"), "newest at the bottom"
    assert "Milo Mentor" in html and "09:03 UTC" in html, "author and time"
    page = mentor.get(f"/mentor/programs/{pair.program.id}/mentees/{mid(pair, pair.mentee)}").get_data(as_text=True)
    assert "Hello Milo, when suits you?" in page
    with app.app_context():
        assert db.session.get(Pairing, pair.pairing_id).last_activity_at == clock.now(), "a message is activity"


def test_an_htmx_post_answers_with_the_thread_partial_and_the_poll_with_only_the_new_ones(app, pair):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    response = send(mentee, pair, "First message", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<section id="thread"' in html and "<html" not in html and "First message" in html
    first_id = int(re.search(r'id="message-(\d+)"', html).group(1))
    assert f"messages?after={first_id}" in html, "the poller asks from the newest message shown"
    send(mentor, pair, "Second, from the mentor")
    polled = mentee.get(f"{thread_url(pair)}/messages?after={first_id}", headers=HX)
    text = polled.get_data(as_text=True)
    assert "Second, from the mentor" in text and "First message" not in text
    assert 'hx-swap-oob="beforeend:#thread-messages"' in text and "HX-Request" in polled.headers["Vary"]
    again = mentee.get(f"{thread_url(pair)}/messages?after={first_id + 1}", headers=HX).get_data(as_text=True)
    assert "message-" not in again and 'id="thread-poll"' in again, "nothing new: only a fresh poller"
    assert mentee.get(f"{thread_url(pair)}/messages?after=0").status_code == 303, "a plain GET goes to the page"


@pytest.mark.parametrize("body, error", [
    ("   ", "Write a message first."),
    ("x" * 4001, "Keep a message under 4000 characters"),
])
def test_an_empty_or_too_long_message_is_refused_next_to_the_field(app, pair, body, error):
    mentee = client_of(app, pair.mentee)
    response = send(mentee, pair, body)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and error in html and 'id="body-error"' in html
    assert bodies(app) == []
    partial = send(mentee, pair, body, headers=HX).get_data(as_text=True)
    assert error in partial and "<html" not in partial


def test_the_database_refuses_a_message_over_the_limit_or_with_two_items(app, pair):
    with app.app_context():
        author = mid(pair, pair.mentee)
        for values in ({"pairing_id": pair.pairing_id, "body": "y" * 4001},
                       {"pairing_id": pair.pairing_id, "request_id": pair.request_id, "body": "both"},
                       {"body": "neither"}):
            db.session.add(Message(program_id=pair.program.id, author_membership_id=author, **values))
            with pytest.raises(Exception):  # noqa: B017 - IntegrityError on PostgreSQL and SQLite alike
                db.session.commit()
            db.session.rollback()


def test_hostile_text_is_escaped_and_only_http_links_become_links(app, pair):
    mentee = client_of(app, pair.mentee)
    hostile = ('<script>alert(1)</script> see https://example.org/a?x=1&y=2. '
               'and "><img src=x onerror=alert(2)> javascript:alert(3) http://evil.example/"onmouseover=x')
    send(mentee, pair, hostile)
    html = mentee.get(thread_url(pair)).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert ('<a href="https://example.org/a?x=1&amp;y=2" rel="nofollow noopener noreferrer" target="_blank">'
            'https://example.org/a?x=1&amp;y=2</a>.') in html, "the sentence's full stop is not part of the link"
    assert 'href="javascript' not in html
    assert '<a href="http://evil.example/" rel="nofollow noopener noreferrer"' in html, "a quote ends the link"
    assert "onmouseover=x" in html and ' onmouseover=' not in html.split("evil.example/")[1].split("</a>")[0]


def test_a_completed_pairing_is_read_only_and_an_open_request_has_no_thread(app, pair, make_user):
    mentee = client_of(app, pair.mentee)
    send(mentee, pair, "Thanks for everything")
    with app.app_context():
        db.session.get(Pairing, pair.pairing_id).state = "completed"
        db.session.commit()
    html = mentee.get(thread_url(pair)).get_data(as_text=True)
    assert "Thanks for everything" in html and "This conversation is closed" in html
    assert 'name="body"' not in html and 'id="thread-poll"' not in html, "no form, no polling"
    refused = send(mentee, pair, "One more?")
    assert refused.status_code == 422 and "This conversation is closed" in refused.get_data(as_text=True)
    assert bodies(app) == ["Thanks for everything"]
    with app.app_context():
        db.session.get(MicroRequest, pair.request_id).state = "open"
        db.session.commit()
    assert mentee.get(thread_url(pair, "request")).status_code == 404
    assert 'id="thread"' not in mentee.get(f"/requests/{pair.request_id}").get_data(as_text=True)


def test_the_mentor_answers_with_a_quick_take_and_the_request_is_done_in_one_step(app, pair):
    mentor = client_of(app, pair.mentor)
    page = f"/requests/{pair.request_id}"
    html = mentor.get(page).get_data(as_text=True)
    assert "Send as my quick take and mark done" in html
    response = mentor.post(f"/threads/request/{pair.request_id}/quick-take",
                           data={"csrf_token": csrf_from(html), "body": "Slide 3 loses me: cut the table."})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{page}#thread")
    with app.app_context():
        assert db.session.get(MicroRequest, pair.request_id).state == "done"
    assert bodies(app, request_id=pair.request_id) == ["Slide 3 loses me: cut the table."]
    mentee_page = client_of(app, pair.mentee).get(page).get_data(as_text=True)
    assert "Slide 3 loses me: cut the table." in mentee_page and "This conversation is closed" in mentee_page
    again = mentor.post(f"/threads/request/{pair.request_id}/quick-take",
                        data={"csrf_token": csrf_from(html), "body": "Twice?"})
    assert again.status_code == 422 and bodies(app, request_id=pair.request_id) == ["Slide 3 loses me: cut the table."]


def test_an_empty_quick_take_neither_posts_nor_closes(app, pair):
    mentor = client_of(app, pair.mentor)
    html = mentor.get(f"/requests/{pair.request_id}").get_data(as_text=True)
    response = mentor.post(f"/threads/request/{pair.request_id}/quick-take", data={"csrf_token": csrf_from(html),
                                                                                   "body": ""})
    assert response.status_code == 422 and "Write a message first." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(MicroRequest, pair.request_id).state == "accepted"


def test_the_mentee_is_offered_no_quick_take_and_may_not_post_one(app, pair):
    mentee = client_of(app, pair.mentee)
    html = mentee.get(f"/requests/{pair.request_id}").get_data(as_text=True)
    assert 'name="body"' in html and "quick take and mark done" not in html
    response = mentee.post(f"/threads/request/{pair.request_id}/quick-take",
                           data={"csrf_token": csrf_from(html), "body": "Closing it myself"})
    assert response.status_code == 403


def test_unread_counts_on_the_home_pages_and_cards_until_the_thread_is_read(app, pair):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    send(mentor, pair, "One")
    send(mentor, pair, "Two")
    send(mentee, pair, "A question on the request", kind="request")
    home = mentee.get("/mentee/").get_data(as_text=True)
    assert "2 unread messages" in home
    mentor_home = mentor.get("/mentor/").get_data(as_text=True)
    assert "1 unread message<" in mentor_home and "New messages on your requests" in mentor_home
    with app.app_context():
        counts = threads.unread_counts(db.session.get(User, pair.mentee.id))
        assert counts == {("pairing", pair.pairing_id): 2}, "the mentee's own message is not unread for them"
    mentee.get(f"/mentee/pairings/{pair.pairing_id}")  # reading the page reads the thread
    assert "unread message" not in mentee.get("/mentee/").get_data(as_text=True)
    mentor.get(f"/requests/{pair.request_id}")
    assert "unread message" not in mentor.get("/mentor/").get_data(as_text=True)


def test_a_poll_marks_what_it_showed_as_read_and_the_person_as_on_the_page(app, pair):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    send(mentor, pair, "New one")
    with app.app_context():
        newest = db.session.scalar(db.select(Message.id))
    mentee.get(f"{thread_url(pair)}/messages?after=0", headers=HX)
    with app.app_context():
        row = db.session.scalar(db.select(ThreadRead).filter_by(membership_id=mid(pair, pair.mentee)))
        assert row.last_read_message_id == newest and row.last_seen_at == clock.now()


def test_the_page_tells_the_two_when_their_coordinator_can_read_the_thread(app, pair):
    with app.app_context():
        db.session.add(MentorReport(program_id=pair.program.id, mentee_membership_id=mid(pair, pair.mentee),
                                    mentor_membership_id=mid(pair, pair.mentor), pairing_id=pair.pairing_id,
                                    note="No answer for weeks", created_at=clock.now()))
        db.session.commit()
    html = client_of(app, pair.mentee).get(f"/mentee/pairings/{pair.pairing_id}").get_data(as_text=True)
    assert "Your coordinator can read this thread because a report was filed." in html
    request_page = client_of(app, pair.mentee).get(f"/requests/{pair.request_id}").get_data(as_text=True)
    assert "Only the two of you can read this conversation." in request_page, "the report is about the pairing only"


@pytest.mark.parametrize("app", [{"MESSAGE_RATE_LIMIT": "3 per minute"}], indirect=True)
def test_messages_are_rate_limited_per_person(app, pair):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    assert [send(mentee, pair, f"Message {n}").status_code for n in range(4)] == [303, 303, 303, 429]
    held = send(mentee, pair, "Kept for later", headers=HX)
    assert held.status_code == 200, "htmx swaps only 2xx answers"
    assert "You are sending messages quickly" in held.get_data(as_text=True)
    assert "Kept for later</textarea>" in held.get_data(as_text=True), "the text is kept"
    plain = send(mentee, pair, "Plain form").get_data(as_text=True)
    assert 'id="body-error"' in plain and "You are sending messages quickly" in plain
    assert send(mentor, pair, "The other person still may").status_code == 303
    assert len(bodies(app)) == 4


def test_a_thread_page_costs_the_same_queries_for_one_message_or_forty(app, pair):
    mentee = client_of(app, pair.mentee)

    def statements_for_page() -> int:
        clock.advance(seconds=1)  # each visit records a new "last seen"
        with counted(app) as statements:
            assert mentee.get(f"/mentee/pairings/{pair.pairing_id}").status_code == 200
        return len(statements)

    with app.app_context():
        db.session.add(Message(program_id=pair.program.id, pairing_id=pair.pairing_id, body="one",
                               author_membership_id=mid(pair, pair.mentor), created_at=clock.now()))
        db.session.commit()
    statements_for_page()  # the first visit also makes the reader's row
    one = statements_for_page()
    with app.app_context():
        db.session.add_all([Message(program_id=pair.program.id, pairing_id=pair.pairing_id, body=f"more {n}",
                                    author_membership_id=mid(pair, (pair.mentor, pair.mentee)[n % 2]),
                                    created_at=clock.now()) for n in range(39)])
        db.session.commit()
    assert statements_for_page() == one
