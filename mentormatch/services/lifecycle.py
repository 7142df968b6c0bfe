"""Round pairs after publication: the mentor answers, the pair runs, it ends (DESIGN.md section 5).

Every change goes through `transition`, which checks the move is allowed from the current state
with a conditional UPDATE (so two answers racing cannot both win) and writes the Event row in
the same transaction. Who may make each move is checked here, not only in the route.
"""
from __future__ import annotations

from datetime import date, timedelta

from ..core import clock
from ..core.events import record
from ..core.transitions import move
from ..extensions import db
from ..models import DECLINE_REASONS, Event, Membership, MentorProfile, Pairing, User
from . import ServiceError
from ..core import links, outbox

PENDING_PAIRING = ("proposed", "info_requested")
# Waiting for the mentor (reminders run); info_requested waits for the mentee (reminders pause).
WAITING_FOR_MENTOR = ("proposed",)
MIN_INFO, MAX_INFO = 10, 500
PAUSE_CHOICES = ("", "off", "away")
DECLINE_LABELS = {"no_capacity": "No capacity right now", "not_a_fit": "Not a good fit", "other": "Other"}
MAX_NOTE = 1000


def _claim_seat(pairing: Pairing) -> None:
    """Refuse an accept that would take the mentor past their capacity, even when accepts race.

    The mentor's profile row is the lock: PostgreSQL holds it FOR UPDATE until commit, so racing
    accepts count one after the other. SQLite ignores FOR UPDATE but lets one writer at a time,
    and a transaction that read before another's commit cannot write (it fails and rolls back),
    so there too the count is never stale when the seat is taken.
    """
    profile = db.session.scalar(
        db.select(MentorProfile).where(MentorProfile.membership_id == pairing.mentor_membership_id)
        .with_for_update())
    if profile is None:
        return
    db.session.execute(db.update(MentorProfile).where(MentorProfile.id == profile.id)
                       .values(capacity_round=MentorProfile.capacity_round)
                       .execution_options(synchronize_session=False))  # takes SQLite's write lock now
    taken = db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(
        Pairing.mentor_membership_id == pairing.mentor_membership_id, Pairing.state.in_(("accepted", "active"))))
    if taken >= profile.capacity_round:
        db.session.rollback()
        raise ServiceError(f"All your seats are taken ({taken} of {profile.capacity_round}). Complete a "
                           "pairing or raise your capacity on your profile first, or decline.")


def _mentor_of(pairing: Pairing, user: User) -> bool:
    return pairing.mentor is not None and pairing.mentor.user_id == user.id


def pending_proposals(mentor_user: User) -> list[Pairing]:
    """Proposals waiting for this mentor's answer, oldest first."""
    return list(db.session.scalars(
        db.select(Pairing).join(Membership, Pairing.mentor_membership_id == Membership.id)
        .where(Membership.user_id == mentor_user.id, Pairing.state.in_(PENDING_PAIRING))
        .order_by(Pairing.proposed_at, Pairing.id)))


def accept(pairing: Pairing, mentor_user: User) -> Pairing:
    """The mentor says yes: proposed -> accepted -> active, and the mentee is told."""
    if not _mentor_of(pairing, mentor_user):
        raise ServiceError("Only the proposed mentor can answer this proposal.")
    now = clock.now()
    before = pairing.state
    _claim_seat(pairing)
    if not move(Pairing, pairing, PENDING_PAIRING, "active", answered_at=now):
        db.session.rollback()
        raise ServiceError("This proposal has already been answered or has expired.")
    record(pairing.program_id, "pairing", pairing.id, before, "accepted", mentor_user)
    record(pairing.program_id, "pairing", pairing.id, "accepted", "active", mentor_user)
    mentee = pairing.mentee.user
    outbox.send_text(mentee.email, f"{mentor_user.name} accepted: your mentoring pair is on",
                f"Hello {mentee.name},\n\n{mentor_user.name} accepted to be your mentor in "
                f"{pairing.mentee.program.name}. Reach out and book your first conversation; bring your "
                f"power question.\n\n{links.link('mentee.home')}\n", program_id=pairing.program_id)
    db.session.commit()
    return pairing


def decline(pairing: Pairing, mentor_user: User, reason: str, note: str = "", pause: str = "",
            away_until: date | None = None) -> Pairing:
    """The mentor says no, with a reason. The mentee goes back to the pool: the pairing stops
    holding a seat, and the coordinator can repair the round. With `pause` ("off" or "away")
    the mentor is also paused, in the same transaction ("decline and pause me")."""
    if not _mentor_of(pairing, mentor_user):
        raise ServiceError("Only the proposed mentor can answer this proposal.")
    if reason not in DECLINE_REASONS:
        raise ServiceError("Choose a reason.", "reason")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise ServiceError("Say in a few words why, so the coordinator can find a better match.", "note")
    if len(note) > MAX_NOTE:
        raise ServiceError(f"Keep it under {MAX_NOTE} characters.", "note")
    check_pause(pause, away_until)
    now = clock.now()
    before = pairing.state
    if not move(Pairing, pairing, PENDING_PAIRING, "declined", answered_at=now, ended_at=now,
                decline_reason=reason, decline_note=note):
        db.session.rollback()
        raise ServiceError("This proposal has already been answered or has expired.")
    record(pairing.program_id, "pairing", pairing.id, before, "declined", mentor_user, reason)
    pause_mentor(pairing.mentor_membership_id, mentor_user, pause, away_until)
    mentee = pairing.mentee.user
    outbox.send_text(mentee.email, "Your proposed mentor could not take you on",
                f"Hello {mentee.name},\n\n{mentor_user.name} could not take you on this time. You are back in "
                f"the pool and your coordinator will find you another mentor.\n\n{links.link('mentee.home')}\n", program_id=pairing.program_id)
    db.session.commit()
    return pairing


def check_pause(pause: str, away_until: date | None) -> None:
    """Refuse a pause the form allowed but that makes no sense (before anything is written)."""
    if pause not in PAUSE_CHOICES:
        raise ServiceError("Choose whether to pause.", "pause")
    if pause == "away":
        if away_until is None:
            raise ServiceError("Choose the date you are back.", "away_until")
        if away_until <= clock.today():
            raise ServiceError("Choose a date after today.", "away_until")
        if away_until > clock.today() + timedelta(days=366):
            raise ServiceError("Choose a date within a year; you can switch back on any time.", "away_until")


def pause_mentor(mentor_membership_id: int, actor: User, pause: str, away_until: date | None) -> None:
    """Switch the mentor off, or away until a date, with the Event the health page reads.
    No commit: the caller's transaction (the decline) holds both changes."""
    if not pause:
        return
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_membership_id))
    if profile is None:
        return
    before = "available" if profile.is_available(clock.today()) else "unavailable"
    if pause == "off":
        profile.available = False
        note = "paused themselves when declining"
    else:
        profile.away_until = away_until
        note = f"away until {away_until.isoformat()} (set when declining)"
    record(profile.membership.program_id, "mentor", mentor_membership_id, before, "unavailable", actor, note)


def ask_info(pairing: Pairing, mentor_user: User, question: str) -> Pairing:
    """The third answer: the mentor asks the mentee one question before deciding.
    proposed -> info_requested; reminders pause until the mentee answers."""
    if not _mentor_of(pairing, mentor_user):
        raise ServiceError("Only the proposed mentor can answer this proposal.")
    question = clean_info(question, "question")
    if pairing.info_asked_at is not None:
        raise ServiceError("You already asked your one question. Accept or decline now.", "question")
    if not move(Pairing, pairing, WAITING_FOR_MENTOR, "info_requested", info_question=question,
                info_asked_at=clock.now()):
        db.session.rollback()
        raise ServiceError("This proposal is no longer waiting for your answer.")
    record(pairing.program_id, "pairing", pairing.id, "proposed", "info_requested", mentor_user, "asked for more info")
    mentee = pairing.mentee.user
    outbox.send_text(mentee.email, f"{mentor_user.name} has a question before saying yes",
                f"Hello {mentee.name},\n\n{mentor_user.name}, your proposed mentor in {pairing.mentee.program.name}, "
                f"asks:\n\n  {question}\n\nAnswer here: {links.link('pairings.info', pairing_id=pairing.id)}\n", program_id=pairing.program_id)
    db.session.commit()
    return pairing


def answer_info(pairing: Pairing, mentee_user: User, answer: str) -> Pairing:
    """The mentee answers; the proposal goes back to the mentor with the answer on it, and the
    reminder clock starts again from now."""
    if pairing.mentee is None or pairing.mentee.user_id != mentee_user.id:
        raise ServiceError("Only the proposed mentee can answer this question.")
    answer = clean_info(answer, "answer")
    now = clock.now()
    if not move(Pairing, pairing, ("info_requested",), "proposed", info_answer=answer, info_answered_at=now,
                reminders_sent=0, last_reminded_at=now):
        db.session.rollback()
        raise ServiceError("There is no question waiting for your answer.")
    record(pairing.program_id, "pairing", pairing.id, "info_requested", "proposed", mentee_user, "answered")
    from ..core import answer_links

    mentor = pairing.mentor.user
    outbox.send_text(mentor.email, f"{mentee_user.name} answered your question",
                f"Hello {mentor.name},\n\nYou asked: {pairing.info_question}\n\n{mentee_user.name} answered:\n\n"
                f"  {answer}\n\n{answer_links.links_block(mentor, 'pairing', pairing.id, info=False)}", program_id=pairing.program_id)
    db.session.commit()
    return pairing


def clean_info(text: str, field: str) -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_INFO:
        raise ServiceError(f"Write at least {MIN_INFO} characters.", field)
    if len(text) > MAX_INFO:
        raise ServiceError(f"Keep it under {MAX_INFO} characters (now {len(text)}).", field)
    return text


def complete(pairing: Pairing, user: User) -> Pairing:
    """The mentor or a coordinator of the program closes an active pair."""
    from ..models import ProgramCoordinator

    coordinates = user.role == "coordinator" and db.session.scalar(db.select(ProgramCoordinator.id).where(
        ProgramCoordinator.program_id == pairing.program_id, ProgramCoordinator.user_id == user.id)) is not None
    if not (_mentor_of(pairing, user) or coordinates):
        raise ServiceError("Only the mentor or a coordinator can close this pairing.")
    if not move(Pairing, pairing, ("accepted", "active"), "completed", ended_at=clock.now()):
        db.session.rollback()
        raise ServiceError("Only an active pairing can be completed.")
    record(pairing.program_id, "pairing", pairing.id, "active", "completed", user)
    db.session.commit()
    return pairing


def mentee_context(mentee_membership_id: int, *, pairing_id: int | None = None,
                   request_id: int | None = None) -> dict:
    """What a mentor deciding on a proposal or request should know about the mentee's other help:
    their other current mentors (by name) and how many other requests they have open."""
    from ..models import MicroRequest, PENDING_REQUEST

    q = (db.select(Pairing).where(Pairing.mentee_membership_id == mentee_membership_id,
                                  Pairing.state.in_(("accepted", "active"))))
    if pairing_id is not None:
        q = q.where(Pairing.id != pairing_id)
    mentors = [p.mentor.user.name for p in db.session.scalars(q.order_by(Pairing.id))]
    rq = db.select(db.func.count()).select_from(MicroRequest).where(
        MicroRequest.mentee_membership_id == mentee_membership_id, MicroRequest.state.in_(PENDING_REQUEST))
    if request_id is not None:
        rq = rq.where(MicroRequest.id != request_id)
    return {"mentors": mentors, "open_requests": db.session.scalar(rq) or 0}


def questions_for_mentee(mentee_user: User) -> list[Pairing]:
    """Proposals where the mentor asked this mentee a question that is not answered yet."""
    return list(db.session.scalars(
        db.select(Pairing).join(Membership, Pairing.mentee_membership_id == Membership.id)
        .where(Membership.user_id == mentee_user.id, Pairing.state == "info_requested").order_by(Pairing.id)))


def pairings_of_mentee(mentee_user: User) -> list[Pairing]:
    """The mentee's proposed and current pairings (what they may report or continue)."""
    return list(db.session.scalars(
        db.select(Pairing).join(Membership, Pairing.mentee_membership_id == Membership.id)
        .where(Membership.user_id == mentee_user.id, Pairing.state.in_(("proposed", "accepted", "active", "completed")))
        .order_by(Pairing.id)))
