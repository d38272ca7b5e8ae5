"""Procurement: suppliers, price lists, purchase orders and their payments (issue 27)."""
