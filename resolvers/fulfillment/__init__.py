"""The 3PL domain: fulfillment centers, the inventory ledger (`ledger.record`, the one way a
level changes), adjustments, outbound shipments and consolidation (BR-22)."""
