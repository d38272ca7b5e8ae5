"""The HTTP request path of the GraphQL view: persisted queries and GraphQL-over-HTTP.

`PersistedQueriesGraphQL` is strawberry's ASGI view with:
- requests read as `query`, `variables`, `operationName`, `extensions` and `documentId`
  (POST `application/json` bodies, GET query parameters);
- the document resolved by `PersistedQueries` (APQ hash, trusted document, or the text),
  a prepared one run without parsing or validating again (schema/persisted/extension.py);
- answers: for a document that does not parse or validate, 400 without `data` to a client
  that accepts `application/graphql-response+json` and 200 to a legacy `application/json`
  one (GraphQL over HTTP); 405 with `Allow: POST` for a mutation sent by GET; a
  subscription is refused (405 by GET, 400 by POST) with the WebSocket URL to use; a body
  strawberry cannot read is a JSON GraphQL error, never plain text (refusals.py); caching
  headers with ETag/304 on persisted GET queries (http_caching.py);
- WebSocket subscribe messages resolved the same way (websockets.py).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from resolvers.context import RequestContext
from schema import json_codec
from schema.cache_hints import max_age_of
from schema.multipart import operations_with_files
from schema.persisted.extension import running
from schema.persisted.http_caching import (
    GRAPHQL_RESPONSE_JSON,
    cache_persisted_get,
    is_request_error,
    prefers_graphql_response,
)
from schema.persisted.refusals import RefusedRequest, envelope_text_problem
from schema.persisted.resolve import PersistedQueries, PersistedQueryError, Resolved
from schema.persisted.websockets import (
    PersistedLegacyWSHandler,
    PersistedTransportWSHandler,
    TextWebSocket,
)
from settings import Settings


@dataclasses.dataclass
class PersistedRequestData(GraphQLRequestData):
    document_id: str | None = None


@dataclasses.dataclass(frozen=True)
class _Outcome:
    """What the response's headers depend on, noted while the operation runs."""

    resolved: Resolved | None
    errors: bool
    public: bool
    # Seconds a public answer may be kept (schema/persisted/http_caching.py `cache_for`).
    max_age: int | None = None


# What each method may run: subscriptions need the WebSocket, mutations POST.
_ALLOWED_OPERATIONS = {
    "GET": frozenset({OperationType.QUERY}),
    "POST": frozenset({OperationType.QUERY, OperationType.MUTATION}),
}


class PersistedQueriesGraphQL(GraphQL[RequestContext, None]):
    settings: Settings
    persisted_queries: PersistedQueries
    graphql_transport_ws_handler_class = PersistedTransportWSHandler
    graphql_ws_handler_class = PersistedLegacyWSHandler
    websocket_adapter_class = TextWebSocket

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        if isinstance(request, WebSocket):
            return await super().run(request, context=context, root_value=root_value)
        try:
            response = await super().run(request, context=context, root_value=root_value)
        except RefusedRequest as refused:
            response = refused.response()
        except HTTPException as exc:  # strawberry's refusals, which it answers in plain text
            # Its 405 is for a method other than GET and POST; HTTP wants them named.
            allow = {"Allow": "GET, POST"} if exc.status_code == 405 else None
            response = RefusedRequest(exc.status_code, exc.reason, allow).response()
        finally:
            await request.close()  # an upload's spooled parts are removed now
        return self._finish(request, response)

    def encode_json(self, data: object) -> str:
        return json_codec.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return json_codec.loads(data)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET naming a persisted query has no `query` parameter but is no browser visit.
        params = request.query_params
        return (
            params.get("extensions") is None
            and params.get("documentId") is None
            and super().should_render_graphql_ide(request)
        )

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> PersistedRequestData:
        if request.method == "GET":
            data: object = self.parse_query_params(request.query_params)
        else:
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type == "multipart/form-data":  # file uploads
                data = await operations_with_files(request, self.settings.limits.max_bytes)
            elif content_type != "application/json":
                raise HTTPException(415, "Send a JSON body with Content-Type: application/json")
            else:
                data = self.parse_json(await request.get_body())
        if isinstance(data, list):
            raise HTTPException(400, "Batching is not enabled")
        if not isinstance(data, dict):
            raise HTTPException(400, "The request must be a JSON object")
        for key, kind in (
            ("query", str),
            ("operationName", str),
            ("documentId", str),
            ("variables", dict),
            ("extensions", dict),
        ):
            if data.get(key) is not None and not isinstance(data[key], kind):
                expected = "a string" if kind is str else "an object"
                raise HTTPException(400, f"`{key}` must be {expected} or null, if provided")
        if (problem := envelope_text_problem(data)) is not None:
            raise HTTPException(400, problem)
        return PersistedRequestData(
            query=data.get("query"),
            variables=data.get("variables"),
            operation_name=data.get("operationName"),
            extensions=data.get("extensions"),
            document_id=data.get("documentId"),
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: RequestContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        public = not context.actor.authenticated
        try:
            resolved = await self.persisted_queries.resolve(
                context.actor,
                query=request_data.query,
                extensions=request_data.extensions,
                document_id=getattr(request_data, "document_id", None),
                max_tokens=self.settings.limits.max_tokens,
            )
        except PersistedQueryError as refusal:
            sub_response.status_code = refusal.status
            request.state.outcome = _Outcome(None, errors=True, public=public)
            return ExecutionResult(data=None, errors=[_with_request_id(refusal, context)])
        allowed = _ALLOWED_OPERATIONS[request_adapter.method]
        if resolved.prepared is not None:  # known without parsing: refused before anything
            kind = resolved.prepared.operation_type(request_data.operation_name)
            if kind is not None and kind not in allowed:
                raise _not_allowed(kind, request)
        try:
            with running(resolved.prepared):
                result = await self.schema.execute(
                    resolved.query,
                    root_value=root_value,
                    variable_values=request_data.variables,
                    context_value=context,
                    operation_name=request_data.operation_name,
                    allowed_operation_types=allowed,
                    operation_extensions=request_data.extensions,
                )
        except InvalidOperationTypeError as exc:
            raise _not_allowed(exc.operation_type, request) from None
        except CannotGetOperationTypeError as exc:
            raise RefusedRequest(400, exc.as_http_error_reason()) from None
        except MissingQueryError:
            raise RefusedRequest(400, "No GraphQL query found in the request.") from None
        if not sub_response.status_code and is_request_error(result.errors, result.data):
            # GraphQL over HTTP: 400 for clients that read graphql-response+json; legacy
            # application/json clients expect 200 with the errors.
            accept = request.headers.get("accept")
            sub_response.status_code = 400 if prefers_graphql_response(accept) else 200
        max_age = max_age_of(request, result.data, self.settings.persisted.public_max_age)
        request.state.outcome = _Outcome(
            resolved, errors=bool(result.errors), public=public, max_age=max_age
        )
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = process_result(result)
        if is_request_error(result.errors, result.data):
            # Nothing ran, so there is no `data` at all (not even null): GraphQL spec 7.1.
            response.pop("data", None)
        return response

    def _finish(self, request: Request, response: Response) -> Response:
        if response.headers.get("content-type", "").startswith("application/json") and (
            prefers_graphql_response(request.headers.get("accept"))
        ):
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        outcome: _Outcome | None = getattr(request.state, "outcome", None)
        if request.method != "GET" or outcome is None:
            return response
        if outcome.resolved is not None and not outcome.resolved.persisted:
            return response
        return cache_persisted_get(
            request,
            response,
            cacheable=not outcome.errors,
            public=outcome.public,
            max_age=outcome.max_age or self.settings.persisted.public_max_age,
        )


def _not_allowed(kind: OperationType, request: Request) -> RefusedRequest:
    if kind is OperationType.SUBSCRIPTION:
        scheme = "wss" if request.url.scheme == "https" else "ws"
        websocket_url = request.url.replace(scheme=scheme, query="")
        message = (
            f"Subscriptions are served over WebSocket at {websocket_url} "
            "(graphql-transport-ws or graphql-ws), not over HTTP."
        )
        # By GET it is the method that is wrong (405); by POST the transport (400).
        if request.method == "GET":
            return RefusedRequest(405, message, {"Allow": "POST"})
        return RefusedRequest(400, message)
    return RefusedRequest(405, "Mutations must be sent with POST.", {"Allow": "POST"})


def _with_request_id(refusal: PersistedQueryError, context: RequestContext) -> GraphQLError:
    error = refusal.as_graphql_error()
    if context.actor.request_id and error.extensions is not None:
        error.extensions["requestId"] = context.actor.request_id
    return error
