"""The coordinator's view of a program's people: who has filled in their form or profile."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ...extensions import db
from ...models import GoalForm, Membership, MentorProfile, Program, User
from .goal_forms import GOAL_FIELDS, goal_completeness, values_of
from .profiles import availability_label, seats_label, seats_taken


@dataclass
class PersonRow:
    membership: Membership
    role: str
    status: str          # complete | missing
    detail: str


def people_status(program: Program, today: date) -> list[PersonRow]:
    rows = db.session.execute(
        db.select(Membership, Membership.role, GoalForm, MentorProfile)
        .join(User, Membership.user_id == User.id)
        .outerjoin(GoalForm, GoalForm.membership_id == Membership.id)
        .outerjoin(MentorProfile, MentorProfile.membership_id == Membership.id)
        .where(Membership.program_id == program.id, Membership.current())
        .order_by(Membership.role, User.name)
    ).all()
    people = []
    for membership, role, goal, profile in rows:
        if role == "mentee":
            done = goal is not None and goal.submitted_at is not None
            detail = (_("%(percent)s%% filled in", percent=goal_completeness(values_of(goal, GOAL_FIELDS)).percent)
                      if goal else _("Not started"))
        else:
            done = profile is not None
            detail = (f"{seats_label(seats_taken(membership.id), profile.capacity_round)} · "
                      f"{availability_label(profile, today)}") if profile else _("Not started")
        people.append(PersonRow(membership, role, "complete" if done else "missing", detail))
    return people
