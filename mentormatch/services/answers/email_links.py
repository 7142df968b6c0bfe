"""Answer from the email: accept / decline / ask-for-info links that work without logging in.

The links are made and signed by core.answer_links; a link forwarded or edited can do nothing
else, and it works once: its jti goes into UsedEmailToken in the same transaction as the answer.
Opening a link (GET) only shows a confirmation page; the answer is the POST of its one button.
The link's kind picks the adapter from the registry (kinds.py); the answer is the shared flow's.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired
from sqlalchemy.exc import IntegrityError

from ...core import answer_links, clock
from ...core.errors import ServiceError
from ...extensions import db
from ...models import UsedEmailToken, User
from . import flow
from .kinds import KINDS


class LinkError(Exception):
    """Why a link cannot be used; `code` picks the page and the status."""

    STATUS = {"invalid": 400, "expired": 410, "used": 410, "answered": 409}

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message

    @property
    def status(self) -> int:
        return self.STATUS[self.code]


@dataclass
class Link:
    user: User
    kind: str
    item: object  # a row of KINDS[kind].model
    action: str
    jti: str

    @property
    def label(self) -> str:
        """The action's name on the answer page, in the reader's language (the mail's own words are
        core.answer_links.ACTION_LABELS, rendered by the mail templates)."""
        return {"accept": _("Accept"), "decline": _("Decline"), "info": _("Ask for more info")}[self.action]


def read(token: str) -> Link:
    """The link's person, item and action, or LinkError. Changes nothing."""
    try:
        data = answer_links.serializer().loads(token, max_age=answer_links.max_age())
    except SignatureExpired:
        raise LinkError("expired", _("This link has expired. Log in to answer from the site.")) from None
    except BadData:
        raise LinkError("invalid", _("This link is not valid. It may have been cut short or changed.")) from None
    if not (isinstance(data, dict) and data.get("k") in KINDS and data.get("a") in answer_links.ACTIONS
            and isinstance(data.get("u"), int) and isinstance(data.get("i"), int) and isinstance(data.get("j"), str)):
        raise LinkError("invalid", _("This link is not valid. It may have been cut short or changed."))
    kind = KINDS[data["k"]]
    user = db.session.get(User, data["u"])
    item = db.session.get(kind.model, data["i"])
    # Bound to the person: the item must still be addressed to the account the link was made for.
    # A deleted account, or a mentor removed from the program, answers nothing any more.
    if (user is None or user.erased_at is not None or item is None or item.mentor is None
            or item.mentor.user_id != user.id or item.mentor.removed_at is not None):
        raise LinkError("invalid", _("This link is not valid any more."))
    if db.session.get(UsedEmailToken, data["j"]) is not None:
        raise LinkError("used", _("This link has already been used. Each answer link works once."))
    link = Link(user=user, kind=data["k"], item=item, action=data["a"], jti=data["j"])
    allowed = (kind.waiting,) if link.action == "info" else kind.pending
    if item.state not in allowed or (link.action == "info" and item.info_asked_at is not None):
        raise LinkError("answered", _("This has already been answered (or has expired); nothing was changed."))
    return link


def perform(token: str, data: dict) -> Link:
    """Spend the link and make the answer, in one transaction. LinkError or ServiceError leave the
    link unused and nothing changed (the caller rolls back on ServiceError)."""
    link = read(token)
    try:
        with db.session.begin_nested():
            db.session.add(UsedEmailToken(jti=link.jti, user_id=link.user.id, used_at=clock.now()))
    except IntegrityError:
        db.session.rollback()
        raise LinkError("used", _("This link has already been used. Each answer link works once.")) from None
    if link.action == "accept":
        flow.accept(link.item, link.user)
    elif link.action == "decline":
        flow.decline(link.item, link.user, data.get("reason") or "", data.get("note") or "",
                     data.get("pause") or "", data.get("away_until"))
    else:
        flow.ask_info(link.item, link.user, data.get("question") or "")
    return link


def subject_name(link: Link) -> str:
    return link.item.mentee.user.name


__all__ = ["LinkError", "Link", "read", "perform", "subject_name", "ServiceError"]
