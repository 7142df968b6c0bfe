"""Reading a JSON document field by field, shared by the matching format (formats.py) and the
peers format (crowd.py): every bad field is named with its path ("people[3].tz: must be a
number in [-12, 14]"), and reading goes on so one pass reports every problem."""
from __future__ import annotations

import math
from typing import Any

MAX_ERRORS = 200


class Errors:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.dropped = 0

    def add(self, path: str, message: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(f"{path}: {message}")
        else:
            self.dropped += 1

    def final(self) -> list[str]:
        if self.dropped:
            return self.items + [f"...: and {self.dropped} more errors"]
        return self.items


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def bound_text(x: float) -> str:
    return str(x) if isinstance(x, int) else f"{x:g}"


def absent(err: Errors, obj: dict, key: str, path: str, default: Any, allow_none: bool = False) -> bool:
    """True when `key` is missing, or null where null is allowed: the caller returns its default
    then, or None when it has none (`...`), after the field is named here as required."""
    if key in obj and not (allow_none and obj[key] is None):
        return False
    if default is ...:
        err.add(f"{path}.{key}", "is required")
    return True


def number(err: Errors, obj: dict, key: str, path: str, lo: float | None = None,
            hi: float | None = None, default: Any = ..., allow_none: bool = False) -> Any:
    if absent(err, obj, key, path, default, allow_none):
        return None if default is ... else default
    v = obj[key]
    if not is_number(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
        if lo is not None and hi is not None:
            rng = f" in [{bound_text(lo)}, {bound_text(hi)}]"
        else:
            rng = f" >= {bound_text(lo)}" if lo is not None else ""
        err.add(f"{path}.{key}", f"must be a number{rng}" + (" or null" if allow_none else ""))
        return None
    return v


def integer(err: Errors, obj: dict, key: str, path: str, lo: int | None = None,
             default: Any = ..., allow_none: bool = False, hi: int | None = None) -> Any:
    if absent(err, obj, key, path, default, allow_none):
        return None if default is ... else default
    v = obj[key]
    if not is_int(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
        rng = (f" in [{lo}, {hi}]" if hi is not None else f" >= {lo}") if lo is not None else ""
        err.add(f"{path}.{key}", f"must be an integer{rng}" + (" or null" if allow_none else ""))
        return None
    return v


def string(err: Errors, obj: dict, key: str, path: str, default: Any = ...,
            allow_none: bool = False, choices: tuple[str, ...] | None = None) -> Any:
    if absent(err, obj, key, path, default, allow_none):
        return None if default is ... else default
    v = obj[key]
    if not isinstance(v, str) or not v.strip():
        err.add(f"{path}.{key}", "must be a non-empty string" + (" or null" if allow_none else ""))
        return None
    if choices is not None and v not in choices:
        err.add(f"{path}.{key}", "must be one of " + ", ".join(f'"{c}"' for c in choices))
        return None
    return v


def str_list(err: Errors, obj: dict, key: str, path: str, default: Any = ...,
             choices: tuple[str, ...] | None = None, per_item: bool = True) -> Any:
    """A list of distinct non-empty strings (repeats dropped).  `per_item` names each bad
    entry ("topics[1]"); without it the list as a whole is named, as the peers format does."""
    if absent(err, obj, key, path, default):
        return None if default is ... else list(default)
    v = obj[key]
    if not per_item and not (isinstance(v, list) and all(
            isinstance(x, str) and x.strip() for x in v)):
        err.add(f"{path}.{key}", "must be a list of non-empty strings")
        return None
    if not isinstance(v, list):
        err.add(f"{path}.{key}", "must be a list of strings")
        return None
    if choices is None and len(set(v) if all(type(x) is str and x.strip() for x in v) else ()) \
            == len(v):
        return list(v)  # the usual case, checked in C-speed passes: distinct non-empty strings
    out: list[str] = []
    seen: set[str] = set()
    ok = True
    for i, item in enumerate(v):
        if not isinstance(item, str) or not item.strip():
            err.add(f"{path}.{key}[{i}]", "must be a non-empty string")
            ok = False
        elif choices is not None and item not in choices:
            err.add(f"{path}.{key}[{i}]", "must be one of " + ", ".join(f'"{c}"' for c in choices))
            ok = False
        elif item not in seen:  # repeated entries carry no extra meaning; keep the first
            seen.add(item)
            out.append(item)
    return out if ok else None


def boolean(err: Errors, obj: dict, key: str, path: str, default: bool) -> Any:
    if key not in obj:
        return default
    if not isinstance(obj[key], bool):
        err.add(f"{path}.{key}", "must be true or false")
        return None
    return obj[key]
