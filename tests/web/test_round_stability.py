"""The round page shows, beside each run, how many blocking pairs it has, and lists them with
what each side would gain."""
import re

import pytest

from mentormatch.extensions import db
from mentormatch.models.rounds import SolveRun
from tests.conftest import login, post_form
from tests.web.test_rounds_support import add_people, latest_run_id, make_round

INLINE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)


@INLINE
def test_each_run_shows_its_blocking_pairs_and_what_they_would_gain(app, client, world):
    # Ann and Mia fit each other best, but Ann-Max + Ben-Mia has the higher total: the optimum
    # takes it, and (Ann, Mia) is a blocking pair.
    add_people(app, world.program.id,
               mentors=[{"name": "Mia Mentor", "years": 8, "topics": ["python", "sql"], "capacity_round": 1},
                        {"name": "Max Mentor", "years": 8, "topics": ["python"], "capacity_round": 1}],
               mentees=[{"name": "Ann Mentee", "years": 3, "topics": ["python", "sql"]},
                        {"name": "Ben Mentee", "years": 3, "topics": ["sql", "design"]}])
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    page_url = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    assert post_form(client, page_url + "/run", {}, page=page_url).status_code == 303
    run_id = latest_run_id(app, rid)
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        assert run.status == "done"
        stability = run.charts["stability"]
    assert stability["blocking"] == 1
    ((mentee, mentor, score, mentee_gain, mentor_gain),) = stability["pairs"]
    assert (mentee, mentor) == ("Ann Mentee", "Mia Mentor") and mentee_gain > 0 and mentor_gain > 0

    page = client.get(page_url).get_data(as_text=True)
    assert "1 blocking pair</summary>" in page
    assert re.search(r"<td>Ann Mentee</td><td>Mia Mentor</td><td class=\"num\">" + str(score) +
                     r"</td><td class=\"num\">\+" + str(mentee_gain), page)
    runs = page[page.index('id="runs"'):]
    assert "Blocking pairs" in runs and '<td class="num">1</td>' in runs
