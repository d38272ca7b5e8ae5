"""Every module that reacts to another domain's events (resolvers.events), imported once at
start-up so its handlers are registered before anything is published. A domain that
subscribes adds its module here; the publishing domains never import these.
"""

from __future__ import annotations

import resolvers.jobs
import resolvers.orders
import resolvers.routing
from resolvers.events.bus import EVENTS

SUBSCRIBERS = (resolvers.jobs, resolvers.orders, resolvers.routing)

EVENTS.mark_collected()
