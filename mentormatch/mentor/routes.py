"""The mentor's pages: home (built by services/home.py), profile, a mentee's goals and private notes."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import together
from ..access import current_mentee_pairing, own_membership, roles
from ..core import clock, reference
from ..extensions import db
from ..forms import apply_service_error, submit
from ..htmx import is_htmx, page_or_partial
from ..mentee.picker import apply_op, apply_problems, picker, picker_endpoint
from ..services import ServiceError, asks, goal_steps
from ..services import home as home_context
from ..services.people import goal_forms, labels, notes, profiles, vocabulary
from . import bp
from .forms import NoteForm, ProfileForm


@bp.route("/")
@roles("mentor")
def home():
    return render_template("mentor/home.html", **home_context.mentor_home(current_user, clock.today()),
                           helpable=asks.helpable(current_user))


@bp.route("/programs/<int:program_id>/profile", methods=["GET", "POST"])
@roles("mentor")
def profile(program_id: int):
    membership = own_membership(program_id, "mentor")
    saved = profiles.profile_of(membership)
    form = ProfileForm(obj=saved) if saved else ProfileForm(timezone="")
    form.set_program(program_id)
    message = apply_op(form, profiles.MAX_TOPICS_MENTOR) if request.method == "POST" else None
    if message is None and form.validate_on_submit():
        problems = profiles.profile_problems(program_id, form.data, today=clock.today())
        if not problems:
            try:
                profiles.save_profile(membership, form.data, today=clock.today())
            except ServiceError as error:
                db.session.rollback()
                apply_service_error(form, error)
            else:
                flash(_("Your profile is saved."), "success")
                return redirect(url_for(".home"), code=303)
        apply_problems(form, problems)
    return _profile_page(membership, form, saved, message=message)


@bp.route("/programs/<int:program_id>/profile/check", methods=["POST"])
@roles("mentor")
def check_profile(program_id: int):
    own_membership(program_id, "mentor")
    name = request.args.get("field", "")
    if name not in profiles.PROFILE_FIELDS:
        abort(404)
    form = ProfileForm()
    form.set_program(program_id)
    form.validate()
    problems = profiles.profile_problems(program_id, form.data, today=clock.today())
    apply_problems(form, {k: v for k, v in problems.items() if k == name})
    return render_template("mentor/_check.html", f=form[name])


@bp.route("/programs/<int:program_id>/profile/topics", methods=["GET", "POST"])
@roles("mentor")
def profile_topics(program_id: int):
    own_membership(program_id, "mentor")
    return picker_endpoint(program_id, most=profiles.MAX_TOPICS_MENTOR,
                           url=url_for(".profile_topics", program_id=program_id))


@bp.route("/programs/<int:program_id>/mentees/<int:mentee_id>")
@roles("mentor")
def mentee(program_id: int, mentee_id: int):
    membership = own_membership(program_id, "mentor")
    pairing = current_mentee_pairing(membership, mentee_id)
    note = notes.note_of(membership, mentee_id)
    return _mentee_page(membership, pairing, NoteForm(obj=note), note)


@bp.route("/programs/<int:program_id>/mentees/<int:mentee_id>/note", methods=["POST"])
@roles("mentor")
def save_note(program_id: int, mentee_id: int):
    membership = own_membership(program_id, "mentor")
    pairing = current_mentee_pairing(membership, mentee_id)
    form = NoteForm()
    note = None
    if done := submit(form, lambda: notes.save_note(membership, pairing, form.body.data)):
        note = done.value
        if not is_htmx():
            flash(_("Notes saved. Your mentee sees them only if they request their data."), "success")
            return redirect(url_for(".mentee", program_id=program_id, mentee_id=mentee_id), code=303)
    if is_htmx():
        return page_or_partial("mentor/_note.html", "mentor/_note.html", form=form, note=note, pairing=pairing,
                               saved_now=note is not None)
    return _mentee_page(membership, pairing, form, notes.note_of(membership, mentee_id))


def _picker(program_id: int, ids: list[int], **kwargs) -> dict:
    url = url_for(".profile_topics", program_id=program_id)
    return picker(program_id, ids, most=profiles.MAX_TOPICS_MENTOR, pick_url=url, search_url=url, **kwargs)


def _profile_page(membership, form, saved, *, message=None):
    p = _picker(membership.program_id, form.topics.data or [], query=request.form.get("topic_q", ""), message=message)
    p["legend"] = "Topics you can help with"
    taken = profiles.seats_taken(membership.id)
    return render_template("mentor/profile.html", form=form, program=membership.program, p=p, saved=saved,
                           seats=profiles.seats_label(taken, saved.capacity_round) if saved else None)


def _mentee_page(membership, pairing, form, note):
    goal = goal_forms.goal_form_of(pairing.mentee)
    return render_template(
        "mentor/mentee.html", pairing=pairing, goal=goal, form=form, note=note,
        mentee_name=pairing.mentee.user.name, program_name=pairing.mentee.program.name,
        names=vocabulary.term_names(membership.program_id), followups=notes.followups_of_pairing(pairing),
        gs=goal_steps.summary(pairing.mentee_membership_id),
        labels={"role": labels.ROLE_LEVEL_LABELS, "preference": labels.PREFERENCE_LABELS, "wants": labels.WANTS_LABELS,
                "languages": dict(reference.LANGUAGES)},
        together=together.panels(pairing),
    )
