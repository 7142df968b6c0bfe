"""pairings: the micro-request an ongoing mentorship was asked from (micro -> macro, issue 14)

Revision ID: d6release001
Revises: d4meeting001
Create Date: 2026-11-26 19:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd6release001'
down_revision = 'd4meeting001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pairings') as batch_op:
        batch_op.add_column(sa.Column('from_request_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_pairings_from_request_id_micro_requests', 'micro_requests',
                                    ['from_request_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('uq_pairings_from_request', ['from_request_id'], unique=True)


def downgrade():
    with op.batch_alter_table('pairings') as batch_op:
        batch_op.drop_index('uq_pairings_from_request')
        batch_op.drop_constraint('fk_pairings_from_request_id_micro_requests', type_='foreignkey')
        batch_op.drop_column('from_request_id')
