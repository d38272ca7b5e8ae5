// Apollo Client with its persisted-queries link, run by tests/shared/test_apollo_client.py:
//   node apq.mjs URL TOKEN post|get
// Runs one query three times (network only) and prints, as JSON, each HTTP request the
// link made (method, whether it carried the text and the hash, the status) and the data.
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { createHash } from "node:crypto";

const [url, token, method] = process.argv.slice(2);
const requests = [];

async function recordingFetch(input, init = {}) {
  const target = new URL(typeof input === "string" ? input : input.url);
  const sent = init.body
    ? JSON.parse(init.body)
    : {
        query: target.searchParams.get("query") ?? undefined,
        extensions: JSON.parse(target.searchParams.get("extensions") ?? "{}"),
      };
  const response = await fetch(input, init);
  requests.push({
    method: init.method ?? "GET",
    sentQuery: typeof sent.query === "string",
    sentHash: Boolean(sent.extensions?.persistedQuery?.sha256Hash),
    status: response.status,
  });
  return response;
}

const link = new PersistedQueryLink({
  sha256: (text) => createHash("sha256").update(text).digest("hex"),
  useGETForHashedQueries: method === "get",
}).concat(
  new HttpLink({ uri: url, fetch: recordingFetch, headers: { authorization: `Bearer ${token}` } }),
);
const client = new ApolloClient({ link, cache: new InMemoryCache() });
const QUERY = gql`
  query ApolloProbe {
    viewer {
      authenticated
      role
    }
  }
`;

const results = [];
for (let i = 0; i < 3; i += 1) {
  const { data } = await client.query({ query: QUERY, fetchPolicy: "network-only" });
  results.push(data);
}
console.log(JSON.stringify({ requests, results }));
