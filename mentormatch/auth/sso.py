"""Sign-in through OpenID Connect providers (Authlib's Flask client): the authorization code flow
with PKCE (S256), state and nonce; the ID token's signature checked against the provider's JWKS and
its iss, aud, exp (on the app's clock) and nonce verified; the email must be verified.

Each app gets its own Authlib registry (tests build many apps against different providers). What a
callback decides is in services/sso.py; docs/security.md has the threat model.
"""
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from authlib.oidc.core import CodeIDToken
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError
from requests import RequestException

from ..access import public
from ..core import clock, links
from ..core.security import is_safe_next
from ..forms import submit
from ..services import ServiceError, programs
from ..services import sso as accounts_sso
from . import bp
from .forms import SsoFinishForm
from .sessions import start_session

# Session keys: what the person asked for before leaving for the provider, the verified sign-in
# waiting for a name (and role), and what RP-initiated logout needs.
INTENT, NEW_ACCOUNT, LOGOUT = "sso_intent", "sso_new_account", "sso_logout"
# Seconds of clock difference tolerated between the provider and the app for exp/iat.
LEEWAY = 60


class ClockedIDToken(CodeIDToken):
    """The ID token's time claims checked on the app's clock (core/clock), like everything else."""

    def validate(self, now=None, leeway=0):
        super().validate(now=int(clock.now().timestamp()), leeway=leeway)


@bp.record_once
def _register_providers(state) -> None:
    register_providers(state.app)


def register_providers(app) -> None:
    """(Re)build the app's provider registry from app.config["OIDC_PROVIDERS"] (as config.finalize
    checked it): at start-up, and in tests that learn a provider's address after making the app."""
    registry = OAuth(app)
    for name, provider in app.config.get("OIDC_PROVIDERS", {}).items():
        registry.register(name, server_metadata_url=provider["discovery_url"], client_id=provider["client_id"],
                          client_secret=provider["client_secret"],
                          client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                                         "timeout": 10})
    app.extensions["mentormatch_oidc"] = registry


def providers() -> dict:
    return current_app.config.get("OIDC_PROVIDERS", {})


def _client(name: str):
    if name not in providers():
        abort(404)
    return current_app.extensions["mentormatch_oidc"].create_client(name)


def _failed(message: str, code: int = 400):
    return render_template("error.html", code=code, title=_("Sign-in did not work"),
                           message=message + " " + _("Nothing was changed. Try again from the login page.")), code


@bp.route("/sso/<provider>/start")
@public
def sso_start(provider: str):
    client = _client(provider)
    invite = request.args.get("invite", "")
    invite = invite if invite and programs.program_for_invite(invite) else ""
    if invite and current_user.is_authenticated:
        # Already signed in: the same account joins on the invite's side, as with a password signup.
        return redirect(url_for("public.join", token=invite), code=303)
    target = request.args.get("next")
    session[INTENT] = {"invite": invite, "next": target if is_safe_next(target) else ""}
    try:
        return client.authorize_redirect(links.link("auth.sso_callback", provider=provider))
    except (OAuthError, RequestException, ValueError):
        current_app.logger.exception("OIDC provider %s: discovery failed", provider)
        return _failed(_("%(provider)s cannot be reached right now.", provider=providers()[provider]["label"]), 502)


@bp.route("/sso/<provider>/callback")
@public
def sso_callback(provider: str):
    client = _client(provider)
    label = providers()[provider]["label"]
    if not request.args.get("state") or not (request.args.get("code") or request.args.get("error")):
        return _failed(_("The answer from the identity provider is incomplete."))
    try:
        token = client.authorize_access_token(claims_cls=ClockedIDToken, leeway=LEEWAY)
    except (OAuthError, JoseError, RequestException, ValueError) as error:
        # Wrong or replayed state, a refused (e.g. replayed) code, a bad signature, wrong iss/aud,
        # an expired token, a wrong nonce: all end here, before anything is read from the token.
        current_app.logger.warning("OIDC sign-in with %s refused: %r", provider, error)
        return _failed(_("The sign-in with %(provider)s could not be verified.", provider=label))
    claims = token.get("userinfo")
    if not claims or not claims.get("sub") or not claims.get("iss"):
        return _failed(_("%(provider)s did not send a verifiable ID token.", provider=label))
    if "email" not in claims:
        # Providers may keep the email out of the ID token (OIDC Core 5.4): ask the UserInfo
        # endpoint with the access token, and take it only for the same subject (Core 5.3.2).
        try:
            extra = client.userinfo(token=token)
        except (OAuthError, RequestException, ValueError):
            return _failed(_("%(provider)s did not tell us your email address.", provider=label), 502)
        if extra.get("sub") != claims["sub"]:
            return _failed(_("%(provider)s answered for someone else.", provider=label))
        claims = {**extra, **claims, "email": extra.get("email"), "email_verified": extra.get("email_verified")}
    if claims.get("email_verified") is not True or not claims.get("email"):
        return _failed(_("%(provider)s has not verified your email address, so it cannot sign you in here.", provider=label),
                       403)
    intent = session.pop(INTENT, None) or {}
    issuer, subject, email = claims["iss"], claims["sub"], claims["email"]
    user = accounts_sso.user_for(issuer, subject)
    if user is None and current_user.is_authenticated:
        # Proof by session: the person is signed in to the account they link.
        try:
            accounts_sso.link(current_user, issuer, subject)
        except ServiceError as error:
            return _failed(str(error), 409)
        user = current_user._get_current_object()
        flash(_("You can now sign in with %(provider)s.", provider=label), "success")
    elif user is None:
        owner = accounts_sso.account_for_email(email)
        if owner is not None:
            # Never by email match alone: the owner of the address confirms through the mail.
            accounts_sso.request_link(owner, provider_label=label, issuer=issuer, subject=subject)
            return render_template("auth/sso_check_inbox.html", provider=label)
        session[NEW_ACCOUNT] = {"provider": provider, "issuer": issuer, "subject": subject, "email": email,
                                "name": claims.get("name") or "", "invite": intent.get("invite", ""),
                                "id_token": token.get("id_token") or ""}
        return redirect(url_for(".sso_finish"), code=303)
    _signed_in(user, provider, token)
    if intent.get("invite") and programs.program_for_invite(intent["invite"]):
        # An account that exists signed in through an invite: it joins after the join page's confirm step.
        return redirect(url_for("public.join", token=intent["invite"]), code=303)
    target = intent.get("next")
    return redirect(target if is_safe_next(target) else url_for(f"{programs.home_side(user)}.home"), code=303)


def _signed_in(user, provider: str, token: dict) -> None:
    start_session(user)
    if token.get("id_token"):
        session[LOGOUT] = {"provider": provider, "id_token": token["id_token"]}


@bp.route("/sso/finish", methods=["GET", "POST"])
@public
def sso_finish():
    pending = session.get(NEW_ACCOUNT)
    if not pending:
        return _failed(_("There is no sign-in waiting to be finished."), 404)
    invited = programs.program_for_invite(pending["invite"]) if pending["invite"] else None
    form = SsoFinishForm(name=pending["name"], role=invited[1] if invited else None)
    if done := submit(form, lambda: accounts_sso.create_account(
            email=pending["email"], name=form.name.data, role=form.role.data, issuer=pending["issuer"],
            subject=pending["subject"], invite=pending["invite"] or None)):
        user, program = done.value
        _signed_in(user, pending["provider"], {"id_token": pending["id_token"]})
        flash(_("Welcome, %(name)s!", name=user.name) + (" " + _("You joined %(program)s.", program=program.name) if program else ""),
              "success")
        return redirect(url_for(f"{programs.home_side(user)}.home"), code=303)
    return render_template("auth/sso_finish.html", form=form, pending=pending, invited=invited,
                           provider=providers().get(pending["provider"], {}).get("label", ""))


@bp.route("/sso/link/<token>", methods=["GET", "POST"])
@public
def sso_link(token: str):
    found = accounts_sso.pending_link(token)
    if found is None:
        return render_template("error.html", code=404, title=_("Link not valid"),
                               message=_("This link has expired or is incomplete. Sign in with your provider again "
                                         "for a new one.")), 404
    user, data = found
    # A POST confirms: mail scanners open links too, and must not link anything.
    if request.method == "POST":
        try:
            accounts_sso.link(user, data["i"], data["s"])
        except ServiceError as error:
            return _failed(str(error), 409)
        start_session(user)
        flash(_("Linked. You can now sign in with %(provider)s.", provider=data["l"]), "success")
        return redirect(url_for(f"{programs.home_side(user)}.home"), code=303)
    return render_template("auth/sso_link.html", user=user, provider=data["l"])


def logout_redirect(logout: dict | None):
    """The provider's end-session redirect (RP-initiated logout) for a session that signed in
    through it, or None when there is none or the provider does not offer it."""
    if not logout or logout.get("provider") not in providers():
        return None
    client = _client(logout["provider"])
    try:
        endpoint = client.load_server_metadata().get("end_session_endpoint")
    except (OAuthError, RequestException, ValueError):
        return None
    if not endpoint:
        return None
    return client.logout_redirect(post_logout_redirect_uri=links.link("public.index"),
                                  id_token_hint=logout["id_token"], client_id=client.client_id)
