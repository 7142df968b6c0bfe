"""Liveness probes for /healthz: is the database answering, is Redis? Only a word each, never an
error text, so the public endpoint reveals nothing about the setup."""
from flask import current_app

from ..extensions import db

PROBE_TIMEOUT = 2  # seconds; a load balancer polls often and must not pile up waiting


def database_status() -> str:
    try:
        db.session.execute(db.text("SELECT 1"))
        db.session.rollback()
        return "ok"
    except Exception:  # any failure means "down" to a load balancer; the log keeps the detail
        current_app.logger.warning("health probe: database unreachable", exc_info=True)
        db.session.rollback()
        return "down"


def redis_status() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    from redis import Redis

    client = Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT)
    try:
        client.ping()
        return "ok"
    except Exception:
        current_app.logger.warning("health probe: redis unreachable", exc_info=True)
        return "down"
    finally:
        client.close()


def report() -> tuple[dict, int]:
    """The JSON body and status: 200 while the database answers (Redis only degrades), else 503."""
    database, redis = database_status(), redis_status()
    if database != "ok":
        status, code = "down", 503
    else:
        status, code = ("ok" if redis in ("ok", "not configured") else "degraded"), 200
    return {"status": status, "database": database, "redis": redis}, code
