"""contact channels: how each person likes to be reached once accepted

Revision ID: d2contact001
Revises: d1activity01
Create Date: 2026-11-26 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd2contact001'
down_revision = 'd1activity01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('video_url', sa.String(length=300), nullable=False),
    sa.Column('show_video', sa.Boolean(), nullable=False),
    sa.Column('chat_service', sa.String(length=16), nullable=False),
    sa.Column('chat_handle', sa.String(length=100), nullable=False),
    sa.Column('show_chat', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('show_phone', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("chat_service IN ('', 'slack', 'discord', 'matrix', 'teams', 'signal', 'telegram', "
                       "'whatsapp', 'other')", name=op.f('ck_contact_channels_chat_service')),
    sa.CheckConstraint("chat_handle = '' OR chat_service != ''", name=op.f('ck_contact_channels_chat_service_named')),
    sa.CheckConstraint("video_url = '' OR video_url LIKE 'https://%' OR video_url LIKE 'http://%'",
                       name=op.f('ck_contact_channels_video_url_http')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contact_channels_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_channels')),
    sa.UniqueConstraint('user_id', name=op.f('uq_contact_channels_user_id'))
    )


def downgrade():
    op.drop_table('contact_channels')
