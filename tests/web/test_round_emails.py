"""The round emails are templates (templates/email/round_proposal_*.txt, mentor_approved.txt): same
words as before, an HTML alternative beside the text, and an approval's notices in one INSERT."""
import re

from sqlalchemy import event

from mentormatch.extensions import db
from mentormatch.models import Membership, Program, User
from mentormatch.models.rounds import Round, RunPair, SolveRun
from mentormatch.services import mentor_approval
from mentormatch.services.rounds import publish
from tests.web.test_lifecycle_data import add_profile, frozen, mailbox, mid, outbox  # noqa: F401
from tests.web.test_rounds_support import make_round, small_world

LINK_RE = re.compile(r"http://localhost/pairings/by-email/\S+")


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def _proposed(app, world, people, pairs) -> int:
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        run = SolveRun(round_id=rid, status="done", kind="full", pair_count=len(pairs))
        db.session.add(run)
        db.session.flush()
        for mentee, mentor in pairs:
            db.session.add(RunPair(run_id=run.id, mentee_membership_id=people.ids[mentee],
                                   mentor_membership_id=people.ids[mentor], mentee_name=mentee, mentor_name=mentor,
                                   score=80))
        db.session.get(Round, rid).state = "proposed"
        db.session.commit()
    return rid


def test_approval_notices_keep_their_words_and_carry_an_html_alternative(app, world, frozen, mailbox):
    people = small_world(app, world.program.id)
    rid = _proposed(app, world, people, [("Cy Mentee", "Ada Mentor"), ("Di Mentee", "Ada Mentor")])
    app.config["SERVER_NAME"] = "localhost"
    inserts = []
    with app.app_context():
        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
                inserts.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert publish.approve_round(db.session.get(Round, rid), db.session.get(User, world.coordinator.id)) == 2
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(inserts) == 1, "the notices are written in one multi-row INSERT"
    name = world.program.name
    [mentor] = [m for m in outbox(app) if people.emails["Ada Mentor"] in m.to]
    assert mentor.subject == f"New mentee proposal in {name}"
    assert mentor.body.startswith(f"Hello Ada Mentor,\n\n{name} proposes you as mentor to:\n- Cy Mentee\n- Di Mentee\n\n"
                                  "Log in to MentorMatch to accept or decline each proposal.\n\nCy Mentee:\n"
                                  "Or answer straight from this email")
    links = LINK_RE.findall(mentor.body)
    assert len(links) == 6 and "\nDi Mentee:\n" in mentor.body
    html = _html(mentor)
    assert all(f'<a href="{link}">{link}</a>' in html for link in links)
    for mentee in ("Cy Mentee", "Di Mentee"):
        [mail] = [m for m in outbox(app) if people.emails[mentee] in m.to]
        assert mail.subject == f"You have a proposed mentor in {name}"
        assert mail.body == (f"Hello {mentee},\n\n{name} proposes Ada Mentor as your mentor. "
                             "We will let you know when they accept.\n")
        assert "proposes Ada Mentor as your mentor" in _html(mail)


def test_the_mentor_approval_email_keeps_its_words_and_carries_an_html_alternative(app, world, frozen, mailbox):
    add_profile(app, mid(world, world.mentor))
    app.config["SERVER_NAME"] = "localhost"
    with app.app_context():
        program = db.session.get(Program, world.program.id)
        program.requires_mentor_approval = True
        db.session.commit()
        mentor_approval.approve_mentor(program, db.session.get(Membership, mid(world, world.mentor)),
                                db.session.get(User, world.coordinator.id))
    [mail] = [m for m in outbox(app) if world.mentor.email in m.to]
    assert mail.subject == f"You are approved as a mentor in {world.program.name}"
    assert mail.body == (f"Hello {world.mentor.name},\n\n{world.coordinator.name} approved you: mentees can now find "
                         "you in the directory and you can be matched in rounds.\n\nhttp://localhost/mentor/\n")
    assert '<a href="http://localhost/mentor/">http://localhost/mentor/</a>' in _html(mail)
