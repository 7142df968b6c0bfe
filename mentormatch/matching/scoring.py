"""Eligibility and score, vectorized with numpy.

Every person is encoded once into flat arrays (languages as bit masks, topics and tags as
positions into small indicator matrices), and the same element-wise function scores either a
block of mentees against all mentors (building the candidate set) or a list of given pairs
(explaining a result).  Because both paths run the very same float32 operations, the score the
site shows for a single pair is exactly the score the optimizer used.

Score components, each in [0, 1] (see docs/matching.md for the reasoning behind each curve):

- topics:  share of the mentee's topics the mentor covers; the i-th of k topics weighs k - i,
           so the first-listed topic counts most.
- context: mean over the attributes in ``context_matters`` of "shares it" (industry: equal;
           tags: share of the mentee's tags the mentor also has).  A mentee to whom no context
           matters is indifferent, hence 1.
- stage:   1 inside the ideal gap for the preference (peer |gap| <= 2, ahead 2..6, senior >= 7
           years), falling off linearly outside.
- tz:      hours of overlap of 9:00-17:00 working days, divided by 8.
- mentor_pref: how well the mentee fits the mentor's own stated preferences (topics, stages).
- criteria: the program's own questions (format version 2): the weighted share of the
           criteria the pair meets ("same": equal answers, "different": both answered and the
           answers differ; a "must_match" scores like "same").  Its weight is the sum of the
           criteria weights, so a criterion of weight 10 adds up to 10 points.
A "must_match" criterion is also an eligibility rule: a mentee who answered it is paired only
with mentors who gave the same answer.
"""
from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace

import numpy as np

from .model import Instance

COMPONENTS = ("topics", "context", "stage", "tz", "mentor_pref", "criteria")
# Eligibility failures, in the order they are checked: a mentor who fails several rules for a
# mentee is counted once, under the first.
INELIGIBLE = ("mentor_unavailable", "forbidden", "no_shared_language", "below_min_overlap",
              "below_min_score", "criterion_mismatch")
NOT_CANDIDATE = "not_a_candidate"  # edges given and this pair is not among them
WORK_HOURS = 8.0
# Ideal career gap (mentor years - mentee years) per preference, and how many years outside it
# the stage component takes to fall to 0 (below, above).
STAGE_CURVES = {
    "peer": (-2.0, 2.0, 5.0, 5.0),
    "ahead": (2.0, 6.0, 4.0, 8.0),
    "senior": (7.0, math.inf, 5.0, 1.0),
}
BLOCK_CELLS = 1 << 18  # mentee x mentor cells per block: temporaries stay in the CPU cache


def norm(s: str | None) -> str | None:
    return None if s is None else s.strip().casefold()


def _vocab(*lists_of_lists) -> dict[str, int]:
    words = sorted({norm(w) for lists in lists_of_lists for lst in lists for w in lst})
    return {w: i for i, w in enumerate(words)}


def _slots(lists: list[list[str]], vocab: dict[str, int], pad: int) -> np.ndarray:
    width = max([len(x) for x in lists] + [1])
    out = np.full((len(lists), width), pad, dtype=np.int32)
    for i, lst in enumerate(lists):
        for s, w in enumerate(lst):
            out[i, s] = vocab.get(norm(w), pad)
    return out


def _indicator(lists: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    """(len(vocab) + 1, n) bool; the last row is the padding row and always False."""
    out = np.zeros((len(vocab) + 1, len(lists)), dtype=bool)
    for j, lst in enumerate(lists):
        for w in lst:
            if norm(w) in vocab:
                out[vocab[norm(w)], j] = True
    return out


def _lang_masks(lists: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    words = max(1, (len(vocab) + 63) // 64)
    out = np.zeros((len(lists), words), dtype=np.uint64)
    for i, lst in enumerate(lists):
        for w in lst:
            k = vocab.get(norm(w))
            if k is not None:
                out[i, k // 64] |= np.uint64(1 << (k % 64))
    return out


@dataclass
class Prepared:
    """The instance encoded as arrays, built once per solve."""

    n_e: int
    n_m: int
    weights: np.ndarray  # float32, in COMPONENTS order
    min_score: float | None
    min_overlap: float | None
    e_tz: np.ndarray
    e_years: np.ndarray
    e_lang: np.ndarray
    e_topic: np.ndarray  # (n_e, S) topic positions, padded with T
    e_topic_w: np.ndarray  # (n_e, S) float32 position weights summing to 1 (0 when no topics)
    e_ind: np.ndarray  # industry code, -1 when none
    e_tag: np.ndarray  # (n_e, St) tag positions padded with G
    e_tag_w: np.ndarray  # 1 / number of tags (0 when none)
    e_care_ind: np.ndarray  # float32: 1 / number of context keys if industry matters
    e_care_tags: np.ndarray
    e_care_none: np.ndarray  # 1.0 where no context matters
    e_stage: np.ndarray  # (n_e, 4): lo, hi, width below, width above
    m_tz: np.ndarray
    m_years: np.ndarray
    m_lang: np.ndarray
    m_topic: np.ndarray  # (T + 1, n_m) bool
    m_ind: np.ndarray
    m_tag: np.ndarray  # (G + 1, n_m) bool
    m_cap: np.ndarray
    m_pref_topic: np.ndarray  # (T + 1, n_m) bool: the mentor would like mentees wanting this
    m_pref_stage: np.ndarray  # (n_m,) bit mask over peer/ahead/senior
    m_pref_parts: np.ndarray  # float32: number of stated preference kinds (0, 1, 2)
    # Criteria: answers as codes per criterion (mentee -1 / mentor -2 when not answered, so a
    # missing answer never equals anything); the scored ones and the must-match ones.
    e_crit: np.ndarray  # (n_e, C) int32
    m_crit: np.ndarray  # (n_m, C) int32
    e_must: np.ndarray  # (n_e, H) int32
    m_must: np.ndarray  # (n_m, H) int32
    crit_w: np.ndarray  # (C,) float32 weights summing to 1
    crit_same: np.ndarray  # (C,) bool: True "same answer", False "different answer"
    topic_names: list[str] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    ind_names: list[str] = field(default_factory=list)


def prepare(inst: Instance) -> Prepared:
    if inst.edges is not None:
        return _counts_only(inst)
    es, ms = inst.mentees, inst.mentors
    w = inst.weights
    topics = _vocab([m.topics for m in ms], [m.prefers_topics for m in ms])
    tags = _vocab([m.tags for m in ms])
    langs = _vocab([m.languages for m in ms])
    inds = _vocab([[m.industry] for m in ms if m.industry is not None])
    T, G = len(topics), len(tags)

    e_topic = _slots([e.topics for e in es], topics, T)
    e_topic_w = np.zeros(e_topic.shape, dtype=np.float32)
    for i, e in enumerate(es):
        k = len(e.topics)
        if k:
            e_topic_w[i, :k] = np.arange(k, 0, -1, dtype=np.float64) / (k * (k + 1) / 2)
    e_tag = _slots([e.tags for e in es], tags, G)
    e_tag_w = np.array([1.0 / len(e.tags) if e.tags else 0.0 for e in es], dtype=np.float32)
    ncare = np.array([len(e.context_matters) for e in es], dtype=np.float32)
    inv = np.where(ncare > 0, 1.0 / np.maximum(ncare, 1), 0).astype(np.float32)
    care_ind = np.array(["industry" in e.context_matters for e in es], dtype=np.float32) * inv
    care_tags = np.array(["tags" in e.context_matters for e in es], dtype=np.float32) * inv
    e_stage = np.array([STAGE_CURVES[e.preference] for e in es],
                       dtype=np.float32).reshape(len(es), 4)
    stage_bit = {"peer": 1, "ahead": 2, "senior": 4}
    m_pref_stage = np.array([sum(stage_bit[s] for s in m.prefers_stages) for m in ms],
                            dtype=np.int8)
    m_pref_parts = np.array([bool(m.prefers_topics) + bool(m.prefers_stages) for m in ms],
                            dtype=np.float32)
    scored = [c for c in inst.criteria if c.weight > 0]
    must = [c for c in inst.criteria if c.kind == "must_match"]
    crit_total = float(sum(c.weight for c in scored))
    e_crit, m_crit = _answer_codes(es, ms, scored)
    e_must, m_must = _answer_codes(es, ms, must)
    return Prepared(
        n_e=len(es), n_m=len(ms),
        weights=np.array([w.topics, w.context, w.stage, w.tz, w.mentor_pref, crit_total],
                         dtype=np.float32),
        e_crit=e_crit, m_crit=m_crit, e_must=e_must, m_must=m_must,
        crit_w=np.array([c.weight / crit_total for c in scored], dtype=np.float32),
        crit_same=np.array([c.kind != "different" for c in scored], dtype=bool),
        min_score=inst.rules.min_score, min_overlap=inst.rules.min_tz_overlap,
        e_tz=np.array([e.tz for e in es], dtype=np.float32),
        e_years=np.array([e.years for e in es], dtype=np.float32),
        e_lang=_lang_masks([e.languages for e in es], langs),
        e_topic=e_topic, e_topic_w=e_topic_w,
        e_ind=np.array([inds.get(norm(e.industry), -1) if e.industry else -1 for e in es],
                       dtype=np.int32),
        e_tag=e_tag, e_tag_w=e_tag_w, e_care_ind=care_ind, e_care_tags=care_tags,
        e_care_none=(ncare == 0).astype(np.float32), e_stage=e_stage,
        m_tz=np.array([m.tz for m in ms], dtype=np.float32),
        m_years=np.array([m.years for m in ms], dtype=np.float32),
        m_lang=_lang_masks([m.languages for m in ms], langs),
        m_topic=_indicator([m.topics for m in ms], topics),
        m_ind=np.array([inds[norm(m.industry)] if m.industry else -2 for m in ms],
                       dtype=np.int32),
        m_tag=_indicator([m.tags for m in ms], tags),
        m_cap=np.array([m.capacity for m in ms], dtype=np.int64),
        m_pref_topic=_indicator([m.prefers_topics for m in ms], topics),
        m_pref_stage=m_pref_stage, m_pref_parts=m_pref_parts,
        topic_names=sorted(topics, key=topics.get), tag_names=sorted(tags, key=tags.get),
        ind_names=sorted(inds, key=inds.get),
    )


def _answer_codes(es, ms, criteria) -> tuple[np.ndarray, np.ndarray]:
    e = np.full((len(es), len(criteria)), -1, dtype=np.int32)
    m = np.full((len(ms), len(criteria)), -2, dtype=np.int32)
    for s, c in enumerate(criteria):
        vocab: dict[str, int] = {}
        for out, people in ((e, es), (m, ms)):
            for i, p in enumerate(people):
                a = p.answers.get(c.key)
                if a is not None:
                    out[i, s] = vocab.setdefault(norm(a), len(vocab))
    return e, m


def _counts_only(inst: Instance) -> Prepared:
    """Given edges carry their scores: only the head counts and the seats are needed."""
    n_e, n_m = len(inst.mentees), len(inst.mentors)
    f32 = np.zeros(0, dtype=np.float32)
    i32 = np.zeros(0, dtype=np.int32)
    return Prepared(
        n_e=n_e, n_m=n_m, weights=np.zeros(len(COMPONENTS), dtype=np.float32),
        min_score=inst.rules.min_score, min_overlap=inst.rules.min_tz_overlap,
        e_tz=f32, e_years=f32, e_lang=np.zeros((0, 1), dtype=np.uint64),
        e_topic=np.zeros((0, 1), dtype=np.int32), e_topic_w=np.zeros((0, 1), dtype=np.float32),
        e_ind=i32, e_tag=np.zeros((0, 1), dtype=np.int32), e_tag_w=f32, e_care_ind=f32,
        e_care_tags=f32, e_care_none=f32, e_stage=np.zeros((0, 4), dtype=np.float32),
        m_tz=f32, m_years=f32, m_lang=np.zeros((0, 1), dtype=np.uint64),
        m_topic=np.zeros((1, 0), dtype=bool), m_ind=i32, m_tag=np.zeros((1, 0), dtype=bool),
        m_cap=np.fromiter((m.capacity for m in inst.mentors), dtype=np.int64, count=n_m),
        m_pref_topic=np.zeros((1, 0), dtype=bool), m_pref_stage=np.zeros(0, dtype=np.int8),
        m_pref_parts=f32, e_crit=np.zeros((0, 0), dtype=np.int32),
        m_crit=np.zeros((0, 0), dtype=np.int32), e_must=np.zeros((0, 0), dtype=np.int32),
        m_must=np.zeros((0, 0), dtype=np.int32), crit_w=f32, crit_same=np.zeros(0, dtype=bool))


class _Pairs:
    """Index helpers for given pairs (ei[k], mj[k]); shapes broadcast like numpy indices."""

    def __init__(self, ei, mj):
        self.ei, self.mj = ei, mj

    def e(self, arr: np.ndarray) -> np.ndarray:
        return arr[self.ei]

    def m(self, arr: np.ndarray) -> np.ndarray:
        return arr[self.mj]

    def rows(self, matrix: np.ndarray, e_idx: np.ndarray) -> np.ndarray:
        """matrix[e_idx[mentee], mentor] for each pair (matrix is (X, n_m))."""
        return matrix[e_idx[self.ei], self.mj]


class _Block:
    """Index helpers for mentees lo..hi against every mentor, using slices and row gathers
    (much faster than broadcast fancy indexing, same float32 operations)."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi

    def e(self, arr: np.ndarray) -> np.ndarray:
        return arr[self.lo:self.hi, None] if arr.ndim == 1 else arr[self.lo:self.hi, None, :]

    def m(self, arr: np.ndarray) -> np.ndarray:
        return arr[None, :] if arr.ndim == 1 else arr[None, :, :]

    def rows(self, matrix: np.ndarray, e_idx: np.ndarray) -> np.ndarray:
        return matrix[e_idx[self.lo:self.hi]]


def _view(ei, mj):
    return ei if isinstance(ei, (_Pairs, _Block)) else _Pairs(ei, mj)


def overlap_hours(P: Prepared, ei, mj=None) -> np.ndarray:
    V = _view(ei, mj)
    d = np.abs(V.e(P.e_tz) - V.m(P.m_tz))
    # Offsets span 26 hours (UTC-12..UTC+14), so the distance on the 24-hour clock is the
    # smaller of d and |24 - d|.
    d = np.minimum(d, np.abs(np.float32(24) - d))
    return np.clip(np.float32(WORK_HOURS) - d, 0, WORK_HOURS)


def shared_language(P: Prepared, ei, mj=None) -> np.ndarray:
    V = _view(ei, mj)
    el, ml = V.e(P.e_lang), V.m(P.m_lang)
    ok = (el[..., 0] & ml[..., 0]) != 0
    for w in range(1, P.e_lang.shape[1]):
        ok |= (el[..., w] & ml[..., w]) != 0
    return ok


def components(P: Prepared, ei, mj=None, overlap: np.ndarray | None = None
               ) -> dict[str, np.ndarray]:
    """Each score component for the pairs (ei, mj), or for a _Block of mentees."""
    V = _view(ei, mj)
    topics = None
    for s in range(P.e_topic.shape[1]):
        part = V.rows(P.m_topic, P.e_topic[:, s]) * V.e(P.e_topic_w[:, s])
        topics = part if topics is None else topics + part

    tagshare = None
    for s in range(P.e_tag.shape[1]):
        part = V.rows(P.m_tag, P.e_tag[:, s])
        tagshare = part.astype(np.float32) if tagshare is None else tagshare + part
    tagshare = tagshare * V.e(P.e_tag_w)
    same_ind = (V.e(P.e_ind) == V.m(P.m_ind)).astype(np.float32)
    context = same_ind * V.e(P.e_care_ind) + tagshare * V.e(P.e_care_tags) + V.e(P.e_care_none)

    gap = V.m(P.m_years) - V.e(P.e_years)
    st = V.e(P.e_stage)
    lo, hi, wb, wa = st[..., 0], st[..., 1], st[..., 2], st[..., 3]
    below = np.maximum(lo - gap, 0) / wb
    above = np.maximum(gap - hi, 0) / wa
    stage = np.clip(np.float32(1) - below - above, 0, 1)

    if overlap is None:
        overlap = overlap_hours(P, V)
    tz = overlap / np.float32(WORK_HOURS)

    out = {"topics": topics.astype(np.float32, copy=False),
           "context": context.astype(np.float32, copy=False),
           "stage": stage.astype(np.float32, copy=False), "tz": tz.astype(np.float32, copy=False)}
    if P.weights[4] != 0:
        out["mentor_pref"] = mentor_pref(P, V, gap)
    if P.weights[5] != 0:
        out["criteria"] = criteria_share(P, V)
    return out


def criteria_share(P: Prepared, V) -> np.ndarray:
    total = None
    for s in range(P.e_crit.shape[1]):
        e, m = V.e(P.e_crit[:, s]), V.m(P.m_crit[:, s])
        hit = (e == m) if P.crit_same[s] else ((e != m) & (e >= 0) & (m >= 0))
        part = hit.astype(np.float32) * P.crit_w[s]
        total = part if total is None else total + part
    return total


def must_match_ok(P: Prepared, ei, mj=None) -> np.ndarray:
    """True where every must-match criterion the mentee answered has the mentor's same answer."""
    V = _view(ei, mj)
    ok = None
    for s in range(P.e_must.shape[1]):
        e = V.e(P.e_must[:, s])
        part = (e < 0) | (e == V.m(P.m_must[:, s]))
        ok = part if ok is None else ok & part
    return ok


def relation_bits(gap: np.ndarray) -> np.ndarray:
    """How the mentor stands to the mentee: 1 peer, 2 a few years ahead, 4 senior, 0 behind."""
    return np.where(np.abs(gap) <= 2, 1, np.where(gap < -2, 0, np.where(gap < 7, 2, 4)))


def mentor_pref(P: Prepared, V, gap) -> np.ndarray:
    wants_topic = None
    for s in range(P.e_topic.shape[1]):
        part = V.rows(P.m_pref_topic, P.e_topic[:, s])
        wants_topic = part if wants_topic is None else wants_topic | part
    has_topics = V.m(P.m_pref_topic[:-1].any(axis=0))
    stage_ok = (relation_bits(gap) & V.m(P.m_pref_stage)) != 0
    has_stages = V.m(P.m_pref_stage) != 0
    parts = V.m(P.m_pref_parts)
    got = wants_topic.astype(np.float32) * has_topics + stage_ok.astype(np.float32) * has_stages
    # A mentor who stated no preference is content with anyone.
    return np.where(parts > 0, got / np.maximum(parts, 1), np.float32(1)).astype(np.float32)


def weighted_total(P: Prepared, comps: dict[str, np.ndarray]) -> np.ndarray:
    """The weighted sum plus one half, in float32; the integer score is its floor."""
    total = None
    for k, name in enumerate(COMPONENTS):
        if name in comps and P.weights[k] != 0:
            part = comps[name] * P.weights[k]
            total = part if total is None else total + part
    if total is None:
        total = np.zeros(np.broadcast(*comps.values()).shape, dtype=np.float32)
    return total + np.float32(0.5)


def base_score(P: Prepared, comps: dict[str, np.ndarray]) -> np.ndarray:
    return np.floor(weighted_total(P, comps)).astype(np.int64)


@dataclass
class Candidates:
    """Candidate pairs sorted by (mentee, mentor), with their integer scores."""

    ei: np.ndarray  # int64
    mj: np.ndarray  # int64
    score: np.ndarray  # int64, bonuses included
    reasons: np.ndarray  # (n_e, len(INELIGIBLE) + 1) counts of mentors removed, per rule
    scored: bool  # True when the core computed the scores (False: from edges)

    @property
    def n(self) -> int:
        return len(self.ei)


def _dense(P: Prepared, lo: int, hi: int, forbid: dict[int, np.ndarray]):
    """Mentees lo..hi against every mentor: (alive, weighted total + 0.5, reason counts)."""
    V = _Block(lo, hi)
    counts = np.zeros((hi - lo, len(INELIGIBLE) + 1), dtype=np.int32)
    avail = P.m_cap > 0
    n_avail = int(np.count_nonzero(avail))
    counts[:, 0] = P.n_m - n_avail
    alive = shared_language(P, V)
    alive &= avail[None, :]
    for i in range(lo, hi):
        cols = forbid.get(i)
        if cols is not None:
            counts[i - lo, 1] = np.count_nonzero(avail[cols])
            alive[i - lo, cols] = False
    left = np.count_nonzero(alive, axis=1)
    counts[:, 2] = n_avail - counts[:, 1] - left
    overlap = overlap_hours(P, V)
    if P.min_overlap is not None:
        alive &= overlap >= np.float32(P.min_overlap)
        now = np.count_nonzero(alive, axis=1)
        counts[:, 3] = left - now
        left = now
    total = weighted_total(P, components(P, V, overlap=overlap))
    if P.min_score is not None:
        # floor(total) >= min_score  <=>  total >= ceil(min_score)
        alive &= total >= np.float32(math.ceil(P.min_score))
        now = np.count_nonzero(alive, axis=1)
        counts[:, 4] = left - now
        left = now
    if P.e_must.shape[1]:
        alive &= must_match_ok(P, V)
        counts[:, 5] = left - np.count_nonzero(alive, axis=1)
    return alive, total, counts


def _block(P: Prepared, lo: int, hi: int, forbid: dict[int, np.ndarray]):
    alive, total, counts = _dense(P, lo, hi, forbid)
    rows, cols = np.nonzero(alive)
    return rows + lo, cols, np.floor(total[rows, cols]).astype(np.int64), counts


NO_SCORE = np.iinfo(np.int32).min  # "no candidate" in the pruned pass


def _top_block(P: Prepared, lo: int, hi: int, forbid: dict[int, np.ndarray], keep: int):
    """Like _block, but only each mentee's `keep` best candidates (ties: lower mentor
    position first), plus the best score of the candidates left out (NO_SCORE when none) and
    the number of candidates."""
    alive, total, counts = _dense(P, lo, hi, forbid)
    r, c = np.nonzero(alive)
    sc = np.floor(total[r, c]).astype(np.int64)
    n = hi - lo
    per = np.bincount(r, minlength=n).astype(np.int64)
    out = np.full(n, NO_SCORE, dtype=np.int64)
    if not len(r):
        return r + lo, c.astype(np.int64), sc, counts, out, per
    # One sort by (row, score descending, mentor): the rank inside each row decides.
    top = int(sc.max()) + 1
    order = np.argsort((r.astype(np.int64) * (top - int(sc.min()) + 1) + (top - sc))
                       * P.n_m + c, kind="stable")
    r, c, sc = r[order], c[order], sc[order]
    starts = np.concatenate([[0], np.cumsum(per)[:-1]])
    rank = np.arange(len(r)) - starts[r]
    first_out = rank == keep
    out[r[first_out]] = sc[first_out]
    kept = rank < keep
    r, c, sc = r[kept], c[kept], sc[kept]
    order = np.argsort(r.astype(np.int64) * P.n_m + c, kind="stable")
    return r[order] + lo, c[order].astype(np.int64), sc[order], counts, out, per


def _forbid_of(inst: Instance) -> dict[int, np.ndarray]:
    mentee_pos = {e.id: i for i, e in enumerate(inst.mentees)}
    mentor_pos = {m.id: j for j, m in enumerate(inst.mentors)}
    forbid_lists: dict[int, list[int]] = {}
    for e, m in inst.forbidden:
        forbid_lists.setdefault(mentee_pos[e], []).append(mentor_pos[m])
    return {i: np.array(sorted(v)) for i, v in forbid_lists.items()}


def _in_blocks(P: Prepared, fn, threads: int | None):
    """fn(lo, hi) over blocks of mentees, on up to two threads, results in block order."""
    rows = max(1, BLOCK_CELLS // max(P.n_m, 1))
    starts = list(range(0, P.n_e, rows))
    threads = threads or min(2, os.cpu_count() or 1)
    if threads > 1 and len(starts) > 1:
        # numpy releases the GIL inside these loops, so two threads use both cores; results
        # are gathered in block order, so the output does not depend on scheduling.
        with ThreadPoolExecutor(max_workers=threads) as pool:
            return list(pool.map(lambda s: fn(s, min(s + rows, P.n_e)), starts))
    return [fn(s, min(s + rows, P.n_e)) for s in starts]


@dataclass
class TopCandidates:
    """The pruned candidate set: each mentee's best `keep` candidates (Candidates, reasons
    counted over every mentor exactly as the full pass does), and for the rest only per mentee
    their number and an upper bound of their scores (the best of them)."""

    cand: Candidates
    best_out: np.ndarray  # int64 per mentee: best base score not kept, NO_SCORE when none
    per_mentee: np.ndarray  # int64 per mentee: number of candidates (kept or not)
    forbid: dict[int, np.ndarray]
    keep: int

    @property
    def total(self) -> int:
        return int(self.per_mentee.sum())


def score_top(inst: Instance, P: Prepared, keep: int, threads: int | None = None
              ) -> TopCandidates:
    """One scoring pass over every mentee x mentor cell in blocks, keeping per mentee only its
    `keep` best candidates: memory O(mentees x keep) instead of O(candidates)."""
    forbid = _forbid_of(inst)
    parts = _in_blocks(P, lambda lo, hi: _top_block(P, lo, hi, forbid, keep), threads)
    if parts:
        ei, mj, sc, counts, out, per = (np.concatenate([p[k] for p in parts]) for k in range(6))
    else:
        ei = mj = sc = out = per = np.zeros(0, dtype=np.int64)
        counts = np.zeros((0, len(INELIGIBLE) + 1), dtype=np.int32)
    cand = Candidates(ei.astype(np.int64), mj.astype(np.int64), sc, counts, scored=True)
    return TopCandidates(cand, out, per, forbid, keep)


def mentee_rows(P: Prepared, rows: np.ndarray) -> Prepared:
    """P restricted to the given mentees (in that order)."""
    return replace(P, n_e=len(rows), **{f.name: getattr(P, f.name)[rows] for f in fields(P)
                                        if f.name.startswith("e_")})


_BY_COLUMN = ("m_topic", "m_tag", "m_pref_topic")  # (words + 1, n_m) indicator matrices


def mentor_cols(P: Prepared, cols: np.ndarray) -> Prepared:
    """P restricted to the given mentors (in that order)."""
    return replace(P, n_m=len(cols), **{
        f.name: getattr(P, f.name)[:, cols] if f.name in _BY_COLUMN else getattr(P, f.name)[cols]
        for f in fields(P) if f.name.startswith("m_")})


def score_cells(P: Prepared, rows: np.ndarray, key_m: np.ndarray, thr: np.ndarray,
                forbid: dict[int, np.ndarray], skip=None, threads: int | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates (mentee, mentor, base score), sorted, among the cells (i, j) of the given
    mentee rows with key_m[j] > thr[k] (thr parallel to rows), scored by the same code as the
    full pass.  Mentors are ordered by key_m, so each row needs a prefix of them; rows are
    grouped by how long that prefix is, and a block scores only its longest prefix.
    `skip(rows, cols) -> bool (len(rows), len(cols))` removes cells (e.g. the pairs kept)."""
    rows = np.asarray(rows, dtype=np.int64)
    z = np.zeros(0, dtype=np.int64)
    if not len(rows) or not P.n_m:
        return z, z, z
    morder = np.argsort(-key_m, kind="stable")
    ks = key_m[morder]
    # Columns each row needs: the mentors whose key exceeds its threshold.
    need = np.searchsorted(-ks, -np.asarray(thr), side="left")
    keep = need > 0
    rows, thr, need = rows[keep], np.asarray(thr)[keep], need[keep]
    order = np.argsort(-need, kind="stable")
    rows, thr, need = rows[order], thr[order], need[order]
    blocks = []
    k = 0
    while k < len(rows):
        width = int(need[k])
        h = max(1, BLOCK_CELLS // width)
        blocks.append((k, min(k + h, len(rows)), width))
        k += h

    def fn(block):
        a, b, width = block
        rws, cols = rows[a:b], morder[:width]
        sub = mentor_cols(mentee_rows(P, rws), cols)
        pos = np.full(P.n_m, -1, dtype=np.int64)
        pos[cols] = np.arange(width)
        sub_forbid = {}
        for k2, i in enumerate(rws.tolist()):
            f = forbid.get(i)
            if f is not None:
                p = pos[f]
                sub_forbid[k2] = p[p >= 0]
        alive, total, _ = _dense(sub, 0, len(rws), sub_forbid)
        alive &= key_m[cols][None, :] > thr[a:b][:, None]
        if skip is not None:
            alive &= ~skip(rws, cols)
        r, c = np.nonzero(alive)
        return rws[r], cols[c].astype(np.int64), np.floor(total[r, c]).astype(np.int64)

    if not blocks:
        return z, z, z
    threads = threads or min(2, os.cpu_count() or 1)
    if threads > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(fn, blocks))
    else:
        parts = [fn(b) for b in blocks]
    ei, mj, sc = (np.concatenate([p[k] for p in parts]) for k in range(3))
    order = np.argsort(ei * P.n_m + mj, kind="stable")
    return ei[order], mj[order], sc[order]


def score_candidates(inst: Instance, P: Prepared, threads: int | None = None) -> Candidates:
    """All eligible pairs and their scores, plus why every other mentor was left out."""
    forbid = _forbid_of(inst)
    if inst.edges is not None:
        return _from_edges(inst, P, forbid)
    parts = _in_blocks(P, lambda lo, hi: _block(P, lo, hi, forbid), threads)
    if parts:
        ei = np.concatenate([p[0] for p in parts]).astype(np.int64)
        mj = np.concatenate([p[1] for p in parts]).astype(np.int64)
        sc = np.concatenate([p[2] for p in parts]).astype(np.int64)
        counts = np.concatenate([p[3] for p in parts])
    else:
        ei = mj = sc = np.zeros(0, dtype=np.int64)
        counts = np.zeros((0, len(INELIGIBLE) + 1), dtype=np.int32)
    return Candidates(ei, mj, sc, counts, scored=True)


def _from_edges(inst: Instance, P: Prepared, forbid: dict[int, np.ndarray]) -> Candidates:
    E = inst.edges
    keep = np.ones(len(E.mentee), dtype=bool)
    counts = np.zeros((P.n_e, len(INELIGIBLE) + 1), dtype=np.int32)
    if forbid:
        fkey = np.concatenate([i * P.n_m + cols for i, cols in forbid.items()])
        keep &= ~np.isin(E.mentee * P.n_m + E.mentor, fkey)
        for i, cols in forbid.items():
            counts[i, 1] = len(cols)
    ei, mj, sc = (E.mentee, E.mentor, E.score) if keep.all() else \
        (E.mentee[keep], E.mentor[keep], E.score[keep])
    key = ei * P.n_m + mj
    if len(key) > 1 and not (key[1:] > key[:-1]).all():  # files usually come sorted already
        order = np.argsort(key, kind="stable")
        ei, mj, sc = ei[order], mj[order], sc[order]
    per = np.bincount(ei, minlength=P.n_e)
    counts[:, -1] = P.n_m - per - counts[:, 1]
    return Candidates(ei, mj, sc, counts, scored=False)


def pair_breakdown(P: Prepared, ei: np.ndarray, mj: np.ndarray) -> tuple[np.ndarray, dict]:
    """Base scores and components of given pairs, exactly as the candidate pass computes them."""
    ei = np.asarray(ei, dtype=np.int64)
    mj = np.asarray(mj, dtype=np.int64)
    comps = components(P, ei, mj)
    return base_score(P, comps), comps


def eligibility(P: Prepared, i: int, j: int, forbidden: bool) -> str | None:
    """The first rule that removes mentor j for mentee i, or None if the pair is a candidate."""
    ei, mj = np.array([i]), np.array([j])
    if P.m_cap[j] <= 0:
        return "mentor_unavailable"
    if forbidden:
        return "forbidden"
    if not shared_language(P, ei, mj)[0]:
        return "no_shared_language"
    if P.min_overlap is not None and overlap_hours(P, ei, mj)[0] < np.float32(P.min_overlap):
        return "below_min_overlap"
    if P.min_score is not None and pair_breakdown(P, ei, mj)[0][0] < P.min_score:
        return "below_min_score"
    if P.e_must.shape[1] and not must_match_ok(P, ei, mj)[0]:
        return "criterion_mismatch"
    return None
