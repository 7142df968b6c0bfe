"""Nobody waits for a mentor who is not there: releasing what waits on a mentor who goes unavailable.

Every way a mentor stops being available calls `release` in the transaction that switches them
off: the mentor switching availability off (or setting an away date) on their profile
(services/people/profiles.py), "decline and pause me" (flow.decline), a coordinator marking them
unavailable (services/health.py) and the automatic pause after expiries (services/reminders.py).

Each pending request or proposal to that mentor becomes "declined" with the reason RELEASED (not an
answer: answered_at stays empty, so it does not count as the mentor's answer nor as an expiry), what
it held is given back (the mentee's open-request slot; a proposal's seat, which is counted from the
state), and the mentee gets a short kind email with a link to similar mentors who have room. Round
proposals released this way are what publish.freed_mentees offers for repair on the round page.

Here, inside the answering package and below flow.py, because flow.decline calls it: a module
beside flow that imported it back would be an import cycle.
"""
from __future__ import annotations

from ...core import clock, links, outbox
from ...core.events import record
from ...core.transitions import move
from ...extensions import db
from ...models import Membership, MentorProfile, Pairing, User
from .kinds import KINDS

RELEASED = "unavailable"  # the decline_reason of a released item
RELEASED_LABEL = "the mentor is not available right now"
# Why a mentor was released (the caller's way); the coordinator sees it on the mentor's own Event.
WHY_TEXT = {
    "switched_off": "switched their availability off",
    "away": "is away for a while",
    "paused_on_decline": "paused their mentoring",
    "coordinator": "was marked unavailable by the coordinator",
    "expiries": "was paused after several unanswered requests",
    "removed": "left the program",
}


def similar_url(item) -> str:
    """Where the mentee finds someone else: the directory of mentors with room this month, filtered
    to the released mentor's first topic (and ranked for the mentee); for a program without
    micro-requests, the mentee's home."""
    if not item.mentee.program.offers_micro:
        return links.link("mentee.home")
    profile = db.session.scalar(db.select(MentorProfile).where(
        MentorProfile.membership_id == item.mentor_membership_id))
    topics = list(profile.topics or []) if profile is not None else []
    values = {"topic": topics[0]} if topics else {}
    return links.link("requests.directory", program_id=item.program_id, **values)


def release(mentor: Membership, why: str, actor: User | None) -> list:
    """Release every pending request and proposal to `mentor` (see the module docstring); returns the
    released rows. No commit: the caller's transaction holds the availability change and this."""
    if why not in WHY_TEXT:
        raise ValueError(f"unknown release reason {why!r}")
    now = clock.now()
    released = []
    for kind in KINDS.values():
        model = kind.model
        rows = list(db.session.scalars(db.select(model).where(
            model.mentor_membership_id == mentor.id, model.state.in_(kind.pending)).order_by(model.id)))
        for item in rows:
            before = item.state
            # Answered in the meantime by the mentor or the mentee: theirs wins, nothing to release.
            if not move(model, item, kind.pending, "declined", ended_at=now, decline_reason=RELEASED,
                        decline_note=""):
                continue
            kind.after_leaving(item)
            # The mentee reads this history too: the note stays kind; the mentor's own Event says why.
            record(item.program_id, kind.name, item.id, before, "declined", actor,
                   f"released: {RELEASED_LABEL}")
            mentee = item.mentee.user
            outbox.send(mentee, "released", program_id=item.program_id, mentee=mentee, mentor=mentor.user,
                        item=item, noun=kind.noun, from_round=isinstance(item, Pairing) and item.round_id is not None,
                        in_directory=item.mentee.program.offers_micro, similar_url=similar_url(item))
            released.append(item)
    return released


def released_in_round(round_id: int) -> int:
    """How many proposals of a round were released because their mentor became unavailable."""
    return db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(
        Pairing.round_id == round_id, Pairing.state == "declined", Pairing.decline_reason == RELEASED)) or 0
