"""Publishing a round: approve the proposal (pairings proposed, people told, the round frozen),
close it, and repair it after declines (a small re-solve for the freed mentees, proposed at once)."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import update

from ... import matching
from ...core import answer_links, outbox
from ...extensions import db
from ...models import SEAT_STATES, Membership, Pairing, Program, User, utcnow
from ...models.rounds import Round, RunPair, SolveRun
from .. import ServiceError
from ..people import goal_forms
from . import events
from .instance import build_round_data
from .results import store_result
from .review import why_empty
from .runs import lock_run, proposal_run


def approve_round(round_: Round, actor: User) -> int:
    """Publish the proposal once: pairings proposed, round frozen, people told. Returns pairs published."""
    run = proposal_run(round_)
    if run is None:
        raise ServiceError(_("Run the round before approving it."))
    empty = why_empty(run)
    if empty:
        raise ServiceError(_("Nothing to approve. %(reason)s", reason=empty[0]))
    lock_run(run.id)  # a swap in flight finishes first, and publishes with the pairs
    # The conditional UPDATE is the lock: of two concurrent approvals, one moves the row.
    moved = db.session.execute(
        update(Round).where(Round.id == round_.id, Round.state == "proposed")
        .values(state="approved", approved_by_id=actor.id, approved_at=utcnow(), approved_run_id=run.id)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("This round was already approved (or is not ready to approve)."))
    rows = _propose_run_pairs(round_, run)
    events.record(round_, actor, "approve", run=run.id, pairs=len(rows))
    db.session.refresh(round_)
    _notify_pairs(round_, [(e, m) for e, m, *_ in rows])
    db.session.commit()
    return len(rows)


def _notify_pairs(round_: Round, pairs: list[tuple[int, int]]) -> None:
    """One email per person (templates/email/round_proposal_*.txt), all in one INSERT: mentors get the
    list of their proposed mentees with answer links, mentees their mentor(s)."""
    if not pairs:
        return
    ids = {x for p in pairs for x in p}
    people = {}
    for chunk in [list(ids)[i:i + 500] for i in range(0, len(ids), 500)]:
        for mid, name, email, locale in db.session.execute(
                db.select(Membership.id, User.name, User.email, User.locale).join(User)
                .where(Membership.id.in_(chunk))):
            people[mid] = (name, email, locale)
    program = db.session.get(Program, round_.program_id)
    by_mentor, by_mentee = defaultdict(list), defaultdict(list)
    for e, m in pairs:
        by_mentor[m].append(e)
        by_mentee[e].append(m)
    pairing_ids, whys = {}, {}
    for pid, e, m, sentence, parts in db.session.execute(
            db.select(Pairing.id, Pairing.mentee_membership_id, Pairing.mentor_membership_id, Pairing.sentence,
                      Pairing.sentence_parts).where(Pairing.round_id == round_.id, Pairing.state == "proposed")):
        pairing_ids[(e, m)] = pid
        whys[(e, m)] = {"sentence": sentence, "sentence_parts": parts}  # rendered in the mentor's language
    mentor_users = {mid: user for mid, user in db.session.execute(
        db.select(Membership.id, User).join(User, User.id == Membership.user_id)
        .where(Membership.id.in_(list(by_mentor))))}
    # The short version of each mentee's goals (what they want, their power question) for the mentor to read.
    goals = {}
    mentee_ids = list(by_mentee)
    for chunk in [mentee_ids[i:i + 500] for i in range(0, len(mentee_ids), 500)]:
        goals.update(goal_forms.submitted_goals(chunk))
    messages, days = [], answer_links.link_days()
    for m, mentees in by_mentor.items():
        # One set of answer links per proposed mentee: each link is bound to this mentor and that pairing.
        links = [(people[e][0], answer_links.link_list(mentor_users[m], "pairing", pairing_ids[(e, m)]))
                 for e in mentees if (e, m) in pairing_ids and m in mentor_users]
        messages.append((people[m][1], outbox.render(
            "round_proposal_mentor", locale=people[m][2], name=people[m][0], program_name=program.name,
            mentees=[people[e][0] for e in mentees], answer_links=links, link_days=days,
            whys=[(people[e][0], whys[(e, m)]) for e in mentees if whys.get((e, m), {}).get("sentence")],
            goals=[(people[e][0], goal_forms.short_goal(goals.get(e))) for e in mentees])))
    for e, mentors in by_mentee.items():
        messages.append((people[e][1], outbox.render(
            "round_proposal_mentee", locale=people[e][2], name=people[e][0], program_name=program.name,
            mentors=[people[m][0] for m in mentors])))
    outbox.send_many(messages, program_id=round_.program_id)


def close_round(round_: Round, actor: User) -> None:
    moved = db.session.execute(update(Round).where(Round.id == round_.id, Round.state == "approved")
                               .values(state="closed").execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("Only an approved round can be closed."))
    events.record(round_, actor, "close")
    db.session.commit()
    db.session.refresh(round_)


def freed_mentees(round_: Round) -> list[int]:
    """Mentees of this round whose proposal was declined and who hold no other live pairing."""
    declined = {e for (e,) in db.session.execute(db.select(Pairing.mentee_membership_id).where(
        Pairing.round_id == round_.id, Pairing.state == "declined"))}
    seated = {e for (e,) in db.session.execute(db.select(Pairing.mentee_membership_id).where(
        Pairing.program_id == round_.program_id, Pairing.state.in_(SEAT_STATES)))}
    return sorted(declined - seated)


def repair_round(round_: Round, actor: User) -> SolveRun:
    """Re-solve for mentees freed by declines, every other pair fixed, and propose the new pairs.

    Runs in the request: the freed mentees are few, and a coordinator repairing wants the answer.
    Every live pairing keeps its mentor's seat (seats are counted from Pairing rows), and the
    declined pairs are forbidden, so nobody is offered the same mentor twice.
    """
    if round_.state != "approved":
        raise ServiceError(_("Only an approved round can be repaired."))
    freed = freed_mentees(round_)
    if not freed:
        raise ServiceError(_("No declined proposals are waiting for a new mentor."))
    run = SolveRun(round_id=round_.id, kind="repair", status="running", phase="loading", started_at=utcnow(),
                   weights=dict(round_.weights or {}), rules=dict(round_.rules or {}), created_by_id=actor.id)
    db.session.add(run)
    db.session.flush()
    data = build_round_data(round_, mentee_ids=freed, exclude_round_seats=False)
    result = matching.solve(data.instance)
    store_result(run, data, result)
    run.status, run.phase, run.finished_at = "done", "done", utcnow()
    rows = _propose_run_pairs(round_, run)
    events.record(round_, actor, "repair", run=run.id, freed=len(freed), pairs=len(rows))
    _notify_pairs(round_, [(e, m) for e, m, *_ in rows])
    db.session.commit()
    return run


def _propose_run_pairs(round_: Round, run: SolveRun) -> list:
    """The run's pairs become proposed pairings (one multi-row INSERT); returns the run's rows."""
    rows = db.session.execute(db.select(RunPair.mentee_membership_id, RunPair.mentor_membership_id, RunPair.score,
                                        RunPair.why, RunPair.sentence, RunPair.sentence_parts)
                             .where(RunPair.run_id == run.id)).all()
    now = utcnow()
    if rows:
        db.session.execute(db.insert(Pairing), [
            {"program_id": round_.program_id, "round_id": round_.id, "mentee_membership_id": e,
             "mentor_membership_id": m, "state": "proposed", "score": s, "why": why or {}, "sentence": sentence or "",
             "sentence_parts": parts, "proposed_at": now} for e, m, s, why, sentence, parts in rows])
    return rows
