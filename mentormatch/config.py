"""Settings come from the environment (and `.env` in development), never from code."""
import os
from pathlib import Path

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
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "MAIL_BACKEND": os.environ.get(
            "MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "file"
        ),
        "MAIL_FILE_PATH": os.environ.get("MAIL_FILE_PATH", str(INSTANCE_DIR / "mail")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "MentorMatch <noreply@example.org>"),
        # Match rounds: "thread" (in the web process), "rq" (default when REDIS_URL is set), "inline".
        "SOLVE_RUNNER": os.environ.get("SOLVE_RUNNER") or None,
        "SOLVE_TIME_LIMIT": _number("SOLVE_TIME_LIMIT", 60.0, float),
        # A running solve with no heartbeat for this long is marked failed (its worker died or hangs).
        "SOLVE_STALE_SECONDS": _number("SOLVE_STALE_SECONDS", 60.0, float),
        "RQ_QUEUE": os.environ.get("RQ_QUEUE", "mentormatch"),
        # Reminders: after REMINDER_DAYS without an answer, at most REMINDER_MAX reminders, then
        # expiry; MENTOR_EXPIRY_LIMIT expiries mark a mentor unavailable.
        "REMINDER_DAYS": _number("REMINDER_DAYS", 3),
        "REMINDER_MAX": _number("REMINDER_MAX", 2),
        "MENTOR_EXPIRY_LIMIT": _number("MENTOR_EXPIRY_LIMIT", 2),
        "REMINDER_INTERVAL_MINUTES": _number("REMINDER_INTERVAL_MINUTES", None, float),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if env == "production" else "http",
        "SERVER_NAME": os.environ.get("SERVER_NAME"),
    }


DEV_SECRET = "dev-only-not-secret"


def finalize(config: dict) -> dict:
    """Refuse to start outside development (and tests) without a real SECRET_KEY."""
    if not config.get("SECRET_KEY"):
        if config.get("ENV_NAME") in {"development", "test"} or config.get("TESTING"):
            config["SECRET_KEY"] = DEV_SECRET
        else:
            raise RuntimeError("SECRET_KEY must be set outside development")
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    else:
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    return config
