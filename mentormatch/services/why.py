"""Why this match, and why nobody for this mentee, in the reader's language (issue 18).

The matching core gives a pair's reasons as parts (matching/explain.pair_parts) and an unmatched
mentee's as (code, count) pairs; the site stores those and renders them here, at display time,
with the current locale's catalog (in an email: the recipient's, see core/outbox.render). A row
stored before parts were kept shows the parts read back from its English sentence when they read
back exactly, else the sentence as stored.
"""
from __future__ import annotations

import re
from functools import reduce

import numpy as np
from flask_babel import format_decimal, get_locale, get_translations

from ..core import reference
from ..matching import circles as core_circles
from ..matching import explain
from ..matching import peers as core_peers
from ..matching.crowd import PeerInstance, Person, table
from ..matching.explain import N_


def words() -> explain.Words:
    """The current locale's gettext, ngettext and numbers, for the core's render functions."""
    t = get_translations()
    return explain.Words(t.gettext, t.ngettext, format_decimal)


def parts_json(parts) -> list:
    """Parts as stored in a JSON column: [[code, {values}], ...]."""
    return [[code, dict(values)] for code, values in parts]


def _field(row, name: str):
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def pair_text(row) -> str:
    """A pair's "why this match" (a RunPair, a Pairing or a dict with sentence and sentence_parts)."""
    sentence = _field(row, "sentence") or ""
    parts = _field(row, "sentence_parts")
    if parts is None:
        micro = _MICRO.fullmatch(sentence)
        parts = [[MICRO_CODE, micro.groupdict()]] if micro else explain.read_pair_sentence(sentence)
    if not parts:
        return sentence
    if parts[0][0] == MICRO_CODE:
        try:
            return get_translations().gettext(MICRO) % parts[0][1]
        except (KeyError, TypeError, ValueError):
            return sentence
    try:
        return explain.render_pair(parts, words())
    except (KeyError, TypeError, ValueError, IndexError):  # parts of a later version: its English stands
        return sentence


# An ask for ongoing mentorship after a micro-request (services/ongoing): its pairing's "why" is
# this sentence, stored as one part [MICRO_CODE, {question, name, hope}]; asks stored before the
# part was kept read back from their English.
MICRO_CODE = "micro_request"
MICRO = N_("You worked together on a micro-request (“%(question)s”). %(name)s hopes to work on: %(hope)s")
_MICRO = re.compile(r"You worked together on a micro-request \(“(?P<question>.*)”\)\. (?P<name>[^\n]+?) "
                    r"hopes to work on: (?P<hope>.*)", re.DOTALL)


def micro_parts(question: str, name: str, hope: str) -> list:
    return [[MICRO_CODE, {"question": question, "name": name, "hope": hope}]]


def micro_sentence(parts: list) -> str:
    """The English a micro ask's parts say (stored beside them, for exports and the CLI)."""
    return MICRO % parts[0][1]


# A pair the coordinator forbade on the review page leaves its mentee with these words.
FORBIDDEN = N_("No mentor: the pair with %(name)s was forbidden by the coordinator.")
FORBIDDEN_HELP = N_("Swap in another candidate, or run again.")
_FORBIDDEN = re.compile(r"No mentor: the pair with (.+) was forbidden by the coordinator\.")


def unmatched_text(row) -> str:
    """Why a mentee has no mentor (a RunUnmatched): rendered from its reason codes when its stored
    sentence is what they say in English, or from the forbid's words; anything else as stored."""
    sentence = _field(row, "sentence") or ""
    reasons = _field(row, "reasons")
    forbidden = _FORBIDDEN.fullmatch(sentence)
    if forbidden:
        return get_translations().gettext(FORBIDDEN) % {"name": forbidden.group(1)}
    try:
        if reasons is not None and explain.render_unmatched(reasons) == sentence:
            return explain.render_unmatched(reasons, words())
    except (TypeError, ValueError):
        pass
    return sentence


# ---------------------------------------------------------------- what would help (the review page's third column)

HELP_SEAT = N_("One more free seat among their %(num)d candidate mentors (ask one to take another mentee).")
HELP_LANGUAGE = N_("A mentor with a free seat who speaks %(languages)s.")
HELP_SCORE = N_("Lower the minimum score (%(num)d mentors fall below it), or a mentor closer to their topics and stage.")
HELP_OR = N_("%(first)s or %(second)s")
HELP_FIXED = (N_("Raise the per-team limit, or one more mentor outside their team."),
              N_("Relax group balance, or add seats so every group can be served."),
              N_("Run again without a time limit."), N_("A mentor in a nearer time zone."),
              N_("Mentors back from being away, or more seats."), N_("Remove a forbidden pair."),
              N_("More mentors in the program."))
CANDIDATE_CODES = ("capacity_full", "team_cap", "continued_cap", "group_balance", "no_gain", "not_chosen")


def help_parts(reasons, languages: list[str]) -> tuple[str, dict]:
    """What would help this mentee, as (English msgid, values): what a coordinator can act on."""
    codes = {code: int(n) for code, n in reasons}
    candidates = sum(n for c, n in codes.items() if c in CANDIDATE_CODES)
    if candidates:
        if codes.get("capacity_full"):
            return HELP_SEAT, {"num": candidates}
        if codes.get("team_cap"):
            return HELP_FIXED[0], {}
        if codes.get("group_balance"):
            return HELP_FIXED[1], {}
        return HELP_FIXED[2], {}
    # The rule that removed the most mentors is the one worth acting on.
    main = max(codes, key=lambda c: codes[c]) if codes else None
    if main == "no_shared_language" and languages:
        return HELP_LANGUAGE, {"languages": list(languages)}
    if main == "below_min_score":
        return HELP_SCORE, {"num": codes[main]}
    return {"below_min_overlap": HELP_FIXED[3], "mentor_unavailable": HELP_FIXED[4],
            "forbidden": HELP_FIXED[5]}.get(main, HELP_FIXED[6]), {}


def _render_help(msgid: str, values: dict, gettext, language_name) -> str:
    if "languages" in values:
        names = [language_name(code) for code in values["languages"]]
        values = {"languages": reduce(lambda a, b: gettext(HELP_OR) % {"first": a, "second": b}, names)}
    return gettext(msgid) % values


def help_for(reasons, languages: list[str]) -> str:
    """What would help, in English: what a run stores (exports and older pages read it)."""
    return _render_help(*help_parts(reasons, languages), explain.N_, reference.language_name)


_SPEAKS = re.compile(r"A mentor with a free seat who speaks (.+)\.")
_CODE_OF = {name: code for code, name in reference.LANGUAGE_NAMES.items()}


def help_text(row) -> str:
    """What would help (a RunUnmatched), in the reader's language when its stored English is
    what its reasons say; a coordinator's own words (a forbid) stay as stored."""
    stored = _field(row, "help") or ""
    if stored == FORBIDDEN_HELP:
        return get_translations().gettext(FORBIDDEN_HELP)
    hit = _SPEAKS.fullmatch(stored)
    languages = [_CODE_OF.get(name, name) for name in hit.group(1).split(" or ")] if hit else []
    try:
        parts = help_parts(_field(row, "reasons") or [], languages)
        if _render_help(*parts, explain.N_, reference.language_name) != stored:
            return stored
        locale = get_locale()
        return _render_help(*parts, get_translations().gettext,
                            lambda code: (locale.languages.get(code) if locale else None) or reference.language_name(code))
    except (TypeError, ValueError):
        return stored


# ---------------------------------------------------------------- peer pairs and circles (issue 15)
#
# A group's sentence is stored as the facts it says about each member (their name, context, what they
# want and offer, zone, years) and rendered here by the core's own sentence functions with the reader's
# words. Someone left out is stored as the reason's message id and values (read back from the core's
# English once, when the run is stored) and said again through the catalog.

def _person(facts: dict) -> Person:
    return Person(id=facts["name"], tz=float(facts["tz"]), years=float(facts["years"]), wants=list(facts["wants"]),
                  offers=list(facts["offers"]), context=list(facts["context"]),
                  hours=tuple(facts.get("hours") or (9.0, 17.0)), facilitator=bool(facts.get("facilitator")))


def render_group(parts, w: explain.Words = explain.ENGLISH) -> str:
    """A peer pair's or a circle's sentence from its stored parts, in `w`'s words."""
    out = []
    for code, v in parts:
        people = [_person(f) for f in v["people"]]
        if code == "peer_pair":
            out.append(core_peers.pair_sentence(people[0], people[1], float(v["hours"]), w))
        elif code == "peer_circle":
            T = table(PeerInstance(task="circles", people=people))
            out.append(core_circles.circle_sentence(T, list(range(len(people))), v.get("facilitator"), w))
        else:
            raise ValueError(code)
    return "; ".join(out)


def group_text(row) -> str:
    """A RunGroup's or a Circle's "why these people" in the reader's language."""
    sentence = _field(row, "sentence") or ""
    parts = _field(row, "sentence_parts")
    if not parts:
        return sentence
    try:
        return render_group(parts, words())
    except (KeyError, TypeError, ValueError, IndexError):
        return sentence


_SPEC = re.compile(r"%\\\((\w+)\\\)([sd])")


def read_message(text: str, msgids) -> tuple[str, dict] | None:
    """(msgid, values) of the one message of `msgids` that reads exactly `text` in English, else None."""
    for msgid in msgids:
        kinds = {}

        def group(m, kinds=kinds):
            kinds[m[1]] = m[2]
            return rf"(?P<{m[1]}>\d+)" if m[2] == "d" else rf"(?P<{m[1]}>.+?)"
        hit = re.fullmatch(_SPEC.sub(group, re.escape(msgid)), text)
        if hit:
            return msgid, {k: int(v) if kinds[k] == "d" else v for k, v in hit.groupdict().items()}
    return None


def peer_left_parts(text: str, msgids) -> list:
    """A left-out reason as stored parts: [["message", {"msgid", "values"}]], or [] when unknown."""
    found = read_message(text, msgids)
    return [["message", {"msgid": found[0], "values": found[1]}]] if found else []


def render_left(parts, w: explain.Words = explain.ENGLISH) -> str:
    """Why someone is in no group, from its stored parts, in `w`'s words."""
    out = []
    for code, v in parts:
        if code == "message":
            values = {k: w.gettext(x) if isinstance(x, str) and x in _FIXED_VALUES else x
                      for k, x in v["values"].items()}
            out.append(w.gettext(v["msgid"]) % values)
        elif code == "peer_left":
            out.append(core_peers.left_out_reason(int(v["candidates"]), np.array(v["why"]), bool(v["optimal"]), w))
        elif code == "forbidden":
            out.append(w.gettext(GROUP_FORBIDDEN))
        else:
            raise ValueError(code)
    return " ".join(out)


# Values inside a stored reason that are themselves words of the core (a circle's common window).
_FIXED_VALUES = {N_("no common working time"), N_("all day")}
GROUP_FORBIDDEN = N_("Not placed: the coordinator forbade two people of their group to meet; run the round again.")


def left_text(row) -> str:
    """Why someone of a peer or circle round is in no group (a RunUnmatched), in the reader's language."""
    sentence = _field(row, "sentence") or ""
    parts = _field(row, "reasons")
    if not parts or not all(isinstance(p, list) and len(p) == 2 and isinstance(p[1], dict) for p in parts):
        return sentence
    try:
        return render_left(parts, words())
    except (KeyError, TypeError, ValueError, IndexError):
        return sentence
