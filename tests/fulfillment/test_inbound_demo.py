"""The demo's 3PL inbound: its centers, and its shipped job's goods expected at the default
center when the job shipped, received, passed through QC and stocked — all through the
workflows, as GraphiQL shows them on a fresh start."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import FulfillmentCenter, InboundShipment, ManufacturingJob, StatusChange, Variant
from demo.seed import load_demo_data
from domain.fulfillment import InboundSourceType
from domain.jobs import JobStatus
from tests.support import fulfillment


async def test_the_demo_shipped_job_has_its_inbound_stocked_after_qc(
    database: Any, files_settings: Any
) -> None:
    await load_demo_data(database, files=files_settings)
    async with database.transaction() as session:
        centers = {c.code: c for c in (await session.scalars(select(FulfillmentCenter))).all()}
        shipped = (
            await session.scalars(
                select(ManufacturingJob).where(ManufacturingJob.status == JobStatus.SHIPPED)
            )
        ).all()
        # Purchase orders' shipments are procurement's demo (received in lots).
        shipments = (
            await session.scalars(
                select(InboundShipment).where(
                    InboundShipment.source_type == InboundSourceType.MANUFACTURING_JOB
                )
            )
        ).all()
        history = (
            await session.scalars(
                select(StatusChange.to_status)
                .where(
                    StatusChange.entity_type == "InboundShipment",
                    StatusChange.entity_id.in_([s.id for s in shipments]),
                )
                .order_by(StatusChange.occurred_at)
            )
        ).all()
        polo = (await session.scalars(select(Variant).where(Variant.sku == "POLO-NAV-M"))).one()
    assert centers["FC-LA"].name == "Medallion LA" and centers["FC-LA"].is_default
    assert centers["FC-EAST"].name == "East Coast Warehouse"
    assert shipped and {s.source_id for s in shipments} == {job.id for job in shipped}
    for shipment in shipments:
        assert shipment.fulfillment_center_id == centers["FC-LA"].id
        assert shipment.status.value == "STOCKED"
        assert shipment.tracking_number and shipment.tracking_url
    assert history[:3] == ["RECEIVED", "INSPECTING", "STOCKED"]
    stock = await fulfillment.ledger(database, centers["FC-LA"].id, polo.id)
    assert stock.balances and stock.on_hand >= 30 and stock.incoming == 0
