"""meetings: proposed slots, the booked meeting, did you meet; outbox attachments

Revision ID: d4meeting001
Revises: d2contact001
Create Date: 2026-11-26 19:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd4meeting001'
down_revision = 'd2contact001'
branch_labels = None
depends_on = None

PROPOSED = sa.text("state = 'proposed'")


def upgrade():
    op.create_table(
        'meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('pairing_id', sa.Integer(), nullable=True),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('uid', sa.String(length=200), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('organizer_membership_id', sa.Integer(), nullable=False),
        sa.Column('proposer_membership_id', sa.Integer(), nullable=False),
        sa.Column('duration', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=True),
        sa.Column('video_link', sa.String(length=500), nullable=False),
        sa.Column('mentee_met', sa.String(length=5), nullable=True),
        sa.Column('mentee_met_note', sa.String(length=200), nullable=False),
        sa.Column('mentor_met', sa.String(length=5), nullable=True),
        sa.Column('mentor_met_note', sa.String(length=200), nullable=False),
        sa.Column('met_asked_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('booked_at', sa.DateTime(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('(pairing_id IS NULL) <> (request_id IS NULL)', name=op.f('ck_meetings_one_item')),
        sa.CheckConstraint("state IN ('proposed', 'booked', 'cancelled', 'done')", name=op.f('ck_meetings_state')),
        sa.CheckConstraint('duration IN (15, 30, 60)', name=op.f('ck_meetings_duration')),
        sa.CheckConstraint("state NOT IN ('booked', 'done') OR starts_at IS NOT NULL",
                           name=op.f('ck_meetings_booked_has_start')),
        sa.CheckConstraint('sequence >= 0', name=op.f('ck_meetings_sequence')),
        sa.CheckConstraint("mentee_met IS NULL OR mentee_met IN ('yes', 'no', 'moved')",
                           name=op.f('ck_meetings_mentee_met')),
        sa.CheckConstraint("mentor_met IS NULL OR mentor_met IN ('yes', 'no', 'moved')",
                           name=op.f('ck_meetings_mentor_met')),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_meetings_program_id_programs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_meetings_pairing_id_pairings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['request_id'], ['micro_requests.id'],
                                name=op.f('fk_meetings_request_id_micro_requests'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organizer_membership_id'], ['memberships.id'],
                                name=op.f('fk_meetings_organizer_membership_id_memberships'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['proposer_membership_id'], ['memberships.id'],
                                name=op.f('fk_meetings_proposer_membership_id_memberships'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
        sa.UniqueConstraint('uid', name=op.f('uq_meetings_uid')),
    )
    op.create_index(op.f('ix_meetings_pairing_id'), 'meetings', ['pairing_id'])
    op.create_index(op.f('ix_meetings_request_id'), 'meetings', ['request_id'])
    op.create_index('ix_meetings_program_state', 'meetings', ['program_id', 'state'])
    op.create_index('uq_meetings_proposed_pairing', 'meetings', ['pairing_id'], unique=True,
                    postgresql_where=PROPOSED, sqlite_where=PROPOSED)
    op.create_index('uq_meetings_proposed_request', 'meetings', ['request_id'], unique=True,
                    postgresql_where=PROPOSED, sqlite_where=PROPOSED)
    op.create_table(
        'meeting_slots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_slots_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_slots')),
        sa.UniqueConstraint('meeting_id', 'starts_at', name='uq_meeting_slots_start'),
    )
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.drop_column('attachments')
    op.drop_table('meeting_slots')
    op.drop_index('uq_meetings_proposed_request', table_name='meetings')
    op.drop_index('uq_meetings_proposed_pairing', table_name='meetings')
    op.drop_index('ix_meetings_program_state', table_name='meetings')
    op.drop_index(op.f('ix_meetings_request_id'), table_name='meetings')
    op.drop_index(op.f('ix_meetings_pairing_id'), table_name='meetings')
    op.drop_table('meetings')
