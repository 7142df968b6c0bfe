"""The circle page's panels: the shared thread (templates/threads/_thread.html, as a pair's) and
the meetings (templates/meetings/_panel.html, as a pair's), for the signed-in member or coordinator."""
from flask import url_for
from flask_login import current_user

from ..meetings import panel as meetings_panel
from ..models import Circle
from ..services import groups, parties, threads
from ..threads.forms import MessageForm
from ..threads.panel import record_after_rendering


def until_for(circle: Circle, me) -> object:
    """What a member who left may still read: the messages written until they left."""
    return parties.left_at(circle, me) if me is not None else None


def thread(circle: Circle, form: MessageForm | None = None) -> dict:
    me = threads.member_of(circle, current_user)
    shown = threads.messages(circle, until=until_for(circle, me))
    if me is not None:
        record_after_rendering(circle, shown[-1].id if shown else 0)
    writable = threads.can_write(circle, me)
    return {
        "kind": "circle",
        "item": circle,
        "circle": True,
        "messages": shown,
        "me": me.id if me else None,
        "other": None,
        "last_id": shown[-1].id if shown else 0,
        "form": (form or MessageForm(formdata=None)) if writable else None,
        "quick_take": False,
        # Polling while someone may still write and this reader is still in it (or reads along).
        "open": threads.is_open(circle) and (me is None or writable),
        "left": me is not None and not writable and threads.is_open(circle),
        "coordinator": me is None,
        "reported": False,
        "post_url": url_for("circles.post", circle_id=circle.id),
        "poll_url": url_for("circles.poll", circle_id=circle.id),
        "page_url": url_for("circles.show", circle_id=circle.id),
    }


def meeting_panel(circle: Circle, *, propose_form=None, notice: str = "", error: str = "") -> dict | None:
    """The pair's panel (meetings/panel.py), its forms posting to this circle's routes; none for one
    who left (out of the meetings: their times, video link and invitation)."""
    if not groups.sees_meetings(circle, current_user):
        return None
    return meetings_panel.build(circle, propose_form=propose_form, notice=notice, error=error, endpoints="circles",
                                url_args={"circle_id": circle.id}, propose_url=url_for("circles.propose", circle_id=circle.id))
