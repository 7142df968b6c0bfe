"""Fairness across rounds and continuity, read from the database.

What the matching core already knows (mentee `priority` and `must_match`, `continuing` pairs with
`rules.continuity_bonus` / `rules.max_continued_per_mentor`) is looked up here; instance.build_round_data
stays the one adapter and puts it into the Instance. The coverage/quality choice is in objectives.py.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

from ...core import clock
from ...extensions import db
from ...models import (
    SEAT_STATES,
    CheckIn,
    ContinueWish,
    Membership,
    MenteePriority,
    MicroRequest,
    Pairing,
    Program,
    User,
)
from ...models.rounds import Round, RunUnmatched
from .. import ServiceError

MAX_BONUS = 50
MAX_NOTE = 300
CONTINUE_STATES = ("accepted", "active", "completed")


# ---------------------------------------------------------------- carried over and priorities

def previous_round(round_: Round) -> Round | None:
    """The latest published mentor round of the program before this one."""
    # Only mentor rounds: someone left out of a peer circle was not left without a mentor.
    return db.session.scalar(db.select(Round).where(
        Round.program_id == round_.program_id, Round.id < round_.id, Round.state.in_(("approved", "closed")),
        Round.kind == "mentor")
        .order_by(Round.id.desc()).limit(1))


def carried_over(round_: Round) -> list[int]:
    """Mentees left without a mentor by the previous round (never matched, or their proposal was
    declined or expired) who still hold no live pairing."""
    prev = previous_round(round_)
    if prev is None:
        return []
    left = set()
    if prev.approved_run_id:
        left |= set(db.session.scalars(db.select(RunUnmatched.mentee_membership_id).where(
            RunUnmatched.run_id == prev.approved_run_id)))
    left |= set(db.session.scalars(db.select(Pairing.mentee_membership_id).where(
        Pairing.round_id == prev.id, Pairing.state.in_(("declined", "expired")))))
    seated = set(db.session.scalars(db.select(Pairing.mentee_membership_id).where(
        Pairing.program_id == round_.program_id, Pairing.state.in_(SEAT_STATES))))
    return sorted(left - seated)


def priorities(round_: Round, mentee_ids: list[int]) -> dict[int, tuple[int, bool]]:
    """Membership id -> (score bonus, must match), for mentees whose settings are not neutral."""
    rules = round_.rules or {}
    carry_bonus, carry_must = int(rules.get("carry_bonus") or 0), bool(rules.get("carry_must_match"))
    carried = set(carried_over(round_)) if (carry_bonus or carry_must) else set()
    own = {p.membership_id: p for p in db.session.scalars(
        db.select(MenteePriority).where(MenteePriority.membership_id.in_(mentee_ids)))} if mentee_ids else {}
    out = {}
    for mid in mentee_ids:
        bonus = (carry_bonus if mid in carried else 0) + (own[mid].bonus if mid in own else 0)
        must = (carry_must and mid in carried) or (mid in own and own[mid].must_match)
        if bonus or must:
            out[mid] = (bonus, must)
    return out


def priority_of(membership_id: int) -> MenteePriority | None:
    return db.session.get(MenteePriority, membership_id)


def set_priority(program: Program, mentee: Membership, coordinator: User, *, bonus: int, must_match: bool,
                 note: str) -> MenteePriority:
    if mentee.program_id != program.id or mentee.role != "mentee":
        raise ServiceError(_("Only a mentee of this program can be given a priority."))
    if bonus is None or not -MAX_BONUS <= int(bonus) <= MAX_BONUS:
        raise ServiceError(_("Between -%(max)s and %(max)s points.", max=MAX_BONUS), "bonus")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ServiceError(_("Keep the note under %(num)s characters.", num=MAX_NOTE), "note")
    row = db.session.get(MenteePriority, mentee.id)
    if row is None:
        row = MenteePriority(membership_id=mentee.id)
        db.session.add(row)
    row.bonus, row.must_match, row.note, row.set_by_id = int(bonus), bool(must_match), note, coordinator.id
    db.session.commit()
    return row


def signals(program: Program) -> dict[int, list[str]]:
    """Why a coordinator might lower a mentee's priority: questions they left unanswered, low
    check-ins from their mentor (missed meetings show up there)."""
    out: dict[int, list[str]] = {}
    late = clock.now() - timedelta(days=7)
    for model, what in ((Pairing, "proposal"), (MicroRequest, "request")):
        for mid, n in db.session.execute(
                db.select(model.mentee_membership_id, db.func.count()).where(
                    model.program_id == program.id, model.state == "info_requested", model.info_asked_at < late)
                .group_by(model.mentee_membership_id)):
            out.setdefault(mid, []).append(
                ngettext("left a mentor's question unanswered for a week (%(num)d proposal)",
                         "left a mentor's question unanswered for a week (%(num)d proposals)", n) if what == "proposal"
                else ngettext("left a mentor's question unanswered for a week (%(num)d request)",
                              "left a mentor's question unanswered for a week (%(num)d requests)", n))
    low = db.session.execute(
        db.select(Pairing.mentee_membership_id, db.func.count()).join(CheckIn, CheckIn.pairing_id == Pairing.id)
        .where(Pairing.program_id == program.id, CheckIn.membership_id == Pairing.mentor_membership_id,
               CheckIn.score <= 2).group_by(Pairing.mentee_membership_id))
    for mid, n in low:
        out.setdefault(mid, []).append(ngettext("their mentor rated the pairing 2 or lower (%(num)d check-in)",
                                                "their mentor rated the pairing 2 or lower (%(num)d check-ins)", n))
    return out


def fairness_rows(round_: Round, pool: list[int]) -> list[dict]:
    """Every mentee the coordinator may want to act on: carried over, flagged, or already set."""
    carried = set(carried_over(round_))
    flags = signals(round_.program)
    own = {p.membership_id: p for p in db.session.scalars(db.select(MenteePriority).join(
        Membership, Membership.id == MenteePriority.membership_id).where(Membership.program_id == round_.program_id))}
    ids = sorted(carried | set(flags) | set(own))
    names = dict(db.session.execute(db.select(Membership.id, User.name).join(User, User.id == Membership.user_id)
                                    .where(Membership.id.in_(ids))).all()) if ids else {}
    rows = [{"id": mid, "name": names.get(mid, ""), "carried": mid in carried, "in_pool": mid in set(pool),
             "signals": flags.get(mid, []), "priority": own.get(mid)} for mid in ids]
    rows.sort(key=lambda r: (not r["carried"], r["name"]))
    return rows


# ---------------------------------------------------------------- continuity

def can_wish(pairing: Pairing) -> bool:
    return pairing.round_id is not None and pairing.state in CONTINUE_STATES


def set_wish(pairing: Pairing, user: User, wants: bool) -> ContinueWish:
    """One side of a round pairing says whether to keep the pair next round."""
    side = next((m for m in (pairing.mentee, pairing.mentor) if m is not None and m.user_id == user.id), None)
    if side is None:
        raise ServiceError(_("Only the mentor or the mentee of this pairing can say that."))
    if not can_wish(pairing):
        raise ServiceError(_("Only a current or finished round pairing can be continued."))
    wish = db.session.scalar(db.select(ContinueWish).where(ContinueWish.pairing_id == pairing.id,
                                                           ContinueWish.membership_id == side.id))
    if wish is None:
        wish = ContinueWish(pairing_id=pairing.id, membership_id=side.id)
        db.session.add(wish)
    wish.wants, wish.at = bool(wants), clock.now()
    db.session.commit()
    return wish


def wishes_of(pairing_ids: list[int]) -> dict[tuple[int, int], bool]:
    """(pairing id, membership id) -> wants."""
    if not pairing_ids:
        return {}
    return {(w.pairing_id, w.membership_id): w.wants for w in db.session.scalars(
        db.select(ContinueWish).where(ContinueWish.pairing_id.in_(pairing_ids)))}


def continuing_pairs(round_: Round) -> list[tuple[int, int]]:
    """(mentee, mentor) of earlier-round pairings where both sides said "continue"."""
    rows = db.session.execute(
        db.select(Pairing.id, Pairing.mentee_membership_id, Pairing.mentor_membership_id).where(
            Pairing.program_id == round_.program_id, Pairing.round_id.is_not(None), Pairing.round_id != round_.id,
            Pairing.state.in_(CONTINUE_STATES))).all()
    wishes = wishes_of([r.id for r in rows])
    both = {(e, m) for pid, e, m in rows if wishes.get((pid, e)) and wishes.get((pid, m))}
    return sorted(both)


def continuing_names(round_: Round) -> list[tuple[str, str]]:
    pairs = continuing_pairs(round_)
    ids = {x for p in pairs for x in p}
    names = dict(db.session.execute(db.select(Membership.id, User.name).join(User, User.id == Membership.user_id)
                                    .where(Membership.id.in_(ids))).all()) if ids else {}
    return [(names.get(e, ""), names.get(m, "")) for e, m in pairs]
