"""Round create and edit: name, pool, weights and rules (the forms are allowlists, and so is what
is stored), and the coordinator's locks and forbidden pairs. Also the one rule for when a round
can still change (require_editable)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func

from ...extensions import db
from ...models import Membership, MentorProfile, Program, Term, User
from ...models.rounds import Round, RoundConstraint
from .. import ServiceError
from . import events

DEFAULT_WEIGHTS = {"topics": 40, "context": 20, "stage": 25, "tz": 15, "mentor_pref": 0}
WEIGHT_HELP = {
    "topics": _l("How much the mentor's expertise covers the topics the mentee listed (the first one counts most)."),
    "context": _l("Sharing the context the mentee said matters to them: industry, affinity group."),
    "stage": _l("Career stage as the mentee asked: a peer, a few years ahead, or someone senior."),
    "tz": _l("Overlap of working hours, so that meeting is easy."),
    "mentor_pref": _l("How well the mentee fits what the mentor said they prefer (topics they like to mentor, career "
                   "stages); a mentor who stated no preference is content with anyone. 0: mentors' preferences do not count."),
}
DEFAULT_RULES = {"min_score": None, "min_overlap": None, "mentors_per_mentee": 1, "max_same_team": None, "team_by": "industry",
                 "group_balance": False, "balance_slack": 5,
                 # Fairness across rounds and continuity (fairness.py fills the people in).
                 "objective": "coverage", "continuity_bonus": 10, "max_continued_per_mentor": 1,
                 "carry_bonus": 10, "carry_must_match": False,
                 # Micro -> macro: a pair who worked well together on a micro-request (services/ongoing.py).
                 "history_bonus": 10}
TEAM_ATTRIBUTES = ("industry", "location", "background")
# A round's state is stored as a code; people read these.
STATE_NAMES = {"draft": _l("draft"), "solving": _l("solving"), "proposed": _l("proposed"), "approved": _l("approved"),
               "closed": _l("closed")}


def rounds_of(program: Program) -> list[Round]:
    return list(db.session.scalars(db.select(Round).where(Round.program_id == program.id).order_by(Round.id.desc())))


def pool_terms(program: Program) -> list:
    """The program's topics and groups a round's pool can be limited to: (id, kind, name) rows."""
    return list(db.session.execute(db.select(Term.id, Term.kind, Term.name).where(Term.program_id == program.id)
                                   .order_by(Term.kind, Term.name)))


def constraints_of(round_: Round) -> list[RoundConstraint]:
    return list(db.session.scalars(db.select(RoundConstraint).where(RoundConstraint.round_id == round_.id)
                                   .order_by(RoundConstraint.id)))


def clean_settings(*, weights: dict, rules: dict, pool: dict) -> tuple[dict, dict, dict]:
    """Only known keys, in range: forms are allowlists and so is what we store."""
    w = {k: int(weights.get(k, DEFAULT_WEIGHTS[k])) for k in DEFAULT_WEIGHTS}
    if any(v < 0 or v > 100 for v in w.values()):
        raise ServiceError(_("Each weight is between 0 and 100."), "topics")
    if sum(w.values()) == 0:
        raise ServiceError(_("At least one weight must be above 0, or every pair would score the same."), "topics")
    r = dict(DEFAULT_RULES)
    for key in DEFAULT_RULES:
        if key in rules:
            r[key] = rules[key]
    if r["min_score"] is not None and not 0 <= int(r["min_score"]) <= 100:
        raise ServiceError(_("The minimum score is between 0 and 100."), "min_score")
    if r["min_overlap"] is not None and not 0 <= int(r["min_overlap"]) <= 8:
        raise ServiceError(_("The minimum overlap is between 0 and 8 hours."), "min_overlap")
    if not 1 <= int(r["mentors_per_mentee"]) <= 5:
        raise ServiceError(_("A mentee gets between 1 and 5 mentors."), "mentors_per_mentee")
    if r["max_same_team"] is not None and not 1 <= int(r["max_same_team"]) <= 20:
        raise ServiceError(_("Between 1 and 20, or leave it empty for no limit."), "max_same_team")
    if not 0 <= int(r["balance_slack"]) <= 50:
        raise ServiceError(_("The allowed difference is between 0 and 50 points."), "balance_slack")
    if r["objective"] not in ("coverage", "quality"):
        raise ServiceError(_("Choose “most people matched” or “best pairs only”."), "objective")
    if not 0 <= int(r["continuity_bonus"] or 0) <= 50:
        raise ServiceError(_("The continuity bonus is between 0 and 50 points."), "continuity_bonus")
    if r["max_continued_per_mentor"] is not None and not 1 <= int(r["max_continued_per_mentor"]) <= 20:
        raise ServiceError(_("Between 1 and 20, or leave it empty for no cap."), "max_continued_per_mentor")
    if not 0 <= int(r["carry_bonus"] or 0) <= 50:
        raise ServiceError(_("The carry-over bonus is between 0 and 50 points."), "carry_bonus")
    if not 0 <= int(r["history_bonus"] or 0) <= 50:
        raise ServiceError(_("The micro-request bonus is between 0 and 50 points."), "history_bonus")
    r["carry_must_match"] = bool(r["carry_must_match"])
    p = {"unmatched_only": bool(pool.get("unmatched_only")),
         "tag_ids": sorted({int(t) for t in pool.get("tag_ids") or []}),
         "joined_after": pool.get("joined_after") or None, "joined_before": pool.get("joined_before") or None}
    return w, r, p


# ---------------------------------------------------------------- peer and circle rounds (issue 15)

ROUND_KIND_NAMES = {"mentor": _l("Mentor pairs"), "peer": _l("Peer pairs"), "circle": _l("Peer circles")}
PEER_RULES = {"circle_min": 4, "circle_max": 8, "facilitator": False, "peer_overlap": 1}


def mentor_rounds_to_follow(program_id: int, exclude_id: int | None = None) -> list[Round]:
    """Approved (or closed) mentor rounds of the program: a peer round may take only their unmatched mentees."""
    q = db.select(Round).where(Round.program_id == program_id, Round.kind == "mentor",
                               Round.state.in_(("approved", "closed")))
    if exclude_id is not None:
        q = q.where(Round.id != exclude_id)
    return list(db.session.scalars(q.order_by(Round.id.desc())))


def round_named(round_id, program_id: int) -> Round | None:
    """The mentor round a mixed peer round follows (None when it follows none)."""
    if not round_id:
        return None
    return db.session.scalar(db.select(Round).where(Round.id == int(round_id), Round.program_id == program_id))


def clean_peer_settings(program_id: int, kind: str, rules: dict, pool: dict, r: dict, p: dict) -> None:
    """A peer or circle round's own settings, checked and added to the cleaned rules and pool."""
    if kind not in ("peer", "circle"):
        return
    lo = rules.get("circle_min", PEER_RULES["circle_min"])
    hi = rules.get("circle_max", PEER_RULES["circle_max"])
    lo, hi = PEER_RULES["circle_min"] if lo is None else int(lo), PEER_RULES["circle_max"] if hi is None else int(hi)
    if kind == "circle":
        if not 3 <= lo <= 12:
            raise ServiceError(_("A circle has between 3 and 12 people."), "circle_min")
        if not 3 <= hi <= 12:
            raise ServiceError(_("A circle has between 3 and 12 people."), "circle_max")
        if lo > hi:
            raise ServiceError(_("The smallest circle cannot be larger than the largest one."), "circle_min")
    overlap = rules.get("peer_overlap", PEER_RULES["peer_overlap"])
    overlap = PEER_RULES["peer_overlap"] if overlap is None else int(overlap)
    if not 0 <= overlap <= 8:
        raise ServiceError(_("The common working time is between 0 and 8 hours."), "peer_overlap")
    r.update(circle_min=lo, circle_max=hi, facilitator=bool(rules.get("facilitator")) and kind == "circle",
             peer_overlap=overlap)
    after = pool.get("after_round_id")
    if after:
        if int(after) not in {x.id for x in mentor_rounds_to_follow(program_id)}:
            raise ServiceError(_("Choose an approved mentor round of this program."), "after_round_id")
        p["after_round_id"] = int(after)
    else:
        p["after_round_id"] = None


def create_round(program: Program, actor: User, *, name: str, weights: dict, rules: dict, pool: dict,
                 kind: str = "mentor") -> Round:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the round a name."), "name")
    if kind not in ROUND_KIND_NAMES:
        raise ServiceError(_("Choose mentor pairs, peer pairs or peer circles."), "kind")
    w, r, p = clean_settings(weights=weights, rules=rules, pool=pool)
    clean_peer_settings(program.id, kind, rules, pool, r, p)
    round_ = Round(program_id=program.id, name=name, kind=kind, weights=w, rules=r, pool=p, created_by_id=actor.id)
    db.session.add(round_)
    db.session.flush()
    events.record(round_, actor, "create", name=name)
    db.session.commit()
    return round_


def update_settings(round_: Round, actor: User, *, name: str, weights: dict, rules: dict, pool: dict,
                    kind: str | None = None) -> None:
    """Change a round's settings; its kind is chosen when it is created and stays (`kind` is ignored)."""
    require_editable(round_)
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the round a name."), "name")
    w, r, p = clean_settings(weights=weights, rules=rules, pool=pool)
    clean_peer_settings(round_.program_id, round_.kind, rules, pool, r, p)
    changed = {k: v for k, v in (("weights", w), ("rules", r), ("pool", p)) if getattr(round_, k) != v}
    round_.name, round_.weights, round_.rules, round_.pool = name, w, r, p
    events.record(round_, actor, "settings", changed=sorted(changed))
    db.session.commit()


def require_editable(round_: Round) -> None:
    if round_.state == "solving":
        raise ServiceError(_("A run is in progress; wait for it or cancel it first."))
    if not round_.editable:
        raise ServiceError(_("This round is %(state)s; it can no longer be changed.",
                             state=STATE_NAMES.get(round_.state, round_.state)))


# ---------------------------------------------------------------- locks and forbidden pairs

def _member_by_email(program: Program, email: str, role: str, field: str) -> Membership:
    m = db.session.scalar(db.select(Membership).join(User).where(
        Membership.program_id == program.id, func.lower(User.email) == (email or "").strip().lower(), Membership.role == role))
    if m is None:
        raise ServiceError((_("No mentee with this email in this program.") if role == "mentee"
                           else _("No mentor with this email in this program.")), field)
    return m


def add_constraint_by_email(round_: Round, actor: User, *, mentee_email: str, mentor_email: str, kind: str) -> RoundConstraint:
    program = db.session.get(Program, round_.program_id)
    mentee = _member_by_email(program, mentee_email, "mentee", "mentee_email")
    mentor = _member_by_email(program, mentor_email, "mentor", "mentor_email")
    return add_constraint(round_, actor, mentee.id, mentor.id, kind)


def add_constraint(round_: Round, actor: User, mentee_id: int, mentor_id: int, kind: str,
                   commit: bool = True) -> RoundConstraint:
    require_editable(round_)
    if kind not in ("lock", "forbid"):
        raise ServiceError(_("Choose lock or forbid."), "kind")
    existing = db.session.scalar(db.select(RoundConstraint).where(
        RoundConstraint.round_id == round_.id, RoundConstraint.mentee_membership_id == mentee_id,
        RoundConstraint.mentor_membership_id == mentor_id))
    if kind == "lock":
        _check_lock_fits(round_, mentee_id, mentor_id, ignore=existing)
    if existing is not None:
        existing.kind = kind
        c = existing
    else:
        c = RoundConstraint(round_id=round_.id, mentee_membership_id=mentee_id, mentor_membership_id=mentor_id,
                            kind=kind, created_by_id=actor.id)
        db.session.add(c)
    events.record(round_, actor, kind, mentee=mentee_id, mentor=mentor_id)
    if commit:
        db.session.commit()
    return c


def _check_lock_fits(round_: Round, mentee_id: int, mentor_id: int, ignore=None) -> None:
    locks = [c for c in constraints_of(round_) if c.kind == "lock" and c is not ignore]
    per_mentee = int((round_.rules or {}).get("mentors_per_mentee") or 1)
    if sum(c.mentee_membership_id == mentee_id for c in locks) >= per_mentee:
        raise ServiceError(ngettext("This mentee already has %(num)d locked mentor, the most this round allows.",
                                    "This mentee already has %(num)d locked mentors, the most this round allows.", per_mentee))
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_id))
    capacity = profile.capacity_round if profile else 0
    if sum(c.mentor_membership_id == mentor_id for c in locks) >= capacity:
        raise ServiceError(ngettext("This mentor's %(num)d seat is locked already.",
                                    "This mentor's %(num)d seats are all locked already.", capacity))


def remove_constraint(round_: Round, actor: User, constraint: RoundConstraint) -> None:
    require_editable(round_)
    events.record(round_, actor, "un" + constraint.kind, mentee=constraint.mentee_membership_id,
           mentor=constraint.mentor_membership_id)
    db.session.delete(constraint)
    db.session.commit()
