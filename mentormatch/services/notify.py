"""Email notifications: one small function everyone reuses (rounds, lifecycle, reminders)."""
from flask import current_app
from flask_mailman import EmailMessage


def send(to: str, subject: str, body: str) -> bool:
    """Send one plain-text email; returns False (and logs) instead of raising.

    Callers send after their transaction has committed: a mail server that is down must not
    undo a state change the user already saw succeed.
    """
    try:
        EmailMessage(subject=subject, body=body, to=[to]).send()
        return True
    except Exception:  # noqa: BLE001 - any transport error is logged, never shown as a 500
        current_app.logger.exception("could not send %r to %s", subject, to)
        return False
