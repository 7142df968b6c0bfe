"""Languages (issue 18) in the pair's own pages: micro-requests, check-ins, goal steps, messages and
meetings read in Spanish or Portuguese, by the browser's language or the person's setting; English stays
the default."""
from datetime import datetime

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import MicroRequest, User
from mentormatch.services import meetings
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, frozen, mid, send_request  # noqa: F401

QUESTION = "Which of my 5 pitch slides loses you first, and why?"
ES = {"Accept-Language": "es-ES,es;q=0.9"}
PT = {"Accept-Language": "pt-BR,pt;q=0.9"}


def _speaks(app, user, lang: str) -> None:
    with app.app_context():
        db.session.get(User, user.id).locale = lang
        db.session.commit()


def _ask_url(w):
    return f"/requests/programs/{w.program.id}/mentors/{mid(w, w.mentor)}/ask"


def _requests(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(MicroRequest))


def test_the_mentees_requests_and_the_directory_follow_the_browsers_language(app, client, world):
    add_profile(app, mid(world, world.mentor))
    login(client, world.mentee)
    mine = client.get("/requests/", headers=ES).get_data(as_text=True)
    assert "Tus solicitudes" in mine and "Pregunta a un mentor" in mine
    assert "Your requests" not in mine and "Ask a mentor" not in mine
    directory = client.get(f"/requests/programs/{world.program.id}/mentors", headers=PT).get_data(as_text=True)
    assert "Pergunte a um mentor" in directory and "1 mentor com vagas este mês" in directory
    assert "Vagas este mês" in directory and "Buscar" in directory
    assert "with room this month" not in directory and "Room this month" not in directory
    english = client.get("/requests/").get_data(as_text=True)
    assert "Your requests" in english and "Tus solicitudes" not in english


def test_a_refused_request_says_why_in_spanish_next_to_the_field_and_saves_nothing(app, client, world):
    add_profile(app, mid(world, world.mentor))
    login(client, world.mentee)
    response = post_form(client, _ask_url(world), {"question": "", "kind": "call15"}, headers=ES)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Haz una pregunta concreta." in html and "Ask one specific question." not in html
    assert "Tu pregunta" in html and "¿Qué te ayudaría más?" in html, "the form's labels too"
    assert _requests(app) == 0


def test_a_second_request_to_the_same_mentor_is_refused_in_the_persons_language(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    _speaks(app, world.mentee, "pt")
    login(client, world.mentee)
    html = post_form(client, _ask_url(world), {"question": QUESTION, "kind": "call15"}).get_data(as_text=True)
    assert "Você já tem um pedido aberto com este mentor." in html
    assert "You already have an open request" not in html
    assert _requests(app) == 1


def test_sending_flashes_and_shows_the_request_in_the_persons_language(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    _speaks(app, world.mentee, "pt")
    login(client, world.mentee)
    response = post_form(client, _ask_url(world), {"question": QUESTION, "kind": "call15"}, follow_redirects=True,
                         headers=ES)  # the person's setting wins over the browser's
    html = response.get_data(as_text=True)
    assert f"Enviado para {world.mentor.name}. Você receberá a resposta por e-mail." in html
    assert "Uma ligação de 15 minutos" in html and "Aguardando resposta" in html and "Histórico" in html
    assert "You will hear back by email" not in html and "A 15-minute call" not in html
    with app.app_context():
        assert db.session.scalar(db.select(MicroRequest.kind)) == "call15", "the stored value stays a code"


def test_the_mentors_inbox_in_spanish(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    send_request(app, world.mentee, world.program.id, mid(world, world.mentor), question=QUESTION)
    _speaks(app, world.mentor, "es")
    login(client, world.mentor)
    html = client.get("/requests/inbox").get_data(as_text=True)
    assert "Solicitudes para ti" in html and "Esperan tu respuesta (1)" in html and "Rechazar…" in html
    assert "Requests for you" not in html and "Decline…" not in html
    assert QUESTION in html, "what people wrote stays as they wrote it"


def test_goal_steps_in_spanish_with_a_flash_and_a_form_error(app, client, world, frozen):
    add_goal(app, mid(world, world.mentee))
    _speaks(app, world.mentee, "es")
    login(client, world.mentee)
    url = f"/steps/programs/{world.program.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Tu objetivo, paso a paso" in page and "Your goal, step by step" not in page
    refused = post_form(client, url, {"title": ""}).get_data(as_text=True)
    assert "Escribe el paso en pocas palabras." in refused and "Write the step in a few words." not in refused
    added = post_form(client, url, {"title": "Elegir la funcionalidad"}, follow_redirects=True).get_data(as_text=True)
    assert "Paso añadido." in added and "Pasos (0 de 1 hechos)" in added and "Step added." not in added


def test_meeting_times_name_the_day_and_month_in_the_readers_language(app):
    start = datetime(2026, 3, 26, 15, 0)  # naive UTC: 16:00 in Berlin
    with app.app_context():
        assert meetings.when_label(start, 30, "Europe/Berlin") == "Thu 26 Mar 2026, 16:00–16:30 CET"
        assert meetings.when_label(start, 30, "Europe/Berlin", "es") == "jue 26 mar 2026, 16:00–16:30 CET"
        assert meetings.when_label(start, 30, "Europe/Berlin", "pt") == "qui. 26 mar. 2026, 16:00–16:30 CET"


def test_the_meetings_panel_in_spanish_with_its_errors_and_notices(app, world):
    from tests.web.test_meetings import NOW, THU, pair_page, propose, the_meeting

    clock.set_now(NOW)
    try:
        add_goal(app, mid(world, world.mentee), timezone="Europe/Berlin")
        add_profile(app, mid(world, world.mentor), timezone="America/New_York")
        world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                       state="active", answered_at=NOW)
        _speaks(app, world.mentee, "es")
        mentee = app.test_client()
        login(mentee, world.mentee)
        page = mentee.get(pair_page(world, "mentee")).get_data(as_text=True)
        assert "Propón hasta tres horarios" in page and "Propose up to three times" not in page
        sent = propose(mentee, world, "mentee", [(THU, "16:00")], follow_redirects=True).get_data(as_text=True)
        assert f"Horarios enviados a {world.mentor.name}." in sent
        assert "jue 26 mar 2026, 16:00–16:30 CET" in sent, "the time in her zone, named in Spanish"
        meeting = the_meeting(app, world.pairing_id)
        # A post without a choice: the form's own message, in Spanish, and nothing changes.
        picked = post_form(mentee, f"/meetings/{meeting.id}/pick", {"slot_id": ""}, page=pair_page(world, "mentee"),
                           headers={"HX-Request": "true"})
        assert picked.status_code == 200 and "Elige uno de los horarios propuestos." in picked.get_data(as_text=True)
        answered = post_form(mentee, f"/meetings/{meeting.id}/met", {"answer": ""}, page=pair_page(world, "mentee"),
                             headers={"HX-Request": "true"})
        assert answered.status_code == 200 and "Elige sí, no o cambiada de hora." in answered.get_data(as_text=True)
        assert the_meeting(app, world.pairing_id).state == "proposed"
    finally:
        clock.set_now(None)
