"""Pair sentences stored before the first-hour work said "locked by the coordinator" (and "score N
from the given candidate pairs"); mentors and mentees read them. Rewrite them to the current
wording of matching/explain.pair_sentence. Data only: no schema change.

Revision ID: e1finish001
Revises: d3threads001
"""
import re

import sqlalchemy as sa
from alembic import op

revision = 'e1finish001'
down_revision = 'd3threads001'
branch_labels = None
depends_on = None

TABLES = ("run_pairs", "pairings")
_LOCKED = "locked by the coordinator"
_GIVEN = re.compile(r"^score (-?\d+) from the given candidate pairs$")


def rewrite(sentence: str) -> str:
    """One stored sentence in today's words (its parts are joined by "; ")."""
    parts = [p for p in sentence.split("; ") if p != _LOCKED]
    parts = [_GIVEN.sub(r"picked from the program's own candidate list (fit \1)", p) for p in parts]
    return "; ".join(parts)


def upgrade():
    bind = op.get_bind()
    for name in TABLES:
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("sentence", sa.Text))
        rows = bind.execute(sa.select(table.c.id, table.c.sentence).where(sa.or_(
            table.c.sentence.like(f"%{_LOCKED}%"), table.c.sentence.like("%from the given candidate pairs%")))).all()
        for row_id, sentence in rows:
            new = rewrite(sentence)
            if new != sentence:
                bind.execute(sa.update(table).where(table.c.id == row_id).values(sentence=new))


def downgrade():
    pass  # the old wording is not worth restoring
