"""data rights: account deletion with a grace period, removed members, ended programs

Revision ID: e3rights001
Revises: e1finish001
Create Date: 2026-11-26 22:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e3rights001'
down_revision = 'e1finish001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('deletion_due_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('deletion_round', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('memberships') as batch:
        batch.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('programs') as batch:
        batch.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
    # 'member': a member removed from a program, or an account erased (the audit log shows both).
    with op.batch_alter_table('events') as batch:
        batch.drop_constraint(op.f('ck_events_subject_type'), type_='check')
        batch.create_check_constraint(op.f('ck_events_subject_type'),
                                      "subject_type IN ('pairing', 'request', 'mentor', 'member')")


def downgrade():
    with op.batch_alter_table('events') as batch:
        batch.drop_constraint(op.f('ck_events_subject_type'), type_='check')
        batch.create_check_constraint(op.f('ck_events_subject_type'),
                                      "subject_type IN ('pairing', 'request', 'mentor')")
    with op.batch_alter_table('programs') as batch:
        batch.drop_column('anonymised_at')
        batch.drop_column('ended_at')
    with op.batch_alter_table('memberships') as batch:
        batch.drop_column('removed_at')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('deletion_round')
        batch.drop_column('erased_at')
        batch.drop_column('deletion_due_at')
