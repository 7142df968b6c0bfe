"""Micro-requests as an answerable kind: leaving the pending states gives the mentee's
open-request slot back (in the same transaction)."""
from __future__ import annotations

from flask_babel import gettext as _

from ...core import links
from ...extensions import db
from ...models import PENDING_REQUEST, MicroRequest, OpenRequestCounter
from .kinds import Kind, register


class RequestKind(Kind):
    name = "request"
    model = MicroRequest
    noun = "request"
    waiting = "open"
    pending = PENDING_REQUEST
    accept_path = ("accepted",)
    started_column = "created_at"

    # The refusals, in the language of the person who gets them (properties: translated when raised).
    @property
    def gone(self) -> str:
        return _("This request is no longer open.")

    @property
    def not_mentor(self) -> str:
        return _("Only the mentor it was sent to can answer this request.")

    @property
    def not_mentee(self) -> str:
        return _("Only the mentee who sent it can do that.")

    @property
    def not_waiting(self) -> str:
        return _("This request is no longer waiting for your answer.")

    def after_leaving(self, req: MicroRequest) -> None:
        release_slot(req)

    def mentor_page(self, req: MicroRequest) -> str:
        return links.link("requests.show", request_id=req.id)

    def mail_context(self, req: MicroRequest) -> dict:
        return {"show_url": links.link("requests.show", request_id=req.id),
                "directory_url": links.link("requests.directory", program_id=req.program_id)}

    def accept_context(self, req: MicroRequest) -> dict:
        return {"others": len(other_open(req))}


def release_slot(req: MicroRequest) -> None:
    """One open request fewer on the mentee's counter (never below zero)."""
    db.session.execute(
        db.update(OpenRequestCounter)
        .where(OpenRequestCounter.membership_id == req.mentee_membership_id, OpenRequestCounter.open_requests > 0)
        .values(open_requests=OpenRequestCounter.open_requests - 1)
        .execution_options(synchronize_session=False))


def other_open(req: MicroRequest) -> list[MicroRequest]:
    """The mentee's other pending requests, oldest first."""
    return list(db.session.scalars(db.select(MicroRequest).where(
        MicroRequest.mentee_membership_id == req.mentee_membership_id, MicroRequest.state.in_(PENDING_REQUEST),
        MicroRequest.id != req.id).order_by(MicroRequest.created_at)))


REQUEST = register(RequestKind())
