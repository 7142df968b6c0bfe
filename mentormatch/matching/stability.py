"""Blocking pairs: how far a result is from a stable matching.

A candidate pair (mentee i, mentor j) that is not in the result blocks it when both would
rather have each other than what they got: the mentee has a free slot or gets a lower score
from its weakest mentor, and the mentor has a free seat or gets a lower score from its weakest
mentee.  (The score of a pair is the same from both sides.)  The optimum trades stability for
more pairs and more total fit; the count shows the coordinator that price.
"""
from __future__ import annotations

import numpy as np

from .model import BlockingPair


def blocking_mask(ei: np.ndarray, mj: np.ndarray, score: np.ndarray, chosen: np.ndarray,
                  k: np.ndarray, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate: blocks?, the mentee's gain and the mentor's gain (vectorized)."""
    n_e, n_m = len(k), len(cap)
    ce, cm, cs = ei[chosen], mj[chosen], score[chosen]
    has = np.bincount(ce, minlength=n_e)
    load = np.bincount(cm, minlength=n_m)
    e_worst = np.full(n_e, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(e_worst, ce, cs)
    m_worst = np.full(n_m, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(m_worst, cm, cs)
    e_free = has[ei] < k[ei]
    m_free = load[mj] < cap[mj]
    # Against nothing when a slot is free (then no pair exists to compare with).
    e_gain = score - np.where(e_free | (has[ei] == 0), 0, e_worst[ei])
    m_gain = score - np.where(m_free | (load[mj] == 0), 0, m_worst[mj])
    blocks = ~chosen & (e_free | (score > e_worst[ei])) & (m_free | (score > m_worst[mj]))
    return blocks, e_gain, m_gain


def blocking_pairs(pb, chosen: np.ndarray, listed: int = 100, extra=None
                   ) -> tuple[int, list[BlockingPair]]:
    """The number of blocking pairs, and the `listed` ones both sides gain most from.

    `extra` = (mentee, mentor, score) arrays: candidate pairs outside pb.cand (never chosen)
    to count as well (the pruned path's left-out pairs that could block)."""
    ei, mj, score = pb.cand.ei, pb.cand.mj, pb.cand.score
    if extra is not None and len(extra[0]):
        ei, mj, score = (np.concatenate([a, b]) for a, b in zip((ei, mj, score), extra))
        chosen = np.concatenate([chosen, np.zeros(len(extra[0]), dtype=bool)])
    blocks, e_gain, m_gain = blocking_mask(ei, mj, score, chosen, pb.flow.k, pb.flow.cap)
    idx = np.flatnonzero(blocks)
    if not len(idx):
        return 0, []
    both = np.minimum(e_gain[idx], m_gain[idx])
    top = idx[np.lexsort((mj[idx], ei[idx], -both))[:listed]]
    es, ms = pb.inst.mentees, pb.inst.mentors
    return int(len(idx)), [BlockingPair(es[i].id, ms[j].id, int(s), int(g), int(h)) for i, j, s, g, h
                           in zip(ei[top].tolist(), mj[top].tolist(), score[top].tolist(),
                                  e_gain[top].tolist(), m_gain[top].tolist())]
