"""Every module that reacts to another domain's events (resolvers.events), imported once at
start-up so its handlers are registered before anything is published. A domain that
subscribes adds its module here; the publishing domains never import these.
"""

from __future__ import annotations

# Imported for their handlers, which register as the modules load.
import resolvers.jobs.rules
import resolvers.orders.rules
import resolvers.routing.rules  # noqa: F401
from resolvers.domain_events import EVENTS

EVENTS.mark_collected()
