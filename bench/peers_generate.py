"""Seeded peer instances (format "mentormatch-peers" v1) for the peer and circle benchmarks.

People are the mentees of bench/generate.py (topics, tags, industry, time zone, years drawn
from the real profiles in /work/shared/data); what each can help with is the topic list of a
real mentor profile, cut to the first three, so strengths and wants share one vocabulary.

    python bench/peers_generate.py --task circles --people 2000 --seed 1 --out bench/out/c.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def peer_instance(task: str, people: int, seed: int = 1, facilitator: bool = False,
                  candidates: int = 60, effort: float | None = None) -> dict:
    base = generate("L", seed=seed)
    rng = np.random.default_rng(seed + 1000)
    mentors = base["mentors"]
    out = []
    for e in base["mentees"][:people]:
        giver = mentors[int(rng.integers(len(mentors)))]
        start = float(rng.choice([7, 8, 9, 9, 10, 12]))
        out.append({
            "id": e["id"], "tz": e["tz"], "years": e["years"], "wants": e["topics"],
            "offers": giver["topics"][:3], "context": e["tags"] + [e["industry"]],
            "languages": e["languages"], "hours": [start, start + 8],
            "facilitator": bool(facilitator and rng.random() < 0.2),
        })
    rules = {"candidates": candidates, "min_overlap": 2 if task == "circles" else 1,
             "facilitator": facilitator}
    if effort is not None:
        rules["effort"] = effort
    return {"format": "mentormatch-peers", "version": 1, "task": task,
            "rules": rules, "people": out}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", choices=["pairs", "circles"], default="pairs")
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--facilitator", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(peer_instance(a.task, a.people, a.seed, a.facilitator)))


if __name__ == "__main__":
    main()
