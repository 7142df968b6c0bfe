"""Sentences a coordinator can read: why this pair, and why this mentee has no mentor."""
from __future__ import annotations

from .model import Mentee, Mentor
from .scoring import STAGE_CURVES, norm

PREFERENCE_TEXT = {"peer": "a peer", "ahead": "a few years ahead", "senior": "someone senior"}

# Reason codes for a mentee left without a mentor, in the order they are reported.
REASONS = {
    "mentor_unavailable": "{n} mentors offer no seats",
    "forbidden": "forbidden with {n}",
    "no_shared_language": "no shared language with {n} mentors",
    "below_min_overlap": "too little working-time overlap with {n}",
    "below_min_score": "below the minimum score with {n}",
    "not_a_candidate": "not among the given candidate pairs for {n} mentors",
    "capacity_full": "{all}{n} candidates' seats went to others",
    "team_cap": "{n} candidates already have the most mentees allowed from the same team",
    "continued_cap": "{n} candidates already keep the most continuing mentees allowed",
    "group_balance": "{n} candidates' free seats were left so that groups stay balanced",
    "no_gain": "{n} candidates would add no score",
    "not_chosen": "{n} candidates were not chosen before the solve stopped",
}
REASON_ORDER = list(REASONS)
CANDIDATE_REASONS = ("capacity_full", "team_cap", "continued_cap", "group_balance", "no_gain",
                     "not_chosen")


def _years(x: float) -> str:
    x = round(x, 1)
    x = int(x) if x == int(x) else x
    return f"{x} year" if x == 1 else f"{x} years"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def stage_phrase(mentee: Mentee, mentor: Mentor) -> str:
    gap = mentor.years - mentee.years
    lo, hi, _, _ = STAGE_CURVES[mentee.preference]
    if abs(gap) < 0.05:
        where = "same experience"
    elif gap > 0:
        where = f"{_years(gap)} ahead"
    else:
        where = f"{_years(-gap)} behind"
    if lo <= gap <= hi:
        return f"{where}, as asked"
    return f"{where} (asked for {PREFERENCE_TEXT[mentee.preference]})"


def pair_sentence(mentee: Mentee, mentor: Mentor, why: dict, overlap: float, *,
                  locked: bool = False, continuing: bool = False, scored: bool = True,
                  score: int | None = None, history: bool = False) -> str:
    parts: list[str] = []
    if locked:
        parts.append("locked by the coordinator")
    if continuing:
        parts.append("continuing from last round")
    if history:
        parts.append("worked together on a micro-request")
    if not scored:
        parts.append(f"score {score} from the given candidate pairs")
        return "; ".join(parts)
    shared: list[str] = []
    if "industry" in mentee.context_matters and mentee.industry and mentor.industry \
            and norm(mentee.industry) == norm(mentor.industry):
        shared.append(mentee.industry)
    if "tags" in mentee.context_matters:
        mtags = {norm(t) for t in mentor.tags}
        shared += [t for t in mentee.tags if norm(t) in mtags]
    if shared:
        parts.append("shares " + _join(shared))
    elif mentee.context_matters:
        parts.append("shares none of the context the mentee cares about")
    parts.append(stage_phrase(mentee, mentor))
    if mentee.topics:
        have = {norm(t) for t in mentor.topics}
        covered = [t for t in mentee.topics if norm(t) in have]
        text = f"covers {len(covered)} of {len(mentee.topics)} topic" + \
            ("s" if len(mentee.topics) != 1 else "")
        if covered:
            text += f" ({', '.join(covered)})"
        parts.append(text)
    else:
        parts.append("the mentee listed no topics")
    h = round(float(overlap), 1)
    h = int(h) if h == int(h) else h
    parts.append(f"{h} h working-time overlap")
    if "mentor_pref" in why:
        parts.append("fits the mentor's preferences" if why["mentor_pref"] >= 0.99 else
                     "partly fits the mentor's preferences" if why["mentor_pref"] > 0 else
                     "outside the mentor's stated preferences")
    return "; ".join(parts)


def unmatched_sentence(reasons: list[tuple[str, int]]) -> str:
    if not reasons:
        return "No mentor: there are no mentors in this round."
    n_cand = sum(n for code, n in reasons if code in CANDIDATE_REASONS)
    texts = []
    for code, n in reasons:
        tpl = REASONS.get(code, code + " ({n})")
        texts.append(tpl.format(n=n, all="all " if code == "capacity_full" and n == n_cand
                                else ""))
    if n_cand == 0:
        texts.append("so no mentor was a candidate")
    return "No mentor: " + "; ".join(texts) + "."
