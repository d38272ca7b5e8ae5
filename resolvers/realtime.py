"""Subscription streams: a channel's changes from a cursor, replayed then live, exactly once.

`changes(...)` starts after the cursor given, or after the last committed change (not the
last the hub has delivered, which lags), joins the hub's live stream, and only then reads the
change log up to what the hub has delivered, so nothing committed in between is missed;
anything seen twice (in the replay and live) is dropped by cursor. Who may follow what is
decided by the schema's subscription fields (schema/realtime/), per event, with the query
rules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import GraphQLError

from db.change_log import CommittedChange, changes_since, cursor_state
from observability.metrics import EVENTS_DELIVERED, SUBSCRIBERS_TOO_SLOW
from resolvers.context import RequestContext
from resolvers.opaque import InvalidToken, from_token, to_token
from subscriptions.fanout import SubscriberTooSlow, Turns

_PREFIX = "change:"
REPLAY_BATCH = 200


def encode_cursor(cursor: int) -> str:
    return to_token(f"{_PREFIX}{cursor}")


def decode_cursor(value: str) -> int:
    try:
        raw = from_token(value)
        if raw.startswith(_PREFIX) and raw[len(_PREFIX) :].isdigit():
            return int(raw[len(_PREFIX) :])
    except InvalidToken:
        pass
    raise GraphQLError(
        f"{value!r} is not a change cursor: pass an event's `cursor` as `after`",
        extensions={"code": "BAD_USER_INPUT"},
    )


def cursor_expired(after: int, pruned_through: int, retention_days: int) -> GraphQLError:
    return GraphQLError(
        f"The cursor is older than the change log keeps ({retention_days} days): events after "
        "it can no longer be replayed. Reload the data and subscribe without `after`.",
        extensions={"code": "CURSOR_EXPIRED", "oldestCursor": encode_cursor(pruned_through)},
    )


def too_slow(last_delivered: int, max_queue: int) -> GraphQLError:
    return GraphQLError(
        f"This subscription fell more than {max_queue} events behind and was closed. "
        "Subscribe again with `after` set to the last cursor you received.",
        extensions={"code": "SUBSCRIBER_TOO_SLOW", "cursor": encode_cursor(last_delivered)},
    )


async def changes(
    ctx: RequestContext, channel: str, after: int | None, turns: Turns | None = None
) -> AsyncIterator[CommittedChange]:
    """Every change of `channel` after the cursor `after` (or from now), in commit order,
    each once, until the subscriber leaves; live ones taking `turns` (subscriptions/fanout.py)
    with the subscribers that share the work of each change."""
    hub = ctx.hub
    if hub is None:
        raise GraphQLError(
            "Subscriptions are not available on this server", extensions={"code": "UNAVAILABLE"}
        )
    # The checks on subscribe read through the request's connection: give it back before
    # taking another here and waiting for changes. Held, a burst of subscriptions each
    # held one while asking for a second until the pool ran dry, and every idle
    # subscription kept one.
    await ctx.release()
    async with ctx.db.read_connection() as conn:
        committed, pruned_through = await cursor_state(conn)
    if after is None:
        # "Now" is what the database has committed, not what this hub has delivered yet: the
        # hub lags by a pub/sub round trip (or by a poll, for a commit another process never
        # published), and a change committed before the subscription is not part of it.
        after = committed
    elif after < pruned_through:
        raise cursor_expired(after, pruned_through, ctx.settings.realtime.retention_days)
    async with hub.subscribe(channel, turns) as live:
        delivered, through = after, hub.last_cursor
        while delivered < through:
            # Read a batch, release the connection, then hand the batch out: a slow
            # client must not hold a database connection.
            async with ctx.db.read_connection() as conn:
                batch = await changes_since(
                    conn, delivered, channel=channel, through=through, limit=REPLAY_BATCH
                )
            for record in batch:
                delivered = record.cursor
                EVENTS_DELIVERED.inc()
                yield record
            if len(batch) < REPLAY_BATCH:
                break
        try:
            async for record in live:
                if record.cursor > delivered:
                    delivered = record.cursor
                    EVENTS_DELIVERED.inc()
                    yield record
                elif turns is not None:
                    turns.pass_on()  # the others may still need it worked out
        except SubscriberTooSlow:
            SUBSCRIBERS_TOO_SLOW.inc()
            raise too_slow(delivered, ctx.settings.realtime.max_queue) from None
