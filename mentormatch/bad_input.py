"""Input the database cannot store is refused at the door with a clear 4xx, never a 500.

PostgreSQL refuses NUL in text and integers above 2**31-1 in integer columns (SQLite above
2**63-1); both used to surface as 500s from deep inside a query.
"""
from flask import Flask, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

from .extensions import db

MAX_ID = 2**31 - 1  # ids are PostgreSQL `integer`


def _up_to(limit: int) -> str:
    """A regex for the decimal numbers 0..limit without leading zeros, digit by digit."""
    digits = str(limit)
    options = ["0"] + ([rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else [])
    for i, d in enumerate(digits):
        low = "1" if i == 0 else "0"
        if int(d) > int(low):
            rest = len(digits) - i - 1
            options.append(f"{digits[:i]}[{low}-{int(d) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    options.append(digits)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` app-wide: a number above the id range matches no route (404) and never
    reaches a query. The range is in the pattern itself, not only in the value check: with a
    route split by method (a GET rule and a POST rule on one path), werkzeug answered 405
    when only the value check refused."""

    regex = _up_to(MAX_ID)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def field_with_nul() -> str | None:
    """The name of the first address part, query or form field that holds a NUL, else None."""
    if "\x00" in request.path:
        return "address"
    sources = [request.args]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sources.append(request.form)  # files (CSV uploads) are checked by their importer
    for source in sources:
        for key, value in source.items(multi=True):
            if "\x00" in key or "\x00" in value:
                return key.replace("\x00", "")[:60] or "(unnamed)"
    return None


def _page(code: int, title: str, message: str):
    return render_template("error.html", code=code, title=title, message=message), code


def register(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul():
        field = field_with_nul()
        if field is not None:
            return _page(400, _("Invalid character"),
                         _("The field “%(field)s” contains a NUL character, which cannot be stored. "
                           "Remove it and try again.", field=field))
        return None

    def refuse_unstorable(error):
        # Last line of defence for a value a check above missed (a number out of a column's range):
        # the failed statement leaves the session unusable, so roll back before rendering.
        db.session.rollback()
        app.logger.warning("refused unstorable input on %s: %s", request.path, type(error).__name__)
        return _page(400, _("Invalid value"), _("A value in the request is out of range or cannot be stored. "
                                              "Check what you entered and try again."))

    app.register_error_handler(DataError, refuse_unstorable)
    app.register_error_handler(OverflowError, refuse_unstorable)
