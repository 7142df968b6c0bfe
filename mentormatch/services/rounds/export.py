"""A round's pairs (or a peer round's groups) as CSV, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io

from ...extensions import db
from ...models import Membership, User
from ...models.rounds import RunGroup, RunGroupMember, RunPair, SolveRun
from .. import why

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet must never run a cell: text starting like a formula gets a leading ', also
    behind leading spaces or line breaks (some spreadsheets trim them on import)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) or text.lstrip(" \n").startswith(FORMULA_START) else text


def export_csv(run: SolveRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["mentee", "mentee_email", "mentor", "mentor_email", "score", "locked", "why"])
    mentee_u, mentor_u = db.aliased(User), db.aliased(User)
    mentee_m, mentor_m = db.aliased(Membership), db.aliased(Membership)
    q = (db.select(RunPair, mentee_u.email, mentor_u.email)
         .join(mentee_m, mentee_m.id == RunPair.mentee_membership_id).join(mentee_u, mentee_u.id == mentee_m.user_id)
         .join(mentor_m, mentor_m.id == RunPair.mentor_membership_id).join(mentor_u, mentor_u.id == mentor_m.user_id)
         .where(RunPair.run_id == run.id).order_by(RunPair.mentee_name, RunPair.id))
    for p, e_email, m_email in db.session.execute(q):
        writer.writerow([safe_cell(x) for x in (p.mentee_name, e_email, p.mentor_name, m_email, p.score,
                                                "yes" if p.locked else "", p.sentence)])
    return out.getvalue()


def export_groups_csv(run: SolveRun) -> str:
    """A peer or circle round's groups: a row per person, with their group's number, fit and why
    (by name, in the coordinator's language, as on the review page)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "size", "score", "locked", "person", "email", "facilitator", "why"])
    groups = db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == run.id)
                                .order_by(RunGroup.score.desc(), RunGroup.id)).all()
    emails = dict(db.session.execute(
        db.select(RunGroupMember.id, User.email).join(RunGroup, RunGroup.id == RunGroupMember.group_id)
        .join(Membership, Membership.id == RunGroupMember.membership_id).join(User, User.id == Membership.user_id)
        .where(RunGroup.run_id == run.id)).all())
    for number, group in enumerate(groups, start=1):
        reason = why.group_text(group)  # once per group, not per member
        for m in sorted(group.members, key=lambda m: (not m.facilitator, m.name, m.id)):
            writer.writerow([safe_cell(x) for x in (number, len(group.members), group.score, "yes" if group.locked else "",
                                                    m.name, emails.get(m.id, ""), "yes" if m.facilitator else "",
                                                    reason)])
    return out.getvalue()
