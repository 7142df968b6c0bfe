"""A program's own questions (issue 17): a coordinator defines them, mentees and mentors answer
them, a one-choice question asked of both sides can steer the match (services/rounds/instance.py
passes it to the core as a criterion), and the exports read the answers by label."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..core import clock, fields
from ..core.errors import ServiceError
from ..extensions import db
from ..matching import Criterion
from ..models import (
    AUDIENCES,
    CRITERIA,
    MAX_CHOICES,
    MAX_QUESTIONS,
    QUESTION_KINDS,
    Membership,
    Program,
    Question,
    QuestionAnswer,
)
from ..models.base import clean_name

KIND_LABELS = {"text": _l("Short text"), "one": _l("One choice"), "many": _l("Several choices"),
               "scale": _l("Scale 1–5")}
AUDIENCE_LABELS = {"mentees": _l("Mentee goal form"), "mentors": _l("Mentor profile"), "both": _l("Both")}
CRITERION_LABELS = {"same": _l("Same answer scores"), "different": _l("Different answer scores"),
                    "must_match": _l("Must match (hard rule)")}
MAX_TEXT_ANSWER = 300
MAX_CHOICE = 80
SCALE = range(1, 6)


def field_name(question: Question) -> str:
    return f"q{question.id}"


def criterion_key(question_id: int) -> str:
    return f"q{question_id}"


def questions_of(program_id: int, role: str | None = None) -> list[Question]:
    """The live questions of a program in their order; `role` ("mentee"/"mentor"): those it asks."""
    q = db.select(Question).where(Question.program_id == program_id, Question.deleted_at.is_(None))
    if role is not None:
        q = q.where(Question.audience.in_(("mentees" if role == "mentee" else "mentors", "both")))
    return list(db.session.scalars(q.order_by(Question.position, Question.id)))


def question_of_program(program: Program, question_id: int) -> Question | None:
    q = db.session.get(Question, question_id)
    return q if q is not None and q.program_id == program.id and q.deleted_at is None else None


def parse_choices(text: str) -> list[str]:
    return [clean_name(line) for line in (text or "").splitlines() if clean_name(line)]


def _checked(data: dict) -> dict:
    """Clean definition fields, or the first problem as a ServiceError naming its field."""
    label = fields.text(clean_name(data.get("label")), "label", most=120, least=1, label="the question")
    help_text = fields.text(data.get("help"), "help", most=300)
    kind = fields.choice(data.get("kind"), QUESTION_KINDS, "kind")
    audience = fields.choice(data.get("audience"), AUDIENCES, "audience")
    position = fields.whole_number(data.get("position") or 0, "position", 0, 999, "the position")
    choices: list[str] = []
    if kind in ("one", "many"):
        choices = parse_choices(data.get("choices") or "")
        if len(choices) < 2:
            fields.fail(_("List at least two choices, one per line."), "choices")
        if len(choices) > MAX_CHOICES:
            fields.fail(_("At most %(most)s choices (now %(now)s).", most=MAX_CHOICES, now=len(choices)), "choices")
        seen: set[str] = set()
        for c in choices:
            if len(c) > MAX_CHOICE:
                fields.fail(_("Keep each choice under %(num)s characters (“%(choice)s…”).", num=MAX_CHOICE, choice=c[:20]),
                            "choices")
            if c.casefold() in seen:
                fields.fail(_("“%(choice)s” is listed twice: each choice once.", choice=c), "choices")
            seen.add(c.casefold())
    criterion = data.get("criterion") or None
    if criterion is not None:
        fields.choice(criterion, CRITERIA, "criterion")
        if kind != "one" or audience != "both":
            fields.fail(_("Only a one-choice question asked of both mentees and mentors can steer the match."),
                        "criterion")
    weight = fields.whole_number(data.get("weight") if data.get("weight") not in (None, "") else 10,
                                 "weight", 0, 100, "the weight")
    return {"label": label, "help": help_text, "kind": kind, "audience": audience, "position": position,
            "choices": choices, "criterion": criterion, "weight": weight,
            "required": bool(data.get("required"))}


def define(program: Program, data: dict, question: Question | None = None) -> Question:
    """Add a question (question=None) or change one; one transaction. Answers already given keep
    the label and text they were given with."""
    values = _checked(data)
    if question is None:
        taken = set(db.session.scalars(db.select(Question.slot).where(
            Question.program_id == program.id, Question.slot.is_not(None))))
        free = [n for n in range(1, MAX_QUESTIONS + 1) if n not in taken]
        if not free:
            raise ServiceError(_("A program has at most %(num)s questions: delete one first.", num=MAX_QUESTIONS), "label")
        question = Question(program_id=program.id, slot=free[0])
        db.session.add(question)
    for key, value in values.items():
        setattr(question, key, value)
    try:
        db.session.commit()
    except IntegrityError:  # another coordinator took the same slot a moment ago
        db.session.rollback()
        raise ServiceError(_("Another coordinator added a question at the same moment: please try again."),
                           "label") from None
    return question


def delete(question: Question) -> None:
    """Soft delete: the question leaves the forms and the match; its answers stay readable."""
    question.deleted_at = clock.now()
    question.slot = None  # frees its place under the cap
    db.session.commit()


# -- answers -----------------------------------------------------------------------------------

def answers_of(membership: Membership) -> dict[int, QuestionAnswer]:
    """Question id -> this member's answer (deleted questions included)."""
    rows = db.session.scalars(db.select(QuestionAnswer).where(QuestionAnswer.membership_id == membership.id))
    return {a.question_id: a for a in rows}


def form_values(questions: list[Question], answers: dict[int, QuestionAnswer]) -> dict[str, list[str]]:
    """What each field shows: the saved answer, as the strings a form posts."""
    return {field_name(q): [str(v) for v in answers[q.id].value] if q.id in answers else [] for q in questions}


def check_answer(question: Question, posted: list[str]) -> list:
    """The clean value of one answer (a list: [] when not answered), or a ServiceError."""
    name = field_name(question)
    posted = [p.strip() for p in posted if p is not None and p.strip()]
    if question.kind == "text":
        value = [fields.text(posted[0] if posted else "", name, most=MAX_TEXT_ANSWER)] if posted else []
    elif question.kind == "scale":
        value = [fields.whole_number(posted[0], name, 1, 5, "a number")] if posted else []
        if len(posted) > 1:
            fields.fail(_("Choose one number."), name)
    elif question.kind == "one":
        if len(posted) > 1:
            fields.fail(_("Choose one of the options."), name)
        value = [fields.choice(posted[0], question.choices, name)] if posted else []
    else:
        value = fields.subset(posted, question.choices, name)
    if question.required and not value:
        fields.fail(_("Please answer this question."), name)
    return value


def answer_problems(questions: list[Question], posted: dict[str, list[str]]) -> dict[str, str]:
    return fields.problems({field_name(q): (lambda d, q=q: check_answer(q, d.get(field_name(q), [])))
                            for q in questions}, posted)


def save_answers(membership: Membership, posted: dict[str, list[str]]) -> None:
    """Check every answer first, then write them all in one transaction (nothing on a problem)."""
    questions = questions_of(membership.program_id, membership.role)
    values = {q.id: check_answer(q, posted.get(field_name(q), [])) for q in questions}
    saved = answers_of(membership)
    for q in questions:
        value, row = values[q.id], saved.get(q.id)
        if not value:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = QuestionAnswer(question_id=q.id, membership_id=membership.id)
            db.session.add(row)
        row.label, row.value, row.text = q.label, value, ", ".join(str(v) for v in value)
    db.session.commit()


def labelled_answers(membership: Membership) -> dict[str, str]:
    """{question label: answer text} for a goal form or profile, for the exports: deleted and
    changed questions included, under the label the member answered (question order first)."""
    return labelled_answers_of([membership.id]).get(membership.id, {})


def labelled_answers_of(membership_ids: list[int]) -> dict[int, dict[str, str]]:
    """labelled_answers for many members in one query: membership id -> {label: text}."""
    found: dict[int, dict[str, str]] = {}
    if not membership_ids:
        return found
    rows = db.session.execute(
        db.select(QuestionAnswer.membership_id, QuestionAnswer.label, QuestionAnswer.text)
        .join(Question, Question.id == QuestionAnswer.question_id)
        .where(QuestionAnswer.membership_id.in_(membership_ids))
        .order_by(Question.deleted_at.is_not(None), Question.position, Question.id))
    for mid, label, text in rows:
        found.setdefault(mid, {})[label] = text
    return found


# -- matching ----------------------------------------------------------------------------------

def criteria_of(program_id: int) -> list[Question]:
    return [q for q in questions_of(program_id) if q.criterion]


def matching_criteria(program_id: int, membership_ids: list[int]
                      ) -> tuple[list[Criterion], dict[int, dict[str, str]]]:
    """The program's criteria for the core, and membership id -> {criterion key: answer}. An
    answer whose choice no longer exists counts as not answered."""
    questions = criteria_of(program_id)
    if not questions or not membership_ids:
        return [], {}
    criteria = [Criterion(key=criterion_key(q.id), label=q.label, kind=q.criterion, weight=float(q.weight))
                for q in questions]
    choices = {q.id: set(q.choices) for q in questions}
    out: dict[int, dict[str, str]] = {}
    for mid, qid, value in db.session.execute(
            db.select(QuestionAnswer.membership_id, QuestionAnswer.question_id, QuestionAnswer.value)
            .where(QuestionAnswer.question_id.in_(choices), QuestionAnswer.membership_id.in_(membership_ids))):
        if value and value[0] in choices[qid]:
            out.setdefault(mid, {})[criterion_key(qid)] = value[0]
    return criteria, out

