"""Seeded generator of realistic matching instances (format v1) for the benchmark.

Mentors are drawn from the 386 real, de-identified mentor profiles in /work/shared/data (topics,
spoken languages, country -> time zone, years of experience, capacity), with small jitter.
Mentees are synthetic but follow the same distributions: they ask for the topics mentors offer
(popular ones more often), speak mostly English, live in the same countries plus more from
India, Nigeria and Latin America, and are earlier in their careers.  Some background tags are
tied to harder circumstances on purpose ("career-changer" mentees have no experience and want
someone senior, "immigrant" mentees more often speak a language few mentors share) so that the
group-balance rule has something to correct.

    python bench/generate.py --scale M --seed 1 --out bench/out/M.json [--edges]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

DATA = Path(os.environ.get("MENTORMATCH_DATA", "/work/shared/data"))
SCALES = {"S": (50, 20), "M": (1000, 300), "L": (10_000, 2_500), "XL": (50_000, 12_000)}
# The round's minimum score.  A coordinator with a bigger mentor pool raises the bar: at 80 an
# XL mentee keeps about as many candidates (~160) as an L mentee does at 65 (~150).
MIN_SCORE = {"S": 65, "M": 65, "L": 65, "XL": 80}

TZ = {"GB": 0, "US": -5, "IN": 5.5, "DE": 1, "NG": 1, "CA": -5, "ES": 1, "FR": 1, "IT": 1,
      "NL": 1, "BR": -3, "PE": -5, "RO": 2, "MX": -6, "EG": 2, "IL": 2, "ZA": 2, "CH": 1,
      "AU": 10, "UA": 2, "AR": -3, "TR": 3, "IE": 0, "AT": 1, "BE": 1, "PL": 1, "PT": 0,
      "PK": 5, "JO": 3, "SE": 1, "KE": 3, "PH": 8, "CZ": 1, "DK": 1, "GR": 2, "EU": 1,
      "IR": 3.5, "AL": 1, "NZ": 12, "TZ": 3, "UY": -3, "UG": 3, "VN": 7, "NP": 5.75,
      "CO": -5, "SG": 8, "DZ": 1, "DO": -4, "AZ": 4, "LB": 2, "NE": 1, "BD": 6, "MU": 4,
      "VE": -4, "HR": 1, "MA": 1, "RU": 3, "BY": 3, "BG": 2, "RS": 1}
US_ZONES = [-5, -6, -7, -8]
INDUSTRIES = ["software", "finance", "health", "education", "retail", "government", "media",
              "energy"]
IND_P = [0.40, 0.15, 0.10, 0.08, 0.08, 0.07, 0.07, 0.05]
TAGS = ["first-gen", "women-in-tech", "parent", "career-changer", "immigrant", "lgbtq+",
        "veteran", "disability"]
MENTEE_TAG_P = [0.25, 0.30, 0.10, 0.15, 0.12, 0.08, 0.04, 0.04]
MENTOR_TAG_P = [0.15, 0.30, 0.20, 0.08, 0.12, 0.06, 0.05, 0.03]
CAPACITY = [1] * 20 + [2] * 10 + [3] * 3 + [4] * 2 + [5] + [7]  # WCC "num_mentee" values


def _profiles() -> list[dict]:
    cc = json.loads((DATA / "mentors-codingcoach.json").read_text())
    wcc = [m for m in json.loads((DATA / "mentors-wcc.json").read_text()) if m.get("active")]
    years = [m["years"] for m in wcc]
    out = []
    for m in cc:
        out.append({"topics": m["tags"], "languages": m["languages"] or ["en"],
                    "country": m["country"], "years": None, "capacity": None})
    for m in wcc:
        topics = (m["programming_languages"] + m["areas"])[:6]
        out.append({"topics": topics, "languages": m["languages"] or ["en"],
                    "country": m["country"], "years": m["years"], "capacity": m["capacity"]})
    return out, years


def generate(scale: str, seed: int = 1, edges: bool = False, min_score: int | None = None,
             balance: bool = False) -> dict:
    n_e, n_m = SCALES[scale]
    min_score = MIN_SCORE[scale] if min_score is None else min_score
    rng = np.random.default_rng(seed)
    profiles, wcc_years = _profiles()
    teams = [f"team{t:03d}" for t in range(max(5, n_e // 40))]

    topic_count: dict[str, int] = {}
    for p in profiles:
        for t in p["topics"]:
            topic_count[t] = topic_count.get(t, 0) + 1
    topic_names = sorted(topic_count)
    topic_p = np.array([topic_count[t] for t in topic_names], dtype=float)
    topic_p /= topic_p.sum()
    lang_count: dict[str, int] = {}
    for p in profiles:
        for lang in p["languages"]:
            if lang != "en":
                lang_count[lang] = lang_count.get(lang, 0) + 1
    other_langs = sorted(lang_count)
    lang_p = np.array([lang_count[x] for x in other_langs], dtype=float)
    lang_p /= lang_p.sum()
    countries = sorted({p["country"] for p in profiles})

    def tz_of(country: str) -> float:
        if country == "US":
            return float(rng.choice(US_ZONES))
        return float(TZ.get(country, 0))

    mentors = []
    for j in range(n_m):
        p = profiles[int(rng.integers(len(profiles)))]
        years = p["years"] if p["years"] is not None else int(rng.choice(wcc_years))
        years = max(1, years + int(rng.integers(-2, 3)))
        cap = p["capacity"] if p["capacity"] else int(rng.choice(CAPACITY))
        mentors.append({
            "id": f"m{j:05d}", "industry": str(rng.choice(INDUSTRIES, p=IND_P)),
            "tags": [t for t, q in zip(TAGS, MENTOR_TAG_P) if rng.random() < q],
            "languages": list(p["languages"]), "tz": tz_of(p["country"]), "years": years,
            "topics": list(p["topics"]), "capacity": int(min(cap + 1, 8)),
        })

    mentee_countries = countries + ["IN"] * 20 + ["NG"] * 10 + ["BR", "MX", "AR", "CO"] * 3 + \
        ["GB"] * 15 + ["US"] * 15
    mentees = []
    for i in range(n_e):
        tags = [t for t, q in zip(TAGS, MENTEE_TAG_P) if rng.random() < q]
        k = int(rng.choice([1, 2, 3, 3, 4, 5]))
        topics = list(dict.fromkeys(rng.choice(topic_names, size=k, p=topic_p).tolist()))
        langs = ["en"]
        if rng.random() < 0.2:
            langs.append(str(rng.choice(other_langs, p=lang_p)))
        if "immigrant" in tags and rng.random() < 0.35:
            langs = [str(rng.choice(other_langs, p=lang_p))]  # no English yet
        elif rng.random() < 0.02:
            langs = [str(rng.choice(other_langs, p=lang_p))]
        years = float(max(0, round(rng.gamma(2.0, 1.8))))
        pref = str(rng.choice(["ahead", "peer", "senior"], p=[0.5, 0.2, 0.3]))
        if "career-changer" in tags:
            years, pref = 0.0, "senior"
        ctx = [c for c in ("industry", "tags") if rng.random() < 0.5]
        mentee = {
            "id": f"e{i:06d}", "industry": str(rng.choice(INDUSTRIES, p=IND_P)), "tags": tags,
            "languages": langs, "tz": tz_of(str(rng.choice(mentee_countries))), "years": years,
            "topics": topics, "preference": pref, "context_matters": ctx,
            "team": str(rng.choice(teams)),
        }
        mentees.append(mentee)

    inst = {
        "format": "mentormatch-instance", "version": 1,
        "weights": {"topics": 40, "context": 20, "stage": 25, "tz": 15},
        "rules": {"min_score": min_score, "mentors_per_mentee": 1, "max_same_team": None,
                  "group_balance": {"by": "tags", "slack": 0.05} if balance else None},
        "mentees": mentees, "mentors": mentors, "forbidden": [], "locked": [],
    }
    if edges:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from mentormatch.matching import read_instance
        from mentormatch.matching.scoring import prepare, score_candidates
        from mentormatch.matching.solver import canonical

        parsed = canonical(read_instance(inst))
        cand = score_candidates(parsed, prepare(parsed))
        inst["edges"] = {"mentee": cand.ei.tolist(), "mentor": cand.mj.tolist(),
                         "score": cand.score.tolist()}
    return inst


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=sorted(SCALES), default="S")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--edges", action="store_true", help="include the scored candidate edges")
    ap.add_argument("--balance", action="store_true", help="add group balance over tags")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    inst = generate(a.scale, a.seed, edges=a.edges, balance=a.balance)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(inst, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
