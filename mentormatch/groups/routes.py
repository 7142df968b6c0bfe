"""The circle page and what people do on it: post in the thread and poll it, propose, pick, cancel
and answer meetings, download an invitation, leave (a member), end (a coordinator).

Every view loads the circle through access.py: its members and its program's coordinators see the
page (coordinators read only); anyone else gets 404. Every action answers htmx with the refreshed
panel and a plain form with a redirect to the page, so the page works without JavaScript."""
from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import (
    circle_meeting,
    coordinated_circle,
    member_circle,
    roles,
    visible_circle,
    visible_circle_meeting,
)
from ..extensions import limiter
from ..forms import attempt, submit
from ..htmx import is_htmx, redirect_htmx_aware
from ..meetings.forms import CancelForm, KeepForm, MetForm, PickForm, ProposeForm
from ..services import groups, meetings, threads
from ..threads.forms import MessageForm
from . import bp, panel
from .forms import ConfirmForm

ID = "/<int:circle_id>"


def _page(circle, *, thread_form=None, status: int = 200, **meeting_context):
    return render_template("groups/show.html", page=groups.page(circle, current_user), together={
        "thread": panel.thread(circle, thread_form),
        "meetings": panel.meeting_panel(circle, **meeting_context)}), status


@bp.route(ID)
@roles("mentee", "mentor", "coordinator")
def show(circle_id: int):
    return _page(visible_circle(circle_id))


# -- the thread ----------------------------------------------------------------------------------

def _per_person() -> str:
    return f"user:{current_user.id}"


def _thread_response(circle, form=None, status: int = 200):
    if is_htmx():
        return render_template("threads/_thread.html", together={"thread": panel.thread(circle, form)}), status
    return _page(circle, thread_form=form, status=status)


@bp.errorhandler(429)
def too_fast(_error):
    """Over a rate limit: the page again, what was typed kept, the reason next to it (htmx swaps
    only 2xx answers, so it gets a 200; a plain form the 429)."""
    circle = member_circle((request.view_args or {}).get("circle_id", 0))
    status = 200 if is_htmx() else 429
    if request.endpoint == "circles.propose":
        form = ProposeForm()
        form.form_errors.append(_("You have proposed times often in a short while: wait an hour, then send these again."))
        return _meetings_response(circle, status=status, propose_form=form)
    form = MessageForm()
    form.body.errors = [_("You are sending messages quickly: wait a minute, then send this one again.")]
    return _thread_response(circle, form, status)


@bp.route(f"{ID}/messages", methods=["POST"])
@roles("mentee", "mentor")
@limiter.limit(lambda: current_app.config["MESSAGE_RATE_LIMIT"], key_func=_per_person, methods=["POST"])
def post(circle_id: int):
    circle = member_circle(circle_id)
    form = MessageForm()
    if submit(form, lambda: threads.post(circle, current_user, form.body.data)):
        if is_htmx():
            return _thread_response(circle)
        return redirect(url_for(".show", circle_id=circle.id) + "#thread", code=303)
    return _thread_response(circle, form, 200 if is_htmx() else 422)


@bp.route(f"{ID}/messages")
@roles("mentee", "mentor", "coordinator")
def poll(circle_id: int):
    """The messages after `after` (htmx: appended, and a fresh poller); a plain GET gets the page."""
    circle = visible_circle(circle_id)
    if not is_htmx():
        return redirect(url_for(".show", circle_id=circle.id) + "#thread", code=303)
    me = threads.member_of(circle, current_user)
    after = max(0, request.args.get("after", 0, type=int) or 0)
    new = threads.messages(circle, after=after, until=panel.until_for(circle, me))
    writable = threads.can_write(circle, me)
    html = render_template("threads/_poll.html", new=new, first=after == 0, t={
        "me": me.id if me else None, "last_id": new[-1].id if new else after,
        "open": threads.is_open(circle) and (me is None or writable),
        "poll_url": url_for(".poll", circle_id=circle.id)})
    if me is not None:  # after rendering, as the commit expires the rows
        threads.seen(circle, current_user, new[-1].id if new else None)
    response = current_app.make_response(html)
    response.vary.add("HX-Request")
    return response


# -- meetings ------------------------------------------------------------------------------------

def _meetings_response(circle, status: int = 200, **context):
    built = panel.meeting_panel(circle, **context)
    if built is None:
        # No panel for this reader any more (they left, the circle ended while the page was open):
        # the page, with the reason where the page shows its messages.
        form = context.get("propose_form")
        for reason in [context.get("error", "")] + (list(form.form_errors) if form is not None else []):
            if reason:
                flash(str(reason), "error")
        if is_htmx():
            return redirect_htmx_aware(url_for(".show", circle_id=circle.id))
    elif is_htmx():
        return render_template("meetings/_panel.html", together={"meetings": built}), status
    return _page(circle, status=status, **context)


def _left(circle, reason: str):
    """One who left the circle acts from a page left open: the page with the reason (under htmx a
    redirect), not a 404 that htmx drops without a word. Answered before the meeting is looked up:
    which meetings exist since they left is not theirs to learn. None for a current member."""
    if groups.sees_meetings(circle, current_user):
        return None
    return _meetings_response(circle, error=reason)


def _done(circle, message: str):
    if is_htmx():
        return _meetings_response(circle, notice=message)
    flash(message, "success")
    return redirect(url_for(".show", circle_id=circle.id) + "#meetings", code=303)


@bp.route(f"{ID}/meetings/propose", methods=["POST"])
@roles("mentee", "mentor")
@limiter.limit(lambda: current_app.config["MEETING_RATE_LIMIT"], key_func=_per_person, methods=["POST"])
def propose(circle_id: int):
    circle = member_circle(circle_id)
    form = ProposeForm()
    if submit(form, lambda: meetings.propose(circle, current_user, form.slots(), form.duration.data,
                                             form.video_link.data)):
        return _done(circle, _("Times sent to the others. You will get an email when one is picked."))
    return _meetings_response(circle, 200 if is_htmx() else 422, propose_form=form)


@bp.route(f"{ID}/meetings/<int:meeting_id>/pick", methods=["POST"])
@roles("mentee", "mentor")
def pick(circle_id: int, meeting_id: int):
    circle = member_circle(circle_id)
    if (gone := _left(circle, _("Only the two people meeting can pick a time."))) is not None:
        return gone
    meeting = circle_meeting(circle, meeting_id)
    form = PickForm()
    if submit(form, lambda: meetings.pick(meeting, current_user, form.slot_id.data)):
        return _done(circle, _("Booked. The calendar invitation is on its way to everyone in the circle."))
    return _meetings_response(circle, error=" ".join(map(str, form.slot_id.errors + form.form_errors)))


@bp.route(f"{ID}/meetings/<int:meeting_id>/cancel", methods=["POST"])
@roles("mentee", "mentor")
def cancel(circle_id: int, meeting_id: int):
    circle = member_circle(circle_id)
    if (gone := _left(circle, _("Only the two people meeting can cancel it."))) is not None:
        return gone
    meeting = circle_meeting(circle, meeting_id)
    form = CancelForm()
    if submit(form, lambda: meetings.cancel(meeting, current_user, form.seen.data or "")):
        return _done(circle, _("Cancelled.") if meeting.booked_at is None
                     else _("Cancelled: everyone in the circle gets a cancellation for their calendar."))
    return _meetings_response(circle, error=" ".join(map(str, form.form_errors)))


@bp.route(f"{ID}/meetings/<int:meeting_id>/keep", methods=["POST"])
@roles("mentee", "mentor")
def keep(circle_id: int, meeting_id: int):
    circle = member_circle(circle_id)
    if (gone := _left(circle, _("Only the two people meeting can cancel it."))) is not None:
        return gone
    meeting = circle_meeting(circle, meeting_id)
    form = KeepForm()
    if submit(form, lambda: meetings.keep_booking(meeting, current_user, form.seen.data or "")):
        return _done(circle, _("The booked time stands."))
    return _meetings_response(circle, error=" ".join(map(str, form.form_errors)))


@bp.route(f"{ID}/meetings/<int:meeting_id>/met", methods=["POST"])
@roles("mentee", "mentor")
def met(circle_id: int, meeting_id: int):
    circle = member_circle(circle_id)
    if (gone := _left(circle, _("Only the two people meeting can answer."))) is not None:
        return gone
    meeting = circle_meeting(circle, meeting_id)
    form = MetForm()
    if submit(form, lambda: meetings.answer_met(meeting, current_user, form.answer.data, form.note.data)):
        return _done(circle, _("Thank you for answering."))
    return _meetings_response(circle, error=" ".join(map(str, form.answer.errors + form.note.errors + form.form_errors)))


@bp.route(f"{ID}/meetings/<int:meeting_id>/invite.ics")
@roles("mentee", "mentor", "coordinator")
def invitation(circle_id: int, meeting_id: int):
    """"Add to calendar": the invitation the emails carry (a cancellation once cancelled)."""
    circle = visible_circle(circle_id)
    meeting = visible_circle_meeting(circle, meeting_id)
    if meeting.starts_at is None:
        return _meetings_response(circle, 409, error=_("This meeting has no time yet: pick one first."))
    response = make_response(meetings.ics(meeting))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="mentormatch-meeting-{meeting.id}.ics"'
    return response


# -- leaving, ending -------------------------------------------------------------------------------

@bp.route(f"{ID}/leave", methods=["GET", "POST"])
@roles("mentee", "mentor")
def leave(circle_id: int):
    circle = member_circle(circle_id)
    return _confirm_then(circle, lambda: groups.leave(circle, current_user), _("You have left the circle."),
                         question=_("Leave this circle?"), yes=_("Yes, leave the circle"), no=_("Stay"),
                         detail=_("The others are told kindly. You can still read what was written while "
                                  "you were in it, but not write or meet here any more."))


@bp.route(f"{ID}/end", methods=["GET", "POST"])
@roles("coordinator")
def end(circle_id: int):
    circle = coordinated_circle(circle_id)
    return _confirm_then(circle, lambda: groups.end(circle, current_user), _("The circle has ended."),
                         question=_("End this circle?"), yes=_("Yes, end the circle"), no=_("Keep it going"),
                         detail=_("Its members are told kindly; meetings ahead are called off. The page stays "
                                  "for everyone to read, but nobody can write or meet there any more."))


def _confirm_then(circle, act, done: str, *, question: str, detail: str, yes: str, no: str):
    """Leave, end: a GET is the confirmation page (for a browser without JavaScript; it posts back to
    the same URL); a confirmed POST runs `act` through forms.attempt, which flashes `done` or the
    refusal. Either way back to the circle's page (303)."""
    back = url_for(".show", circle_id=circle.id)
    if request.method == "GET":
        return render_template("confirm.html", question=question, quote=groups.page(circle, current_user).title,
                               detail=detail, action=url_for(request.endpoint, circle_id=circle.id), yes=yes,
                               back=back, no=no)
    form = ConfirmForm()
    if form.validate_on_submit():
        attempt(act, done)
    return redirect(back, code=303)
