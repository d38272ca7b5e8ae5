"""Job enums exposed in the graph, documented value by value."""

from __future__ import annotations

from domain.jobs import (
    DeclineReason,
    IssueImpact,
    IssueSeverity,
    IssueType,
    JobStatus,
    NoteAuthorRole,
    PhotoStage,
    RoutedBy,
    ShippingCarrier,
)
from schema.enums import graphql_enum

graphql_enum(
    JobStatus,
    "Where a manufacturing job is (SPEC §2.1). `allowedTransitions` lists the moves from here.",
    {
        JobStatus.NEW: "Assigned to a manufacturer, waiting to be accepted or declined.",
        JobStatus.ACCEPTED: "Accepted with an estimated completion date.",
        JobStatus.IN_PRODUCTION: "Being made; progress is reported only here.",
        JobStatus.QC: "Made; in quality control (QC photos required to pass).",
        JobStatus.READY_TO_SHIP: "QC passed; waiting to ship.",
        JobStatus.SHIPPED: "Shipped with carrier and tracking number (final).",
        JobStatus.DECLINED: "Declined by the manufacturer with a reason (final; rerouted).",
        JobStatus.PENDING_ASSIGNMENT: "No manufacturer could take it; waiting for assignJob.",
    },
)

graphql_enum(
    RoutedBy,
    "How a job got its manufacturer.",
    {
        RoutedBy.AUTO: "The routing cascade picked it.",
        RoutedBy.MANUAL: "Assigned or overridden by a person.",
        RoutedBy.FALLBACK: "The backup after the first choice was unavailable or declined.",
    },
)

graphql_enum(
    ShippingCarrier,
    "Who carries a shipped job.",
    {
        ShippingCarrier.DHL: "DHL.",
        ShippingCarrier.FEDEX: "FedEx.",
        ShippingCarrier.UPS: "UPS.",
        ShippingCarrier.USPS: "USPS.",
        ShippingCarrier.ARAMEX: "Aramex.",
        ShippingCarrier.OTHER: "Another carrier.",
    },
)

graphql_enum(
    DeclineReason,
    "Why a manufacturer declined a job.",
    {
        DeclineReason.MATERIALS: "Materials are not available.",
        DeclineReason.CAPACITY: "No capacity for it now.",
        DeclineReason.TIMELINE: "The due date cannot be met.",
        DeclineReason.QUALITY_CONCERNS: "Concerns about meeting the quality asked.",
        DeclineReason.OTHER: "Another reason (see the decline notes).",
    },
)

graphql_enum(
    PhotoStage,
    "The production stage a job photo shows.",
    {
        PhotoStage.CUTTING: "Cutting.",
        PhotoStage.SEWING: "Sewing.",
        PhotoStage.PRINTING: "Printing or decoration.",
        PhotoStage.QC: "Quality control: at least one is needed to pass QC.",
        PhotoStage.PACKING: "Packing.",
        PhotoStage.OTHER: "Anything else.",
    },
)

graphql_enum(
    NoteAuthorRole,
    "Who wrote a job note.",
    {
        NoteAuthorRole.MANUFACTURER: "The manufacturer making the job.",
        NoteAuthorRole.ADMIN: "Our staff (admin, ops).",
        NoteAuthorRole.CUSTOMER: "The customer.",
    },
)

graphql_enum(
    IssueType,
    "What kind of problem a job issue is.",
    {
        IssueType.MATERIALS_DEFECT: "Defective or wrong materials.",
        IssueType.EQUIPMENT_FAILURE: "A machine broke down.",
        IssueType.DESIGN_PROBLEM: "The artwork or spec cannot be made as given.",
        IssueType.CAPACITY: "Not enough capacity to finish on time.",
        IssueType.OTHER: "Anything else.",
    },
)

graphql_enum(
    IssueSeverity,
    "How serious a job issue is; high and critical ones alert the admins with high priority.",
    {
        IssueSeverity.LOW: "Low.",
        IssueSeverity.MEDIUM: "Medium.",
        IssueSeverity.HIGH: "High.",
        IssueSeverity.CRITICAL: "Critical.",
    },
)

graphql_enum(
    IssueImpact,
    "What a job issue does to delivery.",
    {
        IssueImpact.MINOR_DELAY: "A minor delay.",
        IssueImpact.MAJOR_DELAY: "A major delay.",
        IssueImpact.CANNOT_COMPLETE: "The job cannot be completed.",
    },
)
