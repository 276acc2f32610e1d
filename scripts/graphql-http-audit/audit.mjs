// GraphQL-over-HTTP conformance audit of a running server, using the reference suite in `graphql-http`.
// Usage: node audit.mjs [URL of /graphql]   (default http://127.0.0.1:8080/graphql)
// Exit 0: no MUST failed (SHOULD warnings and MAY notices are reported but allowed).
// Exit 1: at least one MUST failed. Exit 2: the audit itself could not run (e.g. server unreachable).
import { auditServer } from "graphql-http";

const url = process.argv[2] || "http://127.0.0.1:8080/graphql";

let results;
try {
  results = await auditServer({ url });
} catch (err) {
  // graphql-http throws only on fatal problems (connection refused, non-HTTP answer), not on failed audits.
  console.error(`graphql-http audit could not run against ${url}: ${err?.stack || err}`);
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const r of results) {
  counts[r.status] = (counts[r.status] || 0) + 1;
  const label = r.status.toUpperCase().padEnd(6);
  if (r.status === "ok") {
    console.log(`${label} ${r.id} ${r.name}`);
    continue;
  }
  const status = r.response ? ` [HTTP ${r.response.status}]` : "";
  console.log(`${label} ${r.id} ${r.name}\n         ${r.reason}${status}`);
}

console.log(
  `graphql-http audit of ${url}: ${results.length} audits, ${counts.ok} ok, ` +
    `${counts.notice} notice, ${counts.warn} warn, ${counts.error} error`,
);
process.exit(counts.error > 0 ? 1 : 0);
