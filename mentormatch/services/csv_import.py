"""Import mentors and mentees from a CSV (a Google Form or spreadsheet export).

Two steps: `preview()` reads and checks every row and says what is wrong in words; `apply()`
re-checks and writes everything in one transaction, or nothing if any row is wrong.
"""
from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from zoneinfo import available_timezones

from sqlalchemy import func

from ..extensions import db
from ..models import GoalForm, Membership, MentorProfile, PREFERENCES, Program, Term, User
from . import ServiceError, emails, notify

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
ALIASES = {
    "name": ("name", "full_name", "your_name", "full_name_"),
    "email": ("email", "email_address", "e_mail"),
    "role": ("role", "i_am_a", "i_want_to_be_a", "type", "joining_as"),
    "topics": ("topics", "expertise", "interests", "skills"),
    "years": ("years", "years_of_experience", "experience", "experience_years"),
    "languages": ("languages", "language", "spoken_languages"),
    "timezone": ("time_zone", "timezone", "tz"),
    "industry": ("industry", "sector"),
    "groups": ("groups", "affinity_groups", "tags", "communities"),
    "capacity": ("capacity", "mentees_per_round", "how_many_mentees"),
    "preference": ("preference", "mentor_preference", "looking_for"),
    "goal": ("goal", "near_term_goal", "goals"),
}
REQUIRED = ("name", "email", "role")
SPLIT = re.compile(r"[;,|]")


@dataclass
class Row:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[Row]
    columns: list[str]
    unknown_columns: list[str]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (header or "").strip().lower()).strip("_")


def _split(text: str) -> list[str]:
    return [p.strip() for p in SPLIT.split(text or "") if p.strip()]


_ZONES: set[str] | None = None


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


def preview(program: Program, text: str) -> Preview:
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        raise ServiceError("The file is larger than 5 MB; split it into parts.", "file")
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ServiceError("The file is empty.", "file") from None
    except csv.Error as exc:
        raise ServiceError(f"This does not read as CSV: {exc}.", "file") from None
    mapping, unknown = {}, []
    for i, h in enumerate(header):
        k = _key(h)
        target = next((name for name, al in ALIASES.items() if k in al), None)
        if target and target not in mapping.values():
            mapping[i] = target
        elif h.strip():
            unknown.append(h.strip())
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise ServiceError("The file needs these columns: " + ", ".join(missing) + ". The first row must name the columns.", "file")
    rows, seen = [], {}
    existing = {e: r for e, r in db.session.execute(db.select(func.lower(User.email), User.role))}
    try:
        for n, raw in enumerate(reader, start=2):
            if not any(c.strip() for c in raw):
                continue
            if len(rows) >= MAX_ROWS:
                raise ServiceError(f"At most {MAX_ROWS} people per file.", "file")
            values = {name: (raw[i].strip() if i < len(raw) else "") for i, name in mapping.items()}
            rows.append(_check(Row(n, values), seen, existing))
    except csv.Error as exc:
        raise ServiceError(f"Line {reader.line_num} does not read as CSV: {exc}.", "file") from None
    if not rows:
        raise ServiceError("The file has a header but no people.", "file")
    return Preview(rows, list(mapping.values()), unknown)


def _check(row: Row, seen: dict, existing: dict) -> Row:
    v, err = row.values, row.errors
    v["name"] = v.get("name", "")[:120]
    if not v["name"]:
        err.append("The name is empty.")
    try:
        v["email"] = emails.checked(v.get("email", ""))
    except ServiceError:
        err.append(f"“{v.get('email', '')}” is not an email address.")
    else:
        if v["email"] in seen:
            err.append(f"This email is also on line {seen[v['email']]}.")
        seen.setdefault(v["email"], row.line)
    role = v.get("role", "").lower()
    role = "mentor" if role in ("mentor", "mentors", "i want to mentor") else "mentee" if role in ("mentee", "mentees", "i want a mentor") else role
    v["role"] = role
    if role not in ("mentor", "mentee"):
        err.append(f"Role must be mentor or mentee, not “{v.get('role', '')}”.")
    elif v.get("email") in existing and existing[v["email"]] != role:
        err.append(f"This email already has a {existing[v['email']]} account.")
    years = v.get("years", "") or "0"
    try:
        v["years"] = int(float(years))
        if not 0 <= v["years"] <= 60:
            raise ValueError
    except ValueError:
        err.append(f"Years must be a number from 0 to 60, not “{years}”.")
    cap = v.get("capacity", "") or "2"
    try:
        v["capacity"] = int(cap)
        if not 0 <= v["capacity"] <= 20:
            raise ValueError
    except ValueError:
        err.append(f"Capacity must be a whole number from 0 to 20, not “{cap}”.")
    v["languages"] = [x.lower() for x in _split(v.get("languages", ""))] or ["en"]
    bad = [x for x in v["languages"] if not re.fullmatch(r"[a-z]{2}", x)]
    if bad:
        err.append("Languages are two-letter codes such as en, es, pt; not " + ", ".join(f"“{b}”" for b in bad) + ".")
    tz = v.get("timezone", "") or "UTC"
    if tz not in _zones():
        err.append(f"“{tz}” is not a time zone name such as Europe/Lisbon or America/Sao_Paulo.")
    v["timezone"] = tz
    pref = (v.get("preference", "") or "ahead").lower()
    if pref not in PREFERENCES:
        err.append(f"Preference must be peer, ahead or senior, not “{pref}”.")
    v["preference"] = pref
    v["topics"], v["groups"] = _split(v.get("topics", ""))[:20], _split(v.get("groups", ""))[:20]
    if any(len(t) > 80 for t in v["topics"] + v["groups"]):
        err.append("A topic or group is longer than 80 characters.")
    v["industry"] = v.get("industry", "")[:80]
    v["goal"] = v.get("goal", "")[:2000]
    return row


def apply(program: Program, text: str, actor: User) -> dict:
    """All or nothing: any bad row and no one is created. Returns counts; emails the new accounts."""
    result = preview(program, text)
    if not result.ok:
        raise ServiceError(f"{result.error_count} row(s) have errors; fix them and upload again. Nothing was imported.", "file")
    terms = {(k, n.lower()): tid for tid, k, n in db.session.execute(
        db.select(Term.id, Term.kind, Term.name).where(Term.program_id == program.id))}

    def term_ids(kind: str, names: list[str]) -> list[int]:
        out = []
        for name in names:
            if (kind, name.lower()) not in terms:
                t = Term(program_id=program.id, kind=kind, name=name)
                db.session.add(t)
                db.session.flush()
                terms[(kind, name.lower())] = t.id
            if terms[(kind, name.lower())] not in out:
                out.append(terms[(kind, name.lower())])
        return out

    users = {u.email.lower(): u for u in db.session.scalars(db.select(User).where(
        func.lower(User.email).in_([r.values["email"] for r in result.rows])))}
    created, joined, invited = 0, 0, []
    for row in result.rows:
        v = row.values
        user = users.get(v["email"])
        if user is None:
            # Unusable until they set one: no hash scheme starts with "!", so nothing verifies.
            user = User(email=v["email"], name=v["name"], role=v["role"], password_hash="!" + secrets.token_urlsafe(32))
            db.session.add(user)
            db.session.flush()
            created += 1
            invited.append(user)
        membership = db.session.scalar(db.select(Membership).where(Membership.program_id == program.id,
                                                                   Membership.user_id == user.id))
        if membership is None:
            membership = Membership(program_id=program.id, user_id=user.id)
            db.session.add(membership)
            db.session.flush()
            joined += 1
        common = dict(years=v["years"], industry=v["industry"], languages=v["languages"], timezone=v["timezone"],
                      topics=term_ids("topic", v["topics"]), groups=term_ids("group", v["groups"]))
        model = MentorProfile if v["role"] == "mentor" else GoalForm
        profile = db.session.scalar(db.select(model).where(model.membership_id == membership.id))
        if profile is None:
            profile = model(membership_id=membership.id)
            db.session.add(profile)
        for k, val in common.items():
            setattr(profile, k, val)
        if v["role"] == "mentor":
            profile.capacity_round = v["capacity"]
        else:
            profile.preference, profile.near_term_goal = v["preference"], v["goal"]
            profile.context_matters = ["industry", "groups"]
    db.session.commit()
    from .accounts import password_reset_url

    for user in invited:
        notify.send(user.email, f"You are invited to {program.name} on MentorMatch",
                    f"Hello {user.name},\n\nThe coordinators of {program.name} added you to MentorMatch.\n"
                    f"Choose your password here (the link works once, for 7 days):\n{password_reset_url(user)}\n\n"
                    "Then check your profile, so that your matches fit you.\n")
    return {"created": created, "joined": joined, "rows": len(result.rows)}
