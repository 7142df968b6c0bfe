"""The bare reference for the flow path: read the instance file, build the arcs, run OR-Tools'
SimpleMinCostFlow, write the pairs.  Nothing else (no validation, no explanations), so
`bench/matching_bench.py --flow-ratio FILE` can measure what our whole process costs on top.

    python bench/flow_reference.py INSTANCE.json OUTPUT.json

One mentor per mentee; the objective is ours (most pairs, then most score): OR-Tools' maximum
flow of minimum cost with each pair arc costing -score (the same formulation our flow uses
since 27 November; before, both used -(BIG + score) and a bypass arc, which is slower).
"""
from __future__ import annotations

import json
import sys

import numpy as np
from ortools.graph.python import min_cost_flow


def main(src: str, dst: str) -> None:
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    e = doc["edges"]
    ei = np.array(e["mentee"], dtype=np.int64)
    mj = np.array(e["mentor"], dtype=np.int64)
    sc = np.array(e["score"], dtype=np.int64)
    cap = np.array([m["capacity"] for m in doc["mentors"]], dtype=np.int64)
    n_e, n_m = len(doc["mentees"]), len(doc["mentors"])
    src_node, sink = n_e + n_m, n_e + n_m + 1
    tails = np.concatenate([np.full(n_e, src_node), ei, n_e + np.arange(n_m)])
    heads = np.concatenate([np.arange(n_e), n_e + mj, np.full(n_m, sink)])
    caps = np.concatenate([np.ones(n_e), np.ones(len(ei)), cap]).astype(np.int64)
    costs = np.concatenate([np.zeros(n_e), -sc, np.zeros(n_m)]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              caps, costs)
    supply = np.zeros(n_e + n_m + 2, dtype=np.int64)
    supply[src_node], supply[sink] = n_e, -n_e
    flow.set_nodes_supplies(np.arange(len(supply), dtype=np.int32), supply)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise SystemExit("min-cost flow failed")
    used = flow.flows(np.arange(n_e, n_e + len(ei), dtype=np.int32)) > 0
    ids_e = [p["id"] for p in doc["mentees"]]
    ids_m = [p["id"] for p in doc["mentors"]]
    pairs = [{"mentee": ids_e[a], "mentor": ids_m[b], "score": s}
             for a, b, s in zip(ei[used].tolist(), mj[used].tolist(), sc[used].tolist())]
    with open(dst, "w", encoding="utf-8") as f:
        json.dump({"pairs": len(pairs), "score": int(sc[used].sum()), "assignment": pairs}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
