"""The one place that reads and writes htmx headers."""
from flask import make_response, render_template, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def page_or_partial(page: str, partial: str, **context):
    """The full page for a normal request, only the partial for htmx; both vary by HX-Request."""
    response = make_response(render_template(partial if is_htmx() else page, **context))
    response.vary.add("HX-Request")
    return response


def redirect_htmx_aware(url: str):
    """After a POST: htmx gets HX-Redirect (a full navigation), a plain form a 303."""
    from flask import redirect

    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)
