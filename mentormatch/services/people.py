"""The people side: goal forms, mentor profiles, capacity, notes, follow-ups and thanks.

Every save re-checks its values here, whatever the form did: the service is the last line before
the database, and the CLI, the demo and the web all come through it.
"""
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from zoneinfo import available_timezones

from sqlalchemy import func

from ..extensions import db
from ..models import (
    CONTEXT_KINDS, PREFERENCES, ROLE_LEVELS, SEAT_STATES, WANTS, FollowUp, GoalForm, Membership,
    MentorProfile, Note, Pairing, Program, Term, User, clean_name, utcnow,
)
from . import ServiceError

# ISO 639-1 codes offered in the pickers: the languages of the real profiles plus other widely spoken ones.
LANGUAGES = (
    ("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German"), ("pt", "Portuguese"),
    ("it", "Italian"), ("nl", "Dutch"), ("pl", "Polish"), ("ro", "Romanian"), ("ru", "Russian"),
    ("uk", "Ukrainian"), ("tr", "Turkish"), ("el", "Greek"), ("he", "Hebrew"), ("ar", "Arabic"),
    ("fa", "Persian"), ("hi", "Hindi"), ("bn", "Bengali"), ("pa", "Punjabi"), ("ur", "Urdu"),
    ("ta", "Tamil"), ("te", "Telugu"), ("kn", "Kannada"), ("ml", "Malayalam"), ("zh", "Chinese"),
    ("ja", "Japanese"), ("ko", "Korean"), ("vi", "Vietnamese"), ("tl", "Filipino / Tagalog"),
    ("id", "Indonesian"), ("sw", "Swahili"), ("yo", "Yoruba"), ("ig", "Igbo"), ("ha", "Hausa"),
)
LANGUAGE_CODES = frozenset(code for code, _ in LANGUAGES)
ROLE_LEVEL_LABELS = {
    "student": "Student", "junior": "Junior", "mid": "Mid-level", "senior": "Senior", "lead": "Lead / staff",
    "manager": "Manager", "executive": "Executive",
}
PREFERENCE_LABELS = {
    "peer": "A peer (about my level)",
    "ahead": "Someone a few years ahead",
    "senior": "A senior person",
}
WANTS_LABELS = {
    "cohort": "A mentor for the cohort (a pairing for the round)",
    "micro": "Micro-requests (small, specific asks)",
    "both": "Both",
}
CONTEXT_LABELS = {"industry": "Industry", "groups": "Affinity groups", "background": "Background", "location": "Location"}
MAX_TOPICS_MENTEE = 5
MAX_TOPICS_MENTOR = 10
CURRENT_STATES = ("accepted", "active")        # a mentor may read the mentee's goal form
FOLLOWUP_STATES = ("accepted", "active", "completed")  # a conversation has happened or can


@lru_cache(maxsize=1)
def timezones() -> tuple[str, ...]:
    """Known IANA zones, without the legacy aliases nobody would pick (they stay accepted)."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))) + ["UTC"])


@lru_cache(maxsize=1)
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# ---------------------------------------------------------------------------------------------
# Terms: each program's topic list and affinity-group list


def terms(program_id: int, kind: str) -> list[Term]:
    return list(db.session.scalars(
        db.select(Term).where(Term.program_id == program_id, Term.kind == kind).order_by(func.lower(Term.name))
    ))


def search_topics(program_id: int, query: str, *, exclude: list[int] = (), limit: int = 12) -> list[Term]:
    query = (query or "").strip().lower()
    found = [t for t in terms(program_id, "topic") if t.id not in set(exclude) and query in t.name.lower()]
    # Names that start with the query first: typing "data" should show "Data science" before "Big data".
    found.sort(key=lambda t: (not t.name.lower().startswith(query), t.name.lower()))
    return found[:limit]


def term_names(program_id: int) -> dict[int, str]:
    return dict(db.session.execute(db.select(Term.id, Term.name).where(Term.program_id == program_id)).all())


def _clean_term_name(name: str) -> str:
    name = " ".join(clean_name(name or "").split())
    if not name:
        raise ServiceError("Enter a name.", "name")
    if len(name) > 80:
        raise ServiceError("Keep it under 80 characters.", "name")
    return name


def _term_named(program_id: int, kind: str, name: str) -> Term | None:
    return db.session.scalar(db.select(Term).where(
        Term.program_id == program_id, Term.kind == kind, func.lower(Term.name) == name.lower()))


def add_term(program: Program, kind: str, name: str) -> Term:
    if kind not in ("topic", "group"):
        raise ServiceError("Choose topic or affinity group.", "kind")
    name = _clean_term_name(name)
    if _term_named(program.id, kind, name):
        raise ServiceError(f"“{name}” is already on the list.", "name")
    term = Term(program_id=program.id, kind=kind, name=name)
    db.session.add(term)
    db.session.commit()
    return term


def rename_term(term: Term, name: str) -> None:
    name = _clean_term_name(name)
    clash = _term_named(term.program_id, term.kind, name)
    if clash is not None and clash.id != term.id:
        raise ServiceError(f"“{name}” is already on the list: merge the two instead.", "name")
    term.name = name
    db.session.commit()


def merge_terms(source: Term, target: Term) -> int:
    """Fold `source` into `target` everywhere it is used, keeping each list's order; returns how
    many forms and profiles changed. One transaction: either every list is rewritten or none."""
    if source.id == target.id or source.kind != target.kind or source.program_id != target.program_id:
        raise ServiceError("Choose a different entry of the same list to merge into.", "target")
    columns = ("topics", "prefers_topics") if source.kind == "topic" else ("groups",)
    changed = 0
    members = db.select(Membership.id).where(Membership.program_id == source.program_id)
    for model in (GoalForm, MentorProfile):
        for row in db.session.scalars(db.select(model).where(model.membership_id.in_(members))):
            touched = False
            for column in columns:
                ids = getattr(row, column, None)
                if ids and source.id in ids:
                    setattr(row, column, _dedupe([target.id if i == source.id else i for i in ids]))
                    touched = True
            changed += touched
    db.session.delete(source)
    db.session.commit()
    return changed


def _dedupe(ids: list[int]) -> list[int]:
    seen, out = set(), []
    for i in ids:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def _checked_terms(program_id: int, kind: str, ids, field: str, *, most: int | None = None, least: int = 0) -> list[int]:
    try:
        ids = _dedupe([int(i) for i in ids or []])
    except (TypeError, ValueError):
        raise ServiceError("Pick from the list.", field) from None
    known = {t.id for t in terms(program_id, kind)}
    if any(i not in known for i in ids):
        raise ServiceError("Pick from the program's list.", field)
    # A program whose coordinator has not written its topic list yet must not block everyone's form.
    if len(ids) < least and known:
        raise ServiceError("Pick at least one topic." if least == 1 else f"Pick at least {least}.", field)
    if most is not None and len(ids) > most:
        raise ServiceError(f"Pick at most {most}: the first ones count most.", field)
    return ids


# ---------------------------------------------------------------------------------------------
# The power question: small and specific beats "will you be my mentor?"

VAGUE_PATTERNS = (
    r"\bbe my mentor\b", r"\bmentor me\b", r"\b(get|break|getting|breaking) into (tech|it|the industry)\b",
    r"\bany (advice|tips)\b", r"\bpick your brain\b", r"\bhow (do|can|should) i (get started|start|succeed)\b",
    r"\bwhat should i do\b", r"\bhelp me\b\W*$", r"\bgeneral advice\b", r"\btell me everything\b",
)
POWER_QUESTION_EXAMPLES = (
    "Could you look at my 5-slide pitch for the data platform migration and tell me which slide loses you?",
    "I have two offers, a platform team at a bank and a start-up's API team: which would you pick for "
    "growing into a staff role, and why?",
    "What did you say in your first conversation with your manager about getting promoted to senior?",
)
MIN_QUESTION_WORDS = 6


def vague_ask_hint(text: str) -> str | None:
    """A gentle nudge (never an error) when a question is too broad to answer in one conversation."""
    text = (text or "").strip()
    if not text:
        return None
    lowered = text.lower()
    if any(re.search(p, lowered) for p in VAGUE_PATTERNS):
        return ("That is a big, open ask. Mentors answer small, specific questions fastest: "
                "what exactly would you like them to look at, decide or explain?")
    if len(re.findall(r"\w+", text)) < MIN_QUESTION_WORDS:
        return "Add a little detail: what is the situation, and what would a useful answer look like?"
    return None


# ---------------------------------------------------------------------------------------------
# Shared field checks


def _text(value, field: str, *, most: int, least: int = 0, label: str = "this") -> str:
    value = (value or "").strip()
    if least and len(value) < least:
        raise ServiceError(f"Write at least {least} characters for {label}." if value else f"Please fill in {label}.", field)
    if len(value) > most:
        raise ServiceError(f"Keep it under {most} characters (now {len(value)}).", field)
    return value


def _choice(value, allowed, field: str, message: str = "Choose one of the options.") -> str:
    if value not in allowed:
        raise ServiceError(message, field)
    return value


def _subset(values, allowed, field: str) -> list:
    values = _dedupe(list(values or []))
    if any(v not in allowed for v in values):
        raise ServiceError("Choose from the options shown.", field)
    return values


def _int(value, field: str, low: int, high: int, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(f"Enter {label} as a whole number.", field) from None
    if not low <= number <= high:
        raise ServiceError(f"Enter {label} between {low} and {high}.", field)
    return number


def _zone(value, field: str = "timezone") -> str:
    if value not in _all_zones():
        raise ServiceError("Choose a time zone from the list, for example Europe/London.", field)
    return value


def _context_checks(program_id: int, *, topics_most: int) -> dict:
    """The fields mentees and mentors share: one check per field, each returning the clean value."""
    return {
        "topics": lambda d: _checked_terms(program_id, "topic", d.get("topics"), "topics", most=topics_most, least=1),
        "years": lambda d: _int(d.get("years"), "years", 0, 60, "years of experience"),
        "role_level": lambda d: _choice(d.get("role_level"), ROLE_LEVELS, "role_level", "Choose your current level."),
        "industry": lambda d: _text(d.get("industry"), "industry", most=80),
        "groups": lambda d: _checked_terms(program_id, "group", d.get("groups"), "groups"),
        "background": lambda d: _text(d.get("background"), "background", most=200),
        "location": lambda d: _text(d.get("location"), "location", most=80),
        "languages": lambda d: _subset(d.get("languages"), LANGUAGE_CODES, "languages")
        or _raise("Pick at least one language you can talk in.", "languages"),
        "timezone": lambda d: _zone(d.get("timezone")),
    }


def _raise(message: str, field: str):
    raise ServiceError(message, field)


def _run(checks: dict, data: dict) -> dict:
    """Clean values for every field, or the first field's ServiceError."""
    return {name: check(data) for name, check in checks.items()}


def _problems(checks: dict, data: dict) -> dict[str, str]:
    """Every field's problem at once, so a failed submit shows them all, not one per try."""
    problems = {}
    for name, check in checks.items():
        try:
            check(data)
        except ServiceError as error:
            problems[error.field or name] = error.message
    return problems


# ---------------------------------------------------------------------------------------------
# Mentee goal forms

GOAL_FIELDS = ("near_term_goal", "long_term_goal", "topics", "years", "role_level", "industry", "groups",
               "background", "location", "context_matters", "preference", "languages", "timezone",
               "power_question", "wants")


def goal_form_of(membership: Membership) -> GoalForm | None:
    return db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == membership.id))


def _goal_checks(program_id: int) -> dict:
    checks = {
        "near_term_goal": lambda d: _text(d.get("near_term_goal"), "near_term_goal", most=1000, least=15,
                                          label="your goal for the next 3–6 months"),
        "long_term_goal": lambda d: _text(d.get("long_term_goal"), "long_term_goal", most=1000),
        **_context_checks(program_id, topics_most=MAX_TOPICS_MENTEE),
        "context_matters": lambda d: _subset(d.get("context_matters"), CONTEXT_KINDS, "context_matters"),
        "preference": lambda d: _choice(d.get("preference"), PREFERENCES, "preference"),
        "power_question": lambda d: _text(d.get("power_question"), "power_question", most=300, least=15,
                                          label="your question"),
        "wants": lambda d: _choice(d.get("wants"), WANTS, "wants"),
    }
    return {name: checks[name] for name in GOAL_FIELDS}


def check_goal_form(program_id: int, data: dict) -> dict:
    """The cleaned values, or ServiceError naming the first field that is wrong."""
    return _run(_goal_checks(program_id), data)


def goal_form_problems(program_id: int, data: dict) -> dict[str, str]:
    return _problems(_goal_checks(program_id), data)


def save_goal_form(membership: Membership, data: dict) -> GoalForm:
    clean = check_goal_form(membership.program_id, data)
    form = goal_form_of(membership)
    if form is None:
        form = GoalForm(membership_id=membership.id)
        db.session.add(form)
    for name, value in clean.items():
        setattr(form, name, value)
    form.submitted_at = form.submitted_at or utcnow()
    db.session.commit()
    return form


@dataclass
class Completeness:
    done: int
    total: int
    missing: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def goal_completeness(values: dict) -> Completeness:
    """How much of the form is filled in (not whether it is valid): for the indicator as they type."""
    items = {
        "Goal for the next 3–6 months": values.get("near_term_goal"),
        "Long-term ambition": values.get("long_term_goal"),
        "Topics": values.get("topics"),
        "Context": any(values.get(k) for k in ("industry", "groups", "background", "location")),
        "Languages": values.get("languages"),
        "Time zone": values.get("timezone"),
        "Your one power question": values.get("power_question"),
    }
    missing = [label for label, value in items.items() if not (value.strip() if isinstance(value, str) else value)]
    return Completeness(len(items) - len(missing), len(items), missing)


def values_of(row, names) -> dict:
    return {name: getattr(row, name) for name in names} if row is not None else {}


# ---------------------------------------------------------------------------------------------
# Mentor profiles, capacity and availability

PROFILE_FIELDS = ("topics", "years", "role_level", "industry", "groups", "background", "location", "languages",
                  "timezone", "capacity_round", "capacity_micro", "available", "away_until", "prefers_stages",
                  "prefers_topics", "bio")


def profile_of(membership: Membership) -> MentorProfile | None:
    return db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == membership.id))


def _away_until(value, today: date):
    if value is not None and not isinstance(value, date):
        raise ServiceError("Enter a date.", "away_until")
    if value is not None and value < today:
        raise ServiceError("Pick today or a later date, or leave it empty.", "away_until")
    return value


def _profile_checks(program_id: int, today: date) -> dict:
    checks = {
        **_context_checks(program_id, topics_most=MAX_TOPICS_MENTOR),
        "capacity_round": lambda d: _int(d.get("capacity_round"), "capacity_round", 0, 20, "mentees per round"),
        "capacity_micro": lambda d: _int(d.get("capacity_micro"), "capacity_micro", 0, 20, "micro-requests per month"),
        "available": lambda d: bool(d.get("available")),
        "away_until": lambda d: _away_until(d.get("away_until"), today),
        "prefers_stages": lambda d: _subset(d.get("prefers_stages"), PREFERENCES, "prefers_stages"),
        "prefers_topics": lambda d: _checked_terms(program_id, "topic", d.get("prefers_topics"), "prefers_topics"),
        "bio": lambda d: _text(d.get("bio"), "bio", most=1000),
    }
    return {name: checks[name] for name in PROFILE_FIELDS}


def check_profile(program_id: int, data: dict, *, today: date) -> dict:
    return _run(_profile_checks(program_id, today), data)


def profile_problems(program_id: int, data: dict, *, today: date) -> dict[str, str]:
    return _problems(_profile_checks(program_id, today), data)


def save_profile(membership: Membership, data: dict, *, today: date) -> MentorProfile:
    clean = check_profile(membership.program_id, data, today=today)
    profile = profile_of(membership)
    if profile is None:
        profile = MentorProfile(membership_id=membership.id)
        db.session.add(profile)
    for name, value in clean.items():
        setattr(profile, name, value)
    db.session.commit()
    return profile


def seats_taken(mentor_membership_id: int) -> int:
    return db.session.scalar(db.select(func.count()).select_from(Pairing).where(
        Pairing.mentor_membership_id == mentor_membership_id, Pairing.state.in_(SEAT_STATES))) or 0


def seats_label(taken: int, capacity: int) -> str:
    return f"{taken} of {capacity} seat{'s' if capacity != 1 else ''} taken"


def availability_label(profile: MentorProfile | None, today: date) -> str:
    if profile is None:
        return "No profile yet"
    if not profile.available:
        return "Not available"
    if profile.away_until is not None and profile.away_until >= today:
        return f"Away until {profile.away_until.strftime('%d %b %Y')}"
    return "Available"


# ---------------------------------------------------------------------------------------------
# Memberships, pairings and who may see what


def memberships_of(user: User) -> list[Membership]:
    return list(db.session.scalars(
        db.select(Membership).join(Program).where(Membership.user_id == user.id).order_by(Program.name)))


def mentee_pairings(membership: Membership) -> list[Pairing]:
    return list(db.session.scalars(db.select(Pairing).where(
        Pairing.mentee_membership_id == membership.id,
        Pairing.state.in_(SEAT_STATES + ("completed",))).order_by(Pairing.proposed_at.desc())))


def current_mentee_pairings(mentor: Membership) -> list[Pairing]:
    return list(db.session.scalars(db.select(Pairing).where(
        Pairing.mentor_membership_id == mentor.id, Pairing.state.in_(CURRENT_STATES)).order_by(Pairing.proposed_at)))


def current_pairing(mentor: Membership, mentee_membership_id: int) -> Pairing | None:
    """The pairing that lets this mentor read this mentee's goal form, if there is one."""
    return db.session.scalar(db.select(Pairing).where(
        Pairing.mentor_membership_id == mentor.id, Pairing.mentee_membership_id == mentee_membership_id,
        Pairing.state.in_(CURRENT_STATES)).order_by(Pairing.id.desc()).limit(1))


def mentee_pairing(user: User, pairing_id: int) -> Pairing | None:
    """A pairing of this mentee's own that has reached a conversation."""
    return db.session.scalar(db.select(Pairing).join(Membership, Pairing.mentee_membership_id == Membership.id).where(
        Pairing.id == pairing_id, Membership.user_id == user.id, Pairing.state.in_(FOLLOWUP_STATES)))


# ---------------------------------------------------------------------------------------------
# Private notes


def note_of(author: Membership, mentee_membership_id: int) -> Note | None:
    return db.session.scalar(db.select(Note).where(
        Note.author_membership_id == author.id, Note.mentee_membership_id == mentee_membership_id))


def save_note(author: Membership, pairing: Pairing, body: str) -> Note:
    """Only through a current pairing of the author's: the route proved it, this re-checks it."""
    if pairing.mentor_membership_id != author.id or pairing.state not in CURRENT_STATES:
        raise ServiceError("You can keep notes on your current mentees only.")
    body = _text(body, "body", most=5000)
    note = note_of(author, pairing.mentee_membership_id)
    if note is None:
        note = Note(author_membership_id=author.id, mentee_membership_id=pairing.mentee_membership_id)
        db.session.add(note)
    note.body = body
    note.updated_at = utcnow()
    db.session.commit()
    return note


# ---------------------------------------------------------------------------------------------
# Follow-ups and thanks


def followups_of_pairing(pairing: Pairing) -> list[FollowUp]:
    return list(db.session.scalars(
        db.select(FollowUp).where(FollowUp.pairing_id == pairing.id).order_by(FollowUp.created_at.desc(), FollowUp.id.desc())))


# ---------------------------------------------------------------------------------------------
# The coordinator's view


@dataclass
class PersonRow:
    membership: Membership
    role: str
    status: str          # complete | missing
    detail: str


def people_status(program: Program, today: date) -> list[PersonRow]:
    rows = db.session.execute(
        db.select(Membership, User.role, GoalForm, MentorProfile)
        .join(User, Membership.user_id == User.id)
        .outerjoin(GoalForm, GoalForm.membership_id == Membership.id)
        .outerjoin(MentorProfile, MentorProfile.membership_id == Membership.id)
        .where(Membership.program_id == program.id)
        .order_by(User.role, User.name)
    ).all()
    people = []
    for membership, role, goal, profile in rows:
        if role == "mentee":
            done = goal is not None and goal.submitted_at is not None
            detail = f"{goal_completeness(values_of(goal, GOAL_FIELDS)).percent}% filled in" if goal else "Not started"
        else:
            done = profile is not None
            detail = (f"{seats_label(seats_taken(membership.id), profile.capacity_round)} · "
                      f"{availability_label(profile, today)}") if profile else "Not started"
        people.append(PersonRow(membership, role, "complete" if done else "missing", detail))
    return people


# ---------------------------------------------------------------------------------------------
# The ordered topic picker: one list operation, shared by the htmx picker and the plain form


def topic_op(ids: list[int], op: str, *, most: int) -> tuple[list[int], str | None]:
    """Apply "add:ID", "remove:ID", "up:ID" or "down:ID" to an ordered id list; returns the new list
    and a message for the person when the operation could not be done. Nothing is saved."""
    ids = _dedupe(list(ids or []))
    action, _, raw = (op or "").partition(":")
    try:
        term_id = int(raw)
    except ValueError:
        return ids, None
    if action == "add" and term_id not in ids:
        if len(ids) >= most:
            return ids, f"You have {most} already: remove one to add another."
        ids.append(term_id)
    elif action == "remove" and term_id in ids:
        ids.remove(term_id)
    elif action in ("up", "down") and term_id in ids:
        i = ids.index(term_id)
        j = i - 1 if action == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
    return ids, None


def known_topics(program_id: int, ids: list[int]) -> list[Term]:
    """The Terms for ids, in the given order, dropping any that are not this program's topics."""
    by_id = {t.id: t for t in terms(program_id, "topic")}
    return [by_id[i] for i in ids if i in by_id]


def term_of_program(program: Program, term_id: int) -> Term | None:
    term = db.session.get(Term, term_id)
    return term if term is not None and term.program_id == program.id else None


def term_usage(program_id: int) -> dict[int, int]:
    """How many goal forms and profiles use each term (shown before a merge)."""
    counts: dict[int, int] = {}
    members = db.select(Membership.id).where(Membership.program_id == program_id)
    for model in (GoalForm, MentorProfile):
        for row in db.session.scalars(db.select(model).where(model.membership_id.in_(members))):
            for i in set(row.topics or []) | set(row.groups or []) | set(getattr(row, "prefers_topics", None) or []):
                counts[i] = counts.get(i, 0) + 1
    return counts
