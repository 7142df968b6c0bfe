"""Match rounds: a coordinator's set of pairs from one optimizer run, reviewed and approved.

A Round holds the coordinator's settings (pool, weights, rules) and its lock/forbid
constraints. Each press of "Run" records a SolveRun; its result rows (RunPair, RunUnmatched)
live in the database so that any web worker can show them. RoundEvent is the audit trail.
"""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

ROUND_STATES = ("draft", "solving", "proposed", "approved", "closed")
ROUND_KINDS = ("mentor", "peer", "circle")
RUN_STATUSES = ("queued", "running", "done", "failed", "cancelled")
ACTIVE_RUN_STATUSES = ("queued", "running")
CONSTRAINT_KINDS = ("lock", "forbid")


class Round(db.Model):
    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'solving', 'proposed', 'approved', 'closed')", name="state"),
        CheckConstraint("kind IN ('mentor', 'peer', 'circle')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    # What the round forms: mentor-mentee pairings, peer pairs or peer circles (ROUND_KINDS).
    kind: Mapped[str] = mapped_column(String(8), default="mentor", server_default="mentor")
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
    pool: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    # The run whose pairs were published (a plain id: a FK here would make the two tables cyclic).
    approved_run_id: Mapped[int | None]
    # The run started last: only it may settle the round (a stale worker's late end may not).
    current_run_id: Mapped[int | None]

    program: Mapped["Program"] = relationship()  # noqa: F821

    @property
    def editable(self) -> bool:
        return self.state in ("draft", "proposed")


class SolveRun(db.Model):
    """One optimizer run of a round: queued -> running -> done | failed | cancelled."""

    __tablename__ = "solve_runs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status"),
        CheckConstraint("kind IN ('full', 'repair')", name="kind"),
        Index("ix_solve_runs_round_status", "round_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8), default="full")
    status: Mapped[str] = mapped_column(String(12), default="queued")
    phase: Mapped[str] = mapped_column(String(24), default="queued")
    progress: Mapped[dict] = mapped_column(JSON, default=dict)
    # Settings as they were when the run started, so that compare shows what changed.
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[str] = mapped_column(String(64), default="")
    # Summary figures (filled when done).
    mentee_count: Mapped[int] = mapped_column(default=0)
    mentor_count: Mapped[int] = mapped_column(default=0)
    candidate_count: Mapped[int] = mapped_column(default=0)
    pair_count: Mapped[int] = mapped_column(default=0)
    matched_count: Mapped[int] = mapped_column(default=0)
    unmatched_count: Mapped[int] = mapped_column(default=0)
    total_score: Mapped[int] = mapped_column(default=0)
    timings: Mapped[dict] = mapped_column(JSON, default=dict)
    charts: Mapped[dict] = mapped_column(JSON, default=dict)  # score histogram, group rates, seats
    # The solver's own verdict.
    result_status: Mapped[str] = mapped_column(String(16), default="")
    objective: Mapped[dict] = mapped_column(JSON, default=dict)
    bound: Mapped[dict] = mapped_column(JSON, default=dict)
    gap: Mapped[float | None]
    message: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[Round] = relationship()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def match_rate(self) -> float:
        return self.matched_count / self.mentee_count if self.mentee_count else 0.0


class RunPair(db.Model):
    __tablename__ = "run_pairs"
    __table_args__ = (
        Index("ix_run_pairs_run_score", "run_id", "score"),
        Index("ix_run_pairs_run_mentee_name", "run_id", "mentee_name"),
        Index("ix_run_pairs_run_mentor_name", "run_id", "mentor_name"),
        Index("ix_run_pairs_run_mentee", "run_id", "mentee_membership_id"),
        Index("ix_run_pairs_run_mentor", "run_id", "mentor_membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("solve_runs.id", ondelete="CASCADE"))
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    mentor_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    # Names are copied in so that sorting and searching 10,000 rows needs no join.
    mentee_name: Mapped[str] = mapped_column(String(120), default="")
    mentor_name: Mapped[str] = mapped_column(String(120), default="")
    score: Mapped[int] = mapped_column(default=0)
    why: Mapped[dict] = mapped_column(JSON, default=dict)
    sentence: Mapped[str] = mapped_column(Text, default="")
    # The sentence as parts (matching/explain.pair_parts), rendered in the reader's language; None: older rows.
    sentence_parts: Mapped[list | None] = mapped_column(JSON)
    locked: Mapped[bool] = mapped_column(default=False)
    swapped: Mapped[bool] = mapped_column(default=False)


class RunGroup(db.Model):
    """A peer pair (two members) or a peer circle (circle_min..circle_max members) proposed by a run
    of a peer or circle round: what RunPair is to a mentor round."""

    __tablename__ = "run_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("solve_runs.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(default=0)
    # The sentence as parts (matching/explain), rendered in the reader's language.
    sentence_parts: Mapped[list | None] = mapped_column(JSON)
    sentence: Mapped[str] = mapped_column(Text, default="")
    locked: Mapped[bool] = mapped_column(default=False)

    members: Mapped[list["RunGroupMember"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="RunGroupMember.id"
    )


class RunGroupMember(db.Model):
    __tablename__ = "run_group_members"
    __table_args__ = (UniqueConstraint("group_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("run_groups.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    facilitator: Mapped[bool] = mapped_column(default=False)

    group: Mapped[RunGroup] = relationship(back_populates="members")


class RunUnmatched(db.Model):
    __tablename__ = "run_unmatched"
    __table_args__ = (Index("ix_run_unmatched_run_mentee", "run_id", "mentee_membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("solve_runs.id", ondelete="CASCADE"))
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    mentee_name: Mapped[str] = mapped_column(String(120), default="")
    reasons: Mapped[list] = mapped_column(JSON, default=list)  # [[code, count], ...]
    sentence: Mapped[str] = mapped_column(Text, default="")
    help: Mapped[str] = mapped_column(Text, default="")  # what would help, in words


class RoundConstraint(db.Model):
    """A coordinator's lock (always in the result) or forbid (never) on one pair."""

    __tablename__ = "round_constraints"
    __table_args__ = (
        UniqueConstraint("round_id", "mentee_membership_id", "mentor_membership_id"),
        CheckConstraint("kind IN ('lock', 'forbid')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    mentor_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentee: Mapped["Membership"] = relationship(foreign_keys=[mentee_membership_id])  # noqa: F821
    mentor: Mapped["Membership"] = relationship(foreign_keys=[mentor_membership_id])  # noqa: F821


class RoundEvent(db.Model):
    """Audit: who did what to a round, and when."""

    __tablename__ = "round_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(24))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped["User | None"] = relationship()  # noqa: F821
