import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hono } from "hono";
import { createMetrics, type RequestCount } from "../../src/server/metrics.ts";

/** Value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

function appWith(countRequests: () => Promise<RequestCount[]> = async () => []) {
  const metrics = createMetrics({ countRequests, collectDefault: false });
  const app = new Hono();
  app.use(metrics.httpMiddleware);
  app.get("/items/:id", (c) => c.json({ id: c.req.param("id") }));
  app.post("/items", (c) => c.json({ error: "nope" }, 422));
  const queue = new Hono();
  queue.get("/*", (c) => c.text("status"));
  app.route("/queue", queue);
  app.route("/", metrics.routes());
  const scrape = async () => {
    const response = await app.request("/metrics");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    return response.text();
  };
  return { app, metrics, scrape };
}

describe("metrics", () => {
  it("counts HTTP requests by method, route pattern and status", async () => {
    const { app, scrape } = appWith();
    await app.request("/items/1");
    await app.request("/items/2");
    await app.request("/items", { method: "POST" });
    await app.request("/queue/fal-ai/kling/requests/abc/status");
    await app.request("/nowhere");

    const text = await scrape();
    assert.equal(
      sample(text, "shotline_http_requests_total", { method: "GET", route: "/items/:id", status: "200" }),
      2,
    );
    assert.equal(
      sample(text, "shotline_http_requests_total", { method: "POST", route: "/items", status: "422" }),
      1,
    );
    assert.equal(
      sample(text, "shotline_http_requests_total", { method: "GET", route: "/queue/*", status: "200" }),
      1,
    );
    assert.equal(
      sample(text, "shotline_http_requests_total", { method: "GET", route: "/*", status: "404" }),
      1,
    );
    assert.doesNotMatch(text, /route="\/items\/1"/, "raw paths never become label values");
    assert.doesNotMatch(text, /abc/, "request ids never become label values");

    const again = await scrape();
    assert.equal(
      sample(again, "shotline_http_requests_total", { method: "GET", route: "/metrics", status: "200" }),
      1,
      "the first scrape is counted by the second",
    );
  });

  it("folds unknown methods into one label value", async () => {
    const { app, scrape } = appWith();
    await app.request("/items/1", { method: "BREW" });
    const text = await scrape();
    assert.equal(sample(text, "shotline_http_requests_total", { method: "OTHER", status: "404" }), 1);
    assert.doesNotMatch(text, /BREW/);
  });

  it("reads request counts and queue depth from the store at each scrape, with one call", async () => {
    let rows: RequestCount[] = [
      { status: "IN_QUEUE", outcome: "pending", count: 4 },
      { status: "IN_PROGRESS", outcome: "pending", count: 1 },
      { status: "COMPLETED", outcome: "ok", count: 3 },
      { status: "COMPLETED", outcome: "engine_error", count: 2 },
    ];
    let calls = 0;
    const { scrape } = appWith(async () => {
      calls++;
      return rows;
    });

    const first = await scrape();
    assert.equal(calls, 1, "both gauges share one read of the store");
    assert.equal(sample(first, "shotline_requests", { status: "IN_QUEUE", outcome: "pending" }), 4);
    assert.equal(sample(first, "shotline_requests", { status: "COMPLETED", outcome: "ok" }), 3);
    assert.equal(sample(first, "shotline_requests", { status: "COMPLETED", outcome: "engine_error" }), 2);
    assert.equal(sample(first, "shotline_queue_depth"), 4);

    rows = [{ status: "COMPLETED", outcome: "ok", count: 9 }];
    const second = await scrape();
    assert.equal(calls, 2);
    assert.equal(sample(second, "shotline_requests", { status: "COMPLETED", outcome: "ok" }), 9);
    assert.equal(
      sample(second, "shotline_requests", { status: "COMPLETED", outcome: "engine_error" }),
      undefined,
      "a pair that is gone from the store is gone from the scrape",
    );
    assert.equal(sample(second, "shotline_queue_depth"), 0);
  });

  it("still answers a scrape when the store cannot be read, without stale gauges", async () => {
    let fail = false;
    const { app, scrape } = appWith(async () => {
      if (fail) throw new Error("database is locked");
      return [{ status: "IN_QUEUE", outcome: "pending", count: 7 }];
    });
    assert.equal(sample(await scrape(), "shotline_queue_depth"), 7);
    fail = true;
    await app.request("/items/1");
    const text = await scrape();
    assert.ok(Number.isNaN(sample(text, "shotline_queue_depth")), "unknown, not an empty queue");
    assert.equal(sample(text, "shotline_requests", { status: "IN_QUEUE" }), undefined);
    assert.equal(sample(text, "shotline_metrics_store_errors_total"), 1);
    assert.equal(sample(text, "shotline_http_requests_total", { route: "/items/:id" }), 1);
  });

  it("records renders in seconds and the engine's frames per second", async () => {
    const { metrics, scrape } = appWith();
    metrics.observeRender(10, 240, "previz");
    metrics.observeRender(30, 240, "previz");
    metrics.observeRender(100, 120, "fal");
    const text = await scrape();
    assert.equal(sample(text, "shotline_render_seconds_count", { engine: "previz" }), 2);
    assert.equal(sample(text, "shotline_render_seconds_sum", { engine: "previz" }), 40);
    assert.equal(sample(text, "shotline_render_seconds_bucket", { engine: "previz", le: "10" }), 1);
    assert.equal(sample(text, "shotline_render_seconds_bucket", { engine: "previz", le: "30" }), 2);
    assert.equal(sample(text, "shotline_render_seconds_bucket", { engine: "fal", le: "90" }), 0);
    assert.equal(sample(text, "shotline_render_seconds_bucket", { engine: "fal", le: "120" }), 1);
    // 480 frames in 40 s over the window, not the mean of 24 and 8 fps.
    assert.equal(sample(text, "shotline_engine_fps", { engine: "previz" }), 12);
    assert.equal(sample(text, "shotline_engine_fps", { engine: "fal" }), 1.2);
  });

  it("keeps the fps of the last 20 renders only", async () => {
    const { metrics, scrape } = appWith();
    metrics.observeRender(1, 1, "previz");
    for (let i = 0; i < 20; i++) metrics.observeRender(1, 48, "previz");
    assert.equal(sample(await scrape(), "shotline_engine_fps", { engine: "previz" }), 48);
  });

  it("counts webhook deliveries by outcome, every outcome present from the start", async () => {
    const { metrics, scrape } = appWith();
    const before = await scrape();
    for (const outcome of ["delivered", "retry", "failed"]) {
      assert.equal(sample(before, "shotline_webhook_deliveries_total", { outcome }), 0);
    }
    metrics.webhookDelivery("retry");
    metrics.webhookDelivery("delivered");
    metrics.webhookDelivery("delivered");
    const text = await scrape();
    assert.equal(sample(text, "shotline_webhook_deliveries_total", { outcome: "delivered" }), 2);
    assert.equal(sample(text, "shotline_webhook_deliveries_total", { outcome: "retry" }), 1);
    assert.equal(sample(text, "shotline_webhook_deliveries_total", { outcome: "failed" }), 0);
  });

  it("gives each instance its own registry", async () => {
    const one = appWith();
    const two = appWith();
    await one.app.request("/items/1");
    assert.equal(sample(await one.scrape(), "shotline_http_requests_total", { route: "/items/:id" }), 1);
    assert.equal(
      sample(await two.scrape(), "shotline_http_requests_total", { route: "/items/:id" }),
      undefined,
    );
  });

  it("adds the process metrics when asked", async () => {
    const metrics = createMetrics({ countRequests: async () => [] });
    const text = await metrics.registry.metrics();
    assert.ok(sample(text, "process_cpu_user_seconds_total") !== undefined);
  });
});
