"""Micro -> macro: after a good micro-request, the mentee asks that mentor for ongoing mentorship.

The ask is a Pairing outside any round (round_id None, state proposed, from_request_id the
request), so the mentor answers it in the same answering flow as a round proposal (accept,
decline, ask for more info, reminders, expiry, release; services/answers/). A proposal holds one
of the mentor's seats (SEAT_STATES), so the ask takes a seat the way an accept does: counted while
the mentor's profile row is locked, so two mentees asking at once cannot both take the last seat.
One ask per request: the unique index uq_pairings_from_request holds it when two clicks race.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..core import clock, links, outbox
from ..core.events import record
from ..extensions import db
from ..models import SEAT_STATES, FollowUp, MentorProfile, MicroRequest, Pairing, User
from . import ServiceError, why
from .answers.flow import link_context
from .answers.pairing import PAIRING
from .mentor_approval import mentor_approved

MIN_HOPE, MAX_HOPE = 15, 500
WHY = "worked together on a micro-request"
NO_SEAT = _l("%(name)s has no seat free for ongoing mentorship right now. Ask again later, or ask someone else.")


@dataclass
class Offer:
    """What the request page shows the mentee about asking for ongoing mentorship."""

    can_ask: bool
    reason: str = ""                 # why not (yet), in words, when can_ask is False
    pairing: Pairing | None = None   # the ask already made from this request


def followed_up(req: MicroRequest) -> bool:
    return db.session.scalar(db.select(FollowUp.id).where(
        FollowUp.request_id == req.id, FollowUp.kind == "followup").limit(1)) is not None


def offer(req: MicroRequest, user: User) -> Offer | None:
    """None when there is nothing to say (not the mentee's page, or the request is not done)."""
    if req.mentee.user_id != user.id or req.state != "done":
        return None
    asked = db.session.scalar(db.select(Pairing).where(Pairing.from_request_id == req.id))
    if asked is not None:
        return Offer(False, pairing=asked)
    if not followed_up(req):
        return Offer(False, _("Tell your mentor what you did with the advice first; then you can ask them "
                              "for ongoing mentorship."))
    current = _current_pairing(req)
    if current is not None:
        return Offer(False, _("You already have a pairing with %(name)s.", name=req.mentor.user.name), pairing=current)
    return Offer(True)


def _current_pairing(req: MicroRequest) -> Pairing | None:
    return db.session.scalar(db.select(Pairing).where(
        Pairing.mentee_membership_id == req.mentee_membership_id,
        Pairing.mentor_membership_id == req.mentor_membership_id, Pairing.state.in_(SEAT_STATES)).limit(1))


def _hold_seat(mentor_membership_id: int, name: str) -> None:
    """Count the mentor's seats while their profile row is locked: the no-op UPDATE takes the row
    lock on PostgreSQL (a racing ask waits, then counts the first one's pairing) and the write lock
    on SQLite, before anything is counted."""
    db.session.execute(db.update(MentorProfile).where(MentorProfile.membership_id == mentor_membership_id)
                       .values(capacity_round=MentorProfile.capacity_round, updated_at=MentorProfile.updated_at)
                       .execution_options(synchronize_session=False))
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_membership_id)
                                .execution_options(populate_existing=True))
    if profile is None or not profile.is_available(clock.today()):
        db.session.rollback()
        raise ServiceError(_("%(name)s is not taking new mentees right now.", name=name))
    taken = db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(
        Pairing.mentor_membership_id == mentor_membership_id, Pairing.state.in_(SEAT_STATES))) or 0
    if taken >= profile.capacity_round:
        db.session.rollback()
        raise ServiceError(str(NO_SEAT) % {"name": name})


def clean_hope(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_HOPE:
        raise ServiceError(_("Say in a sentence what you would like to work on together (at least %(num)d "
                             "characters).", num=MIN_HOPE), "hope")
    if len(text) > MAX_HOPE:
        raise ServiceError(_("Keep it under %(max)d characters (now %(now)d).", max=MAX_HOPE, now=len(text)), "hope")
    return text


def ask(req: MicroRequest, mentee_user: User, hope: str) -> Pairing:
    """The mentee asks the mentor of a done, followed-up request for ongoing mentorship: one
    proposal, holding a seat, answered by the mentor like a round proposal. One transaction."""
    if req.mentee.user_id != mentee_user.id:
        raise ServiceError(_("You can ask from your own requests only."))
    hope = clean_hope(hope)
    state = offer(req, mentee_user)
    if state is None:
        raise ServiceError(_("You can ask for ongoing mentorship once the request is done."))
    if not state.can_ask:
        raise ServiceError(state.reason or _("You already asked from this request."))
    mentor = req.mentor
    if not mentor_approved(mentor):
        raise ServiceError(_("%(name)s is not taking new mentees right now.", name=mentor.user.name))
    _hold_seat(mentor.id, mentor.user.name)
    if _current_pairing(req) is not None:  # made while we waited for the lock
        db.session.rollback()
        raise ServiceError(_("You already have a pairing with %(name)s.", name=mentor.user.name))
    parts = why.micro_parts(req.question, mentee_user.name, hope)
    pairing = Pairing(program_id=req.program_id, mentee_membership_id=req.mentee_membership_id,
                      mentor_membership_id=mentor.id, round_id=None, state="proposed", proposed_at=clock.now(),
                      from_request_id=req.id, why={"micro": WHY, "hope": hope},
                      sentence=why.micro_sentence(parts), sentence_parts=parts)
    db.session.add(pairing)
    try:
        db.session.flush()
    except IntegrityError:  # the same ask, twice at once: uq_pairings_from_request
        db.session.rollback()
        raise ServiceError(_("You already asked from this request.")) from None
    record(req.program_id, "pairing", pairing.id, None, "proposed", mentee_user, "asked after a micro-request")
    mentor_user = mentor.user
    outbox.send(mentor_user, "pairing_ongoing_asked", program_id=req.program_id, item=pairing, req=req,
                mentee=mentee_user, mentor=mentor_user, hope=hope, show_url=links.link("requests.show", request_id=req.id),
                **PAIRING.mail_context(pairing), **link_context(mentor_user, PAIRING, pairing))
    db.session.commit()
    return pairing


def good_micro_history(program_id: int) -> list[tuple[int, int]]:
    """(mentee, mentor) membership pairs of the program with a micro-request that was done,
    followed up and thanked: the round gives them rules.history_bonus (services/rounds/instance.py)."""
    followup = db.select(FollowUp.request_id).where(FollowUp.kind == "followup", FollowUp.request_id.is_not(None))
    thanks = db.select(FollowUp.request_id).where(FollowUp.kind == "thanks", FollowUp.request_id.is_not(None))
    return sorted({(e, m) for e, m in db.session.execute(
        db.select(MicroRequest.mentee_membership_id, MicroRequest.mentor_membership_id)
        .where(MicroRequest.program_id == program_id, MicroRequest.state == "done",
               MicroRequest.id.in_(followup), MicroRequest.id.in_(thanks)))})
