"""Circle pages: a circle's shared thread and meetings (Message, ThreadRead and Meeting gain
circle_id, exactly one of three items), and each member's "did you meet?" about a circle meeting

Revision ID: f15circle001
Revises: h6attack0001
Create Date: 2026-11-27 04:56:36.513837

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f15circle001'
down_revision = 'h6attack0001'
branch_labels = None
depends_on = None

TWO = "(pairing_id IS NULL) <> (request_id IS NULL)"
THREE = ("(CASE WHEN pairing_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN request_id IS NULL THEN 0 ELSE 1 END)"
         " + (CASE WHEN circle_id IS NULL THEN 0 ELSE 1 END) = 1")
PROPOSED = sa.text("state = 'proposed'")


def upgrade():
    op.create_table('meeting_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.String(length=5), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("met IN ('yes', 'no', 'moved')", name=op.f('ck_meeting_answers_met')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_answers_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_meeting_answers_membership_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_answers')),
    sa.UniqueConstraint('meeting_id', 'membership_id', name='uq_meeting_answers_member')
    )
    with op.batch_alter_table('meeting_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_answers_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circle_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index('uq_meetings_proposed_circle', ['circle_id'], unique=True,
                              postgresql_where=PROPOSED, sqlite_where=PROPOSED)
        batch_op.create_foreign_key(batch_op.f('fk_meetings_circle_id_circles'), 'circles', ['circle_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(op.f('ck_meetings_one_item'), type_='check')
        batch_op.create_check_constraint(op.f('ck_meetings_one_item'), THREE)

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circle_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_messages_circle_created', ['circle_id', 'created_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_messages_circle_id_circles'), 'circles', ['circle_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(op.f('ck_messages_one_item'), type_='check')
        batch_op.create_check_constraint(op.f('ck_messages_one_item'), THREE)

    with op.batch_alter_table('thread_reads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circle_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_thread_reads_circle', ['membership_id', 'circle_id'])
        batch_op.create_foreign_key(batch_op.f('fk_thread_reads_circle_id_circles'), 'circles', ['circle_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(op.f('ck_thread_reads_one_item'), type_='check')
        batch_op.create_check_constraint(op.f('ck_thread_reads_one_item'), THREE)


def downgrade():
    # A circle's messages, reads and meetings have no place in the two-item schema.
    op.execute("DELETE FROM thread_reads WHERE circle_id IS NOT NULL")
    op.execute("DELETE FROM messages WHERE circle_id IS NOT NULL")
    op.execute("DELETE FROM meetings WHERE circle_id IS NOT NULL")
    with op.batch_alter_table('thread_reads', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_thread_reads_one_item'), type_='check')
        batch_op.create_check_constraint(op.f('ck_thread_reads_one_item'), TWO)
        batch_op.drop_constraint(batch_op.f('fk_thread_reads_circle_id_circles'), type_='foreignkey')
        batch_op.drop_constraint('uq_thread_reads_circle', type_='unique')
        batch_op.drop_column('circle_id')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_messages_one_item'), type_='check')
        batch_op.create_check_constraint(op.f('ck_messages_one_item'), TWO)
        batch_op.drop_constraint(batch_op.f('fk_messages_circle_id_circles'), type_='foreignkey')
        batch_op.drop_index('ix_messages_circle_created')
        batch_op.drop_column('circle_id')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meetings_one_item'), type_='check')
        batch_op.create_check_constraint(op.f('ck_meetings_one_item'), TWO)
        batch_op.drop_constraint(batch_op.f('fk_meetings_circle_id_circles'), type_='foreignkey')
        batch_op.drop_index('uq_meetings_proposed_circle', postgresql_where=PROPOSED, sqlite_where=PROPOSED)
        batch_op.drop_index(batch_op.f('ix_meetings_circle_id'))
        batch_op.drop_column('circle_id')

    with op.batch_alter_table('meeting_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_answers_meeting_id'))

    op.drop_table('meeting_answers')
