"""Storing a solver's result on its run: pairs and unmatched mentees in bulk (each with what would
help them, in words a coordinator can act on), the summary figures, the charts and the blocking pairs."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ...core import reference
from ...extensions import db
from ...models.rounds import RunPair, RunUnmatched, SolveRun
from .instance import RoundData, membership_of


def help_for(reasons: list[tuple[str, int]], languages: list[str]) -> str:
    """What would help this mentee, in words a coordinator can act on."""
    codes = dict(reasons)
    candidates = sum(n for c, n in reasons if c in ("capacity_full", "team_cap", "continued_cap", "group_balance",
                                                    "no_gain", "not_chosen"))
    if candidates:
        if codes.get("capacity_full"):
            return f"One more free seat among their {candidates} candidate mentors (ask one to take another mentee)."
        if codes.get("team_cap"):
            return "Raise the per-team limit, or one more mentor outside their team."
        if codes.get("group_balance"):
            return "Relax group balance, or add seats so every group can be served."
        return "Run again without a time limit."
    # The rule that removed the most mentors is the one worth acting on.
    main = max(codes, key=lambda c: codes[c]) if codes else None
    if main == "no_shared_language" and languages:
        named = [reference.language_name(c) for c in languages]
        names = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
        return f"A mentor with a free seat who speaks {names}."
    if main == "below_min_score":
        return f"Lower the minimum score ({codes[main]} mentors fall below it), or a mentor closer to their topics and stage."
    if main == "below_min_overlap":
        return "A mentor in a nearer time zone."
    if main == "mentor_unavailable":
        return "Mentors back from being away, or more seats."
    if main == "forbidden":
        return "Remove a forbidden pair."
    return "More mentors in the program."


# help_for runs in the worker and stores English; a page reads it back in its reader's language. Each
# pattern matches one English help exactly (rows of earlier runs included); anything else is shown as stored.
_HELP_READ_BACK = [
    (re.compile(r"One more free seat among their (\d+) candidate mentors \(ask one to take another mentee\)\."),
     lambda m: ngettext("One more free seat among their %(num)d candidate mentor (ask them to take another mentee).",
                        "One more free seat among their %(num)d candidate mentors (ask one to take another mentee).",
                        int(m[1]))),
    (re.compile(r"Raise the per-team limit, or one more mentor outside their team\."),
     lambda m: _("Raise the per-team limit, or one more mentor outside their team.")),
    (re.compile(r"Relax group balance, or add seats so every group can be served\."),
     lambda m: _("Relax group balance, or add seats so every group can be served.")),
    (re.compile(r"Run again without a time limit\."), lambda m: _("Run again without a time limit.")),
    (re.compile(r"A mentor with a free seat who speaks (.+)\."),
     lambda m: _("A mentor with a free seat who speaks %(languages)s.", languages=_language_list(m[1]))),
    (re.compile(r"Lower the minimum score \((\d+) mentors fall below it\), or a mentor closer to their topics and stage\."),
     lambda m: ngettext("Lower the minimum score (%(num)d mentor falls below it), or a mentor closer to their topics "
                        "and stage.",
                        "Lower the minimum score (%(num)d mentors fall below it), or a mentor closer to their topics "
                        "and stage.", int(m[1]))),
    (re.compile(r"A mentor in a nearer time zone\."), lambda m: _("A mentor in a nearer time zone.")),
    (re.compile(r"Mentors back from being away, or more seats\."), lambda m: _("Mentors back from being away, or more seats.")),
    (re.compile(r"Remove a forbidden pair\."), lambda m: _("Remove a forbidden pair.")),
    (re.compile(r"More mentors in the program\."), lambda m: _("More mentors in the program.")),
    (re.compile(r"Swap in another candidate, or run again\."), lambda m: _("Swap in another candidate, or run again.")),
]
_CODE_OF_LANGUAGE = {name: code for code, name in reference.LANGUAGE_NAMES.items()}


def _language_list(english: str) -> str:
    """"Portuguese or Spanish" in the reader's language ("portugués o español")."""
    names = get_locale().languages
    shown = [names.get(_CODE_OF_LANGUAGE.get(n, ""), n) for n in re.split(r", | or ", english)]
    return shown[0] if len(shown) == 1 else _("%(some)s or %(last)s", some=", ".join(shown[:-1]), last=shown[-1])


def help_in_language(stored: str) -> str:
    """What would help an unmatched mentee, as stored in English, in the language of the page."""
    if get_locale() is None or get_locale().language == "en":
        return stored
    for pattern, say in _HELP_READ_BACK:
        if m := pattern.fullmatch(stored or ""):
            return say(m)
    return stored


def summarize_charts(run_id: int, data: RoundData | None = None) -> dict:
    """Figures the review page draws, computed once when a result is stored or edited."""
    scores = [s for (s,) in db.session.execute(db.select(RunPair.score).where(RunPair.run_id == run_id))]
    bins = [[lo, lo + 10, 0] for lo in range(0, 100, 10)]
    for s in scores:
        bins[min(9, max(0, int(s) // 10))][2] += 1
    matched = {m for (m,) in db.session.execute(db.select(RunPair.mentee_membership_id).where(RunPair.run_id == run_id))}
    used = Counter(m for (m,) in db.session.execute(db.select(RunPair.mentor_membership_id).where(RunPair.run_id == run_id)))
    charts = {"score_hist": bins}
    if data is not None:
        groups = defaultdict(lambda: [0, 0])
        for mid, tags in data.mentee_groups.items():
            for tag in tags or ["(no group)"]:
                groups[tag][0] += 1
                groups[tag][1] += mid in matched
        charts["groups"] = sorted([name, t, m] for name, (t, m) in groups.items())
        seats = {"full": 0, "partly used": 0, "unused": 0, "no seats": 0}
        for mid, cap in data.capacity.items():
            u = used.get(mid, 0)
            key = "no seats" if cap == 0 and u == 0 else "full" if u >= cap else "partly used" if u else "unused"
            seats[key] += 1
        charts["seats"] = list(seats.items())
        charts["seats_offered"] = sum(data.capacity.values())
        charts["seats_used"] = sum(used.values())
    return charts


def store_result(run: SolveRun, data: RoundData, result) -> None:
    """Write a result's pairs and unmatched rows in bulk, and the run's summary figures."""
    names = data.names
    pair_rows = [{"run_id": run.id, "mentee_membership_id": membership_of(p.mentee),
                  "mentor_membership_id": membership_of(p.mentor), "mentee_name": names.get(membership_of(p.mentee), ""),
                  "mentor_name": names.get(membership_of(p.mentor), ""), "score": int(p.score), "why": dict(p.why),
                  "sentence": p.sentence, "locked": bool(p.locked), "swapped": False} for p in result.assignment]
    un_rows = []
    for u in result.unmatched:
        mid = membership_of(u.mentee)
        reasons = [list(r) for r in u.reasons]
        un_rows.append({"run_id": run.id, "mentee_membership_id": mid, "mentee_name": names.get(mid, ""),
                        "reasons": reasons, "sentence": u.sentence,
                        "help": help_for(u.reasons, data.mentee_languages.get(mid, []))})
    if pair_rows:
        db.session.execute(db.insert(RunPair), pair_rows)
    if un_rows:
        db.session.execute(db.insert(RunUnmatched), un_rows)
    run.mentee_count = len(data.instance.mentees)
    run.mentor_count = len(data.instance.mentors)
    run.candidate_count = int(result.stats.get("candidates", 0))
    run.pair_count = len(pair_rows)
    run.matched_count = len({r["mentee_membership_id"] for r in pair_rows})
    run.unmatched_count = len(un_rows)
    run.total_score = sum(r["score"] for r in pair_rows)
    run.result_status = result.status
    run.objective, run.bound, run.gap, run.message = dict(result.objective), dict(result.bound), result.gap, result.message
    run.charts = {**summarize_charts(run.id, data), "stability": stability_of(data, result)}


BLOCKING_SHOWN = 25  # blocking pairs listed on the round page (the count covers all of them)


def stability_of(data: RoundData, result) -> dict:
    """Blocking pairs of a result, by name: the price of the optimum against a stable answer."""
    names = data.names
    return {"blocking": int(result.stats.get("blocking_pairs", 0)),
            "pairs": [[names.get(membership_of(b.mentee), ""), names.get(membership_of(b.mentor), ""),
                       b.score, b.mentee_gain, b.mentor_gain] for b in result.blocking[:BLOCKING_SHOWN]]}
