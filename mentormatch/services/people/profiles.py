"""The mentor's profile, capacity and availability."""
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func

from ...core import fields
from ...extensions import db
from ...models import PREFERENCES, SEAT_STATES, Membership, MentorProfile, Pairing
from .. import ServiceError
from ..answers import release
from .context import context_checks
from .vocabulary import checked_terms

MAX_TOPICS_MENTOR = 10
CAPACITY_MOST = 20
PROFILE_FIELDS = ("topics", "years", "role_level", "industry", "groups", "background", "location", "languages",
                  "timezone", "capacity_round", "capacity_micro", "available", "away_until", "prefers_stages",
                  "prefers_topics", "bio")


def profile_of(membership: Membership) -> MentorProfile | None:
    return db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == membership.id))


def _away_until(value, today: date):
    if value is not None and not isinstance(value, date):
        raise ServiceError(_("Enter a date."), "away_until")
    if value is not None and value < today:
        raise ServiceError(_("Pick today or a later date, or leave it empty."), "away_until")
    return value


def _profile_checks(program_id: int, today: date) -> dict:
    checks = {
        **context_checks(program_id, topics_most=MAX_TOPICS_MENTOR),
        "capacity_round": lambda d: fields.whole_number(d.get("capacity_round"), "capacity_round", 0, CAPACITY_MOST,
                                                        "mentees per round"),
        "capacity_micro": lambda d: fields.whole_number(d.get("capacity_micro"), "capacity_micro", 0, CAPACITY_MOST,
                                                        "micro-requests per month"),
        "available": lambda d: bool(d.get("available")),
        "away_until": lambda d: _away_until(d.get("away_until"), today),
        "prefers_stages": lambda d: fields.subset(d.get("prefers_stages"), PREFERENCES, "prefers_stages"),
        "prefers_topics": lambda d: checked_terms(program_id, "topic", d.get("prefers_topics"), "prefers_topics"),
        "bio": lambda d: fields.text(d.get("bio"), "bio", most=1000),
    }
    return {name: checks[name] for name in PROFILE_FIELDS}


def check_profile(program_id: int, data: dict, *, today: date) -> dict:
    return fields.run(_profile_checks(program_id, today), data)


def profile_problems(program_id: int, data: dict, *, today: date) -> dict[str, str]:
    return fields.problems(_profile_checks(program_id, today), data)


def save_profile(membership: Membership, data: dict, *, today: date) -> MentorProfile:
    """Save the profile. Switching availability off, or setting an away date from today on, releases
    the requests and proposals waiting on this mentor, in the same transaction (answers.release)."""
    clean = check_profile(membership.program_id, data, today=today)
    profile = profile_of(membership)
    was_available = profile is not None and profile.is_available(today)
    if profile is None:
        profile = MentorProfile(membership_id=membership.id)
        db.session.add(profile)
    for name, value in clean.items():
        setattr(profile, name, value)
    if was_available and not profile.is_available(today):
        release(membership, "switched_off" if not profile.available else "away", membership.user)
    db.session.commit()
    return profile


def seats_taken(mentor_membership_id: int) -> int:
    return db.session.scalar(db.select(func.count()).select_from(Pairing).where(
        Pairing.mentor_membership_id == mentor_membership_id, Pairing.state.in_(SEAT_STATES))) or 0


def seats_label(taken: int, capacity: int) -> str:
    return ngettext("%(taken)s of %(num)d seat taken", "%(taken)s of %(num)d seats taken", capacity, taken=taken)


def available_now(profile: MentorProfile | None, today: date) -> bool:
    """Whether the mentor takes new mentees and requests today (the page colours the label by it)."""
    return profile is not None and profile.available and not (profile.away_until is not None
                                                              and profile.away_until >= today)


def availability_label(profile: MentorProfile | None, today: date) -> str:
    if profile is None:
        return _("No profile yet")
    if not profile.available:
        return _("Not available")
    if profile.away_until is not None and profile.away_until >= today:
        return _("Away until %(date)s", date=format_date(profile.away_until, "medium"))
    return _("Available")
