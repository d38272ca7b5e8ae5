"""The demo data of SPEC §8: families, manufacturers, categories, products and variants, and
demo orders whose jobs sit at every stage of the workflow."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from domain import jobs as job_enums
from domain.enums import ManufacturerPaymentMethod, OnboardingStatus, PaymentTerms
from domain.orders import OrderPriority, OrderStatus, Technique

D = Decimal


@dataclass(frozen=True)
class DemoBank:
    """Made-up bank details (the account numbers are the IBAN standard's examples)."""

    bank_name: str
    bank_account: str
    bank_routing: str
    tax_id: str
    preferred_payment_method: ManufacturerPaymentMethod


@dataclass(frozen=True)
class DemoManufacturer:
    name: str
    country: str
    region: str
    city: str
    email: str
    capabilities: tuple[str, ...]
    certifications: tuple[str, ...] = ()
    payment_terms: PaymentTerms = PaymentTerms.NET30
    avg_lead_time_days: int = 21
    max_concurrent_jobs: int = 10
    bank: DemoBank | None = None


@dataclass(frozen=True)
class DemoProduct:
    name: str
    code: str
    category: str
    cost: Decimal
    price: Decimal
    colours: tuple[str, ...] = ("Black", "Navy")
    sizes: tuple[str, ...] = ("S", "M", "L", "XL")
    # Illustrates the product level of the BR-1 cascade.
    manufacturer_override: str | None = None


@dataclass(frozen=True)
class DemoFamily:
    code: str
    name: str
    cost_min: Decimal
    cost_max: Decimal
    lead_time_days: int
    region: str
    # Manufacturer names by priority; the first is the default, the second the backup.
    manufacturers: tuple[str, ...]
    categories: tuple[str, ...]
    products: tuple[DemoProduct, ...] = field(default=())


MANUFACTURERS = (
    DemoManufacturer(
        "Hawk Manufacturing",
        "PK",
        "Punjab",
        "Sialkot",
        "orders@hawk-mfg.example",
        ("sublimation", "cut_sew", "embroidery", "screen_print"),
        ("WRAP",),
        bank=DemoBank(
            "Demo Bank Pakistan",
            "PK36SCBL0000001123456702",
            "DEMOPKKA",
            "1234567-8",
            ManufacturerPaymentMethod.WIRE,
        ),
    ),
    DemoManufacturer(
        "Riddle Apparel",
        "PK",
        "Punjab",
        "Faisalabad",
        "jobs@riddle-apparel.example",
        ("screen_print", "dtg", "embroidery", "cut_sew"),
        ("BSCI",),
    ),
    DemoManufacturer(
        "ZAB",
        "PK",
        "Punjab",
        "Sialkot",
        "production@zab.example",
        ("sublimation", "cut_sew", "embroidery", "heat_transfer", "screen_print"),
        avg_lead_time_days=28,
    ),
    DemoManufacturer(
        "Last Textile",
        "TR",
        "Istanbul",
        "Istanbul",
        "info@lasttextile.example",
        ("cut_sew", "embroidery", "screen_print", "woven_labels"),
        ("OEKO_TEX", "BSCI"),
    ),
    DemoManufacturer(
        "China Basics",
        "CN",
        "Guangdong",
        "Guangzhou",
        "sales@chinabasics.example",
        ("screen_print", "dtg", "cut_sew", "heat_transfer"),
        ("ISO_9001",),
        payment_terms=PaymentTerms.NET60,
        max_concurrent_jobs=20,
    ),
    DemoManufacturer(
        "Turkey Premium",
        "TR",
        "Izmir",
        "Izmir",
        "hello@turkeypremium.example",
        ("cut_sew", "embroidery", "woven_labels", "custom_packaging"),
        ("GOTS", "OEKO_TEX"),
        payment_terms=PaymentTerms.NET60,
        avg_lead_time_days=28,
        bank=DemoBank(
            "Demo Bank Turkey",
            "TR330006100519786457841326",
            "DEMOTRIS",
            "1234567890",
            ManufacturerPaymentMethod.WIRE,
        ),
    ),
)

ONBOARDING_STATUS = OnboardingStatus.ACTIVE

FAMILIES = (
    DemoFamily(
        "WRESTLING",
        "Wrestling & Combat Gear",
        D("12.00"),
        D("20.00"),
        21,
        "Pakistan (Hawk)",
        ("Hawk Manufacturing", "ZAB"),
        ("Competition Wear", "Training Gear", "Accessories"),
        (
            DemoProduct("Singlet", "SINGLET", "Competition Wear", D("17.00"), D("50.00")),
            DemoProduct("Rash Guard", "RASHG", "Training Gear", D("12.00"), D("25.00")),
            DemoProduct("Fight Shorts", "FSHORT", "Training Gear", D("12.00"), D("25.00")),
        ),
    ),
    DemoFamily(
        "BASICS_TOPS",
        "Standard Basics - Tops",
        D("5.00"),
        D("16.00"),
        21,
        "Pakistan",
        ("Riddle Apparel", "Hawk Manufacturing", "China Basics"),
        ("Short Sleeve", "Long Sleeve", "Outerwear"),
        (
            DemoProduct(
                "Shirt", "TEE", "Short Sleeve", D("6.00"), D("12.50"), colours=("Black", "White")
            ),
            DemoProduct("Long Sleeve", "LSTEE", "Long Sleeve", D("8.00"), D("15.00")),
            DemoProduct(
                "Hoodie",
                "HOODIE",
                "Outerwear",
                D("16.00"),
                D("30.00"),
                manufacturer_override="Hawk Manufacturing",
            ),
            DemoProduct("Crewneck", "CREW", "Outerwear", D("16.00"), D("30.00")),
        ),
    ),
    DemoFamily(
        "BASICS_BOTTOMS",
        "Standard Basics - Bottoms",
        D("8.00"),
        D("14.00"),
        21,
        "China",
        ("China Basics", "Riddle Apparel"),
        ("Shorts", "Sweatpants"),
        (
            DemoProduct("Gym Shorts", "GSHORT", "Shorts", D("12.00"), D("25.00")),
            DemoProduct("Sweats", "SWEATS", "Sweatpants", D("14.00"), D("25.00")),
        ),
    ),
    DemoFamily(
        "WOMENS_LOUNGE",
        "Women's Loungewear",
        D("10.00"),
        D("18.00"),
        28,
        "Specialized",
        ("Turkey Premium", "China Basics"),
        ("Sets", "Tops", "Hoodies"),
        (
            DemoProduct(
                "Sweat Set", "SWSET", "Sets", D("18.00"), D("38.00"), colours=("Oat", "Sage")
            ),
            DemoProduct(
                "Crop Top", "CROP", "Tops", D("10.00"), D("22.00"), colours=("Oat", "Sage")
            ),
        ),
    ),
    DemoFamily(
        "SPORTS_JERSEYS",
        "American Sports Jerseys",
        D("15.00"),
        D("25.00"),
        28,
        "Sialkot, Pakistan",
        ("ZAB", "Hawk Manufacturing"),
        ("Football", "Baseball", "Basketball", "Volleyball", "Soccer"),
        (
            DemoProduct(
                "Football Jersey",
                "FBJSY",
                "Football",
                D("18.00"),
                D("40.00"),
                colours=("Red", "Royal"),
            ),
            DemoProduct(
                "Basketball Jersey",
                "BBJSY",
                "Basketball",
                D("15.00"),
                D("35.00"),
                colours=("Red", "Royal"),
            ),
        ),
    ),
    DemoFamily(
        "ELEVATED",
        "Elevated Essentials",
        D("14.00"),
        D("25.00"),
        21,
        "Turkey/Mexico",
        ("Last Textile", "Turkey Premium"),
        ("Layers", "Polos", "Outerwear"),
        (
            DemoProduct("Quarter-Zip", "QZIP", "Layers", D("14.00"), D("25.00")),
            DemoProduct("Polo", "POLO", "Polos", D("14.00"), D("28.00")),
        ),
    ),
)


# -- orders and jobs ---------------------------------------------------------------------------
# Demo orders are made the way users make them: created as drafts, submitted and approved by
# ops (approval routes them into jobs), then their jobs are walked through the job workflow by
# their manufacturers. Nothing here writes a status; demo.seed replays these stories through
# the domain functions. References follow from the sequences: the first order is
# ORD-{year}-001, its jobs MFG-{year}-001A/B/C (SPEC §8 fixtures).


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    email: str
    company: str


@dataclass(frozen=True)
class DemoLine:
    # A variant SKU of the catalog above: {product code}-{colour[:3]}-{size}.
    sku: str
    quantity: int
    technique: Technique = Technique.DTG


@dataclass(frozen=True)
class DemoIssue:
    type: job_enums.IssueType
    severity: job_enums.IssueSeverity
    impact: job_enums.IssueImpact
    description: str
    hold_job: bool = False


@dataclass(frozen=True)
class DemoJob:
    """What happens to the job routing makes for one family of an order."""

    family: str
    # The statuses the job is moved to, in order (each one move of the job workflow).
    walk: tuple[job_enums.JobStatus, ...] = ()
    # Days from today to the due date, as if the order had been placed a while ago (the
    # routing sets due dates from lead times, weeks away); None keeps the routed date.
    due_in_days: int | None = None
    progress_percent: int | None = None
    notes: tuple[tuple[str, str], ...] = ()  # (who: "manufacturer" or "ops", text)
    photos: tuple[tuple[job_enums.PhotoStage, str], ...] = ()  # extra photos (QC ones come with QC)
    issue: DemoIssue | None = None
    decline_reason: job_enums.DeclineReason | None = None
    decline_notes: str | None = None
    # After a decline, what happens to the job routing made for the backup (BR-8).
    backup_walk: tuple[job_enums.JobStatus, ...] = ()
    backup_due_in_days: int | None = None


@dataclass(frozen=True)
class DemoOrder:
    key: str  # stored in the order's metadata ("demo"): how a second seed recognises it
    customer: str
    lines: tuple[DemoLine, ...]
    # Where the order ends up: approved orders are routed into jobs, in_production follows
    # from the first job starting, fulfilled is marked once every job has shipped.
    status: OrderStatus
    priority: OrderPriority = OrderPriority.STANDARD
    notes: str | None = None
    jobs: tuple[DemoJob, ...] = ()
    cancel_reason: str | None = None


CUSTOMERS = (
    DemoCustomer("Riverside Wrestling Club", "coach@riverside-wrestling.example", "Riverside WC"),
    DemoCustomer("Northside Athletics", "orders@northside-athletics.example", "Northside"),
    DemoCustomer("Harbor Coffee Co.", "merch@harborcoffee.example", "Harbor Coffee"),
)

_IN_PRODUCTION = (job_enums.JobStatus.ACCEPTED, job_enums.JobStatus.IN_PRODUCTION)
_TO_QC = (*_IN_PRODUCTION, job_enums.JobStatus.QC)
_TO_READY = (*_TO_QC, job_enums.JobStatus.READY_TO_SHIP)
_TO_SHIPPED = (*_TO_READY, job_enums.JobStatus.SHIPPED)

ORDERS = (
    # ORD-001: one order split across three families (BR-5), jobs MFG-001A/B/C in production,
    # QC and ready to ship; the first is overdue, the second due tomorrow.
    DemoOrder(
        "season-kit",
        "Riverside Wrestling Club",
        (
            DemoLine("SINGLET-BLA-M", 40, Technique.SUBLIMATION),
            DemoLine("SINGLET-BLA-L", 30, Technique.SUBLIMATION),
            DemoLine("TEE-BLA-L", 120, Technique.SCREEN),
            DemoLine("FBJSY-RED-L", 25, Technique.SUBLIMATION),
        ),
        OrderStatus.IN_PRODUCTION,
        priority=OrderPriority.RUSH,
        notes="Season kit: singlets, warm-up tees and jerseys. Logo files attached by email.",
        jobs=(
            DemoJob(
                "WRESTLING",
                _IN_PRODUCTION,
                due_in_days=-2,
                progress_percent=65,
                notes=(
                    ("manufacturer", "Sublimation paper delayed two days; cutting has started."),
                    ("ops", "Customer confirmed the navy trim. Please prioritise size M."),
                ),
                photos=((job_enums.PhotoStage.CUTTING, "Panels cut for the first 40 singlets"),),
                issue=DemoIssue(
                    job_enums.IssueType.MATERIALS_DEFECT,
                    job_enums.IssueSeverity.MEDIUM,
                    job_enums.IssueImpact.MINOR_DELAY,
                    "Two rolls of sublimation paper arrived creased; replacements ordered.",
                ),
            ),
            DemoJob(
                "BASICS_TOPS",
                _TO_QC,
                due_in_days=1,
                photos=((job_enums.PhotoStage.PRINTING, "Screen print, first pull"),),
            ),
            DemoJob("SPORTS_JERSEYS", _TO_READY, due_in_days=4),
        ),
    ),
    # ORD-002: fulfilled: its one job shipped with carrier and tracking.
    DemoOrder(
        "staff-polos",
        "Harbor Coffee Co.",
        (DemoLine("POLO-NAV-M", 30, Technique.EMBROIDERY),),
        OrderStatus.FULFILLED,
        notes="Staff polos with the embroidered cup logo.",
        jobs=(
            DemoJob(
                "ELEVATED",
                _TO_SHIPPED,
                notes=(("manufacturer", "Shipped in two cartons."),),
            ),
        ),
    ),
    # ORD-003: approved: one job still NEW and due in two days (urgent), one accepted.
    DemoOrder(
        "gym-shorts",
        "Northside Athletics",
        (
            DemoLine("GSHORT-BLA-M", 60, Technique.DTG),
            DemoLine("QZIP-NAV-L", 20, Technique.EMBROIDERY),
        ),
        OrderStatus.APPROVED,
        jobs=(
            DemoJob("BASICS_BOTTOMS", due_in_days=2),
            DemoJob("ELEVATED", (job_enums.JobStatus.ACCEPTED,), due_in_days=12),
        ),
    ),
    # ORD-004: approved: the primary declined (capacity); the backup got a new job (BR-8).
    DemoOrder(
        "fundraiser-tees",
        "Northside Athletics",
        (DemoLine("TEE-WHI-M", 150, Technique.SCREEN),),
        OrderStatus.APPROVED,
        notes="Fundraiser run: white tees, one-colour front print.",
        jobs=(
            DemoJob(
                "BASICS_TOPS",
                (job_enums.JobStatus.DECLINED,),
                decline_reason=job_enums.DeclineReason.CAPACITY,
                decline_notes="Fully booked until next month.",
                backup_due_in_days=9,
            ),
        ),
    ),
    # ORD-005: approved, but nobody in the family can sublimate: PENDING_ASSIGNMENT.
    DemoOrder(
        "lounge-sets",
        "Harbor Coffee Co.",
        (DemoLine("SWSET-OAT-S", 12, Technique.SUBLIMATION),),
        OrderStatus.APPROVED,
        jobs=(DemoJob("WOMENS_LOUNGE", due_in_days=3),),
    ),
    # ORD-006: submitted, waiting for approval.
    DemoOrder(
        "hoodies",
        "Riverside Wrestling Club",
        (DemoLine("HOODIE-BLA-L", 45, Technique.EMBROIDERY),),
        OrderStatus.SUBMITTED,
    ),
    # ORD-007: a draft still under spec review.
    DemoOrder(
        "crewnecks",
        "Harbor Coffee Co.",
        (DemoLine("CREW-NAV-M", 24, Technique.SCREEN),),
        OrderStatus.DRAFT,
        notes="Waiting for the final artwork.",
    ),
    # ORD-008: canceled before approval.
    DemoOrder(
        "rash-guards",
        "Riverside Wrestling Club",
        (DemoLine("RASHG-BLA-M", 20, Technique.SUBLIMATION),),
        OrderStatus.CANCELED,
        cancel_reason="Club switched to next season's design",
    ),
)


# -- finance (SPEC §8 fixtures) ----------------------------------------------------------------

# What we owe by aging bucket (Current, 1-30, 31-60, 61-90, 90+), one invoice per amount; the
# totals are 45,230 / 12,400 / 8,650 / 2,100 / 950 = 69,330.
AGING_FIXTURE: dict[str, tuple[int, int, int, int, int]] = {
    "Hawk Manufacturing": (32_100, 8_200, 5_400, 1_200, 0),
    "China Basics": (8_450, 3_100, 2_000, 0, 0),
    "Turkey Premium": (4_680, 1_100, 1_250, 900, 950),
}
# Days from today to each bucket's invoice's due date (Current is due in 10 days).
AGING_DUE_IN_DAYS = (10, -15, -45, -75, -120)
# Hawk's 1-30 amount is what is left of a larger invoice after a partial payment.
AGING_PARTIAL_PAYMENT = 1_800
