"""Settings come from the environment (and `.env` in development), never from code."""
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _number(name: str, default, kind=int):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return kind(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a number, not {value!r}") from None


def from_env() -> dict:
    env = os.environ.get("MENTORMATCH_ENV", "development")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'mentormatch.sqlite'}"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        # Redis down: limits fall back to this process's memory (and it is logged), not to 500s.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        # Each limit counts per account (the email posted) and, higher, per client address.
        # Logins count failures only; sign-ups and reset requests count every post.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_RATE_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_RATE_LIMIT_PER_ACCOUNT", "50 per hour"),
        "LOGIN_RATE_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_RATE_LIMIT_PER_ADDRESS", "30 per minute"),
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT", "5 per hour"),
        "RESET_RATE_LIMIT_PER_ACCOUNT": os.environ.get("RESET_RATE_LIMIT_PER_ACCOUNT", "20 per hour"),
        "RESET_RATE_LIMIT_PER_ADDRESS": os.environ.get("RESET_RATE_LIMIT_PER_ADDRESS", "30 per hour"),
        "SIGNUP_RATE_LIMIT": os.environ.get("SIGNUP_RATE_LIMIT", "5 per hour"),
        "SIGNUP_RATE_LIMIT_PER_ACCOUNT": os.environ.get("SIGNUP_RATE_LIMIT_PER_ACCOUNT", "20 per hour"),
        "SIGNUP_RATE_LIMIT_PER_ADDRESS": os.environ.get("SIGNUP_RATE_LIMIT_PER_ADDRESS", "20 per hour"),
        # Messages in the threads of a pairing or request, per person (services/threads.py).
        "MESSAGE_RATE_LIMIT": os.environ.get("MESSAGE_RATE_LIMIT", "10 per minute; 200 per day"),
        # Meeting proposals (each one emails the other person), per person (services/meetings.py).
        "MEETING_RATE_LIMIT": os.environ.get("MEETING_RATE_LIMIT", "5 per hour; 20 per day"),
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto. 0: none, the
        # headers are ignored (anyone can forge them) and the client is the TCP peer.
        "PROXY_HOPS": _number("PROXY_HOPS", 0),
        "MAIL_BACKEND": os.environ.get(
            "MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "file"
        ),
        "MAIL_FILE_PATH": os.environ.get("MAIL_FILE_PATH", str(INSTANCE_DIR / "mail")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        # Mail goes through the outbox; MAIL_DELIVERY says who sends it after the commit:
        # "inline", "thread" (default without Redis), "rq" (default with REDIS_URL) or "cron".
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY") or None,
        "MAIL_MAX_ATTEMPTS": _number("MAIL_MAX_ATTEMPTS", 8),
        "MAIL_CLAIM_SECONDS": _number("MAIL_CLAIM_SECONDS", 600),
        # Links in mail are built from PUBLIC_URL, never from the request's Host header.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL") or ("" if env == "production" else "http://127.0.0.1:5000"),
        "TRUSTED_HOSTS_EXTRA": [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()],
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "MentorMatch <noreply@example.org>"),
        # Match rounds: "thread" (in the web process), "rq" (default when REDIS_URL is set), "inline".
        "SOLVE_RUNNER": os.environ.get("SOLVE_RUNNER") or None,
        "SOLVE_TIME_LIMIT": _number("SOLVE_TIME_LIMIT", 60.0, float),
        # A running solve with no heartbeat for this long is marked failed (its worker died or hangs).
        "SOLVE_STALE_SECONDS": _number("SOLVE_STALE_SECONDS", 60.0, float),
        "RQ_QUEUE": os.environ.get("RQ_QUEUE", "mentormatch"),
        # CSV imports of more rows than this run as a background job (same runner as solves).
        "IMPORT_INLINE_ROWS": _number("IMPORT_INLINE_ROWS", 500),
        # The program workbook: prepared by a background job (any size), kept this many hours; a
        # program of at most WORKBOOK_INLINE_PEOPLE members may also download it directly.
        "WORKBOOK_KEEP_HOURS": _number("WORKBOOK_KEEP_HOURS", 24),
        "WORKBOOK_INLINE_PEOPLE": _number("WORKBOOK_INLINE_PEOPLE", 500),
        # Reminders: after REMINDER_DAYS without an answer, at most REMINDER_MAX reminders, then
        # expiry; MENTOR_EXPIRY_LIMIT expiries mark a mentor unavailable.
        "REMINDER_DAYS": _number("REMINDER_DAYS", 3),
        "REMINDER_MAX": _number("REMINDER_MAX", 2),
        "MENTOR_EXPIRY_LIMIT": _number("MENTOR_EXPIRY_LIMIT", 2),
        # The answer a mentee owes after "ask for more info": the same rules, unless set apart.
        "MENTEE_REMINDER_DAYS": _number("MENTEE_REMINDER_DAYS", None),
        "MENTEE_REMINDER_MAX": _number("MENTEE_REMINDER_MAX", None),
        "REMINDER_INTERVAL_MINUTES": _number("REMINDER_INTERVAL_MINUTES", None, float),
        # Retention: this many days after a coordinator ends a program, the scheduled run (`flask
        # remind`) anonymises its personal data; unset: never. `flask retention --dry-run` shows it first.
        "RETENTION_DAYS": _number("RETENTION_DAYS", None),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if env == "production" else "http",
        "SERVER_NAME": os.environ.get("SERVER_NAME"),
        # The largest request body (bytes): a 20,000-row CSV upload fits. Larger gets a 413 page.
        "MAX_CONTENT_LENGTH": _number("MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
        # OpenID Connect sign-in: OIDC_PROVIDERS names the providers ("corp,google"); each name N
        # has OIDC_N_DISCOVERY_URL, OIDC_N_CLIENT_ID, OIDC_N_CLIENT_SECRET and optionally OIDC_N_LABEL.
        "OIDC_PROVIDERS": _oidc_from_env(),
    }


def _oidc_from_env() -> dict:
    names = [n.strip().lower() for n in os.environ.get("OIDC_PROVIDERS", "").split(",") if n.strip()]
    providers = {}
    for name in names:
        prefix = f"OIDC_{name.upper()}_"
        providers[name] = {key: os.environ.get(prefix + key.upper(), "")
                           for key in ("discovery_url", "client_id", "client_secret", "label")}
    return providers


DEV_SECRET = "dev-only-not-secret"
# The languages the site ships, each named in itself (the language menu lists them so). English is the
# source language; the others have a catalog in mentormatch/translations/<code>/LC_MESSAGES/messages.po.
LANGUAGES = {"en": "English", "es": "Español", "pt": "Português"}
DEFAULT_LANGUAGE = "en"  # for whoever has no language of their own (no browser asking, no account's choice)
TRANSLATIONS_DIR = ROOT / "mentormatch" / "translations"
MAIL_DELIVERIES = ("inline", "thread", "rq", "cron")


def _public_url(config: dict) -> None:
    """PUBLIC_URL must be a plain http(s) origin (with an optional path). In production it is
    required, and only its host (plus TRUSTED_HOSTS) is served: Flask answers 400 to any other
    Host header."""
    url = (config.get("PUBLIC_URL") or "").rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError("PUBLIC_URL must be the site's address, like https://mentoring.example.org")
    config["PUBLIC_URL"] = url
    if config.get("MAIL_DELIVERY") not in (None, *MAIL_DELIVERIES):
        raise RuntimeError(f"MAIL_DELIVERY must be one of {', '.join(MAIL_DELIVERIES)}")
    if config.get("ENV_NAME") == "production" and config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = [parts.hostname, *config.get("TRUSTED_HOSTS_EXTRA", [])]


OIDC_NAME = re.compile(r"[a-z][a-z0-9]{0,31}")


def _oidc(config: dict) -> None:
    """Each identity provider complete and sane, or the app refuses to start saying which setting."""
    production = config.get("ENV_NAME") == "production"
    checked = {}
    for name, provider in (config.get("OIDC_PROVIDERS") or {}).items():
        prefix = f"OIDC_{name.upper()}_"
        if not OIDC_NAME.fullmatch(name):
            raise RuntimeError(f"OIDC_PROVIDERS: {name!r} is not a provider name (lower-case letters and digits)")
        for key in ("discovery_url", "client_id", "client_secret"):
            if not (provider.get(key) or "").strip():
                raise RuntimeError(f"{prefix}{key.upper()} must be set (OIDC_PROVIDERS names {name})")
        url = urlsplit(provider["discovery_url"])
        if url.scheme not in {"http", "https"} or not url.hostname or (production and url.scheme != "https"):
            raise RuntimeError(f"{prefix}DISCOVERY_URL must be an https URL of the provider's "
                               ".well-known/openid-configuration")
        checked[name] = {**provider, "label": (provider.get("label") or "").strip() or name.capitalize()}
    config["OIDC_PROVIDERS"] = checked


def finalize(config: dict) -> dict:
    """Refuse to start outside development (and tests) without a real SECRET_KEY."""
    if not config.get("SECRET_KEY"):
        if config.get("ENV_NAME") in {"development", "test"} or config.get("TESTING"):
            config["SECRET_KEY"] = DEV_SECRET
        else:
            raise RuntimeError("SECRET_KEY must be set outside development")
    _public_url(config)
    _oidc(config)
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    else:
        # A database host that drops packets must not hang requests (and /healthz) for minutes.
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}})
    return config
