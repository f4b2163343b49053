"""replies first: outbox priority 0 is now a reply to the person who just wrote, urgent moves to 1

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

outbox = sa.table('outboxmessage', sa.column('priority', sa.Integer))


def upgrade() -> None:
    # Offers and escalations queued before the upgrade keep their place behind the new replies-first level.
    op.execute(outbox.update().where(outbox.c.priority == 0).values(priority=1))


def downgrade() -> None:
    op.execute(outbox.update().where(outbox.c.priority == 1).values(priority=0))
