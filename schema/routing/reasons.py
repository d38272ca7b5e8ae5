"""Routing reasons in the graph: the text each viewer may read, and the reason as data.

A reason's figures carry the permissions of their sources: a manufacturer's name, status
and capacity need manufacturer read permission, its balance and credit limit need payment
terms, a job cost needs costs (each for the manufacturer concerned, as on `Manufacturer`
and `ManufacturingJob.quotedCost`). The text is built for the viewer from the same rules,
leaving out what it may not see.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import strawberry
from strawberry.types import Info

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission
from domain.enums import OnboardingStatus
from domain.jobs import RoutedBy
from domain.orders import Technique
from domain.routing import ManufacturerSource
from domain.routing_reasons import (
    CandidateSource,
    Considered,
    Obstacle,
    Reason,
    ReasonCode,
    ReasonView,
    Unavailable,
    considered_from_json,
    joined_text,
    reasons_from_json,
)
from resolvers.owners import MANUFACTURER_PROFILE
from schema.catalog import enums as _catalog_enums  # noqa: F401 - registers OnboardingStatus
from schema.catalog.types import Manufacturer
from schema.context import request_context
from schema.enums import graphql_enum
from schema.execution.relations import to_one
from schema.money import DEFAULT_CURRENCY, Money, money
from schema.orders import enums as _order_enums  # noqa: F401 - registers Technique
from schema.permissions import may_read, requires

graphql_enum(
    CandidateSource,
    "Where a routing candidate came from.",
    {
        CandidateSource.VARIANT_DEFAULT: "The variant's own default manufacturer (BR-1).",
        CandidateSource.PRODUCT_OVERRIDE: "The product's manufacturer override (BR-1).",
        CandidateSource.CATEGORY_OVERRIDE: "The category's manufacturer override (BR-1).",
        CandidateSource.FAMILY_DEFAULT: "The product family's default manufacturer (BR-1).",
        CandidateSource.FAMILY_BACKUP: "The product family's backup manufacturer (BR-4).",
        CandidateSource.FAMILY_ASSIGNMENT: "An active assignment of the family, by priority.",
        CandidateSource.MANUAL: "Picked by a person (assignJob, reassignJob).",
    },
)

graphql_enum(
    ReasonCode,
    "What kind of routing choice a reason explains.",
    {
        ReasonCode.CASCADE: "The cascade's first candidate took it (BR-1); see `level`.",
        ReasonCode.FIRST_AVAILABLE_ASSIGNMENT: "No cascade candidate: the first available "
        "family assignment by priority took it.",
        ReasonCode.FALLBACK_ASSIGNMENT: "The first choice was unavailable (see `passedOver`): "
        "a family assignment took it.",
        ReasonCode.BACKUP: "Routed to the family's backup (BR-4), the first choice being "
        "unavailable when `passedOver` says why.",
        ReasonCode.NO_AVAILABLE_MANUFACTURER: "Nobody could take it (see `passedOver`): it "
        "waits for assignment.",
        ReasonCode.NO_MANUFACTURER_CONFIGURED: "No manufacturer is configured for it: it waits "
        "for assignment.",
        ReasonCode.REPLACED_AFTER_DECLINE: "A new job after `otherManufacturer` declined (BR-8).",
        ReasonCode.NOT_REPLACED_AFTER_DECLINE: "`otherManufacturer` declined and nobody else "
        "could take it (see `passedOver`).",
        ReasonCode.ASSIGNED_MANUALLY: "A person assigned it (assignJob); `note` says why.",
        ReasonCode.REASSIGNED: "A person moved it from `otherManufacturer` (reassignJob); "
        "`note` says why.",
    },
    name="RoutingReasonCode",
)

graphql_enum(
    Unavailable,
    "Why a manufacturer could not take the work.",
    {
        Unavailable.MISSING: "The manufacturer does not exist.",
        Unavailable.DELETED: "The manufacturer is deleted.",
        Unavailable.NOT_ACTIVE: "Its onboarding does not let it receive jobs (BR-2).",
        Unavailable.NOT_ACCEPTING_ORDERS: "It does not accept orders now (BR-2).",
        Unavailable.AT_CAPACITY: "Its active jobs reach its maximum (BR-3).",
        Unavailable.INCAPABLE: "It cannot do the decoration technique (BR-2).",
        Unavailable.DELINQUENT: "Its payment standing is delinquent (BR-2).",
        Unavailable.CREDIT_LIMIT_EXCEEDED: "The job would take its balance over its credit "
        "limit, and it has a credit hold (BR-24).",
        Unavailable.DECLINED: "It declined this job (BR-8).",
    },
    name="RoutingObstacleCode",
)

_WITHHELD = {
    RoutedBy.AUTO: "Routed automatically",
    RoutedBy.FALLBACK: "Routed to a fallback manufacturer",
    RoutedBy.MANUAL: "Assigned manually",
}


def reason_view(actor: Actor, source: Any) -> ReasonView:
    """What `actor` may see of a reason about `source` (a job or a decision): the same
    rules as the Manufacturer fields and as `quotedCost`."""

    def may_name(pk: uuid.UUID) -> bool:
        return owns(actor, Permission.VIEW_MANUFACTURERS, MANUFACTURER_PROFILE, pk)

    def may_see_terms(pk: uuid.UUID) -> bool:
        return owns(actor, Permission.VIEW_PAYMENT_TERMS, MANUFACTURER_PROFILE, pk)

    return ReasonView(may_name, may_see_terms, may_read(actor, Permission.VIEW_COSTS, source))


def reason_text(
    actor: Actor,
    source: Any,
    text: str | None,
    detail: Sequence[Mapping[str, Any]] | None,
    routed_by: RoutedBy,
) -> str | None:
    """A stored reason as `actor` may read it. A reason stored as text only (before reasons
    had codes) reads in full to a viewer who may see everything, else as its routing kind."""
    view = reason_view(actor, source)
    if view.full:
        return text  # the stored text is the full one: no need to build it again
    reasons = reasons_from_json(detail)
    if reasons is not None:
        return joined_text(reasons, view)
    return None if text is None else _WITHHELD[routed_by]


@strawberry.type(
    description="One reason a manufacturer could not take the work, with its figures. Each "
    "figure needs the permission of its source (null with FORBIDDEN otherwise)."
)
class RoutingObstacle:
    code: Unavailable = strawberry.field(description="What stood in the way.")
    manufacturer_id: strawberry.Private[uuid.UUID]
    obstacle: strawberry.Private[Obstacle]

    def _credit(self, figure: Literal["balance", "limit", "cost"]) -> Money | None:
        """A figure of its credit check (CREDIT_LIMIT_EXCEEDED), in its currency."""
        credit = self.obstacle.credit
        if credit is None:
            return None
        return money(getattr(credit, figure), credit.currency or DEFAULT_CURRENCY)

    @strawberry.field(description="The techniques it cannot do (INCAPABLE).")
    def techniques(self) -> list[Technique]:
        return [Technique(t) for t in self.obstacle.techniques]

    @strawberry.field(
        description="Its onboarding status (NOT_ACTIVE); manufacturer data.",
        extensions=requires(Permission.VIEW_MANUFACTURERS),
    )
    def onboarding_status(self) -> OnboardingStatus | None:
        status = self.obstacle.onboarding_status
        return OnboardingStatus(status) if status is not None else None

    @strawberry.field(
        description="Its active jobs then (AT_CAPACITY); manufacturer data.",
        extensions=requires(Permission.VIEW_MANUFACTURERS),
    )
    def active_jobs(self) -> int | None:
        return self.obstacle.active_jobs

    @strawberry.field(
        description="Its maximum of concurrent jobs (AT_CAPACITY); manufacturer data.",
        extensions=requires(Permission.VIEW_MANUFACTURERS),
    )
    def max_concurrent_jobs(self) -> int | None:
        return self.obstacle.max_concurrent_jobs

    @strawberry.field(
        description="Its balance then (CREDIT_LIMIT_EXCEEDED); payment terms.",
        extensions=requires(Permission.VIEW_PAYMENT_TERMS),
    )
    def current_balance(self) -> Money | None:
        return self._credit("balance")

    @strawberry.field(
        description="Its credit limit then (CREDIT_LIMIT_EXCEEDED); payment terms.",
        extensions=requires(Permission.VIEW_PAYMENT_TERMS),
    )
    def credit_limit(self) -> Money | None:
        return self._credit("limit")

    @strawberry.field(
        description="What the job would have cost with it (CREDIT_LIMIT_EXCEEDED); cost data.",
        extensions=requires(Permission.VIEW_COSTS),
    )
    def job_cost(self) -> Money | None:
        return self._credit("cost")


# Figures of an obstacle are the manufacturer's own records for a manufacturer viewer.


@strawberry.type(description="A manufacturer routing considered, and why it was (not) chosen.")
class RoutingCandidate:
    manufacturer_id: strawberry.Private[uuid.UUID]
    source: CandidateSource = strawberry.field(description="Where the candidate came from.")
    available: bool = strawberry.field(description="Whether it could take the work.")
    # The candidate as data; None for one stored as text only.
    considered: strawberry.Private[Considered | None]
    stored_reasons: strawberry.Private[list[str]]
    # The decision or job the candidate explains (the cost rule of the text).
    about: strawberry.Private[Any]

    @strawberry.field(
        description='Why it could not, e.g. "at capacity (3/3)"; empty when available. '
        "Figures you may not see are left out."
    )
    def reasons(self, info: Info[Any, Any]) -> list[str]:
        view = reason_view(request_context(info).actor, self.about)
        if self.considered is not None:
            return list(self.considered.texts(view))
        return self.stored_reasons if view.full else []

    @strawberry.field(
        description="Why it could not, as data; null for decisions recorded before reasons "
        "had codes."
    )
    def obstacles(self) -> list[RoutingObstacle] | None:
        if self.considered is None:
            return None
        pk = self.manufacturer_id
        return [
            RoutingObstacle(code=o.code, manufacturer_id=pk, obstacle=o)
            for o in self.considered.obstacles
        ]

    manufacturer = to_one(
        Manufacturer,
        "manufacturer_id",
        description="The manufacturer (null if deleted or not visible to you).",
    )


def candidate(data: Mapping[str, Any], about: Any) -> RoutingCandidate:
    return RoutingCandidate(
        manufacturer_id=uuid.UUID(data["manufacturer_id"]),
        source=CandidateSource(data["source"]),
        available=bool(data["available"]),
        considered=considered_from_json(data),
        stored_reasons=list(data.get("reasons") or []),
        about=about,
    )


@strawberry.type(
    description="Why routing chose what it chose, as data: a code and the figures behind "
    "it. The text fields (`routingReason`, `reason`) are built from it for each viewer."
)
class RoutingReasonDetail:
    code: ReasonCode = strawberry.field(description="What kind of choice.")
    level: ManufacturerSource | None = strawberry.field(
        description="The cascade level that chose (CASCADE)."
    )
    family_code: str | None = strawberry.field(description="The product family's code.")
    priority: int | None = strawberry.field(
        description="The chosen assignment's priority (FALLBACK_ASSIGNMENT)."
    )
    note: str | None = strawberry.field(description="What the person who assigned it wrote.")
    manufacturer_id: strawberry.Private[uuid.UUID | None]
    other_manufacturer_id: strawberry.Private[uuid.UUID | None]
    reason: strawberry.Private[Reason]
    about: strawberry.Private[Any]

    @strawberry.field(description="The candidates whose obstacles explain the choice.")
    def passed_over(self) -> list[RoutingCandidate]:
        return [
            RoutingCandidate(
                manufacturer_id=c.manufacturer_id,
                source=c.source,
                available=c.available,
                considered=c,
                stored_reasons=[],
                about=self.about,
            )
            for c in self.reason.passed_over
        ]

    manufacturer = to_one(
        Manufacturer,
        "manufacturer_id",
        description="Who got the work (null when nobody, or not visible to you).",
    )

    other_manufacturer = to_one(
        Manufacturer,
        "other_manufacturer_id",
        description="The unavailable first choice, the manufacturer that declined, or the one "
        "the job was reassigned from (null when none, or not visible to you).",
    )


def reason_details(
    detail: Sequence[Mapping[str, Any]] | None, about: Any
) -> list[RoutingReasonDetail] | None:
    """The stored reasons as graph objects; None for a row stored as text only."""
    reasons = reasons_from_json(detail)
    if reasons is None:
        return None
    return [
        RoutingReasonDetail(
            code=r.code,
            level=ManufacturerSource(r.level) if r.level else None,
            family_code=r.family_code,
            priority=r.priority,
            note=r.note,
            manufacturer_id=r.manufacturer_id,
            other_manufacturer_id=r.other_manufacturer_id,
            reason=r,
            about=about,
        )
        for r in reasons
    ]
