"""Procurement's vocabularies in the graph, every value documented (SPEC §2.4, §2.5)."""

from __future__ import annotations

from domain.procurement import (
    BlockKind,
    CryptoNetwork,
    CryptoRateSource,
    LotStatus,
    PaymentStatus,
    PoPaymentMethod,
    PoPaymentStatus,
    PurchaseOrderStatus,
    SupplierHold,
    SupplierStatus,
)
from schema.enums import graphql_enum

graphql_enum(
    SupplierStatus,
    "Where a supplier stands (SPEC §2.4); every change needs a reason and cascades.",
    {
        SupplierStatus.ACTIVE: "Takes purchase orders and deliveries.",
        SupplierStatus.INACTIVE: "Takes no new orders; delivers on existing ones. Its drafts "
        "were cancelled, its open orders flagged, its price lists deactivated.",
        SupplierStatus.SUSPENDED: "Neither orders nor deliveries; its drafts were cancelled, "
        "its open orders blocked and flagged, its price lists flagged.",
        SupplierStatus.BLOCKED: "Terminal. Every open order was cancelled (flagged past "
        "confirmed), its price lists deactivated.",
    },
)

graphql_enum(
    BlockKind,
    "Why a supplier was blocked.",
    {
        BlockKind.QUALITY: "A quality problem: its lots are quarantined.",
        BlockKind.BUSINESS: "A business reason: its lots stay as they are.",
    },
)

graphql_enum(
    SupplierHold,
    "The mark a supplier's status change left on its orders and price lists.",
    {
        SupplierHold.FLAGGED: "Flagged for review; nothing else changed.",
        SupplierHold.BLOCKED: "Blocked: the order does not move forward while the supplier "
        "is suspended.",
    },
)

graphql_enum(
    PurchaseOrderStatus,
    "Where a purchase order is (SPEC §2.5); the partially_* steps are optional.",
    {
        PurchaseOrderStatus.DRAFT: "Being prepared; lines, shipping and tax may change.",
        PurchaseOrderStatus.SUBMITTED: "Sent to the supplier with its PO number; on order.",
        PurchaseOrderStatus.CONFIRMED: "The supplier confirmed it.",
        PurchaseOrderStatus.PARTIALLY_SHIPPED: "The supplier shipped part of it.",
        PurchaseOrderStatus.SHIPPED: "The supplier shipped all of it.",
        PurchaseOrderStatus.PARTIALLY_RECEIVED: "Part of it is received.",
        PurchaseOrderStatus.RECEIVED: "All of it is received (or the rest given up).",
        PurchaseOrderStatus.CLOSED: "Received and paid; terminal.",
        PurchaseOrderStatus.CANCELLED: "Cancelled with a reason; terminal.",
    },
)

graphql_enum(
    PaymentStatus,
    "How much of a purchase order its confirmed payments cover (SPEC §2.5).",
    {
        PaymentStatus.UNPAID: "No confirmed payment.",
        PaymentStatus.PARTIALLY_PAID: "Confirmed payments cover part of the total.",
        PaymentStatus.PAID: "Confirmed payments cover the total.",
    },
    name="PurchaseOrderPaymentStatus",  # finance's and checkout's payments have their own
)

graphql_enum(
    PoPaymentMethod,
    "How a supplier was paid.",
    {
        PoPaymentMethod.CRYPTO: "Cryptocurrency (with its crypto details).",
        PoPaymentMethod.WIRE: "Bank wire.",
        PoPaymentMethod.ACH: "ACH transfer.",
        PoPaymentMethod.CHECK: "Check.",
        PoPaymentMethod.CREDIT_CARD: "Credit card.",
        PoPaymentMethod.OTHER: "Anything else.",
    },
)

graphql_enum(
    PoPaymentStatus,
    "Where a payment to a supplier is.",
    {
        PoPaymentStatus.PENDING: "Recorded; not yet counted.",
        PoPaymentStatus.CONFIRMED: "Arrived; counts towards the PO's payment status.",
        PoPaymentStatus.FAILED: "Failed, with a reason; never counted.",
    },
)

graphql_enum(
    CryptoRateSource,
    "Where a crypto exchange rate was read.",
    {
        CryptoRateSource.COINBASE: "Coinbase.",
        CryptoRateSource.KRAKEN: "Kraken.",
        CryptoRateSource.COINGECKO: "CoinGecko.",
        CryptoRateSource.BTCPAY: "BTCPay Server.",
    },
)

graphql_enum(
    CryptoNetwork,
    "The network a crypto payment was sent on.",
    {
        CryptoNetwork.BITCOIN: "Bitcoin.",
        CryptoNetwork.ETHEREUM: "Ethereum.",
        CryptoNetwork.LIGHTNING: "Lightning.",
        CryptoNetwork.SOLANA: "Solana.",
        CryptoNetwork.TRON: "Tron.",
    },
)

graphql_enum(
    LotStatus,
    "Where a lot is (SPEC §2.6); only ACTIVE counts as available.",
    {
        LotStatus.PENDING: "Received; waiting for QC.",
        LotStatus.QUARANTINED: "QC started (or held); not available.",
        LotStatus.ACTIVE: "Passed QC; available.",
        LotStatus.REJECTED: "Failed QC; terminal.",
        LotStatus.EXPIRED: "Past its expiry; terminal.",
        LotStatus.RECALLED: "Recalled; terminal.",
    },
)
