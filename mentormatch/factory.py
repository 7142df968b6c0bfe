
"""MentorMatch: the application factory (imported through `mentormatch.create_app`)."""
import os
from urllib.parse import urlsplit

from dotenv import load_dotenv
from flask import Flask, abort, render_template, request
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

# `models` registers every table; the feature folders each bring their blueprint.
from . import (  # noqa: F401
    asks,
    auth,
    bad_input,
    checkins,
    contact,
    coordinator,
    data_rights,
    groups,
    health,
    i18n,
    invitations,
    meetings,
    mentee,
    mentor,
    models,
    pairings,
    public,
    questions,
    requests,
    rounds,
    steps,
    threads,
)
from . import config as settings
from .cli import register as register_cli
from .core import outbox
from .core.links import link
from .core.roles import role_name
from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from .extensions import htmx as htmx_extension  # not `htmx`: that name is the mentormatch.htmx module
from .nav import nav_links, sides
from .services import reminders, why

# Each feature folder's blueprint and its URL prefix, in registration order.
BLUEPRINTS = (
    (public.bp, ""),
    (auth.bp, "/auth"),
    (coordinator.bp, "/coordinator"),
    (mentee.bp, "/mentee"),
    (mentor.bp, "/mentor"),
    (pairings.bp, "/pairings"),
    (requests.bp, "/requests"),
    (health.bp, "/coordinator"),
    (rounds.bp, "/coordinator"),
    (checkins.bp, "/checkins"),
    (steps.bp, "/steps"),
    (invitations.bp, "/invitations"),
    (contact.bp, "/contact"),
    (meetings.bp, "/meetings"),
    (threads.bp, "/threads"),
    (asks.bp, "/asks"),
    (groups.bp, "/circles"),
    (data_rights.bp, ""),
    (questions.bp, ""),
    (i18n.bp, ""),
)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def create_app(config: dict | None = None) -> Flask:
    load_dotenv()
    app = Flask(
        __package__,  # "mentormatch": the app keeps its name and root
        template_folder=str(settings.ROOT / "templates"),
        static_folder=str(settings.ROOT / "static"),
        instance_path=str(settings.INSTANCE_DIR),
    )
    app.config.update(settings.from_env())
    app.config.update(config or {})
    settings.finalize(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["PROXY_HOPS"]:
        # Trust exactly the configured number of proxies: one more and a client could forge its address.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open that page.")
    login_manager.localize_callback = str  # the flash is worded in the page's language, when it is shown
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    mail.init_app(app)
    htmx_extension.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(settings.TRANSLATIONS_DIR))
    i18n.install_reader_words(app)  # after Babel installed its gettext callables, before any template compiles
    outbox.init_app(app)

    bad_input.register(app)  # before the blueprints: their `<int:...>` rules use its converter
    _register_blueprints(app)
    _register_access_check(app)
    _register_headers(app)
    _register_errors(app)

    # {% trans %} blocks collapse their whitespace, as babel.cfg extracts them: one msgid per sentence.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(nav_links=nav_links, nav_sides=sides, role_name=role_name, public_url=link, languages=settings.LANGUAGES,
                                  current_language=lambda: str(get_locale() or "en"))
    # Why this match / why nobody, rendered from the stored parts in the reader's language.
    app.jinja_env.filters.update(why_pair=why.pair_text, why_unmatched=why.unmatched_text,
                                 why_help=why.help_text, why_group=why.group_text, why_left=why.left_text)

    register_cli(app)
    reminders.start_scheduler(app)  # the reminder thread, only when REMINDER_INTERVAL_MINUTES is set
    return app


def _register_blueprints(app: Flask) -> None:
    for blueprint, prefix in BLUEPRINTS:
        app.register_blueprint(blueprint, url_prefix=prefix or None)


def _register_access_check(app: Flask) -> None:
    @app.before_request
    def deny_undeclared_views():
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if view is not None and request.endpoint != "static" and not hasattr(view, "access"):
            app.logger.error("view %s declares no access rule", request.endpoint)
            abort(403)


def _csp(app: Flask) -> str:
    """CSP, with the identity providers' origins allowed as form targets: the logout form's redirect to
    a provider's end-session endpoint (RP-initiated logout) is a form navigation, which form-action governs."""
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(p["discovery_url"]))
                      for p in app.config.get("OIDC_PROVIDERS", {}).values()})
    return CSP.replace("form-action 'self'", " ".join(["form-action 'self'", *origins])) if origins else CSP


def _register_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _csp(app))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
            # Every page is in the language of the person's setting, the `lang` cookie or the browser (i18n.py).
            response.vary.update(("Accept-Language", "Cookie"))
        if app.config["ENV_NAME"] == "production":  # production is served over HTTPS only
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _register_errors(app: Flask) -> None:
    def error_page(code: int, title: str, message: str):
        if code == 500:
            # A failed flush leaves the session unusable; the page reads current_user through it.
            db.session.rollback()
        return render_template("error.html", code=code, title=title, message=message), code

    def too_large(e):
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if not limit:
            message = _("The file or form you sent is too large. Split the file into smaller parts and try again.")
        elif limit >= 2**20:
            message = _("The file or form you sent is larger than %(size)s MiB. Split the file into smaller parts "
                        "and try again.", size=format_decimal(limit / 2**20))
        else:
            message = _("The file or form you sent is larger than %(size)s bytes. Split the file into smaller parts "
                        "and try again.", size=format_decimal(limit))
        return error_page(413, _("Upload too large"), message)

    app.register_error_handler(403, lambda e: error_page(403, _("Not allowed"), _("Your account cannot open this page.")))
    app.register_error_handler(404, lambda e: error_page(
        404, _("Not found"), _("There is nothing here, or it is not yours to see.")))
    app.register_error_handler(413, too_large)
    app.register_error_handler(429, lambda e: error_page(
        429, _("Too many attempts"), _("Please wait a minute and try again.")))
    app.register_error_handler(500, lambda e: error_page(
        500, _("Something went wrong"), _("The error was logged. Please try again.")))
    app.register_error_handler(CSRFError, lambda e: error_page(
        400, _("Form expired"), _("The form was too old or incomplete. Reload the page and try again.")))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across a killed process, no fsync per commit
        cursor.close()
