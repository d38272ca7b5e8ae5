"""Designs (issue 29)."""
