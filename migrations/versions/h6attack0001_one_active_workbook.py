"""One queued or running workbook per program: a partial unique index, so racing "Prepare workbook"
clicks cannot queue several jobs (a read then an insert let each of them in)

Revision ID: h6attack0001
Revises: f15roles0001
Create Date: 2026-11-27 05:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'h6attack0001'
down_revision = 'f15roles0001'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'running')")


def upgrade():
    # Rows left active twice by the race before this index: all but the newest per program fail.
    op.execute("UPDATE workbook_exports SET status = 'failed', phase = 'failed', "
               "error = 'The worker stopped responding before the workbook was ready. Prepare it again.' "
               "WHERE status IN ('queued', 'running') AND id NOT IN "
               "(SELECT MAX(id) FROM workbook_exports WHERE status IN ('queued', 'running') GROUP BY program_id)")
    op.create_index('uq_workbook_exports_active_program', 'workbook_exports', ['program_id'], unique=True,
                    postgresql_where=ACTIVE, sqlite_where=ACTIVE)


def downgrade():
    op.drop_index('uq_workbook_exports_active_program', table_name='workbook_exports',
                  postgresql_where=ACTIVE, sqlite_where=ACTIVE)
