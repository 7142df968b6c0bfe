"""Plain data for the matching core: what goes into a solve and what comes out.

Every field mirrors the interchange format (docs/formats.md, version 2), so the site, the
command line and the benchmark all speak the same language.  Nothing here knows about Flask
or a database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

PREFERENCES = ("peer", "ahead", "senior")
CONTEXT_KEYS = ("industry", "tags")
OBJECTIVES = ("coverage", "quality")
# Mentee attributes a group-balance rule may group by.
BALANCE_KEYS = ("tags", "industry", "team", "preference", "languages")
# How a program's own question steers the match (format version 2): the same answer scores,
# a different answer scores (cross-team mentoring), or the same answer is required.
CRITERION_KINDS = ("same", "different", "must_match")


@dataclass
class Criterion:
    """A generic attribute both sides answer (a program's one-choice question)."""

    key: str
    label: str
    kind: str = "same"
    weight: float = 10


@dataclass
class Mentee:
    id: str
    languages: list[str]
    tz: float
    years: float
    preference: str = "ahead"
    topics: list[str] = field(default_factory=list)
    industry: str | None = None
    tags: list[str] = field(default_factory=list)
    context_matters: list[str] = field(default_factory=list)
    team: str | None = None
    # Extras (optional in the format, off by default).
    priority: int = 0
    must_match: bool = False
    # Criterion key -> answer (format version 2); a key left out is "not answered".
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class Mentor:
    id: str
    languages: list[str]
    tz: float
    years: float
    capacity: int
    topics: list[str] = field(default_factory=list)
    industry: str | None = None
    tags: list[str] = field(default_factory=list)
    # Extras: what the mentor would like in a mentee (feeds the `mentor_pref` weight).
    prefers_topics: list[str] = field(default_factory=list)
    prefers_stages: list[str] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class Weights:
    topics: float = 40
    context: float = 20
    stage: float = 25
    tz: float = 15
    # Zero by default so that instances written for format version 1 score exactly as specified.
    mentor_pref: float = 0


@dataclass
class GroupBalance:
    by: str = "tags"
    slack: float = 0.05


@dataclass
class Rules:
    min_score: float | None = None
    mentors_per_mentee: int = 1
    max_same_team: int | None = None
    group_balance: GroupBalance | None = None
    # Extras.
    min_tz_overlap: float | None = None
    continuity_bonus: int = 0
    max_continued_per_mentor: int | None = None
    # Added to the score of a pair in Instance.history (worked together well before).
    history_bonus: int = 0
    objective: str = "coverage"


@dataclass
class Edges:
    """A given candidate set: positions into the mentee and mentor lists, and integer scores."""

    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray

    def __post_init__(self) -> None:
        self.mentee = np.asarray(self.mentee, dtype=np.int64)
        self.mentor = np.asarray(self.mentor, dtype=np.int64)
        self.score = np.asarray(self.score, dtype=np.int64)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Edges):
            return NotImplemented
        return (np.array_equal(self.mentee, other.mentee)
                and np.array_equal(self.mentor, other.mentor)
                and np.array_equal(self.score, other.score))


@dataclass
class Instance:
    mentees: list[Mentee]
    mentors: list[Mentor]
    weights: Weights = field(default_factory=Weights)
    rules: Rules = field(default_factory=Rules)
    forbidden: list[tuple[str, str]] = field(default_factory=list)
    locked: list[tuple[str, str]] = field(default_factory=list)
    continuing: list[tuple[str, str]] = field(default_factory=list)
    # Pairs with good history outside rounds (a micro-request done, followed up and thanked).
    history: list[tuple[str, str]] = field(default_factory=list)
    edges: Edges | None = None
    criteria: list[Criterion] = field(default_factory=list)


@dataclass
class Pair:
    mentee: str
    mentor: str
    score: int
    why: dict[str, Any] = field(default_factory=dict)
    sentence: str = ""
    locked: bool = False
    # The sentence as structured parts, [(code, values)] (explain.pair_parts): what the site
    # stores and renders in the reader's language. Not in the CLI's files, so not compared.
    parts: list = field(default_factory=list, compare=False)


@dataclass
class Unmatched:
    mentee: str
    # (code, count) pairs, most important first; the file form is "code:count".
    reasons: list[tuple[str, int]] = field(default_factory=list)
    sentence: str = ""


@dataclass
class BlockingPair:
    """A candidate pair not in the result that both sides would rather have."""

    mentee: str
    mentor: str
    score: int
    mentee_gain: int  # score over the mentee's weakest pair (the whole score if a slot is free)
    mentor_gain: int  # likewise for the mentor's weakest mentee


@dataclass
class Result:
    status: str
    objective: dict[str, int]
    bound: dict[str, int]
    gap: float
    solver: str
    stats: dict[str, Any] = field(default_factory=dict)
    assignment: list[Pair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    message: str = ""
    # The blocking pairs both sides gain most from (the count is stats["blocking_pairs"]).
    blocking: list[BlockingPair] = field(default_factory=list)
