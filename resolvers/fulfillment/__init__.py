"""The 3PL domain: fulfillment centers, the inventory ledger (`ledger.record`, the one way a
level changes), adjustments, inbound shipments and their QC inspections, outbound shipments
and consolidation (BR-22)."""
