"""Deny by default: every view declares who may use it, and objects come through scoped getters.

The app refuses (500 in development, so the mistake is loud) any endpoint that has no declaration.
Scoped getters answer 404, not 403, for anything that is not yours, so that ids reveal nothing.
"""
from functools import wraps

from flask import abort
from flask_login import current_user

from .extensions import db, login_manager
from .models import (
    Ask,
    AskAnswer,
    CheckIn,
    Circle,
    GoalStep,
    Meeting,
    Membership,
    MentorProfile,
    MicroRequest,
    Pairing,
    Program,
    ProgramCoordinator,
    Question,
    Term,
)
from .models.exports import WorkbookExport
from .models.imports import ImportJob, ProgramInvitation
from .models.rounds import Round, RoundConstraint, RunGroup, RunPair, SolveRun
from .services import (
    asks,
    checkins,
    goal_steps,
    groups,
    health,
    invitations,
    lifecycle,
    meetings,
    programs,
    questions,
    threads,
    workbook_jobs,
)
from .services.people import import_jobs, mentorships, vocabulary


def public(view):
    view.access = "public"
    return view


def roles(*allowed: str):
    """Logged-in users who act on one of these sides only; others get 403, anonymous users the
    login page. A side is the account's own role (users.role: the side it signed up as, or
    'coordinator') or the side of any current membership (programs.sides_of): a mentor in one
    program who joined another as a mentee reaches the mentee pages too. Which program and which
    item is the scoped getters' business, each checking the side *in that program*."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed and not set(programs.sides_of(current_user)) & set(allowed):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = tuple(allowed)
        return wrapped

    return decorate


def logged_in(view):
    return roles("mentee", "mentor", "coordinator")(view)


def coordinated_program(program_id: int) -> Program:
    """A program the current coordinator runs, else 404."""
    program = db.session.scalar(
        db.select(Program)
        .join(ProgramCoordinator)
        .where(Program.id == program_id, ProgramCoordinator.user_id == current_user.id)
    )
    if program is None:
        abort(404)
    return program


def own_membership(program_id: int, role: str) -> Membership:
    """The current user's membership on the `role` side ('mentee' or 'mentor') of a program, else
    404: a mentor here who is a mentee in another program finds nothing acting as a mentor there."""
    membership = db.session.scalar(
        db.select(Membership).where(
            Membership.program_id == program_id, Membership.user_id == current_user.id, Membership.role == role,
            Membership.current()
        )
    )
    if membership is None:
        abort(404)
    return membership


def own_membership_on(program_id: int, side: str | None) -> Membership:
    """The current user's membership on `side` of a program; with no side named (a page both
    sides use), their membership there, the account's own side first; else 404."""
    if side in ("mentee", "mentor"):
        return own_membership(program_id, side)
    mine = db.session.scalars(db.select(Membership).where(
        Membership.program_id == program_id, Membership.user_id == current_user.id, Membership.current())).all()
    if not mine:
        abort(404)
    return next((m for m in mine if m.role == current_user.role), mine[0])


# -- programs and people ---------------------------------------------------------------------

def child_of(model, row_id: int, parent_column: str, parent_id: int | None):
    """The `model` row `row_id` whose `parent_column` is `parent_id` (a program, round or run the
    caller already holds; None: there is none), else 404: an id edited into the URL finds nothing."""
    row = db.session.get(model, row_id) if parent_id is not None else None
    if row is None or getattr(row, parent_column) != parent_id:
        abort(404)
    return row


def program_membership(program: Program, membership_id: int) -> Membership:
    """A member of a program the caller already proved they coordinate, else 404."""
    return child_of(Membership, membership_id, "program_id", program.id)


def program_question(program: Program, question_id: int) -> Question:
    """A live question of a program the caller coordinates, else 404."""
    return questions.question_of_program(program, question_id) or abort(404)


def program_term(program: Program, term_id: int) -> Term:
    """An entry of the topic or group list of a program the caller coordinates, else 404."""
    return vocabulary.term_of_program(program, term_id) or abort(404)


def program_import_job(program: Program, job_id: int) -> ImportJob:
    """An import job of a program the caller coordinates, else 404."""
    return import_jobs.job_of(program, job_id) or abort(404)


def program_workbook(program: Program, job_id: int) -> WorkbookExport:
    """An unexpired workbook of a program the caller coordinates, else 404."""
    return workbook_jobs.job_of(program, job_id) or abort(404)


def own_program_invitation(token: str) -> ProgramInvitation:
    """The current user's own pending invitation to a program, else 404 (anyone else's too)."""
    return invitations.invitation_for(current_user, token) or abort(404)


def own_followup_pairing(pairing_id: int) -> Pairing:
    """A pairing of the current mentee's own that has reached a conversation, else 404."""
    return mentorships.mentee_pairing(current_user, pairing_id) or abort(404)


def current_mentee_pairing(mentor: Membership, mentee_membership_id: int) -> Pairing:
    """The current pairing that lets this mentor (their own membership) read this mentee, else 404."""
    return mentorships.current_pairing(mentor, mentee_membership_id) or abort(404)


def program_mentor_profile(program: Program, membership_id: int) -> MentorProfile:
    """A mentor's profile in a program the caller already proved they coordinate, else 404."""
    return health.mentor_in(program, membership_id) or abort(404)


def own_checkin(checkin_id: int) -> CheckIn:
    """The current mentee's or mentor's own check-in, else 404."""
    return checkins.checkin_of(current_user, checkin_id) or abort(404)


def own_step(step_id: int) -> GoalStep:
    """The current mentee's own goal step, else 404."""
    return goal_steps.step_of(current_user, step_id) or abort(404)


# -- answerable items (pairings, micro-requests) ----------------------------------------------

def answerable_as(model, role: str, item_id: int):
    """An answerable item (a Pairing, a MicroRequest...) where the current user is its `role`
    ("mentor" or "mentee"), else 404."""
    column = model.mentor_membership_id if role == "mentor" else model.mentee_membership_id
    item = db.session.scalar(db.select(model).join(Membership, column == Membership.id)
                             .where(model.id == item_id, Membership.user_id == current_user.id,
                                    Membership.role == role, Membership.current()))
    if item is None:
        abort(404)
    return item


def answerable_of_either(model, item_id: int):
    """An answerable item where the current user is the mentee or the mentor, else 404."""
    item = db.session.get(model, item_id)
    if item is None or not _one_of_the_two(item):
        abort(404)
    return item


def _one_of_the_two(item) -> bool:
    """The current user is the item's mentee or mentor, and still a member of its program."""
    return any(m.user_id == current_user.id and m.removed_at is None for m in (item.mentee, item.mentor))


def mentor_pairing(pairing_id: int) -> Pairing:
    return answerable_as(Pairing, "mentor", pairing_id)


def mentee_pairing(pairing_id: int) -> Pairing:
    return answerable_as(Pairing, "mentee", pairing_id)


def pairing_of_either(pairing_id: int) -> Pairing:
    return answerable_of_either(Pairing, pairing_id)


def endable_pairing(pairing_id: int) -> Pairing:
    """A pairing the current user is the mentee or mentor of, or a pairing of a program they
    coordinate (ending it, its closing survey), else 404."""
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or lifecycle.role_in(pairing, current_user) is None:
        abort(404)
    return pairing


def mentor_request(request_id: int) -> MicroRequest:
    return answerable_as(MicroRequest, "mentor", request_id)


def mentee_request(request_id: int) -> MicroRequest:
    return answerable_as(MicroRequest, "mentee", request_id)


def micro_program(program_id: int) -> tuple[Program, Membership]:
    """A program the current mentee belongs to that takes micro-requests (with their membership), else 404."""
    membership = own_membership(program_id, "mentee")
    if not membership.program.offers_micro:
        abort(404)
    return membership.program, membership


def askable_mentor(program: Program, membership_id: int) -> Membership:
    """A mentor's membership in `program`, whom a request may be sent to, else 404 (never the
    sender's own mentor side, in a program that allows both)."""
    mentor = db.session.scalar(db.select(Membership).where(
        Membership.id == membership_id, Membership.program_id == program.id, Membership.role == "mentor",
        Membership.user_id != current_user.id))
    if mentor is None:
        abort(404)
    return mentor


def visible_request(request_id: int) -> MicroRequest:
    """The mentee who sent it, the mentor it was sent to; nobody else."""
    return answerable_of_either(MicroRequest, request_id)


# -- meetings (of an accepted pair) ----------------------------------------------------------

def meeting_item(kind: str, item_id: int) -> Pairing | MicroRequest:
    """The pairing or micro-request ("pairings" / "requests") the current user is one of the two
    of, else 404: the mentee's other mentors, strangers and coordinators find nothing."""
    return answerable_of_either(Pairing if kind == "pairings" else MicroRequest, item_id)


def own_meeting(meeting_id: int) -> Meeting:
    """A meeting of a pair the current user is one of, else 404."""
    return meetings.meeting_for(current_user, meeting_id) or abort(404)


def visible_meeting(meeting_id: int) -> Meeting:
    """A meeting the current user is in; for a coordinator of its program, only under the thread's
    rule (a report was filed about the pair, read_along), else 404."""
    meeting = db.session.get(Meeting, meeting_id) or abort(404)
    if meeting.circle_id is not None:  # a circle's meetings live on its page (circle_meeting)
        abort(404)
    read_along(meetings.item_of(meeting))
    return meeting


# -- circles (a peer pair or a peer circle: its page, thread and meetings) ---------------------

def visible_circle(circle_id: int) -> Circle:
    """A circle the current user is a member of (or left: read-only), or one of a program they
    coordinate (read-only), else 404: a stranger, another circle's member, another program's
    coordinator and a member removed from the program find nothing."""
    return groups.visible(current_user, circle_id) or abort(404)


def member_circle(circle_id: int) -> Circle:
    """A circle the current user is a member of (the services refuse a leaver with a reason), else 404."""
    return groups.acting_member(current_user, circle_id) or abort(404)


def coordinated_circle(circle_id: int) -> Circle:
    """A circle of a program the current coordinator runs, else 404."""
    circle = db.session.get(Circle, circle_id) or abort(404)
    coordinated_program(circle.program_id)
    return circle


def circle_meeting(circle: Circle, meeting_id: int) -> Meeting:
    """A meeting of a circle the caller already holds, for one of its current members, else 404."""
    return meetings.meeting_for(current_user, meeting_id, circle) or abort(404)


def visible_circle_meeting(circle: Circle, meeting_id: int) -> Meeting:
    """A meeting of a circle the caller may already see, for a current member or its coordinator,
    else 404 (one who left is out of the circle's meetings)."""
    if not groups.sees_meetings(circle, current_user):
        abort(404)
    return child_of(Meeting, meeting_id, "circle_id", circle.id)


# -- threads (the conversation of an accepted pair) ------------------------------------------

def thread_item(kind: str, item_id: int, *, writing: bool = False) -> Pairing | MicroRequest:
    """The pairing or request (`kind`) whose conversation the current user may read: one of the two
    people, once it has a thread; a coordinator of its program only once a report was filed about
    it, and never to write. Anyone else (the mentee's other mentors, the other program's
    coordinator) gets 404."""
    model = Pairing if kind == "pairing" else MicroRequest
    item = db.session.get(model, item_id)
    if item is None or not threads.has_thread(item):
        abort(404)
    return read_along(item, writing=writing)


def read_along(item: Pairing | MicroRequest, *, writing: bool = False) -> Pairing | MicroRequest:
    """What the pair does together (its thread, its meetings) is for the two people; a coordinator
    of the program reads along only once a report was filed about the item, and never writes.
    Anyone else: 404."""
    if _one_of_the_two(item):
        return item
    if writing or current_user.role != "coordinator" or not threads.report_filed(item):
        abort(404)
    coordinated_program(item.program_id)
    return item


# -- rounds ------------------------------------------------------------------------------------

def coordinated_round(program_id: int, round_id: int) -> tuple[Program, Round]:
    """A round of a program the current coordinator runs (and that program), else 404."""
    program = coordinated_program(program_id)
    return program, child_of(Round, round_id, "program_id", program.id)


def round_run(round_: Round, run_id: int) -> SolveRun:
    """A solve run of a round the caller already holds, else 404."""
    return child_of(SolveRun, run_id, "round_id", round_.id)


def run_pair(run: SolveRun | None, pair_id: int) -> RunPair:
    """A proposed pair of a run the caller already holds (None: no run yet), else 404."""
    return child_of(RunPair, pair_id, "run_id", run.id if run is not None else None)


def run_group(run: SolveRun | None, group_id: int) -> RunGroup:
    """A proposed peer pair or circle of a run the caller already holds (None: no run yet), else 404."""
    return child_of(RunGroup, group_id, "run_id", run.id if run is not None else None)


def round_constraint(round_: Round, constraint_id: int) -> RoundConstraint:
    """A lock or forbidden pair of a round the caller already holds, else 404."""
    return child_of(RoundConstraint, constraint_id, "round_id", round_.id)


def program_mentee(program: Program, membership_id: int) -> Membership:
    """A mentee of a program the caller already proved they coordinate, else 404."""
    membership = program_membership(program, membership_id)
    if membership.role != "mentee":
        abort(404)
    return membership


# -- asks (ask the program, issue 15 item 5) ----------------------------------------------------

def ask_program(program_id: int) -> tuple[Program, bool]:
    """A program the caller belongs to (False) or coordinates (True), else 404."""
    program = db.session.get(Program, program_id) or abort(404)
    if asks.coordinates(current_user, program.id):
        return program, True
    if asks.membership_of(current_user, program.id) is None:
        abort(404)
    return program, False


def ask_circle(circle_id: int) -> tuple[Circle, bool]:
    """A circle whose questions the caller may read: a current member (False) or a coordinator of
    its program (True), else 404."""
    circle = db.session.get(Circle, circle_id) or abort(404)
    seen = asks.circle_viewer(circle, current_user)
    if seen is False:
        abort(404)
    return circle, seen is True


def visible_ask(ask_id: int) -> tuple[Ask, str]:
    """A question the caller may read, and how ("coordinator", "author", "member"), else 404:
    another program's people, a circle's non-members, and everyone but its author and the
    coordinators once it is hidden."""
    ask = db.session.get(Ask, ask_id) or abort(404)
    viewer = asks.viewer_of(ask, current_user)
    if viewer is None:
        abort(404)
    return ask, viewer


def own_ask(ask_id: int) -> Ask:
    """The caller's own question, else 404."""
    ask, viewer = visible_ask(ask_id)
    if viewer != "author":
        abort(404)
    return ask


def answerable_ask(ask_id: int) -> Ask:
    """A question the caller can see as a member (not its author, not hidden), else 404."""
    ask, viewer = visible_ask(ask_id)
    if viewer != "member":
        abort(404)
    return ask


def coordinated_ask(ask_id: int) -> Ask:
    """A question of a program the caller coordinates, else 404."""
    ask, viewer = visible_ask(ask_id)
    if viewer != "coordinator":
        abort(404)
    return ask


def asker_answer(answer_id: int) -> AskAnswer:
    """An answer to the caller's own question, else 404."""
    item = db.session.get(AskAnswer, answer_id) or abort(404)
    own_ask(item.ask_id)
    return item


def coordinated_answer(answer_id: int) -> AskAnswer:
    """An answer in a program the caller coordinates, else 404."""
    item = db.session.get(AskAnswer, answer_id) or abort(404)
    coordinated_ask(item.ask_id)
    return item
