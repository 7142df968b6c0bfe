"""The mentee, mentor, answer, pairing and coordinator pages in Spanish and Portuguese (issue 18):
the page text, a form's error next to its field, a flash message, a service's refusal and a plural,
in the language of the browser or of the person's own setting; English stays the default."""
from datetime import date
from urllib.parse import urlparse

import pytest

from mentormatch.core import answer_links
from mentormatch.extensions import db
from mentormatch.models import GoalForm, MentorProfile, Pairing, Program, User
from mentormatch.services.people import profiles
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mid  # noqa: F401
from tests.web.test_people_support import goal_data, make_pairing, membership_id, profile_data, terms  # noqa: F401


def speaks(client, lang: str) -> None:
    """Every later request of this client says `Accept-Language: lang`, as a browser does."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang


def set_locale(app, user, lang: str) -> None:
    with app.app_context():
        db.session.get(User, user.id).locale = lang
        db.session.commit()


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang, wanted", [
    ("es", ("Hola, Mira Mentee", "Tu formulario de objetivos", "Tus parejas", "Rellena tus objetivos",
            "Rondas de cohorte y microsolicitudes")),
    ("pt", ("Olá, Mira Mentee", "Seu formulário de objetivos", "Suas duplas", "Preencha seus objetivos",
            "Rodadas de turma e micropedidos")),
])
def test_the_mentee_home_is_in_the_browsers_language(client, world, lang, wanted):
    login(client, world.mentee)
    speaks(client, lang)
    html = text_of(client.get("/mentee/"))
    assert all(w in html for w in wanted), [w for w in wanted if w not in html]
    assert "Your goal form" not in html and "Hello, Mira Mentee" not in html


def test_english_stays_the_default(client, world):
    login(client, world.mentee)
    html = text_of(client.get("/mentee/"))
    assert "Your goal form" in html and "Tu formulario de objetivos" not in html


def test_the_goal_form_and_its_labels_follow_the_persons_setting_over_the_browser(app, client, world, terms):
    set_locale(app, world.mentee, "pt")
    login(client, world.mentee)
    speaks(client, "es")
    html = text_of(client.get(f"/mentee/programs/{world.program.id}/goals"))
    for wanted in ("Seus objetivos", "Salvar meus objetivos", "Seu objetivo para os próximos 3–6 meses",
                   "Com quem você gostaria de aprender?", "Alguém alguns anos à frente", "Fuso horário"):
        assert wanted in html, wanted
    assert "Save my goals" not in html and "Guardar mis objetivos" not in html


def test_a_goal_form_error_is_translated_next_to_its_field_and_nothing_is_saved(app, client, world, terms):
    login(client, world.mentee)
    speaks(client, "es")
    url = f"/mentee/programs/{world.program.id}/goals"
    response = post_form(client, url, goal_data(terms, topics=[]))
    html = text_of(response)
    assert response.status_code == 200
    assert "Elige al menos un tema." in html and "Pick at least one topic." not in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(GoalForm.membership_id))) == 0


def test_saving_the_goal_form_flashes_in_the_persons_language(app, client, world, terms):
    set_locale(app, world.mentee, "es")
    login(client, world.mentee)
    response = post_form(client, f"/mentee/programs/{world.program.id}/goals", goal_data(terms))
    assert response.status_code == 303
    home = text_of(client.get(response.headers["Location"]))
    assert "Tus objetivos están guardados." in home and "Your goals are saved" not in home
    assert "Guardado" in home


def test_the_coordinators_new_program_form_shows_its_error_in_portuguese_and_saves_nothing(app, client, world):
    login(client, world.coordinator)
    speaks(client, "pt")
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(Program.id)))
    html = text_of(post_form(client, "/coordinator/programs/new", {"name": "", "offers_micro": "y"}))
    assert "Dê um nome ao programa." in html and "Give the program a name." not in html
    assert "Nome do programa" in html and "Criar programa" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Program.id))) == before


def test_the_program_page_in_spanish_has_plurals_and_dates_in_spanish(app, client, world, terms):
    set_locale(app, world.coordinator, "es")
    login(client, world.coordinator)
    html = text_of(client.get(f"/coordinator/programs/{world.program.id}"))
    for wanted in ("Enlaces de invitación", "Para mentores", "Mentores (1)", "Mentoreados (1)",
                   "5 temas", "se unió el", "Terminar el programa", "Secciones del programa"):
        assert wanted in html, wanted
    assert "Invite links" not in html and "joined " not in html


def test_an_edit_flash_and_a_rename_refusal_are_in_the_coordinators_language(app, client, world, terms):
    set_locale(app, world.coordinator, "pt")
    login(client, world.coordinator)
    response = post_form(client, f"/coordinator/programs/{world.program.id}/edit",
                         {"name": "Main program", "offers_micro": "y", "offers_rounds": "y"})
    assert response.status_code == 303
    assert "Programa salvo." in text_of(client.get(response.headers["Location"]))
    # A rename to nothing: the service's refusal, translated, on the row; the name stays.
    topics = f"/coordinator/programs/{world.program.id}/topics"
    html = text_of(post_form(client, f"{topics}/{terms.security}/rename", {"name": "  "}, page=topics))
    assert "Digite um nome." in html and "Enter a name." not in html
    assert "Temas e grupos de afinidade" in html


def test_the_mentor_home_and_profile_are_in_spanish(app, client, world, terms):
    login(client, world.mentor)
    speaks(client, "es")
    assert post_form(client, f"/mentor/programs/{world.program.id}/profile", profile_data(terms)).status_code == 303
    make_pairing(app, world, world.mentor, world.mentee, state="accepted")
    html = text_of(client.get("/mentor/"))
    for wanted in ("Tu perfil está guardado.", "Tus mentoreados actuales", "1 de 3 plazas ocupadas",
                   "Disponible", "microsolicitudes al mes", "Objetivos, notas y seguimientos"):
        assert wanted in html, wanted
    assert 'ok-text">Disponible' in html, "the availability keeps its colour in another language"
    assert "Your current mentees" not in html


def test_away_until_shows_a_spanish_date(app, client, world, terms):
    login(client, world.mentor)
    speaks(client, "es")
    back = date(2099, 3, 14)
    post_form(client, f"/mentor/programs/{world.program.id}/profile",
              profile_data(terms, away_until=back.isoformat()))
    html = text_of(client.get("/mentor/"))
    assert "Ausente hasta el 14 mar 2099" in html


def test_a_proposal_and_its_decline_page_are_in_portuguese(app, client, world, terms):
    set_locale(app, world.mentor, "pt")
    login(client, world.mentor)
    post_form(client, f"/mentor/programs/{world.program.id}/profile", profile_data(terms))
    pid = make_pairing(app, world, world.mentor, world.mentee, state="proposed")
    html = text_of(client.get("/pairings/"))
    for wanted in ("Propostas esperando sua resposta", "Aceitar", "Recusar…", "Pedir mais informações…",
                   "nenhum outro mentor ativo", "0 pedido em aberto"):
        assert wanted in html, wanted
    page = text_of(client.get(f"/pairings/{pid}/decline"))
    assert "Recusar Mira Mentee?" in page and "Por que não?" in page and "Sem capacidade no momento" in page
    refused = text_of(post_form(client, f"/pairings/{pid}/decline", {"reason": ""}, page=f"/pairings/{pid}/decline"))
    assert "Escolha um motivo." in refused and "Choose a reason." not in refused
    with app.app_context():
        assert db.session.get(Pairing, pid).state == "proposed"


def test_a_broken_answer_link_says_so_in_spanish(client):
    speaks(client, "es")
    response = client.get("/pairings/by-email/not-a-token")
    html = text_of(response)
    assert response.status_code >= 400
    assert "Este enlace no funciona" in html or "Este enlace no es válido" in html
    assert "This link is not valid" not in html


def test_ending_a_mentorship_in_spanish(app, client, world, terms):
    set_locale(app, world.mentee, "es")
    login(client, world.mentee)
    pid = make_pairing(app, world, world.mentor, world.mentee, state="active")
    html = text_of(client.get(f"/pairings/{pid}/ending"))
    assert "Terminar esta mentoría" in html and "¿Cómo terminó?" in html
    response = post_form(client, f"/pairings/{pid}/end", {"end-kind": "ended_early", "end-reason": ""},
                         page=f"/pairings/{pid}/ending")
    html = text_of(response)
    assert "Explica en pocas palabras por qué termina antes de tiempo" in html
    with app.app_context():
        assert db.session.get(Pairing, pid).state == "active"
    response = post_form(client, f"/pairings/{pid}/end", {"end-kind": "completed"}, page=f"/pairings/{pid}/ending")
    assert response.status_code == 303
    done = text_of(client.get(response.headers["Location"]))
    assert "Marcada como completada. Se lo hemos dicho a Milo Mentor con tacto." in done


def test_the_availability_colour_comes_from_a_flag_not_from_the_english_word():
    today = date(2026, 1, 10)
    assert profiles.available_now(MentorProfile(available=True, away_until=None), today)
    assert not profiles.available_now(MentorProfile(available=True, away_until=today), today)
    assert not profiles.available_now(MentorProfile(available=False, away_until=None), today)
    assert not profiles.available_now(None, today)


def test_an_answer_link_page_speaks_the_browsers_language(app, client, world, frozen):  # noqa: F811
    add_profile(app, mid(world, world.mentor))
    pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    with app.test_request_context():
        link = urlparse(answer_links.action_url(db.session.get(User, world.mentor.id), "pairing", pid, "decline")).path
    speaks(client, "es")
    html = text_of(client.get(link))
    for wanted in ("Rechazar: Mira Mentee", "Respondes como <strong>Milo Mentor</strong>, desde tu correo.",
                   "¿Demasiado ocupado? Rechazar y pausarme", "Este enlace funciona una sola vez."):
        assert wanted in html, wanted
    assert "Answering as" not in html
