"""Issue 18 for the coordinator's rounds, questions and health pages: they read in Spanish and
Portuguese (the browser's language, or the person's own setting), flash messages and field errors
included, and English stays the default."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Question, User
from mentormatch.models.rounds import Round
from tests.conftest import login, post_form
from tests.web.test_health import _known_program
from tests.web.test_lifecycle_data import frozen  # noqa: F401
from tests.web.test_rounds_support import make_round, round_state, small_world

INLINE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)
ROUND_FORM = {"name": "Primavera", "topics": "40", "context": "20", "stage": "25", "tz": "15",
              "mentors_per_mentee": "1", "team_by": "industry", "balance_slack": "5"}


def speaks(app, user, locale: str) -> None:
    with app.app_context():
        db.session.get(User, user.id).locale = locale
        db.session.commit()


def page(client, url: str, lang: str) -> str:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@INLINE
@pytest.mark.parametrize("lang, words, english", [
    ("es", ["Rondas de emparejamiento", "Puntuación de cada pareja", "Equidad entre rondas", "Aprobar y publicar",
            "Parejas fijadas y prohibidas", "Mejor puntuación primero", "propuesta",
            "Un mentor con una plaza libre que hable portugués."],
     ["Match rounds", "Score of each pair", "Fairness across rounds", "Approve and publish", "Best score first",
      "who speaks"]),
    ("pt", ["Rodadas de pareamento", "Pontuação de cada par", "Equidade entre rodadas", "Aprovar e publicar",
            "Pares fixados e proibidos", "Maior pontuação primeiro", "proposta",
            "Um mentor com vaga livre que fale português."],
     ["Match rounds", "Score of each pair", "Fairness across rounds", "Approve and publish", "Best score first",
      "who speaks"]),
])
def test_the_round_pages_follow_the_browsers_language(app, client, world, lang, words, english):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/rounds"
    post_form(client, f"{base}/{rid}/run", {}, page=f"{base}/{rid}")
    assert round_state(app, rid) == "proposed"
    html = page(client, base, lang) + page(client, f"{base}/{rid}", lang)
    for word in words:
        assert word in html, word
    for word in english:
        assert word not in html, word
    assert f'<html lang="{lang}"' in html


def test_english_stays_the_default_on_the_round_page(app, client, world):
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    html = page(client, f"/coordinator/programs/{world.program.id}/rounds/{rid}", "")
    assert "Fairness across rounds" in html and "Equidad" not in html and "Equidade" not in html


def test_a_coordinator_with_spanish_set_gets_the_flash_in_spanish_whatever_the_browser(app, client, world):
    speaks(app, world.coordinator, "es")
    login(client, world.coordinator)
    response = post_form(client, f"/coordinator/programs/{world.program.id}/rounds/new", ROUND_FORM,
                         headers={"Accept-Language": "pt"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Ronda «Primavera» creada." in html and "created. Add locks" not in html


def test_a_round_form_error_is_in_portuguese_next_to_its_field_and_nothing_is_saved(app, client, world):
    speaks(app, world.coordinator, "pt")
    login(client, world.coordinator)
    response = post_form(client, f"/coordinator/programs/{world.program.id}/rounds/new",
                         {**ROUND_FORM, "name": "  ", "mentors_per_mentee": "9"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error"' in html and "Dê um nome à rodada." in html and "Give the round a name." not in html
    assert "Entre 1 e 5." in html and "Between 1 and 5." not in html
    assert "Nome da rodada" in html  # the field's label
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Round)) == 0


def test_a_question_error_raised_by_the_service_is_in_spanish(app, client, world):
    speaks(app, world.coordinator, "es")
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/questions"
    response = post_form(client, url, {"label": "Campus", "kind": "one", "audience": "both", "choices": "Lisboa",
                                       "criterion": "", "weight": "10", "position": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="choices-error"' in html
    assert "Indica al menos dos opciones, una por línea." in html and "at least two choices" not in html
    assert "Preguntas del programa" in html and "Una opción" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0


def test_a_mentee_answers_the_programs_questions_in_portuguese(app, client, world):
    speaks(app, world.mentee, "pt")
    login(client, world.mentee)
    html = page(client, f"/programs/{world.program.id}/my-answers", "es")
    assert "Main program: algumas perguntas" in html and "a few questions" not in html


@pytest.mark.parametrize("lang, words, english", [
    ("es", ["Salud del programa", "tasa de respuesta", "Mentores que no responden", "Recordar"],
     ["Program health", "response rate", "Silent mentors"]),
    ("pt", ["Saúde do programa", "taxa de resposta", "Mentores que não respondem", "Lembrar"],
     ["Program health", "response rate", "Silent mentors"]),
])
def test_the_health_page_follows_the_browsers_language(app, client, make_user, world, frozen, lang, words,  # noqa: F811
                                                       english):
    _known_program(app, make_user, world)
    login(client, world.coordinator)
    html = page(client, f"/coordinator/programs/{world.program.id}/health", lang)
    for word in words:
        assert word in html, word
    for word in english:
        assert word not in html, word


def test_a_refused_nudge_flashes_in_the_coordinators_language(app, client, make_user, world, frozen):  # noqa: F811
    known = _known_program(app, make_user, world)
    speaks(app, world.coordinator, "pt")
    login(client, world.coordinator)
    health = f"/coordinator/programs/{world.program.id}/health"
    html = post_form(client, f"/coordinator/programs/{world.program.id}/mentors/{known['a']}/nudge", {},
                     page=health, follow_redirects=True).get_data(as_text=True)
    assert "não tem nada aguardando resposta." in html and "has nothing waiting" not in html


def test_the_report_page_reads_in_spanish(app, client, world):
    login(client, world.coordinator)
    html = page(client, f"/coordinator/programs/{world.program.id}/report", "es")
    assert "Informe del programa" in html and "Ronda por ronda" in html and "¿Lo recomendarían?" in html
    assert "Program report" not in html and "Would they recommend it?" not in html


HELP_CASES = [([("capacity_full", 3)], []), ([("team_cap", 2)], []), ([("group_balance", 1)], []),
              ([("not_chosen", 1)], []), ([("no_shared_language", 2)], ["pt"]),
              ([("no_shared_language", 2)], ["pt", "es", "fr"]), ([("below_min_score", 2)], []),
              ([("below_min_overlap", 1)], []), ([("mentor_unavailable", 1)], []), ([("forbidden", 1)], []), ([], [])]


@pytest.mark.parametrize("reasons, languages", HELP_CASES)
def test_every_stored_help_reads_back_the_same_in_english_and_translated_in_spanish(app, reasons, languages):
    """help_for stores English in the worker; the page reads each kind back in the reader's language."""
    from mentormatch.services import why

    with app.app_context():
        stored = why.help_for(reasons, languages)
    row = {"help": stored, "reasons": reasons}
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert why.help_text(row) == stored
    with app.test_request_context(headers={"Accept-Language": "es"}):
        spanish = why.help_text(row)
    assert spanish != stored and spanish.endswith("."), spanish
    if languages == ["pt", "es", "fr"]:
        assert "portugués" in spanish and "francés" in spanish, spanish


def test_a_failed_runs_stored_english_error_reads_back_in_portuguese(app):
    from mentormatch.services.rounds import runs

    stale = "The worker stopped responding (no heartbeat for 75 s). Start the run again."
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert runs.error_in_language(runs.QUEUE_DOWN) == runs.QUEUE_DOWN  # the msgid is the stored text
        assert runs.error_in_language(stale) == stale
    with app.test_request_context(headers={"Accept-Language": "pt"}):
        assert runs.error_in_language(stale) == ("O processo de trabalho parou de responder (sem sinal de vida por "
                                                 "75 s). Inicie a execução de novo.")
        assert runs.error_in_language(runs.QUEUE_DOWN).startswith("Não foi possível colocar a execução na fila")
        assert runs.error_in_language("KeyError: 'x'") == "KeyError: 'x'"
