"""Goal steps: the mentee breaks the near-term goal into steps and ticks them off; their
current mentors see the progress on the mentee's page."""
from __future__ import annotations

from flask_babel import gettext as _

from ..core import clock
from ..extensions import db
from ..models import GoalForm, GoalStep, Membership, User
from . import ServiceError

MAX_STEPS = 20
MAX_TITLE = 200


def steps_of(membership_id: int) -> list[GoalStep]:
    return list(db.session.scalars(db.select(GoalStep).where(GoalStep.membership_id == membership_id)
                                   .order_by(GoalStep.position, GoalStep.id)))


def progress(membership_id: int) -> tuple[int, int]:
    steps = steps_of(membership_id)
    return sum(1 for s in steps if s.done_at is not None), len(steps)


def goal_of(membership_id: int) -> GoalForm | None:
    return db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == membership_id))


def step_of(user: User, step_id: int) -> GoalStep | None:
    """The current mentee's own step, else None (the route answers 404)."""
    return db.session.scalar(db.select(GoalStep).join(Membership, Membership.id == GoalStep.membership_id)
                             .where(GoalStep.id == step_id, Membership.user_id == user.id, Membership.role == "mentee",
                                    Membership.current()))


def program_of(step: GoalStep) -> int:
    """The id of the program the step's mentee belongs to."""
    return db.session.get(Membership, step.membership_id).program_id


def add(membership: Membership, user: User, title: str) -> GoalStep:
    if membership.user_id != user.id or membership.role != "mentee":
        raise ServiceError(_("Only the mentee can plan their own steps."))
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_("Write the step in a few words."), "title")
    if len(title) > MAX_TITLE:
        raise ServiceError(_("Keep a step under %(max)d characters; split it in two.", max=MAX_TITLE), "title")
    steps = steps_of(membership.id)
    if len(steps) >= MAX_STEPS:
        raise ServiceError(_("%(num)d steps is plenty: tick some off or remove one first.", num=MAX_STEPS), "title")
    step = GoalStep(membership_id=membership.id, title=title,
                    position=(max(s.position for s in steps) + 1) if steps else 1, created_at=clock.now())
    db.session.add(step)
    db.session.commit()
    return step


def toggle(step: GoalStep, user: User, done: bool) -> GoalStep:
    if db.session.get(Membership, step.membership_id).user_id != user.id:
        raise ServiceError(_("Only the mentee can tick off their steps."))
    step.done_at = clock.now() if done else None
    db.session.commit()
    return step


def remove(step: GoalStep, user: User) -> None:
    if db.session.get(Membership, step.membership_id).user_id != user.id:
        raise ServiceError(_("Only the mentee can remove their steps."))
    db.session.delete(step)
    db.session.commit()


def summary(membership_id: int) -> dict:
    """The steps with how many are done: what the mentor's view of a mentee shows."""
    steps = steps_of(membership_id)
    return {"steps": steps, "done": sum(1 for s in steps if s.done_at is not None), "total": len(steps)}
