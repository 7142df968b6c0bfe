from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..core import emails
from ..extensions import db
from ..models import Invitation, Membership, Program, ProgramCoordinator, User, clean_name
from ..models.program import SIDES
from . import ServiceError


def programs_of_coordinator(user: User) -> list[Program]:
    return list(
        db.session.scalars(
            db.select(Program).join(ProgramCoordinator).where(ProgramCoordinator.user_id == user.id).order_by(Program.name)
        )
    )


def programs_of_member(user: User, role: str | None = None) -> list[Program]:
    """The programs the user currently takes part in (on the `role` side only, if given)."""
    query = db.select(Program).join(Membership).where(Membership.user_id == user.id, Membership.current())
    if role:
        query = query.where(Membership.role == role)
    return list(db.session.scalars(query.distinct().order_by(Program.name)))


def sides_of(user: User) -> tuple[str, ...]:
    """The sides an account acts on, in a fixed order: ('coordinator',) for a coordinator; else
    the side it signed up as (users.role) and the side of each current membership. A mentor in
    one program who joined another as a mentee has ('mentee', 'mentor')."""
    if user.role == "coordinator":
        return ("coordinator",)
    joined = set(db.session.scalars(db.select(Membership.role).where(Membership.user_id == user.id, Membership.current())))
    return tuple(side for side in SIDES if side in joined or side == user.role)


def home_side(user: User) -> str:
    """The side whose home page an account lands on: the one it signed up as, unless it only
    takes part on the other side (it joined a program as the other side)."""
    if user.role == "coordinator":
        return "coordinator"
    sides = sides_of(user)
    if len(sides) == 2 and not programs_of_member(user, user.role):
        return next(side for side in sides if side != user.role)
    return user.role


def _checked_name(name: str) -> str:
    name = clean_name(name or "")  # the model cleans too; checked here so an all-control name is refused
    if not name:
        raise ServiceError(_("Give the program a name."), "name")
    return name


def _checked_weeks(weeks) -> int:
    try:
        weeks = int(weeks)
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a number of weeks from 0 to 52."), "inactive_weeks") from None
    if not 0 <= weeks <= 52:
        raise ServiceError(_("Enter a number of weeks from 0 to 52."), "inactive_weeks")
    return weeks


def create_program(coordinator: User, *, name: str, description: str, offers_rounds: bool, offers_micro: bool,
                   requires_mentor_approval: bool = False, inactive_weeks: int | None = None,
                   requires_sso: bool = False, allows_both_sides: bool = False) -> Program:
    if not (offers_rounds or offers_micro):
        raise ServiceError(_("A program runs cohort rounds, micro-requests, or both."), "kind")
    program = Program(name=_checked_name(name), description=description.strip(), offers_rounds=offers_rounds, offers_micro=offers_micro,
                      requires_mentor_approval=bool(requires_mentor_approval), requires_sso=bool(requires_sso),
                      allows_both_sides=bool(allows_both_sides))
    if inactive_weeks is not None:
        program.inactive_weeks = _checked_weeks(inactive_weeks)
    program.coordinators.append(ProgramCoordinator(user=coordinator))
    db.session.add(program)
    db.session.commit()
    return program


def update_program(program: Program, *, name: str, description: str, offers_rounds: bool, offers_micro: bool,
                   requires_mentor_approval: bool | None = None, inactive_weeks: int | None = None,
                   requires_sso: bool | None = None, allows_both_sides: bool | None = None) -> None:
    if not (offers_rounds or offers_micro):
        raise ServiceError(_("A program runs cohort rounds, micro-requests, or both."), "kind")
    program.name, program.description = _checked_name(name), description.strip()
    program.offers_rounds, program.offers_micro = offers_rounds, offers_micro
    if requires_mentor_approval is not None:
        program.requires_mentor_approval = bool(requires_mentor_approval)
    if requires_sso is not None:
        program.requires_sso = bool(requires_sso)
    if allows_both_sides is not None:
        program.allows_both_sides = bool(allows_both_sides)
    if inactive_weeks is not None:
        program.inactive_weeks = _checked_weeks(inactive_weeks)
    db.session.commit()


def members(program: Program, role: str | None = None) -> list[Membership]:
    query = db.select(Membership).join(User).where(Membership.program_id == program.id, Membership.current())
    if role:
        query = query.where(Membership.role == role)
    return list(db.session.scalars(query.order_by(User.name)))


def member_counts(program: Program) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Membership.role, func.count()).where(Membership.program_id == program.id, Membership.current())
        .group_by(Membership.role)
    )
    return {"mentee": 0, "mentor": 0} | dict(rows.all())


def program_for_invite(token: str) -> tuple[Program, str] | None:
    """The program and role an invite token is for, or None."""
    program = db.session.scalar(
        db.select(Program).where((Program.mentor_invite == token) | (Program.mentee_invite == token))
    )
    if program is None:
        return None
    return program, "mentor" if program.mentor_invite == token else "mentee"


def _coordinator_account(invited: str) -> str:
    """One whole sentence per role, so that translators can word each their way."""
    return (_("This invitation is for mentors; your account is a coordinator account.") if invited == "mentor"
            else _("This invitation is for mentees; your account is a coordinator account."))


def _other_side_taken(invited: str) -> str:
    return (_("You are a mentee in this program already, and it does not let one person be both a mentee and a "
              "mentor. Ask its coordinators if you want to change sides.") if invited == "mentor"
            else _("You are a mentor in this program already, and it does not let one person be both a mentee and a "
                   "mentor. Ask its coordinators if you want to change sides."))


def join(user: User, program: Program, role: str, *, commit: bool = True) -> Membership:
    """`user` takes part in `program` on the `role` side ('mentee' or 'mentor'), with the same
    account whatever side it signed up as; joining again on the same side is a no-op. Refused for
    a coordinator account, after a removal, and on the other side of a program the user is in
    unless the program allows both sides. One membership per side: the unique key
    (program, user, role) holds it when two joins race; the user's row is locked first so that two
    joins on different sides cannot both pass the both-sides check."""
    if user.role == "coordinator":
        raise ServiceError(_coordinator_account(role))
    if role not in SIDES:
        raise ServiceError(_("Choose mentee or mentor."), "role")
    existing = {}
    if user.id is not None:
        # A no-op write on the account's row: the lock it takes (a row lock on PostgreSQL, the
        # write lock on SQLite) queues a parallel join of the same person until this one commits.
        db.session.execute(db.update(User).where(User.id == user.id).values(id=User.id)
                           .execution_options(synchronize_session=False))
        existing = {m.role: m for m in db.session.scalars(
            db.select(Membership).where(Membership.program_id == program.id, Membership.user_id == user.id))}
    membership = existing.get(role)
    if membership is not None and membership.removed_at is not None:
        raise ServiceError(_("A coordinator removed you from this program; ask them if you want to come back."))
    if membership is None:
        if any(side != role for side in existing) and not program.allows_both_sides:
            raise ServiceError(_other_side_taken(role))
        membership = _insert_once(program, user, role)
    if commit:
        db.session.commit()
    return membership


def _insert_once(program: Program, user: User, role: str) -> Membership:
    """The new membership, or the one a parallel join committed first (same program, user, side)."""
    if user.id is None:  # a new account (sign-up): give it its id first
        db.session.flush()
    membership = Membership(program_id=program.id, user_id=user.id, role=role)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:
        membership = db.session.scalar(db.select(Membership).where(
            Membership.program_id == program.id, Membership.user_id == user.id, Membership.role == role))
        if membership is None:
            raise
    return membership


def invite_coordinator(inviter: User, email: str, program: Program | None) -> Invitation:
    invitation = Invitation(email=emails.checked(email), invited_by_id=inviter.id, program=program)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def open_invitation(token: str) -> Invitation | None:
    return db.session.scalar(db.select(Invitation).where(Invitation.token == token, Invitation.used_at.is_(None)))

