"""GraphiQL: the page, its assets served by the app, and the whole thing in a real Chromium
with every request off this machine refused (no internet).

The browser tests drive Debian's `chromium` (Playwright's own download does not work here)
and need the assets installed (`uv run app.py graphiql install`); without either they skip
with the reason, unless OPSGRAPH_REQUIRE_SERVICES=1 (CI), when they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page, Route, WebSocket, async_playwright, expect

from auth.permissions import Role
from resolvers.ids import decode_id
from schema.graphiql import graphiql_html
from schema.graphiql_assets import ASSETS, CDN_BASE, INSTALL_COMMAND, AssetBundle
from settings import Settings, SettingsError
from tests.support import order_factories, services
from tests.support.graphql import GraphQLClient, bearer
from tests.support.live import serve
from tests.support.secrets import TEST_AUTH, TEST_ENCRYPTION_KEYS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("OPSGRAPH_CHROMIUM", "/usr/bin/chromium"))
LOCAL = ("127.0.0.1", "localhost")
# Every host name but the local ones resolves to nothing: nothing reaches the internet
# even where the route handler below would not see a request.
NO_INTERNET = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
RESULT = ".result-window"
RUN = ".graphiql-execute-button"


@pytest.fixture
def page_settings(tmp_path: Path) -> Settings:
    """Settings for tests of the page alone (no database is touched)."""
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
        auth=TEST_AUTH,
        encryption_keys=TEST_ENCRYPTION_KEYS,
    )


def installed_bundle() -> AssetBundle:
    bundle = AssetBundle()
    missing = bundle.missing()
    if missing:
        names = ", ".join(a.package for a in missing)
        services.unavailable("GraphiQL assets", f"{names} not installed: run {INSTALL_COMMAND}")
    return bundle


def chromium() -> Path:
    if not CHROMIUM.is_file():
        services.unavailable("Chromium", f"{CHROMIUM} not found (apt-get install -y chromium)")
    return CHROMIUM


def _srcs(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


# -- the page and its assets ---------------------------------------------------------------


async def test_the_page_loads_every_asset_from_the_app(page_settings):
    installed_bundle()
    async with GraphQLClient.for_settings(page_settings) as client:
        page = await client.http.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        urls = [u for u in _srcs(page.text) if not u.startswith("data:")]
        assert len(urls) == len(ASSETS)
        for url in urls:
            assert url.startswith("/graphiql/assets/"), url
            asset = await client.http.get(url)
            assert asset.status_code == 200, url
            expected = "text/css" if url.split("?")[0].endswith(".css") else "javascript"
            assert expected in asset.headers["content-type"]
        # It opens with how to get a token and where to put it.
        assert "uv run app.py token --role admin" in page.text
        assert "Bearer &lt;paste a token here&gt;" in page.text


async def test_cdn_mode_loads_the_pinned_versions_from_the_cdn(page_settings):
    pinned = json.loads((ROOT / "graphiql/package.json").read_text())["dependencies"]
    html = graphiql_html(replace(page_settings, graphiql_assets="cdn"))
    urls = [u for u in _srcs(html) if not u.startswith("data:")]
    assert f"{CDN_BASE}/graphiql@{pinned['graphiql']}/graphiql.min.js" in urls
    assert f"{CDN_BASE}/react@{pinned['react']}/umd/react.production.min.js" in urls
    assert all(u.startswith(CDN_BASE + "/") for u in urls), urls


def _bundle_without_node_modules(tmp_path: Path) -> AssetBundle:
    shutil.copy(ROOT / "graphiql/package.json", tmp_path / "package.json")
    return AssetBundle(tmp_path)


def test_without_installed_assets_the_page_says_how_to_install_them(page_settings, tmp_path):
    html = graphiql_html(page_settings, _bundle_without_node_modules(tmp_path))
    assert INSTALL_COMMAND in html
    assert "OPSGRAPH_GRAPHIQL_ASSETS=cdn" in html
    assert "<script" not in html  # and nothing tries the internet behind the developer's back


def test_an_install_older_than_package_json_counts_as_missing(tmp_path):
    bundle = _bundle_without_node_modules(tmp_path)
    for asset in ASSETS:
        bundle.file(asset).parent.mkdir(parents=True, exist_ok=True)
        bundle.file(asset).write_text("/* built */")
        version = bundle.versions[asset.package]
        manifest = tmp_path / "node_modules" / asset.package / "package.json"
        manifest.write_text(json.dumps({"version": version}))
    assert bundle.missing() == []
    react = tmp_path / "node_modules/react/package.json"
    react.write_text(json.dumps({"version": "17.0.2"}))
    assert [a.name for a in bundle.missing()] == ["react.js"]


async def test_the_asset_route_serves_the_listed_files_only(page_settings):
    installed_bundle()
    async with GraphQLClient.for_settings(page_settings) as client:
        assert (await client.http.get("/graphiql/assets/graphiql.js")).status_code == 200
        for path in ("package.json", "..%2Fpackage.json", "graphiql.min.js.map", "react"):
            response = await client.http.get(f"/graphiql/assets/{path}")
            assert response.status_code == 404, path
    async with GraphQLClient.for_settings(replace(page_settings, graphiql=False)) as closed:
        assert (await closed.http.get("/graphiql/assets/graphiql.js")).status_code == 404


def test_the_assets_setting():
    assert Settings.from_env({}).graphiql_assets == "local"
    assert Settings.from_env({"OPSGRAPH_GRAPHIQL_ASSETS": "cdn"}).graphiql_assets == "cdn"
    with pytest.raises(SettingsError, match="OPSGRAPH_GRAPHIQL_ASSETS"):
        Settings.from_env({"OPSGRAPH_GRAPHIQL_ASSETS": "unpkg"})


def test_install_without_npm_says_what_to_do(tmp_path):
    python_only = str(Path(sys.executable).parent)  # PATH holding python, not npm
    result = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "graphiql", "install"],
        env={**os.environ, "PATH": python_only},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shutil.which("npm", path=python_only) is None
    assert result.returncode == 2
    assert "npm not found" in result.stderr and "OPSGRAPH_GRAPHIQL_ASSETS=cdn" in result.stderr


# -- in a real browser, with no internet -----------------------------------------------------


@dataclass
class Traffic:
    """What the page asked for: everything off this machine is refused and recorded."""

    refused: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    sockets: list[WebSocket] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)

    async def route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme == "data" or urlsplit(url).hostname in LOCAL:
            self.local.append(url)
            await route.continue_()
        else:
            self.refused.append(url)
            await route.abort("internetdisconnected")

    def websocket(self, socket: WebSocket) -> None:
        self.sockets.append(socket)
        socket.on("framesent", lambda frame: self.sent.append(_frame(frame)))
        socket.on("framereceived", lambda frame: self.received.append(_frame(frame)))


def _frame(frame: str | bytes) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(frame)
    return message


@asynccontextmanager
async def browser_page() -> AsyncIterator[tuple[Page, Traffic]]:
    traffic = Traffic()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium()), headless=True, args=[NO_INTERNET]
        )
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 900})
            await context.route("**/*", traffic.route)
            page = await context.new_page()
            page.on("websocket", traffic.websocket)
            yield page, traffic
        finally:
            await browser.close()


async def replace_text(page: Page, editor: str, text: str) -> None:
    """Select all in a GraphiQL editor and paste `text`, as a developer would."""
    await page.locator(editor).click()
    await page.keyboard.press("Control+A")
    await page.keyboard.insert_text(text)


async def run_and_expect(page: Page, *fragments: str) -> None:
    await page.locator(RUN).click()
    for fragment in fragments:
        await expect(page.locator(RESULT)).to_contain_text(fragment, timeout=10_000)


ORDER_CHANGED = """subscription {
  orderChanged(id: "%s") { eventType changedFields order { reference priority } }
}"""
SET_PRIORITY = (
    "mutation($input: SetOrderPriorityInput!) { setOrderPriority(input: $input) {"
    " order { priority } errors { code message } } }"
)


async def test_graphiql_runs_queries_and_subscriptions_with_no_internet(settings):
    installed_bundle()
    chromium()
    async with serve(settings) as server:
        admin = GraphQLClient(server.app, bearer(settings, Role.ADMIN), owns_app=False)
        async with admin:
            customer = await order_factories.customer(admin)
            variant = await order_factories.variant(admin)
            order = await order_factories.draft(admin, customer["id"], [(variant["id"], 3)])
            token = bearer(settings, Role.ADMIN)["Authorization"]

            async with browser_page() as (page, traffic):
                await page.goto(server.url + "/graphql")
                # The editor appears, opening with how to authenticate; the Headers tab
                # holds the header to fill in.
                await expect(page.locator(QUERY_EDITOR)).to_contain_text(
                    "uv run app.py token --role admin", timeout=15_000
                )
                await expect(page.locator(HEADERS_EDITOR)).to_contain_text(
                    "Bearer <paste a token here>"
                )

                # The untouched template sends no credentials: the welcome query answers
                # as the anonymous caller, not with a "malformed token" refusal.
                await run_and_expect(page, '"authenticated": false')

                # The explorer plugin lists the schema's root fields.
                await page.get_by_role("button", name="Show GraphiQL Explorer").click()
                await expect(page.locator(".graphiql-plugin")).to_contain_text("productFamilies")

                # A token in the headers editor; a query shows data.
                await replace_text(page, HEADERS_EDITOR, json.dumps({"Authorization": token}))
                await replace_text(
                    page, QUERY_EDITOR, "{ orders { totalCount edges { node { reference } } } }"
                )
                await run_and_expect(page, '"totalCount": 1', order["reference"])

                # A subscription over the WebSocket, authenticated by the same header.
                await replace_text(page, QUERY_EDITOR, ORDER_CHANGED % order["id"])
                await page.locator(RUN).click()
                await server.subscribed(f"order:{decode_id(order['id'])[1]}")
                changed = await admin.mutate(
                    SET_PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}}
                )
                assert changed["errors"] == []
                await expect(page.locator(RESULT)).to_contain_text('"RUSH"', timeout=10_000)

            init = next(m for m in traffic.sent if m["type"] == "connection_init")
            assert init["payload"] == {"authorization": token}
            assert {"type": "connection_ack"} in traffic.received
            assert [urlsplit(s.url).hostname for s in traffic.sockets] == ["127.0.0.1"]
            # Nothing was asked of the internet; everything came from the app.
            assert traffic.refused == []
            assert any("/graphiql/assets/graphiql.js" in url for url in traffic.local)


async def test_with_cdn_assets_and_no_internet_the_page_cannot_load(settings):
    """The same browser set-up refuses the CDN: what the test above proves is real."""
    chromium()
    async with (
        serve(replace(settings, graphiql_assets="cdn")) as server,
        browser_page() as (page, traffic),
    ):
        await page.goto(server.url + "/graphql")
        await page.wait_for_load_state("load")
        assert any(url.startswith(CDN_BASE) for url in traffic.refused), traffic.refused
        await expect(page.locator("#graphiql")).to_have_text("Loading GraphiQL…")
