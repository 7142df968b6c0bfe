import hashlib
import json
import secrets

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..core import emails, links, outbox
from ..core.security import burn_verify_time, hash_password, password_problem, verify_password
from ..extensions import db
from ..models import Invitation, Program, ProgramCoordinator, User, clean_name, utcnow
from . import ServiceError, login_sessions, programs

normalize_email = emails.normalize


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(func.lower(User.email) == normalize_email(email)))


ROLES = ("mentee", "mentor", "coordinator")


def checked_name(name: str) -> str:
    """A person's name as stored (User's validator cleans it the same way), or ServiceError if
    nothing is left: the forms and the CSV import share this rule."""
    name = clean_name(name or "")
    if not name:
        raise ServiceError(_("Enter your name."), "name")
    return name


def unusable_password_hash() -> str:
    """A password hash nothing verifies against (no hash scheme starts with "!"): an account made
    for someone else (the CSV import) has no password until its owner chooses one through a
    reset link. A cheap random marker, not an Argon2 hash per imported row."""
    return "!" + secrets.token_urlsafe(32)


def create_user(*, email: str, name: str, password: str, role: str, commit: bool = True) -> User:
    if role not in ROLES:
        raise ServiceError(_("Choose mentee or mentor."), "role")
    email = emails.checked(email)
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise ServiceError(problem, "password")
    if find_by_email(email):
        raise ServiceError(_("An account with this email already exists. Log in instead."), "email")
    user = User(email=email, name=checked_name(name), role=role, password_hash=hash_password(password))
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


def accept_coordinator_invitation(invitation: Invitation, *, name: str, password: str) -> User:
    """The coordinator account an invitation (programs.invite_coordinator) asked for, one of the
    invitation's program's coordinators if it names one; the invitation is used up."""
    user = create_user(email=invitation.email, name=name, password=password, role="coordinator", commit=False)
    if invitation.program is not None:
        invitation.program.coordinators.append(ProgramCoordinator(user=user))
    invitation.used_at = utcnow()
    db.session.commit()
    return user


# Sign-up answers "check your inbox" whether or not the address has an account, so the form
# cannot be used to find out who is registered. A new address gets a signed, expiring link that
# carries only the address, role and invite; the name and the password are chosen on the link's
# page. So the link holds no password material, and whoever typed the address into the form (maybe
# not its owner) never knows the password of the account the owner creates. A known address gets
# a note with login and reset links instead.
SIGNUP_SALT = "sign-up"
SIGNUP_MAX_AGE = 3 * 24 * 3600


def _signup_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SIGNUP_SALT)


def request_sign_up(*, email: str, role: str, invite: str | None = None) -> None:
    """Mail the address either a link that finishes the account or a note that it has one."""
    if role not in {"mentee", "mentor"}:
        raise ServiceError(_("Choose mentee or mentor."), "role")
    email = emails.checked(email)
    owner = find_by_email(email)
    joining = programs.program_for_invite(invite) if invite else None
    program_name = joining[0].name if joining else None
    if owner is None:
        token = _signup_serializer().dumps({"e": email, "r": role, "i": invite or ""})
        outbox.send(email, "signup_finish", program_name=program_name,
                    finish_url=links.link("auth.finish_signup", token=token))
    else:
        outbox.send(owner, "signup_account_exists", name=owner.name, program_name=program_name,
                    login_url=links.link("auth.login"),
                    join_url=links.link("public.join", token=invite) if joining else None,
                    reset_url=password_reset_url(owner))
    db.session.commit()


def pending_sign_up(token: str) -> dict | None:
    """What a sign-up link asks for, or None if it is forged, expired, or already used."""
    try:
        data = _signup_serializer().loads(token, max_age=SIGNUP_MAX_AGE)
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or find_by_email(data.get("e", "")) is not None:
        return None
    if data.get("r") not in {"mentee", "mentor"} or not isinstance(data.get("i", ""), str):
        return None
    return data


def finish_sign_up(pending: dict, *, name: str, password: str) -> tuple[User, Program | None]:
    """The account a sign-up link asked for, with the name and password chosen on its page, joined
    to the invite's program if it still exists."""
    name = checked_name(name)
    problem = password_problem(password, email=pending["e"], name=name)
    if problem:
        raise ServiceError(problem, "password")
    invited = programs.program_for_invite(pending["i"]) if pending.get("i") else None
    program = invited[0] if invited and invited[1] == pending["r"] else None
    try:
        user = User(email=pending["e"], name=name, role=pending["r"], password_hash=hash_password(password))
        db.session.add(user)
        if program is not None:
            programs.join(user, program, user.role, commit=False)
        db.session.commit()
    except IntegrityError:  # the same link opened twice at once: one account, the other is refused
        db.session.rollback()
        raise ServiceError(_("This link was used already. Log in instead.")) from None
    return user, program


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        burn_verify_time(password)
        return None
    return user if verify_password(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("This is not your current password."), "current_password")
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ServiceError(problem, "new_password")
    user.password_hash = hash_password(new)
    login_sessions.end_all(user, commit=False)  # the caller starts a fresh one for this browser
    db.session.commit()


# Password reset: a signed link bound to the account and to its current password hash, so it
# stops working once used (the hash changes) and after RESET_MAX_AGE.
RESET_SALT = "password-reset"
RESET_MAX_AGE = 7 * 24 * 3600  # long enough for an invitation email read a few days later


def _reset_serializer() -> URLSafeTimedSerializer:
    # hashlib.sha1 itself is itsdangerous's default algorithm (same tokens), but as OpenSSL's
    # function hmac takes its C path; the default's lazy wrapper sends hmac to pure Python.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT,
                                  signer_kwargs={"digest_method": hashlib.sha1})


def _hash_fingerprint(user: User) -> str:
    return _fingerprint(user.password_hash)


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def password_reset_url(user: User) -> str:
    return password_reset_urls([(user.id, user.password_hash)])[0]


def password_reset_urls(accounts: list[tuple[int, str]]) -> list[str]:
    """The reset link of each (user id, password hash), as user_for_reset_token reads them.

    In bulk for imports: one signer and one URL for all, and the payload encoded without the
    serializer's zlib attempt (which never wins on a payload this small); each link is still
    signed on its own, bound to its account and to its hash."""
    serializer = _reset_serializer()
    signer = serializer.make_signer(serializer.salt)
    tokens = [signer.sign(base64_encode(json.dumps({"u": user_id, "h": _fingerprint(password_hash)},
                                                   separators=(",", ":")))).decode()
              for user_id, password_hash in accounts]
    return links.links("auth.reset_password", "token", tokens)


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE)
    except BadSignature:  # includes SignatureExpired
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    return user if user is not None and data.get("h") == _hash_fingerprint(user) else None


def send_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way (no account probing)."""
    user = find_by_email(email)
    if user is not None:
        outbox.send(user, "password_reset", name=user.name, reset_url=password_reset_url(user))
        db.session.commit()


def set_password(user: User, new: str) -> None:
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ServiceError(problem, "password")
    user.password_hash = hash_password(new)
    login_sessions.end_all(user, commit=False)  # the caller starts a fresh one for this browser
    db.session.commit()
