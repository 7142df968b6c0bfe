"""MentorMatch.  The application factory lives in mentormatch.factory and is loaded on first
use, so that the matching core (`python -m mentormatch.matching`) starts without Flask."""


def __getattr__(name: str):
    if name in ("create_app", "BLUEPRINTS", "CSP"):
        from . import factory
        return getattr(factory, name)
    raise AttributeError(f"module 'mentormatch' has no attribute {name!r}")
