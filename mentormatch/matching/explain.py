"""Sentences a coordinator can read: why this pair, and why this mentee has no mentor.

The core says *why* as structured parts (a code and its values, JSON-serialisable) and renders
them in words with `render_pair` / `render_unmatched`. Rendering takes a `Words` (gettext and
ngettext callables and a number formatter); the default is English, which is what the CLI's
files say (docs/formats.md). The site stores the parts and renders them at display time in
the reader's language with its catalogs: the core stays free of Flask. Every English template
here is a msgid: `N_` and `NP_` only mark it for the extractor (pybabel -k N_ -k NP_:1,2).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import Criterion, Mentee, Mentor
from .scoring import STAGE_CURVES, norm


def N_(text: str) -> str:
    """Marks a msgid for extraction; translated where it is rendered."""
    return text


def NP_(one: str, many: str) -> tuple[str, str]:
    """Marks a (singular, plural) msgid pair for extraction."""
    return one, many


def _english_plural(one: str, many: str, n: int) -> str:
    return one if n == 1 else many


def _english_number(x: float) -> str:
    return str(x)


@dataclass(frozen=True)
class Words:
    """How to say things: gettext(msgid), ngettext(one, many, n) and a number formatter.
    The defaults are English (the msgids themselves)."""

    gettext: Callable[[str], str] = N_
    ngettext: Callable[[str, str, int], str] = _english_plural
    number: Callable[[float], str] = _english_number


ENGLISH = Words()
Part = tuple[str, dict[str, Any]]  # (code, values); JSON turns it into [code, {...}]

PREFERENCE_TEXT = {"peer": N_("a peer"), "ahead": N_("a few years ahead"), "senior": N_("someone senior")}

# Reason codes for a mentee left without a mentor, in the order they are reported: what a
# coordinator reads in the round review, as (one, many) so that every count reads right.
REASONS = {
    "mentor_unavailable": NP_("%(num)d mentor offers no seats", "%(num)d mentors offer no seats"),
    "forbidden": NP_("you ruled out the pair with %(num)d mentor", "you ruled out the pairs with %(num)d mentors"),
    "no_shared_language": NP_("%(num)d mentor has no shared language with them",
                              "%(num)d mentors have no shared language with them"),
    "below_min_overlap": NP_("%(num)d mentor's working hours overlap too little with theirs",
                             "%(num)d mentors' working hours overlap too little with theirs"),
    "below_min_score": NP_("the fit with %(num)d mentor is below the round's minimum score",
                           "the fit with %(num)d mentors is below the round's minimum score"),
    "criterion_mismatch": NP_("%(num)d mentor gave another answer to a question that must match",
                              "%(num)d mentors gave other answers to a question that must match"),
    "not_a_candidate": NP_("%(num)d mentor is not among the candidate pairs you gave",
                           "%(num)d mentors are not among the candidate pairs you gave"),
    "capacity_full": NP_("%(num)d candidate's seat went to someone else",
                         "the seats of %(num)d candidates went to others"),
    "team_cap": NP_("%(num)d candidate already has the most mentees allowed from the same team",
                    "%(num)d candidates already have the most mentees allowed from the same team"),
    "continued_cap": NP_("%(num)d candidate already keeps the most continuing mentees allowed",
                         "%(num)d candidates already keep the most continuing mentees allowed"),
    "group_balance": NP_("%(num)d candidate's free seat was kept so that groups stay balanced",
                         "%(num)d candidates' free seats were kept so that groups stay balanced"),
    "no_gain": NP_("%(num)d candidate would add nothing to the score",
                   "%(num)d candidates would add nothing to the score"),
    "not_chosen": NP_("%(num)d candidate was not chosen before the solve stopped",
                      "%(num)d candidates were not chosen before the solve stopped"),
}
# capacity_full when it covers every candidate the mentee had.
CAPACITY_FULL_ALL = NP_("the only candidate's seat went to someone else",
                        "the seats of all %(num)d candidates went to others")
# What a coordinator can do about the first reason that applies, in this order.
ADVICE = [
    ("capacity_full", N_("ask a candidate mentor for one more seat, or swap this mentee in by hand")),
    ("not_chosen", N_("run the round again")),
    ("team_cap", N_("loosen the per-team limit in the round's rules")),
    ("continued_cap", N_("loosen the continuing-mentee limit in the round's rules")),
    ("group_balance", N_("loosen the group balance in the round's rules")),
    ("below_min_score", N_("lower the minimum score in the round's rules")),
    ("below_min_overlap", N_("lower the minimum working-time overlap in the round's rules")),
    ("no_shared_language", N_("check the languages on their goal form")),
    ("criterion_mismatch", N_("check their answers to the program's must-match questions")),
    ("mentor_unavailable", N_("ask mentors to open seats on their profiles")),
    ("forbidden", N_("lift a pair you ruled out")),
    ("not_a_candidate", N_("add candidate pairs for them")),
]
REASON_ORDER = list(REASONS)
CANDIDATE_REASONS = ("capacity_full", "team_cap", "continued_cap", "group_balance", "no_gain",
                     "not_chosen")
NO_MENTORS = N_("No mentor: this round has no mentors yet. Invite mentors to the program, then run it again.")
NO_MENTOR_COULD = N_("so no mentor could take them")
NO_MENTOR = N_("No mentor: %(reasons)s.")
NO_MENTOR_FIX = N_("No mentor: %(reasons)s. To fix: %(advice)s.")
UNKNOWN_REASON = "%(code)s (%(num)d)"  # a code this version does not know: shown as it is

# The parts of "why this pair", each one whole phrase; the pair's sentence joins them with "; ".
PAIR_TEXT = {
    "continuing": N_("continuing from last round"),
    "history": N_("worked together on a micro-request"),
    "picked": N_("picked from the program's own candidate list (fit %(score)s)"),
    "shares": N_("shares %(items)s"),
    "shares_none": N_("shares none of the context the mentee cares about"),
    "no_topics": N_("the mentee listed no topics"),
    "overlap": N_("%(hours)s h working-time overlap"),
    "both_answered": N_("both answered %(label)s: %(answer)s"),
    "different_answers": N_("different answers to %(label)s (%(a)s / %(b)s)"),
    "mentor_pref_fits": N_("fits the mentor's preferences"),
    "mentor_pref_partly": N_("partly fits the mentor's preferences"),
    "mentor_pref_outside": N_("outside the mentor's stated preferences"),
}
STAGE_WHERE = {
    "ahead": NP_("%(num)s year ahead", "%(num)s years ahead"),
    "behind": NP_("%(num)s year behind", "%(num)s years behind"),
}
SAME_EXPERIENCE = N_("same experience")
AS_ASKED = N_("%(where)s, as asked")
ASKED_FOR = N_("%(where)s (asked for %(preference)s)")
TOPICS = NP_("covers %(covered)d of %(num)d topic", "covers %(covered)d of %(num)d topics")
TOPICS_LISTED = NP_("covers %(covered)d of %(num)d topic (%(topics)s)",
                    "covers %(covered)d of %(num)d topics (%(topics)s)")
AND = N_("%(items)s and %(last)s")


def _round1(x: float) -> float | int:
    x = round(float(x), 1)
    return int(x) if x == int(x) else x


def _plural_n(x: float | int) -> int:
    """ngettext wants an integer; a fraction reads as plural (1.5 years)."""
    return int(x) if x == int(x) else 2


def join(words: list[str], w: Words = ENGLISH) -> str:
    """"a, b and c" in the reader's language."""
    if len(words) <= 1:
        return "".join(words)
    return w.gettext(AND) % {"items": ", ".join(words[:-1]), "last": words[-1]}


# ---------------------------------------------------------------- why this pair

def stage_part(mentee: Mentee, mentor: Mentor) -> Part:
    gap = mentor.years - mentee.years
    lo, hi, _, _ = STAGE_CURVES[mentee.preference]
    where = "same" if abs(gap) < 0.05 else "ahead" if gap > 0 else "behind"
    return ("stage", {"where": where, "years": _round1(abs(gap)), "as_asked": bool(lo <= gap <= hi),
                      "preference": mentee.preference})


def pair_parts(mentee: Mentee, mentor: Mentor, why: dict, overlap: float, *,
               continuing: bool = False, scored: bool = True, score: int | None = None,
               history: bool = False, criteria: list[Criterion] | tuple = ()) -> list[Part]:
    """Why this pair, as parts: for everyone who sees it, the coordinator, and the mentor and
    mentee it is proposed to. So it never says how the coordinator steered the round (a lock
    shows as a badge on the review page instead)."""
    parts: list[Part] = []
    if continuing:
        parts.append(("continuing", {}))
    if history:
        parts.append(("history", {}))
    if not scored:
        parts.append(("picked", {"score": score}))
        return parts
    shared: list[str] = []
    if "industry" in mentee.context_matters and mentee.industry and mentor.industry \
            and norm(mentee.industry) == norm(mentor.industry):
        shared.append(mentee.industry)
    if "tags" in mentee.context_matters:
        mtags = {norm(t) for t in mentor.tags}
        shared += [t for t in mentee.tags if norm(t) in mtags]
    if shared:
        parts.append(("shares", {"items": shared}))
    elif mentee.context_matters:
        parts.append(("shares_none", {}))
    parts.append(stage_part(mentee, mentor))
    if mentee.topics:
        have = {norm(t) for t in mentor.topics}
        covered = [t for t in mentee.topics if norm(t) in have]
        parts.append(("topics", {"covered": covered, "total": len(mentee.topics)}))
    else:
        parts.append(("no_topics", {}))
    parts.append(("overlap", {"hours": _round1(overlap)}))
    parts += criteria_parts(mentee, mentor, criteria)
    if "mentor_pref" in why:
        level = "fits" if why["mentor_pref"] >= 0.99 else "partly" if why["mentor_pref"] > 0 else "outside"
        parts.append(("mentor_pref_" + level, {}))
    return parts


def criteria_parts(mentee: Mentee, mentor: Mentor, criteria) -> list[Part]:
    """What the program's own questions say about the pair: "both answered Campus: Lisbon"."""
    out: list[Part] = []
    for c in criteria:
        a, b = mentee.answers.get(c.key), mentor.answers.get(c.key)
        if a is None or b is None:
            continue
        if norm(a) == norm(b):
            out.append(("both_answered", {"label": c.label, "answer": a}))
        elif c.kind == "different":
            out.append(("different_answers", {"label": c.label, "a": a, "b": b}))
    return out


def render_part(code: str, v: dict, w: Words = ENGLISH) -> str:
    """One part in words; a code this version does not know raises KeyError."""
    if code == "stage":
        years = v["years"]
        if v["where"] == "same":
            where = w.gettext(SAME_EXPERIENCE)
        else:
            where = w.ngettext(*STAGE_WHERE[v["where"]], _plural_n(years)) % {"num": w.number(years)}
        if v["as_asked"]:
            return w.gettext(AS_ASKED) % {"where": where}
        return w.gettext(ASKED_FOR) % {"where": where, "preference": w.gettext(PREFERENCE_TEXT[v["preference"]])}
    if code == "topics":
        covered, total = v["covered"], int(v["total"])
        one, many = TOPICS_LISTED if covered else TOPICS
        return w.ngettext(one, many, total) % {"covered": len(covered), "num": total, "topics": ", ".join(covered)}
    text = w.gettext(PAIR_TEXT[code])
    if code == "shares":
        return text % {"items": join(list(v["items"]), w)}
    if code == "overlap":
        return text % {"hours": w.number(v["hours"])}
    if code == "picked":
        return text % {"score": v["score"]}
    if code in ("both_answered", "different_answers"):
        return text % {k: v[k] for k in ("label", "answer", "a", "b") if k in v}
    return text


def render_pair(parts, w: Words = ENGLISH) -> str:
    """The pair's sentence: its parts in words, joined by "; "."""
    return "; ".join(render_part(code, v, w) for code, v in parts)


def pair_sentence(mentee: Mentee, mentor: Mentor, why: dict, overlap: float, **kw) -> str:
    """The English sentence of `pair_parts` (what the CLI's files carry)."""
    return render_pair(pair_parts(mentee, mentor, why, overlap, **kw))


def stage_phrase(mentee: Mentee, mentor: Mentor) -> str:
    return render_part(*stage_part(mentee, mentor))


def criteria_phrases(mentee: Mentee, mentor: Mentor, criteria) -> list[str]:
    return [render_part(code, v) for code, v in criteria_parts(mentee, mentor, criteria)]


# ---------------------------------------------------------------- why nobody

def reason_text(code: str, n: int, *, all_candidates: bool = False, w: Words = ENGLISH) -> str:
    """One reason, in words that agree with its count ("1 mentor offers no seats")."""
    if code == "capacity_full" and all_candidates:
        one, many = CAPACITY_FULL_ALL
    elif code in REASONS:
        one, many = REASONS[code]
    else:
        return UNKNOWN_REASON % {"code": code, "num": n}
    return w.ngettext(one, many, n) % {"num": n}


def advice_for(codes) -> str | None:
    """The English advice (a msgid) for the first reason that applies, or None."""
    codes = set(codes)
    return next((text for code, text in ADVICE if code in codes), None)


def render_unmatched(reasons, w: Words = ENGLISH) -> str:
    """Why a mentee has no mentor, and what the coordinator could do about it."""
    reasons = [(str(code), int(n)) for code, n in reasons]
    if not reasons:
        return w.gettext(NO_MENTORS)
    n_cand = sum(n for code, n in reasons if code in CANDIDATE_REASONS)
    texts = [reason_text(code, n, all_candidates=code == "capacity_full" and n == n_cand, w=w)
             for code, n in reasons]
    if n_cand == 0:
        texts.append(w.gettext(NO_MENTOR_COULD))
    advice = advice_for(code for code, _ in reasons)
    if advice is None:
        return w.gettext(NO_MENTOR) % {"reasons": "; ".join(texts)}
    return w.gettext(NO_MENTOR_FIX) % {"reasons": "; ".join(texts), "advice": w.gettext(advice)}


def unmatched_sentence(reasons: list[tuple[str, int]]) -> str:
    """The English sentence of `render_unmatched` (what the CLI's files carry)."""
    return render_unmatched(reasons)


# ---------------------------------------------------------------- reading an English sentence back

_NUM = r"(\d+(?:\.\d+)?)"
_PREFERENCE_OF = {text: code for code, text in PREFERENCE_TEXT.items()}
_READERS = [
    (re.compile(r"picked from the program's own candidate list \(fit (-?\d+|None)\)"),
     lambda g: ("picked", {"score": None if g[0] == "None" else int(g[0])})),
    (re.compile(r"shares (.+)"), lambda g: ("shares", {"items": _split_join(g[0])})),
    (re.compile(rf"(?:same experience|{_NUM} years? (ahead|behind))"
                r"(?:(, as asked)| \(asked for (a peer|a few years ahead|someone senior)\))"),
     lambda g: ("stage", {"where": g[1] or "same", "years": _number(g[0] or "0"), "as_asked": bool(g[2]),
                          "preference": _PREFERENCE_OF.get(g[3] or "", "peer")})),
    (re.compile(r"covers (\d+) of (\d+) topics?(?: \((.*)\))?"),
     lambda g: ("topics", {"covered": g[2].split(", ") if g[2] else [], "total": int(g[1])})),
    (re.compile(rf"{_NUM} h working-time overlap"), lambda g: ("overlap", {"hours": _number(g[0])})),
    (re.compile(r"both answered (.+?): (.+)"), lambda g: ("both_answered", {"label": g[0], "answer": g[1]})),
    (re.compile(r"different answers to (.+) \((.+) / (.+)\)"),
     lambda g: ("different_answers", {"label": g[0], "a": g[1], "b": g[2]})),
]


def _number(text: str) -> float | int:
    x = float(text)
    return int(x) if x == int(x) else x


def _split_join(text: str) -> list[str]:
    head, sep, last = text.rpartition(" and ")
    return head.split(", ") + [last] if sep else [text]


def read_pair_sentence(sentence: str) -> list[Part] | None:
    """The parts of an English pair sentence stored before parts were (rounds of earlier
    versions), or None when it cannot be read back exactly: rendering the parts must give the
    very same sentence, so a name with "; " in it never turns into a wrong translation. One
    ambiguity stays: a shared tag with " and " in its own name reads back as two tags."""
    fixed = {text: code for code, text in PAIR_TEXT.items() if "%(" not in text}
    parts: list[Part] = []
    for chunk in sentence.split("; ") if sentence else []:
        if chunk in fixed:
            parts.append((fixed[chunk], {}))
            continue
        for pattern, make in _READERS:
            hit = pattern.fullmatch(chunk)
            if hit:
                parts.append(make(hit.groups()))
                break
        else:
            return None
    if not parts:
        return None
    try:
        return parts if render_pair(parts) == sentence else None
    except (KeyError, TypeError, ValueError):
        return None
