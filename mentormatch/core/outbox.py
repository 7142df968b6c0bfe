"""Email through a transactional outbox.

`send()` only adds a row to the caller's session: the caller's commit writes the mail together
with the change that caused it, and a rollback drops both. After a commit that wrote mail,
delivery is kicked by MAIL_DELIVERY: "inline" sends at once in this process (tests, the CLI),
"thread" wakes a sender thread in the web process, "rq" queues a job for the RQ worker. Whatever
the kick, `deliver()` (also `flask deliver-mail` and `flask remind`, from cron) sends everything
that is due, so a lost kick, a dead worker or a mail server that is down delays mail, never loses
it. A message is claimed before it is sent and marked sent right after the server accepts it;
its Message-ID is fixed per row, so the one message a killed sender may repeat is recognisable.
"""
from __future__ import annotations

import contextlib
import re
import smtplib
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.mime.text import MIMEText
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives
from markupsafe import Markup, escape
from sqlalchemy import and_, event, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ..config import LANGUAGES
from ..extensions import db, mail
from ..models import OutboxMessage, User
from . import clock, jobs

BATCH = 200
MAX_BACKOFF = timedelta(hours=6)
_PENDING_KEY = "outbox_pending"


# -- writing mail ------------------------------------------------------------------------------

def one_line(subject: str) -> str:
    """A subject is one header line: line breaks in a name must never reach the headers."""
    return " ".join(subject.split())[:300]


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


_URL = re.compile(r"https?://(?:(?!&lt;|&gt;|&#34;|&#39;)\S)+")  # in escaped text


def render(template: str, *, locale: str | None = None, **context) -> Mail:
    """An email from templates/email/<template>.txt: its first line is "Subject: ...", then a
    blank line, then the plain-text body. The HTML alternative is email/<template>.html where
    the email has its own, else the text laid out by email/_layout.html (links made clickable).
    In the language `locale` (the recipient's); None, or one the site does not ship: the current one."""
    if locale not in LANGUAGES:
        return _render(template, f"email/{template}.html" in _own_html(), context)
    with force_locale(locale):
        return _render(template, f"email/{template}.html" in _own_html(), context)


def language_of(to: str | User) -> str | None:
    """The language the account at `to` (an address, or the account's row) reads in; None when it
    has none, or one the site does not ship (then the current one). A row the caller already has is
    read, not looked up again."""
    if isinstance(to, User):
        if to.locale is not None:
            return to.locale if to.locale in LANGUAGES else None
        to = to.email  # not flushed yet (its default comes on insert), or no language: ask the database
    locale = db.session.scalar(select(User.locale).where(User.email == to))
    return locale if locale in LANGUAGES else None


def _render(template: str, has_html: bool, context: dict) -> Mail:
    head, _, text = _template(f"email/{template}.txt").render(context).partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"email/{template}.txt must start with a 'Subject: ' line")
    subject = one_line(head.removeprefix("Subject: "))
    text = text.strip("\n") + "\n"
    if has_html:
        html = _template(f"email/{template}.html").render(context, subject=subject)
    else:
        paragraphs = _paragraphs(text)
        html = _template("email/_layout.html").render(subject=subject, paragraphs=paragraphs)
    return Mail(subject, text, html)


def _template(name: str):
    # Straight from the Jinja environment, without the request's context processors: an email goes
    # to someone else, so it must not see the sender's session, user or CSRF token (and an import
    # renders 20,000 of them).
    return current_app.jinja_env.get_template(name)


def _own_html() -> set[str]:
    """The emails with an HTML template of their own. Listing the templates costs far more than
    rendering an email (an import mails 20,000), so it is read once per app unless templates reload."""
    env = current_app.jinja_env
    names = current_app.extensions.get("email_html")
    if names is None or env.auto_reload:
        names = current_app.extensions["email_html"] = frozenset(
            name for name in env.list_templates(extensions=["html"]) if name.startswith("email/"))
    return names


def _paragraphs(text: str) -> list[Markup]:
    """Plain text as HTML paragraphs: escaped first (in one pass, since an import lays out 20,000
    emails), then links made clickable and line breaks kept. A link ends where the text had
    whitespace, a quote or an angle bracket."""
    linked = _URL.sub(r'<a href="\g<0>">\g<0></a>', str(escape(text)))
    return [Markup(block.strip("\n").replace("\n", "<br>\n")) for block in linked.split("\n\n") if block.strip()]


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email, e.g. a calendar invitation: content_type may carry parameters
    ("text/calendar; method=REQUEST")."""
    filename: str
    content_type: str
    content: str

    def as_row(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type, "content": self.content}


def send(to: str | User, template: str, *, program_id: int | None = None, reply_to: str | None = None,
         attachments: list[Attachment] | None = None, **context) -> Mail:
    """Queue the email `template` (see render) to one person in the current transaction: call it
    before the commit, which writes the mail together with the change that caused it. In the
    recipient's language: pass their User row when you have it (its locale is read from it, one
    query less an email); an address alone is looked up."""
    address = to.email if isinstance(to, User) else to
    return queue(address, render(template, locale=language_of(to), **context), program_id=program_id,
                 reply_to=reply_to, attachments=attachments)


def queue(to: str, mail_: Mail, *, program_id: int | None = None, reply_to: str | None = None,
          attachments: list[Attachment] | None = None) -> Mail:
    """Queue an email already rendered (send() renders it from its template), before the commit.
    An address under .invalid (an erased account's) can never be delivered: nothing is queued."""
    if to.endswith(".invalid"):
        return mail_
    db.session.add(OutboxMessage(to=to, subject=one_line(mail_.subject), body=mail_.text, html=mail_.html or None,
                                 program_id=program_id, reply_to=reply_to, next_attempt_at=clock.now(),
                                 attachments=[a.as_row() for a in attachments] if attachments else None))
    db.session.info[_PENDING_KEY] = True
    return mail_


def send_many(messages: list[tuple[str, Mail]], *, program_id: int | None = None) -> int:
    """Queue (to, rendered Mail) emails in one multi-row INSERT: a round's approval writes
    thousands, and it must still return at once."""
    if not messages:
        return 0
    now = clock.now()
    # The table, not the ORM entity: a plain executemany, without per-row ORM bookkeeping.
    db.session.execute(insert(OutboxMessage.__table__), [
        {"to": to, "subject": one_line(m.subject), "body": m.text, "html": m.html or None, "program_id": program_id,
         "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now, "last_error": ""}
        for to, m in messages])
    db.session.info[_PENDING_KEY] = True
    return len(messages)


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_check_nothing_left_unsent)


def _check_nothing_left_unsent(_exc) -> None:
    """Mail queued after the last commit would vanish with the session: make that mistake loud."""
    if db.session.info.pop(_PENDING_KEY, False):
        message = "mail was queued after the last commit and is lost: call outbox.send before committing"
        if current_app.testing:
            raise RuntimeError(message)
        current_app.logger.error(message)


# A savepoint's end (begin_nested, e.g. a get-or-create row after mail was queued) is not the
# transaction's: delivery waits for the outer commit, when the mail is there for a sender to read
# (started at a savepoint, an inline sender on SQLite waited out the busy timeout on the writer's
# lock, and the flag was gone for the outer commit unless more mail was queued after it).
@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.in_nested_transaction() and session.info.pop(_PENDING_KEY, False):
        kick(current_app._get_current_object())


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_PENDING_KEY, None)


# -- delivery ----------------------------------------------------------------------------------

def delivery_kind(app: Flask) -> str:
    return app.config.get("MAIL_DELIVERY") or ("rq" if app.config.get("REDIS_URL") else "thread")


def kick(app: Flask) -> None:
    """Start delivering what was just committed, the configured way; never raises."""
    kind = delivery_kind(app)
    try:
        if kind == "inline":
            deliver()
        elif kind == "thread":
            _sender_thread(app).wake()
        elif kind == "rq":
            mail_queue = _mail_queue(app)
            # One job waiting is enough: it sends everything due when it runs (it clears the flag first).
            if mail_queue.connection.set(f"{mail_queue.name}:kicked", 1, nx=True, ex=600):
                jobs.enqueue(mail_queue, deliver_in_worker, 0, result_ttl=0, failure_ttl=24 * 3600)
        # "cron": nothing now; `flask deliver-mail` or `flask remind` sends it
    except Exception:  # noqa: BLE001 - the mail is safe in the outbox; the next sweep sends it
        app.logger.exception("mail delivery (%s) could not start; the outbox keeps the mail", kind)


def _mail_queue(app: Flask):
    """Mail has its own queue, so it never waits behind a long solve or import."""
    return jobs.queue(app, "-mail")


def deliver_in_worker(_unused, _app: Flask) -> None:
    """The RQ job (run by mentormatch.worker inside the app)."""
    from rq import get_current_job

    job = get_current_job()
    job.connection.delete(f"{job.origin}:kicked")  # commits from now on queue a new job
    deliver()


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"mail: {self.sent} sent, {self.retrying} to retry, {self.failed} failed for good"


def deliver(*, batch: int = BATCH) -> Delivery:
    """Send every due message, in claimed batches over one SMTP connection each."""
    report = Delivery()
    with Session(db.engine, expire_on_commit=False) as session:  # no reload of each row after its commit
        while messages := _claim(session, batch):
            if not _send_batch(session, messages, report):
                break  # the server is down: the rest waits for its next attempt
    return report


def _due(now):
    return or_(and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
               and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now))


def _claim(session: Session, size: int) -> list[OutboxMessage]:
    """Take up to `size` due messages for this sender: one conditional UPDATE, so two senders
    never hold the same message (PostgreSQL skips rows another sender is claiming)."""
    now = clock.now()
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    due = select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(size)
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = session.scalars(update(OutboxMessage).where(OutboxMessage.id.in_(due.scalar_subquery()), _due(now))
                          .values(status="sending", claimed_until=now + lease)
                          .returning(OutboxMessage.id)).all()
    session.commit()
    if not ids:
        return []
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))


def _send_batch(session: Session, messages: list[OutboxMessage], report: Delivery) -> bool:
    """Send a claimed batch; False when the server cannot be reached (the batch waits for later).

    A message the server refuses for itself (a 5xx for that recipient, a malformed header) fails
    alone and at once; a passing error retries that message later; neither holds the rest back."""
    app = current_app._get_current_object()
    host = urlsplit(app.config["PUBLIC_URL"]).hostname or "mentormatch"
    connection = None
    for index, message in enumerate(messages):
        if connection is None:
            try:
                connection = mail.get_connection()
                connection.open()
            except Exception as error:  # noqa: BLE001 - unreachable server: every message waits
                app.logger.warning("mail server unreachable, %d messages wait: %s", len(messages) - index, error)
                _close(connection)
                for rest in messages[index:]:
                    _retry_later(session, rest, error, report)
                session.commit()
                return False
        try:
            email = EmailMultiAlternatives(subject=message.subject, body=message.body, to=[message.to],
                                           reply_to=[message.reply_to] if message.reply_to else None,
                                           headers={"Message-ID": f"<outbox-{message.id}@{host}>"},
                                           connection=connection)
            if message.html:
                email.attach_alternative(message.html, "text/html")
            for attachment in message.attachments or ():
                email.attach(_mime_part(attachment))
            email.send()
        except Exception as error:  # noqa: BLE001 - any transport error: this message only, never a 500
            app.logger.warning("could not send mail %s (%r) to %s: %s", message.id, message.subject, message.to, error)
            _close(connection)
            connection = None  # the next message starts on a fresh connection
            _retry_later(session, message, error, report, permanent=_permanent(error))
            session.commit()
            continue
        message.status, message.sent_at, message.claimed_until = "sent", clock.now(), None
        message.attempts += 1
        session.commit()  # one commit per message: a killed sender repeats at most the one in flight
        report.sent += 1
    _close(connection)
    return True


def _mime_part(attachment: dict) -> MIMEText:
    """A stored attachment as a MIME part, its content-type parameters kept (a calendar client
    reads "method=REQUEST" or "method=CANCEL" from the part's header)."""
    kind, *params = (p.strip() for p in attachment["content_type"].split(";"))
    main, _, sub = kind.partition("/")
    if main != "text":
        raise ValueError(f"only text attachments are stored, not {kind}")
    part = MIMEText(attachment["content"], sub, "utf-8")
    for param in params:
        name, _, value = param.partition("=")
        part.set_param(name.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def _permanent(error: Exception) -> bool:
    """The server refused this message for good (5xx), or it cannot be written as an email."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return isinstance(error, ValueError)  # e.g. BadHeaderError, an address that cannot be encoded


def _retry_later(session: Session, message: OutboxMessage, error: Exception, report: Delivery, *,
                 permanent: bool = False) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    message.claimed_until = None
    if permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = "failed"
        report.failed += 1
    else:
        message.status = "pending"
        message.next_attempt_at = clock.now() + min(timedelta(minutes=2 ** max(message.attempts - 1, 0)), MAX_BACKOFF)
        report.retrying += 1


def _close(connection) -> None:
    if connection is not None:
        with contextlib.suppress(Exception):  # a broken connection may fail to close; nothing to do
            connection.close()


class _SenderThread:
    """One sender thread per web process: woken after each commit that wrote mail, and every
    minute to pick up retries that came due."""

    def __init__(self, app: Flask):
        self.app, self.event, self.stopped = app, threading.Event(), False
        self.thread = threading.Thread(target=self._loop, name="mail-sender", daemon=True)
        self.thread.start()

    def wake(self) -> None:
        self.event.set()

    def stop(self) -> None:
        self.stopped = True
        self.event.set()
        self.thread.join(timeout=30)

    def _loop(self) -> None:
        while not self.stopped:
            self.event.wait(timeout=60)
            self.event.clear()
            if self.stopped:
                return
            try:
                with self.app.app_context():
                    deliver()
            except Exception:  # noqa: BLE001 - keep the thread alive; the next pass tries again
                self.app.logger.exception("mail delivery pass failed")


_threads_lock = threading.Lock()


def stop_sender_thread(app: Flask) -> None:
    """For an app that goes away before its process does (tests): its thread must not send for it."""
    sender = app.extensions.pop("mail_sender", None)
    if sender is not None:
        sender.stop()


def _sender_thread(app: Flask) -> _SenderThread:
    with _threads_lock:
        sender = app.extensions.get("mail_sender")
        if sender is None:
            sender = app.extensions["mail_sender"] = _SenderThread(app)
        return sender


# -- what a coordinator sees -------------------------------------------------------------------

def mail_counts(program_id: int) -> dict[str, int]:
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).where(
        OutboxMessage.program_id == program_id).group_by(OutboxMessage.status)).all())
    return {status: counts.get(status, 0) for status in ("pending", "sending", "sent", "failed")}


def undelivered(program_id: int, limit: int = 200) -> list[OutboxMessage]:
    """Messages that failed for good or are being retried, newest first."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.program_id == program_id,
        or_(OutboxMessage.status == "failed", and_(OutboxMessage.status == "pending", OutboxMessage.attempts > 0)))
        .order_by(OutboxMessage.id.desc()).limit(limit)))


def retry_failed(program_id: int, message_id: int | None = None) -> int:
    """Give failed messages of this program a fresh set of attempts, now; without a message id,
    the ones waiting for their next attempt go now too (the server is back: no need to wait)."""
    query = update(OutboxMessage).where(OutboxMessage.program_id == program_id)
    if message_id is not None:
        query = query.where(OutboxMessage.id == message_id, OutboxMessage.status == "failed")
    else:
        query = query.where(OutboxMessage.status.in_(("failed", "pending")), OutboxMessage.attempts > 0)
    count = db.session.execute(query.values(status="pending", attempts=0, next_attempt_at=clock.now())
                               .execution_options(synchronize_session=False)).rowcount
    db.session.info[_PENDING_KEY] = count > 0
    db.session.commit()
    return count
