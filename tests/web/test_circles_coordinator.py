"""A coordinator's list of the program's circles and peer pairs, on the program's health page:
who is in each, how much they wrote and when, how many meetings they held; ended ones last."""
import re

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Circle, Meeting
from tests.web.test_circles import as_user, circle, make_circle, mid, send  # noqa: F401 (circle: a fixture)


def row_of(html: str, circle_id: int) -> list[str]:
    """The cells of the list's row that links to the circle, as text."""
    row = re.search(rf'<tr><td><a href="/circles/{circle_id}">.*?</tr>', html, re.S).group(0)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_the_health_page_lists_each_circle_with_its_talk_and_meetings(app, circle):
    w = circle
    for person, words in ((w.ana, "Hello circle"), (w.ben, "Hola")):
        send(as_user(app, person), w, words)
    pair_id = make_circle(app, w.program.id, [mid(w, w.dana), mid(w, w.ana)], name="", kind="pair")
    with app.app_context():
        db.session.add(Meeting(program_id=w.program.id, circle_id=w.circle_id, uid="held@test", state="done",
                               organizer_membership_id=mid(w, w.ana), proposer_membership_id=mid(w, w.ana),
                               starts_at=clock.now()))
        db.session.get(Circle, w.other_circle_id).ended_at = clock.now()
        db.session.commit()

    html = as_user(app, w.coordinator).get(f"/coordinator/programs/{w.program.id}/health").get_data(as_text=True)
    assert "Circles and peer pairs (3)" in html
    assert row_of(html, w.circle_id) == ["Career changers", "4 members", "2", clock.now().strftime("%-d %b"), "1"]
    assert row_of(html, pair_id) == ["Dana, Ana", "Peer pair", "0", "–", "0"]
    assert row_of(html, w.other_circle_id) == ["Night owls ended", "1 member", "0", "–", "0"]
    assert html.index(f'"/circles/{w.other_circle_id}"') > html.index(f'"/circles/{pair_id}"'), "ended last"


def test_a_program_without_circles_shows_no_such_section(app, world):
    html = as_user(app, world.coordinator).get(f"/coordinator/programs/{world.program.id}/health").get_data(as_text=True)
    assert 'id="circles"' not in html
