"""Match rounds, split by what a coordinator does (docs/architecture.md). Callers import the module
they need; nothing is re-exported here. Dependency order, each module importing only those before it:

    events      a round's audit trail (RoundEvent rows)
    settings    round create/edit: name, pool, weights, rules, locks and forbidden pairs
    fairness    carried-over mentees, priorities, continuity wishes (mentor approval: services/mentor_approval.py)
    instance    database -> the matching core's Instance (who is in the pool, in the core's terms)
    objectives  coverage or quality: both previewed side by side, the choice saved
    results     storing a solver's result: pairs, unmatched with help, charts, stability
    runs        solve runs: start, cancel, stale checks, and the job that executes one
    review      the proposal's pairs: pages, lock/forbid, swaps, comparing two runs
    publish     approve (proposals and notices), close, repair after declines
    export      the pairs as CSV
"""
