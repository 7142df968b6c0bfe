"""races in the database: one pending request per mentee and mentor; a round's current run

Revision ID: c3races00001
Revises: c5import0001
Create Date: 2026-11-26 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3races00001'
down_revision = 'c5import0001'
branch_labels = None
depends_on = None

PENDING_WHERE = sa.text("state IN ('open', 'info_requested')")


def upgrade():
    with op.batch_alter_table('micro_requests', schema=None) as batch_op:
        batch_op.create_index('uq_micro_requests_pending_pair', ['mentee_membership_id', 'mentor_membership_id'],
                              unique=True, postgresql_where=PENDING_WHERE, sqlite_where=PENDING_WHERE)
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_run_id', sa.Integer(), nullable=True))
    # A run in flight during the upgrade is its round's latest full run: let it settle the round.
    op.execute("UPDATE rounds SET current_run_id = (SELECT max(solve_runs.id) FROM solve_runs "
               "WHERE solve_runs.round_id = rounds.id AND solve_runs.kind = 'full')")


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('current_run_id')
    with op.batch_alter_table('micro_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_micro_requests_pending_pair')
