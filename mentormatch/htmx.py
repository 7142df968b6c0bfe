"""The one place that reads and writes htmx headers.

Detection is the htmx-flask extension's `request.htmx` (bound in create_app); these helpers keep
their names so routes need not know where it comes from."""
from flask import make_response, redirect, render_template, request, session


def is_htmx() -> bool:
    return bool(request.htmx)


def page_or_partial(page: str, partial: str, **context):
    """The full page for a normal request, only the partial for htmx; both vary by HX-Request.
    With htmx, what the action flashed comes along out of band, to show now."""
    if not is_htmx():
        response = make_response(render_template(page, **context))
    else:
        body = render_template(partial, **context)
        if session.get("_flashes"):
            body += render_template("_flashes.html", oob=True)
        response = make_response(body)
    response.vary.add("HX-Request")
    return response


def redirect_htmx_aware(url: str):
    """After a POST: htmx gets HX-Redirect (a full navigation), a plain form a 303."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)
