"""The mentor directory a mentee browses to send a micro-request.

"Best match" (the directory's default order) uses the matching core's own score (the same one rounds use), through a
small adapter from our rows to the core's dataclasses; so the why shown here is the why a round
would give. Mentors who are off, away, or out of monthly capacity are left out until next month.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Row

from ..core import clock, reference
from ..extensions import db
from ..matching import Instance, Mentee, Mentor, candidates
from ..models import GoalForm, Membership, MentorProfile, MicroRequest, Term, User
from .asks import reputation
from .meetings import mentees_met
from .mentor_approval import unapproved_mentor_ids
from .micro_requests import MentorStats, mentor_stats, used_by_mentor
from .people.labels import ROLE_LEVEL_LABELS
from .why import pair_text

# Our context kinds -> the core's context keys (background and location are shown, not scored).
CONTEXT_MAP = {"industry": "industry", "groups": "tags"}
SORTS = ("recommended", "name")


@dataclass
class Card:
    mentor_id: int                 # the mentor's membership id
    profile: Row                   # a mentor_profiles row (attributes by column name)
    name: str
    topics: list[str]
    groups: list[str]
    left: int                      # micro-requests left this month
    score: int | None = None
    why: str = ""
    asked: bool = False            # this mentee already has an open request with them
    components: dict = field(default_factory=dict)
    stats: MentorStats | None = None  # filled for the cards on the page only
    met: int = 0                   # different mentees met ("did you meet?" said yes), page cards only
    helpful: int = 0               # answers to the program's questions marked helpful (services/asks), page cards only
    thanked: int = 0               # of those, thanked by the asker

    @property
    def level(self) -> str:
        """The mentor's role level in the words the profile form uses."""
        return ROLE_LEVEL_LABELS.get(self.profile.role_level, self.profile.role_level or "")

def _names(ids, terms: dict[int, str]) -> list[str]:
    return [terms[t] for t in (ids or []) if t in terms]


def _core_mentee(goal: GoalForm, topics: dict, groups: dict) -> Mentee:
    return Mentee(id=f"e{goal.membership_id}", languages=list(goal.languages or []),
                  tz=reference.utc_offset(goal.timezone, clock.now()),
                  years=float(goal.years or 0), preference=goal.preference or "ahead",
                  topics=_names(goal.topics, topics), industry=goal.industry or None,
                  tags=_names(goal.groups, groups),
                  context_matters=sorted({CONTEXT_MAP[c] for c in (goal.context_matters or []) if c in CONTEXT_MAP}))


def _core_mentor(p: Row, topics: dict, groups: dict) -> Mentor:
    return Mentor(id=f"m{p.membership_id}", languages=list(p.languages or []),
                  tz=reference.utc_offset(p.timezone, clock.now()),
                  years=float(p.years or 0), capacity=1, topics=_names(p.topics, topics),
                  industry=p.industry or None, tags=_names(p.groups, groups),
                  prefers_topics=_names(p.prefers_topics, topics), prefers_stages=list(p.prefers_stages or []))


def recommend(goal: GoalForm, profiles: list[Row], topics: dict, groups: dict) -> dict[int, tuple[int, str]]:
    """Mentor membership id -> (score, why) for the eligible ones, from the matching core."""
    if not profiles:
        return {}
    instance = Instance(mentees=[_core_mentee(goal, topics, groups)],
                        mentors=[_core_mentor(p, topics, groups) for p in profiles])
    try:
        pairs = candidates(instance, f"e{goal.membership_id}")
    except Exception:  # noqa: BLE001 - a core bug must not take the directory down; log and list by name
        current_app.logger.exception("matching core could not score the directory")
        return {}
    # In the reader's language: the directory is read by the mentee, in a request.
    return {int(p.mentor[1:]): (int(p.score), pair_text({"sentence": p.sentence, "sentence_parts": p.parts}))
            for p in pairs}


def terms_of(program_id: int) -> tuple[dict[int, str], dict[int, str]]:
    topics, groups = {}, {}
    for tid, kind, name in db.session.execute(db.select(Term.id, Term.kind, Term.name).where(Term.program_id == program_id)):
        (topics if kind == "topic" else groups)[tid] = name
    return topics, groups


def search(mentee: Membership, *, q: str = "", topic: int | None = None, language: str = "", group: int | None = None,
           sort: str = "recommended", shown: int | None = None) -> list[Card]:
    """Available mentors with capacity left this month, filtered, best first.

    Only the first `shown` cards get their answer statistics: the page shows no more, and the
    statistics read every request the mentors ever had."""
    program_id = mentee.program_id
    topics, groups = terms_of(program_id)
    today = clock.today()
    hidden = unapproved_mentor_ids(program_id)  # waiting for a coordinator's approval
    # Plain rows, not ORM entities: the directory reads every mentor of the program on each search.
    rows = db.session.execute(
        db.select(*MentorProfile.__table__.c, User.name)
        .join(Membership, Membership.id == MentorProfile.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.program_id == program_id, Membership.current(), Membership.role == "mentor",
               Membership.user_id != mentee.user_id,  # never oneself, on both sides of a program
               MentorProfile.available_on(today))
        .order_by(User.name, Membership.id))
    used = used_by_mentor(program_id)
    needle = (q or "").strip().casefold()
    out = []
    for profile in rows:
        left = profile.capacity_micro - used.get(profile.membership_id, 0)
        if left <= 0 or profile.membership_id in hidden:
            continue
        if topic is not None and topic not in (profile.topics or []):
            continue
        if group is not None and group not in (profile.groups or []):
            continue
        if language and language not in (profile.languages or []):
            continue
        haystack = " ".join([profile.name, profile.industry, profile.background, profile.location, profile.bio,
                             *_names(profile.topics, topics), *_names(profile.groups, groups)]).casefold()
        if needle and needle not in haystack:
            continue
        out.append(Card(mentor_id=profile.membership_id, profile=profile, name=profile.name,
                        topics=_names(profile.topics, topics), groups=_names(profile.groups, groups), left=left))

    asked = set(db.session.scalars(db.select(MicroRequest.mentor_membership_id).where(
        MicroRequest.mentee_membership_id == mentee.id, MicroRequest.state.in_(("open", "info_requested")))))
    goal = db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == mentee.id))
    scores = recommend(goal, [c.profile for c in out], topics, groups) if goal is not None else {}
    for card in out:
        card.asked = card.mentor_id in asked
        if card.mentor_id in scores:
            card.score, card.why = scores[card.mentor_id]
    if sort == "recommended" and scores:
        # Eligible mentors by score; the rest (e.g. no shared language) after them, by name.
        out.sort(key=lambda c: (c.score is None, -(c.score or 0), c.name))
    page = out[:shown] if shown is not None else out
    stats = mentor_stats([c.mentor_id for c in page])
    met = mentees_met([c.mentor_id for c in page])
    reps = reputation([c.mentor_id for c in page])  # one query for the page
    for card in page:
        card.stats = stats[card.mentor_id]
        card.met = met.get(card.mentor_id, 0)
        card.helpful, card.thanked = reps[card.mentor_id].helpful, reps[card.mentor_id].thanked
    return out
