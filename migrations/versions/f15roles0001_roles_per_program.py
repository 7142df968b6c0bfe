"""One account, roles per program: memberships.role (from users.role), programs.allows_both_sides

Revision ID: f15roles0001
Revises: f15asks00001
Create Date: 2026-11-27 05:05:00

Every existing membership takes the side of its account (users.role), so today's accounts carry
over unchanged; the unique key becomes one membership per (program, person, side).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f15roles0001'
down_revision = 'f15asks00001'
branch_labels = None
depends_on = None


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to change its constraints (batch mode): with foreign keys on, dropping
    the old memberships table would cascade-delete every goal form, pairing, request... of it.
    Off for the rebuild (SQLite honours this outside a transaction only: its DDL here runs in none)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _sqlite_foreign_keys(False)
    # A plain ADD COLUMN (no table rebuild), on SQLite too.
    op.add_column('programs', sa.Column('allows_both_sides', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=8), nullable=True))
    # A coordinator account never had a membership; anything else unexpected falls to 'mentee'
    # rather than failing the upgrade (the CHECK below holds either way).
    op.execute("UPDATE memberships SET role = (SELECT CASE WHEN users.role = 'mentor' THEN 'mentor' ELSE 'mentee' END "
               "FROM users WHERE users.id = memberships.user_id)")
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=8), nullable=False)
        batch_op.drop_constraint('uq_memberships_program_id_user_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_memberships_program_id_user_id_role'), ['program_id', 'user_id', 'role'])
        batch_op.create_check_constraint(batch_op.f('ck_memberships_role'), "role IN ('mentee', 'mentor')")
    _sqlite_foreign_keys(True)


def downgrade():
    # Only one membership per (program, person) fits the old key: the mentee side of a person on
    # both sides of one program is dropped.
    op.execute("DELETE FROM memberships WHERE role = 'mentee' AND EXISTS (SELECT 1 FROM memberships AS m "
               "WHERE m.program_id = memberships.program_id AND m.user_id = memberships.user_id AND m.role = 'mentor')")
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_memberships_role'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_memberships_program_id_user_id_role'), type_='unique')
        batch_op.create_unique_constraint('uq_memberships_program_id_user_id', ['program_id', 'user_id'])
        batch_op.drop_column('role')

    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_column('allows_both_sides')
    _sqlite_foreign_keys(True)
