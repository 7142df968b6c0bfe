"""An invited person accepts or declines joining a program. Only the invited account, logged in,
sees its invitation; for anyone else the link is a 404."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import logged_in, own_program_invitation
from ..forms import attempt
from ..services import invitations
from ..services.people import vocabulary
from . import bp
from .forms import AnswerForm


@bp.route("/<token>", methods=["GET", "POST"])
@logged_in
def answer(token: str):
    invitation = own_program_invitation(token)
    form = AnswerForm()
    if form.validate_on_submit():
        program = invitation.program
        if request.form.get("answer") == "decline":
            invitations.decline(invitation)
            flash(_("You declined to join %(program)s.", program=program.name), "success")
            return redirect(url_for("public.index"), code=303)
        if attempt(lambda: invitations.accept(invitation, current_user),
                   _("You joined %(program)s. Check your profile there, so that your matches fit you.",
                     program=program.name)):
            return redirect(url_for("public.index"), code=303)
    names = vocabulary.term_names(invitation.program_id)
    return render_template("invitations/answer.html", invitation=invitation, form=form,
                           topics=[names[i] for i in invitation.profile.get("topics", []) if i in names])
