"""Dashboard rows of the permission matrix (SPEC §4).

The dashboard reads jobs: "View all jobs = A O F · ◐ S", "View own mfr jobs = A O M",
readonly = all reads. A manufacturer's dashboard covers its own jobs only (tests/
test_dashboard.py checks the scoping); customers and partners have none.
"""

from __future__ import annotations

from tests.support.permission_matrix import Case

CASES: list[Case] = [
    Case(
        "Query.dashboard",
        "{ dashboard { today stats { activeJobs jobsByStatus { status count } }"
        " urgentJobs { id } activity { summary job { id } order { id } } } }",
        "UAOSFMR",
    ),
    # Payment due (BR-10) is what we owe: invoice readers (a manufacturer: its own).
    Case("Dashboard.paymentDue", "{ dashboard { paymentDue { total { amount } } } }", "UAFMR"),
]
