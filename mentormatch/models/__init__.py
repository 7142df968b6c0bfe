"""All models, imported here so that Alembic and create_all() see every table."""
from .answer_links import UsedEmailToken
from .asks import ANSWER_MAX, ASK_MAX, ASK_MIN, ASK_OPEN_DAYS, ASK_STATES, Ask, AskAnswer, AskDigest, AskHelper
from .base import BIDI_CONTROLS, Base, clean_name, utcnow
from .checkins import CHECKIN_DAYS, CheckIn
from .circles import CIRCLE_KINDS, Circle, CircleMember
from .contact import CHAT_SERVICE_LABELS, CHAT_SERVICES, ContactChannels
from .exports import WORKBOOK_STATUSES, WorkbookExport
from .fairness import ContinueWish, MenteePriority
from .goal_steps import GoalStep
from .imports import ImportJob, ProgramInvitation
from .mail import OUTBOX_STATES, OutboxMessage
from .meetings import DURATIONS, MAX_SLOTS, MEETING_STATES, MET_ANSWERS, Meeting, MeetingAnswer, MeetingSlot
from .pairing import DECLINE_REASONS, ENDABLE_STATES, ENDED_STATES, PAIRING_STATES, SEAT_STATES, Pairing
from .people import (
                       CONTEXT_KINDS,
                       FOLLOWUP_KINDS,
                       PREFERENCES,
                       ROLE_LEVELS,
                       WANTS,
                       FollowUp,
                       GoalForm,
                       MentorProfile,
                       Note,
                       Term,
)
from .program import Invitation, Membership, Program, ProgramCoordinator
from .questions import AUDIENCES, CRITERIA, MAX_CHOICES, MAX_QUESTIONS, QUESTION_KINDS, Question, QuestionAnswer
from .reports import MentorReport
from .requests import (
                       CAPACITY_STATES,
                       MAX_OPEN_REQUESTS,
                       PENDING_REQUEST,
                       REQUEST_KIND_LABELS,
                       REQUEST_KINDS,
                       REQUEST_STATES,
                       Event,
                       MicroRequest,
                       OpenRequestCounter,
)
from .rounds import (
                     ROUND_KINDS,
                     ROUND_STATES,
                     Round,
                     RoundConstraint,
                     RoundEvent,
                     RunGroup,
                     RunGroupMember,
                     RunPair,
                     RunUnmatched,
                     SolveRun,
)
from .surveys import SURVEY_ROLES, ClosingSurvey
from .threads import MAX_MESSAGE, Message, ThreadRead
from .user import ROLES, LinkedIdentity, LoginSession, User

__all__ = [
    "Base", "BIDI_CONTROLS", "clean_name", "utcnow", "User", "LoginSession", "LinkedIdentity", "ROLES", "Program", "ProgramCoordinator", "Membership", "Invitation",
    "ImportJob", "ProgramInvitation", "WorkbookExport", "WORKBOOK_STATUSES",
    "Term", "GoalForm", "MentorProfile", "PREFERENCES", "WANTS", "CONTEXT_KINDS", "ROLE_LEVELS",
    "ContactChannels", "CHAT_SERVICES", "CHAT_SERVICE_LABELS",
    "Ask", "AskAnswer", "AskDigest", "AskHelper", "ASK_STATES", "ASK_MIN", "ASK_MAX", "ANSWER_MAX", "ASK_OPEN_DAYS",
    "Circle", "CircleMember", "CIRCLE_KINDS", "ROUND_KINDS", "RunGroup", "RunGroupMember",
    "Pairing", "PAIRING_STATES", "SEAT_STATES", "DECLINE_REASONS", "Round", "ROUND_STATES",
    "Meeting", "MeetingSlot", "MeetingAnswer", "MEETING_STATES", "DURATIONS", "MET_ANSWERS", "MAX_SLOTS",
    "ENDED_STATES", "ENDABLE_STATES", "ClosingSurvey", "SURVEY_ROLES",
    "Question", "QuestionAnswer", "QUESTION_KINDS", "AUDIENCES", "CRITERIA", "MAX_QUESTIONS", "MAX_CHOICES",
]
