"""Hypothesis strategies and brute-force references for peer pairs and circles (tests only)."""
from __future__ import annotations

from hypothesis import strategies as st

TOPICS = ["sql", "python", "interviews", "design", "negotiation"]
CONTEXT = ["career-changer", "parent", "finance", "first-gen"]


@st.composite
def people_docs(draw, n_min=2, n_max=9, same_hours=False, task="pairs", facilitator=False):
    n = draw(st.integers(n_min, n_max))
    people = []
    for i in range(n):
        tz = 0 if same_hours else draw(st.sampled_from([-5, 0, 1, 3, 5.5, 9]))
        start = 9 if same_hours else draw(st.sampled_from([7, 9, 12]))
        people.append({
            "id": f"p{i}", "tz": tz, "years": draw(st.sampled_from([0, 1, 3, 6, 10])),
            "wants": draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)),
            "offers": draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)),
            "context": draw(st.lists(st.sampled_from(CONTEXT), max_size=2, unique=True)),
            "languages": draw(st.sampled_from([["en"], ["en"], ["es"], ["en", "es"], []])),
            "hours": [start, start + 8],
            "facilitator": draw(st.booleans()) if facilitator else False,
        })
    ids = [p["id"] for p in people]
    forbidden = []
    if n >= 2 and draw(st.booleans()):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        forbidden.append({"a": a, "b": b})
    return {"format": "mentormatch-peers", "version": 1, "task": task,
            "rules": {"circle_min": 3, "circle_max": 4, "cluster_size": 12, "effort": 30,
                      "min_overlap": 1, "facilitator": facilitator},
            "people": people, "forbidden": forbidden}


def best_matching(n: int, weight: dict[tuple[int, int], int]) -> int:
    """The maximum total weight of a matching, by trying every one (n <= 10)."""
    def rec(free: tuple[int, ...]) -> int:
        if len(free) < 2:
            return 0
        first, rest = free[0], free[1:]
        best = rec(rest)  # first stays single
        for k, j in enumerate(rest):
            w = weight.get((first, j))
            if w is not None:
                best = max(best, w + rec(rest[:k] + rest[k + 1:]))
        return best
    return rec(tuple(range(n)))


def best_partition(n: int, value, allowed) -> int:
    """The best sum of value(circle) over sets of disjoint circles (people may stay out),
    by trying every one; allowed(circle) says whether a group may be a circle."""
    from itertools import combinations

    def rec(free: tuple[int, ...]) -> int:
        if not free:
            return 0
        first, rest = free[0], free[1:]
        best = rec(rest)
        for size in range(1, len(rest) + 1):
            for others in combinations(rest, size):
                circle = (first, *others)
                if allowed(circle):
                    left = tuple(x for x in rest if x not in others)
                    best = max(best, value(circle) + rec(left))
        return best
    return rec(tuple(range(n)))
