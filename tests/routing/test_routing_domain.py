"""SPEC §6 "Catalog unit": availability, capacity, credit, fallback order and the split into
jobs, as pure functions (domain.routing) without a database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from domain.enums import OnboardingStatus, PaymentStanding
from domain.jobs import RoutedBy
from domain.orders import Technique
from domain.routing import (
    CandidateSource,
    Family,
    FamilyTerms,
    Line,
    ManufacturerSource,
    ManufacturerState,
    Unavailable,
    availability,
    check_credit,
    choose,
    choose_replacement,
    job_number,
    lead_time_days,
    remaining_capacity,
    route_lines,
)

ALL = frozenset(Technique)


def mfr(name: str, **values: object) -> ManufacturerState:
    base = ManufacturerState(
        id=uuid.uuid4(),
        name=name,
        onboarding_status=OnboardingStatus.ACTIVE,
        accepting_orders=True,
        max_concurrent_jobs=None,
        active_jobs=0,
        capabilities=frozenset({"dtg", "screen_print", "embroidery"}),
        payment_standing=PaymentStanding.GOOD,
        credit_limit=Decimal("10000.00"),
        current_balance=Decimal("0.00"),
        credit_hold_enabled=False,
    )
    return replace(base, **values)  # type: ignore[arg-type]


def terms(m: ManufacturerState, priority: int = 1, **values: object) -> FamilyTerms:
    base = FamilyTerms(m.id, priority, True, ALL)
    return replace(base, **values)  # type: ignore[arg-type]


def fam(default=None, backup=None, assignments=(), lead=21) -> Family:
    return Family(
        uuid.uuid4(),
        "WRESTLING",
        default.id if default else None,
        backup.id if backup else None,
        lead,
        tuple(assignments),
    )


def line(family: Family | None, technique=Technique.DTG, quantity=10, **values) -> Line:
    return Line(uuid.uuid4(), technique, quantity, family, **values)


def index(*ms: ManufacturerState) -> dict[uuid.UUID, ManufacturerState]:
    return {m.id: m for m in ms}


# -- availability (BR-2) -------------------------------------------------------------------------


def test_an_active_accepting_capable_manufacturer_is_available():
    hawk = mfr("Hawk")
    found = availability(hawk, hawk.id, techniques=[Technique.DTG], terms=None)
    assert found.available and found.reasons == () and found.warnings == ()


def test_every_reason_is_reported_not_only_the_first():
    hawk = mfr(
        "Hawk",
        onboarding_status=OnboardingStatus.SUSPENDED,
        accepting_orders=False,
        max_concurrent_jobs=3,
        active_jobs=3,
        capabilities=frozenset(),
        payment_standing=PaymentStanding.DELINQUENT,
        deleted=True,
    )
    found = availability(hawk, hawk.id, techniques=[Technique.EMBROIDERY], terms=None)
    assert set(found.codes) == {
        Unavailable.DELETED,
        Unavailable.NOT_ACTIVE,
        Unavailable.NOT_ACCEPTING_ORDERS,
        Unavailable.AT_CAPACITY,
        Unavailable.INCAPABLE,
        Unavailable.DELINQUENT,
    }
    assert "at capacity (3/3)" in found.messages


def test_approved_and_active_onboarding_receive_jobs_others_do_not():
    for status in OnboardingStatus:
        m = mfr("M", onboarding_status=status)
        ok = availability(m, m.id, techniques=[Technique.DTG], terms=None).available
        assert ok is (status in (OnboardingStatus.APPROVED, OnboardingStatus.ACTIVE)), status


def test_warning_standing_still_routes_delinquent_does_not():
    warning = mfr("W", payment_standing=PaymentStanding.WARNING)
    delinquent = mfr("D", payment_standing=PaymentStanding.DELINQUENT)
    assert availability(warning, warning.id, techniques=[], terms=None).available
    assert not availability(delinquent, delinquent.id, techniques=[], terms=None).available


def test_capability_comes_from_the_assignment_flags_when_there_is_one():
    m = mfr("M", capabilities=frozenset({"embroidery"}))
    # The assignment says DTG only: its flags win over the profile.
    only_dtg = terms(m, techniques=frozenset({Technique.DTG}))
    assert availability(m, m.id, techniques=[Technique.DTG], terms=only_dtg).available
    assert not availability(m, m.id, techniques=[Technique.EMBROIDERY], terms=only_dtg).available
    # Without an assignment, the profile's capabilities (screen → screen_print).
    assert availability(m, m.id, techniques=[Technique.EMBROIDERY], terms=None).available
    assert not availability(m, m.id, techniques=[Technique.SCREEN], terms=None).available


def test_unknown_manufacturer_is_unavailable():
    pk = uuid.uuid4()
    assert availability(None, pk, techniques=[], terms=None).codes == (Unavailable.MISSING,)


# -- capacity (BR-3) -----------------------------------------------------------------------------


def test_capacity_is_max_minus_active_and_none_is_unlimited():
    assert remaining_capacity(3, 1) == 2
    assert remaining_capacity(3, 3) == 0
    assert remaining_capacity(None, 50) is None
    below = mfr("M", max_concurrent_jobs=3, active_jobs=2)
    full = mfr("M", max_concurrent_jobs=3, active_jobs=3)
    unlimited = mfr("M", max_concurrent_jobs=None, active_jobs=500)
    assert availability(below, below.id, techniques=[], terms=None).available
    assert not availability(full, full.id, techniques=[], terms=None).available
    assert availability(unlimited, unlimited.id, techniques=[], terms=None).available
    # Jobs this routing already handed out count too.
    assert not availability(below, below.id, techniques=[], terms=None, extra_jobs=1).available


# -- credit (BR-24) ------------------------------------------------------------------------------


def test_credit_over_the_limit_blocks_with_a_hold_and_warns_without():
    limit, balance = Decimal("1000.00"), Decimal("900.00")
    held = check_credit(limit, balance, Decimal("200.00"), hold=True)
    assert held.blocked and "exceeds the credit limit" in held.warnings[0]
    warned = check_credit(limit, balance, Decimal("200.00"), hold=False)
    assert not warned.blocked and "exceeds the credit limit" in warned.warnings[0]


def test_credit_warns_from_80_percent_and_exactly_at_the_limit_passes():
    limit = Decimal("1000.00")
    assert check_credit(limit, Decimal("0"), Decimal("799.99"), hold=True).warnings == ()
    near = check_credit(limit, Decimal("0"), Decimal("800.00"), hold=True)
    assert not near.blocked and "80%" in near.warnings[0]
    at_limit = check_credit(limit, Decimal("500"), Decimal("500"), hold=True)
    assert not at_limit.blocked and "100%" in at_limit.warnings[0]


def test_unknown_cost_has_no_credit_effect():
    assert check_credit(Decimal("0"), Decimal("5000"), Decimal("0"), hold=True).blocked is False


def test_credit_hold_makes_a_manufacturer_unavailable():
    m = mfr("M", credit_limit=Decimal("100"), credit_hold_enabled=True)
    found = availability(m, m.id, techniques=[], terms=None, cost=Decimal("150"))
    assert found.codes == (Unavailable.CREDIT_LIMIT_EXCEEDED,)
    soft = replace(m, credit_hold_enabled=False)
    found = availability(soft, soft.id, techniques=[], terms=None, cost=Decimal("150"))
    assert found.available and "exceeds the credit limit" in found.warnings[0]


# -- choosing: cascade, backup, assignments by priority (BR-1, BR-4) -----------------------------


def test_the_cascade_first_candidate_is_an_auto_route():
    hawk, riddle, zab = mfr("Hawk"), mfr("Riddle"), mfr("ZAB")
    family = fam(default=hawk, assignments=[terms(riddle)])
    choice = choose(line(family, variant_default=zab.id), index(hawk, riddle, zab))
    assert choice.manufacturer_id == zab.id
    assert choice.routed_by is RoutedBy.AUTO
    assert choice.source is ManufacturerSource.VARIANT_DEFAULT
    choice = choose(line(family, product_override=riddle.id), index(hawk, riddle, zab))
    assert (choice.manufacturer_id, choice.source) == (
        riddle.id,
        ManufacturerSource.PRODUCT_OVERRIDE,
    )
    choice = choose(line(family), index(hawk, riddle, zab))
    assert (choice.manufacturer_id, choice.source) == (hawk.id, ManufacturerSource.FAMILY_DEFAULT)
    assert choice.reason == "Family default for WRESTLING: Hawk"


def test_unavailable_primary_goes_to_the_backup_first():
    hawk = mfr("Hawk", max_concurrent_jobs=3, active_jobs=3)
    backup, first_assignment = mfr("Backup"), mfr("Assigned")
    family = fam(default=hawk, backup=backup, assignments=[terms(first_assignment, 1)])
    choice = choose(line(family), index(hawk, backup, first_assignment))
    assert choice.manufacturer_id == backup.id
    assert choice.routed_by is RoutedBy.FALLBACK
    assert choice.routed_to_backup
    assert choice.original_manufacturer_id == hawk.id
    assert choice.reason == "Routed to backup Backup: Hawk at capacity (3/3)"
    assert [(c.manufacturer_id, c.source, c.available) for c in choice.considered] == [
        (hawk.id, CandidateSource.FAMILY_DEFAULT, False),
        (backup.id, CandidateSource.FAMILY_BACKUP, True),
    ]


def test_fallback_walks_the_other_assignments_in_priority_order():
    hawk = mfr("Hawk", accepting_orders=False)
    backup = mfr("Backup", onboarding_status=OnboardingStatus.SUSPENDED)
    p3, p2, p1_inactive = mfr("P3"), mfr("P2", max_concurrent_jobs=1, active_jobs=1), mfr("P1")
    family = fam(
        default=hawk,
        backup=backup,
        assignments=[terms(p3, 3), terms(p2, 2), terms(p1_inactive, 1, is_active=False)],
    )
    choice = choose(line(family), index(hawk, backup, p3, p2, p1_inactive))
    assert choice.manufacturer_id == p3.id
    assert choice.routed_by is RoutedBy.FALLBACK and not choice.routed_to_backup
    assert choice.source is ManufacturerSource.FAMILY_ASSIGNMENT
    assert [c.manufacturer_id for c in choice.considered] == [hawk.id, backup.id, p2.id, p3.id]


def test_nobody_available_means_pending_assignment_with_every_reason():
    hawk = mfr("Hawk", accepting_orders=False)
    other = mfr("Other", max_concurrent_jobs=2, active_jobs=2)
    family = fam(default=hawk, assignments=[terms(other, 2)])
    choice = choose(line(family), index(hawk, other))
    assert choice.pending and choice.source is ManufacturerSource.UNASSIGNED
    assert "Hawk not accepting orders" in choice.reason
    assert "Other at capacity (2/2)" in choice.reason


def test_without_a_cascade_candidate_the_first_available_assignment_is_auto():
    busy, free = mfr("Busy", max_concurrent_jobs=1, active_jobs=1), mfr("Free")
    family = fam(assignments=[terms(busy, 1), terms(free, 2)])
    choice = choose(line(family), index(busy, free))
    assert choice.manufacturer_id == free.id
    assert choice.routed_by is RoutedBy.AUTO
    assert choice.source is ManufacturerSource.FAMILY_ASSIGNMENT


def test_nothing_configured_is_pending():
    choice = choose(line(fam()), {})
    assert choice.pending and choice.reason == "No manufacturer configured for WRESTLING"
    assert choice.lead_time_days == 21


def test_a_deleted_cascade_manufacturer_falls_through_to_the_next_level():
    gone, hawk = mfr("Gone", deleted=True), mfr("Hawk")
    family = fam(default=hawk)
    choice = choose(line(family, product_override=gone.id), index(gone, hawk))
    assert choice.manufacturer_id == hawk.id and choice.routed_by is RoutedBy.AUTO
    assert choice.considered[0].reasons == ("deleted",)


def test_incapable_primary_falls_back():
    hawk, backup = mfr("Hawk"), mfr("Backup")
    family = fam(
        default=hawk,
        backup=backup,
        assignments=[terms(hawk, techniques=frozenset({Technique.DTG}))],
    )
    choice = choose(line(family, Technique.EMBROIDERY), index(hawk, backup))
    assert choice.manufacturer_id == backup.id
    assert "cannot do embroidery" in choice.reason


def test_cost_and_lead_time_come_from_the_assignment():
    hawk = mfr("Hawk", avg_lead_time_days=40)
    family = fam(
        default=hawk,
        assignments=[terms(hawk, cost_per_unit=Decimal("12.50"), lead_time_days=14)],
        lead=28,
    )
    choice = choose(line(family, quantity=4), index(hawk))
    assert choice.cost == Decimal("50.00") and choice.lead_time_days == 14
    assert lead_time_days(None, family, hawk) == 28
    assert lead_time_days(None, None, hawk) == 40
    assert lead_time_days(None, None, None) == 21


def test_credit_hold_on_the_primary_routes_elsewhere_without_hold_it_warns():
    held = mfr("Held", credit_limit=Decimal("100"), credit_hold_enabled=True)
    backup = mfr("Backup")
    family = fam(
        default=held, backup=backup, assignments=[terms(held, cost_per_unit=Decimal("20"))]
    )
    choice = choose(line(family, quantity=10), index(held, backup))
    assert choice.manufacturer_id == backup.id
    soft = replace(held, credit_hold_enabled=False)
    choice = choose(line(family, quantity=10), index(soft, backup))
    assert choice.manufacturer_id == soft.id
    assert any("exceeds the credit limit" in w for w in choice.warnings)


# -- split (BR-5) --------------------------------------------------------------------------------


def test_split_groups_lines_per_manufacturer_and_pending_per_family():
    hawk, riddle = mfr("Hawk"), mfr("Riddle")
    wrestling = fam(default=hawk, assignments=[terms(hawk, cost_per_unit=Decimal("10"))])
    basics = fam(default=riddle)
    orphan_a, orphan_b = fam(), fam()
    lines = [
        line(wrestling, quantity=5),
        line(basics, quantity=3),
        line(orphan_a, quantity=2),
        line(wrestling, Technique.SCREEN, quantity=7),
        line(orphan_a, quantity=1),
        line(orphan_b, quantity=4),
    ]
    jobs = route_lines(lines, index(hawk, riddle))
    assert [(j.manufacturer_id, j.quantity) for j in jobs] == [
        (hawk.id, 12),
        (riddle.id, 3),
        (None, 3),
        (None, 4),
    ]
    hawk_job = jobs[0]
    assert hawk_job.decoration_type is None  # dtg and screen
    assert hawk_job.quoted_cost == Decimal("120")
    assert jobs[1].decoration_type is Technique.DTG
    assert jobs[1].quoted_cost is None  # no assignment cost known
    assert jobs[2].family_id == orphan_a.id and jobs[2].pending


def test_a_manufacturer_at_its_last_slot_takes_every_line_into_one_job():
    hawk = mfr("Hawk", max_concurrent_jobs=1, active_jobs=0)
    family = fam(default=hawk)
    jobs = route_lines([line(family), line(family)], index(hawk))
    assert len(jobs) == 1 and jobs[0].manufacturer_id == hawk.id


def test_costs_of_several_lines_add_up_against_the_credit_limit():
    hawk = mfr("Hawk", credit_limit=Decimal("150"), credit_hold_enabled=True)
    backup = mfr("Backup")
    family = fam(
        default=hawk, backup=backup, assignments=[terms(hawk, cost_per_unit=Decimal("10"))]
    )
    jobs = route_lines([line(family, quantity=10), line(family, quantity=10)], index(hawk, backup))
    assert [j.manufacturer_id for j in jobs] == [hawk.id, backup.id]


# -- decline (BR-8) ------------------------------------------------------------------------------


def test_a_declined_job_goes_to_the_backup_never_back_to_the_decliner():
    hawk, backup, other = mfr("Hawk"), mfr("Backup"), mfr("Other")
    family = fam(default=hawk, backup=backup, assignments=[terms(hawk, 1), terms(other, 2)])
    found = choose_replacement(
        family,
        index(hawk, backup, other),
        techniques=[Technique.DTG],
        quantity=5,
        declined_by=hawk.id,
    )
    assert found.manufacturer_id == backup.id
    assert found.reason == "Routed to backup Backup after Hawk declined"
    # The backup itself declined: the next assignment by priority, skipping the decliner.
    found = choose_replacement(
        fam(default=hawk, backup=hawk, assignments=[terms(hawk, 1), terms(other, 2)]),
        index(hawk, other),
        techniques=[Technique.DTG],
        quantity=5,
        declined_by=hawk.id,
    )
    assert found.manufacturer_id == other.id


def test_a_declined_job_with_nobody_else_is_pending():
    hawk = mfr("Hawk")
    found = choose_replacement(
        fam(default=hawk, assignments=[terms(hawk)]),
        index(hawk),
        techniques=[Technique.DTG],
        quantity=5,
        declined_by=hawk.id,
    )
    assert found.manufacturer_id is None
    assert found.reason.startswith("Hawk declined and no other manufacturer is available")


def test_job_numbers_follow_the_order_reference():
    assert job_number("ORD-2026-007", 0) == "MFG-2026-007A"
    assert job_number("ORD-2026-007", 2) == "MFG-2026-007C"
    assert job_number("ORD-2026-007", 26) == "MFG-2026-007AA"
