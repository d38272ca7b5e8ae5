"""Realtime: what every domain's subscriptions share (API.md "Realtime"): the change events
they stream, how each event is shared between viewers, the `after` cursor."""
