"""Account erasure leaves no personal field (issue 17, item 3), checked column by column.

Each of the two people of a pairing writes a distinctive marker into every place the site keeps
what people write or are: name, email, goal form, profile, contact channels, goal steps, notes,
follow-ups, messages, check-ins, closing surveys, micro-requests and their answers, meeting notes
and links, reports, priorities, round results, mail, audit notes, invitations. One of them deletes
their account; after the grace period the scheduled run erases it. Then every text and JSON column
of every table (introspected from the models, so a new table is checked too) is read back: none
holds the erased person's markers, and the other person's side is still there, with the erased
person shown as "A former member". Runs on SQLite and PostgreSQL (TEST_DATABASE_URL)."""
from datetime import timedelta

import pytest
from sqlalchemy import JSON, String, Text

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import (
    CheckIn,
    ClosingSurvey,
    ContactChannels,
    Event,
    FollowUp,
    GoalForm,
    GoalStep,
    Invitation,
    LoginSession,
    Meeting,
    MenteePriority,
    MentorProfile,
    MentorReport,
    Message,
    MicroRequest,
    Note,
    OutboxMessage,
    Pairing,
    Round,
    User,
)
from mentormatch.models.imports import ProgramInvitation
from mentormatch.models.rounds import RunPair, RunUnmatched, SolveRun
from mentormatch.services import reminders
from mentormatch.services.data_rights import personal
from tests.web.test_lifecycle_data import frozen, mid  # noqa: F401

MARK = {"mentee": "Zqmentee", "mentor": "Zqmentor"}


def _texts(who: str) -> str:
    return f"{MARK[who]} wrote this"


def _build(app, world, make_user, make_program):
    """The world's mentee and mentor, renamed and filled with their markers everywhere."""
    with app.app_context():
        mentee, mentor = db.session.get(User, world.mentee.id), db.session.get(User, world.mentor.id)
        mentee.name, mentee.email = f"{MARK['mentee']} Person", "zqmentee@example.org"
        mentor.name, mentor.email = f"{MARK['mentor']} Person", "zqmentor@example.org"
        e, m, p = mid(world, world.mentee), mid(world, world.mentor), world.program.id
        t_e, t_m = _texts("mentee"), _texts("mentor")
        db.session.add_all([
            GoalForm(membership_id=e, near_term_goal=t_e, long_term_goal=t_e, power_question=t_e, industry=t_e,
                     background=t_e, location=t_e),
            MentorProfile(membership_id=m, bio=t_m, industry=t_m, background=t_m, location=t_m),
            ContactChannels(user_id=mentee.id, video_url=f"https://meet.example/{MARK['mentee']}",
                            chat_service="slack", chat_handle=MARK["mentee"], phone="+4412345"),
            ContactChannels(user_id=mentor.id, video_url=f"https://meet.example/{MARK['mentor']}",
                            chat_service="slack", chat_handle=MARK["mentor"], phone="+4454321"),
            GoalStep(membership_id=e, title=t_e),
            Note(author_membership_id=m, mentee_membership_id=e, body=t_m + " about " + MARK["mentee"]),
            MenteePriority(membership_id=e, note=f"coordinator note on {MARK['mentee']}"),
            MentorReport(program_id=p, mentee_membership_id=e, mentor_membership_id=m, note=t_e),
            ProgramInvitation(program_id=world.other_program.id, user_id=mentee.id, role="mentee",
                              profile={"goal": t_e}),
            ProgramInvitation(program_id=world.other_program.id, user_id=mentor.id, role="mentor",
                              profile={"bio": t_m}),
            Invitation(email=mentee.email, invited_by_id=world.coordinator.id, program_id=p),
            Invitation(email=mentor.email, invited_by_id=world.coordinator.id, program_id=p),
        ])
        pairing = Pairing(program_id=p, mentee_membership_id=e, mentor_membership_id=m, state="ended_early",
                          info_question=t_m, info_answer=t_e, decline_note=t_m, end_reason=t_e,
                          ended_by_user_id=mentee.id, ended_at=clock.now())
        live = Pairing(program_id=p, mentee_membership_id=e, mentor_membership_id=m, state="active")
        req = MicroRequest(program_id=p, mentee_membership_id=e, mentor_membership_id=m, kind="call15",
                           question=t_e, context=t_e, info_question=t_m, info_answer=t_e, state="done")
        db.session.add_all([pairing, live, req])
        db.session.flush()
        round_ = Round(program_id=p, name="Spring")
        db.session.add(round_)
        db.session.flush()
        run = SolveRun(round_id=round_.id)
        db.session.add(run)
        db.session.flush()
        db.session.add_all([
            Message(program_id=p, pairing_id=pairing.id, author_membership_id=e, body=t_e),
            Message(program_id=p, pairing_id=pairing.id, author_membership_id=m, body=t_m),
            FollowUp(mentee_membership_id=e, mentor_membership_id=m, pairing_id=pairing.id, kind="thanks", body=t_e),
            CheckIn(program_id=p, pairing_id=pairing.id, membership_id=e, day=30, score=4, comment=t_e),
            CheckIn(program_id=p, pairing_id=pairing.id, membership_id=m, day=30, score=5, comment=t_m),
            ClosingSurvey(pairing_id=pairing.id, membership_id=e, role="mentee", recommend=9, changed=t_e),
            ClosingSurvey(pairing_id=pairing.id, membership_id=m, role="mentor", recommend=8, changed=t_m),
            Meeting(program_id=p, request_id=req.id, uid="m1@example.org", organizer_membership_id=m,
                    proposer_membership_id=e, video_link=f"https://meet.example/{MARK['mentor']}",
                    mentee_met="yes", mentee_met_note=t_e, mentor_met="yes", mentor_met_note=t_m,
                    state="done", starts_at=clock.now()),
            Meeting(program_id=p, pairing_id=pairing.id, uid="m2@example.org", organizer_membership_id=e,
                    proposer_membership_id=e, video_link=f"https://meet.example/{MARK['mentee']}",
                    mentee_met_note=t_e, mentor_met_note=t_m, state="cancelled"),
            RunPair(run_id=run.id, mentee_membership_id=e, mentor_membership_id=m,
                    mentee_name=mentee.name, mentor_name=mentor.name),
            RunUnmatched(run_id=run.id, mentee_membership_id=e, mentee_name=mentee.name),
            RunUnmatched(run_id=run.id, mentee_membership_id=e, mentee_name=mentee.name),
            Event(program_id=p, subject_type="pairing", subject_id=pairing.id, from_state="active",
                  to_state="ended_early", actor_user_id=mentee.id, note=t_e),
            Event(program_id=p, subject_type="request", subject_id=req.id, from_state="open",
                  to_state="info_requested", actor_user_id=mentor.id, note=t_m),
            OutboxMessage(to=mentee.email, subject=f"Hello {mentee.name}", body=f"Dear {mentee.name}", status="sent"),
            OutboxMessage(to=mentor.email, subject=f"Hello {mentor.name}", body=f"{mentee.name} wrote to you"),
            OutboxMessage(to=mentor.email, subject=f"Hello {mentor.name}", body=f"Dear {mentor.name}", status="sent"),
            OutboxMessage(to=mentee.email, subject="Hi", body=f"{mentor.name} wrote to you", status="sent"),
            LoginSession(user_id=mentee.id, token_hash="a" * 64),
            LoginSession(user_id=mentor.id, token_hash="b" * 64),
        ])
        db.session.commit()
        return pairing.id


def _every_text_value() -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every String, Text and JSON column of every table."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(db.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value not in (None, "", [], {}):
                    found.append((table.name, column.name, str(value)))
    return found


def _holding(values, needles) -> list[tuple[str, str]]:
    return sorted({(t, c) for t, c, v in values for n in needles if n.lower() in v.lower()})


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_erasure_leaves_no_personal_field_and_keeps_the_other_side(app, world, make_user, make_program,
                                                                    frozen, who):  # noqa: F811
    pairing_id = _build(app, world, make_user, make_program)
    other = "mentor" if who == "mentee" else "mentee"
    user_id = getattr(world, who).id
    with app.app_context():
        before = _every_text_value()
        # Everything the test checks is really there first (the check could fail).
        assert len(_holding(before, [MARK[who]])) >= 15, _holding(before, [MARK[who]])
        user = db.session.get(User, user_id)
        user.deletion_due_at = clock.now() + timedelta(days=7)
        db.session.commit()
    frozen.advance(days=6)
    with app.app_context():
        reminders.run()
        assert db.session.get(User, user_id).erased_at is None, "not before the grace period is over"
    frozen.advance(days=1, seconds=1)
    with app.app_context():
        report = reminders.run()
        assert report.accounts_erased == [f"user {user_id}"]
        after = _every_text_value()
        needles = [MARK[who], f"zq{who}@example.org"]
        assert _holding(after, needles) == [], "personal data left after erasure"
        # The other side's history is intact: their own words are still there, and the erased
        # person reads as a former member.
        kept = _holding(after, [MARK[other]])
        for table in ("messages", "checkins", "closing_surveys", "contact_channels", "users"):
            assert any(t == table for t, _ in kept), (table, kept)
        erased = db.session.get(User, user_id)
        assert erased.name == personal.FORMER_MEMBER and erased.erased_at is not None
        assert db.session.get(Pairing, pairing_id) is not None
        assert db.session.scalar(db.select(db.func.count()).select_from(Message).where(
            Message.pairing_id == pairing_id)) == 2, "the conversation's rows stay (the erased side reads (removed))"
        assert db.session.scalar(db.select(db.func.count()).select_from(LoginSession).where(
            LoginSession.user_id == user_id)) == 0, "sessions ended"
        live = db.session.scalar(db.select(Pairing).where(Pairing.id != pairing_id, Pairing.state != "ended_early",
                                                          Pairing.mentee_membership_id == mid(world, world.mentee)))
        assert live is None, "the running mentorship ended with the erasure"


def test_every_declared_column_exists():
    """The declared list names real columns (a typo would erase nothing)."""
    for entry in personal.PERSONAL:
        if entry.column:
            assert hasattr(entry.model, entry.column), entry
        for column in entry.blank:
            assert column in entry.model.__table__.columns, (entry.model, column)
