"""Subscriptions end to end: the real app under uvicorn, WebSocket clients, the change log.

What a dashboard relies on: an order's stream carries its updates and new fulfillment
events; `after` replays exactly what was missed; nothing is sent for a rolled-back mutation;
viewers see only what they may read, on subscribe and on every event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from auth.permissions import Role
from db.change_log import prune
from db.models import ChangeRecord, ManufacturingJob
from resolvers import audit
from resolvers.ids import decode_id
from tests.support import order_factories
from tests.support.graphql import GraphQLClient
from tests.support.live import LEGACY_WS, TRANSPORT_WS, Server, serve, subscribe
from tests.support.realtime import (
    ADD_NOTE,
    JOB_CHANGED,
    ORDER_CHANGED,
    PRIORITY,
    SUBMIT,
    channel_of,
    draft_order,
    following_order,
    live,
    token,
)
from tests.support.routing_world import approved, jobs_of, reassign_to_zab, world
from tests.support.spies import spy


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_an_orders_stream_carries_its_updates_and_new_fulfillment_events(
    live_settings, protocol
):
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        async with following_order(
            server, token(live_settings), order["id"], protocol=protocol
        ) as stream:
            submitted = await admin.mutate(SUBMIT, {"input": {"id": order["id"]}})
            assert submitted["errors"] == []

            first = (await stream.data())["orderChanged"]
            second = (await stream.data())["orderChanged"]
            by_table = {first["table"]: first, second["table"]: second}
            update = by_table["orders"]
            assert update["eventType"] == "UPDATE"
            assert update["order"]["status"] == "SUBMITTED"
            assert update["old"]["status"] == "DRAFT"
            assert "status" in update["changedFields"]
            assert update["fulfillmentEvent"] is None
            added = by_table["fulfillment_events"]
            assert added["eventType"] == "INSERT"
            assert added["fulfillmentEvent"]["orderStatus"] == "SUBMITTED"
            assert added["order"]["id"] == order["id"]
            # One commit: one cursor each, in order.
            assert first["cursor"] != second["cursor"]

            await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}})
            rush = (await stream.data())["orderChanged"]
            assert rush["changedFields"] == ["priority"] and rush["old"] == {"priority": "STANDARD"}
            await stream.nothing_within(0.3)


async def _cursor_of_a_change(
    server: Server, settings: Any, admin: GraphQLClient, order_id: str
) -> str:
    """Follow an order until a change (its priority set to RUSH) arrives, then leave: the
    cursor a client resumes from."""
    async with following_order(server, token(settings), order_id) as s:
        await admin.mutate(PRIORITY, {"input": {"id": order_id, "priority": "RUSH"}})
        return str((await s.data())["orderChanged"]["cursor"])


async def test_resuming_with_a_cursor_delivers_exactly_what_was_missed(live_settings):
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        variables = {"id": order["id"]}
        last_seen = await _cursor_of_a_change(server, live_settings, admin, order["id"])

        # Disconnected: three changes happen (one commit adds two events).
        await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "STANDARD"}})
        await admin.mutate(SUBMIT, {"input": {"id": order["id"]}})

        async with subscribe(
            server.url, token(live_settings), ORDER_CHANGED, {**variables, "after": last_seen}
        ) as s:
            replayed = [(await s.data())["orderChanged"] for _ in range(3)]
            assert [(e["table"], e["eventType"]) for e in replayed] == [
                ("orders", "UPDATE"),
                ("orders", "UPDATE"),
                ("fulfillment_events", "INSERT"),
            ]
            assert replayed[0]["old"] == {"priority": "RUSH"}
            assert replayed[1]["order"]["status"] == "SUBMITTED"
            # Then live, with nothing replayed twice.
            await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}})
            live_event = (await s.data())["orderChanged"]
            assert live_event["old"] == {"priority": "STANDARD"}
            await s.nothing_within(0.3)


async def test_a_rolled_back_mutation_emits_nothing_and_a_committed_one_always_does(
    live_settings, database, monkeypatch
):
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        async with following_order(server, token(live_settings), order["id"]) as stream:
            before = await _change_count(database)
            real_record = audit.record

            def fail_after_the_write(*args: Any, **kwargs: Any) -> None:
                real_record(*args, **kwargs)
                raise RuntimeError("disk full")

            monkeypatch.setattr(audit, "record", fail_after_the_write)
            failed = await admin.raw(SUBMIT, {"input": {"id": order["id"]}})
            assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
            await stream.nothing_within(0.6)  # three polls: nothing in the log either
            assert await _change_count(database) == before

            monkeypatch.setattr(audit, "record", real_record)
            assert (await admin.mutate(SUBMIT, {"input": {"id": order["id"]}}))["errors"] == []
            assert (await stream.data())["orderChanged"]["order"]["status"] == "SUBMITTED"
            assert await _change_count(database) == before + 2


async def _change_count(database: Any) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(ChangeRecord)) or 0)


async def test_changes_committed_elsewhere_arrive_through_the_change_log(live_settings, client):
    """A commit whose process never published (another process died, or the CLI): the
    hub's poll of the change log delivers it."""
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        async with following_order(server, token(live_settings), order["id"]) as stream:
            # `client` is another app instance on the same database, with no hub running.
            await client.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}})
            event = (await stream.data(wait=3))["orderChanged"]
            assert event["order"]["id"] == order["id"] and event["old"] == {"priority": "STANDARD"}


async def test_a_stream_without_a_cursor_starts_at_what_is_committed_not_at_what_arrived(
    live_settings, client
):
    """A change committed before the subscription started is not part of a stream started
    "from now", even when the hub has not received it yet (it lags by a pub/sub round trip,
    or by a poll for a commit another process never published)."""
    quiet = replace(live_settings, realtime=replace(live_settings.realtime, poll_seconds=60))
    async with live(quiet) as (server, admin):
        order = await draft_order(admin)
        # Committed by an app instance without a hub: the served hub only learns of it when
        # a later change reaches it over pub/sub with a gap before it.
        await client.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}})
        async with following_order(server, token(quiet), order["id"]) as stream:
            await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "HOLD"}})
            event = (await stream.data())["orderChanged"]
            assert event["old"] == {"priority": "RUSH"}, "the earlier change was streamed"
            await stream.nothing_within(0.3)


async def test_an_unknown_or_foreign_order_is_not_found_and_a_bad_cursor_is_bad_input(
    live_settings,
):
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        other = await order_factories.customer(admin)
        customer = token(live_settings, Role.CUSTOMER, customer_id=decode_id(other["id"])[1])
        async with subscribe(server.url, customer, ORDER_CHANGED, {"id": order["id"]}) as s:
            (error,) = (await s.next())["errors"]
            assert error["extensions"]["code"] == "NOT_FOUND"
        async with subscribe(
            server.url, token(live_settings), ORDER_CHANGED, {"id": order["id"], "after": "nope"}
        ) as s:
            (error,) = (await s.next())["errors"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
        async with subscribe(
            server.url,
            token(live_settings, Role.CUSTOMER, customer_id=decode_id(other["id"])[1]),
            JOB_CHANGED,
            {},
        ) as s:
            (error,) = (await s.next())["errors"]
            assert error["extensions"]["code"] == "FORBIDDEN"


async def test_an_expired_cursor_is_refused_with_a_clear_error(live_settings, database):
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        variables = {"id": order["id"]}
        old_cursor = await _cursor_of_a_change(server, live_settings, admin, order["id"])
        await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "STANDARD"}})
        async with database.transaction() as session:
            assert await prune(session, datetime.now(UTC) + timedelta(seconds=1)) > 0
        async with subscribe(
            server.url, token(live_settings), ORDER_CHANGED, {**variables, "after": old_cursor}
        ) as s:
            (error,) = (await s.next())["errors"]
            assert error["extensions"]["code"] == "CURSOR_EXPIRED"
            assert "no longer be replayed" in error["message"]


async def test_manufacturers_follow_only_their_own_jobs_and_lose_a_reassigned_one(live_settings):
    async with live(live_settings) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        (job,) = await jobs_of(admin, order["id"])
        hawk, zab = (decode_id(w[name]["id"])[1] for name in ("hawk", "zab"))
        hawk_token = token(live_settings, Role.MANUFACTURER, manufacturer_id=hawk)

        async with subscribe(
            server.url, hawk_token, JOB_CHANGED, {"manufacturerId": w["zab"]["id"]}
        ) as s:
            (error,) = (await s.next())["errors"]
            assert error["extensions"]["code"] == "FORBIDDEN"

        async with (
            subscribe(server.url, hawk_token, JOB_CHANGED, {"id": job["id"]}) as hawk_job,
            subscribe(server.url, hawk_token, JOB_CHANGED, {}) as hawk_jobs,
            subscribe(
                server.url,
                token(live_settings, Role.MANUFACTURER, manufacturer_id=zab),
                JOB_CHANGED,
                {},
            ) as zab_jobs,
        ):
            await server.subscribed(channel_of(job["id"], "job"))
            await server.subscribed(f"manufacturer:{hawk}:jobs")
            await server.subscribed(f"manufacturer:{zab}:jobs")
            await admin.mutate(
                ADD_NOTE, {"input": {"jobId": job["id"], "content": "Check the print size"}}
            )
            noted = (await hawk_job.data())["jobChanged"]
            assert (
                noted["table"] == "job_notes" and noted["note"]["content"] == "Check the print size"
            )
            assert (await hawk_jobs.data())["jobChanged"]["note"] is not None
            await zab_jobs.nothing_within(0.2)  # not Zab's job (yet)

            await reassign_to_zab(admin, w, job)
            for stream in (hawk_job, hawk_jobs):
                ended = (await stream.data())["jobChanged"]
                assert ended["accessEnded"] is True and ended["job"] is None
                assert ended["old"] is None and ended["changedFields"] == []
            assert (await hawk_job.next())["complete"] is True
            gained = (await zab_jobs.data())["jobChanged"]
            assert gained["job"]["manufacturer"]["name"] == "Zab" and not gained["accessEnded"]

            await admin.mutate(ADD_NOTE, {"input": {"jobId": job["id"], "content": "For Zab"}})
            assert (await zab_jobs.data())["jobChanged"]["note"]["content"] == "For Zab"
            await hawk_jobs.nothing_within(0.3)


async def test_field_rules_apply_to_event_payloads(live_settings, database):
    """Sales reads jobs but not costs: a cost change reaches it without the cost, in the
    entity (null + FORBIDDEN at the path, as in a query) and in `old`/`changedFields`."""
    async with live(live_settings) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        (job,) = await jobs_of(admin, order["id"])
        # (sales may not read manufacturers either: leave that relation out)
        query = JOB_CHANGED.replace("manufacturer { name }", "quotedCost { amount }")
        variables = {"id": job["id"]}
        async with (
            subscribe(server.url, token(live_settings, Role.SALES), query, variables) as sales,
            subscribe(server.url, token(live_settings, Role.OPS), query, variables) as ops,
        ):
            await server.subscribed(channel_of(job["id"], "job"), count=2)
            async with database.transaction() as session:
                row = await session.get(ManufacturingJob, decode_id(job["id"])[1])
                assert row is not None
                before = row.quoted_cost
                row.quoted_cost, row.progress_percent = Decimal("99.50"), 40

            seen_by_ops = (await ops.data())["jobChanged"]
            assert sorted(seen_by_ops["changedFields"]) == ["progressPercent", "quotedCost"]
            assert seen_by_ops["old"]["quotedCost"] == str(before)
            assert seen_by_ops["job"]["quotedCost"] == {"amount": "99.50"}

            payload = await sales.next()
            seen_by_sales = payload["data"]["jobChanged"]
            assert seen_by_sales["changedFields"] == ["progressPercent"]
            assert "quotedCost" not in seen_by_sales["old"]
            assert seen_by_sales["job"]["quotedCost"] is None
            assert [(e["extensions"]["code"], e["path"]) for e in payload["errors"]] == [
                ("FORBIDDEN", ["jobChanged", "job", "quotedCost"])
            ], payload["errors"]


async def test_two_app_processes_share_events_through_redis(live_settings, redis_url):
    shared = replace(live_settings, redis_url=redis_url)
    async with live(shared) as (_first, admin), serve(shared) as second:
        order = await draft_order(admin)
        async with following_order(second, token(shared), order["id"]) as stream:
            await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}})
            # Well inside the 0.2 s poll: delivered by Redis, not by the change-log poll.
            event = (await stream.data(wait=1))["orderChanged"]
            assert event["old"] == {"priority": "STANDARD"}


async def test_an_unexpected_failure_in_a_stream_is_masked(live_settings, monkeypatch, caplog):
    from resolvers import realtime as change_streams

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("QueuePool limit reached: SELECT * FROM change_log (sqlalche.me)")
        yield  # an async generator, like the real one

    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        monkeypatch.setattr(change_streams, "changes", broken)
        async with subscribe(
            server.url, token(live_settings), ORDER_CHANGED, {"id": order["id"]}
        ) as stream:
            (error,) = (await stream.next())["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "SELECT" not in str(error) and error["extensions"]["requestId"]
    assert "QueuePool" in caplog.text  # the detail is in the log


def test_each_database_has_its_own_pubsub_channel(tmp_path):
    from subscriptions.hub import pubsub_channel

    pg = "postgresql+asyncpg://app:secret@db.internal:5432/opsgraph"
    assert pubsub_channel(pg) == pubsub_channel(pg.replace("app:secret", "other:pw"))
    assert pubsub_channel(pg) != pubsub_channel(pg.replace("/opsgraph", "/staging"))
    assert pubsub_channel(f"sqlite+aiosqlite:///{tmp_path}/a.db") != pubsub_channel(
        f"sqlite+aiosqlite:///{tmp_path}/b.db"
    )
    assert "secret" not in pubsub_channel(pg)


async def test_a_live_subscription_ends_when_its_token_expires(live_settings):
    import websockets

    from auth.tokens import issue

    short = issue(live_settings.auth, role=Role.ADMIN, subject="brief", ttl=timedelta(seconds=2))
    async with live(live_settings) as (server, admin):
        order = await draft_order(admin)
        async with following_order(server, f"Bearer {short}", order["id"]) as stream:
            await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}})
            assert (await stream.data())["orderChanged"]["old"] == {"priority": "STANDARD"}
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await stream.next(wait=5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        # The server let go of the subscription: nobody follows the order any more.
        assert channel_of(order["id"]) not in server.app.state.hub._local.channels()


async def test_one_change_costs_the_same_sql_for_one_subscriber_or_many(live_settings):
    """Subscribers of a change share what it costs: the rows of the change and, for the same
    operation and viewer scope, the execution of its selection (relations included). The
    statements the server runs for one note do not grow with the number of dashboards."""
    from db.sql_stats import track_sql

    quiet = replace(live_settings, realtime=replace(live_settings.realtime, poll_seconds=60))
    with track_sql() as stats:  # inherited by the server's tasks started below
        async with live(quiet) as (server, admin):
            w = await world(admin)
            order = await approved(admin, [(w["variant"]["id"], 5)])
            (job,) = await jobs_of(admin, order["id"])
            statements = []
            for followers in (1, 6):
                async with contextlib.AsyncExitStack() as stack:
                    streams = [
                        await stack.enter_async_context(
                            subscribe(server.url, token(quiet), JOB_CHANGED, {"id": job["id"]})
                        )
                        for _ in range(followers)
                    ]
                    await server.subscribed(channel_of(job["id"], "job"), count=followers)
                    before = stats.count
                    await admin.mutate(ADD_NOTE, {"input": {"jobId": job["id"], "content": "x"}})
                    for stream in streams:
                        assert (await stream.data())["jobChanged"]["note"]["content"] == "x"
                    statements.append(stats.count - before)
    assert statements[0] == statements[1], statements


async def test_one_message_is_encoded_per_change_for_subscribers_of_one_operation(
    live_settings, monkeypatch
):
    """Dashboards following the same operation with the same viewer scope get the same
    `next` message: encoded once for the change, sent to each as the same text (the legacy
    protocol gets the same data through strawberry's own path)."""
    from schema import json_codec

    encoded = spy(monkeypatch, json_codec, "dumps")
    async with live(live_settings) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        (job,) = await jobs_of(admin, order["id"])
        variables = {"id": job["id"]}
        async with contextlib.AsyncExitStack() as stack:
            streams = [
                await stack.enter_async_context(
                    subscribe(server.url, token(live_settings), JOB_CHANGED, variables)
                )
                for _ in range(4)
            ]
            legacy = await stack.enter_async_context(
                subscribe(
                    server.url, token(live_settings), JOB_CHANGED, variables, protocol=LEGACY_WS
                )
            )
            await server.subscribed(channel_of(job["id"], "job"), count=5)
            encoded.clear()
            await admin.mutate(ADD_NOTE, {"input": {"jobId": job["id"], "content": "once"}})
            texts = [await asyncio.wait_for(s.ws.recv(), 5) for s in streams]
            legacy_data = await legacy.data()

    assert len(set(texts)) == 1, texts
    message = json.loads(texts[0])
    assert (message["id"], message["type"]) == ("1", "next")
    assert message["payload"]["data"] == legacy_data
    assert message["payload"]["data"]["jobChanged"]["note"] == {"content": "once"}
    payloads = [args for args in encoded if "jobChanged" in repr(args)]
    assert len(payloads) == 2, payloads  # the transport-ws group's, and the legacy client's


async def test_with_debug_sql_each_subscriber_gets_a_message_of_its_own(live_settings, monkeypatch):
    """DebugSql reports each operation's own statements, so subscribers of one operation
    are not handed one shared message: each is encoded for its subscriber."""
    from schema import json_codec

    debugging = replace(live_settings, debug_sql=True)
    encoded = spy(monkeypatch, json_codec, "dumps")
    async with live(debugging) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        (job,) = await jobs_of(admin, order["id"])
        async with contextlib.AsyncExitStack() as stack:
            streams = [
                await stack.enter_async_context(
                    subscribe(server.url, token(debugging), JOB_CHANGED, {"id": job["id"]})
                )
                for _ in range(3)
            ]
            await server.subscribed(channel_of(job["id"], "job"), count=3)
            encoded.clear()
            await admin.mutate(ADD_NOTE, {"input": {"jobId": job["id"], "content": "own"}})
            messages = [json.loads(await asyncio.wait_for(s.ws.recv(), 5)) for s in streams]

    for message in messages:
        assert message["payload"]["data"]["jobChanged"]["note"] == {"content": "own"}
        assert "sqlStatements" in message["payload"]["extensions"]["debug"]
    payloads = [args for args in encoded if "jobChanged" in repr(args)]
    assert len(payloads) == 3, payloads


async def test_subscribers_of_one_operation_skip_send_and_end_as_its_lead_does(
    live_settings, monkeypatch
):
    """Subscribers of one operation do not each work a change out: the first to reach it
    does, and the others skip it, send its message or end their stream as it did (the
    statements and rows of one change stay the same for one follower or three)."""
    from schema.jobs import subscriptions

    worked_out = spy(monkeypatch, subscriptions, "committed_node")
    async with live(live_settings) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        (job,) = await jobs_of(admin, order["id"])
        hawk = decode_id(w["hawk"]["id"])[1]
        hawk_token = token(live_settings, Role.MANUFACTURER, manufacturer_id=hawk)
        in_qc = {"id": job["id"], "status": ["QC"]}  # a note on a NEW job is not for these
        calls = []
        for followers in (1, 3):
            async with contextlib.AsyncExitStack() as stack:
                filtered = [
                    await stack.enter_async_context(
                        subscribe(server.url, hawk_token, JOB_CHANGED, in_qc)
                    )
                    for _ in range(followers)
                ]
                every = await stack.enter_async_context(
                    subscribe(server.url, hawk_token, JOB_CHANGED, {"id": job["id"]})
                )
                # graphql-ws has no groups: its stream works every change out, and ends alike.
                legacy = await stack.enter_async_context(
                    subscribe(server.url, hawk_token, JOB_CHANGED, in_qc, protocol=LEGACY_WS)
                )
                await server.subscribed(channel_of(job["id"], "job"), count=followers + 2)
                worked_out.clear()
                note = {"jobId": job["id"], "content": f"note {followers}"}
                await admin.mutate(ADD_NOTE, {"input": note})
                noted = (await every.data())["jobChanged"]
                assert noted["note"]["content"] == f"note {followers}"
                for stream in filtered:  # (legacy's next event is checked below: it pings)
                    await stream.nothing_within(0.2)
                calls.append(len(worked_out))
                if followers == 1:
                    continue
                await reassign_to_zab(admin, w, job)
                for stream in [*filtered, every, legacy]:
                    ended = (await stream.data())["jobChanged"]
                    assert ended["accessEnded"] is True and ended["job"] is None
                    assert (await stream.next())["complete"] is True

    assert calls[0] == calls[1] > 0, calls


async def test_viewer_scopes_get_their_own_message_of_one_change(live_settings, database):
    """The same operation from two viewer scopes: each scope gets its own message (sales
    may not read costs, so a cost change reaches it without them), shared within it."""
    query = "subscription($id: ID) { jobChanged(id: $id) { changedFields } }"
    async with live(live_settings) as (server, admin):
        w = await world(admin)
        order = await approved(admin, [(w["variant"]["id"], 5)])
        (job,) = await jobs_of(admin, order["id"])
        async with contextlib.AsyncExitStack() as stack:
            streams = {
                (role, n): await stack.enter_async_context(
                    subscribe(server.url, token(live_settings, role), query, {"id": job["id"]})
                )
                for n in range(2)
                for role in (Role.OPS, Role.SALES)
            }
            await server.subscribed(channel_of(job["id"], "job"), count=len(streams))
            async with database.transaction() as session:
                row = await session.get(ManufacturingJob, decode_id(job["id"])[1])
                assert row is not None
                row.quoted_cost, row.progress_percent = Decimal("99.50"), 40
            seen = {key: await stream.next() for key, stream in streams.items()}

    for (role, _), payload in seen.items():
        assert "errors" not in payload, payload
        changed = sorted(payload["data"]["jobChanged"]["changedFields"])
        expected = ["progressPercent", "quotedCost"] if role is Role.OPS else ["progressPercent"]
        assert changed == expected, (role, payload)


def test_a_prepared_message_is_the_text_strawberry_would_send():
    from schema import json_codec
    from schema.realtime.messages import prepared_next

    payload = {
        "data": {"jobChanged": {"note": {"content": 'Größe "3" ✓'}, "old": None}},
        "extensions": {"cost": {"requested": 3, "maximum": 1000}},
    }
    for operation_id in ("1", 'a"b', "ü"):
        message = {"id": operation_id, "type": "next", "payload": payload}
        prepared = prepared_next(message)
        assert prepared is not None
        assert prepared.text(operation_id) == json_codec.dumps(message)


def test_a_message_that_differs_per_subscriber_is_not_prepared():
    from schema.realtime.messages import prepared_next

    errors = {"data": None, "errors": [{"message": "Internal server error"}]}
    assert prepared_next({"id": "1", "type": "next", "payload": errors}) is None
    assert prepared_next({"id": "1", "type": "complete"}) is None
