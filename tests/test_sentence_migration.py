"""Migration e1finish001: pair sentences stored with the old wording ("locked by the coordinator",
which mentors and mentees read) are rewritten to today's, in run pairs and published pairings."""
import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations

from mentormatch.extensions import db
from mentormatch.models import Pairing
from tests.web.test_lifecycle_data import add_pairing, mid

PATH = Path(__file__).resolve().parents[1] / "migrations" / "versions" / "e1finish001_pair_sentences_current_wording.py"
spec = importlib.util.spec_from_file_location("e1finish001", PATH)
migration = importlib.util.module_from_spec(spec)
spec.loader.exec_module(migration)

OLD_LOCKED = "locked by the coordinator; continuing from last round; shares fintech; covers 2 of 3 topics"


@pytest.mark.parametrize(("old", "new"), [
    (OLD_LOCKED, "continuing from last round; shares fintech; covers 2 of 3 topics"),
    ("locked by the coordinator", ""),
    ("locked by the coordinator; score 7 from the given candidate pairs",
     "picked from the program's own candidate list (fit 7)"),
    ("shares fintech; covers 2 of 3 topics", "shares fintech; covers 2 of 3 topics"),
])
def test_old_sentences_read_in_todays_words(old, new):
    assert migration.rewrite(old) == new


def test_the_migration_rewrites_stored_sentences(app, world):
    pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                             sentence=OLD_LOCKED)
    with app.app_context():
        with db.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            migration.upgrade()
        sentence = db.session.get(Pairing, pairing_id).sentence
    assert "locked" not in sentence and sentence.startswith("continuing from last round")
