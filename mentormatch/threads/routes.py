"""The thread of a pairing or micro-request: its own page (the link in the emails, and the one a
coordinator reads once a report was filed), posting, the poll and the mentor's quick take.

Every view loads the item through access.thread_item: one of the two people, or a coordinator of
the program with a report about the item (read-only); anyone else gets 404."""
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import roles, thread_item
from ..extensions import limiter
from ..forms import submit
from ..htmx import is_htmx, page_or_partial, redirect_htmx_aware
from ..services import threads
from . import bp
from .forms import MessageForm
from .panel import item_page, panel
from .text import linkify

KINDS = "<any(pairing, request):kind>"

bp.add_app_template_filter(linkify, "linkify")


def _thread_response(item, form=None, status: int = 200):
    t = panel(item, form)
    return page_or_partial("threads/show.html", "threads/_thread.html", together={"thread": t},
                           item_url=item_page(item) if t["me"] else None), status


def _per_person() -> str:
    return f"user:{current_user.id}"


def _limit():
    return limiter.limit(lambda: current_app.config["MESSAGE_RATE_LIMIT"], key_func=_per_person, methods=["POST"])


@bp.errorhandler(429)
def too_fast(_error):
    """Over MESSAGE_RATE_LIMIT: the thread again, the text kept, the reason next to the field (htmx
    swaps only 2xx answers, so it gets a 200; a plain form the 429)."""
    args = request.view_args or {}
    item = thread_item(args.get("kind", "request"), args["item_id"], writing=True)
    form = MessageForm()
    form.body.errors = [_("You are sending messages quickly: wait a minute, then send this one again.")]
    return _thread_response(item, form, 200 if is_htmx() else 429)


@bp.route(f"/{KINDS}/<int:item_id>")
@roles("mentee", "mentor", "coordinator")
def show(kind: str, item_id: int):
    return _thread_response(thread_item(kind, item_id))


@bp.route(f"/{KINDS}/<int:item_id>/messages")
@roles("mentee", "mentor", "coordinator")
def poll(kind: str, item_id: int):
    """The messages after `after` (htmx: appended to the list, and the poller replaced with one that
    asks from the newest); a plain GET gets the whole page."""
    item = thread_item(kind, item_id)
    if not is_htmx():
        return redirect(url_for(".show", kind=kind, item_id=item_id), code=303)
    after = request.args.get("after", 0, type=int) or 0
    new = threads.messages(item, after=max(0, after))
    last_id = new[-1].id if new else after
    me = threads.member_of(item, current_user)
    html = render_template("threads/_poll.html", new=new, first=after == 0, t={
        "me": me.id if me else None, "last_id": last_id, "open": threads.is_open(item),
        "poll_url": url_for(".poll", kind=kind, item_id=item_id)})
    if me is not None:  # after rendering, as the commit expires the rows. Nothing new: the page shows all.
        threads.seen(item, current_user, new[-1].id if new else None)
    response = current_app.make_response(html)
    response.vary.add("HX-Request")
    return response


@bp.route(f"/{KINDS}/<int:item_id>/messages", methods=["POST"])
@roles("mentee", "mentor")
@_limit()
def post(kind: str, item_id: int):
    item = thread_item(kind, item_id, writing=True)
    form = MessageForm()
    if submit(form, lambda: threads.post(item, current_user, form.body.data)):
        if is_htmx():
            return _thread_response(item)
        return redirect(item_page(item) + "#thread", code=303)
    return _thread_response(item, form, 422 if not is_htmx() else 200)


@bp.route("/request/<int:item_id>/quick-take", methods=["POST"])
@roles("mentor")
@_limit()
def quick_take(item_id: int):
    item = thread_item("request", item_id, writing=True)
    form = MessageForm()
    if submit(form, lambda: threads.quick_take(item, current_user, form.body.data)):
        # The request is done: the whole page changes, not only the thread.
        return redirect_htmx_aware(url_for("requests.show", request_id=item.id) + "#thread")
    return _thread_response(item, form, 422 if not is_htmx() else 200)
