"""The RQ worker's entry: builds the app once per worker process and runs each job inside it.

Start a worker with `rq worker --url "$REDIS_URL" mentormatch mentormatch-mail`. Jobs are put on
the queue by mentormatch.core.jobs.enqueue as ("module:function", job id); the function is
called as function(job_id, app), the same way the thread and inline runners call it.
"""
from __future__ import annotations

from importlib import import_module

from flask import Flask

from .factory import create_app

_app: Flask | None = None


def app() -> Flask:
    global _app
    if _app is None:
        _app = create_app()
    return _app


def run(target: str, job_id: int) -> None:
    module, _, name = target.partition(":")
    if not module.startswith("mentormatch."):
        raise ValueError(f"not a MentorMatch job: {target!r}")
    execute = getattr(import_module(module), name)
    flask_app = app()
    with flask_app.app_context():
        execute(job_id, flask_app)
