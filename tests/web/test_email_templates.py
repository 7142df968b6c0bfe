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


def test_the_list_of_html_templates_is_read_once_per_app_not_once_per_email(app, monkeypatch):
    """Listing the templates cost ~5 ms an email: 3,500 approval notices took seconds (bench/mail_bench.py)."""
    from mentormatch.core import outbox

    listed = []
    real = app.jinja_env.list_templates
    monkeypatch.setattr(app.jinja_env, "list_templates", lambda *a, **k: listed.append(1) or real(*a, **k))
    monkeypatch.setattr(app.jinja_env, "auto_reload", False)
    app.extensions.pop("email_html", None)
    with app.test_request_context():
        mails = [outbox.render("password_reset", name=f"Ana {i}", reset_url=f"http://localhost/r/{i}") for i in range(50)]
    assert len(listed) == 1
    assert mails[7].text.startswith("Hello Ana 7,") and 'href="http://localhost/r/7"' in mails[7].html


def test_links_in_the_html_alternative_stay_inside_their_attribute(app):
    """The HTML is laid out from escaped text: a link someone typed cannot open a tag or an attribute."""
    from mentormatch.core import outbox

    hostile = 'Eve http://a.example/?q=1&r=2"><script>x()</script> <b>'
    with app.test_request_context():
        mail = outbox.render("password_reset", name=hostile, reset_url="http://localhost/auth/reset/t0k3n")
    assert "<script>" not in mail.html and "<b>" not in mail.html
    assert '<a href="http://a.example/?q=1&amp;r=2">http://a.example/?q=1&amp;r=2</a>&#34;&gt;&lt;script&gt;' in mail.html
    assert '<a href="http://localhost/auth/reset/t0k3n">http://localhost/auth/reset/t0k3n</a>' in mail.html
    assert f"Hello {hostile}," in mail.text
