"""Attacks on the stand-in "A former member" (retention and erasure, issue 17) in other languages, and
on logging in as it. The stand-in's name and a removed message's body are stored once, in English;
they are shown in the reader's language."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Membership, User
from mentormatch.services import reminders
from mentormatch.services.data_rights.personal import FORMER_MEMBER
from tests.conftest import PASSWORD, csrf_from, login, post_form
from tests.web.test_lifecycle_data import frozen  # noqa: F401
from tests.web.test_threads import pair  # noqa: F401

RETAIN = pytest.mark.parametrize("app", [{"RETENTION_DAYS": 0}], indirect=True)
WORDS = {"es": "Un exmiembro", "pt": "Um ex-membro"}


def _anonymise(app, client, world) -> list[int]:
    base = f"/coordinator/programs/{world.program.id}"
    login(client, world.coordinator)
    assert post_form(client, f"{base}/end", {}, page=base).status_code == 303
    with app.app_context():
        assert reminders.run().programs_anonymised == ["Main program"]
        return list(db.session.scalars(db.select(Membership.user_id).where(Membership.program_id == world.program.id)))


@RETAIN
@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_stand_in_reads_in_the_coordinators_language(app, client, world, frozen, lang):  # noqa: F811
    """Its name was stored English and shown as is on a Spanish or Portuguese page."""
    _anonymise(app, client, world)
    with app.app_context():
        db.session.get(User, world.coordinator.id).locale = lang
        db.session.commit()
    html = client.get(f"/coordinator/programs/{world.program.id}/people").get_data(as_text=True)
    assert FORMER_MEMBER not in html and WORDS[lang] in html
    assert world.mentee.name not in html and world.mentor.name not in html


@RETAIN
def test_nobody_logs_in_as_a_stand_in(app, client, world, frozen):  # noqa: F811
    stand_ins = _anonymise(app, client, world)
    with app.app_context():
        rows = [db.session.get(User, i) for i in stand_ins]
        assert {u.name for u in rows} == {FORMER_MEMBER} and all(u.email.endswith(".invalid") for u in rows)
        emails = [u.email for u in rows]
    for email in emails:
        stranger = app.test_client()
        token = csrf_from(stranger.get("/auth/login").get_data(as_text=True))
        for password in (PASSWORD, "", "!"):
            r = stranger.post("/auth/login", data={"csrf_token": token, "email": email, "password": password})
            assert r.status_code == 200 and "_user_id" not in str(stranger.get_cookie("session"))
        assert stranger.get("/mentee/").status_code == 302, "still signed out"


def test_an_erased_persons_message_reads_removed_in_the_readers_language(app, pair):  # noqa: F811
    """Erasure blanks their messages to "(removed)" and renames them "A former member": both stored in
    English, both were shown as is to a Portuguese-reading mentor."""
    from mentormatch.services.data_rights import erase
    from tests.web.test_threads import client_of, send, thread_url
    w = pair
    assert send(client_of(app, w.mentee), w, "Olá, a minha pergunta").status_code == 303
    with app.app_context():
        erase.erase_user(db.session.get(User, w.mentee.id))
        db.session.get(User, w.mentor.id).locale = "pt"
        db.session.commit()
    r = client_of(app, w.mentor).get(thread_url(w))
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "a minha pergunta" not in html
    assert "(removido)" in html and "(removed)" not in html
    assert FORMER_MEMBER not in html
