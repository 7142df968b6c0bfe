"""Signed one-click answer links (accept / decline / ask for info) that emails carry.

Each link is an itsdangerous token (its own salt) naming the person, the item and the action; it
expires after EMAIL_ACTION_MAX_AGE seconds. Reading and spending a link is the answering
service's business (services/answers/email_links.py); this module only makes and signs them.
Timestamps come from the app clock, so tests and demos can move time.
"""
from __future__ import annotations

import secrets
from datetime import UTC

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from ..models import User
from . import clock, links

KINDS = ("pairing", "request")
SALT = "email-action"
DEFAULT_MAX_AGE = 7 * 24 * 3600
ACTIONS = ("accept", "decline", "info")
ACTION_LABELS = {"accept": _l("Accept"), "decline": _l("Decline"), "info": _l("Ask for more info")}


class ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock.now().replace(tzinfo=UTC).timestamp())


def serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def max_age() -> int:
    try:
        return int(current_app.config.get("EMAIL_ACTION_MAX_AGE") or DEFAULT_MAX_AGE)
    except (TypeError, ValueError):
        return DEFAULT_MAX_AGE


def make_token(user: User, kind: str, item_id: int, action: str) -> str:
    assert kind in KINDS and action in ACTIONS
    return serializer().dumps({"u": user.id, "k": kind, "i": item_id, "a": action, "j": secrets.token_hex(16)})


def action_url(user: User, kind: str, item_id: int, action: str) -> str:
    return links.link("pairings.email_action", token=make_token(user, kind, item_id, action))


def link_list(user: User, kind: str, item_id: int, info: bool = True) -> list[tuple[str, str]]:
    """(label, url) of the answer links an email carries: templates/email/_partials/answer_links.txt lays
    them out (with `link_days()`)."""
    actions = ACTIONS if info else ("accept", "decline")
    return [(ACTION_LABELS[a], action_url(user, kind, item_id, a)) for a in actions]


def link_days() -> int:
    """How many days an answer link works, as the emails say."""
    return max_age() // 86400
