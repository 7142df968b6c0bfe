from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import coordinated_program, roles
from ..core import links, outbox
from ..forms import submit
from ..services import program_setup, programs
from ..services.data_rights import programs_end
from . import bp
from .forms import InviteCoordinatorForm, ProgramForm


@bp.route("/")
@roles("coordinator")
def home():
    return render_template("coordinator/home.html", programs=programs.programs_of_coordinator(current_user))


@bp.route("/programs/new", methods=["GET", "POST"])
@roles("coordinator")
def new_program():
    form = ProgramForm()
    if done := submit(form, lambda: programs.create_program(current_user, **_program_fields(form))):
        program = done.value
        flash(_("Program “%(name)s” created. Share the invite links below.", name=program.name), "success")
        return redirect(url_for(".program", program_id=program.id), code=303)
    return render_template("coordinator/program_form.html", form=form, program=None)


@bp.route("/programs/<int:program_id>")
@roles("coordinator")
def program(program_id: int):
    program = coordinated_program(program_id)
    return render_template(
        "coordinator/program.html",
        program=program,
        counts=programs.member_counts(program),
        mentors=programs.members(program, "mentor"),
        mentees=programs.members(program, "mentee"),
        invite_form=InviteCoordinatorForm(),
        failed_mail=outbox.mail_counts(program.id)["failed"],
        setup=program_setup.checklist(program),
        coordinators=programs_end.coordinators_of(program),
    )


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
@roles("coordinator")
def edit_program(program_id: int):
    program = coordinated_program(program_id)
    form = ProgramForm(obj=program)
    if submit(form, lambda: programs.update_program(program, **_program_fields(form))):
        flash(_("Program saved."), "success")
        return redirect(url_for(".program", program_id=program.id), code=303)
    return render_template("coordinator/program_form.html", form=form, program=program)


@bp.route("/programs/<int:program_id>/coordinators", methods=["POST"])
@roles("coordinator")
def invite_coordinator(program_id: int):
    program = coordinated_program(program_id)
    form = InviteCoordinatorForm()
    if form.validate_on_submit():
        invitation = programs.invite_coordinator(current_user, form.email.data, program)
        link = links.link("auth.accept_coordinator_invite", token=invitation.token)
        flash(_("Invitation created for %(email)s. Send them this link: %(link)s", email=invitation.email, link=link), "success")
    else:
        flash(_("Enter a valid email address to invite a coordinator."), "error")
    return redirect(url_for(".program", program_id=program.id), code=303)


def _program_fields(form: ProgramForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data or "",
        "offers_rounds": form.offers_rounds.data,
        "offers_micro": form.offers_micro.data,
        "requires_mentor_approval": form.requires_mentor_approval.data,
        "requires_sso": form.requires_sso.data,
        "allows_both_sides": form.allows_both_sides.data,
        "inactive_weeks": form.inactive_weeks.data,
    }

