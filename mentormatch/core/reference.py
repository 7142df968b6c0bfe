"""Reference data every part shares: the one language list and the one time-zone cache (zone names
and UTC offsets).

Pickers, the people services' checks, the CSV import and the matching explanations all read
these, so a language or zone accepted in one place is named the same way everywhere.
"""
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# ISO 639-1 codes offered in the pickers: the languages of the real profiles plus other widely spoken ones.
LANGUAGES = (
    ("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German"), ("pt", "Portuguese"),
    ("it", "Italian"), ("nl", "Dutch"), ("pl", "Polish"), ("ro", "Romanian"), ("ru", "Russian"),
    ("uk", "Ukrainian"), ("tr", "Turkish"), ("el", "Greek"), ("he", "Hebrew"), ("ar", "Arabic"),
    ("fa", "Persian"), ("hi", "Hindi"), ("bn", "Bengali"), ("pa", "Punjabi"), ("ur", "Urdu"),
    ("ta", "Tamil"), ("te", "Telugu"), ("kn", "Kannada"), ("ml", "Malayalam"), ("zh", "Chinese"),
    ("ja", "Japanese"), ("ko", "Korean"), ("vi", "Vietnamese"), ("tl", "Filipino / Tagalog"),
    ("id", "Indonesian"), ("sw", "Swahili"), ("yo", "Yoruba"), ("ig", "Igbo"), ("ha", "Hausa"),
)
LANGUAGE_NAMES = dict(LANGUAGES)
LANGUAGE_CODES = frozenset(LANGUAGE_NAMES)


def language_name(code: str) -> str:
    """The English name of a language code; an unknown code is shown as it is."""
    return LANGUAGE_NAMES.get(code, code)


@lru_cache(maxsize=1)
def timezones() -> tuple[str, ...]:
    """Known IANA zones for the pickers, without the legacy aliases nobody would pick (they stay accepted)."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))) + ["UTC"])


@lru_cache(maxsize=1)
def all_zones() -> frozenset[str]:
    """Every zone name this machine knows, aliases included: what a saved value may be."""
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    return name in all_zones()


def utc_offset(zone: str | None, at: datetime) -> float:
    """The zone's UTC offset in hours at `at` (naive UTC, e.g. clock.now()), within the matching
    core's [-12, 14]; an unknown zone counts as UTC."""
    # Offsets change only at daylight-saving switches, which fall on the hour: memoise per hour.
    return _offset_in_hour(zone or "UTC", at.replace(minute=0, second=0, microsecond=0))


@lru_cache(maxsize=4096)
def _offset_in_hour(zone: str, hour: datetime) -> float:
    try:
        delta = hour.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0.0
    return max(-12.0, min(14.0, delta.total_seconds() / 3600)) if delta is not None else 0.0
