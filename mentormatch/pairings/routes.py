"""Round pairs after publication: the mentor's proposals list, completing and continuing a pair;
the answer pages (accept, decline, ask for info, answer it, report, by email) are mentormatch/answers/."""
from flask import flash, url_for
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
            flash("Noted: you would like to continue next round." if form.wants.data == "yes"
                  else "Noted: you will not be kept together next round.", "success")
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
    else:
        flash("Choose yes or no.", "error")
    return redirect_htmx_aware(url_for("mentor.home" if current_user.role == "mentor" else "mentee.home"))


class PairingAnswers(answer_views.WebKind):
    """The answer pages of a round proposal (mentormatch/answers/views.py): the mentor answers
    from the proposals list, the mentee answers a question on /pairings/<id>/info."""

    name = "pairing"
    param = "pairing_id"
    mentor_item = staticmethod(mentor_pairing)
    mentee_item = staticmethod(mentee_pairing)

    def accepted(self, pairing) -> str:
        return f"You accepted {pairing.mentee.user.name}. They have been told."

    def declined(self, pairing, paused: bool) -> str:
        pause = " You are paused: no new requests or proposals until you switch back on." if paused else ""
        return f"You declined {pairing.mentee.user.name}. The coordinator will find them someone else.{pause}"

    def asked(self, pairing) -> str:
        return (f"Question sent to {pairing.mentee.user.name}. The proposal comes back here with their answer; "
                "no reminders until then.")

    def answered(self, pairing) -> str:
        return f"Answer sent. {pairing.mentor.user.name} will now accept or decline."

    def page(self, pairing, name: str) -> dict:
        mentee, back = pairing.mentee.user.name, url_for("pairings.proposals")
        if name == "decline":
            return {"title": "Decline a proposal", "heading": f"Decline {mentee}?", "back": back,
                    "lead": f"That is fine: {mentee} goes back to the pool and the coordinator finds them "
                            "another mentor."}
        if name == "ask_info":
            return {"title": "Ask for more info", "heading": f"A question for {mentee}", "back": back,
                    "lead": f"Not sure yet? Ask one question. The proposal comes back to you with the answer, "
                            f"and you get no reminders while {mentee} owes it.", "why": why.pair_text(pairing)}
        return {"title": "Your proposed mentor asks", "heading": f"{pairing.mentor.user.name} has a question",
                "lead": f"Before saying yes, your proposed mentor in {pairing.mentee.program.name} asks:",
                "back": url_for("mentee.home"), "back_label": "Back"}

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
    attempt(lambda: lifecycle.complete(pairing, current_user), f"Pairing with {pairing.mentee.user.name} marked completed.")
    return redirect_htmx_aware(url_for(".proposals"))


# -- ending a pairing and the closing survey (the "ending" panel of the pair pages) -----------

@bp.route("/<int:pairing_id>/ending")
@roles("mentee", "mentor", "coordinator")
def ending(pairing_id: int):
    """End the mentorship, or (once ended) answer the closing survey: the mentee, the mentor, or
    a coordinator of the program (who reaches it from the round page or the health page)."""
    return _ending_page(ending_panel(endable_pairing(pairing_id)))


@bp.route("/<int:pairing_id>/end", methods=["POST"])
@roles("mentee", "mentor", "coordinator")
def end(pairing_id: int):
    pairing = endable_pairing(pairing_id)
    form = EndForm(prefix="end")
    if submit(form, lambda: lifecycle.end(pairing, current_user, form.kind.data, form.reason.data,
                                          lifecycle.checked_survey(form.recommend.data, form.changed.data))):
        done = (f"The mentorship of {_names(pairing)} is marked {_kind_words(pairing)}. Both have been told."
                if current_user.role == "coordinator" else
                f"Marked {_kind_words(pairing)}. "
                f"{_other(pairing)} has been told, kindly.")
        return _after(pairing, done)
    return _ending_page(ending_panel(pairing, end_form=form))


@bp.route("/<int:pairing_id>/survey", methods=["POST"])
@roles("mentee", "mentor")
def survey(pairing_id: int):
    pairing = endable_pairing(pairing_id)
    form = SurveyForm(prefix="survey")
    if submit(form, lambda: lifecycle.answer_survey(
            pairing, current_user, lifecycle.checked_survey(form.recommend.data, form.changed.data))):
        return _after(pairing, "Thank you: your answer helps the coordinator match people well.")
    return _ending_page(ending_panel(pairing, survey_form=form))


def _kind_words(pairing) -> str:
    return "completed" if pairing.state == "completed" else "as ended early"


def _names(pairing) -> str:
    return f"{pairing.mentee.user.name} and {pairing.mentor.user.name}"


def _other(pairing) -> str:
    return pairing.mentor.user.name if pairing.mentee.user_id == current_user.id else pairing.mentee.user.name


def _after(pairing, message: str):
    """htmx: the panel again, with the outcome in its live region; a plain form: 303 to the page."""
    if is_htmx():
        return page_or_partial("pairings/ending.html", "pairings/_ending.html",
                               together={"ending": ending_panel(pairing, outcome=message)})
    flash(message, "success")
    return redirect_htmx_aware(url_for(".ending", pairing_id=pairing.id))


def _ending_page(panel):
    if panel is None:  # a proposal not yet accepted, or declined: nothing to end
        flash("Only an accepted or active mentorship can be ended.", "error")
        return redirect_htmx_aware(url_for("coordinator.home" if current_user.role == "coordinator"
                                           else f"{current_user.role}.home"))
    return page_or_partial("pairings/ending.html", "pairings/_ending.html", together={"ending": panel})


answer_views.register(bp, PairingAnswers())
bp.add_url_rule("/by-email/<token>", "email_action", answer_views.email_action, methods=["GET", "POST"])
