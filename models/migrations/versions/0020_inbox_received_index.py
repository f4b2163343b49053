"""inbox events by arrival: the hourly prune reads the old ones through an index, not the whole inbox

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 01:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_inboxevent_received_at', 'inboxevent', ['received_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_inboxevent_received_at', table_name='inboxevent')
