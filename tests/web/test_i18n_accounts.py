"""Languages (issue 18) in the accounts area: sign-in pages, errors, flashes, the data-rights pages and
the emails, which are written in the recipient's language whoever causes them."""
import pytest
from sqlalchemy import event

from mentormatch.core import outbox
from mentormatch.extensions import db
from mentormatch.models import OutboxMessage, Program, User
from mentormatch.services import invitations
from tests.conftest import csrf_from, login, post_form
from tests.smtp import SMTP_CONFIG


def set_locale(app, user, locale: str) -> None:
    with app.app_context():
        db.session.get(User, user.id).locale = locale
        db.session.commit()


@pytest.mark.parametrize("language, wanted, english", [
    ("es", ["Iniciar sesión", "¿Olvidaste tu contraseña?", "Crea una cuenta", "Saltar al contenido"],
     ["Forgot your password?", "Create an account", "Skip to content"]),
    ("pt", ["Entrar", "Esqueceu sua senha?", "Crie uma conta", "Pular para o conteúdo"],
     ["Forgot your password?", "Create an account", "Skip to content"]),
])
def test_the_login_page_speaks_the_browsers_language(client, language, wanted, english):
    html = client.get("/auth/login", headers={"Accept-Language": language}).get_data(as_text=True)
    for text in wanted:
        assert text in html
    for text in english:
        assert text not in html


def test_the_front_page_and_sign_up_in_portuguese(client):
    front = client.get("/", headers={"Accept-Language": "pt-BR"}).get_data(as_text=True)
    assert "Mentoria que funciona" in front and "Sem mentores em silêncio" in front
    assert "No silent mentors" not in front
    signup = client.get("/auth/signup", headers={"Accept-Language": "pt-BR"}).get_data(as_text=True)
    assert "Crie sua conta" in signup and "Mentorado: quero orientação" in signup
    assert "A mentee: I want guidance" not in signup


def test_form_errors_are_in_the_page_language(client, world):
    headers = {"Accept-Language": "es"}
    page = client.get("/auth/login", headers=headers).get_data(as_text=True)
    empty = client.post("/auth/login", data={"csrf_token": csrf_from(page), "email": "", "password": ""},
                        headers=headers).get_data(as_text=True)
    assert "Escribe tu correo." in empty and "Escribe tu contraseña." in empty
    assert "Enter your email." not in empty
    wrong = client.post("/auth/login", data={"csrf_token": csrf_from(page), "email": world.mentee.email,
                                             "password": "not the password"}, headers=headers).get_data(as_text=True)
    assert "El correo o la contraseña no son correctos." in wrong
    assert "Email or password is incorrect." not in wrong


def test_a_persons_own_setting_words_the_data_rights_page_and_the_menu(app, client, world):
    set_locale(app, world.mentee, "es")
    login(client, world.mentee)
    html = client.get("/account/", headers={"Accept-Language": "pt"}).get_data(as_text=True)
    assert "Mis datos" in html and "Eliminar mi cuenta" in html and "Cómo contactarme" in html
    assert "Delete my account" not in html and "How to reach me" not in html
    assert '<small class="role-badge role-mentee">mentoreado</small>' in html


def test_error_pages_are_translated(client):
    html = client.get("/no/such/page", headers={"Accept-Language": "pt"}).get_data(as_text=True)
    assert "Não encontrado" in html and "Voltar ao início" in html
    assert "Not found" not in html


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_asking_to_delete_flashes_and_mails_in_the_persons_language(app, client, world, smtp_server):
    set_locale(app, world.mentor, "pt")
    login(client, world.mentor)
    response = post_form(client, "/account/delete", {}, page="/account/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Enviamos um e-mail: siga o link para confirmar a exclusão." in html
    assert "We sent you an email" not in html
    [mail] = smtp_server.wait_for(1)
    assert mail["to"] == [world.mentor.email]
    assert mail["subject"] == "Confirme: excluir sua conta do MentorMatch"
    assert "Olá, Milo Mentor," in mail["body"] and "Você pediu para excluir sua conta." in mail["body"]
    assert "You asked to delete your account" not in mail["body"]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_reset_email_is_in_the_recipients_language_not_the_askers(app, client, world, smtp_server):
    set_locale(app, world.mentee, "es")
    response = post_form(client, "/auth/reset", {"email": world.mentee.email},
                         headers={"Accept-Language": "pt"})
    assert response.status_code == 303
    [mail] = smtp_server.wait_for(1)
    assert mail["subject"] == "Elige tu contraseña de MentorMatch"
    assert "Hola, Mira Mentee:" in mail["body"] and "Set your MentorMatch password" not in mail["body"]


def test_invitations_sent_in_bulk_are_each_in_their_recipients_language(app, world):
    """invite_many renders mail itself (send_many): each person's users.locale, not the importer's."""
    set_locale(app, world.other_mentor, "pt")
    with app.app_context():
        program = db.session.get(Program, world.program.id)
        invitations.invite_many(program, [(world.other_mentor.id, world.other_mentor.email, "mentor", {}),
                                          (world.other_mentee.id, world.other_mentee.email, "mentee", {})], None)
        db.session.commit()
        subjects = dict(db.session.execute(db.select(OutboxMessage.to, OutboxMessage.subject)).all())
        bodies = dict(db.session.execute(db.select(OutboxMessage.to, OutboxMessage.body)).all())
    assert subjects[world.other_mentor.email] == "Participar de Main program no MentorMatch?"
    assert "convida você a participar como mentor" in bodies[world.other_mentor.email]
    assert subjects[world.other_mentee.email] == "Join Main program on MentorMatch?"
    assert "invite you to join it as a mentee" in bodies[world.other_mentee.email]


def test_mail_to_a_persons_row_takes_their_language_from_it_without_looking_them_up(app, world):
    """outbox.send given the User row reads its locale (no SELECT a mail); given the address alone
    it looks the language up: the same email either way."""
    set_locale(app, world.mentee, "es")
    with app.test_request_context(headers={"Accept-Language": "pt"}), app.app_context():
        user = db.session.get(User, world.mentee.id)
        assert user.locale == "es"
        statements = []

        def seen(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            by_row = outbox.send(user, "password_reset", name=user.name, reset_url="https://mm.example/r")
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert by_row.subject == "Elige tu contraseña de MentorMatch"
        assert [s for s in statements if "users" in s.lower()] == []
        by_address = outbox.send(world.mentee.email, "password_reset", name=user.name, reset_url="https://mm.example/r")
        assert by_address == by_row
        db.session.rollback()
