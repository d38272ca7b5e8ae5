// One subscription through the npm graphql-ws client, as a browser dashboard would make it.
//
//   OPSGRAPH_URL=ws://127.0.0.1:8000/graphql OPSGRAPH_AUTHORIZATION="Bearer …" \
//   OPSGRAPH_QUERY='subscription …' OPSGRAPH_VARIABLES='{"id": "…"}' node subscribe.mjs
//
// Prints one JSON line per thing that happens, for tests/shared/test_reference_clients.py to read:
// {"kind":"connected"}, {"kind":"next","payload":…}, {"kind":"error","error":…},
// {"kind":"complete"}, {"kind":"closed","code":…,"reason":…}. The token comes from the
// environment rather than argv so that it does not show in the process list.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const { OPSGRAPH_URL, OPSGRAPH_AUTHORIZATION, OPSGRAPH_QUERY } = process.env;
const variables = JSON.parse(process.env.OPSGRAPH_VARIABLES ?? "{}");

const emit = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

const client = createClient({
  url: OPSGRAPH_URL,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: OPSGRAPH_AUTHORIZATION },
  lazy: false,
  retryAttempts: 0,
  on: {
    connected: () => emit({ kind: "connected" }),
    closed: (event) => emit({ kind: "closed", code: event?.code, reason: event?.reason }),
  },
});

const stop = client.subscribe(
  { query: OPSGRAPH_QUERY, variables },
  {
    next: (payload) => emit({ kind: "next", payload }),
    error: (error) => {
      emit({ kind: "error", error: error instanceof Error ? error.message : error });
      process.exitCode = 1;
      void client.dispose();
    },
    complete: () => {
      emit({ kind: "complete" });
      void client.dispose();
    },
  },
);

// The test ends the client by closing stdin (or SIGTERM): leave cleanly either way.
const shutdown = () => {
  stop();
  void client.dispose();
};
process.stdin.on("end", shutdown);
process.stdin.resume();
process.on("SIGTERM", shutdown);
