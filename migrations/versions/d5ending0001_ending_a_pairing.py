"""ending a pairing: ended_early and inactive states, the reason and who ended it, the
inactivity nudge, the closing survey, and each program's inactivity setting

Revision ID: d5ending0001
Revises: d6release001
Create Date: 2026-11-26 19:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd5ending0001'
down_revision = 'd6release001'
branch_labels = None
depends_on = None

OLD_STATES = "state IN ('proposed', 'info_requested', 'accepted', 'active', 'completed', 'declined', 'expired')"
NEW_STATES = ("state IN ('proposed', 'info_requested', 'accepted', 'active', 'completed', 'declined', 'expired', "
              "'ended_early', 'inactive')")


def upgrade():
    with op.batch_alter_table('programs') as batch_op:
        batch_op.add_column(sa.Column('inactive_weeks', sa.Integer(), server_default='6', nullable=False))
        batch_op.create_check_constraint(op.f('ck_programs_inactive_weeks'), 'inactive_weeks >= 0 AND inactive_weeks <= 52')
    with op.batch_alter_table('pairings') as batch_op:
        batch_op.add_column(sa.Column('end_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('ended_by_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('inactivity_nudged_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_pairings_ended_by_user_id_users'), 'users',
                                    ['ended_by_user_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(op.f('ck_pairings_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_pairings_state'), NEW_STATES)
        batch_op.create_check_constraint(op.f('ck_pairings_ended_early_has_reason'),
                                         "state != 'ended_early' OR end_reason != ''")
    op.create_table(
        'closing_surveys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pairing_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=8), nullable=False),
        sa.Column('recommend', sa.Integer(), nullable=True),
        sa.Column('changed', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('recommend IS NULL OR (recommend >= 0 AND recommend <= 10)',
                           name=op.f('ck_closing_surveys_recommend_0_10')),
        sa.CheckConstraint("role IN ('mentee', 'mentor')", name=op.f('ck_closing_surveys_role')),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'],
                                name=op.f('fk_closing_surveys_membership_id_memberships'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'],
                                name=op.f('fk_closing_surveys_pairing_id_pairings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_closing_surveys')),
        sa.UniqueConstraint('pairing_id', 'membership_id', name=op.f('uq_closing_surveys_pairing_id_membership_id')),
    )
    with op.batch_alter_table('closing_surveys') as batch_op:
        batch_op.create_index(batch_op.f('ix_closing_surveys_pairing_id'), ['pairing_id'], unique=False)


def downgrade():
    with op.batch_alter_table('closing_surveys') as batch_op:
        batch_op.drop_index(batch_op.f('ix_closing_surveys_pairing_id'))
    op.drop_table('closing_surveys')
    op.execute("UPDATE pairings SET state = 'completed' WHERE state IN ('ended_early', 'inactive')")
    with op.batch_alter_table('pairings') as batch_op:
        batch_op.drop_constraint(op.f('ck_pairings_ended_early_has_reason'), type_='check')
        batch_op.drop_constraint(op.f('ck_pairings_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_pairings_state'), OLD_STATES)
        batch_op.drop_constraint(batch_op.f('fk_pairings_ended_by_user_id_users'), type_='foreignkey')
        batch_op.drop_column('inactivity_nudged_at')
        batch_op.drop_column('ended_by_user_id')
        batch_op.drop_column('end_reason')
    with op.batch_alter_table('programs') as batch_op:
        batch_op.drop_constraint(op.f('ck_programs_inactive_weeks'), type_='check')
        batch_op.drop_column('inactive_weeks')
