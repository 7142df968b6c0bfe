"""Form peer circles or peer pairs from a "mentormatch-peers" file, with no database and no app.

    python -m mentormatch.circles --input people.json --output result.json

The file's "task" says which: "circles" or "pairs" (docs/formats.md).  Exit codes: 0 solved,
2 a bad input file or bad arguments (every problem on stderr, one per line, naming the field).
"""
from __future__ import annotations

import argparse
import json
import sys

from mentormatch.matching.circles import solve_circles
from mentormatch.matching.crowd import load_peer_instance, peer_result_to_dict
from mentormatch.matching.filecli import BAD_INPUT, read_input, write_output
from mentormatch.matching.peers import solve_pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mentormatch.circles",
                                 description="Form peer circles or pairs (format mentormatch-peers v1).")
    ap.add_argument("--input", required=True, help="people JSON file")
    ap.add_argument("--output", required=True, help="result JSON file ('-' for standard output)")
    args = ap.parse_args(argv)
    inst = read_input(load_peer_instance, args.input, "peers file")
    if inst is None:
        return BAD_INPUT
    res = solve_circles(inst) if inst.task == "circles" else solve_pairs(inst)
    text = json.dumps(peer_result_to_dict(res), indent=1)
    if not write_output(text, args.output):
        return BAD_INPUT
    made = f"{len(res.circles)} circles" if res.task == "circles" else f"{len(res.pairs)} pairs"
    print(f"{res.status}: {made}, objective {res.objective}, bound {res.bound}, gap {res.gap:.2%}, "
          f"{len(res.left_out)} left out ({res.stats.get('wall_s', 0):.2f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
