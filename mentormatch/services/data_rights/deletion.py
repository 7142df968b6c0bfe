"""Deleting one's account: asked for on the site, confirmed from an email, undone within a grace
period of GRACE_DAYS (a link in the email, or a button on the account page), then erased by the
scheduled run (`flask remind` and the reminder scheduler call erase_due).

States on the User row: nothing asked (deletion_due_at NULL), confirmed (deletion_due_at set),
erased (erased_at set: the row stays as "A former member", personal.py lists what else goes).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ...core import clock, links, outbox
from ...core.events import record
from ...extensions import db
from ...models import Membership, ProgramCoordinator, User
from .. import ServiceError
from ..answers.release import release
from . import erase
from .members import end_mentorships, withdraw_as_mentee

GRACE_DAYS = 7
CONFIRM_MAX_AGE = 2 * 24 * 3600
SALTS = {"confirm": "account-deletion-confirm", "undo": "account-deletion-undo"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[purpose],
                                  signer_kwargs={"digest_method": hashlib.sha1})


def _token(user: User, purpose: str) -> str:
    due = user.deletion_due_at.isoformat() if user.deletion_due_at else ""
    return _serializer(purpose).dumps({"u": user.id, "d": due, "n": user.deletion_round})


def user_for_token(token: str, purpose: str) -> User | None:
    """The account a confirm or undo link is for, while the link still means something."""
    max_age = CONFIRM_MAX_AGE if purpose == "confirm" else (GRACE_DAYS + 1) * 24 * 3600
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # includes SignatureExpired
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.erased_at is not None:
        return None
    due = user.deletion_due_at.isoformat() if user.deletion_due_at else ""
    # An undo link undoes the deletion it was sent for; a confirm link confirms only an unconfirmed one.
    if purpose == "undo" and (not due or data.get("d") != due):
        return None
    if purpose == "confirm" and (due or data.get("n") != user.deletion_round):
        return None
    return user


def _sole_coordinator_of(user: User) -> list[str]:
    """Programs that would be left with no coordinator (one waiting for deletion counts as gone)."""
    return [link.program.name for link in db.session.scalars(
        db.select(ProgramCoordinator).where(ProgramCoordinator.user_id == user.id))
        if not staying_coordinators(link.program_id, but=user.id)]


def staying_coordinators(program_id: int, *, but: int) -> int:
    """The program's coordinators other than user `but` who are not waiting for their erasure."""
    return db.session.scalar(db.select(db.func.count()).select_from(ProgramCoordinator)
                             .join(User, User.id == ProgramCoordinator.user_id).where(
        ProgramCoordinator.program_id == program_id, ProgramCoordinator.user_id != but,
        User.deletion_due_at.is_(None), User.erased_at.is_(None)))


def request(user: User) -> None:
    """Step 1: mail a confirmation link (nothing changes until it is followed)."""
    if user.deletion_due_at is not None:
        raise ServiceError(_("Your account is already set to be deleted; you can undo it below."))
    alone = _sole_coordinator_of(user)
    if alone:
        raise ServiceError(_("Appoint another coordinator first for: %(programs)s.", programs=", ".join(sorted(alone))))
    outbox.send(user, "account_delete_confirm", person=user, grace_days=GRACE_DAYS,
                confirm_url=links.link("data_rights.confirm_delete", token=_token(user, "confirm")))
    db.session.commit()


def confirm(user: User) -> User:
    """Step 2: the grace period starts; the email says when, with the undo link. A conditional
    UPDATE: of two clicks at once one schedules (and mails); the other finds it done."""
    alone = _sole_coordinator_of(user)
    if alone:
        raise ServiceError(_("Appoint another coordinator first for: %(programs)s.", programs=", ".join(sorted(alone))))
    due = clock.now() + timedelta(days=GRACE_DAYS)
    won = db.session.execute(db.update(User).where(
        User.id == user.id, User.deletion_due_at.is_(None), User.erased_at.is_(None),
        User.deletion_round == user.deletion_round).values(deletion_due_at=due)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(user)
    if won:
        outbox.send(user, "account_delete_scheduled", person=user, due=user.deletion_due_at,
                    undo_url=links.link("data_rights.undo_delete", token=_token(user, "undo")))
    db.session.commit()
    return user


def undo(user: User) -> User:
    """A conditional UPDATE: an account erased (or undone) meanwhile is left as it is, unmailed."""
    won = db.session.execute(db.update(User).where(
        User.id == user.id, User.deletion_due_at.is_not(None), User.erased_at.is_(None))
        .values(deletion_due_at=None, deletion_round=User.deletion_round + 1)
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        db.session.rollback()
        raise ServiceError(_("Your account is not set to be deleted."))
    db.session.refresh(user)
    outbox.send(user, "account_delete_undone", person=user)
    db.session.commit()
    return user


def _leave_programs(user: User) -> None:
    """After erasing (so every mail below already says "A former member"): what waits on them is
    released kindly, what they wait on is withdrawn, running mentorships end with the other told."""
    now = clock.now()
    for member in list(db.session.scalars(db.select(Membership).where(
            Membership.user_id == user.id, Membership.removed_at.is_(None)).order_by(Membership.id))):
        if member.role == "mentor":
            release(member, "removed", None)
        withdraw_as_mentee(member, None, now)
        end_mentorships(member, None, now)
        member.removed_at = now
        record(member.program_id, "member", member.id, "member", "erased", None, "")


@dataclass
class Report:
    erased: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.erased)} account(s) erased"


def erase_due() -> Report:
    """Erase every account whose grace period is over (one transaction per account)."""
    report = Report()
    due = list(db.session.scalars(db.select(User.id).where(
        User.deletion_due_at.is_not(None), User.deletion_due_at <= clock.now(), User.erased_at.is_(None))))
    for user_id in due:
        user = db.session.get(User, user_id)
        erase.erase_user(user)
        _leave_programs(user)
        db.session.commit()
        report.erased.append(f"user {user_id}")
    return report
