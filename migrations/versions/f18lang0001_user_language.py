"""A person's language (issue 18): users.locale, None meaning the browser's.

Revision ID: f18lang0001
Revises: e4oidc00001
"""
import sqlalchemy as sa
from alembic import op

revision = 'f18lang0001'
down_revision = 'e4oidc00001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('locale')
