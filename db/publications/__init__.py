"""Which tables are published to subscriptions, and the channels each change belongs to:
one module per domain (SPEC BR-49). Channels name what a subscriber follows; importing this
package declares every published table (db.change_log.publish)."""

from db.publications import finance, jobs, notifications, orders

__all__ = ["finance", "jobs", "notifications", "orders"]
