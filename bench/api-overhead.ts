/**
 * API overhead benchmark: durable submits/s and status polls/s of a real server process, each as a
 * ratio to a trivial route (`GET /livez`, which touches no store) of the same server, measured in one run. The server
 * runs without a worker so that no rendering competes for the CPU; the load comes from this
 * process (autocannon), the server is a child process.
 *
 *   npm run bench            # targets: submit ≥ 0.25×, status ≥ 0.5×
 */
import autocannon from "autocannon";
import { ENDPOINT, postJson, startServer } from "../test/support/server-process.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 16;

async function rate(title: string, options: autocannon.Options): Promise<number> {
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const ok = result["2xx"];
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${title}: ${failed} failed requests`);
  const perSecond = ok / SECONDS;
  console.log(
    `${title.padEnd(28)} ${perSecond.toFixed(0).padStart(7)} req/s  (p99 ${result.latency.p99} ms)`,
  );
  return perSecond;
}

// Rate limits off: the benchmark sends far more than a key's allowance on purpose.
const server = await startServer({
  SHOTLINE_WORKER: "off",
  SHOTLINE_RATE_LIMIT_SUBMITS: "0",
  SHOTLINE_RATE_LIMIT_READS: "0",
});
try {
  // A request at the head of the queue: its status needs the position query, as a real poll does.
  const { body: receipt } = await postJson(`${server.url}/queue/${ENDPOINT}`, { prompt: "bench" });
  const statusUrl = receipt.status_url as string;

  await rate("warm-up", { url: `${server.url}/livez`, duration: 1 });
  const trivial = await rate("GET /livez (baseline)", { url: `${server.url}/livez` });
  const submit = await rate("POST /queue (durable submit)", {
    url: `${server.url}/queue/${ENDPOINT}`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt: "A jazz saxophonist sways gently into the note", duration: "5" }),
  });
  const status = await rate("GET …/status", { url: statusUrl });

  const submitRatio = submit / trivial;
  const statusRatio = status / trivial;
  console.log(
    `\nsubmit / baseline = ${submitRatio.toFixed(2)}× (target ≥ 0.25×) ${submitRatio >= 0.25 ? "ok" : "MISSED"}`,
  );
  console.log(
    `status / baseline = ${statusRatio.toFixed(2)}× (target ≥ 0.5×) ${statusRatio >= 0.5 ? "ok" : "MISSED"}`,
  );
} finally {
  await server.stop();
  await server.cleanup();
}
