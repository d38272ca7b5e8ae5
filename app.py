"""OpsGraph: the ASGI app and its command line.

uv run app.py [--host H] [--port P]   migrate, load demo data if empty, serve
              [--workers N]           ... in N processes (production; see serving.py)
uv run app.py migrate                 apply database migrations
uv run app.py seed [--reset]          load the demo data (--reset: empty the database first)
uv run app.py notify-due              send due-soon and overdue job notices (run daily)
uv run app.py flag-lost-shipments     flag overdue inbound shipments lost, alert admins (daily)
uv run app.py expire-lots             move active lots past their expiry date to EXPIRED (daily)
uv run app.py finance daily           recalculate standing and holds, send aging alerts (daily)
uv run app.py export-schema           write schema.graphql
uv run app.py prune-changes           delete change-log entries older than the retention
uv run app.py files prune|verify      remove orphaned uploads | re-hash stored files
uv run app.py graphiql install        install GraphiQL's assets (npm ci) to serve them offline
uv run app.py persisted build DIR     validate DIR/*.graphql, write DIR/manifest.json (partners)
uv run app.py token --role ROLE       print a bearer token [--manufacturer ID] [--customer ID]
                                      [--ttl 8h]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketState
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

import serving
from auth import token_command
from auth.actor import ANONYMOUS, Actor, new_request_id, with_connection
from auth.authenticate import authenticate
from auth.body_limit import BodyLimit
from auth.rate_limit import RateLimiter, rate_limiter_for
from auth.tokens import InvalidToken
from auth.upload_limit import UploadAdmission
from db.engine import Database
from domain.files import ENVELOPE_ALLOWANCE
from draining import Drain
from health import Readiness, RefuseWhenBehind, healthz
from observability import metrics, tracing
from observability.logs import bound
from observability.logs import configure as configure_logging
from observability.metrics import metrics_route
from resolvers import files_command
from resolvers.context import RequestContext
from resolvers.finance import command as finance_command
from schema import graphiql_command
from schema.checkout.webhook import stripe_webhook_routes
from schema.downloads import download_routes
from schema.graphiql import graphiql_html
from schema.graphiql_assets import graphiql_asset_route
from schema.persisted import PersistedQueriesGraphQL, persisted_queries_for
from schema.persisted import command as persisted_command
from settings import Settings, SettingsError
from subscriptions.health import PubSubProbe
from subscriptions.hub import ChangeHub

log = logging.getLogger("opsgraph")
access_log = logging.getLogger("opsgraph.access")
ROOT = Path(__file__).resolve().parent
SCHEMA_FILE = ROOT / "schema.graphql"


# WebSocket close code when a connection's token expires: its subscriptions end and the
# client reconnects with a fresh token (graphql-transport-ws uses 4401 for "Unauthorized").
TOKEN_EXPIRED_CLOSE_CODE = 4401


class OpsGraphGraphQL(PersistedQueriesGraphQL):
    def __init__(self, settings: Settings, database: Database, rate_limiter: RateLimiter) -> None:
        from schema import schema_for

        schema = schema_for(settings.batched_execution)
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            # graphql-ws (legacy) gets "ka" messages; graphql-transport-ws clients ping and
            # are answered; uvicorn pings both at the WebSocket level.
            keep_alive=True,
            keep_alive_interval=settings.realtime.keepalive_seconds,
        )
        self.settings = settings
        self.database = database
        self.rate_limiter = rate_limiter
        # The process's change hub, which subscriptions follow (set by create_app).
        self.hub: ChangeHub | None = None
        # What SIGTERM does before the process stops (set by create_app).
        self.drain: Drain | None = None
        self.persisted_queries = persisted_queries_for(settings, schema)

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        if isinstance(request, WebSocket):
            if not _origin_allowed(request, self.settings.realtime.allowed_origins):
                # Closing before accepting answers the handshake with HTTP 403.
                await request.close(code=1008)
                return None
            drain = self.drain
            if drain is not None and drain.draining:
                # Shutting down: the client connects again, to another process.
                await request.close(code=1012)
                return None
            # Credentials arrive in `connection_init`, checked by on_ws_connect.
            ctx = await self.get_context(request, None)
            metrics.WEBSOCKETS.inc()
            if drain is not None:
                drain.opened(request)
            try:
                return await super().run(request, context=ctx, root_value=root_value)
            finally:
                if drain is not None:
                    drain.closed(request)
                metrics.WEBSOCKETS.dec()
                ctx.end_connection()
        # The id errors carry and every log line of the request, refused or not.
        request.state.request_id = request_id = new_request_id()
        with bound(request_id=request_id, transport="http"):
            try:
                request.state.actor = await authenticate(
                    request.headers.get("authorization"), self.settings.auth, self.database
                )
            except InvalidToken as exc:
                metrics.ERRORS.labels("UNAUTHENTICATED").inc()
                access_log.info(
                    "request refused: UNAUTHENTICATED",
                    extra={"status": "error", "error_codes": ["UNAUTHENTICATED"]},
                )
                return _unauthenticated(str(exc), request_id)
            return await super().run(request, context=context, root_value=root_value)

    @property
    def graphql_ide_html(self) -> str:
        return graphiql_html(self.settings)

    async def get_context(self, request: Request | WebSocket, response: Any) -> RequestContext:
        actor: Actor = getattr(request.state, "actor", ANONYMOUS)
        request_id = getattr(request.state, "request_id", None) or new_request_id()
        if response is not None:
            # The id errors carry and the log uses, on every response, to quote in reports.
            response.headers["X-Request-Id"] = request_id
        return RequestContext(
            settings=self.settings,
            db=self.database,
            actor=with_connection(actor, request, request_id),
            request=request,
            response=response,
            rate_limiter=self.rate_limiter,
            hub=self.hub,
        )

    async def on_ws_connect(self, context: RequestContext) -> UnsetType | dict[str, object] | None:
        """A WebSocket needs valid credentials in its `connection_init` payload
        (`{"authorization": "Bearer …"}`); otherwise it is closed with the protocol's
        rejection code. Its token's expiry closes it."""
        params: dict[str, Any] = (
            context.connection_params if isinstance(context.connection_params, dict) else {}
        )
        authorization = params.get("authorization") or params.get("Authorization")
        if not isinstance(authorization, str) or not authorization.strip():
            raise ConnectionRejectionError({"message": "Authentication required"})
        try:
            actor = await authenticate(authorization, self.settings.auth, self.database)
        except InvalidToken as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from None
        assert isinstance(context.request, WebSocket)
        context.actor = with_connection(actor, context.request, new_request_id())
        if actor.expires_at is not None:
            context.on_connection_end(_close_at_expiry(context.request, actor.expires_at))
        acknowledge: UnsetType = UNSET  # connection_ack without a payload
        return acknowledge


def _origin_allowed(websocket: WebSocket, allowed: tuple[str, ...]) -> bool:
    """Browsers send the page's origin with a WebSocket handshake; with
    OPSGRAPH_WS_ALLOWED_ORIGINS set, only those pages may connect. Clients that are not
    browsers send no Origin and are governed by their credentials alone."""
    origin = websocket.headers.get("origin")
    return not allowed or origin is None or origin.rstrip("/") in allowed


def _unauthenticated(message: str, request_id: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"', "X-Request-Id": request_id},
    )


def _close_at_expiry(websocket: WebSocket, expires_at: datetime) -> asyncio.Task[None]:
    """Close the socket when its token expires (the caller cancels the task when the
    connection ends first)."""

    async def close_when_expired() -> None:
        delay = (expires_at - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(max(delay, 0))
        if websocket.application_state is WebSocketState.CONNECTED:
            # RuntimeError: the client left at the same moment.
            with contextlib.suppress(RuntimeError):
                await websocket.close(TOKEN_EXPIRED_CLOSE_CODE, "Token expired")

    return asyncio.get_running_loop().create_task(close_when_expired())


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the ASGI app. Without settings they are read from the environment."""
    settings = settings or Settings.from_env()
    tracing.start_from_environment()
    database = Database(
        settings.database_url,
        encryption_keys=settings.encryption_keys,
        pool_size=settings.db_pool_size,
    )
    pubsub = PubSubProbe(settings)
    rate_limiter = rate_limiter_for(settings)
    graphql = OpsGraphGraphQL(settings, database, rate_limiter)
    hub = graphql.hub = ChangeHub(settings, database)

    readiness = Readiness(database, pubsub)
    drain = graphql.drain = Drain(readiness, hub)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await hub.start()
        serving.tune_garbage_collector()
        drain.install()
        yield
        drain.uninstall()
        await hub.stop()
        await graphql.persisted_queries.close()
        await pubsub.close()
        await rate_limiter.close()
        await database.dispose()

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readiness.readyz, methods=["GET"]),
            Route(
                "/graphql",
                UploadAdmission(
                    graphql,
                    BodyLimit(
                        graphql,
                        settings.limits.max_bytes,
                        settings.connections.body_read_timeout_seconds,
                    ),
                    settings.files.max_upload_bytes + ENVELOPE_ALLOWANCE,
                    settings.connections.body_read_timeout_seconds,
                ),
            ),
            WebSocketRoute("/graphql", graphql),
            graphiql_asset_route(settings),
            *download_routes(settings, database),
            *(
                [Route("/metrics", metrics_route(settings.metrics.token), methods=["GET"])]
                if settings.metrics.enabled
                else []
            ),
            *stripe_webhook_routes(settings, database),
        ],
        # First at start-up: a database behind the code's migrations is never served.
        middleware=[Middleware(RefuseWhenBehind, readiness=readiness)],
        lifespan=lifespan,
    )
    app.state.readiness = readiness
    app.state.drain = drain
    app.state.settings = settings
    app.state.database = database
    app.state.rate_limiter = rate_limiter
    app.state.hub = hub
    app.state.persisted_queries = graphql.persisted_queries
    return app


# -- command line ------------------------------------------------------------------------------


async def _migrate(settings: Settings) -> None:
    from db.migrate import upgrade

    database = Database(settings.database_url)
    try:
        await upgrade(database.engine)
    finally:
        await database.dispose()


async def _seed(settings: Settings, *, reset: bool, only_if_empty: bool) -> str:
    from db.migrate import downgrade, upgrade
    from demo.seed import load_demo_data

    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    try:
        if reset:
            await downgrade(database.engine)
        await upgrade(database.engine)
        return await load_demo_data(database, only_if_empty=only_if_empty, files=settings.files)
    finally:
        await database.dispose()


async def _notify_due(settings: Settings) -> int:
    from domain.clock import today
    from resolvers.jobs.due_notices import send_due_notices

    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    try:
        async with database.transaction() as session:
            return await send_due_notices(session, today())
    finally:
        await database.dispose()


async def _flag_lost_shipments(settings: Settings) -> int:
    from domain.clock import today
    from resolvers.fulfillment.lost_shipments import flag_lost_shipments

    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    try:
        async with database.transaction() as session:
            lost_days = settings.fulfillment.shipment_lost_days
            return await flag_lost_shipments(session, today(), lost_days)
    finally:
        await database.dispose()


async def _expire_lots(settings: Settings) -> list[str]:
    import resolvers.subscribers  # noqa: F401  (the 3PL takes an expired lot's stock out)
    from auth.actor import SYSTEM
    from domain.clock import today
    from resolvers.procurement.lots import expire_lots

    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    try:
        async with database.transaction() as session:
            return await expire_lots(session, SYSTEM, today())
    finally:
        await database.dispose()


async def _prune_changes(settings: Settings) -> int:
    from datetime import timedelta

    from db.change_log import prune

    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    older_than = datetime.now(UTC) - timedelta(days=settings.realtime.retention_days)
    try:
        async with database.transaction() as session:
            return await prune(session, older_than)
    finally:
        await database.dispose()


def _install_graphiql_on_first_run(settings: Settings) -> None:
    """A newcomer's first `uv run app.py` fetches GraphiQL's files (once) so the page works
    offline afterwards; without npm the page itself says what to do."""
    from schema.graphiql_assets import AssetBundle

    bundle = AssetBundle()
    if settings.graphiql and settings.graphiql_assets == "local" and bundle.missing():
        if shutil.which("npm") is None:
            print("GraphiQL's files are not installed and npm is missing: see the README")
            return
        print("Installing GraphiQL's files (first run): uv run app.py graphiql install")
        graphiql_command.install(bundle)


def export_schema(path: Path = SCHEMA_FILE) -> None:
    from schema import schema

    path.write_text(str(schema) + "\n", encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="app.py", description="OpsGraph GraphQL API")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    parser.add_argument(
        "--workers", type=int, default=1, help="serve in N processes (default 1; production: cores)"
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("migrate", help="apply database migrations")
    seed = commands.add_parser("seed", help="load the demo data (idempotent)")
    seed.add_argument("--reset", action="store_true", help="empty the database first")
    commands.add_parser("notify-due", help="send due-soon and overdue job notices (daily)")
    commands.add_parser(
        "flag-lost-shipments",
        help="flag inbound shipments OPSGRAPH_SHIPMENT_LOST_DAYS past their expected date lost "
        "and alert the admins (daily)",
    )
    commands.add_parser(
        "expire-lots", help="move active lots past their expiration date to EXPIRED (daily)"
    )
    commands.add_parser(
        "prune-changes",
        help="delete change-log entries older than OPSGRAPH_CHANGE_RETENTION_DAYS (daily)",
    )
    export = commands.add_parser("export-schema", help="write the SDL to schema.graphql")
    export.add_argument("--output", type=Path, default=SCHEMA_FILE, help="where to write it")
    token_command.add_parser(commands)
    persisted_command.add_parser(commands)
    files_command.add_parser(commands)
    graphiql_command.add_parser(commands)
    finance_command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "graphiql":  # needs no settings: a fresh checkout's setup step
        return graphiql_command.run(args)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"opsgraph: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_format)

    if args.command == "export-schema":
        export_schema(args.output)
        print(f"wrote {args.output}")
        return 0
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        print("database is up to date")
        return 0
    if args.command == "persisted":
        return persisted_command.run(args)
    if args.command == "token":
        return token_command.run(args, settings)
    if args.command == "files":
        return files_command.run(args, settings)
    if args.command == "finance":
        return finance_command.run(args, settings)
    if args.command == "prune-changes":
        removed = asyncio.run(_prune_changes(settings))
        print(
            f"change log: {removed} entries older than "
            f"{settings.realtime.retention_days} days removed"
        )
        return 0
    if args.command == "notify-due":
        print(f"due notices sent: {asyncio.run(_notify_due(settings))}")
        return 0
    if args.command == "flag-lost-shipments":
        print(f"inbound shipments flagged lost: {asyncio.run(_flag_lost_shipments(settings))}")
        return 0
    if args.command == "expire-lots":
        expired = asyncio.run(_expire_lots(settings))
        print(f"lots expired: {len(expired)}" + "".join(f"\n  {n}" for n in expired))
        return 0
    if args.command == "seed":
        if args.reset and settings.env == "production":
            print("opsgraph: seed --reset is refused when OPSGRAPH_ENV=production", file=sys.stderr)
            return 2
        print(asyncio.run(_seed(settings, reset=args.reset, only_if_empty=False)))
        return 0

    # What serving says before uvicorn starts: a log line in the JSON format (every line of
    # the process's output is then one JSON object), printed in the readable one.
    say = print if settings.log_format == "text" else log.info
    _install_graphiql_on_first_run(settings)
    if settings.seed_demo_data:
        say(asyncio.run(_seed(settings, reset=False, only_if_empty=True)))
    else:
        asyncio.run(_migrate(settings))
    say(
        f"OpsGraph on {settings.database_url.split(':', 1)[0]}; GraphQL at "
        f"http://{args.host}:{args.port}/graphql"
        + (" (open it in a browser for GraphiQL)" if settings.graphiql else "")
    )
    if settings.env == "development":
        say("Every field needs a token; print one with: uv run app.py token --role admin")
    serving.serve(
        lambda: create_app(settings),
        host=args.host,
        port=args.port,
        workers=args.workers,
        max_connections=settings.connections.max_connections,
        shutdown_grace_seconds=settings.shutdown_grace_seconds,
        log_format=settings.log_format,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
