"""WebSockets to the app in this process (starlette's TestClient), for protocol tests that
need no served app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from starlette.testclient import TestClient, WebSocketTestSession

from app import create_app
from auth.permissions import Role
from settings import Settings
from tests.support.graphql import bearer


@contextmanager
def acknowledged_websocket(
    settings: Settings, subprotocol: str, role: Role = Role.ADMIN
) -> Iterator[WebSocketTestSession]:
    """A WebSocket to the app in this process on `subprotocol`, whose `connection_init`
    (with a token for `role`) the server has acknowledged."""
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect("/graphql", subprotocols=[subprotocol]) as ws,
    ):
        authorization = bearer(settings, role)["Authorization"]
        ws.send_json({"type": "connection_init", "payload": {"authorization": authorization}})
        assert ws.receive_json()["type"] == "connection_ack"
        yield ws
