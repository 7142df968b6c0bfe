"""Migration f15roles0001 (issue 15, roles per program): every membership that exists at the old
head takes its account's side (users.role), so today's accounts carry over unchanged, and the new
unique key allows one membership per side."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from mentormatch import create_app
from mentormatch.extensions import db
from tests.conftest import app_config
from tests.test_migrations import empty_database_url  # noqa: F401 (the fixture)

USERS = [(1, "mentee@example.org", "mentee"), (2, "mentor@example.org", "mentor"),
         (3, "cora@example.org", "coordinator"), (4, "both@example.org", "mentor")]


def _seed_at_old_head(conn) -> None:
    for user_id, email, role in USERS:
        conn.execute(text("INSERT INTO users (id, email, name, password_hash, role, created_at, deletion_round) "
                          "VALUES (:id, :email, 'Someone', '!', :role, CURRENT_TIMESTAMP, 0)"),
                     {"id": user_id, "email": email, "role": role})
    for program_id in (10, 11):
        conn.execute(text("INSERT INTO programs (id, name, description, offers_rounds, offers_micro, "
                          "requires_mentor_approval, inactive_weeks, requires_sso, mentor_invite, mentee_invite, created_at) "
                          "VALUES (:id, 'P', '', true, true, false, 6, false, :a, :b, CURRENT_TIMESTAMP)"),
                     {"id": program_id, "a": f"mentor-{program_id}", "b": f"mentee-{program_id}"})
    for membership_id, program_id, user_id in ((100, 10, 1), (101, 10, 2), (102, 11, 1), (103, 11, 4)):
        conn.execute(text("INSERT INTO memberships (id, program_id, user_id, joined_at) "
                          "VALUES (:id, :p, :u, CURRENT_TIMESTAMP)"), {"id": membership_id, "p": program_id, "u": user_id})
    # What hangs off a membership (on SQLite the table is rebuilt: this must survive it).
    conn.execute(text("INSERT INTO goal_steps (membership_id, title, position, created_at) "
                      "VALUES (100, 'Read the book', 0, CURRENT_TIMESTAMP)"))


def test_existing_memberships_take_their_accounts_side(empty_database_url):  # noqa: F811
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="f15asks00001")
        with db.engine.begin() as conn:
            _seed_at_old_head(conn)
        upgrade(revision="f15roles0001")
        with db.engine.begin() as conn:
            sides = dict(conn.execute(text("SELECT id, role FROM memberships")).all())
            assert sides == {100: "mentee", 101: "mentor", 102: "mentee", 103: "mentor"}
            assert set(conn.execute(text("SELECT allows_both_sides FROM programs")).scalars()) == {False}
            assert conn.execute(text("SELECT membership_id FROM goal_steps")).scalars().all() == [100]
            # Accounts are untouched: users.role still holds what it held.
            assert dict(conn.execute(text("SELECT id, role FROM users")).all()) == {u: r for u, _e, r in USERS}
            # The other side of the same program is a second row now; the same side twice is not.
            conn.execute(text("INSERT INTO memberships (id, program_id, user_id, role, joined_at) "
                              "VALUES (104, 10, 1, 'mentor', CURRENT_TIMESTAMP)"))
        for side in ("mentee", "admin"):  # the same side twice; a side that is none
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                conn.execute(text("INSERT INTO memberships (program_id, user_id, role, joined_at) "
                                  "VALUES (10, 1, :side, CURRENT_TIMESTAMP)"), {"side": side})
        # Down again: one membership per (program, person), the mentor side kept.
        downgrade(revision="f15asks00001")
        assert "role" not in {c["name"] for c in inspect(db.engine).get_columns("memberships")}
        with db.engine.begin() as conn:
            assert sorted(conn.execute(text("SELECT id FROM memberships")).scalars()) == [101, 102, 103, 104]
        db.engine.dispose()
