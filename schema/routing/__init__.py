"""Routing in the graph: decisions, their history, assignment and reassignment."""
