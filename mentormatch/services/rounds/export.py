"""A round's pairs as CSV, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io

from ...extensions import db
from ...models import Membership, User
from ...models.rounds import RunPair, SolveRun

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
