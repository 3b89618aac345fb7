import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitCompleted,
  waitFor,
} from "../support/server-process.ts";

/** Value of one Prometheus series in a /metrics text, 0 when absent. */
function series(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("operations: metrics, logs, rate limits, retention (server processes)", () => {
  it("moves /metrics counters as a request runs, and logs JSON lines carrying the request id", async () => {
    const server = await startServer();
    try {
      const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
      const before = await scrape();
      assert.match(before, /# TYPE shotline_queue_depth gauge/);
      const ok = 'status="COMPLETED",outcome="ok"';
      const { body } = await postJson(`${server.url}/queue/${ENDPOINT}`, {
        prompt: "a fox in snow",
        duration: "3",
      });
      await waitCompleted(body.status_url as string);
      const after = await waitFor(async () => {
        const text = await scrape();
        return series(text, "shotline_render_seconds_count", 'engine="previz"') >= 1 ? text : undefined;
      }, 10_000);
      assert.equal(series(after, "shotline_requests", ok), series(before, "shotline_requests", ok) + 1);
      assert.ok(series(after, "shotline_engine_fps", 'engine="previz"') > 0);
      assert.ok(
        series(after, "shotline_http_requests_total", 'method="POST",route="/queue/*",status="200"') >= 1,
        "HTTP requests counted by route pattern",
      );
      const lines = server.logs.filter((l) => l.request_id === body.request_id);
      assert.ok(
        lines.some((l) => l.msg === "request completed"),
        "worker lines carry the request id",
      );
      assert.ok(
        lines.some((l) => l.method === "POST" && l.status === 200),
        "access log line of the submit",
      );
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });

  it("answers 429 with retry-after past the per-key submit limit", async () => {
    const server = await startServer({ SHOTLINE_WORKER: "off", SHOTLINE_RATE_LIMIT_SUBMITS: "3" });
    try {
      const submit = () => postJson(`${server.url}/queue/${ENDPOINT}`, {});
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await submit()).response.status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const limited = await submit();
      assert.equal(limited.response.status, 429);
      const retryAfter = Number(limited.response.headers.get("retry-after"));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
      assert.match(String(limited.body.detail), /Rate limit/);
      // Reads have their own allowance.
      assert.equal((await fetch(`${server.url}/v1/usage`)).status, 200);
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });

  it("deletes files past their lifetime and answers 410 for them", async () => {
    const server = await startServer({ SHOTLINE_RETENTION_SWEEP_SECONDS: "0.3" });
    try {
      const bad = await postJson(
        `${server.url}/queue/${ENDPOINT}`,
        {},
        { "x-fal-object-lifecycle-preference": "{oops" },
      );
      assert.equal(bad.response.status, 422);
      assert.deepEqual((bad.body.detail as { loc: string[] }[])[0]?.loc, [
        "header",
        "x-fal-object-lifecycle-preference",
      ]);

      const { body } = await postJson(
        `${server.url}/queue/${ENDPOINT}`,
        { prompt: "a candle in the dark", duration: "3" },
        { "x-fal-object-lifecycle-preference": JSON.stringify({ expiration_duration_seconds: 2 }) },
      );
      await waitCompleted(body.status_url as string);
      const { body: result } = await getJson(body.response_url as string);
      const url = (result.video as { url: string }).url;
      assert.equal((await fetch(url)).status, 200, "served while it lives");
      const gone = await waitFor(async () => {
        const response = await fetch(url);
        return response.status === 410 ? response : undefined;
      }, 15_000);
      assert.match(((await gone.json()) as { detail: string }).detail, /expired .* deleted/);
      assert.equal(
        (await fetch(`${server.url}/files/00000000-0000-4000-8000-000000000000/output.mp4`)).status,
        404,
      );
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });
});
