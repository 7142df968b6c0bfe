"""Independent, slow reference code for the matching tests: a scalar score function written
from the documented rules, a feasibility checker that does not use the solver, a brute-force
optimizer for tiny instances, and hypothesis strategies for random instances."""
from __future__ import annotations

import itertools
import math
from collections import Counter
from fractions import Fraction

from hypothesis import strategies as st

from mentormatch.matching import read_instance
from mentormatch.matching.solver import build

LANGS = ["en", "es", "fr"]
TOPICS = ["python", "sql", "go", "ml", "design"]
TAGS = ["first-gen", "parent", "veteran"]
INDUSTRIES = ["software", "finance", None]
TEAMS = ["a", "b", None]
TZS = [-12, -8, -5, 0, 1, 5.5, 9, 14]
CURVES = {"peer": (-2, 2, 5, 5), "ahead": (2, 6, 4, 8), "senior": (7, math.inf, 5, 1)}


def n(s):
    return s.strip().casefold()


def ref_components(e: dict, m: dict, weights: dict) -> dict:
    """The documented score components, computed one pair at a time in float64."""
    et = e.get("topics", [])
    mt = {n(t) for t in m.get("topics", [])}
    k = len(et)
    topics = sum(k - i for i, t in enumerate(et) if n(t) in mt) / (k * (k + 1) / 2) if k else 0.0
    cm = e.get("context_matters", [])
    if not cm:
        context = 1.0
    else:
        parts = []
        if "industry" in cm:
            parts.append(1.0 if e.get("industry") and m.get("industry")
                         and n(e["industry"]) == n(m["industry"]) else 0.0)
        if "tags" in cm:
            etags = e.get("tags", [])
            mtags = {n(t) for t in m.get("tags", [])}
            parts.append(sum(n(t) in mtags for t in etags) / len(etags) if etags else 0.0)
        context = sum(parts) / len(parts)
    gap = m["years"] - e["years"]
    lo, hi, wb, wa = CURVES[e["preference"]]
    stage = min(1.0, max(0.0, 1 - max(lo - gap, 0) / wb - max(gap - hi, 0) / wa))
    d = abs(e["tz"] - m["tz"]) % 24
    d = min(d, 24 - d)
    overlap = min(8.0, max(0.0, 8 - d))
    out = {"topics": topics, "context": context, "stage": stage, "tz": overlap / 8,
           "overlap": overlap}
    if weights.get("mentor_pref", 0):
        pt = {n(t) for t in m.get("prefers_topics", [])}
        ps = set(m.get("prefers_stages", []))
        parts = []
        if pt:
            parts.append(1.0 if any(n(t) in pt for t in et) else 0.0)
        if ps:
            rel = "peer" if abs(gap) <= 2 else None if gap < -2 else "ahead" if gap < 7 \
                else "senior"
            parts.append(1.0 if rel in ps else 0.0)
        out["mentor_pref"] = sum(parts) / len(parts) if parts else 1.0
    return out


def ref_total(e, m, weights) -> float:
    c = ref_components(e, m, weights)
    w = {"topics": 40, "context": 20, "stage": 25, "tz": 15, "mentor_pref": 0, **weights}
    return sum(w[k] * c[k] for k in ("topics", "context", "stage", "tz", "mentor_pref")
               if k in c)


def ref_score(e, m, weights) -> int:
    return math.floor(ref_total(e, m, weights) + 0.5)


def near_half(x: float) -> bool:
    """float32 and float64 may round differently right at .5: such pairs are skipped."""
    return abs((x + 0.5) - round(x + 0.5)) < 1e-3


def ref_eligible(doc: dict, e: dict, m: dict) -> bool | None:
    """True/False by the documented rules, None when it depends on rounding at .5."""
    rules = doc.get("rules") or {}
    if m["capacity"] <= 0:
        return False
    if any(f["mentee"] == e["id"] and f["mentor"] == m["id"] for f in doc.get("forbidden", [])):
        return False
    if not {n(x) for x in e["languages"]} & {n(x) for x in m["languages"]}:
        return False
    c = ref_components(e, m, doc.get("weights") or {})
    if rules.get("min_tz_overlap") is not None and c["overlap"] < rules["min_tz_overlap"]:
        return False
    if rules.get("min_score") is not None:
        total = ref_total(e, m, doc.get("weights") or {})
        if near_half(total):
            return None
        if math.floor(total + 0.5) < rules["min_score"]:
            return False
    return True


def check_feasible(doc: dict, result) -> list[str]:
    """Every hard rule, checked on a Result without using the solver's code."""
    problems = []
    rules = doc.get("rules") or {}
    mentees = {e["id"]: e for e in doc["mentees"]}
    mentors = {m["id"]: m for m in doc["mentors"]}
    k = rules.get("mentors_per_mentee", 1)
    pairs = [(p.mentee, p.mentor) for p in result.assignment]
    if len(set(pairs)) != len(pairs):
        problems.append("a pair appears twice")
    per_e = Counter(e for e, _ in pairs)
    per_m = Counter(m for _, m in pairs)
    for e, c in per_e.items():
        if c > k:
            problems.append(f"{e} has {c} mentors > {k}")
    for m, c in per_m.items():
        if c > mentors[m]["capacity"]:
            problems.append(f"{m} has {c} mentees > capacity")
    locked = {(x["mentee"], x["mentor"]) for x in doc.get("locked", [])}
    forbidden = {(x["mentee"], x["mentor"]) for x in doc.get("forbidden", [])}
    for p in locked - set(pairs):
        problems.append(f"locked {p} missing")
    for p in forbidden & set(pairs):
        problems.append(f"forbidden {p} used")
    edges = doc.get("edges")
    if edges is not None:
        ids_e = [e["id"] for e in doc["mentees"]]
        ids_m = [m["id"] for m in doc["mentors"]]
        allowed = {(ids_e[a], ids_m[b]) for a, b in zip(edges["mentee"], edges["mentor"])}
        for p in set(pairs) - locked - allowed:
            problems.append(f"{p} is not an edge")
    else:
        for p in set(pairs) - locked:
            if ref_eligible(doc, mentees[p[0]], mentors[p[1]]) is False:
                problems.append(f"{p} is not eligible")
    if rules.get("max_same_team") is not None:
        per_team = Counter((m, mentees[e].get("team")) for e, m in pairs
                           if mentees[e].get("team") is not None)
        for key, c in per_team.items():
            if c > rules["max_same_team"]:
                problems.append(f"team cap broken at {key}")
    if rules.get("max_continued_per_mentor") is not None:
        cont = {(x["mentee"], x["mentor"]) for x in doc.get("continuing", [])}
        per = Counter(m for e, m in pairs if (e, m) in cont)
        for m, c in per.items():
            if c > rules["max_continued_per_mentor"]:
                problems.append(f"continued cap broken at {m}")
    gb = rules.get("group_balance")
    if gb and not balanced(doc, {e for e, _ in pairs}, gb):
        problems.append("group balance broken")
    return problems


def balanced(doc, matched_ids: set, gb: dict) -> bool:
    r = Fraction(str(1 - gb["slack"])).limit_denominator(10**6)
    total = len(doc["mentees"])
    m = len(matched_ids)
    groups: dict[str, list[str]] = {}
    for e in doc["mentees"]:
        v = e.get(gb["by"])
        vals = v if isinstance(v, list) else ([] if v is None else [v])
        for x in {n(y) for y in vals}:
            groups.setdefault(x, []).append(e["id"])
    for ids in groups.values():
        mg = sum(1 for i in ids if i in matched_ids)
        if Fraction(mg) * total < r * len(ids) * m:
            return False
    return True


def brute_force(doc: dict):
    """The lexicographic optimum (must-match, pairs, score) over the solver's candidate set,
    by enumerating every assignment.  Returns the best key or None if nothing is feasible."""
    inst = read_instance(doc)
    pb = build(inst, threads=1)
    c = pb.cand
    rules = inst.rules
    k = rules.mentors_per_mentee
    mentees = pb.inst.mentees
    mentors = pb.inst.mentors
    by_e: dict[int, list[int]] = {}
    for idx in range(c.n):
        by_e.setdefault(int(c.ei[idx]), []).append(idx)
    options = []
    for i in range(len(mentees)):
        cands = by_e.get(i, [])
        locked = [x for x in cands if pb.locked[x]]
        free = [x for x in cands if not pb.locked[x]]
        if rules.objective == "quality":
            free = [x for x in free if c.score[x] > 0]
        opts = []
        for r in range(0, k - len(locked) + 1):
            for comb in itertools.combinations(free, r):
                opts.append(tuple(locked) + comb)
        options.append(opts)
    cap = [m.capacity for m in mentors]
    best = None
    gb = rules.group_balance
    doc_c = {"mentees": [{"id": e.id, "tags": e.tags, "industry": e.industry, "team": e.team,
                          "preference": e.preference, "languages": e.languages}
                         for e in mentees]}

    def rec(i, used, team_used, cont_used, chosen):
        nonlocal best
        if i == len(mentees):
            matched = {mentees[int(c.ei[x])].id for x in chosen}
            if gb is not None and not balanced(doc_c, matched, {"by": gb.by, "slack": gb.slack}):
                return
            must = sum(1 for e in mentees if e.must_match and e.id in matched)
            score = int(sum(int(c.score[x]) for x in chosen))
            key = (must, score) if rules.objective == "quality" else (must, len(chosen), score)
            if best is None or key > best:
                best = key
            return
        for opt in options[i]:
            ok = True
            u2, t2, c2 = dict(used), dict(team_used), dict(cont_used)
            for x in opt:
                j = int(c.mj[x])
                u2[j] = u2.get(j, 0) + 1
                if u2[j] > cap[j]:
                    ok = False
                t = mentees[i].team
                if rules.max_same_team is not None and t is not None:
                    t2[(j, t)] = t2.get((j, t), 0) + 1
                    if t2[(j, t)] > rules.max_same_team:
                        ok = False
                if rules.max_continued_per_mentor is not None and pb.continuing[x]:
                    c2[j] = c2.get(j, 0) + 1
                    if c2[j] > rules.max_continued_per_mentor:
                        ok = False
            if ok:
                rec(i + 1, u2, t2, c2, chosen + list(opt))

    rec(0, {}, {}, {}, [])
    return best


def result_key(doc, res):
    obj = res.objective
    must = obj.get("must_match", 0)
    if (doc.get("rules") or {}).get("objective") == "quality":
        return (must, obj["score"])
    return (must, obj["pairs"], obj["score"])


# ---- hypothesis strategies -------------------------------------------------------------

def person(draw, i, kind):
    d = {
        "id": f"{kind}{i}",
        "languages": draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=2, unique=True)),
        "tz": draw(st.sampled_from(TZS)),
        "years": draw(st.integers(0, 16)),
        "topics": draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)),
        "tags": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
    }
    ind = draw(st.sampled_from(INDUSTRIES))
    if ind is not None:
        d["industry"] = ind
    if kind == "e":
        d["preference"] = draw(st.sampled_from(["peer", "ahead", "senior"]))
        d["context_matters"] = draw(st.lists(st.sampled_from(["industry", "tags"]), max_size=2,
                                             unique=True))
        team = draw(st.sampled_from(TEAMS))
        if team is not None:
            d["team"] = team
    else:
        d["capacity"] = draw(st.integers(0, 2))
    return d


@st.composite
def instances(draw, max_mentees=5, max_mentors=3, extras=True, balance=True, edges=True):
    n_e = draw(st.integers(1, max_mentees))
    n_m = draw(st.integers(1, max_mentors))
    mentees = [person(draw, i, "e") for i in range(n_e)]
    mentors = [person(draw, j, "m") for j in range(n_m)]
    k = draw(st.integers(1, 2))
    rules = {"min_score": draw(st.sampled_from([None, 30, 50, 65])), "mentors_per_mentee": k,
             "max_same_team": draw(st.sampled_from([None, 1])), "group_balance": None}
    if balance and draw(st.booleans()):
        rules["group_balance"] = {"by": draw(st.sampled_from(["tags", "team"])),
                                  "slack": draw(st.sampled_from([0.0, 0.1, 0.3]))}
    doc = {"format": "mentormatch-instance", "version": 1,
           "weights": {"topics": 40, "context": 20, "stage": 25, "tz": 15},
           "rules": rules, "mentees": mentees, "mentors": mentors, "forbidden": [],
           "locked": []}
    all_pairs = [(e["id"], m["id"]) for e in mentees for m in mentors]
    forb = draw(st.lists(st.sampled_from(all_pairs), max_size=3, unique=True))
    doc["forbidden"] = [{"mentee": a, "mentor": b} for a, b in forb]
    # Locked pairs that respect k, capacities and the team cap.
    lock_try = draw(st.lists(st.sampled_from(all_pairs), max_size=2, unique=True))
    per_e, per_m, per_t = Counter(), Counter(), Counter()
    team_of = {e["id"]: e.get("team") for e in mentees}
    cap_of = {m["id"]: m["capacity"] for m in mentors}
    for a, b in lock_try:
        t = team_of[a]
        if (a, b) in forb or per_e[a] >= k or per_m[b] >= cap_of[b]:
            continue
        if rules["max_same_team"] is not None and t is not None and \
                per_t[(b, t)] >= rules["max_same_team"]:
            continue
        per_e[a] += 1
        per_m[b] += 1
        if t is not None:
            per_t[(b, t)] += 1
        doc["locked"].append({"mentee": a, "mentor": b})
    if extras:
        if draw(st.booleans()):
            doc["rules"]["objective"] = "quality"
        if draw(st.booleans()):
            cont = draw(st.lists(st.sampled_from(all_pairs), max_size=3, unique=True))
            doc["continuing"] = [{"mentee": a, "mentor": b} for a, b in cont]
            doc["rules"]["continuity_bonus"] = draw(st.sampled_from([0, 10, 40]))
            cap = draw(st.sampled_from([None, 0, 1]))
            doc["rules"]["max_continued_per_mentor"] = cap
            if cap is not None:  # locked continuing pairs must fit the cap (else invalid)
                locked = {(x["mentee"], x["mentor"]) for x in doc["locked"]}
                seen = Counter()
                keep = []
                for x in doc["continuing"]:
                    if (x["mentee"], x["mentor"]) in locked:
                        if seen[x["mentor"]] >= cap:
                            continue
                        seen[x["mentor"]] += 1
                    keep.append(x)
                doc["continuing"] = keep
        for e in mentees:
            if draw(st.integers(0, 4)) == 0:
                e["must_match"] = True
            if draw(st.integers(0, 4)) == 0:
                e["priority"] = draw(st.integers(1, 30))
        if draw(st.booleans()):
            doc["weights"]["mentor_pref"] = 10
            for m in mentors:
                m["prefers_topics"] = draw(st.lists(st.sampled_from(TOPICS), max_size=2,
                                                    unique=True))
                m["prefers_stages"] = draw(st.lists(st.sampled_from(["peer", "ahead", "senior"]),
                                                    max_size=2, unique=True))
        if draw(st.integers(0, 3)) == 0:
            doc["rules"]["min_tz_overlap"] = draw(st.sampled_from([2, 6]))
    if edges and draw(st.integers(0, 3)) == 0:
        cells = [(i, j) for i in range(n_e) for j in range(n_m)]
        chosen = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
        doc["edges"] = {"mentee": [a for a, _ in chosen], "mentor": [b for _, b in chosen],
                        "score": [draw(st.integers(-5, 90)) for _ in chosen]}
    return doc
