"""Manufacturing jobs (SPEC §1.4, §2.1): statuses and the vocabularies around them."""

from __future__ import annotations

from enum import StrEnum

from domain.permissions import ALL, OWN, STAFF_READ, Permission, Role, grants


class JobStatus(StrEnum):
    NEW = "NEW"
    ACCEPTED = "ACCEPTED"
    IN_PRODUCTION = "IN_PRODUCTION"
    QC = "QC"
    READY_TO_SHIP = "READY_TO_SHIP"
    SHIPPED = "SHIPPED"
    DECLINED = "DECLINED"
    PENDING_ASSIGNMENT = "PENDING_ASSIGNMENT"


# BR-3 (with its Rec): a job holds a manufacturer's capacity unless it is one of these.
INACTIVE_JOB_STATUSES = frozenset(
    {JobStatus.SHIPPED, JobStatus.DECLINED, JobStatus.PENDING_ASSIGNMENT}
)


class RoutedBy(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"
    FALLBACK = "fallback"


class ShippingCarrier(StrEnum):
    DHL = "DHL"
    FEDEX = "FedEx"
    UPS = "UPS"
    USPS = "USPS"
    ARAMEX = "Aramex"
    OTHER = "Other"


class DeclineReason(StrEnum):
    MATERIALS = "materials"
    CAPACITY = "capacity"
    TIMELINE = "timeline"
    QUALITY_CONCERNS = "quality_concerns"
    OTHER = "other"


class PhotoStage(StrEnum):
    CUTTING = "cutting"
    SEWING = "sewing"
    PRINTING = "printing"
    QC = "qc"
    PACKING = "packing"
    OTHER = "other"


class NoteAuthorRole(StrEnum):
    MANUFACTURER = "manufacturer"
    ADMIN = "admin"
    CUSTOMER = "customer"


class IssueType(StrEnum):
    MATERIALS_DEFECT = "materials_defect"
    EQUIPMENT_FAILURE = "equipment_failure"
    DESIGN_PROBLEM = "design_problem"
    CAPACITY = "capacity"
    OTHER = "other"


class IssueSeverity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IssueImpact(StrEnum):
    MINOR_DELAY = "minor_delay"
    MAJOR_DELAY = "major_delay"
    CANNOT_COMPLETE = "cannot_complete"


# Who holds the jobs' permissions: "View all jobs = A O F · ◐ S" (sales reads jobs; their
# cost fields stay behind VIEW_COSTS), "View own mfr jobs = A O M", "Update job status =
# A O · ◐ M", "Create jobs = A O" (routing, assignment).
GRANTS = grants(
    {
        Permission.VIEW_JOBS: {**STAFF_READ, Role.MANUFACTURER: OWN},
        Permission.WORK_ON_JOBS: {Role.OPS: ALL, Role.MANUFACTURER: OWN},
        Permission.ASSIGN_JOBS: {Role.OPS: ALL},
        # "Enter actual costs = A O M"; a manufacturer reads the actual cost it entered on
        # its own jobs, and no other cost field (SPEC §9 #14).
        Permission.ENTER_ACTUAL_COSTS: {Role.OPS: ALL, Role.MANUFACTURER: OWN},
        Permission.VIEW_ACTUAL_COSTS: {Role.OPS: ALL, Role.FINANCE: ALL, Role.MANUFACTURER: OWN},
    }
)
