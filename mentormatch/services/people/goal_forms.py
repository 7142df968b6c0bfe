"""The mentee's goal form, how complete it is, and the hint for a too-vague power question."""
import re
from dataclasses import dataclass

from ...extensions import db
from ...models import CONTEXT_KINDS, PREFERENCES, WANTS, GoalForm, Membership, utcnow
from . import fields
from .context import context_checks

MAX_TOPICS_MENTEE = 5
GOAL_FIELDS = ("near_term_goal", "long_term_goal", "topics", "years", "role_level", "industry", "groups",
               "background", "location", "context_matters", "preference", "languages", "timezone",
               "power_question", "wants")


def goal_form_of(membership: Membership) -> GoalForm | None:
    return db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == membership.id))


def _goal_checks(program_id: int) -> dict:
    checks = {
        "near_term_goal": lambda d: fields.text(d.get("near_term_goal"), "near_term_goal", most=1000, least=15,
                                                label="your goal for the next 3–6 months"),
        "long_term_goal": lambda d: fields.text(d.get("long_term_goal"), "long_term_goal", most=1000),
        **context_checks(program_id, topics_most=MAX_TOPICS_MENTEE),
        "context_matters": lambda d: fields.subset(d.get("context_matters"), CONTEXT_KINDS, "context_matters"),
        "preference": lambda d: fields.choice(d.get("preference"), PREFERENCES, "preference"),
        "power_question": lambda d: fields.text(d.get("power_question"), "power_question", most=300, least=15,
                                                label="your question"),
        "wants": lambda d: fields.choice(d.get("wants"), WANTS, "wants"),
    }
    return {name: checks[name] for name in GOAL_FIELDS}


def check_goal_form(program_id: int, data: dict) -> dict:
    """The cleaned values, or ServiceError naming the first field that is wrong."""
    return fields.run(_goal_checks(program_id), data)


def goal_form_problems(program_id: int, data: dict) -> dict[str, str]:
    return fields.problems(_goal_checks(program_id), data)


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
