"""Why this match, and why nobody, in the reader's language (issue 18): the round's review page in
Spanish and Portuguese, the mentor's proposal email in the mentor's language over real SMTP, the
mentor's proposals page, and rows stored before the sentence had parts."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Pairing, User
from mentormatch.models.rounds import RunPair
from mentormatch.services import why
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import frozen  # noqa: F401
from tests.web.test_rounds_support import small_world

INLINE_SMTP = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline", **SMTP_CONFIG}], indirect=True)
ROUND_FORM = {"name": "Spring round", "topics": "40", "context": "20", "stage": "25", "tz": "15",
              "mentors_per_mentee": "1", "team_by": "industry", "balance_slack": "5"}
# (language, a pair's overlap phrase, the Portuguese speaker's reason, the advice for it, what would help)
WORDS = {"es": ("h de horario laboral en común", "2 mentores no tienen ningún idioma en común con esta persona",
                "Para solucionarlo: revisa los idiomas de su formulario de objetivos.",
                "Un mentor con una plaza libre que hable portugués."),
         "pt": ("h de horário de trabalho em comum", "2 mentores não têm nenhum idioma em comum com essa pessoa",
                "Para resolver: confira os idiomas no formulário de objetivos dessa pessoa.",
                "Um mentor com vaga livre que fale português.")}


def _proposed_round(app, client, world):
    people = small_world(app, world.program.id)
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/rounds"
    response = post_form(client, f"{base}/new", ROUND_FORM, page="/coordinator/")
    rid = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert post_form(client, f"{base}/{rid}/run", {}, page=f"{base}/{rid}").status_code == 303
    return people, f"{base}/{rid}"


@INLINE_SMTP
@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_review_page_says_why_in_the_coordinators_language(app, client, world, lang):
    _, page_url = _proposed_round(app, client, world)
    english = client.get(page_url).get_data(as_text=True)
    assert "h working-time overlap" in english and "2 mentors have no shared language with them" in english
    page = client.get(page_url, headers={"Accept-Language": lang}).get_data(as_text=True)
    overlap, reason, advice, helps = WORDS[lang]
    assert overlap in page and reason in page and advice in page and helps in page
    assert "working-time overlap" not in page and "no shared language" not in page and "To fix" not in page
    assert "speaks Portuguese" not in page


@INLINE_SMTP
def test_the_proposal_email_says_why_in_the_mentors_language(app, client, world, smtp_server):
    people, page_url = _proposed_round(app, client, world)
    with app.app_context():
        db.session.get(User, people.users["Ada Mentor"].id).locale = "es"
        db.session.get(User, people.users["Bob Mentor"].id).locale = "pt"
        db.session.commit()
    smtp_server.clear()
    # The coordinator reads English: each mentor still gets their own language.
    assert post_form(client, f"{page_url}/approve", {}, page=page_url).status_code == 303
    smtp_server.wait_for(5)
    [ada] = smtp_server.to(people.emails["Ada Mentor"])
    [bob] = smtp_server.to(people.emails["Bob Mentor"])
    ada_body, bob_body = (m["body"].replace("\r\n", "\n") for m in (ada, bob))
    assert "Por qué esta pareja:\n- Cy Mentee: comparten first-gen;" in ada_body
    assert WORDS["es"][0] in ada_body and "working-time overlap" not in ada_body
    assert "Por que esta dupla:\n- Di Mentee: " in bob_body and WORDS["pt"][0] in bob_body
    assert "Por que esta dupla:" in bob["html"] and "Why this match" not in bob["html"]

    # And on the mentor's own proposals page, in the language they chose.
    client.post("/auth/logout", headers={"X-CSRFToken": ""})
    client.delete_cookie("session")
    login(client, people.users["Ada Mentor"])
    page = client.get("/pairings/").get_data(as_text=True)
    assert "Por qué esta pareja:" in page and "comparten first-gen" in page and WORDS["es"][0] in page


def test_a_pair_stored_before_parts_is_read_back_from_its_english_sentence(app):
    old = {"sentence": "shares fintech and first-gen; 4 years ahead, as asked; covers 2 of 3 topics (python, go); "
                       "2.5 h working-time overlap", "sentence_parts": None}
    own_words = {"sentence": "shares the context the mentee cares about; a few years ahead, as asked",
                 "sentence_parts": None}
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert why.pair_text(old) == ("comparten fintech y first-gen; 4 años por delante, como pidió; "
                                      "cubre 2 de 3 temas (python, go); 2,5 h de horario laboral en común")
        assert why.pair_text(own_words) == own_words["sentence"]  # not the core's words: shown as stored
    with app.test_request_context(headers={"Accept-Language": "pt"}):
        assert why.pair_text(old) == ("compartilham fintech e first-gen; 4 anos à frente, como pedido; "
                                      "cobre 2 de 3 temas (python, go); 2,5 h de horário de trabalho em comum")
    with app.test_request_context():
        assert why.pair_text(old) == old["sentence"]


def test_an_unmatched_row_is_translated_only_when_its_sentence_is_the_reasons_own(app):
    from mentormatch.matching.explain import unmatched_sentence
    reasons = [["no_shared_language", 1], ["capacity_full", 1]]
    row = {"reasons": reasons, "sentence": unmatched_sentence(reasons)}
    edited = {"reasons": [["forbidden", 1]], "sentence": "No mentor: the pair with Ada was forbidden by the coordinator."}
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert why.unmatched_text(row) == (
            "Sin mentor: 1 mentor no tiene ningún idioma en común con esta persona; la plaza del único candidato fue "
            "para otra persona. Para solucionarlo: pide a un mentor candidato una plaza más, o asigna a este mentee a mano.")
        assert why.unmatched_text(edited) == "Sin mentor: la coordinación prohibió la pareja con Ada."
        assert why.unmatched_text({"reasons": [["forbidden", 1]], "sentence": "All candidate mentors were full."}) == (
            "All candidate mentors were full.")  # words the core never wrote stay as stored


def test_stored_parts_win_over_the_sentence(app):
    with app.app_context():
        assert RunPair.sentence_parts.type.python_type is not None and Pairing.sentence_parts is not None
    row = {"sentence": "whatever was stored", "sentence_parts": [["continuing", {}], ["overlap", {"hours": 3}]]}
    with app.test_request_context(headers={"Accept-Language": "pt"}):
        assert why.pair_text(row) == "continua da rodada anterior; 3 h de horário de trabalho em comum"


def test_the_mentor_directory_says_why_in_the_mentees_language(app, client, make_user, world, frozen):
    from tests.web.test_lifecycle_data import add_goal, add_mentor, add_term, mid
    python = add_term(app, world.program.id, "Python")
    add_goal(app, mid(world, world.mentee), topics=[python], years=2, preference="ahead")
    add_mentor(app, make_user, world, "Zoe Python", topics=[python], years=6)
    with app.app_context():
        db.session.get(User, world.mentee.id).locale = "pt"
        db.session.commit()
    login(client, world.mentee)
    html = client.get(f"/requests/programs/{world.program.id}/mentors").get_data(as_text=True)
    assert "cobre 1 de 1 tema (Python)" in html and "4 anos à frente, como pedido" in html
    assert "covers 1 of 1 topic" not in html


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_every_kind_of_help_is_translated_and_a_forbid_keeps_its_own_words(app, lang):
    cases = [[["capacity_full", 2]], [["team_cap", 1]], [["group_balance", 1]], [["not_chosen", 1]],
             [["no_shared_language", 2]], [["below_min_score", 3]], [["below_min_overlap", 1]],
             [["mentor_unavailable", 1]], [["forbidden", 1]], []]
    rows = [{"reasons": r, "help": why.help_for(r, [])} for r in cases]
    rows.append({"reasons": [["no_shared_language", 2]], "help": why.help_for([["no_shared_language", 2]], ["pt", "de"])})
    assert rows[-1]["help"] == "A mentor with a free seat who speaks Portuguese or German."
    with app.test_request_context(headers={"Accept-Language": lang}):
        texts = [why.help_text(row) for row in rows]
        assert why.help_text({"reasons": [["forbidden", 1]], "help": "Swap in another candidate, or run again."}) == {
            "es": "Cambia por otro candidato o vuelve a ejecutar la ronda.",
            "pt": "Troque por outro candidato ou execute a rodada de novo."}[lang]
        assert why.help_text({"reasons": [], "help": "Ask Ada."}) == "Ask Ada."
    assert all(text != row["help"] for text, row in zip(texts, rows)), texts
    assert len(set(texts)) == len(texts) - 1  # no_shared_language without their languages reads as "more mentors"
    assert texts[-1] == {"es": "Un mentor con una plaza libre que hable portugués o alemán.",
                         "pt": "Um mentor com vaga livre que fale português ou alemão."}[lang]
