"""Subscriptions against the served app: the documents they subscribe with, the mutations
that make them fire, an admin client of the same app, tokens, and the channel a node's
changes go out on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from auth.permissions import Role
from resolvers.ids import decode_id
from tests.support import order_factories
from tests.support.graphql import GraphQLClient, bearer
from tests.support.live import TRANSPORT_WS, Server, Subscription, serve, subscribe
from tests.support.routing_world import world

ORDER_CHANGED = """
subscription($id: ID!, $after: String) {
  orderChanged(id: $id, after: $after) {
    cursor eventType table changedFields old commitTimestamp
    order { id reference status version jobs { jobNumber } }
    fulfillmentEvent { status orderStatus message }
  }
}"""
JOB_CHANGED = """
subscription($id: ID, $manufacturerId: ID, $status: [JobStatus!], $after: String) {
  jobChanged(id: $id, manufacturerId: $manufacturerId, status: $status, after: $after) {
    cursor eventType table changedFields old accessEnded
    job { id status manufacturer { name } }
    note { content }
  }
}"""
SUBMIT = order_factories.transition_mutation("submitOrder")
PRIORITY = (
    "mutation($input: SetOrderPriorityInput!) { setOrderPriority(input: $input) {"
    " order { version } errors { code message } } }"
)
ADD_NOTE = (
    "mutation($input: AddJobNoteInput!) { addJobNote(input: $input) {"
    " note { id } errors { code message } } }"
)


@asynccontextmanager
async def live(settings: Any) -> AsyncIterator[tuple[Server, GraphQLClient]]:
    """The served app, and an admin client of that same app (its commits are published by
    the app's own hub, as in production)."""
    async with serve(settings) as server:
        admin = GraphQLClient(
            server.app, bearer(settings, Role.ADMIN), role=Role.ADMIN, owns_app=False
        )
        async with admin:
            yield server, admin


def token(settings: Any, role: Role = Role.ADMIN, **claims: Any) -> str:
    return bearer(settings, role, **claims)["Authorization"]


async def draft_order(admin: GraphQLClient) -> Any:
    w = await world(admin)
    customer = await order_factories.customer(admin)
    return await order_factories.draft(admin, customer["id"], [(w["variant"]["id"], 3)])


def channel_of(node_id: str, kind: str = "order") -> str:
    return f"{kind}:{decode_id(node_id)[1]}"


@asynccontextmanager
async def following_order(
    server: Server, authorization: str, order_id: str, *, protocol: str = TRANSPORT_WS
) -> AsyncIterator[Subscription]:
    """`orderChanged` on one order, once the server's hub follows it: a change made from now
    on reaches it."""
    async with subscribe(
        server.url, authorization, ORDER_CHANGED, {"id": order_id}, protocol=protocol
    ) as stream:
        await server.subscribed(channel_of(order_id))
        yield stream
