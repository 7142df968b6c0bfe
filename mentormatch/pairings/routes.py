"""Round pairs after publication: the mentor's proposals list, completing and continuing a pair;
the answer pages (accept, decline, ask for info, answer it, report, by email) are mentormatch/answers/."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import endable_pairing, mentee_pairing, mentor_pairing, pairing_of_either, roles
from ..answers import views as answer_views
from ..extensions import db
from ..forms import attempt, submit
from ..htmx import is_htmx, page_or_partial, redirect_htmx_aware
from ..services import ServiceError, home, lifecycle, why
from ..services.rounds import fairness
from . import bp
from .forms import ContinueForm, EndForm, SurveyForm
from .panel import ending_panel


@bp.route("/")
@roles("mentor")
def proposals():
    return _proposals()


def _proposals(**context):
    return page_or_partial("pairings/proposals.html", "pairings/_mentor_proposals.html",
                           lc=home.mentor_proposals(current_user), **context)


@bp.route("/<int:pairing_id>/continue", methods=["POST"])
@roles("mentee", "mentor")
def continue_pair(pairing_id: int):
    """Either side says whether to keep this pair next round (both must say yes)."""
    pairing = pairing_of_either(pairing_id)
    form = ContinueForm()
    if form.validate_on_submit():
        try:
            fairness.set_wish(pairing, current_user, form.wants.data == "yes")
            flash(_("Noted: you would like to continue next round.") if form.wants.data == "yes"
                  else _("Noted: you will not be kept together next round."), "success")
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
    else:
        flash(_("Choose yes or no."), "error")
    return redirect_htmx_aware(url_for(f"{lifecycle.role_in(pairing, current_user) or 'mentee'}.home"))


class PairingAnswers(answer_views.WebKind):
    """The answer pages of a round proposal (mentormatch/answers/views.py): the mentor answers
    from the proposals list, the mentee answers a question on /pairings/<id>/info."""

    name = "pairing"
    param = "pairing_id"
    mentor_item = staticmethod(mentor_pairing)
    mentee_item = staticmethod(mentee_pairing)

    def accepted(self, pairing) -> str:
        return _("You accepted %(name)s. They have been told.", name=pairing.mentee.user.name)

    def declined(self, pairing, paused: bool) -> str:
        if paused:
            return _("You declined %(name)s. The coordinator will find them someone else. You are paused: no new "
                     "requests or proposals until you switch back on.", name=pairing.mentee.user.name)
        return _("You declined %(name)s. The coordinator will find them someone else.", name=pairing.mentee.user.name)

    def asked(self, pairing) -> str:
        return _("Question sent to %(name)s. The proposal comes back here with their answer; no reminders until then.",
                 name=pairing.mentee.user.name)

    def answered(self, pairing) -> str:
        return _("Answer sent. %(name)s will now accept or decline.", name=pairing.mentor.user.name)

    def page(self, pairing, name: str) -> dict:
        mentee, back = pairing.mentee.user.name, url_for("pairings.proposals")
        if name == "decline":
            return {"title": _("Decline a proposal"), "heading": _("Decline %(name)s?", name=mentee), "back": back,
                    "lead": _("That is fine: %(name)s goes back to the pool and the coordinator finds them "
                              "another mentor.", name=mentee)}
        if name == "ask_info":
            return {"title": _("Ask for more info"), "heading": _("A question for %(name)s", name=mentee), "back": back,
                    "lead": _("Not sure yet? Ask one question. The proposal comes back to you with the answer, "
                              "and you get no reminders while %(name)s owes it.", name=mentee), "why": why.pair_text(pairing)}
        return {"title": _("Your proposed mentor asks"),
                "heading": _("%(name)s has a question", name=pairing.mentor.user.name),
                "lead": _("Before saying yes, your proposed mentor in %(program)s asks:",
                          program=pairing.mentee.program.name),
                "back": url_for("mentee.home"), "back_label": _("Back")}

    def after_answer(self, pairing, action: str, message: str, ok: bool = True):
        if is_htmx():
            # The proposals region replaces itself, with the outcome announced in its live region.
            return _proposals(outcome=message)
        flash(message, "success")
        return redirect_htmx_aware(url_for(".proposals"))

    def mentee_back(self, pairing) -> str:
        return url_for("mentee.home")




@bp.route("/<int:pairing_id>/complete", methods=["POST"])
@roles("mentor")
def complete(pairing_id: int):
    pairing = mentor_pairing(pairing_id)
    attempt(lambda: lifecycle.complete(pairing, current_user),
            _("Pairing with %(name)s marked completed.", name=pairing.mentee.user.name))
    return redirect_htmx_aware(url_for(".proposals"))


# -- ending a pairing and the closing survey (the "ending" panel of the pair pages) -----------

@bp.route("/<int:pairing_id>/ending")
@roles("mentee", "mentor", "coordinator")
def ending(pairing_id: int):
    """End the mentorship, or (once ended) answer the closing survey: the mentee, the mentor, or
    a coordinator of the program (who reaches it from the round page or the health page)."""
    pairing = endable_pairing(pairing_id)
    return _ending_page(ending_panel(pairing), pairing)


@bp.route("/<int:pairing_id>/end", methods=["POST"])
@roles("mentee", "mentor", "coordinator")
def end(pairing_id: int):
    pairing = endable_pairing(pairing_id)
    form = EndForm(prefix="end")
    if submit(form, lambda: lifecycle.end(pairing, current_user, form.kind.data, form.reason.data,
                                          lifecycle.checked_survey(form.recommend.data, form.changed.data))):
        return _after(pairing, _ended_message(pairing))
    return _ending_page(ending_panel(pairing, end_form=form), pairing)


@bp.route("/<int:pairing_id>/survey", methods=["POST"])
@roles("mentee", "mentor")
def survey(pairing_id: int):
    pairing = endable_pairing(pairing_id)
    form = SurveyForm(prefix="survey")
    if submit(form, lambda: lifecycle.answer_survey(
            pairing, current_user, lifecycle.checked_survey(form.recommend.data, form.changed.data))):
        return _after(pairing, _("Thank you: your answer helps the coordinator match people well."))
    return _ending_page(ending_panel(pairing, survey_form=form), pairing)


def _ended_message(pairing) -> str:
    """One whole sentence per case, so that translators can order the words their way."""
    mentee, mentor = pairing.mentee.user.name, pairing.mentor.user.name
    if current_user.role == "coordinator":
        if pairing.state == "completed":
            return _("The mentorship of %(mentee)s and %(mentor)s is marked completed. Both have been told.",
                     mentee=mentee, mentor=mentor)
        return _("The mentorship of %(mentee)s and %(mentor)s is marked as ended early. Both have been told.",
                 mentee=mentee, mentor=mentor)
    if pairing.state == "completed":
        return _("Marked completed. %(name)s has been told, kindly.", name=_other(pairing))
    return _("Marked as ended early. %(name)s has been told, kindly.", name=_other(pairing))


def _other(pairing) -> str:
    return pairing.mentor.user.name if pairing.mentee.user_id == current_user.id else pairing.mentee.user.name


def _after(pairing, message: str):
    """htmx: the panel again, with the outcome in its live region; a plain form: 303 to the page."""
    if is_htmx():
        return page_or_partial("pairings/ending.html", "pairings/_ending.html",
                               together={"ending": ending_panel(pairing, outcome=message)})
    flash(message, "success")
    return redirect_htmx_aware(url_for(".ending", pairing_id=pairing.id))


def _ending_page(panel, pairing):
    if panel is None:  # a proposal not yet accepted, or declined: nothing to end
        flash(_("Only an accepted or active mentorship can be ended."), "error")
        return redirect_htmx_aware(url_for(f"{lifecycle.role_in(pairing, current_user) or current_user.role}.home"))
    return page_or_partial("pairings/ending.html", "pairings/_ending.html", together={"ending": panel})


answer_views.register(bp, PairingAnswers())
bp.add_url_rule("/by-email/<token>", "email_action", answer_views.email_action, methods=["GET", "POST"])
