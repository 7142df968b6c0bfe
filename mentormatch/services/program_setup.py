"""What a new program has set up and what is missing, in the order a coordinator should do it:
topics first (people pick from them on their forms), then the links, then the first round."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func

from ..extensions import db
from ..models import GoalForm, Membership, MentorProfile, Program, Term, User
from ..models.rounds import Round


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    status: str   # what is there, or what is missing, in a few words
    endpoint: str | None = None




def checklist(program: Program) -> list[Step]:
    """The set-up steps of one program, each done or not (a handful of COUNT queries)."""
    topics = db.session.scalar(db.select(func.count(Term.id)).where(Term.program_id == program.id,
                                                                   Term.kind == "topic")) or 0
    people = dict(db.session.execute(
        db.select(Membership.role, func.count(Membership.id)).join(User, User.id == Membership.user_id)
        .where(Membership.program_id == program.id, Membership.current()).group_by(Membership.role)).all())
    profiles, seats = db.session.execute(
        db.select(func.count(MentorProfile.membership_id), func.coalesce(func.sum(MentorProfile.capacity_round), 0))
        .join(Membership, Membership.id == MentorProfile.membership_id)
        .where(Membership.program_id == program.id, Membership.current())).one()
    forms = db.session.scalar(
        db.select(func.count(GoalForm.membership_id)).join(Membership, Membership.id == GoalForm.membership_id)
        .where(Membership.program_id == program.id, Membership.current())) or 0
    mentors, mentees = people.get("mentor", 0), people.get("mentee", 0)
    steps = [
        Step("topics", _("Topics people can pick"), topics > 0,
             ngettext("%(num)d topic", "%(num)d topics", topics) if topics
             else _("missing: add a few before you share the links"),
             "coordinator.topics"),
        Step("mentors", _("Mentors invited"), mentors > 0,
             ngettext("%(num)d mentor", "%(num)d mentors", mentors) if mentors else _("missing: share the mentor link")),
        Step("profiles", _("Mentor profiles with seats"), profiles > 0 and seats > 0,
             (_("%(profiles)s, %(seats)s a round", profiles=ngettext("%(num)d profile", "%(num)d profiles", profiles),
                seats=ngettext("%(num)d seat", "%(num)d seats", seats)) if profiles
              else _("missing: mentors fill in their profile after joining"))),
        Step("mentees", _("Mentees invited"), mentees > 0,
             ngettext("%(num)d mentee", "%(num)d mentees", mentees) if mentees else _("missing: share the mentee link")),
        Step("forms", _("Goal forms completed"), forms > 0,
             ngettext("%(num)d goal form", "%(num)d goal forms", forms) if forms
             else _("missing: mentees fill in their goal form after joining")),
    ]
    if program.offers_rounds:
        rounds = db.session.scalar(db.select(func.count(Round.id)).where(Round.program_id == program.id)) or 0
        steps.append(Step("round", _("First match round"), rounds > 0,
                          ngettext("%(num)d round", "%(num)d rounds", rounds) if rounds
                          else _("not yet: run one once forms and seats are in"),
                          "rounds.index"))
    return steps
