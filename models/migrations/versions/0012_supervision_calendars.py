"""supervision calendars

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The supervisor's calendar has one event per session (its SEQUENCE rises on moves); a teacher's booking is
    # in her calendar once it was confirmed (only then does a move or cancel send her a file).
    with op.batch_alter_table('supervisionsession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('supervisionbooking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('supervisionbooking', schema=None) as batch_op:
        batch_op.drop_column('invited')
    with op.batch_alter_table('supervisionsession', schema=None) as batch_op:
        batch_op.drop_column('sequence')
