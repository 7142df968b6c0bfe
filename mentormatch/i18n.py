"""Which language a page is in, and the language menu.

The person's own setting (users.locale) wins; a visitor who picked a language keeps it in a cookie;
else the browser's Accept-Language; else English. Emails pick the recipient's language in
core/outbox.py, never the sender's.
"""
from flask import Blueprint, has_request_context, make_response, redirect, request, url_for
from flask_login import current_user

from .access import public
from .config import LANGUAGES
from .extensions import db

COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str | None:
    if not has_request_context():  # a job, the CLI, a service called in a test: the default (English)
        return None
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    return request.accept_languages.best_match(LANGUAGES, default="en")


def _local(path: str | None) -> str:
    """A path on this site to go back to; anything else (another host, a scheme, //) goes home."""
    if path and path.startswith("/") and not path.startswith(("//", "/\\")) and "\n" not in path:
        return path
    return url_for("public.index")


@bp.route("/language", methods=["POST"])
@public
def choose():
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        return redirect(_local(request.form.get("next")), code=303)
    response = make_response(redirect(_local(request.form.get("next")), code=303))
    response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
        db.session.commit()
    return response
