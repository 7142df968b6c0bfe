"""Where a person's data lives: the one declared list that export, account erasure and program
retention all read. A new table that holds personal data is one more `Personal(...)` line here
(the erase test checks every text column of every table, so a table left out fails it).

Each entry names whose rows they are (`by`: a users.id column, or a memberships.id column) and
what erasing does: delete the row, or blank the listed columns (rows that the other side's history
or the program's figures still count stay, emptied). A membership's rows are also what a program's
retention erases; rows owned by the account (`by="user"`) are erased only with the account.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from ...core.stored_words import ASK_REMOVED, FORMER_MEMBER, REMOVED_TEXT
from ...models import (
    Ask,
    AskAnswer,
    AskDigest,
    AskHelper,
    CheckIn,
    ClosingSurvey,
    ContactChannels,
    FollowUp,
    GoalForm,
    GoalStep,
    LoginSession,
    Meeting,
    MeetingAnswer,
    MenteePriority,
    MentorProfile,
    MentorReport,
    Message,
    MicroRequest,
    Note,
    Pairing,
    ProgramCoordinator,
)
from ...models.imports import ProgramInvitation
from ...models.questions import QuestionAnswer
from ...models.rounds import RunPair, RunUnmatched


def N_(text: str) -> str:
    """Marks a heading for translation (`make translations` finds it); the export page translates it
    when it shows it, while the JSON export keeps the English one."""
    return text


@dataclass(frozen=True)
class Personal:
    model: type
    column: str = ""               # the column saying whose row it is (or `owned`)
    by: str = "membership"         # "membership": memberships.id; "user": users.id
    delete: bool = False           # erase by deleting the row
    blank: dict = field(default_factory=dict)  # else: column -> the value it becomes
    label: str = ""                # the heading on the export page
    owned: Callable | None = None  # instead of `column`: owner ids -> a SQL condition
    exported: bool = True          # False: erased with them, but not shown to them (a report about them)

    def whose(self, owner_ids: list[int]):
        """The SQL condition for the rows of these owners."""
        return self.owned(owner_ids) if self.owned else getattr(self.model, self.column).in_(owner_ids)

    @property
    def title(self) -> str:
        return self.label or self.model.__tablename__.replace("_", " ")


def _meeting_side(side: str) -> Callable:
    """Meetings of the pairings and requests where these memberships are the mentee (or mentor)."""
    def condition(ids: list[int]):
        pairings = select(Pairing.id).where(getattr(Pairing, f"{side}_membership_id").in_(ids))
        requests = select(MicroRequest.id).where(getattr(MicroRequest, f"{side}_membership_id").in_(ids))
        return or_(Meeting.pairing_id.in_(pairings), Meeting.request_id.in_(requests))
    return condition


_CONTEXT = {"industry": "", "background": "", "location": "", "groups": [], "languages": [], "topics": []}

PERSONAL: tuple[Personal, ...] = (
    Personal(ContactChannels, "user_id", by="user", delete=True, label=N_("How to reach me")),
    Personal(LoginSession, "user_id", by="user", delete=True, label=N_("Logged-in sessions")),
    Personal(ProgramInvitation, "user_id", by="user", delete=True, label=N_("Invitations to programs")),
    Personal(ProgramCoordinator, "user_id", by="user", delete=True, label=N_("Programs I coordinate")),
    Personal(GoalForm, "membership_id", label=N_("Goal forms"), blank={
        **_CONTEXT, "near_term_goal": "", "long_term_goal": "", "power_question": "", "context_matters": []}),
    Personal(MentorProfile, "membership_id", label=N_("Mentor profiles"), blank={
        **_CONTEXT, "bio": "", "prefers_topics": [], "prefers_stages": [], "available": False}),
    Personal(QuestionAnswer, "membership_id", delete=True, label=N_("Answers to the program's questions")),
    Personal(GoalStep, "membership_id", label=N_("Goal steps"), blank={"title": ""}),
    Personal(Note, "author_membership_id", delete=True, label=N_("Notes I wrote")),
    Personal(Note, "mentee_membership_id", delete=True, label=N_("Notes about me")),
    Personal(FollowUp, "mentee_membership_id", label=N_("Follow-ups and thanks"), blank={"body": ""}),
    Personal(Message, "author_membership_id", label=N_("Messages I wrote"), blank={"body": REMOVED_TEXT}),
    Personal(CheckIn, "membership_id", label=N_("Check-ins"), blank={"comment": ""}),
    Personal(ClosingSurvey, "membership_id", label=N_("Closing surveys"), blank={"changed": ""}),
    Personal(MicroRequest, "mentee_membership_id", label=N_("Micro-requests I sent"), blank={
        "question": REMOVED_TEXT, "context": "", "info_answer": ""}),
    Personal(MicroRequest, "mentor_membership_id", label=N_("Micro-requests to me"), blank={
        "decline_note": "", "info_question": ""}),
    Personal(Pairing, "mentee_membership_id", label=N_("Pairings as mentee"), blank={"info_answer": ""}),
    Personal(Pairing, "mentor_membership_id", label=N_("Pairings as mentor"), blank={
        "decline_note": "", "info_question": ""}),
    Personal(Meeting, "organizer_membership_id", label=N_("Meetings I organised"), blank={"video_link": ""}),
    Personal(Meeting, owned=_meeting_side("mentee"), label=N_("Meetings as mentee"), blank={"mentee_met_note": ""}),
    Personal(Meeting, owned=_meeting_side("mentor"), label=N_("Meetings as mentor"), blank={"mentor_met_note": ""}),
    Personal(MeetingAnswer, "membership_id", label=N_("Did you meet? (circle meetings)"), blank={"note": ""}),
    Personal(MentorReport, "mentee_membership_id", label=N_("Reports I made"), blank={"note": ""}),
    # A mentee's report stays confidential: the reported mentor's export does not show it.
    Personal(MentorReport, "mentor_membership_id", label=N_("Reports about me"), blank={"note": ""}, exported=False),
    Personal(MenteePriority, "membership_id", label=N_("Priority in rounds"), blank={"note": ""}),
    Personal(RunPair, "mentee_membership_id", label=N_("Round proposals as mentee"), blank={"mentee_name": FORMER_MEMBER}),
    Personal(RunPair, "mentor_membership_id", label=N_("Round proposals as mentor"), blank={"mentor_name": FORMER_MEMBER}),
    Personal(RunUnmatched, "mentee_membership_id", label=N_("Left unmatched in a round"), blank={
        "mentee_name": FORMER_MEMBER}),
    Personal(Ask, "author_membership_id", label=N_("Questions I asked"), blank={"body": ASK_REMOVED}),
    Personal(AskAnswer, "author_membership_id", label=N_("Answers I gave to questions"), blank={"body": REMOVED_TEXT}),
    Personal(AskHelper, "membership_id", delete=True, label=N_("Questions I can help with")),
    Personal(AskDigest, "user_id", by="user", delete=True, label=N_("Question digests sent to me")),
)


def by_membership() -> list[Personal]:
    return [p for p in PERSONAL if p.by == "membership"]


def by_user() -> list[Personal]:
    return [p for p in PERSONAL if p.by == "user"]
