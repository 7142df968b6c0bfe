"""pairings: when the two last did something together

Revision ID: d1activity01
Revises: c6mailhtml01
Create Date: 2026-11-26 19:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd1activity01'
down_revision = 'c6mailhtml01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pairings') as batch_op:
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('pairings') as batch_op:
        batch_op.drop_column('last_activity_at')
