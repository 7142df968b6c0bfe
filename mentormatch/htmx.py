"""The one place that reads and writes htmx headers.

Detection is the htmx-flask extension's `request.htmx` (bound in create_app); these helpers keep
their names so routes need not know where it comes from."""
from flask import make_response, redirect, render_template, request


def is_htmx() -> bool:
    return bool(request.htmx)


def page_or_partial(page: str, partial: str, **context):
    """The full page for a normal request, only the partial for htmx; both vary by HX-Request."""
    response = make_response(render_template(partial if is_htmx() else page, **context))
    response.vary.add("HX-Request")
    return response


def redirect_htmx_aware(url: str):
    """After a POST: htmx gets HX-Redirect (a full navigation), a plain form a 303."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)
