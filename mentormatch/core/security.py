"""Password hashing (Argon2id), the password policy, and safe redirects."""
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import request
from flask_babel import gettext as _

# argon2-cffi's defaults are RFC 9106's "low memory" profile: Argon2id, 64 MiB, t=3.
_hasher = PasswordHasher()

MIN_PASSWORD = 8
MAX_PASSWORD = 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verifying against a real hash for unknown emails keeps login timing the same either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def burn_verify_time(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).parent.parent / "data" / "common_passwords.txt"
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """NIST 800-63B style: length and a blocklist, no composition rules."""
    if len(password) < MIN_PASSWORD:
        return _("Use at least %(num)d characters.", num=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("Use at most %(num)d characters.", num=MAX_PASSWORD)
    lowered = password.lower()
    if lowered in common_passwords():
        return _("This password is one of the most common ones; choose another.")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and lowered == local or name and lowered == name.lower():
        return _("Do not use your name or email as the password.")
    return None


# Browsers drop tabs and line breaks anywhere in a URL ("/\t/evil.example" opens //evil.example) and a
# line break cannot go into a Location header (a 500): a target with any control character is refused.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NEXT = 2048  # longer than any page's path and query here


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths: no scheme, no host, no '//' or backslash tricks, no control
    characters, nothing longer than MAX_NEXT."""
    if (not target or len(target) > MAX_NEXT or not target.startswith("/") or target.startswith("//")
            or "\\" in target or _CONTROL.search(target)):
        return False
    ref, test = urlsplit(request.host_url), urlsplit(urljoin(request.host_url, target))
    return test.scheme in {"http", "https"} and ref.netloc == test.netloc
