"""Rows of the permission matrix, one module per domain."""
