"""Realtime: the Subscription root and the change events it streams (API.md "Realtime")."""

from schema.realtime.subscriptions import RealtimeSubscription

__all__ = ["RealtimeSubscription"]
