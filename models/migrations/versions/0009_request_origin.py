"""request origin

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Where a request came from: chat, the Hub, a supervision booking, the CLI. Earlier requests came from chat.
    with op.batch_alter_table('coverrequest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=12), nullable=False, server_default='chat'))


def downgrade() -> None:
    with op.batch_alter_table('coverrequest', schema=None) as batch_op:
        batch_op.drop_column('origin')
