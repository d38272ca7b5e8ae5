"""The GraphiQL page: GraphiQL with the explorer plugin, opening with how to authenticate.

Every field needs credentials, so the first thing a developer reads is how to get a token
and where to put it; the Headers tab starts with the header to fill in, and the same headers
authenticate subscriptions (the WebSocket's `connection_init`). The assets are served by the
app (schema/graphiql_assets.py) or, when configured, loaded from a CDN.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import cache
from html import escape
from pathlib import Path

from schema.graphiql_assets import ASSETS, INSTALL_COMMAND, Asset, AssetBundle
from settings import Settings

log = logging.getLogger("opsgraph.graphiql")

TEMPLATE = Path(__file__).with_name("graphiql.html")

WELCOME = """# OpsGraph
#
# Every field needs credentials. Put a bearer token in the Headers tab below:
#
#     {"Authorization": "Bearer <token>"}
#
# In development, print one with:
#
#     uv run app.py token --role admin
#
# Roles: superadmin admin ops sales finance manufacturer customer partner readonly.
# Manufacturer tokens need --manufacturer <ID>, customer tokens --customer <ID>.
# Partners send {"Authorization": "ApiKey <key>"} instead.
# The same header authenticates subscriptions over the WebSocket.
#
# `viewer` shows who the server thinks you are and what you may do.

{
  viewer { authenticated subject role grants { permission scope } }
}
"""

TOKEN_PLACEHOLDER = "Bearer <paste a token here>"
HEADERS_TEMPLATE = json.dumps({"Authorization": TOKEN_PLACEHOLDER}, indent=2)


def graphiql_html(settings: Settings, bundle: AssetBundle | None = None) -> str:
    """The page for `GET /graphql` from a browser. With local assets that are not installed,
    a page that says how to install them: falling back to a CDN unasked would hide, until
    someone is offline, that the page needs the internet."""
    bundle = bundle or AssetBundle()
    if settings.graphiql_assets == "cdn":
        return _render(bundle.cdn_url)
    missing = bundle.missing()
    if missing:
        log.warning("GraphiQL's assets are not installed: run %s", INSTALL_COMMAND)
        return _install_page(missing)
    return _render(bundle.local_url)


def _render(url: Callable[[Asset], str]) -> str:
    stylesheets = "\n".join(
        f'    <link rel="stylesheet" href="{escape(url(a))}" />' for a in ASSETS if a.is_stylesheet
    )
    scripts = "\n".join(
        f'    <script src="{escape(url(a))}"></script>' for a in ASSETS if not a.is_stylesheet
    )
    config = {
        "welcome": WELCOME,
        "headers": HEADERS_TEMPLATE,
        "tokenPlaceholder": TOKEN_PLACEHOLDER,
    }
    return (
        _template()
        .replace("{{ stylesheets }}", stylesheets)
        .replace("{{ scripts }}", scripts)
        .replace("{{ config }}", escape(json.dumps(config), quote=True))
    )


@cache
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def _install_page(missing: list[Asset]) -> str:
    files = "".join(f"<li><code>{escape(a.package)}/{escape(a.path)}</code></li>" for a in missing)
    return f"""<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>OpsGraph · GraphiQL is not installed</title></head>
  <body style="font-family: sans-serif; max-width: 48rem; margin: 3rem auto">
    <h1>GraphiQL's files are not installed</h1>
    <p>This server serves GraphiQL itself, so it works with no internet. Install the pinned
      files once (needs npm), then reload this page:</p>
    <pre>{escape(INSTALL_COMMAND)}</pre>
    <p>Or load them from a CDN instead: start the server with
      <code>OPSGRAPH_GRAPHIQL_ASSETS=cdn</code>.</p>
    <p>Missing or out of date:</p>
    <ul>{files}</ul>
  </body>
</html>
"""
