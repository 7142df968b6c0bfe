"""Check-ins: 30 and 60 days after a pairing becomes active, both sides answer two questions
("how is it going", 1-5, and a comment). `flask remind` sends the invitations; coordinators see
the results per program, scores of LOW or less flagged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..core import clock, links, outbox
from ..extensions import db
from ..models import CHECKIN_DAYS, CheckIn, Membership, Pairing, Program, User
from . import ServiceError
from .activity import touch

LOW = 2
MAX_COMMENT = 1000
SCORE_LABELS = {1: _l("1 · Not working"), 2: _l("2 · Struggling"), 3: _l("3 · OK"), 4: _l("4 · Good"), 5: _l("5 · Great")}


def due_day(active_since: datetime, now: datetime) -> int | None:
    """The latest check-in day reached (a pairing found at day 65 is asked once, for day 60)."""
    reached = [d for d in CHECKIN_DAYS if now - active_since >= timedelta(days=d)]
    return max(reached) if reached else None


def send_due(now: datetime | None = None) -> list[str]:
    """Invite both sides of every active pairing whose check-in day has come, once each: the
    unique (pairing, member, day) row is the claim, so cron and a scheduler never both send."""
    now = now or clock.now()
    sent = []
    pairings = list(db.session.scalars(db.select(Pairing).where(
        Pairing.state == "active", Pairing.answered_at <= now - timedelta(days=min(CHECKIN_DAYS)))
        .order_by(Pairing.id)))
    for pairing in pairings:
        day = due_day(pairing.answered_at, now)
        if day is None:
            continue
        for member in (pairing.mentee, pairing.mentor):
            exists = db.session.scalar(db.select(CheckIn.id).where(
                CheckIn.pairing_id == pairing.id, CheckIn.membership_id == member.id, CheckIn.day == day))
            if exists is not None:
                continue
            try:
                with db.session.begin_nested():
                    row = CheckIn(program_id=pairing.program_id, pairing_id=pairing.id, membership_id=member.id,
                                  day=day, invited_at=now)
                    db.session.add(row)
            except IntegrityError:
                db.session.rollback()
                continue
            other = pairing.mentor if member.id == pairing.mentee_membership_id else pairing.mentee
            user = member.user
            outbox.send(user, "checkin_invitation", program_id=pairing.program_id, name=user.name,
                        other_name=other.user.name, day=day,
                        answer_url=links.link("checkins.answer", checkin_id=row.id))
            db.session.commit()
            sent.append(f"checkin {row.id}")
    return sent


def checkin_of(user: User, checkin_id: int) -> CheckIn | None:
    """The current user's own check-in, else None (the route answers 404)."""
    return db.session.scalar(db.select(CheckIn).join(Membership, Membership.id == CheckIn.membership_id)
                             .where(CheckIn.id == checkin_id, Membership.user_id == user.id, Membership.current()))


def pending_for(user: User) -> list[CheckIn]:
    return list(db.session.scalars(db.select(CheckIn).join(Membership, Membership.id == CheckIn.membership_id)
                                   .where(Membership.user_id == user.id, Membership.current(), CheckIn.answered_at.is_(None))
                                   .order_by(CheckIn.invited_at, CheckIn.id)))


def answer(checkin: CheckIn, user: User, score, comment: str) -> CheckIn:
    if checkin.membership.user_id != user.id:
        raise ServiceError(_("Only the person invited can answer this check-in."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ServiceError(_("Choose a score from 1 to 5."), "score") from None
    if not 1 <= score <= 5:
        raise ServiceError(_("Choose a score from 1 to 5."), "score")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ServiceError(_("Keep the comment under %(max)d characters.", max=MAX_COMMENT), "comment")
    done = db.session.execute(db.update(CheckIn).where(CheckIn.id == checkin.id, CheckIn.answered_at.is_(None))
                              .values(score=score, comment=comment, answered_at=clock.now())
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("You already answered this check-in. Thank you!"))
    touch(checkin.pairing)  # a check-in counts as the pair doing something together
    db.session.commit()
    db.session.refresh(checkin)
    return checkin


@dataclass
class Row:
    checkin: CheckIn
    who: str          # "mentee" or "mentor"
    name: str
    other: str

    @property
    def low(self) -> bool:
        return self.checkin.score is not None and self.checkin.score <= LOW


@dataclass
class Results:
    rows: list[Row]
    answered: int
    invited: int
    low: int
    average: float | None


def program_results(program: Program) -> Results:
    rows = []
    for c in db.session.scalars(db.select(CheckIn).where(CheckIn.program_id == program.id)
                                .order_by(CheckIn.answered_at.is_(None), CheckIn.score.asc(), CheckIn.id.desc())):
        p = c.pairing
        mentee_side = c.membership_id == p.mentee_membership_id
        rows.append(Row(c, "mentee" if mentee_side else "mentor", c.membership.user.name,
                        (p.mentor if mentee_side else p.mentee).user.name))
    scores = [r.checkin.score for r in rows if r.checkin.score is not None]
    return Results(rows=rows, answered=len(scores), invited=len(rows), low=sum(1 for s in scores if s <= LOW),
                   average=round(sum(scores) / len(scores), 1) if scores else None)
