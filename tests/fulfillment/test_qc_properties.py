"""QC arithmetic (BR-19, BR-21): whatever was expected, counted, passed and failed, the
passed units are exactly what is stocked, every inspected unit leaves `incoming`, each line's
passed and failed add up to what was received, and the ledger balances. Checked on the rules
alone (many cases) and through receipt and inspection on each database (fewer)."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.engine import Database
from db.models import InboundShipmentItem, QcPhoto, StoredFile
from domain.files import ContentType, FilePurpose, Retention
from domain.fulfillment import (
    FAILING_RESULTS,
    PASSING_RESULTS,
    InboundSourceType,
    InboundStatus,
    LineVerdict,
    PackageCondition,
    QcPhotoKind,
    QcResult,
    inbound_outcome,
    result_problem,
    stocked_quantity,
    verdict_problem,
)
from domain.jobs import JobStatus
from resolvers.fulfillment import inbound, inspections
from resolvers.ids import encode_id
from tests.support import fulfillment, seeding
from tests.support.graphql import GraphQLClient
from tests.support.job_support import catalog

# (received, passed) per line; failed is the rest.
verdict_lines = st.lists(
    st.integers(min_value=0, max_value=40).flatmap(
        lambda received: st.tuples(st.just(received), st.integers(0, received))
    ),
    min_size=1,
    max_size=5,
)


def _verdicts(lines: list[tuple[int, int]]) -> list[LineVerdict]:
    return [LineVerdict(received, passed, received - passed) for received, passed in lines]


@given(verdict_lines, st.sampled_from(list(QcResult)))
@settings(max_examples=500)
def test_what_is_stocked_is_what_passed_and_the_outcome_follows_the_failures(lines, result):
    verdicts = _verdicts(lines)
    assert all(verdict_problem(v) is None for v in verdicts)
    failed = sum(v.failed for v in verdicts)
    problem = result_problem(result, verdicts)
    if result in PASSING_RESULTS:
        assert (problem is None) == (failed == 0)
    elif result in FAILING_RESULTS:
        assert (problem is None) == (failed > 0)
    else:
        assert problem is None  # a hold takes any split
    if problem is not None:
        return
    stocked = sum(stocked_quantity(result, v) for v in verdicts)
    passed = sum(v.passed for v in verdicts)
    assert stocked == (0 if result is QcResult.HOLD else passed)
    outcome = inbound_outcome(result, verdicts)
    all_passed = failed == 0 and result is not QcResult.HOLD
    assert outcome is (InboundStatus.STOCKED if all_passed else InboundStatus.ISSUE)


@given(st.integers(0, 40), st.integers(-5, 45), st.integers(-5, 45))
def test_a_line_stands_only_when_passed_and_failed_make_up_what_was_received(r, p, f):
    problem = verdict_problem(LineVerdict(r, p, f))
    assert (problem is None) == (p >= 0 and f >= 0 and p + f == r)


# (expected, received, passed) per line, passed ≤ received.
shipment_lines = st.lists(
    st.tuples(st.integers(1, 20), st.integers(0, 25)).flatmap(
        lambda er: st.tuples(st.just(er[0]), st.just(er[1]), st.integers(0, er[1]))
    ),
    min_size=1,
    max_size=3,
)


async def _defect_photo(session: Any, inspection_id: uuid.UUID) -> None:
    stored = StoredFile(
        purpose=FilePurpose.QC_PHOTO,
        retention=Retention.ORPHANS_PRUNED,
        storage_key=f"qc_photo/{uuid.uuid4().hex}.jpg",
        sha256="0" * 64,
        size=1,
        content_type=ContentType.JPEG,
        original_name="defect.jpg",
    )
    session.add(stored)
    await session.flush()
    session.add(QcPhoto(inspection_id=inspection_id, file_id=stored.id, kind=QcPhotoKind.DEFECT))


@given(lines=shipment_lines, hold=st.booleans())
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_received_and_inspected_shipments_stock_exactly_what_passed(
    client: GraphQLClient, database: Database, lines, hold
) -> None:
    world = await catalog(client, database)
    center = await fulfillment.center(database)  # a fresh level per example
    ops = fulfillment.OPS
    job = await seeding.job(database, manufacturer_id=world.own_id, status=JobStatus.SHIPPED)
    failed = sum(received - passed for _, received, passed in lines)
    result = QcResult.HOLD if hold else QcResult.FAIL_REWORK if failed else QcResult.PASS
    async with database.transaction() as session:
        shipment = await inbound.create_shipment(
            session,
            ops,
            inbound.NewShipment(
                source_type=InboundSourceType.MANUFACTURING_JOB,
                source_id=job.id,
                manufacturer_id=world.own_id,
                fulfillment_center_id=center,
                lines=[inbound.ExpectedLine(world.variant_id, e) for e, _, _ in lines],
            ),
        )
        shipment_id = encode_id("InboundShipment", shipment.id)
        items = await inbound.items_of(session, shipment.id)
        counted = [
            (encode_id("InboundShipmentItem", item.id), received)
            for item, (_, received, _) in zip(items, lines, strict=True)
        ]
        await inbound.receive(
            session, ops, shipment_id, inbound.Receipt(PackageCondition.GOOD, counted=counted)
        )
        made = await inspections.create_inspection(session, ops, shipment_id)
        inspection_id = encode_id("QcInspection", made.id)
        await inspections.start_inspection(session, ops, inspection_id)
        if failed:
            await _defect_photo(session, made.id)
        await inspections.complete_inspection(
            session,
            ops,
            inspection_id,
            inspections.Completion(
                result=result,
                lines=[
                    inspections.LineResult(item_id, passed, received - passed)
                    for (item_id, received), (_, _, passed) in zip(counted, lines, strict=True)
                ],
            ),
        )

    state = await fulfillment.ledger(database, center, world.variant_id)
    stocked = 0 if hold else sum(passed for _, _, passed in lines)
    assert state.balances
    assert (state.on_hand, state.reserved, state.incoming) == (stocked, 0, 0)
    async with database.transaction() as session:
        for item in await inbound.items_of(session, shipment.id, lock=False):
            assert isinstance(item, InboundShipmentItem)
            assert item.passed_quantity + item.failed_quantity == item.received_quantity
        done = await session.get(type(shipment), shipment.id)
        assert done is not None
        all_passed = not hold and failed == 0
        assert done.status is (InboundStatus.STOCKED if all_passed else InboundStatus.ISSUE)
