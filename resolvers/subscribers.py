"""Every domain that reacts to another domain's events (resolvers.events): its `handlers`
module, imported once at start-up so its handlers are registered before anything is
published. A domain that subscribes adds its line here; the publishing domains never import
these.
"""

from __future__ import annotations

import resolvers.catalog.handlers

# Imported for their handlers, which register as the modules load.
import resolvers.checkout.handlers
import resolvers.finance.handlers
import resolvers.fulfillment.handlers
import resolvers.jobs.handlers
import resolvers.orders.handlers
import resolvers.procurement.handlers
import resolvers.routing.handlers  # noqa: F401
from resolvers.domain_events import EVENTS

EVENTS.mark_collected()
