"""Which language a page is in, and the language menu.

The person's own setting (users.locale) wins; a visitor who picked a language keeps it in a cookie;
else the browser's Accept-Language; else English. Emails pick the recipient's language in
core/outbox.py, never the sender's.
"""
from flask import Blueprint, Flask, has_request_context, make_response, redirect, request, url_for
from flask_login import current_user
from jinja2 import pass_context

from .access import public
from .config import DEFAULT_LANGUAGE, LANGUAGES
from .core.security import is_safe_next
from .core.stored_words import reader_words
from .extensions import db

COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if not has_request_context():
        # A job in the worker, a command, or an app context of its own: nobody's browser to ask.
        # Mail picks its recipient's language itself (core/outbox.py).
        return DEFAULT_LANGUAGE
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def _local(path: str | None) -> str:
    """A path on this site to go back to; anything else (another host, a scheme, //, a tab or line
    break a browser would drop) goes home. The same rule as the login's ?next=."""
    if is_safe_next(path):
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


# -- words stored once, shown in the reader's language ----------------------------------------------

# Retention and erasure store these in English, one word for every reader (personal.STORED_WORDS): the
# stand-in account's name and a removed message's body. Wherever a page or an email prints one, it is the reader's.

def _placeholders_in_reader_words(function):
    @pass_context
    def call(context, *args, **variables):
        return function(context, *args, **{k: reader_words(v) for k, v in variables.items()})
    return call


def install_reader_words(app: Flask) -> None:
    """Every `{{ ... }}` (Jinja's finalize) and every placeholder of `_()`, `ngettext` and `{% trans %}`
    (the gettext callables Flask-Babel installed) shows the stored words in the reader's language."""
    env = app.jinja_env
    env.finalize = reader_words
    for name in ("gettext", "_", "ngettext", "pgettext", "npgettext"):
        if name in env.globals:
            env.globals[name] = _placeholders_in_reader_words(env.globals[name])
