"""The thread as a panel of the pair's pages (together.py) and of its own page (routes.py)."""
from flask import after_this_request, url_for
from flask_login import current_user

from ..services import threads
from .forms import MessageForm


def panel(item, form: MessageForm | None = None) -> dict | None:
    """What templates/threads/_thread.html shows to the signed-in person (None: no thread yet).
    Showing the thread to one of the two marks it read and them as on the page."""
    if not threads.has_thread(item):
        return None
    kind = threads.kind_of(item)
    me = threads.member_of(item, current_user)
    shown = threads.messages(item)
    if me is not None:
        record_after_rendering(item, shown[-1].id if shown else 0)
    writable = me is not None and threads.is_open(item)
    return {
        "kind": kind,
        "item": item,
        "messages": shown,
        "me": me.id if me else None,
        "other": threads.other_side(item, me).user.name if me else None,
        "last_id": shown[-1].id if shown else 0,
        "form": (form or MessageForm(formdata=None)) if writable else None,  # after a post: empty
        # The mentor of an accepted request may answer in writing and close it in one step.
        "quick_take": writable and kind == "request" and me.id == item.mentor_membership_id,
        "open": threads.is_open(item),
        "coordinator": me is None,
        "reported": threads.report_filed(item),
        "post_url": url_for("threads.post", kind=kind, item_id=item.id),
        "poll_url": url_for("threads.poll", kind=kind, item_id=item.id),
        "page_url": url_for("threads.show", kind=kind, item_id=item.id),
    }


def item_page(item) -> str:
    """The pair's own page for the person signed in, where the thread is a panel."""
    if threads.kind_of(item) == "request":
        return url_for("requests.show", request_id=item.id)
    if current_user.id == item.mentee.user_id:
        return url_for("mentee.pairing", pairing_id=item.id)
    return url_for("mentor.mentee", program_id=item.program_id, mentee_id=item.mentee_membership_id)


def record_after_rendering(item, upto: int) -> None:
    """The reader is recorded once the page is rendered: the commit expires every row, and the page
    would load each message again, one query apiece."""
    user = current_user._get_current_object()

    @after_this_request
    def record(response):
        if response.status_code < 500:
            threads.seen(item, user, upto)
        return response
