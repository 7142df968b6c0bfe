"""Deny by default: every view declares who may use it, and objects come through scoped getters.

The app refuses (500 in development, so the mistake is loud) any endpoint that has no declaration.
Scoped getters answer 404, not 403, for anything that is not yours, so that ids reveal nothing.
"""
from functools import wraps

from flask import abort
from flask_login import current_user

from .extensions import db
from .models import (CheckIn, GoalStep, Membership, MentorProfile, Program, ProgramCoordinator, ProgramInvitation,
                     Term)
from .services import checkins, goal_steps, health, invitations, people


def public(view):
    view.access = "public"
    return view


def roles(*allowed: str):
    """Logged-in users of these roles only; others get 403, anonymous users the login page."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from .extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = tuple(allowed)
        return wrapped

    return decorate


def logged_in(view):
    return roles("mentee", "mentor", "coordinator")(view)


def coordinated_program(program_id: int) -> Program:
    """A program the current coordinator runs, else 404."""
    program = db.session.scalar(
        db.select(Program)
        .join(ProgramCoordinator)
        .where(Program.id == program_id, ProgramCoordinator.user_id == current_user.id)
    )
    if program is None:
        abort(404)
    return program


def own_membership(program_id: int) -> Membership:
    """The current mentee's or mentor's membership in a program, else 404."""
    membership = db.session.scalar(
        db.select(Membership).where(
            Membership.program_id == program_id, Membership.user_id == current_user.id
        )
    )
    if membership is None:
        abort(404)
    return membership


def program_membership(program: Program, membership_id: int) -> Membership:
    """A member of a program the caller already proved they coordinate, else 404."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.program_id != program.id:
        abort(404)
    return membership


def program_mentor_profile(program: Program, membership_id: int) -> MentorProfile:
    """A mentor's profile in a program the caller already proved they coordinate, else 404."""
    profile = health.mentor_in(program, membership_id)
    if profile is None:
        abort(404)
    return profile


def program_term(program: Program, term_id: int) -> Term:
    """A topic or affinity group of a program the caller already proved they coordinate, else 404."""
    term = people.term_of_program(program, term_id)
    if term is None:
        abort(404)
    return term


def own_invitation(token: str) -> ProgramInvitation:
    """The current user's own pending program invitation, else 404."""
    invitation = invitations.invitation_for(current_user, token)
    if invitation is None:
        abort(404)
    return invitation


def own_checkin(checkin_id: int) -> CheckIn:
    """The current mentee's or mentor's own check-in, else 404."""
    checkin = checkins.checkin_of(current_user, checkin_id)
    if checkin is None:
        abort(404)
    return checkin


def own_step(step_id: int) -> GoalStep:
    """The current mentee's own goal step, else 404."""
    step = goal_steps.step_of(current_user, step_id)
    if step is None:
        abort(404)
    return step


# -- programs and people: their scoped getters go above this line ------------------------------


# -- answerable items (pairings, micro-requests): their scoped getters go above this line ------


# -- rounds: their scoped getters go above this line -------------------------------------------
