"""messages between the two people of a pairing or micro-request, and where each has read to

Revision ID: d3threads001
Revises: d5ending0001
Create Date: 2026-11-26 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd3threads001'
down_revision = 'd5ending0001'
branch_labels = None
depends_on = None

ONE_ITEM = "(pairing_id IS NULL) <> (request_id IS NULL)"


def upgrade():
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('pairing_id', sa.Integer(), nullable=True),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('author_membership_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(ONE_ITEM, name=op.f('ck_messages_one_item')),
        sa.CheckConstraint('length(body) BETWEEN 1 AND 4000', name=op.f('ck_messages_body_length')),
        sa.ForeignKeyConstraint(['author_membership_id'], ['memberships.id'],
                                name=op.f('fk_messages_author_membership_id_memberships'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_messages_pairing_id_pairings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_messages_program_id_programs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['request_id'], ['micro_requests.id'],
                                name=op.f('fk_messages_request_id_micro_requests'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    )
    op.create_index('ix_messages_pairing_created', 'messages', ['pairing_id', 'created_at'])
    op.create_index('ix_messages_request_created', 'messages', ['request_id', 'created_at'])
    op.create_table(
        'thread_reads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('pairing_id', sa.Integer(), nullable=True),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('last_read_message_id', sa.Integer(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=True),
        sa.Column('last_emailed_at', sa.DateTime(), nullable=True),
        sa.Column('last_emailed_message_id', sa.Integer(), nullable=False),
        sa.CheckConstraint(ONE_ITEM, name=op.f('ck_thread_reads_one_item')),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'],
                                name=op.f('fk_thread_reads_membership_id_memberships'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_thread_reads_pairing_id_pairings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['request_id'], ['micro_requests.id'],
                                name=op.f('fk_thread_reads_request_id_micro_requests'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_reads')),
        sa.UniqueConstraint('membership_id', 'pairing_id', name='uq_thread_reads_pairing'),
        sa.UniqueConstraint('membership_id', 'request_id', name='uq_thread_reads_request'),
    )


def downgrade():
    op.drop_table('thread_reads')
    op.drop_index('ix_messages_request_created', table_name='messages')
    op.drop_index('ix_messages_pairing_created', table_name='messages')
    op.drop_table('messages')
