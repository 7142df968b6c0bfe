"""Tiny builders for hand-written matching cases: an English-speaking Python mentee `E(i)` and
mentor `M(j)` a few years ahead, with any field overridden."""
from mentormatch.matching import Mentee, Mentor


def E(i, **kw) -> Mentee:
    return Mentee(**(dict(id=f"e{i}", languages=["en"], tz=0, years=2, preference="ahead", topics=["python"]) | kw))


def M(j, **kw) -> Mentor:
    return Mentor(**(dict(id=f"m{j}", languages=["en"], tz=0, years=6, capacity=1, topics=["python"]) | kw))


def pairs(result) -> set[tuple[str, str]]:
    return {(p.mentee, p.mentor) for p in result.assignment}
