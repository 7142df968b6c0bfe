"""A peer round's groups as CSV for the coordinator: a row per person with their group's number,
size, fit, lock and why; formula-safe; the program's coordinators only."""
import csv
import io

import pytest

from mentormatch.extensions import db
from mentormatch.models import User
from tests.conftest import login
from tests.web.test_peer_rounds import peer_round, peers, post, url
from tests.web.test_rounds_support import round_state

INLINE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)


@INLINE
def test_the_groups_export_has_a_row_per_person_and_is_formula_safe(app, client, world):
    peers(app, world.program.id, n=4)
    with app.app_context():  # a name a spreadsheet would run
        db.session.get(User, db.session.scalar(db.select(User.id).where(User.name == "Cai Peer"))).name = "=Cai Peer"
        db.session.commit()
    rid = peer_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    assert round_state(app, rid) == "proposed"
    assert f'href="{url(world, rid, "/export.csv")}"' in client.get(url(world, rid)).get_data(as_text=True)

    response = client.get(url(world, rid, "/export.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'round-{rid}-peers.csv' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == ["group", "size", "score", "locked", "person", "email", "facilitator", "why"]
    assert len(rows) == 4 and sorted({r["group"] for r in rows}) == ["1", "2"]
    assert all(r["size"] == "2" for r in rows)
    with app.app_context():
        emails = dict(db.session.execute(db.select(User.name, User.email).where(User.name.like("%Peer"))).all())
    by_name = {r["person"]: r for r in rows}
    assert by_name["Ana Peer"]["group"] == by_name["Ben Peer"]["group"]
    assert "Ana Peer can help Ben Peer with interviews" in by_name["Ana Peer"]["why"]
    assert "'=Cai Peer" in by_name, "formula-safe"
    assert all(r["email"] == emails[r["person"].lstrip("'")] for r in rows)


@INLINE
def test_another_programs_coordinator_cannot_export_the_groups(app, client, world):
    peers(app, world.program.id, n=4)
    rid = peer_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    other = app.test_client()
    login(other, world.other_coordinator)
    assert other.get(url(world, rid, "/export.csv")).status_code == 404
