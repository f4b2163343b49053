"""shifts by room and start: who asked for cover in a room at a time is read through an index on both, not every
shift of the Alliance at that hour

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 20:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_shift_room_start', 'shift', ['room_id', 'starts_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_shift_room_start', table_name='shift')
