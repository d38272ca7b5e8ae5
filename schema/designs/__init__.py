"""Designs in the graph (issue 29)."""
