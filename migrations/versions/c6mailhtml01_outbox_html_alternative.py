"""outbox: the HTML alternative of each email

Revision ID: c6mailhtml01
Revises: c3races00001
Create Date: 2026-11-26 15:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c6mailhtml01'
down_revision = 'c3races00001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.drop_column('html')
