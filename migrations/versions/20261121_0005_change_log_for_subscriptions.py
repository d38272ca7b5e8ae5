"""Change log for subscriptions: one row per committed change, its channels, the cursor counter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 01:06:48.400380
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('change_cursor',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('pruned_through', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_cursor'))
    )
    op.create_table('change_log',
    sa.Column('cursor', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('committed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('table_name', sa.String(length=63), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=6), nullable=False),
    sa.Column('changed_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('old_values', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('new_values', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('cursor', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_committed_at'), ['committed_at'], unique=False)

    op.create_table('change_log_channels',
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['cursor'], ['change_log.cursor'], name=op.f('fk_change_log_channels_cursor_change_log'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cursor', 'channel', name=op.f('pk_change_log_channels'))
    )
    with op.batch_alter_table('change_log_channels', schema=None) as batch_op:
        batch_op.create_index('ix_change_log_channels_channel_cursor', ['channel', 'cursor'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('change_log_channels', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_channels_channel_cursor')

    op.drop_table('change_log_channels')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_committed_at'))

    op.drop_table('change_log')
    op.drop_table('change_cursor')
