"""Mail goes through a real local SMTP server: batches share one connection, failures never raise."""
import pytest

from mentormatch.services import notify
from tests.smtp import SMTP_CONFIG, free_port


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_batch_is_delivered_over_one_connection(app, smtp_server):
    batch = [(f"person{i}@example.org", f"Proposal {i}", f"Hello {i}") for i in range(25)]
    with app.app_context():
        assert notify.send_many(batch) == 25
    received = smtp_server.wait_for(25)
    assert sorted(m["to"][0] for m in received) == sorted(to for to, _, _ in batch)
    assert len({m["peer"] for m in received}) == 1
    with app.app_context():
        assert notify.send("one@example.org", "Single", "Hi")  # a single message is a batch of one
    assert len({m["peer"] for m in smtp_server.wait_for(26)}) == 2


@pytest.mark.parametrize("app", [SMTP_CONFIG | {"MAIL_PORT": free_port()}], indirect=True)
def test_a_mail_server_that_is_down_is_logged_not_raised(app, caplog):
    with app.app_context():
        assert notify.send_many([("a@example.org", "Hello", "body"), ("b@example.org", "Hello", "body")]) == 0
        assert notify.send("c@example.org", "Hello", "body") is False
    assert sum("could not send" in r.getMessage() for r in caplog.records) == 3
