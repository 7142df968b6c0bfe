"""Invitations to join a program, sent by an import to people who already have an account.

A coordinator's file never enrols an existing account: its owner gets an email with a link, and
only they, logged in, can accept (membership and profile from the file) or decline.
"""
from __future__ import annotations

from sqlalchemy import insert, update

from ..core import links, outbox
from ..extensions import db
from ..models import GoalForm, Membership, MentorProfile, Program, User, utcnow
from ..models.imports import ProgramInvitation
from ..models.program import new_token
from . import programs


def invite_many(program: Program, people: list[tuple[int, str, str, dict]], actor: User | None) -> int:
    """Invite (user id, email, role, profile values) in bulk, in the caller's transaction; mails
    each person (before the caller's commit). A pending invitation is refreshed, keeping its link."""
    if not people:
        return 0
    # Each person's language (users.locale: their email is in it) and pending invitation here, if any.
    user_ids = [user_id for user_id, *_ in people]
    locales, ids, tokens = {}, {}, {}
    for chunk in [user_ids[i:i + 500] for i in range(0, len(user_ids), 500)]:
        for user_id, locale, invitation_id, token in db.session.execute(
                db.select(User.id, User.locale, ProgramInvitation.id, ProgramInvitation.token)
                .outerjoin(ProgramInvitation, (ProgramInvitation.user_id == User.id)
                           & (ProgramInvitation.program_id == program.id))
                .where(User.id.in_(chunk))):
            locales[user_id] = locale
            if invitation_id is not None:
                ids[user_id], tokens[user_id] = invitation_id, token
    actor_id = actor.id if actor else None
    now = utcnow()
    fresh, refreshed = [], []
    for user_id, _email, role, profile in people:
        values = {"role": role, "profile": profile, "invited_by_id": actor_id, "created_at": now}
        if user_id in ids:
            refreshed.append({"id": ids[user_id], **values})
        else:
            tokens[user_id] = new_token()
            fresh.append({"program_id": program.id, "user_id": user_id, "token": tokens[user_id], **values})
    if fresh:
        db.session.execute(insert(ProgramInvitation.__table__), fresh)
    if refreshed:
        db.session.execute(update(ProgramInvitation), refreshed)
    answer_links = links.links("invitations.answer", "token", [tokens[user_id] for user_id, *_ in people])
    outbox.send_many([(email, outbox.render("program_invitation", locale=locales.get(user_id),
                                            program_name=program.name, role=role, answer_url=link))
                      for (user_id, email, role, _profile), link in zip(people, answer_links)], program_id=program.id)
    return len(people)


def invitation_for(user: User, token: str) -> ProgramInvitation | None:
    """The user's own pending invitation with this token; anyone else's is None (404)."""
    return db.session.scalar(db.select(ProgramInvitation).where(ProgramInvitation.token == token,
                                                               ProgramInvitation.user_id == user.id))


def accept(invitation: ProgramInvitation, user: User) -> Membership:
    """Join the program on the invitation's side with the profile from the file (the rules of
    programs.join: any mentee or mentor account, either side); the invitation is used up."""
    membership = programs.join(user, invitation.program, invitation.role, commit=False)
    db.session.flush()
    model = MentorProfile if invitation.role == "mentor" else GoalForm
    profile = db.session.scalar(db.select(model).where(model.membership_id == membership.id))
    if profile is None:  # a profile they already wrote in this program is theirs: keep it
        db.session.add(model(membership_id=membership.id, **invitation.profile))
    db.session.delete(invitation)
    db.session.commit()
    return membership


def decline(invitation: ProgramInvitation) -> None:
    db.session.delete(invitation)
    db.session.commit()
