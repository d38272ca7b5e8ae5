"""Inbound and QC enums exposed in the graph, documented value by value."""

from __future__ import annotations

from domain import fulfillment as f
from schema.enums import graphql_enum

graphql_enum(
    f.InboundStatus,
    "Where an inbound shipment is (SPEC §2.8 Rec). `allowedTransitions` lists the moves.",
    {
        f.InboundStatus.EXPECTED: "Announced (a job shipped, or ops expect it); not seen yet.",
        f.InboundStatus.IN_TRANSIT: "The carrier has it.",
        f.InboundStatus.DELIVERED: "At the center's dock, not yet received.",
        f.InboundStatus.RECEIVED: "Counted in, with its condition; waiting for QC.",
        f.InboundStatus.INSPECTING: "QC in progress.",
        f.InboundStatus.STOCKED: "Every unit passed (or every issue resolved): on the shelf.",
        f.InboundStatus.ISSUE: "Some or all units failed QC or are held; the passed ones are "
        "stocked.",
        f.InboundStatus.CANCELLED: "Its purchase order was cancelled before the goods came.",
    },
)
graphql_enum(
    f.InboundSourceType,
    "What an inbound shipment's goods come from.",
    {
        f.InboundSourceType.MANUFACTURING_JOB: "A manufacturing job that shipped.",
        f.InboundSourceType.PURCHASE_ORDER: "A purchase order to a supplier (received with "
        "receivePurchaseOrder, its lots inspected one by one).",
    },
)
graphql_enum(
    f.PackageCondition,
    "A package's condition on arrival.",
    {
        f.PackageCondition.GOOD: "Good.",
        f.PackageCondition.DAMAGED: "Damaged.",
        f.PackageCondition.TAMPERED: "Tampered with.",
    },
)
graphql_enum(
    f.QcStatus,
    "Where a QC inspection is (SPEC §2.11 Rec).",
    {
        f.QcStatus.PENDING: "Created, not started.",
        f.QcStatus.IN_PROGRESS: "The inspector is at it; photos can be added.",
        f.QcStatus.COMPLETED: "Done, with a result (final).",
    },
)
graphql_enum(
    f.QcResult,
    "A QC inspection's verdict (SPEC §2.11).",
    {
        f.QcResult.PASS: "Everything passed: stocked.",
        f.QcResult.PASS_WITH_NOTES: "Passed with minor, acceptable remarks: stocked.",
        f.QcResult.HOLD: "Held for a manager's review: nothing stocked, an issue raised.",
        f.QcResult.FAIL_REWORK: "Failed units go back to the manufacturer for rework.",
        f.QcResult.FAIL_REJECT: "Failed units are rejected; the manufacturer owes a credit.",
    },
)
graphql_enum(
    f.QcSubjectType,
    "What a QC inspection inspects.",
    {
        f.QcSubjectType.INBOUND_SHIPMENT: "An inbound shipment, line by line.",
        f.QcSubjectType.LOT: "A lot received on a purchase order, item by item (tests).",
    },
)
graphql_enum(
    f.QcPhotoKind,
    "What a QC photo shows.",
    {
        f.QcPhotoKind.OVERVIEW: "The goods as a whole.",
        f.QcPhotoKind.DEFECT: "A defect (failures need at least one).",
        f.QcPhotoKind.COMPARISON: "The goods beside the approved sample.",
    },
)
graphql_enum(
    f.QcBulk,
    "Every line of an inspection at once (BR-21).",
    {
        f.QcBulk.PASS_ALL: "Every received unit passed.",
        f.QcBulk.FAIL_ALL: "Every received unit failed.",
    },
)
graphql_enum(
    f.InboundIssueResolution,
    "What happens to failed goods (BR-21).",
    {
        f.InboundIssueResolution.REWORK: "The manufacturer reworks them.",
        f.InboundIssueResolution.CREDIT: "The manufacturer credits us.",
        f.InboundIssueResolution.REPLACE: "The manufacturer replaces them.",
        f.InboundIssueResolution.PARTIAL_ACCEPT: "We keep the passed part and settle the rest.",
    },
)
