"""Reader and writer for the interchange format, version 2 (see docs/formats.md); version 1
files (no criteria, no answers) are still read.

The reader validates the whole document before building anything and reports every problem it
finds, each as "path: message" (``mentees[12].tz: must be a number in [-12, 14]``), so that a
coordinator fixing a CSV export sees all mistakes at once instead of one per attempt.  A
half-valid instance is never solved.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from . import checks as ck
from .model import (
    BALANCE_KEYS,
    CONTEXT_KEYS,
    CRITERION_KINDS,
    OBJECTIVES,
    PREFERENCES,
    BlockingPair,
    Criterion,
    Edges,
    GroupBalance,
    Instance,
    Mentee,
    Mentor,
    Pair,
    Result,
    Rules,
    Unmatched,
    Weights,
)

INSTANCE_FORMAT = "mentormatch-instance"
RESULT_FORMAT = "mentormatch-result"
VERSION = 2                 # written when an instance has criteria; else version 1
VERSIONS = (1, 2)
RESULT_VERSION = 1
MAX_CRITERIA = 20           # a program has at most 20 questions
MAX_ANSWER = 200            # characters in one answer
MAX_SCORE_ABS = 10**6
# Every number has a documented range (docs/matching.md), so that no value overflows the int64 /
# float32 arrays of the solver: 10**30 seats is an input mistake, not a big round.
MAX_COUNT = 10_000          # capacity, mentors_per_mentee, max_same_team, max_continued_per_mentor
MAX_YEARS = 100
MAX_MIN_SCORE = 10**7
MAX_DEPTH = 64              # JSON nesting; a valid instance needs 4
MAX_DIGITS = 30             # in one JSON number; longer ones read as "not a number"
STATUSES = ("optimal", "feasible", "infeasible", "cancelled")


class InstanceError(ValueError):
    """The instance is not valid; ``errors`` lists every problem as "path: message"."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = "\n".join(self.errors[:20])
        more = f"\n... and {len(self.errors) - 20} more" if len(self.errors) > 20 else ""
        super().__init__(f"invalid instance ({len(self.errors)} errors):\n{shown}{more}")


class ResultError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("invalid result:\n" + "\n".join(self.errors[:20]))


def _answers(err: ck.Errors, d: dict, path: str, keys: set[str] | None) -> Any:
    """{criterion key: answer}; `keys` is None in a version 1 file, which has no answers."""
    if "answers" not in d:
        return {}
    v = d["answers"]
    if keys is None:
        err.add(f"{path}.answers", "needs version 2 (version 1 has no answers)")
        return None
    if not isinstance(v, dict):
        err.add(f"{path}.answers", "must be an object like {\"campus\": \"Lisbon\"}")
        return None
    ok = True
    for k, a in v.items():
        if k not in keys:
            err.add(f"{path}.answers.{k}", "is not the key of any criterion")
            ok = False
        elif not isinstance(a, str) or not a.strip() or len(a) > MAX_ANSWER:
            err.add(f"{path}.answers.{k}", f"must be a non-empty string of at most {MAX_ANSWER} "
                    "characters")
            ok = False
    return dict(v) if ok else None


def _read_criteria(err: ck.Errors, v: Any, version: Any) -> tuple[list[Criterion], set[str] | None]:
    if v is None:
        return [], (set() if version == 2 else None)
    if version != 2:
        err.add("criteria", "needs version 2 (version 1 has no criteria)")
        return [], None
    if not isinstance(v, list):
        err.add("criteria", "must be a list of objects like {\"key\": \"campus\", "
                "\"label\": \"Campus\", \"kind\": \"same\", \"weight\": 10}")
        return [], set()
    if len(v) > MAX_CRITERIA:
        err.add("criteria", f"has {len(v)} entries; at most {MAX_CRITERIA}")
    out: list[Criterion] = []
    keys: set[str] = set()
    for i, c in enumerate(v):
        path = f"criteria[{i}]"
        if not isinstance(c, dict):
            err.add(path, "must be an object")
            continue
        n0 = len(err.items) + err.dropped
        key = ck.string(err, c, "key", path)
        label = ck.string(err, c, "label", path, default=key)
        kind = ck.string(err, c, "kind", path, choices=CRITERION_KINDS)
        weight = ck.number(err, c, "weight", path, 0, 1000, default=10)
        if key is not None and key in keys:
            err.add(f"{path}.key", f"\"{key}\" is already used by another criterion")
        if key is not None:
            keys.add(key)
        if len(err.items) + err.dropped == n0:
            out.append(Criterion(key=key, label=label, kind=kind, weight=weight))
    return out, keys


def _read_mentee(err: ck.Errors, d: Any, path: str, keys: set[str] | None) -> Mentee | None:
    if not isinstance(d, dict):
        err.add(path, "must be an object")
        return None
    n0 = len(err.items) + err.dropped
    m = Mentee(
        id=ck.string(err, d, "id", path),
        languages=ck.str_list(err, d, "languages", path),
        tz=ck.number(err, d, "tz", path, -12, 14),
        years=ck.number(err, d, "years", path, 0, MAX_YEARS),
        preference=ck.string(err, d, "preference", path, choices=PREFERENCES),
        topics=ck.str_list(err, d, "topics", path, default=[]),
        industry=ck.string(err, d, "industry", path, default=None, allow_none=True),
        tags=ck.str_list(err, d, "tags", path, default=[]),
        context_matters=ck.str_list(err, d, "context_matters", path, default=[],
                                  choices=CONTEXT_KEYS),
        team=ck.string(err, d, "team", path, default=None, allow_none=True),
        # Negative: lower priority (a mentee who let requests expire or missed meetings).
        priority=ck.integer(err, d, "priority", path, -MAX_SCORE_ABS, default=0, hi=MAX_SCORE_ABS),
        must_match=ck.boolean(err, d, "must_match", path, False),
        answers=_answers(err, d, path, keys),
    )
    return m if len(err.items) + err.dropped == n0 else None


def _read_mentor(err: ck.Errors, d: Any, path: str, keys: set[str] | None) -> Mentor | None:
    if not isinstance(d, dict):
        err.add(path, "must be an object")
        return None
    n0 = len(err.items) + err.dropped
    m = Mentor(
        id=ck.string(err, d, "id", path),
        languages=ck.str_list(err, d, "languages", path),
        tz=ck.number(err, d, "tz", path, -12, 14),
        years=ck.number(err, d, "years", path, 0, MAX_YEARS),
        capacity=ck.integer(err, d, "capacity", path, 0, hi=MAX_COUNT),
        topics=ck.str_list(err, d, "topics", path, default=[]),
        industry=ck.string(err, d, "industry", path, default=None, allow_none=True),
        tags=ck.str_list(err, d, "tags", path, default=[]),
        prefers_topics=ck.str_list(err, d, "prefers_topics", path, default=[]),
        prefers_stages=ck.str_list(err, d, "prefers_stages", path, default=[], choices=PREFERENCES),
        answers=_answers(err, d, path, keys),
    )
    return m if len(err.items) + err.dropped == n0 else None


def _read_weights(err: ck.Errors, d: Any) -> Weights:
    w = Weights()
    if d is None:
        return w
    if not isinstance(d, dict):
        err.add("weights", "must be an object")
        return w
    for key in ("topics", "context", "stage", "tz", "mentor_pref"):
        v = ck.number(err, d, key, "weights", 0, 1000, default=getattr(w, key))
        if v is not None:
            setattr(w, key, v)
    return w


def _read_rules(err: ck.Errors, d: Any) -> Rules:
    r = Rules()
    if d is None:
        return r
    if not isinstance(d, dict):
        err.add("rules", "must be an object")
        return r
    r.min_score = ck.number(err, d, "min_score", "rules", -MAX_MIN_SCORE, MAX_MIN_SCORE, default=None,
                          allow_none=True)
    r.mentors_per_mentee = ck.integer(err, d, "mentors_per_mentee", "rules", 1, default=1,
                                    hi=MAX_COUNT) or 1
    r.max_same_team = ck.integer(err, d, "max_same_team", "rules", 1, default=None,
                               allow_none=True, hi=MAX_COUNT)
    gb = d.get("group_balance")
    if gb is not None:
        if not isinstance(gb, dict):
            err.add("rules.group_balance", "must be an object like {\"by\": \"tags\", "
                    "\"slack\": 0.05} or null")
        else:
            by = ck.string(err, gb, "by", "rules.group_balance", choices=BALANCE_KEYS)
            slack = ck.number(err, gb, "slack", "rules.group_balance", 0, 1, default=0.05)
            if by is not None and slack is not None:
                r.group_balance = GroupBalance(by=by, slack=slack)
    r.min_tz_overlap = ck.number(err, d, "min_tz_overlap", "rules", 0, 8, default=None,
                               allow_none=True)
    r.continuity_bonus = ck.integer(err, d, "continuity_bonus", "rules", 0, default=0,
                                  hi=MAX_SCORE_ABS) or 0
    r.max_continued_per_mentor = ck.integer(err, d, "max_continued_per_mentor", "rules", 0,
                                          default=None, allow_none=True, hi=MAX_COUNT)
    r.history_bonus = ck.integer(err, d, "history_bonus", "rules", 0, default=0, hi=MAX_SCORE_ABS) or 0
    r.objective = ck.string(err, d, "objective", "rules", default="coverage",
                          choices=OBJECTIVES) or "coverage"
    return r


def _read_pairs(err: ck.Errors, d: Any, key: str, mentee_ids: dict[str, int],
                mentor_ids: dict[str, int]) -> list[tuple[str, str]]:
    if d is None:
        return []
    if not isinstance(d, list):
        err.add(key, "must be a list of {\"mentee\": id, \"mentor\": id}")
        return []
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for i, p in enumerate(d):
        path = f"{key}[{i}]"
        if not isinstance(p, dict):
            err.add(path, "must be an object {\"mentee\": id, \"mentor\": id}")
            continue
        e = ck.string(err, p, "mentee", path)
        m = ck.string(err, p, "mentor", path)
        bad = False
        if e is not None and e not in mentee_ids:
            err.add(f"{path}.mentee", f"unknown mentee id \"{e}\"")
            bad = True
        if m is not None and m not in mentor_ids:
            err.add(f"{path}.mentor", f"unknown mentor id \"{m}\"")
            bad = True
        if e is None or m is None or bad:
            continue
        if (e, m) in seen:
            err.add(path, f"pair ({e}, {m}) is listed twice")
            continue
        seen.add((e, m))
        out.append((e, m))
    return out


def _read_edges(err: ck.Errors, d: Any, n_mentees: int, n_mentors: int) -> Edges | None:
    if d is None:
        return None
    if not isinstance(d, dict):
        err.add("edges", "must be an object with lists \"mentee\", \"mentor\" and \"score\"")
        return None
    arrays = {}
    for key, hi in (("mentee", n_mentees), ("mentor", n_mentors), ("score", None)):
        v = d.get(key)
        if not isinstance(v, list):
            err.add(f"edges.{key}", "must be a list of integers")
            continue
        try:
            # Fast path for the common, valid case; fall back to an item-by-item check to name
            # the first offending position.
            a = np.array(v) if v else np.zeros(0, dtype=np.int64)
        except (ValueError, TypeError):
            a = np.zeros(0, dtype=object)
        if len(v) > 0 and (a.ndim != 1 or a.dtype.kind not in "iu"):
            for i, x in enumerate(v):
                if not ck.is_int(x):
                    err.add(f"edges.{key}[{i}]", "must be an integer")
                    break
            else:
                err.add(f"edges.{key}", "holds integers out of range")
            continue
        a = a.astype(np.int64)
        lo_bad = np.flatnonzero(a < 0) if hi is not None else np.flatnonzero(
            np.abs(a) > MAX_SCORE_ABS)
        if lo_bad.size:
            i = int(lo_bad[0])
            err.add(f"edges.{key}[{i}]", "must be >= 0" if hi is not None
                    else f"must be an integer in [-{MAX_SCORE_ABS}, {MAX_SCORE_ABS}]")
            continue
        if hi is not None:
            hi_bad = np.flatnonzero(a >= hi)
            if hi_bad.size:
                i = int(hi_bad[0])
                what = "mentees" if key == "mentee" else "mentors"
                err.add(f"edges.{key}[{i}]", f"{int(a[i])} is not a position in {what} "
                        f"(0..{hi - 1})")
                continue
        arrays[key] = a
    if len(arrays) < 3:
        return None
    lens = {k: len(a) for k, a in arrays.items()}
    if len(set(lens.values())) != 1:
        err.add("edges", "mentee, mentor and score must have the same length "
                f"(got {lens['mentee']}, {lens['mentor']}, {lens['score']})")
        return None
    key = arrays["mentee"] * max(n_mentors, 1) + arrays["mentor"]
    if len(key) < 2 or (key[1:] > key[:-1]).all():  # sorted and distinct: the usual file
        return Edges(arrays["mentee"], arrays["mentor"], arrays["score"])
    order = np.argsort(key, kind="stable")
    dup = np.flatnonzero(key[order][1:] == key[order][:-1])
    if dup.size:
        i = int(order[dup[0] + 1])
        err.add(f"edges.mentee[{i}]", f"pair ({int(arrays['mentee'][i])}, "
                f"{int(arrays['mentor'][i])}) appears more than once in edges")
        return None
    return Edges(arrays["mentee"], arrays["mentor"], arrays["score"])


def read_instance(data: Any) -> Instance:
    """Validate a decoded JSON instance and build an Instance, or raise InstanceError."""
    err = ck.Errors()
    if not isinstance(data, dict):
        raise InstanceError(["(root): must be a JSON object"])
    if data.get("format") != INSTANCE_FORMAT:
        err.add("format", f"must be \"{INSTANCE_FORMAT}\"")
    version = data.get("version")
    if not ck.is_int(version) or version not in VERSIONS:
        err.add("version", "must be 1 or 2 (the versions this reader knows)")
    criteria, keys = _read_criteria(err, data.get("criteria"), version)
    weights = _read_weights(err, data.get("weights"))
    rules = _read_rules(err, data.get("rules"))

    mentees: list[Mentee | None] = []
    mentors: list[Mentor | None] = []
    for key, reader, out in (("mentees", _read_mentee, mentees),
                             ("mentors", _read_mentor, mentors)):
        lst = data.get(key)
        if not isinstance(lst, list):
            err.add(key, "is required and must be a list" if lst is None else "must be a list")
            continue
        for i, d in enumerate(lst):
            out.append(reader(err, d, f"{key}[{i}]", keys))

    # Ids are unique across both lists: a person is referred to by id alone in pair lists.
    # Ids are taken from the raw records, so that one bad field does not also make every pair
    # that names the person fail with "unknown id".
    first_seen: dict[str, str] = {}
    mentee_ids: dict[str, int] = {}
    mentor_ids: dict[str, int] = {}
    for key, ids in (("mentees", mentee_ids), ("mentors", mentor_ids)):
        raw = data.get(key)
        for i, d in enumerate(raw if isinstance(raw, list) else []):
            pid = d.get("id") if isinstance(d, dict) else None
            if not isinstance(pid, str) or not pid.strip():
                continue
            if pid in first_seen:
                err.add(f"{key}[{i}].id", f"\"{pid}\" is already used by {first_seen[pid]}")
            else:
                first_seen[pid] = f"{key}[{i}]"
                ids[pid] = i

    forbidden = _read_pairs(err, data.get("forbidden"), "forbidden", mentee_ids, mentor_ids)
    locked = _read_pairs(err, data.get("locked"), "locked", mentee_ids, mentor_ids)
    continuing = _read_pairs(err, data.get("continuing"), "continuing", mentee_ids, mentor_ids)
    history = _read_pairs(err, data.get("history"), "history", mentee_ids, mentor_ids)
    edges = _read_edges(err, data.get("edges"), len(mentees), len(mentors))

    _check_locked(err, locked, forbidden, rules, mentees, mentors, mentee_ids, mentor_ids)
    if rules.max_continued_per_mentor is not None:
        cset = set(continuing)
        per = Counter(m for e, m in locked if (e, m) in cset)
        for m, n in sorted(per.items()):
            if n > rules.max_continued_per_mentor:
                err.add("locked", f"mentor \"{m}\" is locked to {n} continuing mentees but "
                        f"rules.max_continued_per_mentor is {rules.max_continued_per_mentor}")

    if err.items:
        raise InstanceError(err.final())
    inst = Instance(mentees=mentees, mentors=mentors, weights=weights,  # type: ignore[arg-type]
                    rules=rules, forbidden=forbidden, locked=locked, continuing=continuing,
                    history=history, edges=edges, criteria=criteria)
    # solve() skips re-validating an instance that came straight from this reader.
    inst.validated_by_reader = True  # type: ignore[attr-defined]
    return inst


def _check_locked(err, locked, forbidden, rules, mentees, mentors, mentee_ids, mentor_ids):
    fset = set(forbidden)
    for i, pair in enumerate(locked):
        if pair in fset:
            err.add(f"locked[{i}]", f"pair ({pair[0]}, {pair[1]}) is also forbidden")
    per_mentee = Counter(e for e, _ in locked)
    for e, n in sorted(per_mentee.items()):
        if n > rules.mentors_per_mentee:
            err.add(f"mentees[{mentee_ids[e]}]", f"\"{e}\" is locked to {n} mentors but "
                    f"rules.mentors_per_mentee is {rules.mentors_per_mentee}")
    per_mentor = Counter(m for _, m in locked)
    for m, n in sorted(per_mentor.items()):
        mentor = mentors[mentor_ids[m]] if mentor_ids[m] < len(mentors) else None
        if mentor is not None and n > mentor.capacity:
            err.add(f"mentors[{mentor_ids[m]}].capacity", f"\"{m}\" has {n} locked mentees "
                    f"but capacity {mentor.capacity}")
    if rules.max_same_team is not None:
        per_team = Counter((m, mentees[mentee_ids[e]].team) for e, m in locked
                           if mentees[mentee_ids[e]] is not None
                           and mentees[mentee_ids[e]].team is not None)
        for (m, team), n in sorted(per_team.items()):
            if n > rules.max_same_team:
                err.add("locked", f"mentor \"{m}\" is locked to {n} mentees of team "
                        f"\"{team}\" but rules.max_same_team is {rules.max_same_team}")


class _TooLong:
    """A JSON number with more than MAX_DIGITS digits: the field check reports it by name."""


def _parse_int(text: str) -> Any:
    return _TooLong() if len(text.lstrip("-")) > MAX_DIGITS else int(text)


LONG_NUMBER = re.compile(rf"[0-9]{{{MAX_DIGITS + 1}}}")
_BLOCK = 16  # a run of more than MAX_DIGITS (>= 2 * _BLOCK - 1) digits fills an aligned block


def json_bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)


def may_hold_long_number(b: np.ndarray) -> bool:
    """Whether the text has a run of more than MAX_DIGITS digits.  A regex scan of a 20 MB file
    cost more than parsing it; numpy finds the aligned blocks of digits such a run must fill,
    and only a file with one is scanned exactly."""
    digit = b - 48 < 10   # uint8 wraps: only b'0'..b'9' fall below 10
    n = len(digit) // _BLOCK * _BLOCK
    return bool(digit[:n].reshape(-1, _BLOCK).all(axis=1).any())


def json_depth(b: np.ndarray) -> int:
    """The nesting depth of a text json has already parsed: brackets outside strings, counted
    in numpy (walking the parsed values cost a Python step per object)."""
    quotes = np.flatnonzero(b == 34)
    escaped = quotes[(quotes > 0) & (b[quotes - 1] == 92)]
    if escaped.size:  # a quote after an odd run of backslashes is inside its string
        keep = []
        for q in escaped.tolist():
            run = 0
            while b[q - 1 - run] == 92:
                run += 1
            keep.append(run % 2 == 0)
        quotes = np.setdiff1d(quotes, escaped[~np.array(keep, dtype=bool)], assume_unique=True)
    brackets = np.flatnonzero((b == 91) | (b == 123) | (b == 93) | (b == 125))
    brackets = brackets[np.searchsorted(quotes, brackets) % 2 == 0]  # not inside a string
    if not brackets.size:
        return 0
    step = np.where((b[brackets] == 91) | (b[brackets] == 123), 1, -1)
    return int(np.cumsum(step).max())


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file; a file that is not JSON is an InstanceError too."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        b = json_bytes(text)
        # The per-number hook costs a Python call per number (4.5 M in a file of 1.5 M
        # edges); only a file with a run of more than MAX_DIGITS digits anywhere needs it.
        long_numbers = may_hold_long_number(b) and LONG_NUMBER.search(text)
        data = json.loads(text, parse_int=_parse_int) if long_numbers else json.loads(text)
    except json.JSONDecodeError as e:
        raise InstanceError([f"(file): not valid JSON: {e}"]) from None
    except UnicodeDecodeError as e:
        raise InstanceError([f"(file): not UTF-8 text: {e}"]) from None
    except RecursionError:
        raise InstanceError([f"(file): JSON nested deeper than {MAX_DEPTH} levels"]) from None
    if json_depth(b) > MAX_DEPTH:
        raise InstanceError([f"(file): JSON nested deeper than {MAX_DEPTH} levels"])
    return read_instance(data)


def _person_dict(p: Mentee | Mentor) -> dict:
    d: dict[str, Any] = {"id": p.id}
    if p.answers:
        d["answers"] = dict(p.answers)
    if p.industry is not None:
        d["industry"] = p.industry
    d["tags"] = list(p.tags)
    d["languages"] = list(p.languages)
    d["tz"] = p.tz
    d["years"] = p.years
    d["topics"] = list(p.topics)
    if isinstance(p, Mentee):
        d["preference"] = p.preference
        d["context_matters"] = list(p.context_matters)
        if p.team is not None:
            d["team"] = p.team
        if p.priority:
            d["priority"] = p.priority
        if p.must_match:
            d["must_match"] = True
    else:
        d["capacity"] = p.capacity
        if p.prefers_topics:
            d["prefers_topics"] = list(p.prefers_topics)
        if p.prefers_stages:
            d["prefers_stages"] = list(p.prefers_stages)
    return d


def instance_to_dict(inst: Instance) -> dict:
    w, r = inst.weights, inst.rules
    weights = {"topics": w.topics, "context": w.context, "stage": w.stage, "tz": w.tz}
    if w.mentor_pref:
        weights["mentor_pref"] = w.mentor_pref
    rules: dict[str, Any] = {
        "min_score": r.min_score, "mentors_per_mentee": r.mentors_per_mentee,
        "max_same_team": r.max_same_team,
        "group_balance": None if r.group_balance is None else
        {"by": r.group_balance.by, "slack": r.group_balance.slack},
    }
    if r.min_tz_overlap is not None:
        rules["min_tz_overlap"] = r.min_tz_overlap
    if r.continuity_bonus:
        rules["continuity_bonus"] = r.continuity_bonus
    if r.max_continued_per_mentor is not None:
        rules["max_continued_per_mentor"] = r.max_continued_per_mentor
    if r.history_bonus:
        rules["history_bonus"] = r.history_bonus
    if r.objective != "coverage":
        rules["objective"] = r.objective
    d: dict[str, Any] = {
        "format": INSTANCE_FORMAT, "version": VERSION if inst.criteria else 1,
        "weights": weights, "rules": rules,
        "mentees": [_person_dict(p) for p in inst.mentees],
        "mentors": [_person_dict(p) for p in inst.mentors],
        "forbidden": [{"mentee": e, "mentor": m} for e, m in inst.forbidden],
        "locked": [{"mentee": e, "mentor": m} for e, m in inst.locked],
    }
    if inst.criteria:
        d["criteria"] = [{"key": c.key, "label": c.label, "kind": c.kind, "weight": c.weight}
                         for c in inst.criteria]
    if inst.continuing:
        d["continuing"] = [{"mentee": e, "mentor": m} for e, m in inst.continuing]
    if inst.history:
        d["history"] = [{"mentee": e, "mentor": m} for e, m in inst.history]
    if inst.edges is not None:
        d["edges"] = {"mentee": inst.edges.mentee.tolist(), "mentor": inst.edges.mentor.tolist(),
                      "score": inst.edges.score.tolist()}
    return d


def reasons_to_strings(reasons: list[tuple[str, int]]) -> list[str]:
    return [f"{code}:{count}" for code, count in reasons]


def result_to_dict(res: Result) -> dict:
    d: dict[str, Any] = {
        "format": RESULT_FORMAT, "version": RESULT_VERSION, "status": res.status,
        "objective": dict(res.objective), "bound": dict(res.bound), "gap": res.gap,
        "solver": res.solver, "stats": dict(res.stats),
        "assignment": [], "unmatched": [],
    }
    for p in res.assignment:
        a: dict[str, Any] = {"mentee": p.mentee, "mentor": p.mentor, "score": p.score,
                             "why": dict(p.why), "sentence": p.sentence}
        if p.locked:
            a["locked"] = True
        d["assignment"].append(a)
    for u in res.unmatched:
        d["unmatched"].append({"mentee": u.mentee, "reasons": reasons_to_strings(u.reasons),
                               "sentence": u.sentence})
    if res.message:
        d["message"] = res.message
    if res.blocking:
        d["blocking"] = [{"mentee": b.mentee, "mentor": b.mentor, "score": b.score,
                          "mentee_gain": b.mentee_gain, "mentor_gain": b.mentor_gain}
                         for b in res.blocking]
    return d


def _parse_reason(s: Any) -> tuple[str, int] | None:
    if isinstance(s, (list, tuple)) and len(s) == 2 and isinstance(s[0], str) and ck.is_int(s[1]):
        return (s[0], s[1])
    if isinstance(s, str) and ":" in s:
        code, _, count = s.rpartition(":")
        if code and count.isdigit():
            return (code, int(count))
    return None


def read_result(data: Any) -> Result:
    """Build a Result from a decoded result document, checking its shape."""
    errs: list[str] = []
    if not isinstance(data, dict):
        raise ResultError(["(root): must be a JSON object"])
    if data.get("format") != RESULT_FORMAT:
        errs.append(f"format: must be \"{RESULT_FORMAT}\"")
    if data.get("version") != RESULT_VERSION:
        errs.append(f"version: must be {RESULT_VERSION}")
    if data.get("status") not in STATUSES:
        errs.append("status: must be one of " + ", ".join(STATUSES))
    for key in ("objective", "bound"):
        v = data.get(key)
        if not isinstance(v, dict) or not all(ck.is_int(x) for x in v.values()):
            errs.append(f"{key}: must be an object of integers like {{\"pairs\": 3, \"score\": 180}}")
    gap = data.get("gap")
    if gap is not None and not ck.is_number(gap):
        errs.append("gap: must be a number or null")
    assignment: list[Pair] = []
    for i, a in enumerate(data.get("assignment") or []):
        if not (isinstance(a, dict) and isinstance(a.get("mentee"), str)
                and isinstance(a.get("mentor"), str) and ck.is_int(a.get("score"))):
            errs.append(f"assignment[{i}]: must have string mentee, mentor and integer score")
            continue
        assignment.append(Pair(a["mentee"], a["mentor"], a["score"], dict(a.get("why") or {}),
                               str(a.get("sentence") or ""), bool(a.get("locked", False))))
    unmatched: list[Unmatched] = []
    for i, u in enumerate(data.get("unmatched") or []):
        if not (isinstance(u, dict) and isinstance(u.get("mentee"), str)
                and isinstance(u.get("reasons", []), list)):
            errs.append(f"unmatched[{i}]: must have a string mentee and a list of reasons")
            continue
        reasons = []
        for j, s in enumerate(u.get("reasons", [])):
            r = _parse_reason(s)
            if r is None:
                errs.append(f"unmatched[{i}].reasons[{j}]: must look like \"code:count\"")
            else:
                reasons.append(r)
        unmatched.append(Unmatched(u["mentee"], reasons, str(u.get("sentence") or "")))
    blocking: list[BlockingPair] = []
    for i, b in enumerate(data.get("blocking") or []):
        if not (isinstance(b, dict) and isinstance(b.get("mentee"), str)
                and isinstance(b.get("mentor"), str)
                and all(ck.is_int(b.get(k)) for k in ("score", "mentee_gain", "mentor_gain"))):
            errs.append(f"blocking[{i}]: must have string mentee, mentor and integer score, "
                        "mentee_gain, mentor_gain")
            continue
        blocking.append(BlockingPair(b["mentee"], b["mentor"], b["score"], b["mentee_gain"],
                                     b["mentor_gain"]))
    if errs:
        raise ResultError(errs)
    return Result(status=data["status"], objective=dict(data["objective"]),
                  bound=dict(data["bound"]), gap=float(gap) if gap is not None else 0.0,
                  solver=str(data.get("solver", "")), stats=dict(data.get("stats") or {}),
                  assignment=assignment, unmatched=unmatched,
                  message=str(data.get("message") or ""), blocking=blocking)
