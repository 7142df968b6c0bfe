"""Reference data every part shares: the one language list and the one time-zone cache.

Pickers, the people services' checks, the CSV import and the matching explanations all read
these, so a language or zone accepted in one place is named the same way everywhere.
"""
from functools import lru_cache
from zoneinfo import available_timezones

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
