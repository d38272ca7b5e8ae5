"""Orders in the graph: orders, line items, customers and the fulfillment timeline (SPEC §1.3,
§2.2)."""
