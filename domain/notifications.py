"""Notifications (SPEC §1.2 Notification): who hears, what about, how urgently."""

from __future__ import annotations

from enum import StrEnum

from domain.permissions import ALL, OWN, Permission, Role, grants


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
    # 3PL inbound (BR-21, BR-23): failed QC, a shipment overdue, a shipped job with no
    # default fulfillment center to expect it at.
    QC_FAILED = "qc_failed"
    SHIPMENT_LOST = "shipment_lost"
    INBOUND_UNPLACED = "inbound_unplaced"
    # Checkout (issue 29): a customer payment that could not be applied to its order.
    PAYMENT_HELD = "payment_held"
    # Finance (BR-26, BR-30, §2.12 dispute, BR-25 hold).
    INVOICE_SUBMITTED = "invoice_submitted"
    INVOICE_DISPUTED = "invoice_disputed"
    PAYMENT_VOIDED = "payment_voided"
    CREDIT_HOLD = "credit_hold"
    AGING_ALERT = "aging_alert"


class NotificationPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


# Staff read the admins' notifications; a manufacturer its own.
GRANTS = grants({Permission.VIEW_NOTIFICATIONS: {Role.OPS: ALL, Role.MANUFACTURER: OWN}})
