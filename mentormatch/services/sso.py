"""Single sign-on: accounts at OpenID providers, (issuer, subject), linked to users.

What the provider says is trusted only after the web layer has checked the ID token (signature
against the provider's JWKS, iss, aud, exp, nonce) and that the email is verified. Even then an
existing account is never taken over by email match alone: the person proves it is theirs by being
signed in already, or through a link mailed to the account's address (`request_link`).
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from ..core import emails, links, outbox
from ..extensions import db
from ..models import LinkedIdentity, Membership, Program, User
from . import ServiceError, programs
from .accounts import checked_name, find_by_email, unusable_password_hash

LINK_SALT = "sso-link"
LINK_MAX_AGE = 24 * 3600


def user_for(issuer: str, subject: str) -> User | None:
    return db.session.scalar(db.select(User).join(LinkedIdentity).where(LinkedIdentity.issuer == issuer,
                                                                        LinkedIdentity.subject == subject))


def link(user: User, issuer: str, subject: str) -> None:
    """Link the provider account to `user`; refused if it already signs someone else in (the
    unique (issuer, subject) decides a race)."""
    owner = user_for(issuer, subject)
    if owner is not None:
        if owner.id != user.id:
            raise ServiceError(_("This sign-in is already linked to another MentorMatch account."))
        return
    db.session.add(LinkedIdentity(issuer=issuer, subject=subject, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("This sign-in is already linked to another MentorMatch account.")) from None


def account_for_email(email: str) -> User | None:
    return find_by_email(email)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def request_link(user: User, *, provider_label: str, issuer: str, subject: str) -> None:
    """Mail the account's own address a link that, opened and confirmed, links the provider account."""
    token = _serializer().dumps({"u": user.id, "i": issuer, "s": subject, "l": provider_label})
    outbox.send(user, "sso_link", name=user.name, provider=provider_label,
                link_url=links.link("auth.sso_link", token=token))
    db.session.commit()


def pending_link(token: str) -> tuple[User, dict] | None:
    """The user and provider account a mailed link is for, or None if forged or expired."""
    try:
        data = _serializer().loads(token, max_age=LINK_MAX_AGE)
    except BadSignature:  # includes SignatureExpired
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    return (user, data) if user is not None else None


def create_account(*, email: str, name: str, role: str, issuer: str, subject: str,
                   invite: str | None) -> tuple[User, Program | None]:
    """A new account that signs in through the provider only (no usable password), joined to the
    invite's program when it has one; the invite decides the role."""
    invited = programs.program_for_invite(invite) if invite else None
    if invited:
        role = invited[1]
    if role not in {"mentee", "mentor"}:
        raise ServiceError(_("Choose mentee or mentor."), "role")
    email = emails.checked(email)
    if find_by_email(email) is not None:
        raise ServiceError(_("An account with this email exists already. Log in to it first, then link this sign-in."))
    user = User(email=email, name=checked_name(name), role=role, password_hash=unusable_password_hash())
    db.session.add(user)
    try:
        db.session.flush()
        db.session.add(LinkedIdentity(issuer=issuer, subject=subject, user_id=user.id))
        if invited:
            programs.join(user, invited[0], role, commit=False)
        db.session.commit()
    except IntegrityError:  # the same sign-in finished twice at once: one account
        db.session.rollback()
        raise ServiceError(_("This sign-in has an account already. Sign in again.")) from None
    return user, invited[0] if invited else None


def program_requiring_sso(user: User) -> Program | None:
    """A program of this mentee or mentor that requires SSO: their local password does not sign them
    in. Coordinators are never held to it, so a broken provider cannot lock out the people who fix
    the settings."""
    if user.role == "coordinator":
        return None
    return db.session.scalar(db.select(Program).join(Membership).where(Membership.user_id == user.id,
                                                                       Program.requires_sso.is_(True)).limit(1))
