"""site texts in Spanish: address_es, bring_es

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The address and what to bring, as Spanish readers are shown them; empty means the English text is shown.
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_es', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bring_es', sa.String(length=300), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('bring_es')
        batch_op.drop_column('address_es')
