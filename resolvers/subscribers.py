"""Every module that reacts to another domain's events (resolvers.events), imported once at
start-up so its handlers are registered before anything is published. A domain that
subscribes adds its module here; the publishing domains never import these.
"""

from __future__ import annotations

# Imported for their handlers, which register as the modules load.
import resolvers.jobs
import resolvers.orders
import resolvers.routing  # noqa: F401
from resolvers.events.bus import EVENTS

EVENTS.mark_collected()
