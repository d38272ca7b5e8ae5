"""Manufacturing jobs (SPEC §1.4, §2.1): statuses and the vocabularies around them."""

from __future__ import annotations

from enum import StrEnum


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


class NotificationAudience(StrEnum):
    """Who a notification is for: one manufacturer's users, or the admins."""

    MANUFACTURER = "manufacturer"
    ADMIN = "admin"


class NotificationType(StrEnum):
    # SPEC §1.2 Notification types (manufacturer portal).
    NEW_JOB = "new_job"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NOTE_ADDED = "note_added"
    PAYMENT_RECEIVED = "payment_received"
    # Reassignment (BR-8: "notify the old manufacturer").
    JOB_REASSIGNED = "job_reassigned"
    # Admin notices (BR-4, BR-8, BR-24, SPEC §2.1 "admin gets a low-priority in-app notice").
    PENDING_ASSIGNMENT = "pending_assignment"
    ROUTED_TO_BACKUP = "routed_to_backup"
    JOB_DECLINED = "job_declined"
    CREDIT_WARNING = "credit_warning"
    ISSUE_REPORTED = "issue_reported"
    STATUS_CHANGED = "status_changed"


class NotificationPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
