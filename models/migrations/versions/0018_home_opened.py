"""home opened: when a Slack account last opened the bot's Home tab (only a tab she has opened is redrawn)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('chatidentity') as batch:
        batch.add_column(sa.Column('home_opened_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('chatidentity') as batch:
        batch.drop_column('home_opened_at')
