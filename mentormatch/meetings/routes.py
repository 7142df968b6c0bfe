"""Meetings: propose slots, pick one, cancel, answer "did you meet?", download the invitation.

Every action answers htmx with the refreshed panel and a plain form with a redirect to the pair's
page, so the panel works without JavaScript."""
from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import meeting_item, own_meeting, roles, visible_meeting
from ..extensions import limiter
from ..forms import submit
from ..htmx import is_htmx, page_or_partial
from ..models import MicroRequest
from ..services import meetings
from . import bp, panel
from .forms import CancelForm, KeepForm, MetForm, PickForm, ProposeForm


@bp.route("/<int:meeting_id>")
@roles("mentee", "mentor", "coordinator")
def show(meeting_id: int):
    meeting = visible_meeting(meeting_id)
    return _page(meetings.item_of(meeting))


def _per_person() -> str:
    return f"user:{current_user.id}"


@bp.errorhandler(429)
def too_many_proposals(_error):
    """Over MEETING_RATE_LIMIT (each proposal emails the other person): the panel again, the times
    kept, the reason above the form (htmx swaps only 2xx answers, so it gets a 200; a plain form the 429)."""
    args = request.view_args or {}
    item = meeting_item(args.get("kind", "pairings"), args.get("item_id", 0))
    form = ProposeForm()
    form.form_errors.append(_("You have proposed times often in a short while: wait an hour, then send these again."))
    page = _page(item, propose_form=form)
    return page, 200 if is_htmx() else 429


@bp.route("/<any(pairings, requests):kind>/<int:item_id>/propose", methods=["POST"])
@roles("mentee", "mentor")
@limiter.limit(lambda: current_app.config["MEETING_RATE_LIMIT"], key_func=_per_person, methods=["POST"])
def propose(kind: str, item_id: int):
    item = meeting_item(kind, item_id)
    form = ProposeForm()
    if submit(form, lambda: meetings.propose(item, current_user, form.slots(), form.duration.data,
                                             form.video_link.data)):
        return _done(item, _("Times sent to %(name)s. You will get an email when one is picked.",
                             name=meetings.panel(item, current_user).other_name))
    return _page(item, propose_form=form)


@bp.route("/<int:meeting_id>/pick", methods=["POST"])
@roles("mentee", "mentor")
def pick(meeting_id: int):
    return _answer(meeting_id, PickForm, lambda meeting, form: meetings.pick(meeting, current_user, form.slot_id.data),
                   lambda meeting: _("Booked. The calendar invitation is on its way to both of you."), "slot_id")


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@roles("mentee", "mentor")
def cancel(meeting_id: int):
    return _answer(meeting_id, CancelForm, lambda meeting, form: meetings.cancel(meeting, current_user, form.seen.data or ""),
                   lambda meeting: _("Cancelled.") if meeting.booked_at is None
                   else _("Cancelled: both of you get a cancellation for your calendars."))


@bp.route("/<int:meeting_id>/keep", methods=["POST"])
@roles("mentee", "mentor")
def keep(meeting_id: int):
    return _answer(meeting_id, KeepForm, lambda meeting, form: meetings.keep_booking(meeting, current_user, form.seen.data or ""),
                   lambda meeting: _("The booked time stands."))


@bp.route("/<int:meeting_id>/met", methods=["POST"])
@roles("mentee", "mentor")
def met(meeting_id: int):
    return _answer(meeting_id, MetForm,
                   lambda meeting, form: meetings.answer_met(meeting, current_user, form.answer.data, form.note.data),
                   lambda meeting: _("Thank you for answering."), "answer", "note")


def _answer(meeting_id: int, form_class, act, notice, *fields: str):
    """Pick, cancel, met: one of the pair acts on their own meeting. `act(meeting, form)` runs
    through forms.submit; done, `notice(meeting)` says so (read after the act); refused, the
    panel again with the errors of `fields` and the form's."""
    meeting = own_meeting(meeting_id)
    item = meetings.item_of(meeting)
    form = form_class()
    if submit(form, lambda: act(meeting, form)):
        return _done(item, notice(meeting))
    errors = [error for name in fields for error in form[name].errors] + form.form_errors
    return _page(item, error=" ".join(map(str, errors)))


@bp.route("/<int:meeting_id>/invite.ics")
@roles("mentee", "mentor", "coordinator")
def invitation(meeting_id: int):
    """"Add to calendar": the same invitation the emails carry (a cancellation once cancelled)."""
    meeting = visible_meeting(meeting_id)
    if meeting.starts_at is None:
        return _page(meetings.item_of(meeting), error=_("This meeting has no time yet: pick one first."))
    response = make_response(meetings.ics(meeting))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="mentormatch-meeting-{meeting.id}.ics"'
    return response


def _pair_page(item) -> str:
    if isinstance(item, MicroRequest):
        return url_for("requests.show", request_id=item.id) + "#meetings"
    if current_user.id == item.mentee.user_id:
        return url_for("mentee.pairing", pairing_id=item.id) + "#meetings"
    return url_for("mentor.mentee", program_id=item.program_id, mentee_id=item.mentee_membership_id) + "#meetings"


def _done(item, message: str):
    """After an action: htmx gets the refreshed panel, a plain form the pair's page (303)."""
    if is_htmx():
        return page_or_partial("meetings/show.html", "meetings/_panel.html", item=item,
                               together={"meetings": panel.build(item, notice=message)})
    flash(message, "success")
    if meetings.can_meet(item):
        return redirect(_pair_page(item), code=303)
    live = meetings.meetings_of(item)
    return redirect(url_for(".show", meeting_id=live[0].id) if live else _pair_page(item), code=303)


def _page(item, **context):
    built = panel.build(item, **context)
    if built is None:  # not (yet) a pair that can meet: the page says why, without a panel
        form = context.get("propose_form")
        problem = " ".join(map(str, form.form_errors)) if form is not None else context.get("error", "")
        return render_template("meetings/show.html", item=item, together={"meetings": None}, problem=problem)
    return page_or_partial("meetings/show.html", "meetings/_panel.html", item=item, together={"meetings": built})
