from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..access import logged_in, public
from ..extensions import db, limiter, login_manager
from ..models import User
from ..forms import submit
from ..security import is_safe_next
from ..services import accounts, programs
from .forms import (ChangePasswordForm, CoordinatorInviteAcceptForm, LoginForm, ResetPasswordForm, ResetRequestForm,
                    SignupForm)

bp = Blueprint("auth", __name__)


def _start_session(user) -> None:
    # A fresh session on login: nothing planted before login survives it.
    session.clear()
    login_user(user)


def _home_for(user) -> str:
    return url_for(f"{user.role}.home")


@bp.route("/signup", methods=["GET", "POST"])
@public
def signup():
    form = SignupForm(invite=request.args.get("invite", ""))
    invited = programs.program_for_invite(form.invite.data) if form.invite.data else None
    if invited and request.method == "GET":
        form.role.data = invited[1]
    if done := submit(form, lambda: accounts.sign_up(email=form.email.data, name=form.name.data, password=form.password.data,
                                                     role=invited[1] if invited else form.role.data,
                                                     program=invited[0] if invited else None)):
        user = done.value
        _start_session(user)
        flash(f"Welcome, {user.name}!" + (f" You joined {invited[0].name}." if invited else ""), "success")
        return redirect(_home_for(user), code=303)
    return render_template("auth/signup.html", form=form, invited=invited)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append("Email or password is incorrect.")
        else:
            _start_session(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else _home_for(user), code=303)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("public.index"), code=303)


@bp.route("/password", methods=["GET", "POST"])
@logged_in
def change_password():
    form = ChangePasswordForm()
    if submit(form, lambda: accounts.change_password(current_user, form.current_password.data, form.new_password.data)):
        _start_session(current_user._get_current_object())
        flash("Password changed. Other sessions are signed out.", "success")
        return redirect(_home_for(current_user), code=303)
    return render_template("auth/password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.send_password_reset(form.email.data)
        flash("If an account exists for that email, we sent it a link to set a new password.", "info")
        return redirect(url_for(".login"), code=303)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = accounts.user_for_reset_token(token)
    if user is None:
        return render_template("error.html", code=404, title="Link not valid",
                               message="This link was used already, has expired, or is incomplete. "
                                       "Ask for a new one from the login page."), 404
    form = ResetPasswordForm()
    if submit(form, lambda: accounts.set_password(user, form.password.data)):
        _start_session(user)
        flash("Your password is set. Welcome!", "success")
        return redirect(_home_for(user), code=303)
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.route("/coordinator-invite/<token>", methods=["GET", "POST"])
@public
def accept_coordinator_invite(token: str):
    invitation = programs.open_invitation(token)
    if invitation is None:
        return render_template("error.html", code=404, title="Invitation not found",
                               message="This invitation was used already or does not exist."), 404
    form = CoordinatorInviteAcceptForm()
    if done := submit(form, lambda: programs.accept_coordinator_invitation(invitation, name=form.name.data, password=form.password.data)):
        user = done.value
        _start_session(user)
        flash("Welcome! Your coordinator account is ready.", "success")
        return redirect(url_for("coordinator.home"), code=303)
    return render_template("auth/coordinator_invite.html", form=form, invitation=invitation)


@login_manager.user_loader
def load_user(session_id: str):
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and str(user.session_version) == version else None
