"""The 3PL in the graph: fulfillment centers, inventory, adjustments, outbound shipments."""
