"""Peer circles at scale: 2,000 people into circles of 4-8, the clustered CP-SAT beside the
greedy circles on the same instance (the reference measured in the same run), with the
certified global bound and the gap.  `--effort` is CP-SAT's deterministic time for the whole
solve (split over the clusters): the answer never depends on the machine's load, only the
wall time does, so the CPU seconds are printed too.

    .venv/bin/python bench/circles_bench.py [--people 2000] [--effort 5] [--facilitator]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers_generate import peer_instance  # noqa: E402

from mentormatch.matching.circles import check_circles, solve_circles  # noqa: E402
from mentormatch.matching.crowd import read_peer_instance  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--effort", type=float, default=5.0)
    ap.add_argument("--facilitator", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    inst = read_peer_instance(peer_instance("circles", a.people, a.seed,
                                            facilitator=a.facilitator, effort=a.effort))
    cpu = time.process_time()
    res = solve_circles(inst)
    cpu = time.process_time() - cpu
    st = res.stats
    assert check_circles(inst, res) == [], "infeasible result"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; the solve used "
          f"{cpu:.1f} CPU s (wall time below grows with the load)")
    print(f"instance: {a.people} people, circles of {inst.rules.circle_min}-"
          f"{inst.rules.circle_max}, {inst.rules.min_overlap:g} h common working time, "
          f"facilitator {'per circle' if a.facilitator else 'not asked'}; "
          f"{st['working_time_groups']} working-time groups, {st['clusters']} clusters")
    print(f"greedy:  objective {st['greedy_objective']}, placed {st['greedy_placed']} "
          f"({st['greedy_placed'] / a.people:.1%}), worst circle compatibility "
          f"{st['greedy_worst_compatibility']}")
    print(f"CP-SAT:  objective {res.objective}, placed {st['placed']} "
          f"({st['placed'] / a.people:.1%}), worst circle compatibility "
          f"{st['worst_compatibility']}, {len(res.circles)} circles")
    print(f"bound {res.bound} (placeable at most {st['placeable_bound']}), gap {res.gap:.2%}; "
          f"within the clusters: bound {st['cluster_bound']}; cluster statuses "
          f"{st['cluster_statuses']}; {st['wall_s']:.1f} s")


if __name__ == "__main__":
    main()
