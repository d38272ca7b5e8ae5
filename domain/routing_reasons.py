"""Why routing chose what it chose, as data: a code and the figures, and the text built
from them for one viewer.

Routing reasons name manufacturers and quote credit terms and job costs, each guarded by
its own permission; storing prose would hand every reader all of them. A `Reason` keeps
the code and the figures, and `Reason.text(view)` leaves out what `view` may not see. The
full view reads exactly as the prose routing wrote before reasons were structured.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class CandidateSource(StrEnum):
    """Where a routing candidate came from: a cascade level, the backup, or a person."""

    VARIANT_DEFAULT = "variant_default"
    PRODUCT_OVERRIDE = "product_override"
    CATEGORY_OVERRIDE = "category_override"
    FAMILY_DEFAULT = "family_default"
    FAMILY_BACKUP = "family_backup"
    FAMILY_ASSIGNMENT = "family_assignment"
    MANUAL = "manual"


class Unavailable(StrEnum):
    """Why a manufacturer cannot take a line now (BR-2, BR-3, BR-24, BR-8)."""

    MISSING = "missing"
    DELETED = "deleted"
    NOT_ACTIVE = "not_active"
    NOT_ACCEPTING_ORDERS = "not_accepting_orders"
    AT_CAPACITY = "at_capacity"
    INCAPABLE = "incapable"
    DELINQUENT = "delinquent"
    CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"
    DECLINED = "declined"


class ReasonCode(StrEnum):
    """What kind of routing choice a reason explains."""

    CASCADE = "cascade"
    FIRST_AVAILABLE_ASSIGNMENT = "first_available_assignment"
    FALLBACK_ASSIGNMENT = "fallback_assignment"
    BACKUP = "backup"
    NO_AVAILABLE_MANUFACTURER = "no_available_manufacturer"
    NO_MANUFACTURER_CONFIGURED = "no_manufacturer_configured"
    REPLACED_AFTER_DECLINE = "replaced_after_decline"
    NOT_REPLACED_AFTER_DECLINE = "not_replaced_after_decline"
    ASSIGNED_MANUALLY = "assigned_manually"
    REASSIGNED = "reassigned"


@dataclass(frozen=True)
class ReasonView:
    """What one viewer may see of a reason: which manufacturers it may name (their name and
    id), whose credit terms it may read, and whether it may read costs."""

    may_name: Callable[[uuid.UUID], bool]
    may_see_terms: Callable[[uuid.UUID], bool]
    may_see_cost: bool

    @property
    def full(self) -> bool:
        """Whether nothing is withheld from this viewer (probed with a fresh id, so a grant
        for one's own records only does not count)."""
        probe = uuid.UUID(int=0)
        return self.may_see_cost and self.may_name(probe) and self.may_see_terms(probe)


FULL_VIEW = ReasonView(lambda _: True, lambda _: True, True)


@dataclass(frozen=True)
class Credit:
    """A credit check's figures (BR-24): the manufacturer's balance and limit are its credit
    terms, the job cost is cost data."""

    balance: Decimal
    cost: Decimal
    limit: Decimal
    hold: bool
    # The manufacturer's currency; None: the default one.
    currency: str | None = None

    @property
    def after(self) -> Decimal:
        return self.balance + self.cost

    def text(self, *, terms: bool, cost: bool) -> str:
        if self.after <= self.limit:  # near the limit (a warning)
            if not (terms and cost):
                return "this job takes the balance near the credit limit"
            percent = (self.after / self.limit * 100).quantize(Decimal("1"))
            return f"balance after this job {self.after} is {percent}% of the credit limit"
        if terms and cost:
            text = (
                f"balance {self.balance} + job cost {self.cost} = {self.after} exceeds the "
                f"credit limit {self.limit}"
            )
        elif terms:
            text = f"balance {self.balance} + this job's cost exceeds the credit limit {self.limit}"
        elif cost:
            text = f"job cost {self.cost} exceeds the available credit"
        else:
            text = "this job's cost exceeds the available credit"
        if self.hold:
            return text + " (credit hold)"
        return text + " (no credit hold: allowed with a warning)"

    def as_json(self) -> dict[str, Any]:
        return {
            "balance": str(self.balance),
            "cost": str(self.cost),
            "limit": str(self.limit),
            "hold": self.hold,
            "currency": self.currency,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Credit:
        return cls(
            Decimal(data["balance"]),
            Decimal(data["cost"]),
            Decimal(data["limit"]),
            data["hold"],
            data.get("currency"),
        )


@dataclass(frozen=True)
class Obstacle:
    """One reason a manufacturer could not take the work, with its figures."""

    code: Unavailable
    onboarding_status: str | None = None
    active_jobs: int | None = None
    max_concurrent_jobs: int | None = None
    techniques: tuple[str, ...] = ()
    credit: Credit | None = None

    def text(self, manufacturer_id: uuid.UUID, view: ReasonView = FULL_VIEW) -> str:
        # A manufacturer's own figures (status, capacity) follow its name; credit figures
        # follow its terms and the cost permission.
        named = view.may_name(manufacturer_id)
        match self.code:
            case Unavailable.MISSING:
                return "unknown manufacturer"
            case Unavailable.DELETED:
                return "deleted"
            case Unavailable.NOT_ACTIVE:
                return f"onboarding status is {self.onboarding_status}" if named else "not active"
            case Unavailable.NOT_ACCEPTING_ORDERS:
                return "not accepting orders"
            case Unavailable.AT_CAPACITY:
                if not named:
                    return "at capacity"
                return f"at capacity ({self.active_jobs}/{self.max_concurrent_jobs})"
            case Unavailable.INCAPABLE:
                return f"cannot do {', '.join(self.techniques)}"
            case Unavailable.DELINQUENT:
                return "payment standing is delinquent"
            case Unavailable.DECLINED:
                return "declined this job"
            case Unavailable.CREDIT_LIMIT_EXCEEDED:
                assert self.credit is not None
                return self.credit.text(
                    terms=view.may_see_terms(manufacturer_id), cost=view.may_see_cost
                )

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code.value}
        if self.onboarding_status is not None:
            data["onboarding_status"] = self.onboarding_status
        if self.max_concurrent_jobs is not None:
            data["active_jobs"] = self.active_jobs
            data["max_concurrent_jobs"] = self.max_concurrent_jobs
        if self.techniques:
            data["techniques"] = list(self.techniques)
        if self.credit is not None:
            data["credit"] = self.credit.as_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Obstacle:
        credit = data.get("credit")
        return cls(
            code=Unavailable(data["code"]),
            onboarding_status=data.get("onboarding_status"),
            active_jobs=data.get("active_jobs"),
            max_concurrent_jobs=data.get("max_concurrent_jobs"),
            techniques=tuple(data.get("techniques") or ()),
            credit=Credit.from_json(credit) if credit is not None else None,
        )


@dataclass(frozen=True)
class Considered:
    """A candidate routing looked at, and what it found."""

    manufacturer_id: uuid.UUID
    source: CandidateSource
    available: bool
    obstacles: tuple[Obstacle, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.texts(FULL_VIEW)

    def texts(self, view: ReasonView) -> tuple[str, ...]:
        return tuple(o.text(self.manufacturer_id, view) for o in self.obstacles)

    def as_json(self) -> dict[str, Any]:
        return {
            "manufacturer_id": str(self.manufacturer_id),
            "source": self.source.value,
            "available": self.available,
            "obstacles": [o.as_json() for o in self.obstacles],
            # The full text as well, as rows written before the structure read.
            "reasons": list(self.reasons),
        }


def considered_from_json(data: Mapping[str, Any]) -> Considered | None:
    """A stored candidate; None for one stored as text only (before reasons had codes)."""
    if "obstacles" not in data:
        return None
    return Considered(
        uuid.UUID(data["manufacturer_id"]),
        CandidateSource(data["source"]),
        bool(data["available"]),
        tuple(Obstacle.from_json(o) for o in data["obstacles"]),
    )


@dataclass(frozen=True)
class Notice:
    """A warning that did not block routing, about one manufacturer: its credit nearing or
    over the limit without a hold, or (for a person's pick) one of its obstacles."""

    manufacturer_id: uuid.UUID
    name: str
    obstacle: Obstacle | None = None
    credit: Credit | None = None

    @property
    def full_text(self) -> str:
        return self.text(FULL_VIEW)

    def text(self, view: ReasonView) -> str:
        pk = self.manufacturer_id
        if self.credit is not None:
            detail = self.credit.text(terms=view.may_see_terms(pk), cost=view.may_see_cost)
        else:
            assert self.obstacle is not None
            detail = self.obstacle.text(pk, view)
        return f"{self.name}: {detail}" if view.may_name(pk) else f"A manufacturer: {detail}"

    def as_json(self) -> dict[str, Any]:
        return {
            "manufacturer_id": str(self.manufacturer_id),
            "name": self.name,
            "obstacle": self.obstacle.as_json() if self.obstacle else None,
            "credit": self.credit.as_json() if self.credit else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Notice:
        obstacle, credit = data.get("obstacle"), data.get("credit")
        return cls(
            uuid.UUID(data["manufacturer_id"]),
            data["name"],
            Obstacle.from_json(obstacle) if obstacle else None,
            Credit.from_json(credit) if credit else None,
        )


def notice_texts(stored: Sequence[str | Mapping[str, Any]], view: ReasonView) -> list[str]:
    """Stored warnings as `view` may read them; one stored as text only (before warnings
    were structured) reads to a viewer who may see everything, and to no one else."""
    return [
        Notice.from_json(entry).text(view) if not isinstance(entry, str) else entry
        for entry in stored
        if not isinstance(entry, str) or view.full
    ]


_LEVEL_LABEL = {
    "variant_default": "Variant default",
    "product_override": "Product override",
    "category_override": "Category override",
    "family_default": "Family default",
    "family_assignment": "First available family assignment",
}


@dataclass(frozen=True)
class Reason:
    """Why one routing choice went where it went.

    `manufacturer_id` got the work; `other_manufacturer_id` is the one it came from (the
    first choice that was unavailable, the manufacturer that declined, the one a job was
    reassigned from); `passed_over` holds the candidates whose obstacles explain it."""

    code: ReasonCode
    manufacturer_id: uuid.UUID | None = None
    other_manufacturer_id: uuid.UUID | None = None
    level: str | None = None
    family_code: str | None = None
    priority: int | None = None
    backup: bool = False
    note: str | None = None
    passed_over: tuple[Considered, ...] = ()
    # Manufacturer names as routing saw them.
    names: Mapping[uuid.UUID, str] = field(default_factory=dict)

    @property
    def full_text(self) -> str:
        return self.text(FULL_VIEW)

    def text(self, view: ReasonView) -> str:
        return _TEXT[self.code](self, view)

    def _name(self, pk: uuid.UUID | None, view: ReasonView) -> str | None:
        if pk is None or not view.may_name(pk):
            return None
        return self.names.get(pk, str(pk))

    def _family(self) -> str:
        return f" for {self.family_code}" if self.family_code else ""

    def _passed_over(self, view: ReasonView, separator: str, anonymous: str) -> str:
        parts = []
        for c in self.passed_over:
            summary = separator.join(c.texts(view)) or "available"
            name = self._name(c.manufacturer_id, view)
            parts.append(f"{name} {summary}" if name else f"for {anonymous}, {summary}")
        return "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        ids = {self.manufacturer_id, self.other_manufacturer_id}
        ids |= {c.manufacturer_id for c in self.passed_over}
        return {
            "code": self.code.value,
            "manufacturer_id": _str(self.manufacturer_id),
            "other_manufacturer_id": _str(self.other_manufacturer_id),
            "level": self.level,
            "family_code": self.family_code,
            "priority": self.priority,
            "backup": self.backup,
            "note": self.note,
            "passed_over": [c.as_json() for c in self.passed_over],
            "names": {str(pk): self.names[pk] for pk in ids if pk is not None and pk in self.names},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        passed = (considered_from_json(c) for c in data.get("passed_over") or ())
        return cls(
            code=ReasonCode(data["code"]),
            manufacturer_id=_uuid(data.get("manufacturer_id")),
            other_manufacturer_id=_uuid(data.get("other_manufacturer_id")),
            level=data.get("level"),
            family_code=data.get("family_code"),
            priority=data.get("priority"),
            backup=bool(data.get("backup")),
            note=data.get("note"),
            passed_over=tuple(c for c in passed if c is not None),
            names={uuid.UUID(k): v for k, v in (data.get("names") or {}).items()},
        )


def _str(pk: uuid.UUID | None) -> str | None:
    return str(pk) if pk is not None else None


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _with(text: str, detail: str | None, separator: str = ": ") -> str:
    return f"{text}{separator}{detail}" if detail else text


def _cascade(r: Reason, view: ReasonView) -> str:
    return _with(f"{_LEVEL_LABEL[r.level or '']}{r._family()}", r._name(r.manufacturer_id, view))


def _first_available(r: Reason, view: ReasonView) -> str:
    label = f"First available assignment{r._family()} by priority"
    return _with(label, r._name(r.manufacturer_id, view))


def _fallback_assignment(r: Reason, view: ReasonView) -> str:
    name = r._name(r.manufacturer_id, view) or "a family assignment"
    why = r._passed_over(view, "; ", "the first choice")
    return f"Routed to {name} (priority {r.priority}){r._family()}: {why}"


def _backup(r: Reason, view: ReasonView) -> str:
    name = r._name(r.manufacturer_id, view)
    head = f"Routed to backup {name}" if name else "Routed to the backup manufacturer"
    return _with(head, r._passed_over(view, "; ", "the first choice"))


def _nobody_available(r: Reason, view: ReasonView) -> str:
    detail = r._passed_over(view, ", ", "a manufacturer")
    return f"No available manufacturer{r._family()}: {detail}"


def _nobody_configured(r: Reason, view: ReasonView) -> str:
    return f"No manufacturer configured{r._family()}"


def _decliner(r: Reason, view: ReasonView) -> str:
    return r._name(r.other_manufacturer_id, view) or "the manufacturer"


def _replaced(r: Reason, view: ReasonView) -> str:
    label = "backup" if r.backup else "assignment"
    name = r._name(r.manufacturer_id, view)
    target = f"{label} {name}" if name else f"the {label} manufacturer"
    return f"Routed to {target} after {_decliner(r, view)} declined"


def _not_replaced(r: Reason, view: ReasonView) -> str:
    text = f"{_decliner(r, view)} declined and no other manufacturer is available"
    return _with(text, r._passed_over(view, ", ", "a manufacturer"))


def _assigned(r: Reason, view: ReasonView) -> str:
    name = r._name(r.manufacturer_id, view)
    return _with(f"Assigned manually to {name}" if name else "Assigned manually", r.note)


def _reassigned(r: Reason, view: ReasonView) -> str:
    old = "nobody" if r.other_manufacturer_id is None else r._name(r.other_manufacturer_id, view)
    new = r._name(r.manufacturer_id, view)
    return _with(f"Reassigned{_with('', old, ' from ')}{_with('', new, ' to ')}", r.note)


_TEXT: dict[ReasonCode, Callable[[Reason, ReasonView], str]] = {
    ReasonCode.CASCADE: _cascade,
    ReasonCode.FIRST_AVAILABLE_ASSIGNMENT: _first_available,
    ReasonCode.FALLBACK_ASSIGNMENT: _fallback_assignment,
    ReasonCode.BACKUP: _backup,
    ReasonCode.NO_AVAILABLE_MANUFACTURER: _nobody_available,
    ReasonCode.NO_MANUFACTURER_CONFIGURED: _nobody_configured,
    ReasonCode.REPLACED_AFTER_DECLINE: _replaced,
    ReasonCode.NOT_REPLACED_AFTER_DECLINE: _not_replaced,
    ReasonCode.ASSIGNED_MANUALLY: _assigned,
    ReasonCode.REASSIGNED: _reassigned,
}


def joined_text(reasons: Iterable[Reason], view: ReasonView = FULL_VIEW) -> str:
    """Several lines' reasons as one text, each once (as a job's reason reads)."""
    return "; ".join(dict.fromkeys(r.text(view) for r in reasons))


def reasons_as_json(reasons: Sequence[Reason]) -> list[dict[str, Any]]:
    return [r.as_json() for r in reasons]


def reasons_from_json(data: Sequence[Mapping[str, Any]] | None) -> tuple[Reason, ...] | None:
    """Stored reasons; None for a row written before reasons were structured."""
    if data is None:
        return None
    return tuple(Reason.from_json(r) for r in data)
