from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import public
from ..forms import attempt
from ..services import probes, programs
from . import bp
from .forms import JoinForm


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for(f"{programs.home_side(current_user)}.home"))
    return render_template("public/index.html")


@bp.route("/join/<token>", methods=["GET", "POST"])
@public
def join(token: str):
    invited = programs.program_for_invite(token)
    if invited is None:
        return render_template("error.html", code=404, title=_("Invitation not found"),
                               message=_("This invite link is not valid. Ask your coordinator for a new one.")), 404
    program, role = invited
    if not current_user.is_authenticated:
        return render_template("public/join.html", program=program, role=role, token=token, form=None)
    form = JoinForm()
    if form.validate_on_submit() and attempt(lambda: programs.join(current_user, program, role),
                                             _("You joined %(program)s.", program=program.name)):
        return redirect(url_for(f"{role}.home"), code=303)
    return render_template("public/join.html", program=program, role=role, token=token, form=form)


@bp.route("/healthz")
@public
def healthz():
    return probes.report()
