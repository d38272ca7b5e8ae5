"""The demo data of SPEC §8: families, manufacturers, categories, products and variants."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from domain.enums import ManufacturerPaymentMethod, OnboardingStatus, PaymentTerms

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
