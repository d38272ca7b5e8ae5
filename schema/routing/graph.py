"""What routing adds to the graph (schema/domain.py)."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.owners import MANUFACTURER_RECORD
from resolvers.routing.sources import DECISIONS
from schema.domain import GraphDomain, NodeType
from schema.routing.mutations import RoutingMutation
from schema.routing.queries import RoutingQuery
from schema.routing.reasons import RoutingObstacle
from schema.routing.types import RoutingDecision

ROUTING = GraphDomain(
    name="routing",
    query=RoutingQuery,
    mutation=RoutingMutation,
    nodes=(NodeType(RoutingDecision, DECISIONS, Permission.VIEW_ROUTING),),
    # A routing obstacle's figures are its manufacturer's.
    owned=((RoutingObstacle, MANUFACTURER_RECORD),),
    list_sizes={
        # Candidates of one decision, the jobs and decisions of one order.
        "RoutingDecision.candidates": 10,
        # A reason per distinct line reason (mostly one), the few candidates it passed over.
        "RoutingDecision.reasonDetails": 2,
        "ManufacturingJob.routingReasonDetails": 2,
        "RoutingReasonDetail.passedOver": 5,
        "RouteOrderPayload.jobs": 10,
        "RouteOrderPayload.decisions": 20,
    },
    # Why one candidate could not take the work: mostly one or two of Unavailable's codes.
    item_type_sizes={"RoutingObstacle": 3},
)
