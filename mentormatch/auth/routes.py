from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..access import logged_in, public
from ..core import emails
from ..core.security import is_safe_next
from ..extensions import limiter, login_manager
from ..forms import submit
from ..services import accounts, login_sessions, programs
from ..services import sso as sso_accounts
from . import bp, sso
from .forms import (
    ChangePasswordForm,
    CoordinatorInviteAcceptForm,
    FinishSignupForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from .sessions import SESSION_TOKEN, end_session, start_session


def _link_not_valid(what_now: str):
    return render_template("error.html", code=404, title=_("Link not valid"),
                           message=_("This link was used already, has expired, or is incomplete.") + " " + what_now), 404


def _home_for(user) -> str:
    return url_for(f"{programs.home_side(user)}.home")


# Three limits: per (account, client address) at the tight rate, per account (the posted email,
# normalized) much higher, and per client address. So failures from other addresses do not lock
# the owner out (the per-account cap only stops a large spread-out guessing run), one person's
# failures do not lock out everyone behind the same address, and rotating accounts or addresses
# does not give unlimited guesses. The client address is REMOTE_ADDR, rewritten by ProxyFix only
# for the configured number of proxy hops (PROXY_HOPS).
def _posted_email() -> str:
    return "email:" + emails.normalize(request.form.get("email", ""))


def _posted_email_from_address() -> str:
    return _posted_email() + " from:" + get_remote_address()


def _failed(response) -> bool:
    return response.status_code != 303


def _limits(setting: str, *, failures_only: bool = False):
    """`setting` per account and address; `setting`_PER_ACCOUNT and `setting`_PER_ADDRESS."""
    deduct = {"deduct_when": _failed} if failures_only else {}

    def decorate(view):
        for suffix, key in (("", _posted_email_from_address), ("_PER_ACCOUNT", _posted_email),
                            ("_PER_ADDRESS", get_remote_address)):
            view = limiter.limit(lambda name=setting + suffix: current_app.config[name], key_func=key,
                                 methods=["POST"], **deduct)(view)
        return view

    return decorate


@bp.route("/signup", methods=["GET", "POST"])
@public
@_limits("SIGNUP_RATE_LIMIT")
def signup():
    form = SignupForm(invite=request.args.get("invite", ""))
    invited = programs.program_for_invite(form.invite.data) if form.invite.data else None
    if invited and current_user.is_authenticated:
        # Already signed in: the same account joins on the invite's side, after the join page's confirm step.
        return redirect(url_for("public.join", token=form.invite.data), code=303)
    if invited and request.method == "GET":
        form.role.data = invited[1]
    if submit(form, lambda: accounts.request_sign_up(email=form.email.data,
                                                     role=invited[1] if invited else form.role.data,
                                                     invite=form.invite.data if invited else None)):
        # The same answer whether or not the address has an account: the mail tells the difference.
        return redirect(url_for(".signup_sent"), code=303)
    return render_template("auth/signup.html", form=form, invited=invited)


@bp.route("/signup/sent")
@public
def signup_sent():
    return render_template("auth/signup_sent.html")


@bp.route("/signup/finish/<token>", methods=["GET", "POST"])
@public
def finish_signup(token: str):
    pending = accounts.pending_sign_up(token)
    if pending is None:
        return _link_not_valid(_("Log in, or sign up again for a new link."))
    # A POST with the name and password chosen here makes the account: mail scanners open links too,
    # and whoever typed the address into the sign-up form must not know the password.
    form = FinishSignupForm()
    if done := submit(form, lambda: accounts.finish_sign_up(pending, name=form.name.data,
                                                            password=form.password.data)):
        user, program = done.value
        start_session(user)
        flash(_("Welcome, %(name)s!", name=user.name) + (" " + _("You joined %(program)s.", program=program.name) if program else ""),
              "success")
        return redirect(_home_for(user), code=303)
    return render_template("auth/signup_finish.html", form=form, pending=pending)


@bp.route("/login", methods=["GET", "POST"])
@public
@_limits("LOGIN_RATE_LIMIT", failures_only=True)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Email or password is incorrect."))
        elif sso.providers() and (program := sso_accounts.program_requiring_sso(user)):
            # Checked after the password, so it tells nothing about an account to someone without it;
            # with no provider configured (any more) the setting locks no one out.
            form.form_errors.append(_("%(program)s signs its members in through single sign-on: use the sign-in "
                                      "button below.", program=program.name))
        else:
            start_session(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else _home_for(user), code=303)
    return render_template("auth/login.html", form=form, providers=sso.providers(),
                           next=request.args.get("next") if is_safe_next(request.args.get("next")) else None)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    provider_logout = session.get(sso.LOGOUT)
    end_session()
    flash(_("You are logged out."), "info")
    # Signed in through a provider that offers RP-initiated logout: end that session there too.
    return sso.logout_redirect(provider_logout) or redirect(url_for("public.index"), code=303)


@bp.route("/logout-everywhere", methods=["POST"])
@logged_in
def logout_everywhere():
    login_sessions.end_all(current_user)  # CSRFProtect has checked the form's token already
    end_session()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("public.index"), code=303)


@bp.route("/password", methods=["GET", "POST"])
@logged_in
def change_password():
    form = ChangePasswordForm()
    if submit(form, lambda: accounts.change_password(current_user, form.current_password.data, form.new_password.data)):
        start_session(current_user._get_current_object())
        flash(_("Password changed. Other sessions are signed out."), "success")
        return redirect(_home_for(current_user), code=303)
    return render_template("auth/password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@public
@_limits("RESET_RATE_LIMIT")
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.send_password_reset(form.email.data)
        flash(_("If an account exists for that email, we sent it a link to set a new password."), "info")
        return redirect(url_for(".login"), code=303)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = accounts.user_for_reset_token(token)
    if user is None:
        return _link_not_valid(_("Ask for a new one from the login page."))
    form = ResetPasswordForm()
    if submit(form, lambda: accounts.set_password(user, form.password.data)):
        start_session(user)
        flash(_("Your password is set. Welcome!"), "success")
        return redirect(_home_for(user), code=303)
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.route("/coordinator-invite/<token>", methods=["GET", "POST"])
@public
def accept_coordinator_invite(token: str):
    invitation = programs.open_invitation(token)
    if invitation is None:
        return render_template("error.html", code=404, title=_("Invitation not found"),
                               message=_("This invitation was used already or does not exist.")), 404
    form = CoordinatorInviteAcceptForm()
    if done := submit(form, lambda: accounts.accept_coordinator_invitation(invitation, name=form.name.data, password=form.password.data)):
        user = done.value
        start_session(user)
        flash(_("Welcome! Your coordinator account is ready."), "success")
        return redirect(url_for("coordinator.home"), code=303)
    return render_template("auth/coordinator_invite.html", form=form, invitation=invitation)


@login_manager.user_loader
def load_user(user_id: str):
    return login_sessions.user_for(user_id, session.get(SESSION_TOKEN))
