"""Emails are templates (templates/email/): a plain-text body and an HTML alternative beside it."""
import re
from pathlib import Path

import pytest

from mentormatch.extensions import db
from mentormatch.models import User
from tests.conftest import post_form
from tests.smtp import SMTP_CONFIG

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "email"


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_reset_email_arrives_as_text_with_an_escaped_html_alternative(app, client, make_user, smtp_server):
    user = make_user("mentee")
    with app.app_context():
        db.session.get(User, user.id).name = 'Ana <b>"Bold"</b>'
        db.session.commit()
    assert post_form(client, "/auth/reset", {"email": user.email}).status_code == 303
    [message] = smtp_server.wait_for(1)
    assert message["subject"] == "Set your MentorMatch password"
    link = re.search(r"http://localhost/auth/reset/\S+", message["body"]).group()
    assert 'Hello Ana <b>"Bold"</b>,' in message["body"], "plain text is not HTML-escaped"
    assert message["html"] is not None, "an HTML alternative is attached"
    assert f'<a href="{link}">{link}</a>' in message["html"]
    assert "Ana &lt;b&gt;&#34;Bold&#34;&lt;/b&gt;" in message["html"] and "<b>" not in message["html"]


def test_every_email_template_starts_with_its_subject_line():
    templates = sorted(EMAILS.glob("*.txt"))
    assert templates
    for path in templates:
        head, blank, _ = path.read_text().partition("\n\n")
        assert head.startswith("Subject: ") and "\n" not in head and blank, path.name
