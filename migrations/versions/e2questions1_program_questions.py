"""a program's own questions and their answers (issue 17: custom questions as criteria)

Revision ID: e2questions1
Revises: e3rights001
Create Date: 2026-11-26 23:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e2questions1'
down_revision = 'e3rights001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('help', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('audience', sa.String(length=8), nullable=False),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('criterion', sa.String(length=12), nullable=True),
        sa.Column('weight', sa.Integer(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('slot', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('text', 'one', 'many', 'scale')", name=op.f('ck_questions_kind')),
        sa.CheckConstraint("audience IN ('mentees', 'mentors', 'both')", name=op.f('ck_questions_audience')),
        sa.CheckConstraint("criterion IS NULL OR (criterion IN ('same', 'different', 'must_match') "
                           "AND kind = 'one' AND audience = 'both')", name=op.f('ck_questions_criterion')),
        sa.CheckConstraint('weight >= 0 AND weight <= 100', name=op.f('ck_questions_weight')),
        sa.CheckConstraint('slot IS NULL OR (slot >= 1 AND slot <= 20)', name=op.f('ck_questions_slot')),
        sa.CheckConstraint('(slot IS NULL) = (deleted_at IS NOT NULL)', name=op.f('ck_questions_slot_live')),
        sa.UniqueConstraint('program_id', 'slot', name=op.f('uq_questions_program_id_slot')),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_questions_program_id_programs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    )
    op.create_index(op.f('ix_questions_program_id'), 'questions', ['program_id'])
    op.create_table(
        'question_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'],
                                name=op.f('fk_question_answers_membership_id_memberships'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'],
                                name=op.f('fk_question_answers_question_id_questions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question_answers')),
        sa.UniqueConstraint('question_id', 'membership_id',
                            name=op.f('uq_question_answers_question_id_membership_id')),
    )
    op.create_index(op.f('ix_question_answers_question_id'), 'question_answers', ['question_id'])
    op.create_index(op.f('ix_question_answers_membership_id'), 'question_answers', ['membership_id'])


def downgrade():
    op.drop_table('question_answers')
    op.drop_table('questions')
