"""Erasing: walk the declared list (personal.py) and delete or blank what it names.

No commit here: the caller's transaction holds the erasure and its audit rows, all or none.
"""
from __future__ import annotations

import re

from sqlalchemy import or_

from ...core import clock
from ...extensions import db
from ...models import Event, Invitation, LoginSession, Membership, OutboxMessage, Pairing, User
from .. import workbook_jobs
from ..accounts import unusable_password_hash
from .personal import FORMER_MEMBER, REMOVED_TEXT, Personal, by_membership, by_user


def _apply(entry: Personal, owner_ids: list[int]) -> int:
    if not owner_ids:
        return 0
    where = entry.whose(owner_ids)
    statement = (db.delete(entry.model) if entry.delete
                 else db.update(entry.model).values(**entry.blank)).where(where)
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def erase_memberships(membership_ids: list[int]) -> int:
    """Every membership-owned row of the list, deleted or blanked; returns the rows touched."""
    return sum(_apply(entry, membership_ids) for entry in by_membership())


def count_memberships(membership_ids: list[int]) -> int:
    """What erase_memberships would touch (the retention dry run)."""
    if not membership_ids:
        return 0
    return sum(db.session.scalar(db.select(db.func.count()).select_from(entry.model).where(
        entry.whose(membership_ids))) or 0 for entry in by_membership())


def erase_user(user: User) -> int:
    """The whole account: its rows in every program, its own rows, its mail, and the account row
    itself kept as "A former member" (the other side's history points at it) with no way in."""
    membership_ids = list(db.session.scalars(db.select(Membership.id).where(Membership.user_id == user.id)))
    touched = erase_memberships(membership_ids)
    # Prepared workbooks of their programs hold their name: gone too (a coordinator prepares another).
    touched += workbook_jobs.drop_for_programs(list(db.session.scalars(
        db.select(Membership.program_id).where(Membership.user_id == user.id))))
    touched += sum(_apply(entry, [user.id]) for entry in by_user())
    old_email, old_name = user.email, user.name
    # Mail to them goes with them (the outbox is a log too), and so does mail to others that names
    # them: the name as a whole word, so "Ann" keeps a stranger's "Annual check-in".
    named = re.compile(rf"(?<!\w)({re.escape(old_name)}|{re.escape(old_email)})(?!\w)")
    naming = [m.id for m in db.session.scalars(db.select(OutboxMessage).where(or_(
        OutboxMessage.body.contains(old_name, autoescape=True),
        OutboxMessage.subject.contains(old_name, autoescape=True),
        OutboxMessage.body.contains(old_email, autoescape=True))))
        if named.search(m.subject) or named.search(m.body)]
    touched += db.session.execute(db.delete(OutboxMessage).where(or_(
        OutboxMessage.to == old_email, OutboxMessage.reply_to == old_email, OutboxMessage.id.in_(naming)))
        .execution_options(synchronize_session=False)).rowcount or 0
    touched += db.session.execute(db.delete(Invitation).where(Invitation.email == old_email)
                                  .execution_options(synchronize_session=False)).rowcount or 0
    # Reasons and notes they wrote in the audit trail (an ended-early reason, a release note).
    db.session.execute(db.update(Event).where(Event.actor_user_id == user.id).values(note="")
                       .execution_options(synchronize_session=False))
    db.session.execute(db.update(Pairing).where(Pairing.ended_by_user_id == user.id, Pairing.end_reason != "")
                       .values(end_reason=REMOVED_TEXT).execution_options(synchronize_session=False))
    db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id)
                       .execution_options(synchronize_session=False))
    user.name = FORMER_MEMBER
    user.email = f"erased-{user.id}@erased.invalid"
    user.password_hash = unusable_password_hash()
    user.erased_at = clock.now()
    user.deletion_due_at = None
    return touched
