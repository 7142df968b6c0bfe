"""An import job's error as structured parts (code + values), rendered in the reader's language:
import_jobs.error_parts, None on jobs stored before (their English error is read back).

Revision ID: f15jobs00001
Revises: f15crowd0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'f15jobs00001'
down_revision = 'f15crowd0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_jobs') as batch_op:
        batch_op.add_column(sa.Column('error_parts', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('import_jobs') as batch_op:
        batch_op.drop_column('error_parts')
