"""Retention hides people on every page of the ended program (issue 17, item 4): after the run,
a crawl of everything its coordinator can open (program, people, rounds and their review, pairs,
health, report, CSV exports, audit log, mail) names nobody, while the same person's live program
still shows them."""
import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from mentormatch.extensions import db
from mentormatch.models import Event, Membership, Pairing, Program, User
from mentormatch.services import reminders
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import frozen, mid  # noqa: F401
from tests.web.test_rounds_support import make_round, small_world

HREF = re.compile(r'href="([^"#?]+)[^"]*"')
SKIP = ("/logout", "/static/", "/account/delete")


def _text(response) -> str:
    if "spreadsheetml" in response.content_type:  # the workbook: every cell of every sheet
        book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    return response.get_data(as_text=True)


def crawl(client, start: str, prefix: str, limit: int = 300) -> dict[str, str]:
    """Every page reachable from `start` by links under `prefix` (GET only, as a coordinator clicks)."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo and len(seen) < limit:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = _text(response) if response.status_code == 200 else ""
        for link in HREF.findall(unescape(seen[url])):
            if link.startswith((prefix, "/pairings/", "/requests/")) and not any(s in link for s in SKIP) and link not in seen:
                todo.append(link)
    return seen


@pytest.mark.parametrize("app", [{"RETENTION_DAYS": 0, "SOLVE_RUNNER": "inline"}], indirect=True)
def test_after_retention_no_page_of_the_ended_program_names_anyone_and_their_live_program_still_does(
        app, client, world, frozen):  # noqa: F811
    people = small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    base = f"/coordinator/programs/{world.program.id}"
    login(client, world.coordinator)
    page = f"{base}/rounds/{rid}"
    assert post_form(client, page + "/run", {}, page=page).status_code == 303
    assert post_form(client, page + "/approve", {}, page=page).status_code == 303
    # Cy is also in a live program, under the same account.
    cy = people.users["Cy Mentee"]
    with app.app_context():
        db.session.add(Membership(program_id=world.other_program.id, user_id=cy.id))
        pairing = db.session.scalar(db.select(Pairing).where(Pairing.round_id == rid).order_by(Pairing.id))
        db.session.add(Event(program_id=world.program.id, subject_type="pairing", subject_id=pairing.id,
                             from_state="active", to_state="ended_early", actor_user_id=cy.id, note="moved"))
        pairing.ended_by_user_id = cy.id
        db.session.commit()
    names = [u.name for u in people.users.values()] + [world.mentee.name, world.mentor.name]
    emails = list(people.emails.values()) + [world.mentee.email, world.mentor.email]
    before = crawl(client, base, base)
    assert any("Cy Mentee" in html for html in before.values()), "the crawl reaches the pages that name people"
    assert any(f"{base}/audit" in url for url in before) and any("/report" in url for url in before)

    assert post_form(client, f"{base}/end", {}, page=base).status_code == 303
    with app.app_context():
        assert reminders.run().programs_anonymised == ["Main program"]
    after = crawl(client, base, base)
    assert set(before) <= set(after) | {u for u in before if "/people/" in u}, "the same pages are there"
    leaks = [(url, needle) for url, html in after.items() for needle in names + emails if needle in html]
    assert leaks == []
    assert any("A former member" in html for html in after.values())

    with app.app_context():
        account = db.session.get(User, cy.id)
        assert (account.name, account.email) == ("Cy Mentee", cy.email), "the account itself is untouched"
        assert db.session.get(Program, world.program.id).anonymised_at is not None
    client.post("/auth/logout", data={"csrf_token": ""})
    other = f"/coordinator/programs/{world.other_program.id}"
    other_client = app.test_client()
    login(other_client, world.other_coordinator)
    assert "Cy Mentee" in other_client.get(f"{other}/people").get_data(as_text=True)
    mine = app.test_client()
    login(mine, cy)
    assert "Other program" in mine.get("/mentee/").get_data(as_text=True)
