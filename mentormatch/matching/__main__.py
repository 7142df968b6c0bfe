"""Solve an instance file with no database and no app.

    python -m mentormatch.matching --input round.json --output result.json [--time-limit 60]

Exit codes: 0 solved (optimal or feasible), 1 the instance is infeasible, 2 a bad input file
or bad arguments (every problem is printed on stderr, one per line, naming the field).
"""
from __future__ import annotations

import argparse
import json
import sys

from .filecli import BAD_INPUT, read_input, write_output
from .formats import load_instance, result_to_dict
from .solver import solve


def result_text(doc: dict) -> str:
    """One key per line and one pair per line: readable, and every item goes through json's C
    encoder (indent= would switch the whole document to the pure-Python one, ~1 s at 7k pairs)."""
    lines = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n  ".join(json.dumps(x) for x in value)
            lines.append(f"{json.dumps(key)}: [\n  {items}\n ]")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value)}")
    return "{\n " + ",\n ".join(lines) + "\n}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mentormatch.matching",
                                 description="Solve a MentorMatch instance file (format v1).")
    ap.add_argument("--input", required=True, help="instance JSON file")
    ap.add_argument("--output", required=True, help="where to write the result JSON ('-' for "
                    "standard output)")
    ap.add_argument("--time-limit", type=float, default=None,
                    help="seconds for the CP-SAT phase (group balance); deterministic")
    ap.add_argument("--progress", action="store_true", help="print progress lines on stderr")
    args = ap.parse_args(argv)
    if args.time_limit is not None and args.time_limit <= 0:
        ap.error("--time-limit must be a positive number of seconds")

    instance = read_input(load_instance, args.input, "instance")
    if instance is None:
        return BAD_INPUT

    def progress(info: dict) -> None:
        print(json.dumps(info, separators=(",", ":")), file=sys.stderr, flush=True)

    result = solve(instance, time_limit=args.time_limit,
                   progress=progress if args.progress else None)
    text = result_text(result_to_dict(result))
    if not write_output(text, args.output):
        return BAD_INPUT
    o = result.objective
    print(f"{result.status}: {o['pairs']} pairs, score {o['score']}, gap {result.gap:.4%}, "
          f"{len(result.unmatched)} unmatched ({result.solver}, "
          f"{result.stats.get('wall_s', 0):.2f} s)", file=sys.stderr)
    if result.status == "infeasible":
        print(f"error: {result.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
