"""leases and claims: one leader at a time with a fencing token, and outbox rows claimed before they are sent

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'lease',
        sa.Column('name', sa.String(length=40), primary_key=True),
        sa.Column('holder', sa.String(length=63), nullable=False),
        sa.Column('token', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table('outboxmessage') as batch:
        batch.add_column(sa.Column('claim_token', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('claimed_by', sa.String(length=63), nullable=True))
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage') as batch:
        batch.drop_column('claimed_at')
        batch.drop_column('claimed_by')
        batch.drop_column('claim_token')
    op.drop_table('lease')
