"""Procurement in the graph: suppliers, price lists, purchase orders and payments."""
