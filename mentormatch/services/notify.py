"""Email notifications: one small module everyone reuses (rounds, lifecycle, reminders)."""
from flask import current_app
from flask_mailman import EmailMessage

from ..extensions import mail


def send(to: str, subject: str, body: str) -> bool:
    """Send one plain-text email; returns False (and logs) instead of raising.

    Callers send after their transaction has committed: a mail server that is down must not
    undo a state change the user already saw succeed.
    """
    return send_many([(to, subject, body)]) == 1


def send_many(messages: list[tuple[str, str, str]]) -> int:
    """Send (to, subject, body) emails over one connection; returns how many went out.

    One connection instead of one per message: a round's approval writes to thousands of
    people, and each new connection to a real server costs a TLS handshake and a login."""
    sent = 0
    connection = None
    for to, subject, body in messages:
        try:
            if connection is None:
                connection = mail.get_connection()
                connection.open()
            EmailMessage(subject=subject, body=body, to=[to], connection=connection).send()
            sent += 1
        except Exception:  # noqa: BLE001 - any transport error is logged, never shown as a 500
            current_app.logger.exception("could not send %r to %s", subject, to)
            _close(connection)
            connection = None  # the next message tries a fresh connection
    _close(connection)
    return sent


def _close(connection) -> None:
    if connection is not None:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close; nothing to do
            pass
