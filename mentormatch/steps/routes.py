"""Goal steps: the mentee's plan for the near-term goal, ticked off as they go."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import own_membership, own_step, roles
from ..forms import attempt, submit
from ..htmx import is_htmx, page_or_partial
from ..services import goal_steps
from . import bp
from .forms import StepForm, ToggleForm


def _page(membership, form, status=200):
    steps = goal_steps.steps_of(membership.id)
    return page_or_partial("steps/index.html", "steps/_list.html", membership=membership, program=membership.program,
                           form=form, steps=steps, done=sum(1 for s in steps if s.done_at is not None),
                           goal=goal_steps.goal_of(membership.id)), status


@bp.route("/programs/<int:program_id>", methods=["GET", "POST"])
@roles("mentee")
def index(program_id: int):
    membership = own_membership(program_id, "mentee")
    form = StepForm()
    if submit(form, lambda: goal_steps.add(membership, current_user, form.title.data)):
        if not is_htmx():
            flash(_("Step added."), "success")
            return redirect(url_for(".index", program_id=program_id), code=303)
        form = StepForm(formdata=None)
    return _page(membership, form)


@bp.route("/<int:step_id>/toggle", methods=["POST"])
@roles("mentee")
def toggle(step_id: int):
    step = own_step(step_id)
    form = ToggleForm()
    if form.validate_on_submit():
        goal_steps.toggle(step, current_user, form.done.data == "yes")
    membership = own_membership(goal_steps.program_of(step), "mentee")
    if is_htmx():
        return _page(membership, StepForm(formdata=None))
    return redirect(url_for(".index", program_id=membership.program_id), code=303)


@bp.route("/<int:step_id>/delete", methods=["POST"])
@roles("mentee")
def delete(step_id: int):
    step = own_step(step_id)
    program_id = goal_steps.program_of(step)
    attempt(lambda: goal_steps.remove(step, current_user))
    if is_htmx():
        return _page(own_membership(program_id, "mentee"), StepForm(formdata=None))
    return redirect(url_for(".index", program_id=program_id), code=303)
