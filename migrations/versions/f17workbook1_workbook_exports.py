"""Workbook exports prepared in the background: the job row and the file until it expires

Revision ID: f17workbook1
Revises: f18why00001
Create Date: 2026-11-27 02:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'f17workbook1'
down_revision = 'f18why00001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'workbook_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('phase', sa.String(length=24), nullable=False),
        sa.Column('progress', sa.JSON(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('job_id', sa.String(length=64), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')",
                           name=op.f('ck_workbook_exports_status')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_workbook_exports_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_workbook_exports_program_id_programs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workbook_exports')),
    )
    op.create_index(op.f('ix_workbook_exports_program_id'), 'workbook_exports', ['program_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_workbook_exports_program_id'), table_name='workbook_exports')
    op.drop_table('workbook_exports')
