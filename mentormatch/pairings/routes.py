"""Round pairs after publication: mentors answer proposals, mentees follow up."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import public, roles
from ..extensions import db
from ..forms import apply_service_error, submit
from ..htmx import is_htmx, page_or_partial, redirect_htmx_aware
from ..models import Membership, Pairing
from ..services import ServiceError, fairness, health, lifecycle
from ..services.answers import email_links as email_actions
from .forms import ConfirmForm, ContinueForm, DeclineForm, InfoAnswerForm, InfoQuestionForm, ReportForm

bp = Blueprint("pairings", __name__)


@bp.record_once
def _setup(state):
    # The home pages include our partials with only the template globals: give them a helper.
    from ..services import reminders
    from .context import continue_wish, lifecycle_context

    state.app.jinja_env.globals["lifecycle"] = lifecycle_context
    state.app.jinja_env.globals["continue_wish"] = continue_wish
    reminders.start_scheduler(state.app)


def _pairing_as(role_column, pairing_id: int) -> Pairing:
    """A pairing where the current user is the mentor (or mentee), else 404."""
    pairing = db.session.scalar(db.select(Pairing).join(Membership, role_column == Membership.id)
                                .where(Pairing.id == pairing_id, Membership.user_id == current_user.id))
    if pairing is None:
        abort(404)
    return pairing


def mentor_pairing(pairing_id: int) -> Pairing:
    return _pairing_as(Pairing.mentor_membership_id, pairing_id)


def mentee_pairing(pairing_id: int) -> Pairing:
    return _pairing_as(Pairing.mentee_membership_id, pairing_id)


@bp.route("/")
@roles("mentor")
def proposals():
    return page_or_partial("pairings/proposals.html", "pairings/_mentor_proposals.html")


@bp.route("/<int:pairing_id>/accept", methods=["POST"])
@roles("mentor")
def accept(pairing_id: int):
    pairing = mentor_pairing(pairing_id)
    try:
        lifecycle.accept(pairing, current_user)
        message = f"You accepted {pairing.mentee.user.name}. They have been told."
    except ServiceError as error:
        db.session.rollback()
        message = error.message
    return _after_answer(message)


@bp.route("/<int:pairing_id>/decline", methods=["GET", "POST"])
@roles("mentor")
def decline(pairing_id: int):
    pairing = mentor_pairing(pairing_id)
    form = DeclineForm()
    if submit(form, lambda: lifecycle.decline(pairing, current_user, form.reason.data, form.note.data, **form.pause_values())):
        paused = " You are paused: no new requests or proposals until you switch back on." if form.pause.data else ""
        return _after_answer(f"You declined {pairing.mentee.user.name}. The coordinator will find them "
                             f"someone else.{paused}")
    return render_template("pairings/decline.html", form=form, pairing=pairing)


@bp.route("/<int:pairing_id>/ask", methods=["GET", "POST"])
@roles("mentor")
def ask_info(pairing_id: int):
    """The third answer: one question to the mentee before deciding."""
    pairing = mentor_pairing(pairing_id)
    form = InfoQuestionForm()
    if submit(form, lambda: lifecycle.ask_info(pairing, current_user, form.question.data)):
        return _after_answer(f"Question sent to {pairing.mentee.user.name}. The proposal comes back here "
                             "with their answer; no reminders until then.")
    return render_template("pairings/ask_info.html", form=form, pairing=pairing)


@bp.route("/<int:pairing_id>/info", methods=["GET", "POST"])
@roles("mentee")
def info(pairing_id: int):
    """The mentee reads the mentor's question and answers it."""
    pairing = mentee_pairing(pairing_id)
    form = InfoAnswerForm()
    if submit(form, lambda: lifecycle.answer_info(pairing, current_user, form.answer.data)):
        flash(f"Answer sent. {pairing.mentor.user.name} will now accept or decline.", "success")
        return redirect(url_for("mentee.home"), code=303)
    return render_template("pairings/info.html", form=form, pairing=pairing)


@bp.route("/<int:pairing_id>/report", methods=["GET", "POST"])
@roles("mentee")
def report(pairing_id: int):
    pairing = mentee_pairing(pairing_id)
    form = ReportForm()
    if submit(form, lambda: health.report_mentor(current_user, form.note.data, pairing=pairing)):
        flash("Thank you. Your coordinator will look into it.", "success")
        return redirect(url_for("mentee.home"), code=303)
    return render_template("pairings/report.html", form=form, who=pairing.mentor.user.name,
                           back=url_for("mentee.home"))


@bp.route("/<int:pairing_id>/continue", methods=["POST"])
@roles("mentee", "mentor")
def continue_pair(pairing_id: int):
    """Either side says whether to keep this pair next round (both must say yes)."""
    pairing = _pairing_of_either(pairing_id)
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


def _pairing_of_either(pairing_id: int) -> Pairing:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or current_user.id not in (pairing.mentee.user_id, pairing.mentor.user_id):
        abort(404)
    return pairing


@bp.route("/by-email/<token>", methods=["GET", "POST"])
@public
def email_action(token: str):
    """An answer link from an email: GET shows what will happen and one button; POST does it.
    No login: the signed token names the person, the item and the action."""
    try:
        link = email_actions.read(token)
    except email_actions.LinkError as error:
        return render_template("email_actions/invalid.html", error=error), error.status
    form = {"accept": ConfirmForm, "decline": DeclineForm, "info": InfoQuestionForm}[link.action]()
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            email_actions.perform(token, data)
        except email_actions.LinkError as error:
            db.session.rollback()
            return render_template("email_actions/invalid.html", error=error), error.status
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            return render_template("email_actions/done.html", link=link)
    return render_template("email_actions/confirm.html", link=link, form=form, token=token)


def _after_answer(message: str):
    if is_htmx():
        # The proposals region replaces itself, with the outcome announced in its live region.
        return page_or_partial("pairings/proposals.html", "pairings/_mentor_proposals.html", outcome=message)
    flash(message, "success")
    return redirect_htmx_aware(url_for(".proposals"))


@bp.route("/<int:pairing_id>/complete", methods=["POST"])
@roles("mentor")
def complete(pairing_id: int):
    pairing = mentor_pairing(pairing_id)
    try:
        lifecycle.complete(pairing, current_user)
        flash(f"Pairing with {pairing.mentee.user.name} marked completed.", "success")
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect_htmx_aware(url_for(".proposals"))

