"""The change hub: one per app process, between the change log and the subscriptions.

After a transaction commits, its change records are published on one pub/sub channel
(`broadcaster`: in process, or Redis shared by every process). Each process's hub receives
them and hands each record to the local subscribers of its channels (`Fanout`), strictly in
cursor order: cursors are gap-free and follow commit order (db/change_log.py), so a record
that arrives ahead of one still missing — published late by another process, or lost while
Redis was down — makes the hub read the missing ones from the change log first, and one
already delivered is dropped. A slow poll of the change log (and a catch-up after Redis
reconnects) delivers whatever pub/sub never brought, e.g. from a process that died between
its commit and its publish. Subscribers therefore see every change once, in commit order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from db.change_log import CommittedChange, changes_since, cursor_state
from db.engine import Database
from observability.metrics import CHANGE_LOG_LAG
from settings import Settings
from subscriptions.broadcast import BoundedBroadcast, broadcast_for
from subscriptions.fanout import Fanout, SubscriberTooSlow, Subscription, Turns

log = logging.getLogger(__name__)


def pubsub_channel(database_url: str) -> str:
    """The pub/sub channel of one database's changes. Redis channels ignore the database
    number, so two deployments (or test runs) on one Redis would otherwise receive each
    other's records, whose cursors collide with their own: the channel names the database
    (host, port and name, or the SQLite file; never credentials)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        where = str(Path(url.database or "").resolve())
    else:
        where = f"{url.host}:{url.port or ''}/{url.database}"
    digest = hashlib.sha256(f"{url.get_backend_name()}|{where}".encode()).hexdigest()[:16]
    return f"opsgraph:changes:{digest}"


# How many change-log rows one catch-up statement reads.
CATCH_UP_BATCH = 500


class ChangeHub:
    def __init__(self, settings: Settings, database: Database) -> None:
        self._database = database
        self._channel = pubsub_channel(settings.database_url)
        self._poll_seconds = settings.realtime.poll_seconds
        self._broadcast: BoundedBroadcast = broadcast_for(settings, on_reconnect=self.catch_up)
        self._local: Fanout[CommittedChange] = Fanout(settings.realtime.max_queue)
        self._lock = asyncio.Lock()
        self._last = 0
        # The newest cursor this process knows committed (its own commits, pub/sub, the
        # log): `_committed - _last` is its change-log lag (opsgraph_change_log_lag).
        self._committed = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()

    @property
    def last_cursor(self) -> int:
        """The newest cursor handed to local subscribers (everything up to it has been)."""
        return self._last

    async def start(self) -> None:
        async with self._database.read_connection() as conn:
            self._last, _ = await cursor_state(conn)
        self._committed = self._last
        await self._broadcast.connect()
        self._database.on_commit.append(self.publish)
        self._tasks = [
            asyncio.create_task(self._listen(), name="change-hub-listen"),
            asyncio.create_task(self._poll(), name="change-hub-poll"),
        ]
        await self._listening.wait()

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self._database.on_commit.remove(self.publish)
        self._local.close_all()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._broadcast.disconnect()

    def queued(self) -> int:
        """Changes handed to local subscribers that they have not taken yet."""
        return self._local.queued()

    @asynccontextmanager
    async def subscribe(
        self, channel: str, turns: Turns | None = None
    ) -> AsyncIterator[Subscription[CommittedChange]]:
        async with self._local.subscribe(channel, turns) as subscription:
            yield subscription

    async def publish(self, records: Sequence[CommittedChange]) -> None:
        """Called after a commit. A failure only delays delivery until the next poll."""
        self._knows_committed(records[-1].cursor)
        message = json.dumps([r.to_json() for r in records], separators=(",", ":"))
        try:
            await self._broadcast.publish(self._channel, message)
        except Exception as exc:  # pub/sub down: the change log has it, the poll delivers it
            log.warning(
                "publishing changes %s..%s failed (%s); the poll will deliver them",
                records[0].cursor,
                records[-1].cursor,
                exc,
            )

    async def catch_up(self) -> None:
        """Deliver every committed change not yet delivered, from the change log."""
        async with self._lock:
            await self._read_log()

    async def _listen(self) -> None:
        while True:
            try:
                async with self._broadcast.subscribe(self._channel) as pubsub:
                    self._listening.set()
                    async for event in pubsub:
                        records = [CommittedChange.from_json(r) for r in json.loads(event.message)]
                        await self._accept(records)
            except SubscriberTooSlow:
                log.warning("change hub fell behind pub/sub; catching up from the change log")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("change hub listener failed; restarting")
                await asyncio.sleep(self._poll_seconds)
            await self.catch_up()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self._poll_seconds)
            try:
                await self.catch_up()
            except asyncio.CancelledError:
                raise
            except Exception:  # database briefly unreachable: try again next round
                log.warning("change hub poll failed", exc_info=True)

    async def _accept(self, records: Sequence[CommittedChange]) -> None:
        self._knows_committed(max(r.cursor for r in records))
        async with self._lock:
            for record in sorted(records, key=lambda r: r.cursor):
                if record.cursor > self._last + 1:
                    await self._read_log(through=record.cursor - 1)
                if record.cursor == self._last + 1:
                    self._deliver(record)

    async def _read_log(self, through: int | None = None) -> None:
        async with self._database.read_connection() as conn:
            while True:
                batch = await changes_since(conn, self._last, through=through, limit=CATCH_UP_BATCH)
                for record in batch:
                    self._deliver(record)
                if len(batch) < CATCH_UP_BATCH:
                    return

    def _knows_committed(self, cursor: int) -> None:
        if cursor > self._committed:
            self._committed = cursor
            CHANGE_LOG_LAG.set(self._committed - self._last)

    def _deliver(self, record: CommittedChange) -> None:
        self._last = record.cursor
        if record.cursor > self._committed:
            self._committed = record.cursor
        CHANGE_LOG_LAG.set(self._committed - self._last)
        for channel in record.channels:
            self._local.deliver(channel, record)
