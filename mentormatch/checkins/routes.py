"""Check-ins: both sides answer two questions; coordinators read the results per program."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import coordinated_program, own_checkin, roles
from ..forms import submit
from ..services import checkins
from . import bp
from .forms import CheckInForm


@bp.route("/<int:checkin_id>", methods=["GET", "POST"])
@roles("mentee", "mentor")
def answer(checkin_id: int):
    checkin = own_checkin(checkin_id)
    form = CheckInForm()
    if checkin.answered_at is None and submit(form, lambda: checkins.answer(checkin, current_user, form.score.data,
                                                                              form.comment.data)):
        flash(_("Thank you. Your coordinator reads every check-in."), "success")
        return redirect(url_for(f"{checkin.membership.role}.home"), code=303)
    pairing = checkin.pairing
    other = pairing.mentor if checkin.membership_id == pairing.mentee_membership_id else pairing.mentee
    return render_template("checkins/answer.html", checkin=checkin, form=form, other=other)


@bp.route("/programs/<int:program_id>")
@roles("coordinator")
def program(program_id: int):
    program = coordinated_program(program_id)
    return render_template("checkins/program.html", program=program, results=checkins.program_results(program),
                           low=checkins.LOW)
