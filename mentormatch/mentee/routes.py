"""The mentee's pages: home (built by services/home.py), goal form, a pairing's follow-ups."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import together
from ..access import own_followup_pairing, own_membership, roles
from ..extensions import db
from ..forms import apply_service_error, submit
from ..services import ServiceError, asks, micro_requests
from ..services import home as home_context
from ..services.people import goal_forms, notes, profiles, vocabulary
from ..services.people.goal_forms import N_
from . import bp
from .forms import FollowUpForm, GoalForm, ThanksForm
from .picker import apply_op, apply_problems, picker, picker_endpoint


@bp.route("/")
@roles("mentee")
def home():
    return render_template("mentee/home.html", **home_context.mentee_home(current_user),
                           helpable=asks.helpable(current_user))


@bp.route("/programs/<int:program_id>/goals", methods=["GET", "POST"])
@roles("mentee")
def goals(program_id: int):
    membership = own_membership(program_id, "mentee")
    goal = goal_forms.goal_form_of(membership)
    form = GoalForm(obj=goal) if goal else GoalForm(timezone="")
    form.set_program(program_id)
    message = strengths_message = None
    if request.method == "POST":
        message = apply_op(form, goal_forms.MAX_TOPICS_MENTEE)
        strengths_message = apply_op(form, goal_forms.MAX_STRENGTHS, "strengths")
    if strengths_message is not None:
        return _goal_page(membership, form, strengths_message=strengths_message)
    if message is None and form.validate_on_submit():
        problems = goal_forms.goal_form_problems(program_id, form.data)
        if not problems:
            try:
                goal_forms.save_goal_form(membership, form.data)
            except ServiceError as error:
                db.session.rollback()
                apply_service_error(form, error)
            else:
                flash(_("Your goals are saved. Coordinators use them for the next match round."), "success")
                return redirect(url_for(".home"), code=303)
        apply_problems(form, problems)
    return _goal_page(membership, form, message=message)


@bp.route("/programs/<int:program_id>/goals/check", methods=["POST"])
@roles("mentee")
def check_goals(program_id: int):
    """Inline validation of one field (named in the URL), plus the completeness meter out of band."""
    own_membership(program_id, "mentee")
    name = request.args.get("field", "")
    if name not in goal_forms.GOAL_FIELDS:
        abort(404)
    form = GoalForm()
    form.set_program(program_id)
    form.validate()
    apply_problems(form, {k: v for k, v in goal_forms.goal_form_problems(program_id, form.data).items() if k == name})
    hint = goal_forms.vague_ask_hint(form.power_question.data) if name == "power_question" and not form[name].errors else None
    return render_template("mentee/_check.html", f=form[name], hint=hint,
                           completeness=goal_forms.goal_completeness(form.data))


@bp.route("/programs/<int:program_id>/goals/topics", methods=["GET", "POST"])
@roles("mentee")
def goal_topics(program_id: int):
    own_membership(program_id, "mentee")
    return picker_endpoint(program_id, most=goal_forms.MAX_TOPICS_MENTEE,
                           url=url_for(".goal_topics", program_id=program_id))


@bp.route("/programs/<int:program_id>/goals/strengths", methods=["GET", "POST"])
@roles("mentee")
def goal_strengths(program_id: int):
    """The "what I can help with" picker's htmx endpoint (the same picker as the topics)."""
    own_membership(program_id, "mentee")
    return picker_endpoint(program_id, most=goal_forms.MAX_STRENGTHS, name="strengths", legend=_(STRENGTHS_LEGEND),
                           url=url_for(".goal_strengths", program_id=program_id))


@bp.route("/pairings/<int:pairing_id>")
@roles("mentee")
def pairing(pairing_id: int):
    found = own_followup_pairing(pairing_id)
    return _pairing_page(found, FollowUpForm(prefix="followup"), ThanksForm(prefix="thanks"))


@bp.route("/pairings/<int:pairing_id>/<any(followup, thanks):kind>", methods=["POST"])
@roles("mentee")
def add_followup(pairing_id: int, kind: str):
    found = own_followup_pairing(pairing_id)
    followup_form, thanks_form = FollowUpForm(prefix="followup"), ThanksForm(prefix="thanks")
    form = followup_form if kind == "followup" else thanks_form
    if submit(form, lambda: micro_requests.add_followup(current_user, pairing=found, kind=kind, body=form.body.data)):
        flash(_("Follow-up logged: your mentor will see it.") if kind == "followup"
              else _("Thank-you sent. It makes a mentor's week."), "success")
        return redirect(url_for(".pairing", pairing_id=found.id), code=303)
    return _pairing_page(found, followup_form, thanks_form)


def _picker(program_id: int, ids: list[int], **kwargs) -> dict:
    return picker(program_id, ids, most=goal_forms.MAX_TOPICS_MENTEE,
                  pick_url=url_for(".goal_topics", program_id=program_id),
                  search_url=url_for(".goal_topics", program_id=program_id), **kwargs)


STRENGTHS_LEGEND = N_("Topics you can help others with")


def _goal_page(membership, form, *, message=None, strengths_message=None):
    program_id = membership.program_id
    p = _picker(program_id, form.topics.data or [], query=request.form.get("topic_q", ""), message=message)
    ps = picker(program_id, form.strengths.data or [], most=goal_forms.MAX_STRENGTHS, name="strengths",
                legend=_(STRENGTHS_LEGEND), pick_url=url_for(".goal_strengths", program_id=program_id),
                search_url=url_for(".goal_strengths", program_id=program_id),
                query=request.form.get("strengths_q", ""), message=strengths_message)
    return render_template(
        "mentee/goals.html", form=form, program=membership.program, p=p, ps=ps,
        completeness=goal_forms.goal_completeness(form.data), examples=goal_forms.POWER_QUESTION_EXAMPLES,
        hint=goal_forms.vague_ask_hint(form.power_question.data) if not form.power_question.errors else None,
        saved=goal_forms.goal_form_of(membership),
    )


def _pairing_page(pairing, followup_form, thanks_form):
    mentor_profile = profiles.profile_of(pairing.mentor)
    return render_template(
        "mentee/pairing.html", pairing=pairing, followup_form=followup_form, thanks_form=thanks_form,
        mentor_name=pairing.mentor.user.name, program_name=pairing.mentor.program.name,
        followups=notes.followups_of_pairing(pairing), mentor_profile=mentor_profile,
        names=vocabulary.term_names(pairing.program_id), together=together.panels(pairing),
    )
