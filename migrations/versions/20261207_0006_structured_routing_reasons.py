"""Structured routing reasons: a code and figures beside the text, so each viewer's text is
built from what it may see; rows routed before keep their text and no structure
(revision 0006, after 0005; created 2026-12-07).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"

JSON_VALUE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('manufacturing_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('routing_reason_detail', JSON_VALUE, nullable=True))
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_detail', JSON_VALUE, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.drop_column('reason_detail')
    with op.batch_alter_table('manufacturing_jobs', schema=None) as batch_op:
        batch_op.drop_column('routing_reason_detail')
