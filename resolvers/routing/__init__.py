"""The routing domain: rules (auto-routing, assignment), sources (decision lists)."""
