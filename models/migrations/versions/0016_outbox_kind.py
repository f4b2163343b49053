"""outbox kind: a row is a chat message, or a person's surface to redraw (Slack Home tab, Telegram command menu)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outboxmessage') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=12), nullable=False, server_default='message'))
    op.create_index('ix_outbox_surface', 'outboxmessage', ['kind', 'chat_id'])


def downgrade() -> None:
    op.drop_index('ix_outbox_surface', table_name='outboxmessage')
    with op.batch_alter_table('outboxmessage') as batch:
        batch.drop_column('kind')
