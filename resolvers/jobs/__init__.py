"""The manufacturing jobs domain: rules (mutations), workflow (state machine), sources (lists)."""
