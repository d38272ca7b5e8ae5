"""Receiving through the 3PL inbound shipment and lot QC (issue 27 items 5 and 7): a lot
knows the inbound shipment it arrived on; a QC inspection holds its test items (revision
0015, after 0012; created 2026-12-07). New enum values (PURCHASE_ORDER, LOT, CANCELLED) need
no DDL: enums are stored as VARCHAR.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inbound_shipment_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_lots_inbound_shipment_id"), ["inbound_shipment_id"], unique=False
        )
    with op.batch_alter_table("qc_inspections", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "items",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("qc_inspections", schema=None) as batch_op:
        batch_op.drop_column("items")
    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lots_inbound_shipment_id"))
        batch_op.drop_column("inbound_shipment_id")
