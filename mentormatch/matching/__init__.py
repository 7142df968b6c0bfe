"""MentorMatch matching core: pure data in, pure data out (no Flask, no database).

    from mentormatch.matching import load_instance, solve, result_to_dict
    result = solve(load_instance("round.json"), time_limit=60)

See docs/matching.md for the format, the score function, the command line and the API.
"""
from .formats import (
    InstanceError,
    ResultError,
    instance_to_dict,
    load_instance,
    read_instance,
    read_result,
    result_to_dict,
)
from .model import (
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
from .solver import candidates, explain_pair, score_pair, solve

__all__ = [
    "BlockingPair", "Criterion", "Edges", "GroupBalance", "Instance", "InstanceError", "Mentee", "Mentor",
    "Pair", "Result", "ResultError", "Rules", "Unmatched", "Weights", "candidates", "explain_pair",
    "instance_to_dict", "load_instance", "read_instance", "read_result", "result_to_dict",
    "score_pair", "solve",
]
