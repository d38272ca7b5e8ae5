"""The orders domain: rules (mutations), workflow (state machine), sources (lists), timeline
and costs."""
