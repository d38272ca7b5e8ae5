"""The GraphiQL page: strawberry's, opening with how to authenticate.

Every field needs credentials, so the first thing a developer reads is how to get a token
and where to put it; the Headers tab starts with the header to fill in.
"""

from __future__ import annotations

import json
from functools import cache

from strawberry.http.ides import get_graphql_ide_html

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
#
# `viewer` shows who the server thinks you are and what you may do.

{
  viewer { authenticated subject role grants { permission scope } }
}
"""

HEADERS_TEMPLATE = json.dumps({"Authorization": "Bearer <paste a token here>"}, indent=2)

# Strawberry's page defines these two lines; a test fails if a new version changes them.
_EXAMPLE_QUERY_START = "const EXAMPLE_QUERY = `"
_HEADERS_STATE = "React.useState(parameters.headers)"


@cache
def graphiql_html() -> str:
    html = get_graphql_ide_html("graphiql")
    start = html.index(_EXAMPLE_QUERY_START) + len(_EXAMPLE_QUERY_START)
    end = html.index("`", start)
    html = html[:start] + WELCOME.replace("`", "'") + html[end:]
    return html.replace(
        _HEADERS_STATE, f"React.useState(parameters.headers || {json.dumps(HEADERS_TEMPLATE)})"
    )
