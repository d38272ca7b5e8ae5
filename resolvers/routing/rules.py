"""Auto-routing (SPEC BR-1..BR-8, BR-24): turning an approved order into manufacturing jobs,
rerouting declined jobs, and manual assignment.

The choices themselves are pure (domain.routing); this module loads what they need in a
fixed number of statements, writes the jobs, their items, the decision records, the audit
entries and the notifications, all in the caller's transaction.

It reacts to the other domains' events (resolvers.events) without importing them: an
approved order is routed, a declined job is rerouted (BR-8), an order leaving HOLD catches
up; and it publishes its assignments, which the jobs domain turns into the job's moves.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, join, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from auth.permissions import Permission
from db.models import (
    Category,
    JobItem,
    Manufacturer,
    ManufacturingJob,
    Order,
    OrderItem,
    Product,
    ProductFamily,
    ProductFamilyManufacturer,
    RoutingDecision,
    Variant,
)
from db.models.catalog import product_family_id, with_category
from domain import routing
from domain.clock import today
from domain.errors import ErrorCode, Problem, UserErrors
from domain.jobs import INACTIVE_JOB_STATUSES, JobStatus, RoutedBy
from domain.notifications import NotificationPriority, NotificationType
from domain.orders import OrderPriority, OrderStatus, Technique
from domain.routing import (
    CandidateSource,
    Considered,
    Family,
    FamilyTerms,
    ManufacturerSource,
    ManufacturerState,
    Unavailable,
)
from domain.routing_reasons import Notice, Reason, ReasonCode, joined_text, reasons_as_json
from resolvers import writes
from resolvers.domain_events import publish
from resolvers.events.jobs import JobAssigned, JobReassigned
from resolvers.lookup import get_for_update, jobs_of
from resolvers.notify import about, notify_admins, notify_manufacturer, notify_new_job
from resolvers.owners import CUSTOMER_RECORD, MANUFACTURER_RECORD, ensure_owned


@dataclass
class RoutingResult:
    """What a routing step produced: the jobs (new, or existing when nothing was to do),
    the decision records, and warnings (credit, capacity) for the caller."""

    jobs: list[ManufacturingJob] = field(default_factory=list)
    decisions: list[RoutingDecision] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- loading ---------------------------------------------------------------------------------


async def manufacturer_states(
    session: AsyncSession, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, ManufacturerState]:
    """The manufacturers (soft-deleted ones too, marked) with their active job counts: two
    statements whatever their number."""
    wanted = sorted(set(ids), key=str)
    if not wanted:
        return {}
    rows = (await session.scalars(select(Manufacturer).where(Manufacturer.id.in_(wanted)))).all()
    counts = dict(
        (
            await session.execute(
                select(ManufacturingJob.manufacturer_id, func.count())
                .where(
                    ManufacturingJob.manufacturer_id.in_(wanted),
                    ManufacturingJob.status.not_in(list(INACTIVE_JOB_STATUSES)),
                )
                .group_by(ManufacturingJob.manufacturer_id)
            )
        ).all()
    )
    return {m.id: _state(m, int(counts.get(m.id, 0))) for m in rows}


def _state(m: Manufacturer, active_jobs: int) -> ManufacturerState:
    return ManufacturerState(
        id=m.id,
        name=m.name,
        onboarding_status=m.onboarding_status,
        accepting_orders=m.accepting_orders,
        max_concurrent_jobs=m.max_concurrent_jobs,
        active_jobs=active_jobs,
        capabilities=frozenset(m.capabilities or ()),
        payment_standing=m.payment_standing,
        credit_limit=m.credit_limit,
        current_balance=m.current_balance,
        credit_hold_enabled=m.credit_hold_enabled,
        avg_lead_time_days=m.avg_lead_time_days,
        deleted=m.deleted_at is not None,
        currency=m.currency,
    )


def _terms(a: ProductFamilyManufacturer) -> FamilyTerms:
    return FamilyTerms(
        manufacturer_id=a.manufacturer_id,
        priority=a.priority,
        is_active=a.is_active,
        techniques=frozenset(
            technique for technique, flag in routing.TECHNIQUE_FLAG.items() if getattr(a, flag)
        ),
        cost_per_unit=a.cost_per_unit,
        lead_time_days=a.lead_time_days,
    )


async def families(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Family]:
    """Families with their assignments: two statements."""
    wanted = sorted(set(ids), key=str)
    if not wanted:
        return {}
    rows = (await session.scalars(select(ProductFamily).where(ProductFamily.id.in_(wanted)))).all()
    assignments = (
        await session.scalars(
            select(ProductFamilyManufacturer)
            .where(ProductFamilyManufacturer.product_family_id.in_(wanted))
            .order_by(ProductFamilyManufacturer.priority, ProductFamilyManufacturer.id)
        )
    ).all()
    by_family: dict[uuid.UUID, list[FamilyTerms]] = {}
    for a in assignments:
        by_family.setdefault(a.product_family_id, []).append(_terms(a))
    return {
        f.id: Family(
            id=f.id,
            code=f.code,
            default_manufacturer_id=f.default_manufacturer_id,
            backup_manufacturer_id=f.backup_manufacturer_id,
            lead_time_days=f.lead_time_days,
            assignments=tuple(by_family.get(f.id, ())),
        )
        for f in rows
    }


async def family_of(session: AsyncSession, family_id: uuid.UUID | None) -> Family | None:
    """A job's family (None for a job without one)."""
    if family_id is None:
        return None
    return (await families(session, [family_id])).get(family_id)


def manufacturers_of(family: Family | None) -> list[uuid.UUID]:
    if family is None:
        return []
    found = [family.default_manufacturer_id, family.backup_manufacturer_id]
    found += [a.manufacturer_id for a in family.assignments]
    return [pk for pk in found if pk is not None]


async def _order_lines(session: AsyncSession, order_id: uuid.UUID) -> list[Any]:
    """The order's lines with what the cascade reads of variant, product and category."""
    statement = (
        select(
            OrderItem.id,
            OrderItem.quantity,
            OrderItem.technique,
            Variant.default_manufacturer_id.label("variant_default"),
            Product.manufacturer_override_id.label("product_override"),
            Category.manufacturer_override_id.label("category_override"),
            product_family_id().label("family_id"),
        )
        .select_from(
            with_category(
                join(OrderItem, Variant, Variant.id == OrderItem.variant_id).join(
                    Product, Product.id == Variant.product_id
                )
            )
        )
        .where(OrderItem.order_id == order_id)
        .order_by(OrderItem.position, OrderItem.id)
    )
    return list((await session.execute(statement)).all())


async def _decisions_of(session: AsyncSession, order_id: uuid.UUID) -> list[RoutingDecision]:
    return list(
        (
            await session.scalars(
                select(RoutingDecision)
                .where(RoutingDecision.order_id == order_id)
                .order_by(RoutingDecision.decided_at, RoutingDecision.id)
            )
        ).all()
    )


async def job_count(session: AsyncSession, order_id: uuid.UUID) -> int:
    return int(
        (
            await session.execute(
                select(func.count())
                .select_from(ManufacturingJob)
                .where(ManufacturingJob.order_id == order_id)
            )
        ).scalar_one()
    )


async def job_items(session: AsyncSession, job_id: uuid.UUID) -> list[Any]:
    """A job's items with their line's technique."""
    statement = (
        select(JobItem.order_item_id, JobItem.quantity, OrderItem.technique)
        .join(OrderItem, OrderItem.id == JobItem.order_item_id)
        .where(JobItem.job_id == job_id)
        .order_by(OrderItem.position, OrderItem.id)
    )
    return list((await session.execute(statement)).all())


# -- writing ---------------------------------------------------------------------------------


def _candidates(considered: Sequence[Considered]) -> list[dict[str, Any]]:
    return [c.as_json() for c in considered]


def _reason_columns(why: Sequence[Reason]) -> tuple[str, list[dict[str, Any]]]:
    """A reason as stored: the full text, and the data each viewer's text is built from."""
    return joined_text(why), reasons_as_json(why)


def record_decision(
    session: AsyncSession,
    actor: Actor,
    job: ManufacturingJob,
    considered: Sequence[Considered],
    notices: Sequence[Notice],
    previous_manufacturer_id: uuid.UUID | None = None,
) -> RoutingDecision:
    """The record of the routing the job was just given (its routed_by, source and reason
    columns, written once by `create_job` or `_route_manually`)."""
    decision = RoutingDecision(
        decided_at=datetime.now(UTC),
        order_id=job.order_id,
        job_id=job.id,
        product_family_id=job.product_family_id,
        manufacturer_id=job.manufacturer_id,
        previous_manufacturer_id=previous_manufacturer_id,
        routed_by=job.routed_by,
        source=job.routing_source,
        reason=job.routing_reason,
        reason_detail=job.routing_reason_detail,
        candidates=_candidates(considered),
        warnings=[n.as_json() for n in notices],
        actor_id=actor.id,
        actor_role=actor.role.value if actor.role else None,
    )
    session.add(decision)
    return decision


async def create_job(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    index: int,
    *,
    manufacturer_id: uuid.UUID | None,
    family_id: uuid.UUID | None,
    items: Sequence[tuple[uuid.UUID, int]],
    routed_by: RoutedBy,
    source: ManufacturerSource | None,
    why: Sequence[Reason],
    original_manufacturer_id: uuid.UUID | None,
    lead_time_days: int,
    decoration_type: Technique | None,
    quoted_cost: Decimal | None,
    replaces_job_id: uuid.UUID | None = None,
) -> ManufacturingJob:
    reason, detail = _reason_columns(why)
    job = ManufacturingJob(
        job_number=routing.job_number(order.reference, index),
        order_id=order.id,
        manufacturer_id=manufacturer_id,
        product_family_id=family_id,
        status=JobStatus.NEW if manufacturer_id is not None else JobStatus.PENDING_ASSIGNMENT,
        due_date=today() + timedelta(days=lead_time_days),
        quantity=sum(quantity for _, quantity in items),
        decoration_type=decoration_type,
        quoted_cost=quoted_cost,
        routed_by=routed_by,
        routing_source=source,
        routing_reason=reason,
        routing_reason_detail=detail,
        original_manufacturer_id=original_manufacturer_id,
        replaces_job_id=replaces_job_id,
    )
    await writes.create(session, actor, job)
    for order_item_id, quantity in items:
        session.add(JobItem(job_id=job.id, order_item_id=order_item_id, quantity=quantity))
    return job


def announce_job(
    session: AsyncSession,
    job: ManufacturingJob,
    *,
    pending_reason: str,
    backup: bool,
    warnings: Sequence[str],
) -> None:
    """Admin notices for a job routing just created (the manufacturer's NEW_JOB is separate)."""
    if job.manufacturer_id is None:
        notify_admins(
            session,
            NotificationType.PENDING_ASSIGNMENT,
            f"{job.job_number} needs a manufacturer",
            f"Job {job.job_number} ({job.quantity} units) waits for assignment: {pending_reason}",
            **about(job),
            priority=NotificationPriority.HIGH,
        )
    if backup:
        notify_admins(
            session,
            NotificationType.ROUTED_TO_BACKUP,
            f"{job.job_number} routed to backup",
            f"Job {job.job_number}: {job.routing_reason}",
            **about(job),
        )
    if warnings:
        notify_admins(
            session,
            NotificationType.CREDIT_WARNING,
            f"{job.job_number}: credit warning",
            "; ".join(warnings),
            **about(job),
        )


# -- routing an order ------------------------------------------------------------------------


async def route(session: AsyncSession, actor: Actor, order: Order) -> RoutingResult:
    """Split an order into jobs (BR-1..BR-6, BR-24). Idempotent: an order routed before
    (or with jobs already) gets its existing jobs back and nothing is created."""
    existing = await jobs_of(session, order.id)
    if order.routed_at is not None or existing:
        return RoutingResult(existing, await _decisions_of(session, order.id))

    rows = await _order_lines(session, order.id)
    family_map = await families(session, {r.family_id for r in rows if r.family_id})
    wanted: set[uuid.UUID] = set()
    for r in rows:
        wanted.update(
            pk
            for pk in (r.variant_default, r.product_override, r.category_override)
            if pk is not None
        )
        wanted.update(manufacturers_of(family_map.get(r.family_id) if r.family_id else None))
    states = await manufacturer_states(session, wanted)
    lines = [
        routing.Line(
            key=r.id,
            technique=Technique(r.technique),
            quantity=r.quantity,
            family=family_map.get(r.family_id) if r.family_id else None,
            variant_default=r.variant_default,
            product_override=r.product_override,
            category_override=r.category_override,
        )
        for r in rows
    ]
    result = RoutingResult()
    for index, planned in enumerate(routing.route_lines(lines, states)):
        job = await create_job(
            session,
            actor,
            order,
            index,
            manufacturer_id=planned.manufacturer_id,
            family_id=planned.family_id,
            items=[(c.line.key, c.line.quantity) for c in planned.choices],
            routed_by=planned.routed_by,
            source=planned.source,
            why=planned.reasons,
            original_manufacturer_id=planned.original_manufacturer_id,
            lead_time_days=planned.lead_time_days,
            decoration_type=planned.decoration_type,
            quoted_cost=planned.quoted_cost,
        )
        result.jobs.append(job)
        result.decisions.append(
            record_decision(session, actor, job, planned.considered, planned.notices)
        )
        result.warnings.extend(planned.warnings)
        await notify_new_job(session, job)
        announce_job(
            session,
            job,
            pending_reason=planned.reason,
            backup=planned.routed_to_backup,
            warnings=planned.warnings,
        )
    await writes.update(session, actor, order, {"routed_at": datetime.now(UTC)})
    return result


async def route_order_by_id(
    session: AsyncSession, actor: Actor, order_global_id: str
) -> tuple[Order, RoutingResult]:
    """`routeOrder`: trigger auto-routing of an approved order (idempotent)."""
    order = await get_for_update(session, Order, order_global_id, "order_id")
    ensure_owned(
        actor, Permission.VIEW_ORDERS, CUSTOMER_RECORD, order.customer_id, "Order", order_global_id
    )
    if order.status is not OrderStatus.APPROVED:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Only approved orders are routed; {order.reference} is {order.status.value}",
            ("input", "orderId"),
        )
    if order.priority is OrderPriority.HOLD:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"{order.reference} is on hold: routing waits until the hold is released",
            ("input", "orderId"),
        )
    return order, await route(session, actor, order)


# -- declines (BR-8) ---------------------------------------------------------------------------


# -- manual assignment (BR-7, BR-8) ------------------------------------------------------------


@dataclass
class AssignmentResult:
    job: ManufacturingJob
    decision: RoutingDecision
    warnings: list[str]


@dataclass(frozen=True)
class _Pick:
    """The manufacturer a person picked for a job, as routing sees it."""

    manufacturer: Manufacturer
    state: ManufacturerState
    found: routing.Availability
    family: Family | None


async def _target_manufacturer(
    session: AsyncSession, global_id: str, job: ManufacturingJob
) -> _Pick:
    """The manufacturer a person picked: it must exist and be onboarded; other
    unavailability is a warning, except a credit hold (CREDIT_LIMIT_EXCEEDED)."""
    manufacturer = await get_for_update(session, Manufacturer, global_id, "manufacturer_id")
    pk = manufacturer.id
    if not manufacturer.onboarding_status.can_receive_jobs:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"{manufacturer.name} cannot receive jobs (onboarding status "
            f"{manufacturer.onboarding_status.value})",
            ("input", "manufacturerId"),
        )
    state = (await manufacturer_states(session, [pk]))[pk]
    items = await job_items(session, job.id)
    family = await family_of(session, job.product_family_id)
    terms = family.terms(pk) if family else None
    found = routing.availability(
        state,
        pk,
        techniques=[Technique(i.technique) for i in items],
        terms=terms,
        cost=routing.estimated_cost(terms, job.quantity),
    )
    blocked = [m for code, m in found.reasons if code is Unavailable.CREDIT_LIMIT_EXCEEDED]
    if blocked:
        raise UserErrors.one(
            ErrorCode.CREDIT_LIMIT_EXCEEDED,
            f"{manufacturer.name}: {blocked[0]}",
            ("input", "manufacturerId"),
        )
    return _Pick(manufacturer, state, found, family)


def _new_terms(pick: _Pick, quantity: int) -> tuple[date, Decimal | None]:
    terms = pick.family.terms(pick.manufacturer.id) if pick.family else None
    days = routing.lead_time_days(terms, pick.family, pick.state)
    cost = (
        routing.estimated_cost(terms, quantity)
        if terms is not None and terms.cost_per_unit is not None
        else None
    )
    return today() + timedelta(days=days), cost


async def _job_for_assignment(
    session: AsyncSession, actor: Actor, job_global_id: str
) -> ManufacturingJob:
    job = await get_for_update(session, ManufacturingJob, job_global_id, "job_id")
    ensure_owned(
        actor,
        Permission.VIEW_JOBS,
        MANUFACTURER_RECORD,
        job.manufacturer_id,
        "ManufacturingJob",
        job_global_id,
    )
    return job


def _notices(pick: _Pick) -> list[Notice]:
    """What a person's pick should be told: every obstacle (none blocks it but a credit
    hold, refused before) and the credit warnings."""
    manufacturer = pick.manufacturer
    obstacles = (
        Notice(manufacturer.id, manufacturer.name, obstacle=o) for o in pick.found.obstacles
    )
    return [*obstacles, *pick.found.notices]


async def _route_manually(
    session: AsyncSession,
    actor: Actor,
    job: ManufacturingJob,
    pick: _Pick,
    why: Reason,
    values: dict[str, Any],
    context: dict[str, Any],
    previous_manufacturer_id: uuid.UUID | None = None,
) -> AssignmentResult:
    """What assignJob and reassignJob both record: the job routed MANUAL with `why` and the
    picked manufacturer's terms (beside `values`), and the decision with its notices."""
    due, cost = _new_terms(pick, job.quantity)
    routing_reason, detail = _reason_columns([why])
    await writes.update(
        session,
        actor,
        job,
        {
            **values,
            "routed_by": RoutedBy.MANUAL,
            "routing_source": None,
            "routing_reason": routing_reason,
            "routing_reason_detail": detail,
            "due_date": due,
            "quoted_cost": cost if cost is not None else job.quoted_cost,
        },
        context=context,
    )
    notices = _notices(pick)
    considered = [pick.found.considered(CandidateSource.MANUAL)]
    decision = record_decision(session, actor, job, considered, notices, previous_manufacturer_id)
    return AssignmentResult(job, decision, [n.full_text for n in notices])


async def assign_job(
    session: AsyncSession,
    actor: Actor,
    job_global_id: str,
    manufacturer_global_id: str,
    reason: str | None,
) -> AssignmentResult:
    """`assignJob`: give a PENDING_ASSIGNMENT job to a manufacturer (the jobs domain makes
    the PENDING_ASSIGNMENT → NEW move on JobAssigned, which notifies it)."""
    job = await _job_for_assignment(session, actor, job_global_id)
    if job.status is not JobStatus.PENDING_ASSIGNMENT:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Only jobs waiting for assignment can be assigned; {job.job_number} is "
            f"{job.status.value} (use reassignJob)",
            ("input", "jobId"),
        )
    pick = await _target_manufacturer(session, manufacturer_global_id, job)
    manufacturer = pick.manufacturer
    text = (reason or "").strip()
    await publish(session, JobAssigned(job, manufacturer.id, actor, text or None))
    why = Reason(
        ReasonCode.ASSIGNED_MANUALLY,
        manufacturer_id=manufacturer.id,
        note=text or None,
        names={manufacturer.id: manufacturer.name},
    )
    context = {"assigned_to": str(manufacturer.id), "reason": text or None}
    return await _route_manually(session, actor, job, pick, why, {}, context)


async def reassign_job(
    session: AsyncSession,
    actor: Actor,
    job_global_id: str,
    manufacturer_global_id: str,
    reason: str | None,
    expected_version: int | None,
) -> AssignmentResult:
    """`reassignJob` (BR-7 override, BR-8 force-reassign): move a NEW or ACCEPTED job to
    another manufacturer with a reason; the old one is told, the new one gets NEW_JOB."""
    job = await _job_for_assignment(session, actor, job_global_id)
    writes.check_version(job, expected_version)
    problems: list[Problem] = []
    if job.status not in (JobStatus.NEW, JobStatus.ACCEPTED):
        problems.append(
            Problem(
                ErrorCode.INVALID_TRANSITION,
                f"Only NEW or ACCEPTED jobs can be reassigned; {job.job_number} is "
                f"{job.status.value}"
                + (" (use assignJob)" if job.status is JobStatus.PENDING_ASSIGNMENT else ""),
                ("input", "jobId"),
            )
        )
    text = (reason or "").strip()
    if not text:
        problems.append(
            Problem(ErrorCode.VALIDATION, "reason is required to reassign", ("input", "reason"))
        )
    if problems:
        raise UserErrors(problems)
    pick = await _target_manufacturer(session, manufacturer_global_id, job)
    manufacturer = pick.manufacturer
    old = job.manufacturer_id
    if old == manufacturer.id:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"{job.job_number} is already assigned to {manufacturer.name}",
            ("input", "manufacturerId"),
        )
    await publish(session, JobReassigned(job, actor, text))
    names = {manufacturer.id: manufacturer.name}
    if old is not None:
        names[old] = (await session.get_one(Manufacturer, old)).name
    why = Reason(
        ReasonCode.REASSIGNED,
        manufacturer_id=manufacturer.id,
        other_manufacturer_id=old,
        note=text,
        names=names,
    )
    values = {
        "manufacturer_id": manufacturer.id,
        "original_manufacturer_id": job.original_manufacturer_id or old,
        # The new manufacturer has accepted nothing yet.
        "accepted_at": None,
        "estimated_completion_date": None,
    }
    context = {"from": str(old) if old else None, "to": str(manufacturer.id), "reason": text}
    result = await _route_manually(session, actor, job, pick, why, values, context, old)
    if old is not None:
        notify_manufacturer(
            session,
            old,
            NotificationType.JOB_REASSIGNED,
            f"{job.job_number} reassigned",
            f"Job {job.job_number} was reassigned to another manufacturer: {text}",
            **about(job),
            priority=NotificationPriority.HIGH,
        )
    await notify_new_job(session, job)
    return result
