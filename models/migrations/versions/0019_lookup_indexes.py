"""lookup indexes: a person's accounts by (person, platform); people by role, age group and credential

SQLite keeps no statistics, so without these it read every account of a platform (through the unique
(platform, user) index) to find a few people's chats, and every role, age group and credential row to find the
floaters or directors: once per message sent, and several times per message received.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('chatidentity') as batch:
        batch.drop_index('ix_chatidentity_person_id')
        batch.create_index('ix_chatidentity_person_platform', ['person_id', 'platform'], unique=False)
    op.create_index('ix_personrole_role', 'personrole', ['role', 'person_id'], unique=False)
    op.create_index('ix_personagegroup_age_group', 'personagegroup', ['age_group', 'person_id'], unique=False)
    op.create_index('ix_credential_code', 'credential', ['code', 'person_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_credential_code', table_name='credential')
    op.drop_index('ix_personagegroup_age_group', table_name='personagegroup')
    op.drop_index('ix_personrole_role', table_name='personrole')
    with op.batch_alter_table('chatidentity') as batch:
        batch.drop_index('ix_chatidentity_person_platform')
        batch.create_index('ix_chatidentity_person_id', ['person_id'], unique=False)
