"""Round pairs after publication: what is special to them beside the answering service.

Answering a proposal (accept / decline / ask for info / answer it) is the shared answering flow
(services/answers/); the mentor and mentee homes list pairings through services/home.py. This
module keeps the pairing-only moves: ending a pair ("completed" or "ended early", by either side
or a coordinator of the program, with the closing survey), completing a whole round at once, and
the inactivity nudge and close that the reminders pass runs (services/reminders.py).

Every ending is a conditional UPDATE (core/transitions.move) from accepted/active, so an end
racing another end or an accept wins once; ended states are not seat states, so the mentor's
seat is free the moment the transaction commits.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..core import clock, links, outbox
from ..core.events import record
from ..core.transitions import move
from ..extensions import db
from ..models import ENDABLE_STATES, ENDED_STATES, ClosingSurvey, Pairing, ProgramCoordinator, Round, User
from . import ServiceError, meetings
from .rounds import events as round_events

END_KINDS = {"completed": "Completed: the goal is reached, or the cohort is over",
             "ended_early": "Ended early"}
MAX_REASON = 500
MAX_CHANGED = 2000


@dataclass
class Survey:
    """One side's closing survey; both answers are optional."""

    recommend: int | None = None
    changed: str = ""

    @property
    def empty(self) -> bool:
        return self.recommend is None and not self.changed


def role_in(pairing: Pairing, user: User) -> str | None:
    """"mentee", "mentor", "coordinator" (of the pairing's program) or None."""
    if pairing.mentee.user_id == user.id and pairing.mentee.removed_at is None:
        return "mentee"
    if pairing.mentor.user_id == user.id and pairing.mentor.removed_at is None:
        return "mentor"
    return "coordinator" if coordinates(pairing.program_id, user) else None


def complete(pairing: Pairing, user: User) -> Pairing:
    """Mark a pairing completed without a survey (the mentor's button on the proposals page)."""
    return end(pairing, user, "completed")


def checked_survey(recommend, changed) -> Survey:
    """The survey as the user typed it, or a ServiceError next to the field that is wrong."""
    if recommend in (None, ""):
        score = None
    else:
        try:
            score = int(recommend)
        except (TypeError, ValueError):
            raise ServiceError(_("Choose a number from 0 to 10, or leave it empty."), "recommend") from None
        if not 0 <= score <= 10:
            raise ServiceError(_("Choose a number from 0 to 10, or leave it empty."), "recommend")
    changed = (changed or "").strip()
    if len(changed) > MAX_CHANGED:
        raise ServiceError(_("Keep it under %(most)s characters.", most=MAX_CHANGED), "changed")
    return Survey(score, changed)


def end(pairing: Pairing, user: User, kind: str, reason: str = "", survey: Survey | None = None) -> Pairing:
    """The mentee, the mentor or a coordinator of the program ends an accepted or active pairing."""
    role = role_in(pairing, user)
    if role is None:
        raise ServiceError(_("Only the two of you or a coordinator of the program can end this mentorship."))
    if kind not in END_KINDS:
        raise ServiceError(_("Choose completed or ended early."), "kind")
    reason = (reason or "").strip()
    if kind == "ended_early" and not reason:
        raise ServiceError(_("Say in a few words why it ends early: it helps the coordinator match better."), "reason")
    if len(reason) > MAX_REASON:
        raise ServiceError(_("Keep the reason under %(most)s characters.", most=MAX_REASON), "reason")
    if kind == "completed":
        reason = ""
    before = pairing.state
    if not move(Pairing, pairing, ENDABLE_STATES, kind, ended_at=clock.now(), end_reason=reason,
                ended_by_user_id=user.id):
        db.session.rollback()
        raise ServiceError(_("This mentorship has already ended.") if pairing.state in ENDED_STATES
                           else _("Only an accepted or active mentorship can be ended."))
    _ended(pairing, before, kind, user, reason)
    if role != "coordinator" and survey is not None and not survey.empty:
        _add_survey(pairing, role, survey)
    told = [r for r in ("mentee", "mentor") if r != role]
    _tell(pairing, told, kind, user)
    db.session.commit()
    return pairing


def answer_survey(pairing: Pairing, user: User, survey: Survey) -> ClosingSurvey:
    """The closing survey of one side, once, after the pairing ended."""
    role = role_in(pairing, user)
    if role not in ("mentee", "mentor"):
        raise ServiceError(_("Only the mentee and the mentor answer the closing survey."))
    if pairing.state not in ENDED_STATES:
        raise ServiceError(_("The closing survey opens when the mentorship ends."))
    if survey.empty:
        raise ServiceError(_("Answer at least one question, or leave the page: the survey is optional."), "recommend")
    row = _add_survey(pairing, role, survey)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("You already answered the closing survey. Thank you!")) from None
    return row


def survey_of(pairing: Pairing, user: User) -> ClosingSurvey | None:
    membership_id = _membership_id(pairing, role_in(pairing, user))
    if membership_id is None:
        return None
    return db.session.scalar(db.select(ClosingSurvey).where(
        ClosingSurvey.pairing_id == pairing.id, ClosingSurvey.membership_id == membership_id))


def endable_pairings(round_: Round) -> list[Pairing]:
    """The round's pairings that "complete all" would complete."""
    return list(db.session.scalars(db.select(Pairing).where(
        Pairing.round_id == round_.id, Pairing.state.in_(ENDABLE_STATES)).order_by(Pairing.id)))


def complete_round(round_: Round, user: User) -> int:
    """A coordinator completes every accepted or active pairing of a round in one transaction
    (each an event, both sides told) and closes the round if it is still open; returns how many
    pairings were completed."""
    if not coordinates(round_.program_id, user):
        raise ServiceError(_("Only a coordinator of the program can complete its pairings."))
    if round_.state not in ("approved", "closed"):
        raise ServiceError(_("Only a published round has pairings to complete."))
    done = 0
    now = clock.now()
    for pairing in endable_pairings(round_):
        before = pairing.state
        if not move(Pairing, pairing, ENDABLE_STATES, "completed", ended_at=now, ended_by_user_id=user.id):
            continue  # ended by someone else a moment ago: theirs stands
        _ended(pairing, before, "completed", user, "round completed")
        _tell(pairing, ["mentee", "mentor"], "completed", user)
        done += 1
    closed = db.session.execute(db.update(Round).where(Round.id == round_.id, Round.state == "approved")
                                .values(state="closed").execution_options(synchronize_session=False))
    if closed.rowcount == 1:
        round_events.record(round_, user, "close", completed=done)
    else:
        round_events.record(round_, user, "complete_all", completed=done)
    db.session.commit()
    db.session.refresh(round_)
    return done


def coordinates(program_id: int, user: User) -> bool:
    return user.role == "coordinator" and db.session.scalar(db.select(ProgramCoordinator.id).where(
        ProgramCoordinator.program_id == program_id, ProgramCoordinator.user_id == user.id)) is not None


# -- inactivity (services/reminders.py runs these) ---------------------------------------------

def nudge_inactive(pairing: Pairing) -> bool:
    """Tell both sides that nothing has happened for a while, once per quiet spell."""
    now = clock.now()
    claimed = db.session.execute(db.update(Pairing).where(
        Pairing.id == pairing.id, Pairing.state.in_(ENDABLE_STATES), Pairing.inactivity_nudged_at.is_(None))
        .values(inactivity_nudged_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        return False
    db.session.refresh(pairing)
    record(pairing.program_id, "pairing", pairing.id, pairing.state, pairing.state, None, "inactivity nudge")
    weeks = pairing.mentee.program.inactive_weeks
    for side, other in (("mentee", "mentor"), ("mentor", "mentee")):
        person, them = _person(pairing, side), _person(pairing, other)
        outbox.send(person, "pairing_inactive_nudge", program_id=pairing.program_id, person=person,
                    other=them, program=pairing.mentee.program, weeks=weeks, link=_page_link(pairing, side))
    db.session.commit()
    return True


def close_inactive(pairing: Pairing) -> bool:
    """Close a pairing that stayed quiet after its nudge; both are told."""
    before = pairing.state
    if not move(Pairing, pairing, ENDABLE_STATES, "inactive", ended_at=clock.now()):
        db.session.rollback()
        return False
    _ended(pairing, before, "inactive", None, "no activity")
    _tell(pairing, ["mentee", "mentor"], "inactive", None)
    db.session.commit()
    return True


# -- helpers -----------------------------------------------------------------------------------

def _ended(pairing: Pairing, before: str, kind: str, user: User | None, note: str) -> None:
    """What every ending does after its move (by a side, a coordinator, "complete all" or inactivity):
    the event, and the pair's meetings still ahead called off in both calendars."""
    record(pairing.program_id, "pairing", pairing.id, before, kind, user, note)
    meetings.call_off(pairing, user)


def _membership_id(pairing: Pairing, role: str | None) -> int | None:
    return {"mentee": pairing.mentee_membership_id, "mentor": pairing.mentor_membership_id}.get(role or "")


def _person(pairing: Pairing, role: str) -> User:
    return pairing.mentee.user if role == "mentee" else pairing.mentor.user


def _page_link(pairing: Pairing, role: str) -> str:
    if role == "mentee":
        return links.link("mentee.pairing", pairing_id=pairing.id)
    return links.link("mentor.mentee", program_id=pairing.program_id, mentee_id=pairing.mentee_membership_id)


def _add_survey(pairing: Pairing, role: str, survey: Survey) -> ClosingSurvey:
    row = ClosingSurvey(pairing_id=pairing.id, membership_id=_membership_id(pairing, role), role=role,
                        recommend=survey.recommend, changed=survey.changed, created_at=clock.now())
    db.session.add(row)
    return row


def _tell(pairing: Pairing, roles: list[str], kind: str, ender: User | None) -> None:
    """The ended email to each side in `roles`, with the one link that helps next: their survey."""
    for role in roles:
        person, other = _person(pairing, role), _person(pairing, "mentor" if role == "mentee" else "mentee")
        template = "pairing_inactive_closed" if kind == "inactive" else "pairing_ended"
        outbox.send(person, template, program_id=pairing.program_id, person=person, other=other,
                    role=role, kind=kind, ender=ender, by_coordinator=ender is not None and ender.role == "coordinator",
                    program=pairing.mentee.program,
                    survey_url=links.link("pairings.ending", pairing_id=pairing.id))
