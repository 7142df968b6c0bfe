"""Ask the program (issue 15, item 5): a mentee's one specific question to their circle or to the
whole program, tagged with topics; answers from the people who can help; helpful marks and thanks
(the reputation); the 14-day close; a coordinator's hide; the daily digest to opted-in helpers.

Who can help with a topic: mentors whose profile topics include it and mentees whose strengths
(the goal form's "What I can help with") include it, who opted in ("Send me questions I can help
with": an AskHelper row per membership; without one, on for mentors and off for mentees).

Who sees a question: a program-wide one, the program's current members and its coordinators; a
circle's, the circle's current members and the program's coordinators. A hidden question or answer
is seen only by its author (with the coordinator's reason) and the program's coordinators.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..core import clock, fields, links, outbox
from ..extensions import db
from ..models import (
    ANSWER_MAX,
    ASK_MAX,
    ASK_MIN,
    ASK_OPEN_DAYS,
    Ask,
    AskAnswer,
    AskDigest,
    AskHelper,
    Circle,
    CircleMember,
    GoalForm,
    Membership,
    MentorProfile,
    Program,
    ProgramCoordinator,
    Term,
    User,
)
from . import ServiceError
from .meetings import mentees_met

MAX_OPEN_ASKS = 3        # open questions per person and program at once
ASKS_PER_DAY = 3         # questions a person may post in 24 hours
ANSWERS_PER_HOUR = 10    # answers a person may post in an hour
MAX_TOPICS = 3
HOME_LIMIT = 5           # questions on a home page
REASON_MAX = 500


# -- who is who -------------------------------------------------------------------------------

def memberships_of(user: User, program_id: int) -> list[Membership]:
    """The user's current memberships in a program: one per side they take there, mentee first."""
    return list(db.session.scalars(db.select(Membership).where(
        Membership.program_id == program_id, Membership.user_id == user.id, Membership.current())
        .order_by(Membership.role)))


def membership_of(user: User, program_id: int, role: str | None = None) -> Membership | None:
    """The user's current membership in a program on `role`'s side (any side: the mentee one
    first); None: not a member there."""
    return next((m for m in memberships_of(user, program_id) if role in (None, m.role)), None)


def _seeing(ask: Ask, memberships: list[Membership]) -> Membership | None:
    """Which of a person's memberships sees `ask` as a member (a circle's question: one in it)."""
    if ask.circle_id is None:
        return memberships[0] if memberships else None
    return next((m for m in memberships if in_circle(ask.circle_id, m.id)), None)


def coordinates(user: User, program_id: int) -> bool:
    return db.session.scalar(db.select(ProgramCoordinator.id).where(
        ProgramCoordinator.program_id == program_id, ProgramCoordinator.user_id == user.id)) is not None


def in_circle(circle_id: int, membership_id: int) -> bool:
    return db.session.scalar(db.select(CircleMember.id).where(
        CircleMember.circle_id == circle_id, CircleMember.membership_id == membership_id,
        CircleMember.left_at.is_(None))) is not None


def circles_of(membership: Membership) -> list[Circle]:
    """The running circles (and peer pairs) a member belongs to: where they may ask."""
    return list(db.session.scalars(
        db.select(Circle).join(CircleMember, CircleMember.circle_id == Circle.id)
        .where(CircleMember.membership_id == membership.id, CircleMember.left_at.is_(None),
               Circle.ended_at.is_(None)).order_by(Circle.id)))


def topics_of(program_id: int) -> dict[int, str]:
    """The program's topic list, id -> name."""
    return dict(db.session.execute(db.select(Term.id, Term.name).where(
        Term.program_id == program_id, Term.kind == "topic").order_by(Term.name)).all())


def viewer_of(ask: Ask, user: User) -> str | None:
    """How `user` may see `ask`: "coordinator", "author", "member", or None (it is not for them)."""
    if coordinates(user, ask.program_id):
        return "coordinator"
    mine = memberships_of(user, ask.program_id)
    if any(m.id == ask.author_membership_id for m in mine):
        return "author"
    if ask.hidden_at is not None or _seeing(ask, mine) is None:
        return None
    return "member"


def circle_viewer(circle: Circle, user: User) -> Membership | None | bool:
    """A circle's questions are for its current members (their membership) and the program's
    coordinators (True); anyone else gets False."""
    if coordinates(user, circle.program_id):
        return True
    return next((m for m in memberships_of(user, circle.program_id) if in_circle(circle.id, m.id)), False)


# -- asking -----------------------------------------------------------------------------------

def _clean_topics(program_id: int, values) -> list[int]:
    try:
        ids = [int(v) for v in values or []]
    except (TypeError, ValueError):
        raise ServiceError(_("Choose from the options shown."), "topics") from None
    ids = fields.subset(ids, topics_of(program_id), "topics")
    if not ids:
        raise ServiceError(_("Choose at least one topic, so that the right people see your question."), "topics")
    if len(ids) > MAX_TOPICS:
        raise ServiceError(_("Choose at most %(num)d topics.", num=MAX_TOPICS), "topics")
    return ids


def _clean_body(value, least: int, most: int) -> str:
    body = (value or "").strip()
    if len(body) < least:
        raise ServiceError(_("Ask one specific question (at least %(num)d characters).", num=least)
                           if least > 1 else _("Write your answer."), "body")
    if len(body) > most:
        raise ServiceError(_("Keep it under %(most)d characters (now %(now)d).", most=most, now=len(body)), "body")
    return body


def _lock(membership: Membership) -> None:
    """Hold the member's row until commit (a no-op UPDATE: the row on PostgreSQL, the database on
    SQLite), so that two posts at once count each other: the open and daily limits hold."""
    db.session.execute(db.update(Membership).where(Membership.id == membership.id)
                       .values(joined_at=Membership.joined_at).execution_options(synchronize_session=False))


def post(user: User, program: Program, data: dict) -> Ask:
    """A mentee asks one question, to the program (circle None) or to one of their circles."""
    membership = membership_of(user, program.id, "mentee")
    if membership is None:
        raise ServiceError(_("Only mentees of this program can ask it a question."))
    circle_id = data.get("circle_id")
    if circle_id is not None and not in_circle(circle_id, membership.id):
        raise ServiceError(_("Choose one of your circles, or the whole program."), "where")
    body = _clean_body(data.get("body"), ASK_MIN, ASK_MAX)
    topics = _clean_topics(program.id, data.get("topics"))
    _lock(membership)
    now = clock.now()
    open_now = db.session.scalar(db.select(func.count()).select_from(Ask).where(
        Ask.author_membership_id == membership.id, Ask.state == "open", Ask.hidden_at.is_(None)))
    if open_now >= MAX_OPEN_ASKS:
        db.session.rollback()
        raise ServiceError(_("You already have %(num)d open questions. Close one before asking another.",
                             num=MAX_OPEN_ASKS), "body")
    today_count = db.session.scalar(db.select(func.count()).select_from(Ask).where(
        Ask.author_membership_id == membership.id, Ask.created_at > now - timedelta(days=1)))
    if today_count >= ASKS_PER_DAY:
        db.session.rollback()
        raise ServiceError(_("You asked %(num)d questions in the last 24 hours: wait a little before the next one.",
                             num=ASKS_PER_DAY), "body")
    ask = Ask(program_id=program.id, circle_id=circle_id, author_membership_id=membership.id, body=body,
              topics=topics, state="open", created_at=now, closes_at=now + timedelta(days=ASK_OPEN_DAYS))
    db.session.add(ask)
    db.session.commit()
    return ask


def answer(ask: Ask, user: User, body: str) -> AskAnswer:
    """Someone who can see an open question answers it (not its author: they close it instead)."""
    if ask.state != "open" or ask.hidden_at is not None:
        raise ServiceError(_("This question is closed: it takes no more answers."), "body")
    membership = _seeing(ask, memberships_of(user, ask.program_id))
    if membership is None or viewer_of(ask, user) != "member":
        raise ServiceError(_("Only other members who can see this question can answer it."), "body")
    text = _clean_body(body, 1, ANSWER_MAX)
    _lock(membership)
    now = clock.now()
    recent = db.session.scalar(db.select(func.count()).select_from(AskAnswer).where(
        AskAnswer.author_membership_id == membership.id, AskAnswer.created_at > now - timedelta(hours=1)))
    if recent >= ANSWERS_PER_HOUR:
        db.session.rollback()
        raise ServiceError(_("You answered %(num)d questions in the last hour: wait a little before the next answer.",
                             num=ANSWERS_PER_HOUR), "body")
    # Closed or hidden meanwhile? The state is read again under the lock.
    still_open = db.session.scalar(db.select(Ask.id).where(Ask.id == ask.id, Ask.state == "open",
                                                           Ask.hidden_at.is_(None)))
    if still_open is None:
        db.session.rollback()
        raise ServiceError(_("This question is closed: it takes no more answers."), "body")
    row = AskAnswer(ask_id=ask.id, author_membership_id=membership.id, body=text, created_at=now)
    db.session.add(row)
    db.session.commit()
    return row


def _must_be_asker(item: AskAnswer, user: User) -> None:
    if item.ask.author.user_id != user.id or item.ask.author.removed_at is not None:
        raise ServiceError(_("Only the person who asked can do this."))
    if item.hidden_at is not None:
        raise ServiceError(_("This answer is hidden."))


def mark_helpful(item: AskAnswer, user: User, helpful: bool = True) -> AskAnswer:
    """The asker marks (or unmarks) an answer that helped them."""
    _must_be_asker(item, user)
    item.helpful = helpful
    db.session.commit()
    return item


def thank(item: AskAnswer, user: User) -> AskAnswer:
    """The asker thanks the person who answered (once: a conditional UPDATE); it also marks the
    answer helpful, and the helper gets a short email."""
    _must_be_asker(item, user)
    done = db.session.execute(db.update(AskAnswer).where(AskAnswer.id == item.id, AskAnswer.thanked_at.is_(None))
                              .values(thanked_at=clock.now(), helpful=True)
                              .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        db.session.rollback()
        raise ServiceError(_("You already thanked them for this answer."))
    helper = item.author.user
    outbox.send(helper.email, "ask_thanks", program_id=item.ask.program_id, name=helper.name,
                asker=user.name, question=item.ask.body, url=links.link("asks.show", ask_id=item.ask_id))
    db.session.commit()
    db.session.refresh(item)
    return item


def close(ask: Ask, user: User) -> Ask:
    """The asker closes their question (no more answers)."""
    if ask.author.user_id != user.id:
        raise ServiceError(_("Only the person who asked can do this."))
    done = db.session.execute(db.update(Ask).where(Ask.id == ask.id, Ask.state == "open")
                              .values(state="closed", closed_at=clock.now())
                              .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        db.session.rollback()
        raise ServiceError(_("This question is already closed."))
    db.session.commit()
    db.session.refresh(ask)
    return ask


def close_due(now: datetime) -> list[str]:
    """The reminders pass: questions open for ASK_OPEN_DAYS close by themselves."""
    ids = list(db.session.scalars(db.select(Ask.id).where(Ask.state == "open", Ask.closes_at <= now)))
    if ids:
        db.session.execute(db.update(Ask).where(Ask.id.in_(ids), Ask.state == "open")
                           .values(state="closed", closed_at=now).execution_options(synchronize_session=False))
        db.session.commit()
    return [f"ask {i}" for i in ids]


def hide(item: Ask | AskAnswer, coordinator: User, reason: str) -> Ask | AskAnswer:
    """A coordinator hides a question or an answer; its author sees the reason, on the page and
    in an email (so they learn of it without coming back). Hidden already (a double click, two
    coordinators at once, a page from before): it stays as it is, and its author hears once."""
    reason = fields.text(reason, "reason", most=REASON_MAX, least=3, label=_("the reason (its author reads it)"))
    model = type(item)
    done = db.session.execute(db.update(model).where(model.id == item.id, model.hidden_at.is_(None))
                              .values(hidden_reason=reason, hidden_at=clock.now(), hidden_by_id=coordinator.id)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        return item
    db.session.refresh(item)
    ask = item if isinstance(item, Ask) else item.ask
    author = item.author.user
    outbox.send(author, "ask_hidden", program_id=ask.program_id, name=author.name, answer=isinstance(item, AskAnswer),
                question=ask.body, reason=item.hidden_reason, url=links.link("asks.show", ask_id=ask.id))
    db.session.commit()
    return item


def unhide(item: Ask | AskAnswer) -> Ask | AskAnswer:
    item.hidden_at, item.hidden_by_id, item.hidden_reason = None, None, ""
    db.session.commit()
    return item


# -- reading ----------------------------------------------------------------------------------

@dataclass
class Reputation:
    helpful: int = 0
    thanked: int = 0
    met: int = 0


def reputation(membership_ids, mentor_ids=()) -> dict[int, Reputation]:
    """Helpful answers and thanks received per membership (one query), and for mentors the
    mentees they met (services/meetings.mentees_met)."""
    ids = sorted(set(membership_ids))
    out = {i: Reputation() for i in ids}
    if not ids:
        return out
    rows = db.session.execute(
        db.select(AskAnswer.author_membership_id,
                  func.sum(case((AskAnswer.helpful.is_(True), 1), else_=0)),
                  func.sum(case((AskAnswer.thanked_at.is_not(None), 1), else_=0)))
        .where(AskAnswer.author_membership_id.in_(ids), AskAnswer.hidden_at.is_(None))
        .group_by(AskAnswer.author_membership_id))
    for membership_id, helpful, thanked in rows:
        out[membership_id].helpful, out[membership_id].thanked = int(helpful or 0), int(thanked or 0)
    for membership_id, met in mentees_met(sorted(set(mentor_ids))).items():
        out[membership_id].met = met
    return out


def _visible(query, user: User, coordinator: bool):
    """Hidden questions stay out of a list, except the viewer's own (and all for a coordinator)."""
    if coordinator:
        return query
    mine = db.select(Membership.id).where(Membership.user_id == user.id)
    return query.where((Ask.hidden_at.is_(None)) | Ask.author_membership_id.in_(mine))


def program_asks(program: Program, user: User, *, coordinator: bool, topic: int | None = None) -> list[Ask]:
    """The program-wide questions, open ones first then the closed, newest first; by topic."""
    query = (db.select(Ask).where(Ask.program_id == program.id, Ask.circle_id.is_(None))
             .options(joinedload(Ask.author).joinedload(Membership.user))
             .order_by(Ask.state.desc(), Ask.created_at.desc(), Ask.id.desc()).limit(200))
    asks = list(db.session.scalars(_visible(query, user, coordinator)))
    return [a for a in asks if topic is None or topic in (a.topics or [])]


def circle_asks(circle: Circle, user: User, *, coordinator: bool) -> list[Ask]:
    query = (db.select(Ask).where(Ask.circle_id == circle.id)
             .options(joinedload(Ask.author).joinedload(Membership.user))
             .order_by(Ask.state.desc(), Ask.created_at.desc(), Ask.id.desc()).limit(200))
    return list(db.session.scalars(_visible(query, user, coordinator)))


def answer_counts(asks: list[Ask]) -> dict[int, int]:
    ids = [a.id for a in asks]
    if not ids:
        return {}
    return dict(db.session.execute(db.select(AskAnswer.ask_id, func.count()).where(
        AskAnswer.ask_id.in_(ids), AskAnswer.hidden_at.is_(None)).group_by(AskAnswer.ask_id)).all())


def page(ask: Ask, user: User, viewer: str) -> dict:
    """Everything the question page shows: its answers (hidden ones only for their author and the
    coordinators), the topics' names and everyone's reputation."""
    answers = list(db.session.scalars(db.select(AskAnswer).where(AskAnswer.ask_id == ask.id)
                                      .options(joinedload(AskAnswer.author).joinedload(Membership.user))
                                      .order_by(AskAnswer.created_at, AskAnswer.id)))
    if viewer != "coordinator":
        answers = [a for a in answers if a.hidden_at is None or a.author.user_id == user.id]
    people = [ask.author, *(a.author for a in answers)]
    reps = reputation([m.id for m in people], [m.id for m in people if m.role == "mentor"])
    names = topics_of(ask.program_id)
    answered = any(a.author.user_id == user.id for a in answers)
    return {"ask": ask, "answers": answers, "reps": reps, "topic_names": [names[t] for t in ask.topics if t in names],
            "viewer": viewer, "is_asker": viewer == "author", "answered": answered,
            "can_answer": viewer == "member" and ask.state == "open" and ask.hidden_at is None}


# -- helpers: the opt-in, the home pages and the digest -------------------------------------

def opted_in(membership: Membership) -> bool:
    row = db.session.get(AskHelper, membership.id)
    return row.opted_in if row is not None else membership.role == "mentor"


def set_opted_in(membership: Membership, value: bool) -> bool:
    row = db.session.get(AskHelper, membership.id)
    if row is None:
        db.session.add(AskHelper(membership_id=membership.id, opted_in=bool(value)))
    else:
        row.opted_in = bool(value)
    db.session.commit()
    return bool(value)


def _help_topics(memberships: list[Membership]) -> dict[int, set[int]]:
    """What each membership can help with: a mentor's profile topics, a mentee's strengths (two queries)."""
    ids = [m.id for m in memberships]
    out: dict[int, set[int]] = {i: set() for i in ids}
    if not ids:
        return out
    for membership_id, topics in db.session.execute(db.select(MentorProfile.membership_id, MentorProfile.topics)
                                                    .where(MentorProfile.membership_id.in_(ids))):
        out[membership_id] |= set(topics or [])
    for membership_id, strengths in db.session.execute(db.select(GoalForm.membership_id, GoalForm.strengths)
                                                       .where(GoalForm.membership_id.in_(ids))):
        out[membership_id] |= set(strengths or [])
    return out


def _circle_ids(membership_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {i: set() for i in membership_ids}
    if membership_ids:
        for membership_id, circle_id in db.session.execute(
                db.select(CircleMember.membership_id, CircleMember.circle_id)
                .where(CircleMember.membership_id.in_(membership_ids), CircleMember.left_at.is_(None))):
            out[membership_id].add(circle_id)
    return out


def _matches(ask: Ask, membership_id: int, topics: set[int], circles: set[int]) -> bool:
    return (ask.author_membership_id != membership_id and bool(topics & set(ask.topics or []))
            and (ask.circle_id is None or ask.circle_id in circles))


def helpable(user: User) -> list[Ask]:
    """"Questions you can help with" on a home page: open questions in the person's programs on
    their topics, not their own, newest first. A fixed number of queries (tests/web/test_asks.py)."""
    memberships = list(db.session.scalars(db.select(Membership).where(
        Membership.user_id == user.id, Membership.current()).options(joinedload(Membership.user))))
    if not memberships:
        return []
    topics, circles = _help_topics(memberships), _circle_ids([m.id for m in memberships])
    by_program = {m.program_id: m for m in memberships}
    asks = db.session.scalars(
        db.select(Ask).where(Ask.program_id.in_(by_program), Ask.state == "open", Ask.hidden_at.is_(None))
        .options(joinedload(Ask.author).joinedload(Membership.user))
        .order_by(Ask.created_at.desc(), Ask.id.desc()).limit(200))
    out = []
    for ask in asks:
        m = by_program[ask.program_id]
        if _matches(ask, m.id, topics[m.id], circles[m.id]):
            out.append(ask)
            if len(out) == HOME_LIMIT:
                break
    return out


@dataclass
class _Due:
    user: User
    asks: list[Ask] = field(default_factory=list)


def send_digests(now: datetime) -> list[str]:
    """The daily digest: every opted-in helper with new questions on their topics since their last
    digest gets one email listing them, at most one a day. The day is claimed by a row (unique per
    person and day) in the email's own transaction, so two passes at once send it once."""
    since_open = now - timedelta(days=ASK_OPEN_DAYS)
    asks = list(db.session.scalars(
        db.select(Ask).where(Ask.state == "open", Ask.hidden_at.is_(None), Ask.created_at > since_open)
        .join(Program, Program.id == Ask.program_id).where(Program.ended_at.is_(None))
        .options(joinedload(Ask.author)).order_by(Ask.created_at, Ask.id)))
    if not asks:
        return []
    programs = {a.program_id for a in asks}
    memberships = list(db.session.scalars(
        db.select(Membership).where(Membership.program_id.in_(programs), Membership.current())
        .options(joinedload(Membership.user), joinedload(Membership.program))))
    choices = dict(db.session.execute(db.select(AskHelper.membership_id, AskHelper.opted_in).where(
        AskHelper.membership_id.in_([m.id for m in memberships]))).all()) if memberships else {}
    helpers = [m for m in memberships if choices.get(m.id, m.role == "mentor")]
    topics, circles = _help_topics(helpers), _circle_ids([m.id for m in helpers])
    last = dict(db.session.execute(db.select(AskDigest.user_id, func.max(AskDigest.sent_at))
                                   .group_by(AskDigest.user_id)).all())
    due: dict[int, _Due] = {}
    for m in helpers:
        since = last.get(m.user_id)
        for ask in asks:
            if ask.program_id == m.program_id and (since is None or ask.created_at > since) \
                    and _matches(ask, m.id, topics[m.id], circles[m.id]):
                due.setdefault(m.user_id, _Due(m.user)).asks.append(ask)
    names = {p: dict(topics_of(p)) for p in programs}
    sent = []
    for user_id, item in sorted(due.items()):
        if _claim_day(user_id, now, len(item.asks)):
            entries = [{"body": a.body, "program": next(m.program.name for m in helpers if m.program_id == a.program_id),
                        "topics": [names[a.program_id][t] for t in a.topics if t in names[a.program_id]],
                        "url": links.link("asks.show", ask_id=a.id)} for a in item.asks]
            outbox.send(item.user.email, "ask_digest", name=item.user.name, asks=entries,
                        settings_url=links.link("asks.settings", program_id=item.asks[0].program_id))
            db.session.commit()
            sent.append(f"digest to user {user_id}: {len(item.asks)} question(s)")
    return sent


def _claim_day(user_id: int, now: datetime, count: int) -> bool:
    """Take the person's digest day; False when another pass (or an earlier one today) has it."""
    try:
        with db.session.begin_nested():
            db.session.add(AskDigest(user_id=user_id, day=now.date(), sent_at=now, asks=count))
    except IntegrityError:
        return False
    return True

