"""The answering service: everything a mentor answers (round proposals, micro-requests), written once.

accept / decline (and pause) / ask-for-info / answer-info / remind / expire (flow.py), the
one-click answers from an email (email_links.py), over one adapter per answerable kind
(kinds.py: pairing.py, request.py), and releasing what waits on a mentor who goes unavailable
(release.py). Kind-specific use cases stay beside it: round pairings'
complete and lists in services/lifecycle.py, a request's send/edit/withdraw and follow-ups in
services/micro_requests.py. To add an answerable kind, see kinds.py.
"""
from . import email_links, pairing, request  # noqa: F401 - registers the kinds
from .flow import (
    DECLINE_LABELS,
    MAX_INFO,
    MAX_NOTE,
    MIN_INFO,
    PAUSE_CHOICES,
    accept,
    answer_info,
    ask_info,
    check_pause,
    clean_info,
    decline,
    expire,
    leave_pending,
    mentee_context,
    pause_mentor,
    remind,
    remind_mentee,
)
from .kinds import KINDS, Kind, kind_of
from .pairing import PENDING_PAIRING, WAITING_FOR_MENTOR, claim_seat
from .release import RELEASED, RELEASED_LABEL, release, released_in_round
from .request import other_open, release_slot

__all__ = [
    "DECLINE_LABELS", "MAX_INFO", "MAX_NOTE", "MIN_INFO", "PAUSE_CHOICES", "accept", "answer_info", "ask_info",
    "check_pause", "clean_info", "decline", "expire", "leave_pending", "mentee_context", "pause_mentor", "remind",
    "remind_mentee", "RELEASED", "RELEASED_LABEL", "release", "released_in_round",
    "KINDS", "Kind", "kind_of", "PENDING_PAIRING", "WAITING_FOR_MENTOR", "claim_seat", "other_open",
    "release_slot", "email_links",
]
