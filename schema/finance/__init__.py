"""Finance in the graph: invoices, payments, allocations, reports."""
