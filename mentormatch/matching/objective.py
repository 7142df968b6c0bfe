"""The lexicographic objective, shared by the flow, the balance stages and the result.

One key function (`lex_key`) orders solutions and bounds everywhere, so the stages cannot
disagree about what "better" means.
"""
from __future__ import annotations

import numpy as np


def objective_of(pb, chosen: np.ndarray) -> dict[str, int]:
    """Pairs, total score and (when some mentee must be matched) must-match count."""
    obj = {"pairs": int(chosen.sum()), "score": int(pb.cand.score[chosen].sum())}
    if pb.flow.must_match is not None:
        matched = np.bincount(pb.cand.ei[chosen], minlength=pb.P.n_e) > 0
        obj["must_match"] = int((matched & pb.flow.must_match).sum())
    return obj


def levels(objective: str = "coverage") -> tuple[str, ...]:
    return ("must_match", "score") if objective == "quality" else ("must_match", "pairs", "score")


def lex_key(obj: dict[str, int], objective: str = "coverage") -> tuple:
    return tuple(obj.get(k, 0) for k in levels(objective))


def gap_of(obj: dict[str, int], bound: dict[str, int], objective: str = "coverage") -> float:
    """The largest relative shortfall on any level of the objective (0 when proven optimal)."""
    g = 0.0
    for k in levels(objective):
        if k in bound and bound[k] > obj.get(k, 0):
            g = max(g, (bound[k] - obj.get(k, 0)) / max(abs(bound[k]), 1))
        if k in bound and bound[k] < obj.get(k, 0):
            break  # a lower level may exceed its bound once a higher level is below its own
    return round(g, 6)
