// GraphQL-over-HTTP conformance audit of a running server, using the reference suite in `graphql-http`.
// Usage: node audit.mjs [URL of /graphql]   (default http://127.0.0.1:8080/graphql)
// Exit 0: no MUST failed (SHOULD warnings and MAY notices are reported but allowed).
// Exit 1: at least one MUST failed, or an audit could not complete (e.g. the server dropped the connection).
//
// This is auditServer() from graphql-http (which is Promise.all over serverAudits()), except that an audit
// throwing a fatal error is reported as an error of its own instead of hiding the other 60 results.
import { serverAudits } from "graphql-http";

const url = process.argv[2] || "http://127.0.0.1:8080/graphql";

const results = await Promise.all(
  serverAudits({ url }).map(({ id, name, fn }) =>
    fn().catch((err) => ({
      id,
      name,
      status: "error",
      reason: `audit could not complete: ${err?.cause?.message || err?.message || err}`,
    })),
  ),
);

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
