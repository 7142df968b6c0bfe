"""Email for new messages, batched, through a real SMTP server on the controllable clock: at most one
email per thread per hour per person, none while they have the thread open, and nothing lost: what
was written inside the hour goes out with the reminder pass once the hour is over."""
import pytest

from mentormatch.core import clock
from mentormatch.services import reminders
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import frozen  # noqa: F401
from tests.web.test_threads import HX, client_of, pair, send, thread_url  # noqa: F401

pytestmark = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)


def remind(app) -> str:
    with app.app_context():
        return reminders.run().summary()


def test_one_email_an_hour_per_thread_and_the_rest_with_the_next_pass(app, pair, smtp_server):
    mentee = client_of(app, pair.mentee)
    send(mentee, pair, "First: are you free on Thursday?")
    [first] = smtp_server.wait_for(1)
    assert first["to"] == [pair.mentor.email] and first["reply_to"] == pair.mentee.email
    assert first["subject"] == "Mira Mentee wrote to you (1 new message)"
    assert "First: are you free on Thursday?" in first["body"]
    assert f"http://localhost/threads/pairing/{pair.pairing_id}" in first["body"]

    clock.advance(minutes=10)
    send(mentee, pair, "Second: or Friday morning")
    clock.advance(minutes=20)
    send(mentee, pair, "Third: https://example.org/agenda")
    assert "0 message email(s)" in remind(app), "inside the hour: nothing yet"
    assert len(smtp_server.wait_for(2, timeout=0.3)) == 1

    clock.advance(minutes=31)  # one hour and a minute after the first email
    assert "1 message email(s)" in remind(app)
    [_, batch] = smtp_server.wait_for(2)
    assert batch["to"] == [pair.mentor.email] and batch["subject"] == "Mira Mentee wrote to you (2 new messages)"
    assert "Second: or Friday morning" in batch["body"] and "Third: https://example.org/agenda" in batch["body"]
    assert "First:" not in batch["body"], "each message is emailed once"
    assert "0 message email(s)" in remind(app), "nothing left to send"


def test_no_email_while_the_recipient_has_the_thread_open_and_none_for_what_they_read(app, pair, smtp_server):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    mentor.get(thread_url(pair))  # the mentor's page is open, polling
    send(mentee, pair, "You are here, so no email")
    mentor.get(f"{thread_url(pair)}/messages?after=0", headers=HX)  # the poll shows it: read
    clock.advance(hours=2)
    assert "0 message email(s)" in remind(app)
    assert smtp_server.wait_for(1, timeout=0.3) == []

    send(mentee, pair, "Now the mentor has left")  # last seen two hours ago
    [mail] = smtp_server.wait_for(1)
    assert "Now the mentor has left" in mail["body"] and "You are here" not in mail["body"]


def test_a_message_posted_while_the_recipient_was_on_the_page_but_never_read_still_goes_out(app, pair, smtp_server):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    mentor.get(thread_url(pair))
    send(mentee, pair, "Written while the page was open")  # no email: the mentor is on the page
    assert smtp_server.wait_for(1, timeout=0.3) == []
    clock.advance(minutes=5)  # the mentor closed the tab before the next poll
    assert "1 message email(s)" in remind(app)
    [mail] = smtp_server.wait_for(1)
    assert "Written while the page was open" in mail["body"]


def test_each_person_and_each_thread_has_its_own_hour(app, pair, smtp_server):
    mentee, mentor = client_of(app, pair.mentee), client_of(app, pair.mentor)
    send(mentee, pair, "To the mentor, about the pairing")
    send(mentee, pair, "To the mentor, about the request", kind="request")
    assert len(smtp_server.wait_for(2)) == 2, "one per thread, though the hour of the first is not over"
    send(mentor, pair, "To the mentee, who has just written and is on the page")
    assert len(smtp_server.wait_for(3, timeout=0.3)) == 2
    clock.advance(minutes=1)  # the mentee has left the page
    send(mentor, pair, "To the mentee")
    mails = smtp_server.wait_for(3)
    assert sorted(m["to"][0] for m in mails) == sorted([pair.mentor.email, pair.mentor.email, pair.mentee.email])
    [to_mentee] = [m for m in mails if m["to"] == [pair.mentee.email]]
    assert to_mentee["reply_to"] == pair.mentor.email and "(2 new messages)" in to_mentee["subject"]
