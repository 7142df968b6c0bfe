"""The answering service's emails are templates (templates/email/<kind>_<mail>.txt): same wording
as before, the one-click answer links laid out by email/_partials/answer_links.txt, and an HTML
alternative with the links clickable. Every registered kind has every mail of the flow."""
import re

from mentormatch.services import answers
from tests.web.test_lifecycle_data import add_profile, frozen, mailbox, mid, outbox, send_request  # noqa: F401

FLOW_MAILS = ("accepted", "declined", "info_asked", "info_answered", "reminder", "expired",
              # the answer the mentee owes: their reminders, and its expiry told to both (issue 14)
              "info_reminder", "info_expired", "info_expired_mentor")


def test_every_answerable_kind_has_every_mail_of_the_flow(app):
    assert set(answers.KINDS) == {"pairing", "request"}
    for kind in answers.KINDS.values():
        for mail in FLOW_MAILS:
            app.jinja_env.get_template(f"email/{kind.template(mail)}.txt")  # raises if missing


def test_a_sent_request_mails_the_mentor_its_answer_links_in_text_and_html(app, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    [mail] = [m for m in outbox(app) if world.mentor.email in m.to]
    assert mail.subject == f"A request from {world.mentee.name}: a 15-minute call"
    body = mail.body
    assert "  Which of my 5 slides loses you first?\n\nKind: A 15-minute call\n\nAccept or decline here: " in body
    assert re.search(r"/requests/\d+\n\nOr answer straight from this email \(no login needed; each link works "
                     r"once, for 7 days\):\n  Accept: http://\S+\n  Decline: http://\S+\n  Ask for more info: "
                     r"http://\S+\n$", body), body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert html.count('<a href="http://localhost/pairings/by-email/') == 3


def test_the_reminder_keeps_its_wording_for_both_kinds(app):
    from types import SimpleNamespace as NS

    from mentormatch.core import outbox

    mentee, mentor = NS(name="Mira Mentee"), NS(name="Milo Mentor")
    links = [("Accept", "http://x/a"), ("Decline", "http://x/d"), ("Ask for more info", "http://x/i")]
    tail = ("\n\nOr answer straight from this email (no login needed; each link works once, for 7 days):\n"
            "  Accept: http://x/a\n  Decline: http://x/d\n  Ask for more info: http://x/i\n\n")
    with app.test_request_context():
        mail = outbox.render("pairing_reminder", item=NS(), mentee=mentee, mentor=mentor, program=NS(name="Spring"),
                             proposals_url="http://x/p", answer_links=links, link_days=7, left=1)
        assert mail.subject == "Reminder: Mira Mentee is waiting for your answer"
        assert mail.text == ("Hello Milo Mentor,\n\nMira Mentee was proposed as your mentee in Spring, and is waiting "
                             "for your answer. Accepting or declining takes one click:\n\nhttp://x/p" + tail
                             + "1 more reminder before it expires.\n")
        mail = outbox.render("request_reminder", item=NS(question="Which slide?"), mentee=mentee, mentor=mentor,
                             show_url="http://x/r", answer_links=links, link_days=1, left=0)
        assert mail.text == ("Hello Milo Mentor,\n\nMira Mentee asked you: “Which slide?”, and is waiting for your "
                             "answer. Accepting or declining takes one click:\n\nhttp://x/r"
                             + tail.replace("7 days", "1 day") + "It will expire if there is no answer.\n")
