from flask_babel import gettext as _
from sqlalchemy import func

from ..core import emails
from ..extensions import db
from ..models import Invitation, Membership, Program, ProgramCoordinator, User, clean_name
from . import ServiceError


def programs_of_coordinator(user: User) -> list[Program]:
    return list(
        db.session.scalars(
            db.select(Program).join(ProgramCoordinator).where(ProgramCoordinator.user_id == user.id).order_by(Program.name)
        )
    )


def programs_of_member(user: User) -> list[Program]:
    return list(
        db.session.scalars(
            db.select(Program).join(Membership).where(Membership.user_id == user.id, Membership.current()).order_by(Program.name)
        )
    )


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
                   requires_sso: bool = False) -> Program:
    if not (offers_rounds or offers_micro):
        raise ServiceError(_("A program runs cohort rounds, micro-requests, or both."), "kind")
    program = Program(name=_checked_name(name), description=description.strip(), offers_rounds=offers_rounds, offers_micro=offers_micro,
                      requires_mentor_approval=bool(requires_mentor_approval), requires_sso=bool(requires_sso))
    if inactive_weeks is not None:
        program.inactive_weeks = _checked_weeks(inactive_weeks)
    program.coordinators.append(ProgramCoordinator(user=coordinator))
    db.session.add(program)
    db.session.commit()
    return program


def update_program(program: Program, *, name: str, description: str, offers_rounds: bool, offers_micro: bool,
                   requires_mentor_approval: bool | None = None, inactive_weeks: int | None = None,
                   requires_sso: bool | None = None) -> None:
    if not (offers_rounds or offers_micro):
        raise ServiceError(_("A program runs cohort rounds, micro-requests, or both."), "kind")
    program.name, program.description = _checked_name(name), description.strip()
    program.offers_rounds, program.offers_micro = offers_rounds, offers_micro
    if requires_mentor_approval is not None:
        program.requires_mentor_approval = bool(requires_mentor_approval)
    if requires_sso is not None:
        program.requires_sso = bool(requires_sso)
    if inactive_weeks is not None:
        program.inactive_weeks = _checked_weeks(inactive_weeks)
    db.session.commit()


def members(program: Program, role: str | None = None) -> list[Membership]:
    query = db.select(Membership).join(User).where(Membership.program_id == program.id, Membership.current())
    if role:
        query = query.where(User.role == role)
    return list(db.session.scalars(query.order_by(User.name)))


def member_counts(program: Program) -> dict[str, int]:
    rows = db.session.execute(
        db.select(User.role, func.count()).join(Membership).where(Membership.program_id == program.id, Membership.current()).group_by(User.role)
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


def _wrong_account(invited: str, account: str) -> str:
    """One whole sentence per pair of roles, so that translators can word each their way."""
    if invited == "mentor":
        return (_("This invitation is for mentors; your account is a coordinator account.") if account == "coordinator"
                else _("This invitation is for mentors; your account is a mentee account."))
    return (_("This invitation is for mentees; your account is a coordinator account.") if account == "coordinator"
            else _("This invitation is for mentees; your account is a mentor account."))


def join(user: User, program: Program, role: str, *, commit: bool = True) -> Membership:
    if user.role != role:
        raise ServiceError(_wrong_account(role, user.role))
    membership = db.session.scalar(
        db.select(Membership).where(Membership.program_id == program.id, Membership.user_id == user.id)
    )
    if membership is not None and membership.removed_at is not None:
        raise ServiceError(_("A coordinator removed you from this program; ask them if you want to come back."))
    if membership is None:
        membership = Membership(program=program, user=user)
        db.session.add(membership)
    if commit:
        db.session.commit()
    return membership


def invite_coordinator(inviter: User, email: str, program: Program | None) -> Invitation:
    invitation = Invitation(email=emails.checked(email), invited_by_id=inviter.id, program=program)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def open_invitation(token: str) -> Invitation | None:
    return db.session.scalar(db.select(Invitation).where(Invitation.token == token, Invitation.used_at.is_(None)))

