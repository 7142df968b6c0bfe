"""What is written about a mentorship: the mentor's private notes, follow-ups and thanks."""
from flask_babel import gettext as _

from ...core import fields
from ...extensions import db
from ...models import FollowUp, Membership, MicroRequest, Note, Pairing, utcnow
from .. import ServiceError
from .mentorships import CURRENT_STATES

REQUEST_NOTE_STATES = ("open", "info_requested", "accepted", "done")


def note_of(author: Membership, mentee_membership_id: int) -> Note | None:
    return db.session.scalar(db.select(Note).where(
        Note.author_membership_id == author.id, Note.mentee_membership_id == mentee_membership_id))


def save_note(author: Membership, pairing: Pairing, body: str) -> Note:
    """Only through a current pairing of the author's: the route proved it, this re-checks it."""
    if pairing.mentor_membership_id != author.id or pairing.state not in CURRENT_STATES:
        raise ServiceError(_("You can keep notes on your current mentees only."))
    return _write(author, pairing.mentee_membership_id, body)


def save_request_note(author: Membership, req: MicroRequest, body: str) -> Note:
    """The same one note per mentee, kept from a micro-request sent to the author (issue 13): while
    it waits for an answer, once accepted and once done; not after a decline, a withdrawal or expiry."""
    if req.mentor_membership_id != author.id or req.state not in REQUEST_NOTE_STATES:
        raise ServiceError(_("You can keep notes on the mentees whose requests you are answering or have taken on."))
    return _write(author, req.mentee_membership_id, body)


def _write(author: Membership, mentee_membership_id: int, body: str) -> Note:
    body = fields.text(body, "body", most=5000)
    note = note_of(author, mentee_membership_id)
    if note is None:
        note = Note(author_membership_id=author.id, mentee_membership_id=mentee_membership_id)
        db.session.add(note)
    note.body = body
    note.updated_at = utcnow()
    db.session.commit()
    return note


def followups_of_pairing(pairing: Pairing) -> list[FollowUp]:
    return list(db.session.scalars(
        db.select(FollowUp).where(FollowUp.pairing_id == pairing.id).order_by(FollowUp.created_at.desc(), FollowUp.id.desc())))
