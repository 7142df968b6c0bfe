"""A real local SMTP server for tests (aiosmtpd), so mail goes through Flask-Mailman's SMTP
backend exactly as in production.

    from tests.smtp import SMTP_CONFIG  # the smtp_server fixture comes from conftest

    @pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
    def test_x(app, smtp_server): ...; smtp_server.wait_for(1); smtp_server.messages

`Controller(port=0)` does not work (it cannot find out which port it got), so a free port is
picked with a socket first, once per test process: under pytest-xdist each worker is its own
process, so each worker has its own port and its own server (nothing is shared between workers).
"""
import socket
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SMTP_PORT = free_port()
SMTP_CONFIG = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": SMTP_PORT, "MAIL_USE_TLS": False,
               "MAIL_USE_SSL": False, "MAIL_USERNAME": None, "MAIL_PASSWORD": None, "MAIL_TIMEOUT": 10}


class Inbox:
    """aiosmtpd handler: keeps every received message, parsed."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["subject"]),
                                  "body": message.get_body(("plain",)).get_content(),
                                  "html": (html.get_content() if (html := message.get_body(("html",))) else None),
                                  "message_id": str(message["message-id"]), "reply_to": message["reply-to"],
                                  "peer": tuple(session.peer),  # one per SMTP connection
                                  "attachments": [{"filename": part.get_filename(), "content_type": part.get_content_type(),
                                                   "method": part.get_param("method"), "content": part.get_content()}
                                                  for part in message.iter_attachments()]})
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[dict]:
        """Delivery is synchronous for the sender, but give the server thread a moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        return list(self.messages)

    def to(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]


@pytest.fixture(scope="session")
def _smtp_controller():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller):
    _smtp_controller.clear()
    yield _smtp_controller
