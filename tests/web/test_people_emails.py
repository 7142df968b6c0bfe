"""The sign-up, import and program-invitation emails are templates (templates/email/): the same
words as the f-strings they replace, and an HTML alternative with clickable links."""
from mentormatch.core import outbox

LINK = "http://localhost/some/link/abc"


def _render(app, template, **context):
    with app.test_request_context():
        return outbox.render(template, **context)


def test_sign_up_link_email_keeps_its_words_with_and_without_a_program(app):
    mail = _render(app, "signup_finish", program_name=None, finish_url=LINK)
    assert mail.subject == "Finish creating your MentorMatch account"
    assert mail.text == ("Hello,\n\nOpen this link to choose your name and password and finish creating your "
                         f"MentorMatch account (valid for 3 days):\n{LINK}\n\n"
                         "If you did not ask for this, ignore this email: no account is made without it.\n")
    joining = _render(app, "signup_finish", program_name="Data <Mentors>", finish_url=LINK)
    assert "finish creating your MentorMatch account and join Data <Mentors> (valid for 3 days):\n" in joining.text
    assert f'<a href="{LINK}">{LINK}</a>' in joining.html and "Data &lt;Mentors&gt;" in joining.html


def test_known_address_email_keeps_its_words_with_and_without_a_program(app):
    body = ("Hello {name},\n\nSomeone (perhaps you) tried to create a MentorMatch account with this email, which "
            "already has one. Log in here:\nhttp://l/login\n\n{join}Forgot your password? This link sets a new one "
            "(valid for 7 days, once):\nhttp://l/reset\n\nIf it was not you, ignore this email; nothing changed.\n")
    common = {"name": "Ana", "login_url": "http://l/login", "reset_url": "http://l/reset"}
    mail = _render(app, "signup_account_exists", program_name=None, join_url=None, **common)
    assert mail.subject == "Someone tried to sign up with your email"
    assert mail.text == body.format(name="Ana", join="")
    joining = _render(app, "signup_account_exists", program_name="Data", join_url="http://l/join", **common)
    assert joining.text == body.format(name="Ana", join="To join Data, log in and open the invite link again:\n"
                                                        "http://l/join\n\n")
    assert '<a href="http://l/join">http://l/join</a>' in joining.html


def test_import_emails_keep_their_words(app):
    contexts = [{"name": f"Ana {i}", "program_name": "Data", "password_url": f"{LINK}{i}"} for i in range(3)]
    with app.test_request_context():
        many = [outbox.render("import_welcome", **c) for c in contexts]
        invitation = outbox.render("program_invitation", program_name="Data", role="mentor", answer_url=LINK)
    assert many[0].subject == "You are invited to Data on MentorMatch"
    assert many[0].text == ("Hello Ana 0,\n\nThe coordinators of Data added you to MentorMatch.\n"
                            f"Choose your password here (the link works once, for 7 days):\n{LINK}0\n\n"
                            "Then check your profile, so that your matches fit you.\n")
    assert f'<a href="{LINK}0">{LINK}0</a>' in many[0].html
    assert invitation.subject == "Join Data on MentorMatch?"
    assert invitation.text == ("Hello,\n\nThe coordinators of Data invite you to join it as a mentor, with the "
                               "MentorMatch account you already have.\nNothing changes unless you accept. Log in and "
                               f"answer here:\n{LINK}\n")
    assert invitation.html
