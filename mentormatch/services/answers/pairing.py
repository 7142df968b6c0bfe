"""Round proposals as an answerable kind: accepting takes one of the mentor's seats."""
from __future__ import annotations

from flask_babel import gettext as _

from ...core import links
from ...core.errors import ServiceError
from ...extensions import db
from ...models import MentorProfile, Pairing
from .kinds import Kind, register

PENDING_PAIRING = ("proposed", "info_requested")
# Waiting for the mentor (their reminders run); info_requested waits for the mentee (the mentee's run).
WAITING_FOR_MENTOR = ("proposed",)


class PairingKind(Kind):
    name = "pairing"
    model = Pairing
    noun = "proposal"
    waiting = "proposed"
    pending = PENDING_PAIRING
    accept_path = ("accepted", "active")
    started_column = "proposed_at"
    note_required_for_other = True

    # The refusals, in the language of the person who gets them (properties: translated when raised).
    @property
    def gone(self) -> str:
        return _("This proposal has already been answered or has expired.")

    @property
    def not_mentor(self) -> str:
        return _("Only the proposed mentor can answer this proposal.")

    @property
    def not_mentee(self) -> str:
        return _("Only the proposed mentee can answer this question.")

    @property
    def not_waiting(self) -> str:
        return _("This proposal is no longer waiting for your answer.")

    def before_accept(self, pairing: Pairing) -> None:
        claim_seat(pairing)

    def mentor_page(self, pairing: Pairing) -> str:
        return links.link("mentor.mentee", program_id=pairing.program_id, mentee_id=pairing.mentee_membership_id)

    def mail_context(self, pairing: Pairing) -> dict:
        return {"program": pairing.mentee.program, "home_url": links.link("mentee.home"),
                "info_url": links.link("pairings.info", pairing_id=pairing.id),
                "proposals_url": links.link("pairings.proposals")}


def claim_seat(pairing: Pairing) -> None:
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
        raise ServiceError(_("All your seats are taken (%(taken)s of %(capacity)s). Complete a pairing or raise your "
                             "capacity on your profile first, or decline.", taken=taken, capacity=profile.capacity_round))


PAIRING = register(PairingKind())
