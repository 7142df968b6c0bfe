"""Micro-requests: the mentor directory, sending, editing, withdrawing and following up; the answer
pages (accept, decline, ask for info, answer it, report) are the shared ones of mentormatch/answers/."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import together
from ..access import askable_mentor, mentee_request, mentor_request, micro_program, roles, visible_request
from ..answers import views as answer_views
from ..answers.forms import InfoAnswerForm
from ..core import events
from ..core.reference import LANGUAGES
from ..forms import attempt, submit
from ..htmx import is_htmx, page_or_partial, redirect_htmx_aware
from ..mentor.forms import NoteForm
from ..models import MicroRequest
from ..pairings.forms import FollowUpForm
from ..services import answers, directory, micro_requests, ongoing
from ..services.people import goal_forms, notes
from ..services.programs import programs_of_member
from . import bp
from .forms import DirectoryFilter, OngoingForm, RequestForm


@bp.route("/")
@roles("mentee")
def mine():
    return render_template("requests/mine.html", requests=micro_requests.requests_of_mentee(current_user),
                           programs=[p for p in programs_of_member(current_user) if p.offers_micro])


@bp.route("/inbox")
@roles("mentor")
def inbox():
    reqs = micro_requests.requests_to_mentor(current_user)
    return render_template("requests/inbox.html", waiting=[r for r in reqs if r.state == "open"],
                           others=[r for r in reqs if r.state != "open"])


@bp.route("/programs/<int:program_id>/mentors", endpoint="directory")
@roles("mentee")
def directory_page(program_id: int):
    program, membership = micro_program(program_id)
    topics, groups = directory.terms_of(program.id)
    form = DirectoryFilter(request.args)
    form.topic.choices = [("", _("Any topic"))] + sorted(((str(k), v) for k, v in topics.items()), key=lambda c: c[1].lower())
    form.group.choices = [("", _("Any group"))] + sorted(((str(k), v) for k, v in groups.items()), key=lambda c: c[1].lower())
    form.language.choices = [("", _("Any language"))] + list(LANGUAGES)
    # The best DIRECTORY_PAGE first: a page of 300 cards is slow to send and to read.
    shown = max(DIRECTORY_PAGE, request.args.get("show", DIRECTORY_PAGE, type=int))
    cards = directory.search(membership, q=(form.q.data or "")[:100], topic=_int_or_none(form.topic.data),
                             language=form.language.data or "", group=_int_or_none(form.group.data),
                             sort=form.sort.data if form.sort.data in directory.SORTS else "recommended", shown=shown)
    more_args = {k: v for k, v in request.args.items() if k != "show"} | {"show": shown + DIRECTORY_PAGE}
    return page_or_partial("requests/directory.html", "requests/_directory_results.html", program=program,
                           form=form, cards=cards, shown=shown, more_args=more_args,
                           open_count=micro_requests.open_count(membership.id), max_open=micro_requests.MAX_OPEN_REQUESTS)


DIRECTORY_PAGE = 24


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@bp.route("/programs/<int:program_id>/mentors/<int:mentor_id>/ask", methods=["GET", "POST"])
@roles("mentee")
def new(program_id: int, mentor_id: int):
    program, membership = micro_program(program_id)
    mentor = askable_mentor(program, mentor_id)
    form = RequestForm()
    if done := submit(form, lambda: micro_requests.send(current_user, program, mentor, {
            "kind": form.kind.data, "question": form.question.data, "context": form.context.data})):
        req = done.value
        flash(_("Sent to %(name)s. You will hear back by email.", name=mentor.user.name), "success")
        if hint := goal_forms.vague_ask_hint(req.question):
            # Without JavaScript the hint could not show as they typed: it comes with the confirmation.
            flash(_("%(hint)s You can edit the request until %(name)s answers.", hint=hint, name=mentor.user.name), "warning")
        return redirect(url_for(".show", request_id=req.id), code=303)
    return render_template("requests/new.html", form=form, program=program, mentor=mentor, hint=_hint(form),
                           open_count=micro_requests.open_count(membership.id), max_open=micro_requests.MAX_OPEN_REQUESTS)


@bp.route("/hint", methods=["POST"])
@roles("mentee")
def hint():
    """The vague-ask hint as the mentee types (htmx); it never refuses, so nothing is validated here."""
    form = RequestForm()
    return render_template("requests/_question_hint.html", f=form.question, hint=_hint(form))


def _hint(form) -> str | None:
    return goal_forms.vague_ask_hint(form.question.data) if not form.question.errors else None


@bp.route("/<int:request_id>")
@roles("mentee", "mentor")
def show(request_id: int):
    return _show_page(visible_request(request_id))


def _show_page(req: MicroRequest, note_form: NoteForm | None = None, ongoing_form: OngoingForm | None = None):
    return render_template("requests/show.html", **_show_context(req, note_form, ongoing_form))


def _show_context(req: MicroRequest, note_form: NoteForm | None = None,
                  ongoing_form: OngoingForm | None = None) -> dict:
    as_mentee = current_user.id == req.mentee.user_id
    mentor_side = {} if as_mentee else _mentor_side(req, note_form)
    return dict(req=req, events=events.events_of("request", req.id),
                others=answers.other_open(req) if as_mentee else [],
                sent=micro_requests.followups_for(request_id=req.id),
                can_undo=micro_requests.can_undo_cancel(req, current_user) if as_mentee else False,
                context=None if as_mentee else answers.mentee_context(req.mentee_membership_id, request_id=req.id),
                answer_form=InfoAnswerForm() if as_mentee and req.state == "info_requested" else None,
                together=together.panels(req),
                ongoing=ongoing.offer(req, current_user), ongoing_form=ongoing_form or OngoingForm(),
                **mentor_side)


def _mentor_side(req: MicroRequest, note_form: NoteForm | None) -> dict:
    """What the mentor reads before and after answering: the mentee's goals on file (what they
    share) and the mentor's private note on this mentee, the same note as on a round pair's page."""
    note = notes.note_of(req.mentor, req.mentee_membership_id)
    return {"about": goal_forms.goal_summary(req.mentee), "note": note,
            "note_form": note_form or (NoteForm(obj=note) if req.state in notes.REQUEST_NOTE_STATES else None),
            "note_url": url_for(".save_note", request_id=req.id)}


@bp.route("/<int:request_id>/note", methods=["POST"])
@roles("mentor")
def save_note(request_id: int):
    req = mentor_request(request_id)
    form = NoteForm()
    note = None
    if done := submit(form, lambda: notes.save_request_note(req.mentor, req, form.body.data)):
        note = done.value
        if not is_htmx():
            flash(_("Notes saved. Your mentee sees them only if they request their data."), "success")
            return redirect(url_for(".show", request_id=req.id), code=303)
    if is_htmx():
        return render_template("mentor/_note.html", form=form, note=note, note_url=url_for(".save_note", request_id=req.id),
                               saved_now=note is not None)
    return _show_page(req, note_form=form)


@bp.route("/<int:request_id>/ongoing", methods=["POST"])
@roles("mentee")
def ask_ongoing(request_id: int):
    """Micro -> macro: ask the mentor of this done request for ongoing mentorship."""
    req = mentee_request(request_id)
    form = OngoingForm()
    if submit(form, lambda: ongoing.ask(req, current_user, form.hope.data)):
        flash(_("Asked. %(name)s answers it like any proposal; a seat is held for you meanwhile.",
                name=req.mentor.user.name), "success")
        return redirect_htmx_aware(url_for(".show", request_id=req.id))
    return page_or_partial("requests/show.html", "requests/_ongoing.html", **_show_context(req, ongoing_form=form))


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@roles("mentee")
def edit(request_id: int):
    req = mentee_request(request_id)
    form = RequestForm(obj=req)
    if submit(form, lambda: micro_requests.edit(req, current_user, {
            "kind": form.kind.data, "question": form.question.data, "context": form.context.data})):
        flash(_("Saved. %(name)s sees the new version.", name=req.mentor.user.name), "success")
        return redirect(url_for(".show", request_id=req.id), code=303)
    return render_template("requests/edit.html", form=form, req=req, hint=_hint(form))


@bp.route("/<int:request_id>/undo", methods=["POST"])
@roles("mentee")
def undo_cancel(request_id: int):
    req = mentee_request(request_id)
    return _act(lambda: micro_requests.undo_cancel(req, current_user), req,
                _("Withdrawal undone: the request is open again."))


@bp.route("/<int:request_id>/cancel", methods=["GET", "POST"])
@roles("mentee")
def cancel(request_id: int):
    req = mentee_request(request_id)
    if request.method == "GET":  # the confirmation, for a browser without JavaScript
        return render_template("confirm.html", question=_("Withdraw this request?"), quote=req.question,
                               detail=_("%(name)s will no longer see it. You can undo it for %(num)d minutes.",
                                        name=req.mentor.user.name, num=micro_requests.UNDO_MINUTES),
                               action=url_for(".cancel", request_id=req.id), yes=_("Yes, withdraw it"),
                               back=url_for(".show", request_id=req.id), no=_("Keep it"))
    return _act(lambda: micro_requests.cancel(req, current_user), req, _("Request withdrawn."))


@bp.route("/<int:request_id>/done", methods=["POST"])
@roles("mentee", "mentor")
def done(request_id: int):
    req = visible_request(request_id)
    return _act(lambda: micro_requests.mark_done(req, current_user), req, _("Marked done."))


@bp.route("/<int:request_id>/withdraw-others", methods=["POST"])
@roles("mentee")
def withdraw_others(request_id: int):
    req = mentee_request(request_id)
    attempt(lambda: micro_requests.withdraw_others(req, current_user),
            lambda n: ngettext("Withdrew %(num)d other request. Its mentor will not be asked again.",
                               "Withdrew %(num)d other requests. Their mentors will not be asked again.", n))
    return redirect_htmx_aware(url_for(".show", request_id=req.id))


def _act(action, req: MicroRequest, message: str):
    attempt(action, message)
    return redirect_htmx_aware(url_for(".show", request_id=req.id))


@bp.route("/<int:request_id>/followup", methods=["GET", "POST"])
@roles("mentee")
def followup(request_id: int):
    req = mentee_request(request_id)
    form = FollowUpForm()
    if submit(form, lambda: micro_requests.add_followup(current_user, request=req, kind=form.kind.data, body=form.body.data)):
        flash(_("Sent to %(name)s. Thank you for closing the loop.", name=req.mentor.user.name), "success")
        return redirect(url_for(".show", request_id=req.id), code=303)
    return render_template("requests/followup.html", form=form, req=req,
                           sent=micro_requests.followups_for(request_id=req.id))


class RequestAnswers(answer_views.WebKind):
    """The answer pages of a micro-request (mentormatch/answers/views.py): both sides come back
    to the request's page."""

    name = "request"
    param = "request_id"
    mentor_item = staticmethod(mentor_request)
    mentee_item = staticmethod(mentee_request)
    info_rule = "/<int:{param}>/answer"
    info_endpoint = "answer_info"

    def link_heading(self, label: str, req) -> str:
        return _("%(label)s: %(name)s's request", label=label, name=req.mentee.user.name)

    def accepted(self, req) -> str:
        return _("Accepted. %(name)s has been told.", name=req.mentee.user.name)

    def declined(self, req, paused: bool) -> str:
        return _("Declined. %(name)s can ask someone else.", name=req.mentee.user.name)

    def asked(self, req) -> str:
        return _("Question sent to %(name)s. The request comes back with their answer.", name=req.mentee.user.name)

    def answered(self, req) -> str:
        return _("Answer sent to %(name)s.", name=req.mentor.user.name)

    def prepare_decline(self, form) -> None:
        form.note.label.text = _("A word for the mentee (optional)")
        form.note.description = _("They can ask someone else either way.")

    def page(self, req, name: str) -> dict:
        mentee, back = req.mentee.user.name, url_for("requests.show", request_id=req.id)
        if name == "decline":
            return {"title": _("Decline a request"), "heading": _("Decline %(name)s's request?", name=mentee),
                    "quote": req.question, "back": back}
        if name == "ask_info":
            return {"title": _("Ask for more info"), "heading": _("A question for %(name)s", name=mentee),
                    "quote": req.question,
                    "lead": _("Ask one question. The request comes back to you with the answer; no reminders "
                              "while %(name)s owes it.", name=mentee), "back": back}
        mentor = req.mentor.user.name
        return {"title": _("Answer %(name)s", name=mentor), "heading": _("%(name)s asks", name=mentor),
                "lead": _("About your request “%(question)s”", question=req.question), "back": back,
                "back_label": _("Back to the request")}

    def after_answer(self, req, action: str, message: str, ok: bool = True):
        flash(message, "success" if ok else "error")
        return redirect_htmx_aware(url_for(".inbox") if action == "decline" else url_for(".show", request_id=req.id))

    def mentee_back(self, req) -> str:
        return url_for(".show", request_id=req.id)


answer_views.register(bp, RequestAnswers())
