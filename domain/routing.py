"""The manufacturer cascade of SPEC BR-1, as a pure function.

Routing (availability, capacity, credit: BR-2..BR-4) filters these candidates; the catalog
shows the first one as a product's resolved manufacturer.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.enums import Capability, OnboardingStatus, PaymentStanding
from domain.jobs import RoutedBy
from domain.orders import Technique
from domain.permissions import ALL, Permission, Role, grants
from domain.routing_reasons import (
    CandidateSource,
    Considered,
    Credit,
    Notice,
    Obstacle,
    Reason,
    ReasonCode,
    Unavailable,
    joined_text,
)

__all__ = ["CandidateSource", "Considered", "Unavailable"]


class ManufacturerSource(StrEnum):
    """The cascade level a manufacturer was resolved from, most specific first."""

    VARIANT_DEFAULT = "variant_default"
    PRODUCT_OVERRIDE = "product_override"
    CATEGORY_OVERRIDE = "category_override"
    FAMILY_DEFAULT = "family_default"
    FAMILY_ASSIGNMENT = "family_assignment"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Assignment:
    manufacturer_id: uuid.UUID
    priority: int
    is_active: bool


@dataclass(frozen=True)
class Candidate:
    manufacturer_id: uuid.UUID
    source: ManufacturerSource


def cascade(
    *,
    variant_default: uuid.UUID | None = None,
    product_override: uuid.UUID | None = None,
    category_override: uuid.UUID | None = None,
    family_default: uuid.UUID | None = None,
    assignments: Sequence[Assignment] = (),
) -> list[Candidate]:
    """Every candidate in cascade order, without duplicates: variant → product override →
    category override → family default → the family's active assignments by priority."""
    ordered = [
        (variant_default, ManufacturerSource.VARIANT_DEFAULT),
        (product_override, ManufacturerSource.PRODUCT_OVERRIDE),
        (category_override, ManufacturerSource.CATEGORY_OVERRIDE),
        (family_default, ManufacturerSource.FAMILY_DEFAULT),
    ]
    ranked = sorted((a for a in assignments if a.is_active), key=lambda a: a.priority)
    ordered += [(a.manufacturer_id, ManufacturerSource.FAMILY_ASSIGNMENT) for a in ranked]
    seen: set[uuid.UUID] = set()
    candidates = []
    for manufacturer_id, source in ordered:
        if manufacturer_id is not None and manufacturer_id not in seen:
            seen.add(manufacturer_id)
            candidates.append(Candidate(manufacturer_id, source))
    return candidates


# -- availability (BR-2, BR-3, BR-24) ------------------------------------------------------------

# Which manufacturer capability a line's technique needs (when no family assignment says).
TECHNIQUE_CAPABILITY: dict[Technique, Capability] = {
    Technique.DTG: Capability.DTG,
    Technique.SCREEN: Capability.SCREEN_PRINT,
    Technique.EMBROIDERY: Capability.EMBROIDERY,
    Technique.SUBLIMATION: Capability.SUBLIMATION,
    Technique.HEAT_TRANSFER: Capability.HEAT_TRANSFER,
    Technique.CUT_SEW: Capability.CUT_SEW,
}
# The `can_*` flag of a family assignment that covers a technique.
TECHNIQUE_FLAG: dict[Technique, str] = {
    Technique.DTG: "can_dtg",
    Technique.SCREEN: "can_screen_print",
    Technique.EMBROIDERY: "can_embroider",
    Technique.SUBLIMATION: "can_sublimate",
    Technique.HEAT_TRANSFER: "can_heat_transfer",
    Technique.CUT_SEW: "can_cut_sew",
}
DEFAULT_LEAD_TIME_DAYS = 21
# BR-24 Rec: warn when a job would take the balance to 80% of the limit or more.
CREDIT_WARNING_RATIO = Decimal("0.80")


@dataclass(frozen=True)
class ManufacturerState:
    """What availability needs to know of a manufacturer, with its active job count."""

    id: uuid.UUID
    name: str
    onboarding_status: OnboardingStatus
    accepting_orders: bool
    max_concurrent_jobs: int | None
    active_jobs: int
    capabilities: frozenset[str]
    payment_standing: PaymentStanding
    credit_limit: Decimal
    current_balance: Decimal
    credit_hold_enabled: bool
    avg_lead_time_days: int | None = None
    deleted: bool = False
    currency: str | None = None


@dataclass(frozen=True)
class FamilyTerms:
    """A manufacturer's assignment to a family: what routing reads of it."""

    manufacturer_id: uuid.UUID
    priority: int
    is_active: bool
    techniques: frozenset[Technique]
    cost_per_unit: Decimal | None = None
    lead_time_days: int | None = None


@dataclass(frozen=True)
class Family:
    id: uuid.UUID
    code: str
    default_manufacturer_id: uuid.UUID | None
    backup_manufacturer_id: uuid.UUID | None
    lead_time_days: int | None
    assignments: tuple[FamilyTerms, ...] = ()

    def terms(self, manufacturer_id: uuid.UUID) -> FamilyTerms | None:
        for terms in self.assignments:
            if terms.manufacturer_id == manufacturer_id:
                return terms
        return None


def remaining_capacity(max_concurrent_jobs: int | None, active_jobs: int) -> int | None:
    """BR-3: `max_concurrent_jobs - active jobs`; None means unlimited."""
    if max_concurrent_jobs is None:
        return None
    return max_concurrent_jobs - active_jobs


def available_credit(credit_limit: Decimal, current_balance: Decimal) -> Decimal:
    """BR-24: `available_credit = credit_limit - current_balance`."""
    return credit_limit - current_balance


@dataclass(frozen=True)
class CreditCheck:
    blocked: bool
    warnings: tuple[str, ...] = ()
    # The figures when the job goes over the limit or near it.
    figures: Credit | None = None


def check_credit(
    credit_limit: Decimal,
    current_balance: Decimal,
    cost: Decimal,
    *,
    hold: bool,
    name: str = "",
    currency: str | None = None,
) -> CreditCheck:
    """BR-24: over the limit blocks with a credit hold, else warns; 80% of it warns.

    A job without a known cost (Decimal 0) has no credit effect."""
    if cost <= 0:
        return CreditCheck(False)
    who = f"{name}: " if name else ""
    after = current_balance + cost
    figures = Credit(current_balance, cost, credit_limit, hold, currency)
    if after > credit_limit:
        return CreditCheck(hold, (who + figures.text(terms=True, cost=True),), figures)
    if credit_limit > 0 and after >= credit_limit * CREDIT_WARNING_RATIO:
        return CreditCheck(False, (who + figures.text(terms=True, cost=True),), figures)
    return CreditCheck(False)


@dataclass(frozen=True)
class Availability:
    manufacturer_id: uuid.UUID
    obstacles: tuple[Obstacle, ...] = ()
    notices: tuple[Notice, ...] = ()

    @property
    def available(self) -> bool:
        return not self.obstacles

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(n.full_text for n in self.notices)

    @property
    def reasons(self) -> tuple[tuple[Unavailable, str], ...]:
        return tuple((o.code, o.text(self.manufacturer_id)) for o in self.obstacles)

    @property
    def codes(self) -> tuple[Unavailable, ...]:
        return tuple(o.code for o in self.obstacles)

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.reasons]

    def considered(self, source: CandidateSource) -> Considered:
        return Considered(self.manufacturer_id, source, self.available, self.obstacles)


def can_make(
    manufacturer: ManufacturerState, terms: FamilyTerms | None, technique: Technique
) -> bool:
    """The assignment's flag when there is an assignment row, else the manufacturer's
    capabilities (BR-2 Rec)."""
    if terms is not None:
        return technique in terms.techniques
    return TECHNIQUE_CAPABILITY[technique].value in manufacturer.capabilities


def availability(
    manufacturer: ManufacturerState | None,
    candidate_id: uuid.UUID,
    *,
    techniques: Sequence[Technique],
    terms: FamilyTerms | None,
    cost: Decimal = Decimal(0),
    extra_jobs: int = 0,
) -> Availability:
    """Every reason `manufacturer` cannot take work needing `techniques` at `cost` now.

    `extra_jobs` counts jobs this routing already gave it (one more job each)."""
    if manufacturer is None:
        return Availability(candidate_id, (Obstacle(Unavailable.MISSING),))
    reasons: list[Obstacle] = []
    if manufacturer.deleted:
        reasons.append(Obstacle(Unavailable.DELETED))
    if not manufacturer.onboarding_status.can_receive_jobs:
        status = str(manufacturer.onboarding_status)
        reasons.append(Obstacle(Unavailable.NOT_ACTIVE, onboarding_status=status))
    if not manufacturer.accepting_orders:
        reasons.append(Obstacle(Unavailable.NOT_ACCEPTING_ORDERS))
    active = manufacturer.active_jobs + extra_jobs
    left = remaining_capacity(manufacturer.max_concurrent_jobs, active)
    if left is not None and left <= 0:
        reasons.append(
            Obstacle(
                Unavailable.AT_CAPACITY,
                active_jobs=active,
                max_concurrent_jobs=manufacturer.max_concurrent_jobs,
            )
        )
    missing = [t.value for t in dict.fromkeys(techniques) if not can_make(manufacturer, terms, t)]
    if missing:
        reasons.append(Obstacle(Unavailable.INCAPABLE, techniques=tuple(missing)))
    if manufacturer.payment_standing is PaymentStanding.DELINQUENT:
        reasons.append(Obstacle(Unavailable.DELINQUENT))
    credit = check_credit(
        manufacturer.credit_limit,
        manufacturer.current_balance,
        cost,
        hold=manufacturer.credit_hold_enabled,
        currency=manufacturer.currency,
    )
    notices: tuple[Notice, ...] = ()
    if credit.blocked:
        reasons.append(Obstacle(Unavailable.CREDIT_LIMIT_EXCEEDED, credit=credit.figures))
    elif credit.figures is not None:
        notices = (Notice(manufacturer.id, manufacturer.name, credit=credit.figures),)
    return Availability(manufacturer.id, tuple(reasons), notices)


def estimated_cost(terms: FamilyTerms | None, quantity: int) -> Decimal:
    """SPEC §9 #9: the assignment's `cost_per_unit * qty`, else 0 (no credit effect)."""
    if terms is None or terms.cost_per_unit is None:
        return Decimal(0)
    return terms.cost_per_unit * quantity


def lead_time_days(
    terms: FamilyTerms | None, family: Family | None, manufacturer: ManufacturerState | None
) -> int:
    """BR-6 Rec: assignment ?? family ?? manufacturer average ?? 21 days."""
    for days in (
        terms.lead_time_days if terms else None,
        family.lead_time_days if family else None,
        manufacturer.avg_lead_time_days if manufacturer else None,
    ):
        if days is not None:
            return days
    return DEFAULT_LEAD_TIME_DAYS


# -- choosing a manufacturer for one line (BR-1, BR-4) ------------------------------------------


@dataclass(frozen=True)
class Line:
    """One order line as routing sees it."""

    key: uuid.UUID
    technique: Technique
    quantity: int
    family: Family | None
    variant_default: uuid.UUID | None = None
    product_override: uuid.UUID | None = None
    category_override: uuid.UUID | None = None


@dataclass(frozen=True)
class Choice:
    line: Line
    manufacturer_id: uuid.UUID | None
    routed_by: RoutedBy
    # The cascade level; None for the family's backup, which is no cascade level.
    source: ManufacturerSource | None
    why: Reason
    original_manufacturer_id: uuid.UUID | None
    considered: tuple[Considered, ...]
    notices: tuple[Notice, ...]
    cost: Decimal | None = None
    lead_time_days: int = DEFAULT_LEAD_TIME_DAYS
    routed_to_backup: bool = False

    @property
    def pending(self) -> bool:
        return self.manufacturer_id is None

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(n.full_text for n in self.notices)

    @property
    def reason(self) -> str:
        return self.why.full_text


@dataclass
class RoutingState:
    """What one routing run has handed out so far: a manufacturer given a job by an
    earlier line takes later lines into the same job (no extra capacity), and their costs
    add up against its credit."""

    cost: dict[uuid.UUID, Decimal] = field(default_factory=dict)

    def take(self, manufacturer_id: uuid.UUID, cost: Decimal) -> None:
        self.cost[manufacturer_id] = self.cost.get(manufacturer_id, Decimal(0)) + cost


def _names(
    manufacturers: Mapping[uuid.UUID, ManufacturerState], *ids: uuid.UUID | None
) -> dict[uuid.UUID, str]:
    return {pk: manufacturers[pk].name for pk in ids if pk is not None and pk in manufacturers}


def choose(
    line: Line,
    manufacturers: Mapping[uuid.UUID, ManufacturerState],
    state: RoutingState | None = None,
) -> Choice:
    """The manufacturer for one line: the cascade's first candidate (auto), else the
    family's backup (fallback), else its other active assignments by priority (fallback),
    else nobody (PENDING_ASSIGNMENT). Without a cascade candidate the first available
    assignment by priority is an auto route."""
    state = state or RoutingState()
    family = line.family
    considered: list[Considered] = []
    seen: set[uuid.UUID] = set()
    family_code = family.code if family else None

    def reason(code: ReasonCode, pk: uuid.UUID | None, **values: Any) -> Reason:
        passed: tuple[Considered, ...] = values.pop("passed_over", ())
        ids = (pk, *(c.manufacturer_id for c in passed))
        return Reason(
            code,
            manufacturer_id=pk,
            family_code=family_code,
            passed_over=passed,
            names=_names(manufacturers, *ids),
            **values,
        )

    def check(pk: uuid.UUID, source: CandidateSource) -> Availability | None:
        if pk in seen:
            return None
        seen.add(pk)
        terms = family.terms(pk) if family else None
        found = availability(
            manufacturers.get(pk),
            pk,
            techniques=[line.technique],
            terms=terms,
            # A manufacturer given a job by an earlier line takes this one into the
            # same job: no extra capacity, but the costs add up against its credit.
            cost=state.cost.get(pk, Decimal(0)) + estimated_cost(terms, line.quantity),
        )
        considered.append(found.considered(source))
        return found

    def chosen(
        pk: uuid.UUID,
        found: Availability,
        routed_by: RoutedBy,
        source: ManufacturerSource | None,
        why: Reason,
        original: uuid.UUID | None,
        backup: bool = False,
    ) -> Choice:
        terms = family.terms(pk) if family else None
        cost = estimated_cost(terms, line.quantity)
        state.take(pk, cost)
        return Choice(
            line=line,
            manufacturer_id=pk,
            routed_by=routed_by,
            source=source,
            why=why,
            original_manufacturer_id=original,
            considered=tuple(considered),
            notices=found.notices,
            cost=cost if terms is not None and terms.cost_per_unit is not None else None,
            lead_time_days=lead_time_days(terms, family, manufacturers.get(pk)),
            routed_to_backup=backup,
        )

    # 1. The cascade's first candidate (a deleted manufacturer is no candidate, as in the
    #    catalog's resolution).
    levels = cascade(
        variant_default=line.variant_default,
        product_override=line.product_override,
        category_override=line.category_override,
        family_default=family.default_manufacturer_id if family else None,
    )
    primary = None
    for candidate in levels:
        state_of = manufacturers.get(candidate.manufacturer_id)
        if state_of is not None and not state_of.deleted:
            primary = candidate
            break
        check(candidate.manufacturer_id, CandidateSource(candidate.source.value))
    # The unavailable first choice, which explains a fallback.
    why_primary: tuple[Considered, ...] = ()
    if primary is not None:
        found = check(primary.manufacturer_id, CandidateSource(primary.source.value))
        assert found is not None
        if found.available:
            return chosen(
                primary.manufacturer_id,
                found,
                RoutedBy.AUTO,
                primary.source,
                reason(ReasonCode.CASCADE, primary.manufacturer_id, level=primary.source.value),
                None,
            )
        why_primary = (considered[-1],)
    original = primary.manufacturer_id if primary is not None else None

    ranked = (
        sorted((a for a in family.assignments if a.is_active), key=lambda a: a.priority)
        if family
        else []
    )

    def try_assignments(routed_by: RoutedBy) -> Choice | None:
        for terms in ranked:
            found = check(terms.manufacturer_id, CandidateSource.FAMILY_ASSIGNMENT)
            if found is None or not found.available:
                continue
            if routed_by is RoutedBy.AUTO:
                why = reason(ReasonCode.FIRST_AVAILABLE_ASSIGNMENT, terms.manufacturer_id)
            else:
                why = reason(
                    ReasonCode.FALLBACK_ASSIGNMENT,
                    terms.manufacturer_id,
                    priority=terms.priority,
                    other_manufacturer_id=original,
                    passed_over=why_primary,
                )
            return chosen(
                terms.manufacturer_id,
                found,
                routed_by,
                ManufacturerSource.FAMILY_ASSIGNMENT,
                why,
                original,
            )
        return None

    def try_backup() -> Choice | None:
        backup = family.backup_manufacturer_id if family else None
        if backup is None:
            return None
        found = check(backup, CandidateSource.FAMILY_BACKUP)
        if found is None or not found.available:
            return None
        why = reason(
            ReasonCode.BACKUP, backup, other_manufacturer_id=original, passed_over=why_primary
        )
        return chosen(backup, found, RoutedBy.FALLBACK, None, why, original, backup=True)

    if primary is None:
        result = try_assignments(RoutedBy.AUTO) or try_backup()
    else:
        result = try_backup() or try_assignments(RoutedBy.FALLBACK)
    if result is not None:
        return result
    if considered:
        why = reason(ReasonCode.NO_AVAILABLE_MANUFACTURER, None, passed_over=tuple(considered))
    else:
        why = reason(ReasonCode.NO_MANUFACTURER_CONFIGURED, None)
    return Choice(
        line=line,
        manufacturer_id=None,
        routed_by=RoutedBy.FALLBACK if considered else RoutedBy.AUTO,
        source=ManufacturerSource.UNASSIGNED,
        why=why,
        original_manufacturer_id=original,
        considered=tuple(considered),
        notices=(),
        lead_time_days=lead_time_days(None, family, None),
    )


# -- splitting an order into jobs (BR-5) ---------------------------------------------------------


@dataclass(frozen=True)
class PlannedJob:
    """One job of the split: one manufacturer's lines, or one family's unassignable lines."""

    manufacturer_id: uuid.UUID | None
    family_id: uuid.UUID | None
    choices: tuple[Choice, ...]

    @property
    def pending(self) -> bool:
        return self.manufacturer_id is None

    @property
    def quantity(self) -> int:
        return sum(c.line.quantity for c in self.choices)

    @property
    def routed_by(self) -> RoutedBy:
        if self.pending:
            return self.choices[0].routed_by
        if any(c.routed_by is RoutedBy.FALLBACK for c in self.choices):
            return RoutedBy.FALLBACK
        return RoutedBy.AUTO

    @property
    def source(self) -> ManufacturerSource | None:
        return self.choices[0].source

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Its lines' reasons, each that reads differently once."""
        distinct: dict[str, Reason] = {}
        for choice in self.choices:
            distinct.setdefault(choice.why.full_text, choice.why)
        return tuple(distinct.values())

    @property
    def reason(self) -> str:
        return joined_text(self.reasons)

    @property
    def original_manufacturer_id(self) -> uuid.UUID | None:
        for choice in self.choices:
            if choice.routed_by is RoutedBy.FALLBACK and choice.original_manufacturer_id:
                return choice.original_manufacturer_id
        return None

    @property
    def decoration_type(self) -> Technique | None:
        techniques = {c.line.technique for c in self.choices}
        return techniques.pop() if len(techniques) == 1 else None

    @property
    def quoted_cost(self) -> Decimal | None:
        costs = [c.cost for c in self.choices]
        if self.pending or any(cost is None for cost in costs):
            return None
        return sum((cost for cost in costs if cost is not None), Decimal(0))

    @property
    def lead_time_days(self) -> int:
        return max(c.lead_time_days for c in self.choices)

    @property
    def notices(self) -> tuple[Notice, ...]:
        distinct: dict[str, Notice] = {}
        for notice in (n for c in self.choices for n in c.notices):
            distinct.setdefault(notice.full_text, notice)
        return tuple(distinct.values())

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(n.full_text for n in self.notices)

    @property
    def routed_to_backup(self) -> bool:
        return any(c.routed_to_backup for c in self.choices)

    @property
    def considered(self) -> tuple[Considered, ...]:
        """Every candidate of its lines, first verdict per manufacturer."""
        seen: dict[uuid.UUID, Considered] = {}
        for choice in self.choices:
            for candidate in choice.considered:
                seen.setdefault(candidate.manufacturer_id, candidate)
        return tuple(seen.values())


def split(choices: Sequence[Choice]) -> list[PlannedJob]:
    """BR-5: one job per manufacturer per order; lines nobody can take wait in one
    PENDING_ASSIGNMENT job per family. Jobs come in the order of their first line."""
    groups: dict[tuple[str, uuid.UUID | None], list[Choice]] = {}
    for choice in choices:
        if choice.manufacturer_id is not None:
            key: tuple[str, uuid.UUID | None] = ("m", choice.manufacturer_id)
        else:
            key = ("f", choice.line.family.id if choice.line.family else None)
        groups.setdefault(key, []).append(choice)
    return [
        PlannedJob(
            manufacturer_id=group[0].manufacturer_id,
            family_id=group[0].line.family.id if group[0].line.family else None,
            choices=tuple(group),
        )
        for group in groups.values()
    ]


def route_lines(
    lines: Sequence[Line], manufacturers: Mapping[uuid.UUID, ManufacturerState]
) -> list[PlannedJob]:
    """Choose for every line (in order, sharing one RoutingState) and split into jobs."""
    state = RoutingState()
    return split([choose(line, manufacturers, state) for line in lines])


def job_letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: the n-th job of an order (0-based)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def job_number(order_reference: str, index: int) -> str:
    """ORD-2026-007 → MFG-2026-007A for the first job, B for the second..."""
    stem = order_reference.removeprefix("ORD-")
    return f"MFG-{stem}{job_letter(index)}"


@dataclass(frozen=True)
class Replacement:
    """Where a declined job goes (BR-8): the backup, else the family's other active
    assignments by priority; nobody → PENDING_ASSIGNMENT."""

    manufacturer_id: uuid.UUID | None
    why: Reason
    considered: tuple[Considered, ...]
    notices: tuple[Notice, ...] = ()
    cost: Decimal | None = None
    lead_time_days: int = DEFAULT_LEAD_TIME_DAYS
    source: CandidateSource | None = None

    @property
    def reason(self) -> str:
        return self.why.full_text

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(n.full_text for n in self.notices)


def choose_replacement(
    family: Family | None,
    manufacturers: Mapping[uuid.UUID, ManufacturerState],
    *,
    techniques: Sequence[Technique],
    quantity: int,
    declined_by: uuid.UUID | None,
) -> Replacement:
    order: list[tuple[uuid.UUID, CandidateSource]] = []
    if family is not None:
        if family.backup_manufacturer_id is not None:
            order.append((family.backup_manufacturer_id, CandidateSource.FAMILY_BACKUP))
        ranked = sorted((a for a in family.assignments if a.is_active), key=lambda a: a.priority)
        order += [(a.manufacturer_id, CandidateSource.FAMILY_ASSIGNMENT) for a in ranked]
    considered: list[Considered] = []
    seen: set[uuid.UUID] = set()
    for pk, source in order:
        if pk in seen:
            continue
        seen.add(pk)
        if pk == declined_by:
            considered.append(Considered(pk, source, False, (Obstacle(Unavailable.DECLINED),)))
            continue
        terms = family.terms(pk) if family else None
        cost = estimated_cost(terms, quantity)
        found = availability(
            manufacturers.get(pk), pk, techniques=techniques, terms=terms, cost=cost
        )
        considered.append(found.considered(source))
        if found.available:
            return Replacement(
                manufacturer_id=pk,
                why=Reason(
                    ReasonCode.REPLACED_AFTER_DECLINE,
                    manufacturer_id=pk,
                    other_manufacturer_id=declined_by,
                    backup=source is CandidateSource.FAMILY_BACKUP,
                    names=_names(manufacturers, pk, declined_by),
                ),
                considered=tuple(considered),
                notices=found.notices,
                cost=cost if terms is not None and terms.cost_per_unit is not None else None,
                lead_time_days=lead_time_days(terms, family, manufacturers.get(pk)),
                source=source,
            )
    return Replacement(
        manufacturer_id=None,
        why=Reason(
            ReasonCode.NOT_REPLACED_AFTER_DECLINE,
            other_manufacturer_id=declined_by,
            passed_over=tuple(considered),
            names=_names(manufacturers, declined_by, *(c.manufacturer_id for c in considered)),
        ),
        considered=tuple(considered),
        lead_time_days=lead_time_days(None, family, None),
    )


# Who reads routing decisions besides superadmin and admin.
GRANTS = grants({Permission.VIEW_ROUTING: {Role.OPS: ALL, Role.FINANCE: ALL, Role.READONLY: ALL}})
