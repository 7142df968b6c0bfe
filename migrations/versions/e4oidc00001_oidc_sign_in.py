"""OpenID Connect sign-in: linked identities (issuer, subject) -> user, and programs that require SSO

Revision ID: e4oidc00001
Revises: e2questions1
Create Date: 2026-11-26 23:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e4oidc00001'
down_revision = 'e2questions1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'linked_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_linked_identities_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_identities')),
        sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_linked_identities_issuer_subject')),
    )
    op.create_index(op.f('ix_linked_identities_user_id'), 'linked_identities', ['user_id'], unique=False)
    with op.batch_alter_table('programs') as batch:
        batch.add_column(sa.Column('requires_sso', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('programs') as batch:
        batch.drop_column('requires_sso')
    op.drop_index(op.f('ix_linked_identities_user_id'), table_name='linked_identities')
    op.drop_table('linked_identities')
