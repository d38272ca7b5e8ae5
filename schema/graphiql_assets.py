"""GraphiQL's browser assets: which files the page needs, where they come from, and serving them.

The files are the browser builds of npm packages pinned in `graphiql/package.json` (with its
lock file). `uv run app.py graphiql install` runs `npm ci` there, and the app serves them from
`/graphiql/assets/<name>`, so GraphiQL works with no internet. With
`OPSGRAPH_GRAPHIQL_ASSETS=cdn` the page loads the same pinned versions from a public CDN.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from settings import Settings

ASSETS_DIR = Path(__file__).resolve().parent.parent / "graphiql"
ASSETS_PATH = "/graphiql/assets"
CDN_BASE = "https://unpkg.com"
INSTALL_COMMAND = "uv run app.py graphiql install"


@dataclass(frozen=True)
class Asset:
    """One file the page loads: served as `/graphiql/assets/<name>`, read from `path` inside
    the npm `package`."""

    name: str
    package: str
    path: str

    @property
    def is_stylesheet(self) -> bool:
        return self.name.endswith(".css")


# In load order: GraphiQL's UMD build expects React and ReactDOM as globals, the explorer
# plugin expects GraphiQL. GraphiQL's build bundles the graphql-ws client it uses for
# subscriptions. React 18 is the last React with UMD builds, GraphiQL 4 the last with one.
ASSETS = (
    Asset("react.js", "react", "umd/react.production.min.js"),
    Asset("react-dom.js", "react-dom", "umd/react-dom.production.min.js"),
    Asset("graphiql.js", "graphiql", "graphiql.min.js"),
    Asset("graphiql.css", "graphiql", "graphiql.min.css"),
    Asset("explorer.js", "@graphiql/plugin-explorer", "dist/index.umd.js"),
    Asset("explorer.css", "@graphiql/plugin-explorer", "dist/style.css"),
)
_BY_NAME = {asset.name: asset for asset in ASSETS}


class AssetBundle:
    """The pinned packages in `directory` (package.json) and their installed files
    (node_modules)."""

    def __init__(self, directory: Path = ASSETS_DIR) -> None:
        self.directory = directory

    @cached_property
    def versions(self) -> dict[str, str]:
        """Package name → the exact version package.json pins."""
        manifest = json.loads((self.directory / "package.json").read_text(encoding="utf-8"))
        dependencies: dict[str, str] = manifest["dependencies"]
        return dependencies

    def file(self, asset: Asset) -> Path:
        return self.directory / "node_modules" / asset.package / asset.path

    def installed_version(self, package: str) -> str | None:
        manifest = self.directory / "node_modules" / package / "package.json"
        try:
            version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            return None
        return version if isinstance(version, str) else None

    def missing(self) -> list[Asset]:
        """Assets not installed, or installed at another version than package.json pins
        (package.json changed since the last install)."""
        return [
            asset
            for asset in ASSETS
            if not self.file(asset).is_file()
            or self.installed_version(asset.package) != self.versions[asset.package]
        ]

    def local_url(self, asset: Asset) -> str:
        # The version in the query string makes a browser fetch again after an upgrade.
        return f"{ASSETS_PATH}/{asset.name}?v={self.versions[asset.package]}"

    def cdn_url(self, asset: Asset) -> str:
        return f"{CDN_BASE}/{asset.package}@{self.versions[asset.package]}/{asset.path}"


def graphiql_asset_route(settings: Settings, bundle: AssetBundle | None = None) -> Route:
    """`GET /graphiql/assets/<name>`: the files in ASSETS and nothing else from node_modules;
    404 while GraphiQL is off."""
    bundle = bundle or AssetBundle()

    async def serve(request: Request) -> Response:
        asset = _BY_NAME.get(request.path_params["name"])
        if not settings.graphiql or asset is None or not bundle.file(asset).is_file():
            return PlainTextResponse("Not Found", status_code=404)
        media_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
        # FileResponse sends ETag and Last-Modified: a reload revalidates cheaply.
        return FileResponse(
            bundle.file(asset), media_type=media_type, headers={"Cache-Control": "no-cache"}
        )

    return Route(ASSETS_PATH + "/{name}", serve, methods=["GET", "HEAD"])
