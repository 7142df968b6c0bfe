"""A program's own questions (issue 17): asked on the mentee goal form, the mentor profile or
both; a one-choice question asked of both sides can be a matching criterion."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

QUESTION_KINDS = ("text", "one", "many", "scale")
AUDIENCES = ("mentees", "mentors", "both")
CRITERIA = ("same", "different", "must_match")
MAX_QUESTIONS = 20   # live questions per program
MAX_CHOICES = 50


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("kind IN ('text', 'one', 'many', 'scale')", name="kind"),
        CheckConstraint("audience IN ('mentees', 'mentors', 'both')", name="audience"),
        CheckConstraint("criterion IS NULL OR (criterion IN ('same', 'different', 'must_match') "
                        "AND kind = 'one' AND audience = 'both')", name="criterion"),
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight"),
        # The cap of live questions held by the database: a live question takes one of the program's
        # MAX_QUESTIONS slots, so two coordinators adding the last one at once cannot make one more.
        CheckConstraint(f"slot IS NULL OR (slot >= 1 AND slot <= {MAX_QUESTIONS})", name="slot"),
        CheckConstraint("(slot IS NULL) = (deleted_at IS NOT NULL)", name="slot_live"),
        UniqueConstraint("program_id", "slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    help: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(8))
    audience: Mapped[str] = mapped_column(String(8))
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    choices: Mapped[list] = mapped_column(JSON, default=list)  # labels, for one / many
    criterion: Mapped[str | None] = mapped_column(String(12))
    weight: Mapped[int] = mapped_column(default=10)
    # Soft delete: the answers given keep their question (and carry its label anyway).
    deleted_at: Mapped[datetime | None]
    slot: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuestionAnswer(db.Model):
    """One member's answer. It keeps the question's label and the answer's text as given, so a
    question changed or deleted later still reads as what was asked and answered."""

    __tablename__ = "question_answers"
    __table_args__ = (UniqueConstraint("question_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    value: Mapped[list] = mapped_column(JSON, default=list)  # choice labels, or [text], or [n]
    text: Mapped[str] = mapped_column(Text, default="")      # readable: "Lisbon", "A, B", "4"
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    question: Mapped[Question] = relationship()
