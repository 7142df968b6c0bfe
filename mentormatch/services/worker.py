"""What RQ jobs share: the queue they go to and the app a worker process builds once."""
from flask import Flask

DEFAULT_QUEUE = "mentormatch"
_app: Flask | None = None


def queue(app: Flask):
    """The configured RQ queue; short socket timeouts so that a Redis outage fails fast."""
    from redis import Redis
    from rq import Queue

    redis = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
    return Queue(app.config.get("RQ_QUEUE") or DEFAULT_QUEUE, connection=redis)


def app() -> Flask:
    """The app of this worker process, built from the environment on first use."""
    global _app
    if _app is None:
        from .. import create_app

        _app = create_app()
    return _app
