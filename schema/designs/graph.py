"""What designs add to the graph: a customer owns its designs."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.designs import sources
from resolvers.owners import CUSTOMER_RECORD
from schema.designs.mutations import DesignMutation
from schema.designs.queries import DesignQuery
from schema.designs.types import Design
from schema.domain import GraphDomain, NodeType

DESIGNS = GraphDomain(
    name="designs",
    query=DesignQuery,
    mutation=DesignMutation,
    nodes=(NodeType(Design, sources.DESIGNS, Permission.VIEW_DESIGNS, CUSTOMER_RECORD),),
)
