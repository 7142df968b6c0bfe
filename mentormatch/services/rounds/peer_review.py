"""Reviewing and approving a peer or circle round: the same flow as a mentor round (run, review,
lock, forbid, re-run, approve), on groups instead of pairs.

Lock keeps a group as it is in every re-run (peer_instance.locked_groups); forbid records a
RoundConstraint 'forbid' between two members (the mentee and mentor columns hold the two people,
lower membership id first) and dissolves the group in this proposal. Approve turns every group of
the proposal into a Circle (kind 'pair' or 'circle') with its members in one transaction, only if
the round is still 'proposed' (a conditional UPDATE, so two approvals publish once), and mails each
member in their own language.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, update
from werkzeug.routing import BuildError

from ...core import links, outbox
from ...extensions import db
from ...models import Circle, CircleMember, Membership, Program, User, utcnow
from ...models.rounds import Round, RunGroup, RunGroupMember, RunUnmatched, SolveRun
from .. import ServiceError
from ..why import GROUP_FORBIDDEN
from . import events
from .runs import lock_run, proposal_run
from .settings import add_constraint, require_editable

GROUPS_SHOWN = 200


def groups_of(run: SolveRun, limit: int = GROUPS_SHOWN) -> list[RunGroup]:
    return list(db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == run.id)
                                   .order_by(RunGroup.locked.desc(), RunGroup.score.desc(), RunGroup.id).limit(limit)))


def why_empty(round_: Round, run: SolveRun | None) -> list[str]:
    """Why a peer or circle run proposes no group, in words a coordinator can act on."""
    if run is None or run.status != "done" or run.pair_count:
        return []
    if run.mentee_count < 2:
        return [_("Fewer than two mentees are in this round: peers need goal forms to be matched. Share the mentee "
                  "link from the program page, or widen the round's pool in its settings.")]
    if round_.kind == "circle":
        return [_("No circle could be formed: the list below says why each person was not placed. Smaller circles, "
                  "a shorter common working time or no facilitator may help.")]
    return [_("Nobody could be paired: the list below says why each person has no peer.")]


def _hold_editable(round_: Round, group: RunGroup) -> None:
    """Hold the proposal's run row (as approve does first), then check the round is still editable:
    an edit racing an approval either lands before it or is refused, never after it."""
    require_editable(round_)
    lock_run(group.run_id)
    db.session.refresh(round_)
    require_editable(round_)


def set_group_lock(round_: Round, actor: User, group: RunGroup, locked: bool) -> None:
    """Lock: the group stays as it is in every re-run. Unlock: the next run may change it."""
    _hold_editable(round_, group)
    group.locked = locked
    events.record(round_, actor, "lock" if locked else "unlock", group=group.id,
                  members=[m.membership_id for m in group.members])
    db.session.commit()


def forbid_in_group(round_: Round, actor: User, group: RunGroup, first_id: int, second_id: int) -> None:
    """Never put these two members together again; their group leaves this proposal."""
    _hold_editable(round_, group)
    members = {m.membership_id: m for m in group.members}
    if first_id not in members:
        raise ServiceError(_("Choose a member of this group."), "first")
    if second_id not in members:
        raise ServiceError(_("Choose a member of this group."), "second")
    if first_id == second_id:
        raise ServiceError(_("Choose two different people."), "second")
    a, b = sorted((first_id, second_id))
    add_constraint(round_, actor, a, b, "forbid", commit=False)
    run = db.session.get(SolveRun, group.run_id)
    db.session.execute(db.insert(RunUnmatched), [
        {"run_id": run.id, "mentee_membership_id": m.membership_id, "mentee_name": m.name,
         "reasons": [["forbidden", {}]], "sentence": GROUP_FORBIDDEN, "help": ""} for m in group.members])
    db.session.delete(group)
    db.session.flush()
    _refresh(run)
    db.session.commit()


def _refresh(run: SolveRun) -> None:
    rows = db.session.execute(db.select(RunGroup.id, RunGroup.score).where(RunGroup.run_id == run.id)).all()
    run.pair_count = len(rows)
    run.total_score = sum(s for _, s in rows)
    run.matched_count = db.session.scalar(
        db.select(func.count(func.distinct(RunGroupMember.membership_id))).join(RunGroup)
        .where(RunGroup.run_id == run.id)) or 0
    run.unmatched_count = db.session.scalar(db.select(func.count()).select_from(RunUnmatched)
                                            .where(RunUnmatched.run_id == run.id)) or 0
    run.charts = {**(run.charts or {}), "edited": True}


def approve_groups(round_: Round, actor: User) -> int:
    """Publish the proposal once: a Circle per group, members told, round frozen. Returns groups published."""
    run = proposal_run(round_)
    if run is None:
        raise ServiceError(_("Run the round before approving it."))
    empty = why_empty(round_, run)
    if empty:
        raise ServiceError(_("Nothing to approve. %(reason)s", reason=empty[0]))
    lock_run(run.id)  # a lock or forbid in flight finishes first
    moved = db.session.execute(
        update(Round).where(Round.id == round_.id, Round.state == "proposed")
        .values(state="approved", approved_by_id=actor.id, approved_at=utcnow(), approved_run_id=run.id)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("This round was already approved (or is not ready to approve)."))
    kind = "pair" if round_.kind == "peer" else "circle"
    circles = []
    for group in db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == run.id).order_by(RunGroup.id)):
        circle = Circle(program_id=round_.program_id, round_id=round_.id, kind=kind,
                        name=", ".join(m.name for m in group.members)[:120], sentence_parts=group.sentence_parts,
                        members=[CircleMember(membership_id=m.membership_id, facilitator=m.facilitator)
                                 for m in group.members])
        db.session.add(circle)
        circles.append((circle, group.sentence))
    db.session.flush()
    events.record(round_, actor, "approve", run=run.id, groups=len(circles))
    _notify(round_, circles)
    db.session.commit()
    db.session.refresh(round_)
    return len(circles)


def circles_of(round_: Round) -> list[Circle]:
    """The groups an approved peer or circle round formed."""
    return list(db.session.scalars(db.select(Circle).where(Circle.round_id == round_.id).order_by(Circle.id)))


def circle_link(circle_id: int) -> str | None:
    """The group's page, once the circles blueprint exists (circles.show); None before."""
    if "circles.show" not in current_app.view_functions:
        return None
    try:
        return links.link("circles.show", circle_id=circle_id)
    except BuildError:
        return None


def _notify(round_: Round, circles: list[tuple[Circle, str]]) -> None:
    """One email per member (templates/email/circle_formed.txt), in their own language."""
    ids = {m.membership_id for c, _ in circles for m in c.members}
    people = {}
    for chunk in [sorted(ids)[i:i + 500] for i in range(0, len(ids), 500)]:
        for mid, name, email, locale in db.session.execute(
                db.select(Membership.id, User.name, User.email, User.locale).join(User).where(Membership.id.in_(chunk))):
            people[mid] = (name, email, locale)
    program = db.session.get(Program, round_.program_id)
    messages = []
    for c, sentence in circles:
        link = circle_link(c.id)
        why = {"sentence": sentence, "sentence_parts": c.sentence_parts}
        for m in c.members:
            name, email, locale = people[m.membership_id]
            others = [(people[o.membership_id][0], o.facilitator) for o in c.members if o is not m]
            messages.append((email, outbox.render(
                "circle_formed", locale=locale, name=name, program_name=program.name, kind=c.kind,
                others=others, facilitator=m.facilitator, why=why, link=link)))
    outbox.send_many(messages, program_id=round_.program_id)
