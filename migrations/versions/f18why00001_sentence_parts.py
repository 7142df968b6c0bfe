"""Why-this-match as structured parts (issue 18): run_pairs.sentence_parts and
pairings.sentence_parts, [[code, {values}], ...] from matching/explain.pair_parts, rendered in
the reader's language at display time. None on rows written before: those show their stored
English sentence, or its parts when services/why.py can read them back from it exactly.

Revision ID: f18why00001
Revises: f18lang0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'f18why00001'
down_revision = 'f18lang0001'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('run_pairs', 'pairings'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('sentence_parts', sa.JSON(), nullable=True))


def downgrade():
    for table in ('run_pairs', 'pairings'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('sentence_parts')
