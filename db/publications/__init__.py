"""Which tables are published to subscriptions, and the channels each change belongs to:
one module per domain (SPEC BR-49). Channels name what a subscriber follows; importing this
package declares every published table (db.change_log.publish)."""

from db.publications import (
    coas,
    finance,
    fulfillment,
    jobs,
    notifications,
    orders,
    procurement,
)

__all__ = ["coas", "finance", "fulfillment", "jobs", "notifications", "orders", "procurement"]
