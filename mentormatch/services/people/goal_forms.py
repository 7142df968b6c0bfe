"""The mentee's goal form, how complete it is, and the hint for a too-vague power question."""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core import fields, reference
from ...extensions import db
from ...models import CONTEXT_KINDS, PREFERENCES, WANTS, GoalForm, Membership, Term, utcnow
from . import labels
from .context import context_checks
from .vocabulary import checked_terms


def N_(message: str) -> str:
    """Marks a msgid for extraction only (Babel's default keyword); translated where it is shown."""
    return message


MAX_TOPICS_MENTEE = 5
MAX_STRENGTHS = 5
GOAL_FIELDS = ("near_term_goal", "long_term_goal", "topics", "strengths", "years", "role_level", "industry", "groups",
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
        # Optional: what they can help peers with, strongest first (checked like the topics).
        "strengths": lambda d: checked_terms(program_id, "topic", d.get("strengths"), "strengths", most=MAX_STRENGTHS),
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


# ---------------------------------------------------------------------------------------------
# What a mentor reads before deciding (a proposal, a micro-request): templates/mentor/_goal_summary.html
# shows the goal form with only the context kinds the mentee ticked in `context_matters`.


def summary_labels() -> dict:
    return {"role": labels.ROLE_LEVEL_LABELS, "preference": labels.PREFERENCE_LABELS, "wants": labels.WANTS_LABELS,
            "languages": dict(reference.LANGUAGES)}


def submitted_goals(mentee_membership_ids) -> dict[int, GoalForm]:
    """The submitted goal forms of these mentees, by membership id, in one query."""
    ids = sorted(set(mentee_membership_ids))
    if not ids:
        return {}
    return {g.membership_id: g for g in db.session.scalars(db.select(GoalForm).where(
        GoalForm.membership_id.in_(ids), GoalForm.submitted_at.is_not(None)))}


def term_names_of(program_ids) -> dict[int, str]:
    """Topic and group names of these programs, in one query (term ids are unique across programs)."""
    ids = sorted(set(program_ids))
    if not ids:
        return {}
    return dict(db.session.execute(db.select(Term.id, Term.name).where(Term.program_id.in_(ids))).all())


def goal_summary(mentee: Membership) -> dict | None:
    """What _goal_summary.html needs for one mentee, or None while they have not submitted the form."""
    goal = submitted_goals([mentee.id]).get(mentee.id)
    if goal is None:
        return None
    return {"goal": goal, "names": term_names_of([mentee.program_id]), "labels": summary_labels()}


def short_goal(goal: GoalForm | None, most: int = 160) -> dict | None:
    """The proposal email's short version: the near-term goal and the power question, cut to `most`."""
    if goal is None:
        return None
    return {"goal": _cut(goal.near_term_goal, most), "question": _cut(goal.power_question, most)}


def _cut(text: str, most: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


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
        _("Goal for the next 3–6 months"): values.get("near_term_goal"),
        _("Long-term ambition"): values.get("long_term_goal"),
        _("Topics"): values.get("topics"),
        _("Context"): any(values.get(k) for k in ("industry", "groups", "background", "location")),
        _("Languages"): values.get("languages"),
        _("Time zone"): values.get("timezone"),
        _("Your one power question"): values.get("power_question"),
    }
    missing = [label for label, value in items.items() if not (value.strip() if isinstance(value, str) else value)]
    return Completeness(len(items) - len(missing), len(items), missing)


def values_of(row, names) -> dict:
    return {name: getattr(row, name) for name in names} if row is not None else {}


# ---------------------------------------------------------------------------------------------
# The power question: small and specific beats "will you be my mentor?"

# Each rule is one common shape of an ask too broad to answer in one conversation; tests/web/
# test_vague_ask.py holds the real-sounding asks (vague and specific) they are judged against.
VAGUE_PATTERNS = (
    # asking for a mentor rather than asking a question
    r"\b(be|become) my mentor\b", r"\bmentor me\b", r"\blooking for (a|some) (mentor|guidance)\b",
    # "my career" as the whole object: help with / guidance on / chat about my career
    r"\b(my|your) career( path| journey)?\W*$", r"\bcareer (advice|guidance|tips)\b",
    # any advice? any tips? general advice, tell me everything
    r"\bany (advice|tips|suggestions|thoughts|pointers|guidance)\b", r"\bgeneral (advice|guidance)\b",
    r"\bwhat advice would you give\b", r"\btell me everything\b", r"\bpick your brain\b",
    # how do I get into tech / break into data / get started / where do I start
    r"\b(get|getting|break|breaking|transition|transitioning)( started)? into\b", r"\bget(ting)? started\b",
    r"\bwhere (do|should|can) i (even )?(start|begin)\b", r"\b(a job|work|a career) in (tech|it|the industry)\b",
    # how do I succeed / become better / level up / what should I do or learn
    r"\bhow (do|can|should) i (succeed|start|grow)\b", r"\blevel up\W*$",
    r"\bhow (do|can|should) i (become|be) (a |an )?(better|good|great|successful|more successful)\b",
    r"\bwhat should i do\b", r"\bwhat should i learn( next)?\W*$", r"\bwhat skills (do|should) i\b",
    # help me. / can you help? / a chat or a coffee with no question in it
    r"\bhelp me\W*$", r"\bcan you help\W*$", r"\b(grab|have) a (quick |virtual )?coffee\b",
    r"\bcoffee chat\b", r"\b(and|to) (chat|talk)\W*$", r"\bcan i ask you (a few|some) questions\b",
    r"\bhow did you get (where you are|to where you are|here)\b",
)
VAGUE_RULES = tuple(re.compile(p) for p in VAGUE_PATTERNS)
# English msgids (N_ marks them for extraction); vague_ask_hint returns them translated.
VAGUE_HINT = N_("That is a big, open ask. Mentors answer small, specific questions fastest: "
                "what exactly would you like them to look at, decide or explain?")
SHORT_HINT = N_("Add a little detail: what is the situation, and what would a useful answer look like?")
POWER_QUESTION_EXAMPLES = (
    _l("Could you look at my 5-slide pitch for the data platform migration and tell me which slide loses you?"),
    _l("I have two offers, a platform team at a bank and a start-up's API team: which would you pick for "
       "growing into a staff role, and why?"),
    _l("What did you say in your first conversation with your manager about getting promoted to senior?"),
)
MIN_QUESTION_WORDS = 6


def vague_ask_hint(text: str) -> str | None:
    """A gentle nudge (never an error) when a question is too broad to answer in one conversation: the
    goal form's power question and the micro-request form both show it."""
    text = (text or "").strip()
    if not text:
        return None
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    if any(rule.search(lowered) for rule in VAGUE_RULES):
        return _(VAGUE_HINT)
    if len(re.findall(r"\w+", text)) < MIN_QUESTION_WORDS:
        return _(SHORT_HINT)
    return None
