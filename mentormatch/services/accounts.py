from sqlalchemy import func

from ..extensions import db
from ..models import Program, User
from ..security import burn_verify_time, hash_password, password_problem, verify_password
from . import ServiceError, notify, programs


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(func.lower(User.email) == normalize_email(email)))


def create_user(*, email: str, name: str, password: str, role: str, commit: bool = True) -> User:
    if role not in {"mentee", "mentor", "coordinator"}:
        raise ServiceError("Choose mentee or mentor.", "role")
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise ServiceError(problem, "password")
    if find_by_email(email):
        raise ServiceError("An account with this email already exists. Log in instead.", "email")
    user = User(email=normalize_email(email), name=name.strip(), role=role, password_hash=hash_password(password))
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


def sign_up(*, email: str, name: str, password: str, role: str, program: Program | None = None) -> User:
    """A new account, joined to the invite's program if there is one: one transaction."""
    user = create_user(email=email, name=name, password=password, role=role, commit=False)
    if program is not None:
        programs.join(user, program, role, commit=False)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        burn_verify_time(password)
        return None
    return user if verify_password(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError("This is not your current password.", "current_password")
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ServiceError(problem, "new_password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    db.session.commit()


# Password reset: a signed link bound to the account and to its current password hash, so it
# stops working once used (the hash changes) and after RESET_MAX_AGE.
RESET_SALT = "password-reset"
RESET_MAX_AGE = 7 * 24 * 3600  # long enough for an invitation email read a few days later


def _reset_serializer():
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _hash_fingerprint(user: User) -> str:
    import hashlib

    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def password_reset_url(user: User) -> str:
    token = _reset_serializer().dumps({"u": user.id, "h": _hash_fingerprint(user)})
    return notify.link("auth.reset_password", token=token)


def user_for_reset_token(token: str) -> User | None:
    from itsdangerous import BadSignature

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
        notify.send(user.email, "Set your MentorMatch password",
                    f"Hello {user.name},\n\nOpen this link to choose a new password (valid for 7 days, once):\n"
                    f"{password_reset_url(user)}\n\nIf you did not ask for this, ignore this email.\n")
        db.session.commit()


def set_password(user: User, new: str) -> None:
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ServiceError(problem, "password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    db.session.commit()
