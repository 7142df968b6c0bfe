"""Answer from the email: accept / decline / ask-for-info links that work without logging in.

Each link is an itsdangerous token (its own salt) naming the person, the item and the action, so
a link forwarded or edited can do nothing else; it expires after EMAIL_ACTION_MAX_AGE seconds and
works once: its jti goes into UsedEmailToken in the same transaction as the answer. Opening a link
(GET) only shows a confirmation page; the answer is the POST of its one button.

Timestamps come from the app clock (mentormatch.clock), so tests and demos can move time.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timezone

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from ..core import clock, links
from ..extensions import db
from ..models import PENDING_REQUEST, MicroRequest, Pairing, UsedEmailToken, User
from . import ServiceError, lifecycle, micro_requests

SALT = "email-action"
DEFAULT_MAX_AGE = 7 * 24 * 3600
KINDS = {"pairing": Pairing, "request": MicroRequest}
ACTIONS = ("accept", "decline", "info")
ACTION_LABELS = {"accept": "Accept", "decline": "Decline", "info": "Ask for more info"}
# States in which the mentor can still answer (an ask needs the item waiting on them and no earlier ask).
ANSWERABLE = {"pairing": lifecycle.PENDING_PAIRING, "request": PENDING_REQUEST}
ASKABLE = {"pairing": ("proposed",), "request": ("open",)}


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock.now().replace(tzinfo=timezone.utc).timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_ClockSigner)


def max_age() -> int:
    try:
        return int(current_app.config.get("EMAIL_ACTION_MAX_AGE") or DEFAULT_MAX_AGE)
    except (TypeError, ValueError):
        return DEFAULT_MAX_AGE


def make_token(user: User, kind: str, item_id: int, action: str) -> str:
    assert kind in KINDS and action in ACTIONS
    return _serializer().dumps({"u": user.id, "k": kind, "i": item_id, "a": action, "j": secrets.token_hex(16)})


def action_url(user: User, kind: str, item_id: int, action: str) -> str:
    return links.link("pairings.email_action", token=make_token(user, kind, item_id, action))


def links_block(user: User, kind: str, item_id: int, info: bool = True) -> str:
    """The plain-text lines an email carries."""
    actions = ACTIONS if info else ("accept", "decline")
    urls = [(ACTION_LABELS[a], action_url(user, kind, item_id, a)) for a in actions]
    days = max_age() // 86400
    lines = "\n".join(f"  {label}: {u}" for label, u in urls)
    return (f"\nOr answer straight from this email (no login needed; each link works once, for "
            f"{days} day{'s' if days != 1 else ''}):\n{lines}\n")


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
    item: Pairing | MicroRequest
    action: str
    jti: str

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


def read(token: str) -> Link:
    """The link's person, item and action, or LinkError. Changes nothing."""
    try:
        data = _serializer().loads(token, max_age=max_age())
    except SignatureExpired:
        raise LinkError("expired", "This link has expired. Log in to answer from the site.") from None
    except BadData:
        raise LinkError("invalid", "This link is not valid. It may have been cut short or changed.") from None
    if not (isinstance(data, dict) and data.get("k") in KINDS and data.get("a") in ACTIONS
            and isinstance(data.get("u"), int) and isinstance(data.get("i"), int) and isinstance(data.get("j"), str)):
        raise LinkError("invalid", "This link is not valid. It may have been cut short or changed.")
    user = db.session.get(User, data["u"])
    item = db.session.get(KINDS[data["k"]], data["i"])
    # Bound to the person: the item must still be addressed to the account the link was made for.
    if user is None or item is None or item.mentor is None or item.mentor.user_id != user.id:
        raise LinkError("invalid", "This link is not valid any more.")
    if db.session.get(UsedEmailToken, data["j"]) is not None:
        raise LinkError("used", "This link has already been used. Each answer link works once.")
    link = Link(user=user, kind=data["k"], item=item, action=data["a"], jti=data["j"])
    allowed = ASKABLE[link.kind] if link.action == "info" else ANSWERABLE[link.kind]
    if item.state not in allowed or (link.action == "info" and item.info_asked_at is not None):
        raise LinkError("answered", "This has already been answered (or has expired); nothing was changed.")
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
        raise LinkError("used", "This link has already been used. Each answer link works once.") from None
    service = lifecycle if link.kind == "pairing" else micro_requests
    if link.action == "accept":
        service.accept(link.item, link.user)
    elif link.action == "decline":
        service.decline(link.item, link.user, data.get("reason") or "", data.get("note") or "",
                        data.get("pause") or "", data.get("away_until"))
    else:
        service.ask_info(link.item, link.user, data.get("question") or "")
    return link


def subject_name(link: Link) -> str:
    return link.item.mentee.user.name


__all__ = ["LinkError", "Link", "read", "perform", "links_block", "action_url", "make_token", "ServiceError"]
