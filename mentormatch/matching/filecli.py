"""What both command lines (`python -m mentormatch.matching`, `python -m mentormatch.circles`)
do around a solve: read the input file naming every problem, and write the result, with the
same messages and exit codes (2 for a bad file or an unwritable output)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from .formats import InstanceError

BAD_INPUT = 2
T = TypeVar("T")


def read_input(load: Callable[[str], T], path: str, what: str) -> T | None:
    """The loaded file, or None once every problem is printed on stderr, one per line."""
    try:
        return load(path)
    except OSError as e:
        print(f"error: cannot read {path}: {e.strerror}", file=sys.stderr)
    except InstanceError as e:
        print(f"error: {path} is not a valid {what} ({len(e.errors)} problems):", file=sys.stderr)
        for line in e.errors:
            print(f"  {line}", file=sys.stderr)
    return None


def write_output(text: str, path: str) -> bool:
    """Write `text` to `path` ("-" is standard output); False once the reason is printed."""
    if path == "-":
        sys.stdout.write(text + "\n")
        return True
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    except OSError as e:
        print(f"error: cannot write {path}: {e.strerror}", file=sys.stderr)
        return False
    return True
