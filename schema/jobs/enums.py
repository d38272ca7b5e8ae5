"""Job enums exposed in the graph, documented value by value."""

from __future__ import annotations

from domain import jobs
from schema.enums import graphql_enum

graphql_enum(
    jobs.JobStatus,
    "Where a manufacturing job is (SPEC §2.1). `allowedTransitions` lists the moves from here.",
    {
        jobs.JobStatus.NEW: "Assigned to a manufacturer, waiting to be accepted or declined.",
        jobs.JobStatus.ACCEPTED: "Accepted with an estimated completion date.",
        jobs.JobStatus.IN_PRODUCTION: "Being made; progress is reported only here.",
        jobs.JobStatus.QC: "Made; in quality control (QC photos required to pass).",
        jobs.JobStatus.READY_TO_SHIP: "QC passed; waiting to ship.",
        jobs.JobStatus.SHIPPED: "Shipped with carrier and tracking number (final).",
        jobs.JobStatus.DECLINED: "Declined by the manufacturer with a reason (final; rerouted).",
        jobs.JobStatus.PENDING_ASSIGNMENT: "No manufacturer could take it; waiting for assignJob.",
    },
)

graphql_enum(
    jobs.RoutedBy,
    "How a job got its manufacturer.",
    {
        jobs.RoutedBy.AUTO: "The routing cascade picked it.",
        jobs.RoutedBy.MANUAL: "Assigned or overridden by a person.",
        jobs.RoutedBy.FALLBACK: "The backup after the first choice was unavailable or declined.",
    },
)

graphql_enum(
    jobs.ShippingCarrier,
    "Who carries a shipped job.",
    {
        jobs.ShippingCarrier.DHL: "DHL.",
        jobs.ShippingCarrier.FEDEX: "FedEx.",
        jobs.ShippingCarrier.UPS: "UPS.",
        jobs.ShippingCarrier.USPS: "USPS.",
        jobs.ShippingCarrier.ARAMEX: "Aramex.",
        jobs.ShippingCarrier.OTHER: "Another carrier.",
    },
)

graphql_enum(
    jobs.DeclineReason,
    "Why a manufacturer declined a job.",
    {
        jobs.DeclineReason.MATERIALS: "Materials are not available.",
        jobs.DeclineReason.CAPACITY: "No capacity for it now.",
        jobs.DeclineReason.TIMELINE: "The due date cannot be met.",
        jobs.DeclineReason.QUALITY_CONCERNS: "Concerns about meeting the quality asked.",
        jobs.DeclineReason.OTHER: "Another reason (see the decline notes).",
    },
)

graphql_enum(
    jobs.PhotoStage,
    "The production stage a job photo shows.",
    {
        jobs.PhotoStage.CUTTING: "Cutting.",
        jobs.PhotoStage.SEWING: "Sewing.",
        jobs.PhotoStage.PRINTING: "Printing or decoration.",
        jobs.PhotoStage.QC: "Quality control: at least one is needed to pass QC.",
        jobs.PhotoStage.PACKING: "Packing.",
        jobs.PhotoStage.OTHER: "Anything else.",
    },
)

graphql_enum(
    jobs.NoteAuthorRole,
    "Who wrote a job note.",
    {
        jobs.NoteAuthorRole.MANUFACTURER: "The manufacturer making the job.",
        jobs.NoteAuthorRole.ADMIN: "Our staff (admin, ops).",
        jobs.NoteAuthorRole.CUSTOMER: "The customer.",
    },
)

graphql_enum(
    jobs.IssueType,
    "What kind of problem a job issue is.",
    {
        jobs.IssueType.MATERIALS_DEFECT: "Defective or wrong materials.",
        jobs.IssueType.EQUIPMENT_FAILURE: "A machine broke down.",
        jobs.IssueType.DESIGN_PROBLEM: "The artwork or spec cannot be made as given.",
        jobs.IssueType.CAPACITY: "Not enough capacity to finish on time.",
        jobs.IssueType.OTHER: "Anything else.",
    },
)

graphql_enum(
    jobs.IssueSeverity,
    "How serious a job issue is; high and critical ones alert the admins with high priority.",
    {
        jobs.IssueSeverity.LOW: "Low.",
        jobs.IssueSeverity.MEDIUM: "Medium.",
        jobs.IssueSeverity.HIGH: "High.",
        jobs.IssueSeverity.CRITICAL: "Critical.",
    },
)

graphql_enum(
    jobs.IssueImpact,
    "What a job issue does to delivery.",
    {
        jobs.IssueImpact.MINOR_DELAY: "A minor delay.",
        jobs.IssueImpact.MAJOR_DELAY: "A major delay.",
        jobs.IssueImpact.CANNOT_COMPLETE: "The job cannot be completed.",
    },
)
