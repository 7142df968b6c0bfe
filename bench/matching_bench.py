"""Benchmark of the matching core against a bare min-cost flow, a greedy baseline and stable
matching (deferred acceptance), on seeded realistic instances (bench/generate.py).

    python bench/matching_bench.py --scales S,M,L [--balance M,L] [--seed 1]
    python bench/matching_bench.py --targets [--repeats 5]   # issue 16's targets
    python bench/matching_bench.py --xl-target   # XL at the default cut-off, pruned path

Every variant runs in its own subprocess, so its peak memory (VmHWM of that child, which unlike
ru_maxrss does not inherit the parent's size across fork/exec) is its own.  Times are wall-clock seconds inside the child: "load" reads the JSON file, "solve" is the
work after that (for our solve from people: scoring, flow and explanations).  Not part of the
test suite.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SCALES_WITH_FILES = ("S", "M", "L", "XL")
DEFAULT_CUTOFF = 65  # the round's default minimum score (bench/generate.py, S to L)
VARIANTS = ("ours-edges", "ours-people", "bare-flow", "greedy", "stable")


# ---- children -----------------------------------------------------------------------------

def _load_edges(path):
    import numpy as np
    with open(path) as f:
        doc = json.load(f)
    e = doc["edges"]
    caps = np.array([m["capacity"] for m in doc["mentors"]], dtype=np.int64)
    return (doc, np.array(e["mentee"], dtype=np.int64), np.array(e["mentor"], dtype=np.int64),
            np.array(e["score"], dtype=np.int64), caps)


def child_ours(path, time_limit, keep=None):
    sys.path.insert(0, str(ROOT))
    from mentormatch.matching import load_instance, solve
    t0 = time.perf_counter()
    inst = load_instance(path)
    t1 = time.perf_counter()
    res = solve(inst, time_limit=time_limit, keep=keep)
    t2 = time.perf_counter()
    pairs = [(p.mentee, p.mentor) for p in res.assignment]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"load_s": t1 - t0, "solve_s": t2 - t1, "candidates": res.stats.get("candidates"),
            "pairs": res.objective["pairs"], "score": res.objective["score"],
            "status": res.status, "gap": res.gap, "bound": res.bound, "assignment": pairs,
            "cpu_s": ru.ru_utime + ru.ru_stime,
            "stats": {k: v for k, v in res.stats.items() if not isinstance(v, (list, dict))}}


def child_bare(path):
    import numpy as np
    from ortools.graph.python import min_cost_flow
    t0 = time.perf_counter()
    doc, ei, mj, sc, caps = _load_edges(path)
    t1 = time.perf_counter()
    n_e, n_m = len(doc["mentees"]), len(doc["mentors"])
    big = int(min(n_e, caps.sum()) * max(int(sc.max(initial=0)), 1) + 1)
    src, snk = n_e + n_m, n_e + n_m + 1
    f = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(n_e, src), ei, n_e + np.arange(n_m), [src]])
    heads = np.concatenate([np.arange(n_e), n_e + mj, np.full(n_m, snk), [snk]])
    capa = np.concatenate([np.ones(n_e), np.ones(len(ei)), caps, [n_e]]).astype(np.int64)
    cost = np.concatenate([np.zeros(n_e), -(big + sc), np.zeros(n_m), [0]]).astype(np.int64)
    f.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                           capa, cost)
    sup = np.zeros(n_e + n_m + 2, dtype=np.int64)
    sup[src], sup[snk] = n_e, -n_e
    f.set_nodes_supplies(np.arange(len(sup), dtype=np.int32), sup)
    assert f.solve() == f.OPTIMAL
    flows = f.flows(np.arange(n_e, n_e + len(ei), dtype=np.int32))
    t2 = time.perf_counter()
    chosen = flows > 0
    return {"load_s": t1 - t0, "solve_s": t2 - t1, "candidates": int(len(ei)),
            "pairs": int(chosen.sum()), "score": int(sc[chosen].sum()), "status": "optimal",
            **_assignment(doc, ei[chosen], mj[chosen])}


def child_greedy(path):
    import numpy as np
    t0 = time.perf_counter()
    doc, ei, mj, sc, caps = _load_edges(path)
    t1 = time.perf_counter()
    order = np.lexsort((mj, ei, -sc))  # best score first, ties by position
    left = caps.copy()
    taken = np.zeros(len(doc["mentees"]), dtype=bool)
    chosen = []
    for k in order.tolist():
        i, j = int(ei[k]), int(mj[k])
        if not taken[i] and left[j] > 0:
            taken[i] = True
            left[j] -= 1
            chosen.append(k)
    t2 = time.perf_counter()
    chosen = np.array(chosen, dtype=np.int64)
    return {"load_s": t1 - t0, "solve_s": t2 - t1, "candidates": int(len(ei)),
            "pairs": int(len(chosen)), "score": int(sc[chosen].sum()) if len(chosen) else 0,
            "status": "heuristic", **_assignment(doc, ei[chosen], mj[chosen])}


def child_stable(path):
    """Mentee-proposing deferred acceptance; both sides rank by the pair score."""
    import heapq

    import numpy as np
    t0 = time.perf_counter()
    doc, ei, mj, sc, caps = _load_edges(path)
    t1 = time.perf_counter()
    n_e = len(doc["mentees"])
    order = np.lexsort((mj, -sc, ei))
    starts = np.searchsorted(ei[order], np.arange(n_e + 1))
    prefs = [order[starts[i]:starts[i + 1]].tolist() for i in range(n_e)]
    nxt = [0] * n_e
    held: list[list] = [[] for _ in range(len(caps))]  # min-heaps of (score, -mentee, edge)
    free = list(range(n_e - 1, -1, -1))
    while free:
        i = free.pop()
        if nxt[i] >= len(prefs[i]):
            continue
        k = prefs[i][nxt[i]]
        nxt[i] += 1
        j = int(mj[k])
        if caps[j] <= 0:
            free.append(i)
            continue
        heapq.heappush(held[j], (int(sc[k]), -i, k))
        if len(held[j]) > caps[j]:
            _, neg, _ = heapq.heappop(held[j])
            free.append(-neg)
    chosen = np.array(sorted(k for h in held for _, _, k in h), dtype=np.int64)
    t2 = time.perf_counter()
    return {"load_s": t1 - t0, "solve_s": t2 - t1, "candidates": int(len(ei)),
            "pairs": int(len(chosen)), "score": int(sc[chosen].sum()) if len(chosen) else 0,
            "status": "stable", **_assignment(doc, ei[chosen], mj[chosen])}


def _assignment(doc, ei, mj):
    ids_e = [e["id"] for e in doc["mentees"]]
    ids_m = [m["id"] for m in doc["mentors"]]
    return {"assignment": [(ids_e[a], ids_m[b]) for a, b in zip(ei.tolist(), mj.tolist())]}


def peak_mib() -> float:
    """This process's peak resident memory.  VmHWM belongs to the current address space, so
    unlike ru_maxrss it does not carry over the parent's size from fork()."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(argv):
    kind, path = argv[0], argv[1]
    t = float(argv[2]) if len(argv) > 2 and argv[2] != "none" else None
    out = {"ours": lambda: child_ours(path, t), "ours-full": lambda: child_ours(path, t, keep=0),
           "bare": lambda: child_bare(path),
           "greedy": lambda: child_greedy(path), "stable": lambda: child_stable(path)}[kind]()
    out["peak_mb"] = peak_mib()
    sys.stdout.write(json.dumps(out))


# ---- parent -------------------------------------------------------------------------------

def spawn(kind, path, time_limit=None) -> dict:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(path),
                           str(time_limit) if time_limit else "none"],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} on {path} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout)
    out["process_s"] = time.perf_counter() - t
    # The child measures itself; RUSAGE_CHILDREN would report the largest of all children.
    return out


def blocking_pairs(path, assignment) -> int:
    """Candidate pairs (i, j) not matched where both would rather have each other: the
    mentee is unmatched or scores j higher than its mentor, and the mentor has a free seat or
    scores i higher than its weakest mentee."""
    import numpy as np
    doc, ei, mj, sc, caps = _load_edges(path)
    pos_e = {e["id"]: i for i, e in enumerate(doc["mentees"])}
    pos_m = {m["id"]: j for j, m in enumerate(doc["mentors"])}
    n_e, n_m = len(pos_e), len(pos_m)
    key = ei * n_m + mj
    order = np.argsort(key)
    a = np.array([pos_e[x] for x, _ in assignment], dtype=np.int64)
    b = np.array([pos_m[y] for _, y in assignment], dtype=np.int64)
    k = order[np.searchsorted(key[order], a * n_m + b)] if len(a) else np.zeros(0, np.int64)
    s = sc[k]
    mentee_has = np.full(n_e, -np.inf)
    np.maximum.at(mentee_has, a, s)  # one mentor per mentee in these runs
    load = np.bincount(b, minlength=n_m)
    weakest = np.full(n_m, np.inf)
    np.minimum.at(weakest, b, s)
    matched = np.zeros(len(ei), dtype=bool)
    matched[k] = True
    wants_e = sc > mentee_has[ei]
    wants_m = (load[mj] < caps[mj]) | (sc > weakest[mj])
    return int((wants_e & wants_m & ~matched).sum())


def cpu_of(cmd: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), wall


def flow_ratio(path: Path, repeats: int) -> str:
    """Whole-process CPU of `python -m mentormatch.matching` against the bare reference
    (bench/flow_reference.py) on the same file, alternating, `repeats` pairs, medians."""
    import statistics
    ours_cmd = [sys.executable, "-m", "mentormatch.matching", "--input", str(path),
                "--output", str(OUT / "ratio-ours.json")]
    bare_cmd = [sys.executable, str(HERE / "flow_reference.py"), str(path),
                str(OUT / "ratio-bare.json")]
    ours, bare = [], []
    for k in range(repeats):
        # Alternate which goes first, so a change in the machine's load hits both alike.
        for name in (("ours", "bare") if k % 2 == 0 else ("bare", "ours")):
            cpu, _ = cpu_of(ours_cmd if name == "ours" else bare_cmd)
            (ours if name == "ours" else bare).append(cpu)
    mine = json.loads((OUT / "ratio-ours.json").read_text())["objective"]
    ref = json.loads((OUT / "ratio-bare.json").read_text())
    assert (mine["pairs"], mine["score"]) == (ref["pairs"], ref["score"]), (mine, ref)
    o, b = statistics.median(ours), statistics.median(bare)
    return (f"flow path on {path.name}: ours {o:.2f} s CPU, bare min-cost flow {b:.2f} s CPU "
            f"(medians of {repeats} alternating pairs; ours {[round(x, 2) for x in ours]}, "
            f"bare {[round(x, 2) for x in bare]}): ratio {o / b:.2f}x, same optimum "
            f"({mine['pairs']:,} pairs, score {mine['score']:,})")


def targets(a, generate) -> None:
    """One run of each target in issue 16, each printed with its reference."""
    OUT.mkdir(exist_ok=True)

    def instance(scale: str, **kw) -> Path:
        tag = "-balance" if kw.get("balance") else "-edges" if kw.get("edges") else ""
        tag += f"-cut{kw['min_score']}" if kw.get("min_score") is not None else ""
        path = OUT / f"{scale}-seed{a.seed}{tag}.json"
        if not path.exists():
            path.write_text(json.dumps(generate(scale, a.seed, **kw), separators=(",", ":")))
        return path

    if a.xl_target:
        xl_target(instance("XL", min_score=DEFAULT_CUTOFF))
        return
    for scale, limit_s, limit_mib in (("M", 2.0, None), ("L", 60.0, 1024.0)):
        path = instance(scale, balance=True)
        cpu, wall = cpu_of([sys.executable, "-m", "mentormatch.matching", "--input", str(path),
                            "--output", str(OUT / f"target-{scale}.json")])
        # The largest child so far is this one (M, then the bigger L): its peak memory.
        r = {"peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
        res = json.loads((OUT / f"target-{scale}.json").read_text())
        o, b = res["objective"], res["bound"]
        ok = res["status"] == "optimal" and wall <= limit_s and \
            (limit_mib is None or r["peak_mb"] <= limit_mib)
        print(f"group balance {scale} (tags, slack 0.05): {res['status']}, {o['pairs']:,} pairs, "
              f"score {o['score']:,}, bound {b['pairs']:,} / {b['score']:,}, solver "
              f"{res['solver']}; whole process {wall:.2f} s wall, {cpu:.2f} s CPU, peak "
              f"{r['peak_mb']:.0f} MiB | target: proven optimal, <= {limit_s:g} s"
              + (f", <= {limit_mib:.0f} MiB" if limit_mib else "") + f" | {'met' if ok else 'NOT met'}",
              flush=True)
    line = flow_ratio(instance("L", edges=True), a.repeats)
    ratio = float(line.rsplit("ratio ", 1)[1].split("x", 1)[0])
    print(f"{line} | target: <= 1.5x | {'met' if ratio <= 1.5 else 'NOT met'}", flush=True)
    xl_target(instance("XL", min_score=DEFAULT_CUTOFF))


def mem_available_mib() -> float:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def xl_target(path: Path) -> None:
    """XL from people at the default cut-off: our solve (pruned candidates + reduced-cost
    certificate) in its own process; beside it the full-candidate path on the same file when
    the machine has the memory for it (it needs about 8 GiB), else the proven bound."""
    r = spawn("ours", path)
    st = r["stats"]
    wall = r["load_s"] + r["solve_s"]
    ok = r["status"] == "optimal" and wall <= 60.0 and r["peak_mb"] <= 4096
    print(f"XL 50,000 x 12,000 from people, default cut-off ({DEFAULT_CUTOFF}): {r['status']}, "
          f"{r['pairs']:,} pairs, score {r['score']:,}, bound {r['bound']['pairs']:,} / "
          f"{r['bound']['score']:,}; {st['candidates']:,} candidates, "
          f"{st.get('pruned_kept', st['candidates']):,} kept ({st.get('pruned_keep', '-')} per "
          f"mentee + {st.get('pricing_added', 0):,} added by pricing), "
          f"{st.get('pruned_rounds', 1)} flow rounds; load {r['load_s']:.1f} s + solve "
          f"{r['solve_s']:.1f} s = {wall:.1f} s wall (scoring {st['scoring_s']:.1f} s), "
          f"{r['cpu_s']:.1f} s CPU, peak {r['peak_mb']:.0f} MiB, whole process "
          f"{r['process_s']:.1f} s | target: proven optimal, <= 60 s, <= 4 GiB | "
          f"{'met' if ok else 'NOT met'}", flush=True)
    if mem_available_mib() < 12 * 1024:
        print(f"  reference: the proven bound (the full-candidate path needs about 8 GiB, "
              f"{mem_available_mib():.0f} MiB available): {r['bound']['pairs']:,} / "
              f"{r['bound']['score']:,} = the result", flush=True)
        return
    f = spawn("ours-full", path)
    same = (f["pairs"], f["score"]) == (r["pairs"], r["score"])
    print(f"  reference, the full-candidate path (solve(keep=0)) on the same file: {f['status']}, "
          f"{f['pairs']:,} pairs, score {f['score']:,}; load {f['load_s']:.1f} s + solve "
          f"{f['solve_s']:.1f} s, {f['cpu_s']:.1f} s CPU, peak {f['peak_mb']:.0f} MiB | "
          f"{'same optimum' if same else 'DIFFERENT optimum'}", flush=True)


def fmt_row(cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        run_child(argv[1:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="S,M,L")
    ap.add_argument("--balance", default="", help="scales to also solve with group balance")
    ap.add_argument("--balance-time", type=float, default=100.0,
                    help="time limit (s) for the balanced solves")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", default="", help="variants to skip, e.g. stable at XL")
    ap.add_argument("--flow-ratio", default="", help="only measure the whole-process CPU of our "
                    "solve against bench/flow_reference.py on this instance file (or a scale "
                    "name: its generated file with edges)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--xl-target", action="store_true",
                    help="only the XL target of --targets (50,000 x 12,000 at the default cut-off)")
    ap.add_argument("--targets", action="store_true",
                    help="print issue 16's target figures: balanced M and L (proof, process time, "
                    "peak), the L flow-path CPU ratio against the bare reference, and XL at the "
                    "default cut-off (pruned candidates, proven optimal)")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from generate import generate

    if a.targets or a.xl_target:
        targets(a, generate)
        return
    if a.flow_ratio:
        path = Path(a.flow_ratio)
        if a.flow_ratio in SCALES_WITH_FILES:
            OUT.mkdir(exist_ok=True)
            path = OUT / f"{a.flow_ratio}-seed{a.seed}-edges.json"
            if not path.exists():
                path.write_text(json.dumps(generate(a.flow_ratio, a.seed, edges=True),
                                           separators=(",", ":")))
        print(flow_ratio(path, a.repeats), flush=True)
        return

    OUT.mkdir(exist_ok=True)
    header = ["scale", "variant", "candidates", "load s", "solve s", "peak MiB", "pairs",
              "score", "% opt pairs", "% opt score", "blocking", "status"]
    rows = [fmt_row(header), fmt_row(["---"] * len(header))]
    print("\n".join(rows), flush=True)
    for scale in [s for s in a.scales.split(",") if s]:
        people = OUT / f"{scale}-seed{a.seed}.json"
        edges = OUT / f"{scale}-seed{a.seed}-edges.json"
        if not people.exists():
            people.write_text(json.dumps(generate(scale, a.seed), separators=(",", ":")))
        if not edges.exists():
            edges.write_text(json.dumps(generate(scale, a.seed, edges=True),
                                        separators=(",", ":")))
        runs = {}
        plan = [("ours-edges", "ours", edges), ("ours-people", "ours", people),
                ("bare-flow", "bare", edges), ("greedy", "greedy", edges),
                ("stable", "stable", edges)]
        for name, kind, path in plan:
            if name in a.skip.split(","):
                continue
            runs[name] = spawn(kind, path)
        opt = runs["ours-edges"]
        for name, r in runs.items():
            blocking = blocking_pairs(edges, r["assignment"])
            rows.append(fmt_row([
                scale, name, f"{r['candidates']:,}", f"{r['load_s']:.2f}", f"{r['solve_s']:.2f}",
                f"{r['peak_mb']:.0f}", f"{r['pairs']:,}", f"{r['score']:,}",
                f"{100 * r['pairs'] / max(opt['pairs'], 1):.2f}",
                f"{100 * r['score'] / max(opt['score'], 1):.2f}", f"{blocking:,}", r["status"]]))
            print(rows[-1], flush=True)
        ratio = opt["solve_s"] / max(runs["bare-flow"]["solve_s"], 1e-9) if "bare-flow" in runs \
            else float("nan")
        print(f"<!-- {scale}: ours-edges solve / bare-flow solve = {ratio:.2f}x -->", flush=True)
        rows.append(f"<!-- {scale}: ours-edges solve / bare-flow solve = {ratio:.2f}x -->")
    for scale in [s for s in a.balance.split(",") if s]:
        path = OUT / f"{scale}-seed{a.seed}-balance.json"
        if not path.exists():
            path.write_text(json.dumps(generate(scale, a.seed, balance=True),
                                       separators=(",", ":")))
        r = spawn("ours", path, a.balance_time)
        b = r["bound"]
        line = (f"balance {scale} (tags, slack 0.05, time limit {a.balance_time:g} s): "
                f"{r['status']}, {r['pairs']:,} pairs, score {r['score']:,}, bound "
                f"{b['pairs']:,} pairs / {b['score']:,}, gap {100 * r['gap']:.3f}%, "
                f"solve {r['solve_s']:.1f} s, process {r['process_s']:.1f} s, "
                f"peak {r['peak_mb']:.0f} MiB")
        rows.append("")
        rows.append(line)
        print(line, flush=True)


if __name__ == "__main__":
    main()
