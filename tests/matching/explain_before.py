"""The explanation sentences as they were written before they had parts (issue 18), frozen: the
parts rendered in English must say exactly this (tests/matching/test_explain_words.py)."""
from __future__ import annotations

from mentormatch.matching.model import Criterion, Mentee, Mentor
from mentormatch.matching.scoring import STAGE_CURVES, norm

PREFERENCE_TEXT = {"peer": "a peer", "ahead": "a few years ahead", "senior": "someone senior"}

# Reason codes for a mentee left without a mentor, in the order they are reported: what a
# coordinator reads in the round review, as (one, many) so that every count reads right.
REASONS = {
    "mentor_unavailable": ("{n} mentor offers no seats", "{n} mentors offer no seats"),
    "forbidden": ("you ruled out the pair with {n} mentor", "you ruled out the pairs with {n} mentors"),
    "no_shared_language": ("{n} mentor has no shared language with them", "{n} mentors have no shared language with them"),
    "below_min_overlap": ("{n} mentor's working hours overlap too little with theirs",
                          "{n} mentors' working hours overlap too little with theirs"),
    "below_min_score": ("the fit with {n} mentor is below the round's minimum score",
                        "the fit with {n} mentors is below the round's minimum score"),
    "criterion_mismatch": ("{n} mentor gave another answer to a question that must match",
                           "{n} mentors gave other answers to a question that must match"),
    "not_a_candidate": ("{n} mentor is not among the candidate pairs you gave",
                        "{n} mentors are not among the candidate pairs you gave"),
    "capacity_full": ("{n} candidate's seat went to someone else", "the seats of {all}{n} candidates went to others"),
    "team_cap": ("{n} candidate already has the most mentees allowed from the same team",
                 "{n} candidates already have the most mentees allowed from the same team"),
    "continued_cap": ("{n} candidate already keeps the most continuing mentees allowed",
                      "{n} candidates already keep the most continuing mentees allowed"),
    "group_balance": ("{n} candidate's free seat was kept so that groups stay balanced",
                      "{n} candidates' free seats were kept so that groups stay balanced"),
    "no_gain": ("{n} candidate would add nothing to the score", "{n} candidates would add nothing to the score"),
    "not_chosen": ("{n} candidate was not chosen before the solve stopped",
                   "{n} candidates were not chosen before the solve stopped"),
}
# What a coordinator can do about the first reason that applies, in this order.
ADVICE = [
    ("capacity_full", "ask a candidate mentor for one more seat, or swap this mentee in by hand"),
    ("not_chosen", "run the round again"),
    ("team_cap", "loosen the per-team limit in the round's rules"),
    ("continued_cap", "loosen the continuing-mentee limit in the round's rules"),
    ("group_balance", "loosen the group balance in the round's rules"),
    ("below_min_score", "lower the minimum score in the round's rules"),
    ("below_min_overlap", "lower the minimum working-time overlap in the round's rules"),
    ("no_shared_language", "check the languages on their goal form"),
    ("criterion_mismatch", "check their answers to the program's must-match questions"),
    ("mentor_unavailable", "ask mentors to open seats on their profiles"),
    ("forbidden", "lift a pair you ruled out"),
    ("not_a_candidate", "add candidate pairs for them"),
]
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
                  continuing: bool = False, scored: bool = True, score: int | None = None,
                  history: bool = False, criteria: list[Criterion] | tuple = ()) -> str:
    """Why this pair, for everyone who sees it: the coordinator, and the mentor and mentee it is
    proposed to. So it never says how the coordinator steered the round (a lock shows as a badge
    on the review page instead)."""
    parts: list[str] = []
    if continuing:
        parts.append("continuing from last round")
    if history:
        parts.append("worked together on a micro-request")
    if not scored:
        parts.append(f"picked from the program's own candidate list (fit {score})")
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
    parts += criteria_phrases(mentee, mentor, criteria)
    if "mentor_pref" in why:
        parts.append("fits the mentor's preferences" if why["mentor_pref"] >= 0.99 else
                     "partly fits the mentor's preferences" if why["mentor_pref"] > 0 else
                     "outside the mentor's stated preferences")
    return "; ".join(parts)


def criteria_phrases(mentee: Mentee, mentor: Mentor, criteria) -> list[str]:
    """What the program's own questions say about the pair: "both answered Campus: Lisbon"."""
    out = []
    for c in criteria:
        a, b = mentee.answers.get(c.key), mentor.answers.get(c.key)
        if a is None or b is None:
            continue
        if norm(a) == norm(b):
            out.append(f"both answered {c.label}: {a}")
        elif c.kind == "different":
            out.append(f"different answers to {c.label} ({a} / {b})")
    return out


def reason_text(code: str, n: int, *, all_candidates: bool = False) -> str:
    """One reason, in words that agree with its count ("1 mentor offers no seats")."""
    if code == "capacity_full" and all_candidates and n == 1:
        return "the only candidate's seat went to someone else"
    one, many = REASONS.get(code, (code + " ({n})", code + " ({n})"))
    return (one if n == 1 else many).format(n=n, all="all " if all_candidates else "")


def unmatched_sentence(reasons: list[tuple[str, int]]) -> str:
    """Why a mentee has no mentor, and what the coordinator could do about it."""
    if not reasons:
        return "No mentor: this round has no mentors yet. Invite mentors to the program, then run it again."
    n_cand = sum(n for code, n in reasons if code in CANDIDATE_REASONS)
    texts = [reason_text(code, n, all_candidates=code == "capacity_full" and n == n_cand) for code, n in reasons]
    if n_cand == 0:
        texts.append("so no mentor could take them")
    codes = {code for code, _ in reasons}
    advice = next((text for code, text in ADVICE if code in codes), None)
    sentence = "No mentor: " + "; ".join(texts) + "."
    return sentence + (f" To fix: {advice}." if advice else "")


# ---------------------------------------------------------------- peers and circles, as they were

from collections import Counter  # noqa: E402

import numpy as np  # noqa: E402

from mentormatch.matching.crowd import SLOTS, Person, Table, helps_with, shared_context, utc_offset  # noqa: E402

NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve"]


def count_word(n: int) -> str:
    return NUMBERS[n] if n < len(NUMBERS) else str(n)


def join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def common_window(mask: int) -> str:
    if not mask:
        return "no common working time"
    if mask == (1 << SLOTS) - 1:
        return "all day"
    best = (0, 0)
    for start in range(SLOTS):
        if (mask >> start) & 1 and not (mask >> ((start - 1) % SLOTS)) & 1:
            n = 0
            while (mask >> ((start + n) % SLOTS)) & 1 and n < SLOTS:
                n += 1
            best = max(best, (n, -start))
    n, start = best[0], -best[1]

    def clock(q: int) -> str:
        q %= SLOTS
        return f"{q // 4:02d}:{(q % 4) * 15:02d}"
    return f"{clock(start)}-{clock(start + n)} UTC"


def peer_pair_sentence(p: Person, q: Person, hours: float) -> str:
    """Why these two, in words both of them can read."""
    parts = []
    shared = shared_context(p, q)
    if shared:
        parts.append("you both share " + join_words(shared))
    gives = [(p, q, helps_with(p, q)), (q, p, helps_with(q, p))]
    helps = [f"{x.id} can help {y.id} with {join_words(t)}" for x, y, t in gives if t]
    parts.append(", ".join(helps) if helps else "neither offers what the other wants yet")
    gap = abs(p.years - q.years)
    gap = int(gap) if gap == int(gap) else round(gap, 1)
    parts.append("the same experience" if gap == 0 else
                 f"{gap} year{'s' if gap != 1 else ''} apart in experience")
    h = int(hours) if hours == int(hours) else hours
    parts.append(f"{h} h working-time overlap")
    return "; ".join(parts)


def left_out_reason(n_cand: int, why: np.ndarray, optimal: bool) -> str:
    if n_cand:
        peers = "peer" if n_cand == 1 else "peers"
        tail = "a higher total fit" if optimal else "the solve stopped before a better pairing"
        return (f"Not paired: {'the' if n_cand == 1 else 'all'} {n_cand} candidate {peers} "
                f"went to others ({tail}).")
    texts = [t.format(n=int(k)) for t, k in zip(
        ("{n} have too little working time in common", "{n} share no language",
         "{n} were ruled out", "{n} fit below the round's minimum"), why) if k]
    if not texts:
        return "Not paired: no one else is in this round."
    return "Not paired: no candidate peer; of the others, " + "; ".join(texts) + "."


def circle_sentence(T: Table, members: list[int], facilitator: int | None) -> str:
    people = [T.people[i] for i in members]
    n = len(people)
    ctx = Counter(norm(c) for p in people for c in p.context)
    label = {norm(c): c for p in people for c in p.context}
    shared = [(label[c], k) for c, k in sorted(ctx.items(), key=lambda x: (-x[1], x[0])) if k >= 2]
    parts = []
    if shared:
        parts.append(f"{count_word(n)} people, " + join_words(
            [f"{'all' if k == n else count_word(k)} {c}" for c, k in shared[:3]]))
    else:
        parts.append(f"{count_word(n)} people with no context in common")
    wants = Counter(norm(t) for p in people for t in p.wants)
    wlabel = {norm(t): t for p in people for t in p.wants}
    top = [(wlabel[t], k) for t, k in sorted(wants.items(), key=lambda x: (-x[1], x[0])) if k >= 2]
    if top:
        parts.append("into " + join_words([f"{t} ({k})" for t, k in top[:3]]))
    tzs = sorted({p.tz for p in people})
    parts.append(utc_offset(tzs[0]) if len(tzs) == 1 else
                 f"{utc_offset(tzs[0])} to {utc_offset(tzs[-1])}")
    common = (1 << SLOTS) - 1
    for i in members:
        common &= T.masks[i]
    parts.append(f"working hours overlap {common_window(common)}")
    years = [p.years for p in people]
    lo, hi = min(years), max(years)
    parts.append(f"{lo:g}-{hi:g} years of experience" if lo != hi else
                 f"all {lo:g} year{'s' if lo != 1 else ''} of experience")
    if facilitator is not None:
        parts.append(f"facilitated by {T.people[facilitator].id}")
    return "; ".join(parts)


