"""People who meet as equals: the data, the format and the score shared by peer pairs
(peers.py) and peer circles (circles.py).

One person has what they want help with and what they can help with (both ordered, the first
counts most), the context they share with others ("career-changer", an industry), a stage
(years of experience), a time zone and working hours.  The format ("mentormatch-peers",
version 1, docs/formats.md) is read like the matching format: the whole document is checked
and every bad field is named ("people[3].tz: must be a number in [-12, 14]").
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from . import checks as ck
from .explain import ENGLISH, N_, Words
from .formats import MAX_DEPTH, InstanceError
from .model import Weights
from .scoring import norm

FORMAT = "mentormatch-peers"
RESULT_FORMAT = "mentormatch-peers-result"
VERSION = 1
TASKS = ("pairs", "circles")
SLOTS = 96  # quarter hours of a UTC day: half- and quarter-hour zones (India, Nepal) fit exactly
MAX_PEOPLE = 100_000


@dataclass
class Person:
    id: str
    tz: float
    years: float
    wants: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    hours: tuple[float, float] = (9.0, 17.0)  # local working hours, end may pass midnight
    facilitator: bool = False


@dataclass
class PeerRules:
    min_overlap: float = 1.0          # hours of common working time a pair / a circle needs
    min_score: float | None = None    # pairs: a weaker fit is not a candidate
    candidates: int = 60              # pairs: best candidate peers kept per person
    circle_min: int = 4
    circle_max: int = 8
    facilitator: bool = False         # circles: exactly one facilitator per circle
    cluster_size: int = 24            # circles: people per sub-model
    effort: float = 20.0              # CP-SAT deterministic time for the whole solve


@dataclass
class PeerInstance:
    task: str
    people: list[Person]
    weights: Weights = field(default_factory=Weights)
    rules: PeerRules = field(default_factory=PeerRules)
    forbidden: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PeerPair:
    a: str
    b: str
    score: int
    sentence: str


@dataclass
class Circle:
    members: list[str]
    facilitator: str | None
    compatibility: int   # mean pair fit in the circle, 0..100
    value: int           # its share of the objective
    sentence: str


@dataclass
class LeftOut:
    id: str
    reason: str


@dataclass
class PeerResult:
    task: str
    status: str                      # "optimal" or "feasible"
    objective: int
    bound: int
    gap: float
    pairs: list[PeerPair] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- reading and writing


def _words(c: ck.Errors, d: dict, key: str, path: str) -> list[str]:
    """Distinct by their normalized form ("SQL" and "sql " are one topic), first spelling kept."""
    seen: dict[str, str] = {}
    for x in ck.str_list(c, d, key, path, default=[], per_item=False) or []:
        seen.setdefault(norm(x), x.strip())
    return list(seen.values())


def _read_person(c: ck.Errors, d: Any, path: str) -> Person | None:
    if not isinstance(d, dict):
        c.add(path, "must be an object")
        return None
    pid = ck.string(c, d, "id", path)
    tz = ck.number(c, d, "tz", path, -12, 14)
    years = ck.number(c, d, "years", path, 0, 100)
    hours = d.get("hours", [9, 17])
    if not (isinstance(hours, list) and len(hours) == 2 and all(
            ck.is_number(h) and 0 <= h <= 24 for h in hours) and hours[0] != hours[1]):
        c.add(f"{path}.hours", "must be [start, end]: two different local hours in [0, 24]")
        hours = [9, 17]
    p = Person(id=pid if isinstance(pid, str) else "", tz=tz if tz is not None else 0,
               years=years if years is not None else 0, wants=_words(c, d, "wants", path),
               offers=_words(c, d, "offers", path), context=_words(c, d, "context", path),
               languages=_words(c, d, "languages", path),
               hours=(float(hours[0]), float(hours[1])),
               facilitator=ck.boolean(c, d, "facilitator", path, False) is True)
    return p


def read_peer_instance(data: Any) -> PeerInstance:
    """Validate a whole "mentormatch-peers" document; raise InstanceError naming every bad field."""
    c = ck.Errors()
    if not isinstance(data, dict):
        raise InstanceError(["(document): must be a JSON object"])
    if data.get("format") != FORMAT:
        c.add("format", f'must be "{FORMAT}"')
    if data.get("version") != VERSION:
        c.add("version", f"must be {VERSION}")
    task = data.get("task")
    if task not in TASKS:
        c.add("task", 'must be "pairs" or "circles"')
    w = data.get("weights", {})
    weights = Weights()
    if not isinstance(w, dict):
        c.add("weights", "must be an object")
    else:
        for key in ("topics", "context", "stage", "tz"):
            v = ck.number(c, w, key, "weights", 0, 1000, default=getattr(weights, key))
            if v is not None:
                setattr(weights, key, v)
    r = data.get("rules", {})
    rules = PeerRules()
    if not isinstance(r, dict):
        c.add("rules", "must be an object")
        r = {}
    spec = {"min_overlap": (0, 8, False), "candidates": (1, 1000, True),
            "circle_min": (2, 50, True), "circle_max": (2, 50, True),
            "cluster_size": (4, 200, True), "effort": (0.1, 10_000, False)}
    for key, (lo, hi, integer) in spec.items():
        read = ck.integer if integer else ck.number
        v = read(c, r, key, "rules", lo, default=getattr(rules, key), hi=hi)
        if v is not None:
            setattr(rules, key, v)
    rules.min_score = ck.number(c, r, "min_score", "rules", 0, 1000, default=None,
                                allow_none=True)
    rules.facilitator = ck.boolean(c, r, "facilitator", "rules", False) is True
    if rules.circle_min > rules.circle_max:
        c.add("rules.circle_min", f"must not exceed rules.circle_max ({rules.circle_max})")
    if rules.cluster_size < rules.circle_max:
        c.add("rules.cluster_size", f"must be at least rules.circle_max ({rules.circle_max})")

    raw = data.get("people")
    people: list[Person] = []
    if not isinstance(raw, list):
        c.add("people", "must be a list")
    elif len(raw) > MAX_PEOPLE:
        c.add("people", f"must hold at most {MAX_PEOPLE} people")
    else:
        ids: dict[str, int] = {}
        for i, d in enumerate(raw):
            p = _read_person(c, d, f"people[{i}]")
            if p is None:
                continue
            if p.id and p.id in ids:
                c.add(f"people[{i}].id", f"{p.id!r} is also people[{ids[p.id]}]")
            ids.setdefault(p.id, i)
            people.append(p)
    forbidden: list[tuple[str, str]] = []
    fb = data.get("forbidden", [])
    known = {p.id for p in people}
    if not isinstance(fb, list):
        c.add("forbidden", "must be a list")
        fb = []
    for i, d in enumerate(fb):
        if not isinstance(d, dict):
            c.add(f"forbidden[{i}]", 'must be an object {"a": id, "b": id}')
            continue
        a, b = d.get("a"), d.get("b")
        for key, v in (("a", a), ("b", b)):
            if v not in known:
                c.add(f"forbidden[{i}].{key}", f"{v!r} is not a person's id")
        if a == b and a in known:
            c.add(f"forbidden[{i}]", "a person cannot be ruled out with themselves")
        forbidden.append((a, b))
    if c.items:
        raise InstanceError(c.final())
    return PeerInstance(task=task, people=people, weights=weights, rules=rules,
                        forbidden=forbidden)


def load_peer_instance(path: str | Path) -> PeerInstance:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except json.JSONDecodeError as e:
        raise InstanceError([f"(file): not valid JSON: {e}"]) from None
    except UnicodeDecodeError as e:
        raise InstanceError([f"(file): not UTF-8 text: {e}"]) from None
    except RecursionError:
        raise InstanceError([f"(file): JSON nested deeper than {MAX_DEPTH} levels"]) from None
    return read_peer_instance(data)


def peer_instance_to_dict(inst: PeerInstance) -> dict:
    w, r = inst.weights, inst.rules
    return {
        "format": FORMAT, "version": VERSION, "task": inst.task,
        "weights": {"topics": w.topics, "context": w.context, "stage": w.stage, "tz": w.tz},
        "rules": {"min_overlap": r.min_overlap, "min_score": r.min_score,
                  "candidates": r.candidates, "circle_min": r.circle_min,
                  "circle_max": r.circle_max, "facilitator": r.facilitator,
                  "cluster_size": r.cluster_size, "effort": r.effort},
        "people": [{"id": p.id, "tz": p.tz, "years": p.years, "wants": p.wants,
                    "offers": p.offers, "context": p.context, "languages": p.languages,
                    "hours": list(p.hours), "facilitator": p.facilitator}
                   for p in inst.people],
        "forbidden": [{"a": a, "b": b} for a, b in inst.forbidden],
    }


def peer_result_to_dict(res: PeerResult) -> dict:
    out: dict[str, Any] = {"format": RESULT_FORMAT, "version": VERSION, "task": res.task,
                           "status": res.status, "objective": res.objective,
                           "bound": res.bound, "gap": res.gap}
    if res.task == "pairs":
        out["pairs"] = [{"a": p.a, "b": p.b, "score": p.score, "sentence": p.sentence}
                        for p in res.pairs]
    else:
        out["circles"] = [{"members": c.members, "facilitator": c.facilitator,
                           "compatibility": c.compatibility, "value": c.value,
                           "sentence": c.sentence} for c in res.circles]
    out["left_out"] = [{"id": x.id, "reason": x.reason} for x in res.left_out]
    out["stats"] = res.stats
    return out


# ---------------------------------------------------------------- the fit of two peers


def rank_weights(n: int) -> np.ndarray:
    """Ordered topics: the first counts most (n, n-1, ..., 1), normalized to sum 1."""
    w = np.arange(n, 0, -1, dtype=np.float64)
    return w / w.sum() if n else w


def hour_mask(p: Person) -> int:
    """The person's working hours as a bit set of UTC quarter hours."""
    start, end = p.hours
    length = (end - start) % 24
    first = round(((start - p.tz) % 24) * 4)
    mask = 0
    for q in range(round(length * 4)):
        mask |= 1 << ((first + q) % SLOTS)
    return mask


def overlap_hours(mask: int) -> float:
    return mask.bit_count() / 4


@dataclass
class Table:
    """Everything the solvers need about the people, as arrays (n people)."""
    people: list[Person]
    index: dict[str, int]
    want: np.ndarray      # (n, T) rank weights of wanted topics
    offer: np.ndarray     # (n, T) 1 where the person offers the topic
    ctx: np.ndarray       # (n, K) 1 where the person has the context
    lang: np.ndarray      # (n, L) 1 where the person speaks the language
    masks: list[int]
    slots: np.ndarray     # (n, SLOTS) 1 where the person works (UTC quarter hours)
    forbidden: set[tuple[int, int]]


def table(inst: PeerInstance) -> Table:
    people = inst.people
    vocab: dict[str, int] = {}
    cvocab: dict[str, int] = {}
    lvocab: dict[str, int] = {}
    for p in people:
        for t in p.wants + p.offers:
            vocab.setdefault(norm(t), len(vocab))
        for t in p.context:
            cvocab.setdefault(norm(t), len(cvocab))
        for t in p.languages:
            lvocab.setdefault(norm(t), len(lvocab))
    n = len(people)
    want = np.zeros((n, max(len(vocab), 1)), dtype=np.float32)
    offer = np.zeros_like(want)
    ctx = np.zeros((n, max(len(cvocab), 1)), dtype=np.float32)
    lang = np.zeros((n, max(len(lvocab), 1)), dtype=np.float32)
    slots = np.zeros((n, SLOTS), dtype=np.float32)
    masks = []
    for i, p in enumerate(people):
        for t, w in zip(p.wants, rank_weights(len(p.wants))):
            want[i, vocab[norm(t)]] = w
        for t in p.offers:
            offer[i, vocab[norm(t)]] = 1
        for t in p.context:
            ctx[i, cvocab[norm(t)]] = 1
        for t in p.languages:
            lang[i, lvocab[norm(t)]] = 1
        m = hour_mask(p)
        masks.append(m)
        slots[i] = [(m >> q) & 1 for q in range(SLOTS)]
    index = {p.id: i for i, p in enumerate(people)}
    forbidden = set()
    for a, b in inst.forbidden:
        i, j = index[a], index[b]
        forbidden.add((min(i, j), max(i, j)))
    return Table(people, index, want, offer, ctx, lang, masks, slots, forbidden)


def fit_block(T: Table, w: Weights, rows: np.ndarray,
              cols: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fit (0..100, float) of people `rows` with people `cols` (everyone by default), and the
    working-time overlap in hours.  Topics: the mean of how much of each one's wants the other
    offers (give and take); context: shared / all context of the two; stage: 1 at equal years,
    0 at 5 years apart.  A circle's solver asks for its own members only (rows x rows), which
    is what keeps 2,000 people cheap."""
    c = slice(None) if cols is None else cols
    topics = (T.want[rows] @ T.offer[c].T + (T.offer[rows] @ T.want[c].T)) / 2
    inter = T.ctx[rows] @ T.ctx[c].T
    sizes = T.ctx.sum(1)
    union = sizes[rows][:, None] + sizes[c][None, :] - inter
    context = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    years = np.array([p.years for p in T.people], dtype=np.float32)
    stage = np.clip(1 - np.abs(years[rows][:, None] - years[c][None, :]) / 5, 0, 1)
    hours = (T.slots[rows] @ T.slots[c].T) / 4
    tz = np.minimum(hours, 8) / 8
    total = w.topics + w.context + w.stage + w.tz
    fit = (w.topics * topics + w.context * context + w.stage * stage + w.tz * tz) / \
        (total if total else 1) * 100
    return fit, hours


def speaks_with(T: Table, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """True where two people share a language, or either listed none."""
    c = slice(None) if cols is None else cols
    shared = (T.lang[rows] @ T.lang[c].T) > 0
    none = T.lang.sum(1) == 0
    return shared | none[rows][:, None] | none[c][None, :]


def pair_fit(T: Table, w: Weights, i: int, j: int) -> int:
    """The integer fit of one pair, exactly as the solvers use it."""
    fit, _ = fit_block(T, w, np.array([i]))
    return int(round(float(fit[0, j])))


# ---------------------------------------------------------------- words


NUMBERS = ["no", N_("one"), N_("two"), N_("three"), N_("four"), N_("five"), N_("six"), N_("seven"),
           N_("eight"), N_("nine"), N_("ten"), N_("eleven"), N_("twelve")]


def count_word(n: int, w: Words = ENGLISH) -> str:
    return w.gettext(NUMBERS[n]) if n < len(NUMBERS) else str(n)


def utc_offset(tz: float) -> str:
    sign = "+" if tz >= 0 else "-"
    h, m = divmod(round(abs(tz) * 60), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def common_window(mask: int, w: Words = ENGLISH) -> str:
    """The longest run of common UTC quarter hours, e.g. "08:00-10:30 UTC"."""
    if not mask:
        return w.gettext(N_("no common working time"))
    if mask == (1 << SLOTS) - 1:
        return w.gettext(N_("all day"))
    best = (0, 0)
    for start in range(SLOTS):
        if (mask >> start) & 1 and not (mask >> ((start - 1) % SLOTS)) & 1:
            n = 0
            while (mask >> ((start + n) % SLOTS)) & 1 and n < SLOTS:
                n += 1
            best = max(best, (n, -start))
    n, start = best[0], -best[1]

    def clock(q: int) -> str:
        q %= SLOTS
        return f"{q // 4:02d}:{(q % 4) * 15:02d}"
    return f"{clock(start)}-{clock(start + n)} UTC"


def helps_with(giver: Person, taker: Person) -> list[str]:
    have = {norm(t) for t in giver.offers}
    return [t for t in taker.wants if norm(t) in have]


def shared_context(a: Person, b: Person) -> list[str]:
    theirs = {norm(t) for t in b.context}
    return [t for t in a.context if norm(t) in theirs]


def all_pairs(members: list[int]):
    return combinations(members, 2)
