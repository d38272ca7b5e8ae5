"""The notification vocabularies in the graph, each value described."""

from __future__ import annotations

from domain.notifications import NotificationAudience, NotificationPriority, NotificationType
from schema.enums import graphql_enum

graphql_enum(
    NotificationAudience,
    "Who a notification is for.",
    {
        NotificationAudience.MANUFACTURER: "The users of one manufacturer.",
        NotificationAudience.ADMIN: "Our staff (admins and ops).",
    },
)

graphql_enum(
    NotificationType,
    "What a notification announces.",
    {
        NotificationType.NEW_JOB: "A job was routed or assigned to the manufacturer.",
        NotificationType.DUE_SOON: "A job is due within 48 hours.",
        NotificationType.OVERDUE: "A job is past its due date.",
        NotificationType.NOTE_ADDED: "Staff added a note to one of the manufacturer's jobs.",
        NotificationType.PAYMENT_RECEIVED: "A payment was made to the manufacturer.",
        NotificationType.JOB_REASSIGNED: "A job was taken from the manufacturer and reassigned.",
        NotificationType.PENDING_ASSIGNMENT: "A job is waiting for a manual assignment.",
        NotificationType.ROUTED_TO_BACKUP: "A job went to a backup manufacturer.",
        NotificationType.JOB_DECLINED: "A manufacturer declined a job.",
        NotificationType.CREDIT_WARNING: "A manufacturer is near or over its credit limit.",
        NotificationType.ISSUE_REPORTED: "An issue was reported on a job.",
        NotificationType.STATUS_CHANGED: "A job changed status.",
        NotificationType.QC_FAILED: "Goods of an inbound shipment failed QC (or are held).",
        NotificationType.SHIPMENT_LOST: "An inbound shipment is overdue and flagged lost (BR-23).",
        NotificationType.INBOUND_UNPLACED: "A job shipped but no default fulfillment center "
        "expects it.",
        NotificationType.PAYMENT_HELD: "A customer paid, but the payment could not be applied "
        "to the order (wrong amount, order no longer a draft): the order is held for ops.",
        NotificationType.INVOICE_SUBMITTED: "An invoice was submitted for approval.",
        NotificationType.INVOICE_DISPUTED: "An invoice was disputed (the reason says why).",
        NotificationType.PAYMENT_VOIDED: "A payment was voided and its allocations reversed.",
        NotificationType.CREDIT_HOLD: "A manufacturer went on credit hold (60+ days past due).",
        NotificationType.AGING_ALERT: "An unpaid invoice reached an aging alert (BR-31: due in "
        "7 days, 1, 14, 30 or 60 days past due).",
    },
)

graphql_enum(
    NotificationPriority,
    "How urgently a notification should be read.",
    {
        NotificationPriority.LOW: "Low: for the record.",
        NotificationPriority.NORMAL: "Normal.",
        NotificationPriority.HIGH: "High: needs attention now.",
    },
)
